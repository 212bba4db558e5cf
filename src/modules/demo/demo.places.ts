/**
 * Places of the Musi Rawas demo. The regency, its 14 kecamatan and the Musi are
 * real shapes (geodata/musi-rawas: OpenStreetMap under the ODbL, Natural Earth);
 * the other rivers and every asset's position are placed by hand, each inside
 * the kecamatan it names (test/demo-places.test.ts checks it), because no
 * surveyed positions were at hand. The layers and assets built from them say so.
 */
import { readFileSync } from 'node:fs';

/** geodata/ at the repository's root: the same three levels up from src/modules/demo and from dist/modules/demo. */
const GEODATA = new URL('../../../geodata/musi-rawas/', import.meta.url);

/** What a map shows under layers drawn from OpenStreetMap data (its licence asks for it). */
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors (ODbL)';

type Position = [number, number];
interface Feature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
}
export interface DemoFeatureCollection {
  type: 'FeatureCollection';
  /** a GeoJSON foreign member: who the map must credit for these shapes */
  attribution?: string;
  features: Feature[];
}

function readGeo(file: string): DemoFeatureCollection {
  return JSON.parse(readFileSync(new URL(file, GEODATA), 'utf8')) as DemoFeatureCollection;
}

/** The regency's outline (OpenStreetMap relation 10004782). */
export function regencyOutline(): DemoFeatureCollection {
  return { ...readGeo('regency.geojson'), attribution: OSM_ATTRIBUTION };
}

/** The 14 kecamatan (OpenStreetMap), each with its Kemendagri `code` and `name`. */
export function kecamatanPolygons(): DemoFeatureCollection {
  return { ...readGeo('kecamatan.geojson'), attribution: OSM_ATTRIBUTION };
}

/** The Musi main stem (Natural Earth 1:10m, clipped to the regency). */
export function musiLine(): DemoFeatureCollection {
  return { ...readGeo('rivers.geojson'), attribution: 'Natural Earth' };
}

/**
 * A spot inside each kecamatan, by Kemendagri code [longitude, latitude]: where its
 * puskesmas and school stand and where vehicles drive to. Chosen inside the
 * polygon, away from its borders; not the position of the kecamatan's town.
 */
export const KECAMATAN_CENTRES: Record<string, Position> = {
  '16.05.10': [102.8, -3.03], // STL Ulu Terawas
  '16.05.11': [102.675, -3.115], // Selangit
  '16.05.19': [102.959, -3.082], // Sumber Harta
  '16.05.13': [102.986, -3.1], // Purwodadi
  '16.05.01': [102.965, -3.168], // Tugumulyo
  '16.05.09': [103.033, -3.235], // Muara Beliti (the capital)
  '16.05.21': [103.179, -3.236], // Suka Karya
  '16.05.08': [103.197, -3.364], // Jayaloka
  '16.05.18': [103.088, -3.406], // Tiang Pumpung Kepungut
  '16.05.12': [102.987, -2.945], // Megang Sakti
  '16.05.20': [103.1, -3.15], // Tuah Negeri
  '16.05.03': [103.246, -3.073], // Muara Kelingi
  '16.05.14': [103.265, -3.44], // BTS Ulu
  '16.05.02': [103.257, -2.88], // Muara Lakitan
};

/**
 * The Musi's tributaries as hand-drawn polylines [lon, lat]: their courses are
 * APPROXIMATE (no open data of them was at hand), each ending on the river it
 * joins. The map's layer of them says so.
 */
export const TRIBUTARIES: { name: string; path: Position[] }[] = [
  { name: 'Sungai Kelingi', path: [[102.93, -3.2], [102.965, -3.185], [103.0, -3.17], [103.05, -3.155], [103.1, -3.12], [103.16, -3.095], [103.2227, -3.0771]] },
  { name: 'Sungai Beliti', path: [[102.985, -3.33], [103.0, -3.28], [103.033, -3.245], [103.06, -3.2], [103.05, -3.155]] },
  { name: 'Sungai Lakitan', path: [[103.125, -2.8], [103.16, -2.83], [103.23, -2.86], [103.2971, -2.9]] },
];

/** The Musi's own vertices, for a gauge or bridge that stands on it. */
export function onMusi(i: number): Position {
  const line = musiLine().features[0]!.geometry.coordinates as Position[];
  return line[i]!;
}

export function onTributary(river: string, i: number): Position {
  return TRIBUTARIES.find((r) => r.name === river)!.path[i]!;
}

/** Forest and land fire hotspots of a dry season, hand-placed (peat areas of Megang Sakti, Muara Kelingi and Muara Lakitan). */
export const HOTSPOTS: { lon: number; lat: number; confidence: number }[] = [
  { lon: 103.02, lat: -2.92, confidence: 82 },
  { lon: 103.05, lat: -2.96, confidence: 64 },
  { lon: 103.3, lat: -3.02, confidence: 91 },
  { lon: 103.33, lat: -3.06, confidence: 55 },
  { lon: 103.35, lat: -2.9, confidence: 70 },
  { lon: 103.45, lat: -3.1, confidence: 77 },
];

export function tributaryLines(): DemoFeatureCollection {
  return {
    type: 'FeatureCollection',
    features: TRIBUTARIES.map((r) => ({ type: 'Feature', properties: { name: r.name, approximate: true }, geometry: { type: 'LineString', coordinates: r.path } })),
  };
}

export function hotspotPoints(): DemoFeatureCollection {
  return {
    type: 'FeatureCollection',
    features: HOTSPOTS.map((h) => ({ type: 'Feature', properties: { confidence: h.confidence, approximate: true }, geometry: { type: 'Point', coordinates: [h.lon, h.lat] } })),
  };
}
