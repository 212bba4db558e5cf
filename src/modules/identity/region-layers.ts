import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { pointInPolygon, polygonsOf, type PolygonRings } from '../../core/geo.ts';
import { BASE_LAYER_KEYS, type FeatureCollection, type RegionLayer } from './identity.contract.ts';
import type { IdentityRepository } from './identity.repository.ts';
import { checkFeatureCollection, type LayerUpload } from './layers.read.ts';
import { requireRole, type Principal } from './principal.ts';

/** The layer whose polygons are the region's kecamatan. */
export const KECAMATAN_LAYER = 'kecamatan';

/** One feature of the kecamatan layer, parsed for point-in-polygon look-ups. */
export interface DistrictShape {
  /** the Kemendagri code of a kecamatan of the region, or null when the feature names none */
  code: string | null;
  polygons: PolygonRings[];
}

/** Feature properties that may carry the kecamatan's code or name (compared case-insensitively). */
const CODE_PROPERTIES = ['code', 'districtcode', 'district_code', 'kode', 'kode_kec', 'kd_kec', 'kdcpum'];
const NAME_PROPERTIES = ['name', 'nama', 'kecamatan', 'nama_kec', 'wadmkc'];

/** The region's map layers (GeoJSON), and the kecamatan polygons other modules place reports in. */
export class RegionLayers {
  /** Parsed kecamatan polygons per region, with the layer's updated_at they were parsed from. */
  private readonly districtShapeCache = new Map<string, { updatedAt: number; shapes: DistrictShape[] }>();

  private readonly repo: IdentityRepository;
  private readonly clock: Clock;
  constructor(repo: IdentityRepository, clock: Clock) {
    this.repo = repo;
    this.clock = clock;
  }

  async layers(p: Pick<Principal, 'regionId'>): Promise<RegionLayer[]> {
    return (await this.repo.listLayers(p.regionId)).map((l) => ({
      key: l.key,
      name: { id: l.name_id, en: l.name_en },
      approximate: l.approximate === 1,
      updatedAt: l.updated_at,
      geojson: JSON.parse(l.geojson) as FeatureCollection,
    }));
  }

  /** The region's base-map layers (BASE_LAYER_KEYS), for maps anyone may see: no principal, nothing else of the region. */
  async baseLayers(regionId: string): Promise<RegionLayer[]> {
    const base: readonly string[] = BASE_LAYER_KEYS;
    return (await this.layers({ regionId })).filter((l) => base.includes(l.key));
  }

  /** Saves a layer after checking every feature's geometry; used by admins and by the demo. */
  async putLayer(regionId: string, key: string, input: { name: { id: string; en: string }; approximate: boolean; geojson: unknown }): Promise<void> {
    const fc = checkFeatureCollection(input.geojson);
    await this.storeLayer(regionId, key, { name: input.name, approximate: input.approximate, geojsonText: JSON.stringify(fc) });
  }

  /** An admin's upload, read and checked on the parser worker (layers.read.ts): stored as its text. */
  async putLayerUpload(p: Principal, key: string, upload: LayerUpload): Promise<void> {
    requireRole(p, 'admin');
    await this.storeLayer(p.regionId, key, upload);
  }

  private async storeLayer(regionId: string, key: string, layer: LayerUpload): Promise<void> {
    await this.repo.upsertLayer({ region_id: regionId, key, name_id: layer.name.id, name_en: layer.name.en, geojson: layer.geojsonText, approximate: layer.approximate ? 1 : 0, updated_at: this.clock.now() });
    this.districtShapeCache.delete(regionId);
  }

  async putLayerAsAdmin(p: Principal, key: string, input: { name: { id: string; en: string }; approximate: boolean; geojson: unknown }): Promise<void> {
    requireRole(p, 'admin');
    await this.putLayer(p.regionId, key, input);
  }

  async deleteLayer(p: Principal, key: string): Promise<void> {
    requireRole(p, 'admin');
    if (!(await this.repo.deleteLayer(p.regionId, key))) throw new AppError('NOT_FOUND', `no layer ${key}`);
    this.districtShapeCache.delete(p.regionId);
  }

  /**
   * The features of the region's kecamatan layer as polygons, each with the
   * kecamatan code it carries (a code property, else a name matching a
   * kecamatan of the region). Parsed once and cached; a replaced layer is seen
   * at once here and, on other instances, by its updated_at (one indexed read
   * per call). None without the layer. For other modules.
   */
  async districtShapes(regionId: string): Promise<DistrictShape[]> {
    const updatedAt = await this.repo.layerUpdatedAt(regionId, KECAMATAN_LAYER);
    if (updatedAt === undefined) {
      this.districtShapeCache.delete(regionId);
      return [];
    }
    const hit = this.districtShapeCache.get(regionId);
    if (hit && hit.updatedAt === updatedAt) return hit.shapes;
    const [layer, districts] = await Promise.all([this.repo.findLayer(regionId, KECAMATAN_LAYER), this.repo.listDistricts(regionId)]);
    if (!layer) return [];
    const codes = new Set(districts.map((d) => d.code));
    const byName = new Map(districts.map((d) => [plainName(d.name), d.code]));
    const shapes: DistrictShape[] = [];
    for (const feature of (JSON.parse(layer.geojson) as FeatureCollection).features) {
      const polygons = polygonsOf(feature.geometry);
      if (polygons.length === 0) continue;
      const props = Object.fromEntries(Object.entries(feature.properties ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const code =
        CODE_PROPERTIES.map((k) => kemendagriCode(props[k])).find((c) => c !== null && codes.has(c)) ??
        NAME_PROPERTIES.map((k) => (typeof props[k] === 'string' ? byName.get(plainName(props[k])) : undefined)).find((c) => c !== undefined) ??
        null;
      shapes.push({ code, polygons });
    }
    this.districtShapeCache.set(regionId, { updatedAt: Number(layer.updated_at), shapes });
    return shapes;
  }
}

/** "16.05.09", "160509" or 160509 → "16.05.09"; anything else null. */
function kemendagriCode(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).trim();
  if (/^\d{2}\.\d{2}\.\d{2}$/.test(text)) return text;
  return /^\d{6}$/.test(text) ? `${text.slice(0, 2)}.${text.slice(2, 4)}.${text.slice(4)}` : null;
}

/** "KECAMATAN Muara  Beliti" and "muara beliti" compare equal. */
function plainName(name: string): string {
  return name.toLowerCase().replace(/^kec(amatan|\.)\s*/, '').replace(/\s+/g, ' ').trim();
}

/** The code of the kecamatan among these shapes whose polygon holds the point, or null. */
export function districtOf(shapes: readonly DistrictShape[], lon: number, lat: number): string | null {
  for (const shape of shapes) {
    if (shape.code !== null && shape.polygons.some((p) => pointInPolygon(lon, lat, p))) return shape.code;
  }
  return null;
}
