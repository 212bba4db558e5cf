import { AppError } from './errors.ts';

/** GeoJSON geometry (RFC 7946), WGS 84 longitude/latitude. */
export type Geometry =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'MultiPoint' | 'LineString'; coordinates: number[][] }
  | { type: 'MultiLineString' | 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

const DEPTH: Record<Geometry['type'], number> = {
  Point: 0,
  MultiPoint: 1,
  LineString: 1,
  MultiLineString: 2,
  Polygon: 2,
  MultiPolygon: 3,
};

export interface Bbox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/**
 * Checks a GeoJSON geometry thoroughly (type, nesting, coordinate ranges, ring
 * closure) and returns it with its bounding box, or throws GEOMETRY_INVALID
 * saying what is wrong.
 */
export function validateGeometry(input: unknown): { geometry: Geometry; bbox: Bbox } {
  const fail = (why: string): never => {
    throw new AppError('GEOMETRY_INVALID', `geometry: ${why}`);
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('must be a GeoJSON geometry object');
  const { type, coordinates } = input as { type?: unknown; coordinates?: unknown };
  if (typeof type !== 'string' || !(type in DEPTH)) {
    fail(`type must be one of ${Object.keys(DEPTH).join(', ')}`);
  }
  const bbox: Bbox = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
  const visitPosition = (pos: unknown, path: string) => {
    if (!Array.isArray(pos) || pos.length < 2 || pos.length > 3) fail(`${path} must be [longitude, latitude]`);
    const [lon, lat] = pos as unknown[];
    if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180) {
      fail(`${path}: longitude must be a number from -180 to 180`);
    }
    if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) {
      fail(`${path}: latitude must be a number from -90 to 90`);
    }
    bbox.west = Math.min(bbox.west, lon as number);
    bbox.east = Math.max(bbox.east, lon as number);
    bbox.south = Math.min(bbox.south, lat as number);
    bbox.north = Math.max(bbox.north, lat as number);
  };
  const visit = (node: unknown, depth: number, path: string) => {
    if (depth === 0) return visitPosition(node, path);
    if (!Array.isArray(node) || node.length === 0) return fail(`${path} must be a non-empty array`);
    node.forEach((child, i) => visit(child, depth - 1, `${path}[${i}]`));
  };
  const depth = DEPTH[type as Geometry['type']];
  visit(coordinates, depth, 'coordinates');
  const rings = type === 'Polygon' ? [coordinates] : type === 'MultiPolygon' ? (coordinates as unknown[]) : [];
  for (const polygon of rings as number[][][][]) {
    for (const ring of polygon) {
      const first = ring[0]!;
      const last = ring[ring.length - 1]!;
      if (ring.length < 4 || first[0] !== last[0] || first[1] !== last[1]) {
        fail('each polygon ring needs at least 4 positions and must end where it starts');
      }
    }
  }
  if (type === 'LineString' && (coordinates as unknown[]).length < 2) fail('a LineString needs at least 2 positions');
  return { geometry: { type, coordinates } as Geometry, bbox };
}

/** A point that stands for the geometry on a map and in bounding-box searches. */
export function representativePoint(bbox: Bbox): { lon: number; lat: number } {
  return { lon: (bbox.west + bbox.east) / 2, lat: (bbox.south + bbox.north) / 2 };
}

export function parseBbox(value: string): Bbox {
  const parts = value.split(',').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
    throw new AppError('QUERY_INVALID', 'bbox must be four numbers: west,south,east,north');
  }
  const [west, south, east, north] = parts as [number, number, number, number];
  if (west > east || south > north) throw new AppError('QUERY_INVALID', 'bbox: west must be ≤ east and south ≤ north');
  return { west, south, east, north };
}

/** The rings of one polygon, outer first then holes, each [[lon, lat], …] (GeoJSON order). */
export type PolygonRings = number[][][];

/** The polygons of a Polygon or MultiPolygon geometry; nothing for any other geometry or bad input. */
export function polygonsOf(geometry: unknown): PolygonRings[] {
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (!Array.isArray(g?.coordinates)) return [];
  if (g.type === 'Polygon') return [g.coordinates as PolygonRings];
  if (g.type === 'MultiPolygon') return g.coordinates as PolygonRings[];
  return [];
}

/** Ray casting over one ring; points on an edge may fall either way. */
function inRing(lon: number, lat: number, ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether the point lies inside the polygon's outer ring and outside its holes (planar, fine at kecamatan scale). */
export function pointInPolygon(lon: number, lat: number, polygon: PolygonRings): boolean {
  if (polygon.length === 0 || !inRing(lon, lat, polygon[0]!)) return false;
  return !polygon.slice(1).some((hole) => inRing(lon, lat, hole));
}

/** The bounding box of the polygons' outer rings, or null for none. */
export function polygonsBbox(polygons: readonly PolygonRings[]): Bbox | null {
  if (polygons.length === 0) return null;
  const bbox: Bbox = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
  for (const p of polygons) {
    for (const [lon, lat] of p[0] ?? []) {
      bbox.west = Math.min(bbox.west, lon!);
      bbox.east = Math.max(bbox.east, lon!);
      bbox.south = Math.min(bbox.south, lat!);
      bbox.north = Math.max(bbox.north, lat!);
    }
  }
  return bbox;
}
