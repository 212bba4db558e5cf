/**
 * Places of the Musi Rawas demo. The kecamatan names and codes are Kemendagri's
 * (idn-area-data); every coordinate here is APPROXIMATE, placed by hand within
 * the regency's extent, because no surveyed positions were at hand. The map
 * layers built from them say so.
 */
import { Delaunay } from 'd3-delaunay';

export const EXTENT = { west: 102.5, east: 103.667, south: -3.644, north: -3.083 };

/** Approximate centre of each kecamatan [longitude, latitude], by Kemendagri code. */
export const KECAMATAN_CENTRES: Record<string, [number, number]> = {
  '16.05.10': [102.6, -3.13], // STL Ulu Terawas
  '16.05.11': [102.7, -3.2], // Selangit
  '16.05.19': [102.79, -3.13], // Sumber Harta
  '16.05.13': [102.93, -3.16], // Purwodadi
  '16.05.01': [102.95, -3.26], // Tugumulyo
  '16.05.09': [103.04, -3.22], // Muara Beliti (the capital)
  '16.05.21': [102.78, -3.36], // Suka Karya
  '16.05.08': [102.9, -3.44], // Jayaloka
  '16.05.18': [103.02, -3.4], // Tiang Pumpung Kepungut
  '16.05.12': [103.12, -3.3], // Megang Sakti
  '16.05.20': [103.19, -3.13], // Tuah Negeri
  '16.05.03': [103.34, -3.27], // Muara Kelingi
  '16.05.14': [103.26, -3.5], // BTS Ulu
  '16.05.02': [103.52, -3.2], // Muara Lakitan
};

/** Rivers as approximate polylines [lon, lat]. */
export const RIVERS: { name: string; path: [number, number][] }[] = [
  { name: 'Sungai Musi', path: [[102.52, -3.6], [102.72, -3.52], [102.93, -3.48], [103.12, -3.43], [103.3, -3.33], [103.45, -3.3], [103.66, -3.27]] },
  { name: 'Sungai Kelingi', path: [[102.78, -3.21], [102.93, -3.25], [103.08, -3.26], [103.22, -3.27], [103.33, -3.31]] },
  { name: 'Sungai Beliti', path: [[102.72, -3.29], [102.88, -3.29], [103.0, -3.24], [103.1, -3.25]] },
  { name: 'Sungai Lakitan', path: [[103.3, -3.1], [103.44, -3.16], [103.55, -3.23], [103.62, -3.28]] },
];

/** Forest and land fire hotspots of a dry season, approximate (peat areas of Megang Sakti and Muara Kelingi). */
export const HOTSPOTS: { lon: number; lat: number; confidence: number }[] = [
  { lon: 103.15, lat: -3.33, confidence: 82 },
  { lon: 103.17, lat: -3.35, confidence: 64 },
  { lon: 103.38, lat: -3.29, confidence: 91 },
  { lon: 103.41, lat: -3.24, confidence: 55 },
  { lon: 103.28, lat: -3.52, confidence: 70 },
  { lon: 103.55, lat: -3.17, confidence: 77 },
];

/** Kecamatan as Voronoi cells of their centres, clipped to the extent: a stand-in for boundaries. */
export function kecamatanPolygons(names: Record<string, string>) {
  const codes = Object.keys(KECAMATAN_CENTRES);
  const points = codes.map((c) => KECAMATAN_CENTRES[c]!);
  const voronoi = Delaunay.from(points).voronoi([EXTENT.west, EXTENT.south, EXTENT.east, EXTENT.north]);
  return {
    type: 'FeatureCollection' as const,
    features: codes.map((code, i) => ({
      type: 'Feature' as const,
      properties: { code, name: names[code] ?? code, approximate: true },
      geometry: { type: 'Polygon' as const, coordinates: [voronoi.cellPolygon(i).map(([x, y]) => [round(x!), round(y!)])] },
    })),
  };
}

export function riverLines() {
  return {
    type: 'FeatureCollection' as const,
    features: RIVERS.map((r) => ({ type: 'Feature' as const, properties: { name: r.name, approximate: true }, geometry: { type: 'LineString' as const, coordinates: r.path } })),
  };
}

export function hotspotPoints() {
  return {
    type: 'FeatureCollection' as const,
    features: HOTSPOTS.map((h) => ({ type: 'Feature' as const, properties: { confidence: h.confidence, approximate: true }, geometry: { type: 'Point' as const, coordinates: [h.lon, h.lat] } })),
  };
}

function round(n: number): number {
  return Math.round(n * 1e5) / 1e5;
}
