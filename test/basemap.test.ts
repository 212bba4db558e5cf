/**
 * The offline base map (BASEMAP_PMTILES): the archive served by byte ranges as a
 * PMTiles reader asks for them (206, 416, 404 without one), read back tile by tile
 * with the pmtiles library over real HTTP; the public base-map layers.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FetchSource, PMTiles, zxyToTileId } from 'pmtiles';
import { ConfigError, loadConfig } from '../src/config/config.ts';
import { parseRange } from '../src/platform/http/basemap.ts';
import { dialects, startServer, tempDir, type TestServer } from './helpers.ts';
import { buildPmtiles } from './pmtiles-fixture.ts';

// The route reads a file, not the database: one dialect is enough.
const sqlite = (await dialects()).find((d) => d.name === 'sqlite');
const fixture = buildPmtiles(8);
const dir = tempDir('basemap');
const file = path.join(dir, 'musi-rawas.pmtiles');
fs.writeFileSync(file, fixture.bytes);
const size = fixture.bytes.length;

describe('the Range header, read', () => {
  test('one range, clipped to the file; nothing the file has is null', () => {
    assert.equal(parseRange(undefined, 100), 'whole');
    assert.deepEqual(parseRange('bytes=0-9', 100), { start: 0, end: 9 });
    assert.deepEqual(parseRange('bytes=90-', 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=90-500', 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=-10', 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=-500', 100), { start: 0, end: 99 });
    for (const bad of ['bytes=100-', 'bytes=5-2', 'bytes=0-1,4-5', 'bytes=-0', 'bytes=-', 'items=0-1', 'bytes=a-b', 'bytes=99999999999999999999-']) assert.equal(parseRange(bad, 100), null, bad);
  });
});

describe('BASEMAP_PMTILES', () => {
  test('is checked at boot: a file that is not a PMTiles v3 archive stops the start, saying why', () => {
    const notArchive = path.join(dir, 'notes.txt');
    fs.writeFileSync(notArchive, 'hello, this is not a map');
    assert.throws(() => loadConfig({ BASEMAP_PMTILES: notArchive }), (e: unknown) => e instanceof ConfigError && /not a PMTiles archive/.test(e.message));
    assert.throws(() => loadConfig({ BASEMAP_PMTILES: path.join(dir, 'missing.pmtiles') }), (e: unknown) => e instanceof ConfigError && /cannot be read: ENOENT/.test(e.message));
    const v2 = Buffer.from(fixture.bytes);
    v2[7] = 2;
    fs.writeFileSync(path.join(dir, 'old.pmtiles'), v2);
    assert.throws(() => loadConfig({ BASEMAP_PMTILES: path.join(dir, 'old.pmtiles') }), /version 2/);
    assert.equal(loadConfig({ BASEMAP_PMTILES: file }).basemapPmtiles, file);
  });
});

describe('GET /basemap.pmtiles with a base map installed', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(sqlite!, { basemapPmtiles: file });
  });
  after(() => server.close());

  const get = (headers: Record<string, string> = {}) => fetch(`${server.url}/basemap.pmtiles`, { headers });

  test('answers a range with exactly those bytes (206), the size in Content-Range', async () => {
    const res = await get({ range: 'bytes=0-126' });
    assert.equal(res.status, 206);
    assert.equal(res.headers.get('content-range'), `bytes 0-126/${size}`);
    assert.equal(res.headers.get('content-type'), 'application/vnd.pmtiles');
    assert.equal(res.headers.get('accept-ranges'), 'bytes');
    const body = Buffer.from(await res.arrayBuffer());
    assert.deepEqual(body, fixture.bytes.subarray(0, 127));
    assert.equal(body.subarray(0, 7).toString('latin1'), 'PMTiles');

    // A reader's first request asks for 16 KiB; a smaller archive answers what it has.
    const first = await get({ range: 'bytes=0-16383' });
    assert.equal(first.status, 206);
    assert.equal(first.headers.get('content-range'), `bytes 0-${Math.min(16383, size - 1)}/${size}`);
    assert.equal((await first.arrayBuffer()).byteLength, Math.min(16384, size));

    const tail = await get({ range: 'bytes=-5' });
    assert.equal(tail.status, 206);
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), fixture.bytes.subarray(size - 5));
  });

  test('refuses a range beyond the file or several at once (416, Content-Range: bytes */size)', async () => {
    for (const range of [`bytes=${size}-`, `bytes=${size + 10}-${size + 20}`, 'bytes=0-1,5-6', 'bytes=9-3']) {
      const res = await get({ range });
      assert.equal(res.status, 416, range);
      assert.equal(res.headers.get('content-range'), `bytes */${size}`);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'RANGE_NOT_SATISFIABLE');
    }
  });

  test('sends the whole archive without a Range, and 304 to a reader that has it', async () => {
    const res = await get();
    assert.equal(res.status, 200);
    assert.equal(Number(res.headers.get('content-length')), size);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), fixture.bytes);
    const etag = res.headers.get('etag')!;
    assert.equal((await get({ 'if-none-match': etag })).status, 304);
    // A stale If-Range (the file was replaced since) gets the whole file, not bytes of another version.
    assert.equal((await get({ range: 'bytes=0-9', 'if-range': '"other"' })).status, 200);
    assert.equal((await get({ range: 'bytes=0-9', 'if-range': etag })).status, 206);
  });

  test('is read tile by tile by the pmtiles library over HTTP', async () => {
    const archive = new PMTiles(new FetchSource(`${server.url}/basemap.pmtiles`));
    const header = await archive.getHeader();
    assert.equal(header.maxZoom, 8);
    assert.equal(header.numAddressedTiles, fixture.tiles);
    const metadata = (await archive.getMetadata()) as { vector_layers: { id: string }[] };
    assert.deepEqual(metadata.vector_layers.map((l) => l.id), ['earth', 'boundaries']);
    // Muara Beliti at zoom 8 lies in tile 8/201/130; the middle of the ocean has no tile.
    const x = Math.floor(((103.03 + 180) / 360) * 256);
    const lat = (-3.23 * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * 256);
    const tile = await archive.getZxy(8, x, y);
    assert.ok(tile && tile.data.byteLength > 50, `tile 8/${x}/${y}`);
    assert.equal(await archive.getZxy(8, 0, 0), undefined);
    assert.ok(zxyToTileId(8, x, y) > 0);
  });

  test('is announced to the web: the public config and the region say where it is', async () => {
    const config = await server.api('GET', '/api/v1/public/config');
    assert.equal(config.body.basemapUrl, '/basemap.pmtiles');
    const token = await server.login();
    assert.equal((await server.api('GET', '/api/v1/region', { token })).body.basemapUrl, '/basemap.pmtiles');
  });

  test('a file removed while running is 404, not a crash', async () => {
    const moved = `${file}.away`;
    fs.renameSync(file, moved);
    try {
      const res = await get({ range: 'bytes=0-10' });
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'BASEMAP_NOT_FOUND');
    } finally {
      fs.renameSync(moved, file);
    }
  });
});

