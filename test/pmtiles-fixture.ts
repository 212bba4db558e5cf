/**
 * A tiny PMTiles v3 archive made in the test, standing in for the extract a regency
 * cuts with `pmtiles extract`: the regency's outline as the `earth` layer and its
 * kecamatan borders as `boundaries` (the Protomaps basemap's layer names, so the
 * web's flavour paints them), MVT tiles for zoom 0 to `maxZoom`, uncompressed.
 * Spec: https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md
 */
import type { FeatureCollection, LineString, Polygon, Position } from 'geojson';
import GeoJSONVT from 'geojson-vt';
import { zxyToTileId } from 'pmtiles';
import { fromGeojsonVt } from 'vt-pbf';
import { kecamatanPolygons, regencyOutline } from '../src/modules/demo/index.ts';

const HEADER_BYTES = 127;

/** Unsigned LEB128, as PMTiles directories write every number. */
function varint(n: number, out: number[]): void {
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}

interface Entry {
  tileId: number;
  offset: number;
  length: number;
}

/** A directory: counts, then tile id deltas, run lengths (1 each), lengths, offsets (0 = right after the previous). */
function directory(entries: Entry[]): Buffer {
  const out: number[] = [];
  varint(entries.length, out);
  let last = 0;
  for (const e of entries) {
    varint(e.tileId - last, out);
    last = e.tileId;
  }
  for (let i = 0; i < entries.length; i++) varint(1, out);
  for (const e of entries) varint(e.length, out);
  entries.forEach((e, i) => {
    const prev = entries[i - 1];
    varint(prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1, out);
  });
  return Buffer.from(out);
}

const lonToX = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const latToY = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};

export interface Fixture {
  bytes: Buffer;
  /** how many tiles it holds */
  tiles: number;
  maxZoom: number;
}

/** The archive's bytes: header, root directory, metadata JSON, then the tiles in tile id order. */
export function buildPmtiles(maxZoom = 10): Fixture {
  const outline: FeatureCollection<Polygon> = {
    type: 'FeatureCollection',
    features: regencyOutline().features.map((f) => ({ type: 'Feature', properties: { kind: 'earth' }, geometry: { type: 'Polygon', coordinates: f.geometry.coordinates as Position[][] } })),
  };
  const borders: FeatureCollection<LineString> = {
    type: 'FeatureCollection',
    features: kecamatanPolygons().features.map((f) => ({ type: 'Feature', properties: { kind: 'region', kind_detail: '6', admin_level: 6 }, geometry: { type: 'LineString', coordinates: (f.geometry.coordinates as Position[][])[0]! } })),
  };
  const earth = new GeoJSONVT(outline, { maxZoom, indexMaxZoom: maxZoom, tolerance: 1 });
  const boundaries = new GeoJSONVT(borders, { maxZoom, indexMaxZoom: maxZoom, tolerance: 1 });
  const bbox = { west: 102.483, south: -3.598, east: 103.644, north: -2.753 };

  const tiles: { tileId: number; data: Buffer }[] = [];
  for (let z = 0; z <= maxZoom; z++) {
    for (let x = lonToX(bbox.west, z); x <= lonToX(bbox.east, z); x++) {
      for (let y = latToY(bbox.north, z); y <= latToY(bbox.south, z); y++) {
        const layers: Record<string, { features: unknown[] }> = {};
        const e = earth.getTile(z, x, y);
        const b = boundaries.getTile(z, x, y);
        if (e?.features.length) layers.earth = e;
        if (b?.features.length) layers.boundaries = b;
        if (Object.keys(layers).length === 0) continue;
        tiles.push({ tileId: zxyToTileId(z, x, y), data: Buffer.from(fromGeojsonVt(layers, { version: 2, extent: 4096 })) });
      }
    }
  }
  tiles.sort((a, b) => a.tileId - b.tileId);
  const entries: Entry[] = [];
  let offset = 0;
  for (const t of tiles) {
    entries.push({ tileId: t.tileId, offset, length: t.data.length });
    offset += t.data.length;
  }
  const root = directory(entries);
  const metadata = Buffer.from(
    JSON.stringify({
      name: 'Musi Rawas (test extract)',
      attribution: '© OpenStreetMap contributors',
      vector_layers: [
        { id: 'earth', fields: { kind: 'String' } },
        { id: 'boundaries', fields: { kind: 'String', kind_detail: 'String', admin_level: 'Number' } },
      ],
    }),
  );
  const tileData = Buffer.concat(tiles.map((t) => t.data));

  const header = Buffer.alloc(HEADER_BYTES);
  header.write('PMTiles', 0, 'latin1');
  header.writeUInt8(3, 7);
  const rootOffset = HEADER_BYTES;
  const metaOffset = rootOffset + root.length;
  const dataOffset = metaOffset + metadata.length;
  const u64 = (value: number, at: number) => header.writeBigUInt64LE(BigInt(value), at);
  u64(rootOffset, 8);
  u64(root.length, 16);
  u64(metaOffset, 24);
  u64(metadata.length, 32);
  u64(dataOffset, 40); // no leaf directories: their offset points past the metadata, length 0
  u64(0, 48);
  u64(dataOffset, 56);
  u64(tileData.length, 64);
  u64(tiles.length, 72); // addressed tiles
  u64(tiles.length, 80); // tile entries
  u64(tiles.length, 88); // tile contents
  header.writeUInt8(1, 96); // clustered
  header.writeUInt8(1, 97); // internal compression: none
  header.writeUInt8(1, 98); // tile compression: none
  header.writeUInt8(1, 99); // tile type: MVT
  header.writeUInt8(0, 100);
  header.writeUInt8(maxZoom, 101);
  const e7 = (deg: number, at: number) => header.writeInt32LE(Math.round(deg * 1e7), at);
  e7(bbox.west, 102);
  e7(bbox.south, 106);
  e7(bbox.east, 110);
  e7(bbox.north, 114);
  header.writeUInt8(9, 118);
  e7((bbox.west + bbox.east) / 2, 119);
  e7((bbox.south + bbox.north) / 2, 123);
  return { bytes: Buffer.concat([header, root, metadata, tileData]), tiles: tiles.length, maxZoom };
}
