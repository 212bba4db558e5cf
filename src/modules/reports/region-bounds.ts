import type { Bbox } from '../../core/geo.js';
import type { IdentityService } from '../identity/index.js';

/**
 * Known extents of regions by Kemendagri code, for regions without kecamatan
 * polygons. Musi Rawas (16.05): /work/shared/data/musi-rawas.json, "regency.extent".
 */
export const REGION_EXTENTS: Record<string, Bbox> = {
  '16.05': { west: 102.5, east: 103.667, north: -3.083, south: -3.644 },
};

type Ring = number[][];
type PolygonRings = Ring[];

/** Ray casting over one ring; points on an edge may fall either way. */
function inRing(lon: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(lon: number, lat: number, polygon: PolygonRings): boolean {
  if (polygon.length === 0 || !inRing(lon, lat, polygon[0]!)) return false;
  return !polygon.slice(1).some((hole) => inRing(lon, lat, hole));
}

export interface RegionShape {
  /** the kecamatan polygons, when the region has them */
  polygons: PolygonRings[];
  /** their bounding box, or the known extent */
  bbox: Bbox | null;
}

export function contains(shape: RegionShape, lon: number, lat: number): boolean {
  if (shape.polygons.length > 0) return shape.polygons.some((p) => inPolygon(lon, lat, p));
  if (shape.bbox) return lon >= shape.bbox.west && lon <= shape.bbox.east && lat >= shape.bbox.south && lat <= shape.bbox.north;
  return true;
}

/** Where a report may be: the region's 'kecamatan' layer, else its known extent, else anywhere. Cached a minute. */
export class RegionBounds {
  private readonly cache = new Map<string, { at: number; shape: RegionShape }>();

  constructor(private readonly identity: IdentityService) {}

  async shape(regionId: string, regionCode: string): Promise<RegionShape> {
    const hit = this.cache.get(regionId);
    if (hit && Date.now() - hit.at < 60_000) return hit.shape;
    const layers = await this.identity.layers({ userId: 'open311', regionId, role: 'viewer', opdId: null, email: '' });
    const layer = layers.find((l) => l.key === 'kecamatan');
    const polygons: PolygonRings[] = [];
    for (const feature of layer?.geojson.features ?? []) {
      const g = feature.geometry as { type?: string; coordinates?: unknown } | null;
      if (g?.type === 'Polygon') polygons.push(g.coordinates as PolygonRings);
      else if (g?.type === 'MultiPolygon') polygons.push(...(g.coordinates as PolygonRings[]));
    }
    let bbox: Bbox | null = REGION_EXTENTS[regionCode] ?? null;
    if (polygons.length > 0) {
      bbox = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
      for (const p of polygons) {
        for (const [lon, lat] of p[0] ?? []) {
          bbox.west = Math.min(bbox.west, lon!);
          bbox.east = Math.max(bbox.east, lon!);
          bbox.south = Math.min(bbox.south, lat!);
          bbox.north = Math.max(bbox.north, lat!);
        }
      }
    }
    const shape = { polygons, bbox };
    this.cache.set(regionId, { at: Date.now(), shape });
    return shape;
  }

  /** Forgets the cached shape (after a layer changes). */
  clear(): void {
    this.cache.clear();
  }
}