describe('without a base map', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(sqlite!);
  });
  after(() => server.close());

  test('GET /basemap.pmtiles is 404 and the web is told there is none', async () => {
    const res = await fetch(`${server.url}/basemap.pmtiles`, { headers: { range: 'bytes=0-16383' } });
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'BASEMAP_NOT_FOUND');
    assert.equal((await server.api('GET', '/api/v1/public/config')).body.basemapUrl, null);
  });

  test('the public base-map layers are the region’s base layers only, with their credit, and 304 when unchanged', async () => {
    const token = await server.login();
    const fc = (attribution?: string) => ({ type: 'FeatureCollection', ...(attribution && { attribution }), features: [{ type: 'Feature', properties: { name: 'X' }, geometry: { type: 'Point', coordinates: [103, -3.2] } }] });
    for (const [key, attribution] of [['kecamatan', '© OpenStreetMap contributors (ODbL)'], ['hotspots', undefined], ['rivers', 'Natural Earth']] as const) {
      const put = await server.api('PUT', `/api/v1/region/layers/${key}`, { token, body: { name: { id: key, en: key }, geojson: fc(attribution) } });
      assert.equal(put.status, 204);
    }
    const res = await fetch(`${server.url}/api/v1/public/layers`);
    assert.equal(res.status, 200);
    const layers = (await res.json()) as { key: string; geojson: { attribution?: string } }[];
    assert.deepEqual(layers.map((l) => l.key).sort(), ['kecamatan', 'rivers'], 'hotspots stay on the command center');
    assert.equal(layers.find((l) => l.key === 'kecamatan')!.geojson.attribution, '© OpenStreetMap contributors (ODbL)');
    const again = await fetch(`${server.url}/api/v1/public/layers`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    assert.equal(again.status, 304);
    // An attribution that is not text is refused with the layer.
    const bad = await server.api('PUT', '/api/v1/region/layers/rivers', { token, body: { name: { id: 'r', en: 'r' }, geojson: { ...fc(), attribution: ['<a>'] } } });
    assert.equal(bad.status, 400);
  });
});
