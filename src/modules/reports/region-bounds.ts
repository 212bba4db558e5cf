import { pointInPolygon, polygonsBbox, type Bbox, type PolygonRings } from '../../core/geo.ts';
import type { DistrictShape, IdentityService } from '../identity/index.ts';

/**
 * Known extents of regions by Kemendagri code, for regions without kecamatan
 * polygons. Musi Rawas (16.05): the OpenStreetMap outline in geodata/musi-rawas (SOURCES.md).
 */
export const REGION_EXTENTS: Record<string, Bbox> = {
  '16.05': { west: 102.483, east: 103.644, north: -2.753, south: -3.598 },
};

export interface RegionShape {
  /** the kecamatan polygons, when the region has them */
  polygons: PolygonRings[];
  /** their bounding box, or the known extent */
  bbox: Bbox | null;
}

export function contains(shape: RegionShape, lon: number, lat: number): boolean {
  if (shape.polygons.length > 0) return shape.polygons.some((p) => pointInPolygon(lon, lat, p));
  if (shape.bbox) return lon >= shape.bbox.west && lon <= shape.bbox.east && lat >= shape.bbox.south && lat <= shape.bbox.north;
  return true;
}

/**
 * Where a report may be: the region's kecamatan polygons (identity parses and
 * caches them, and knows when the layer is replaced), else its known extent,
 * else anywhere.
 */
export class RegionBounds {
  /** The shape built from identity's parsed polygons, rebuilt when identity hands out new ones. */
  private readonly cache = new Map<string, { from: readonly DistrictShape[]; shape: RegionShape }>();

  private readonly identity: IdentityService;
  constructor(identity: IdentityService) {
    this.identity = identity;
  }

  async shape(regionId: string, regionCode: string): Promise<RegionShape> {
    const districts = await this.identity.districtShapes(regionId);
    const hit = this.cache.get(regionId);
    if (hit && hit.from === districts) return hit.shape;
    const polygons = districts.flatMap((d) => d.polygons);
    const shape = { polygons, bbox: polygonsBbox(polygons) ?? REGION_EXTENTS[regionCode] ?? null };
    this.cache.set(regionId, { from: districts, shape });
    return shape;
  }

  /** Forgets the built shapes (identity's own cache follows the layer by itself). */
  clear(): void {
    this.cache.clear();
  }
}
