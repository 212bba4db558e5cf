/**
 * What a browser receives: the web app's files precompressed by the build (Brotli or gzip as
 * the browser accepts), fingerprinted files cached for good and pages revalidated, JSON answers
 * above the threshold compressed on the fly, small answers and photos left as they are; every
 * compressed answer decodes to the very bytes sent uncompressed. The answers are read raw
 * (node:http, no automatic decoding), so the encodings are what the server really sent.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { COMPRESS_THRESHOLD } from '../src/platform/http/compression.ts';
import { IMMUTABLE, REVALIDATE } from '../src/platform/http/web.ts';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { ROOT } from './process.ts';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** the bytes on the wire, still encoded */
  wire: Buffer;
  /** the body after undoing Content-Encoding */
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const wire = Buffer.concat(chunks);
          const encoding = res.headers['content-encoding'];
          const body = wire.length === 0 ? wire : encoding === 'br' ? zlib.brotliDecompressSync(wire) : encoding === 'gzip' ? zlib.gunzipSync(wire) : wire;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, wire, body });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const varies = (r: Raw) => String(r.headers.vary ?? '').toLowerCase().split(/\s*,\s*/).includes('accept-encoding');
const dist = path.join(ROOT, 'web', 'dist');

const [sqlite] = await dialects();
describe('Compression and caching of what the browser receives', () => {
  let s: TestServer;
  let token: string;
  let script: string;
  before(async () => {
    assert.ok(fs.existsSync(path.join(dist, 'index.html')), 'web/dist is built (npm test builds it first)');
    s = await startServer(sqlite!);
    token = await s.login();
    // The command center's bundle: named in index.html, with the build's .br and .gz beside it.
    script = /src="(\/assets\/index-[^"]+\.js)"/.exec(fs.readFileSync(path.join(dist, 'index.html'), 'utf8'))![1]!;
  });
  after(() => s.close());

  test('a fingerprinted script: Brotli or gzip as accepted, the same bytes as the file, cached for a year', async () => {
    const file = fs.readFileSync(path.join(dist, script));
    const br = await get(s.url + script, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(String(br.headers['content-type']), /javascript/);
    assert.equal(br.headers['cache-control'], IMMUTABLE);
    assert.ok(varies(br), `Vary names Accept-Encoding: ${br.headers.vary}`);
    assert.ok(br.body.equals(file), 'decodes to the built file');
    assert.ok(br.wire.length < file.length / 2.5, `Brotli sends ${br.wire.length} of ${file.length} bytes`);
    assert.equal(Number(br.headers['content-length']), br.wire.length);

    const gz = await get(s.url + script, { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(gz.body.equals(file));
    assert.ok(gz.wire.length > br.wire.length, 'Brotli is the smaller of the two');
    assert.equal(gz.headers['cache-control'], IMMUTABLE);

    // No Accept-Encoding (or only identity): the file as it is, still marked as varying.
    for (const headers of [{}, { 'accept-encoding': 'identity' }] as Record<string, string>[]) {
      const plain = await get(s.url + script, headers);
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.ok(plain.wire.equals(file));
      assert.ok(varies(plain));
    }
    // A browser that refuses Brotli explicitly gets gzip.
    assert.equal((await get(s.url + script, { 'accept-encoding': 'br;q=0, gzip' })).headers['content-encoding'], 'gzip');
  });

  test('the pages: compressed, revalidated every time (ETag, 304), never cached as immutable', async () => {
    for (const [url, file] of [['/', 'index.html'], ['/lapor', 'lapor.html']] as const) {
      const page = await get(s.url + url, { 'accept-encoding': 'br, gzip' });
      assert.equal(page.status, 200, url);
      assert.equal(page.headers['content-encoding'], 'br', url);
      assert.equal(page.headers['cache-control'], REVALIDATE, url);
      assert.match(String(page.headers['content-type']), /text\/html/);
      assert.ok(page.body.equals(fs.readFileSync(path.join(dist, file))), `${url} decodes to ${file}`);
      const etag = page.headers.etag;
      assert.ok(etag, `${url} has an ETag`);
      const again = await get(s.url + url, { 'accept-encoding': 'br, gzip', 'if-none-match': etag });
      assert.equal(again.status, 304, `${url} revalidates to 304`);
      assert.equal(again.wire.length, 0);
    }
  });

  test('a JSON answer above the threshold: compressed on the fly, decoding to the uncompressed answer', async () => {
    for (let i = 0; i < 12; i++) {
      const res = await s.api('POST', '/api/v1/assets', { token, body: { type: 'river_gauge', name: `Pos duga air Sungai Kelingi ${i}`, geometry: { type: 'Point', coordinates: [103.0 + i / 100, -3.2] } } });
      assert.equal(res.status, 201);
    }
    const auth = { authorization: `Bearer ${token}` };
    const plain = await get(`${s.url}/api/v1/assets?limit=50`, auth);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(plain.wire.length > COMPRESS_THRESHOLD, `the list is ${plain.wire.length} bytes`);
    assert.equal(JSON.parse(plain.body.toString()).items.length, 12);
    for (const encoding of ['br', 'gzip']) {
      const packed = await get(`${s.url}/api/v1/assets?limit=50`, { ...auth, 'accept-encoding': encoding });
      assert.equal(packed.status, 200);
      assert.equal(packed.headers['content-encoding'], encoding);
      assert.match(String(packed.headers['content-type']), /application\/json/);
      assert.ok(varies(packed), `${encoding}: Vary names Accept-Encoding`);
      assert.ok(packed.wire.length < plain.wire.length / 3, `${encoding}: ${packed.wire.length} of ${plain.wire.length} bytes`);
      assert.ok(packed.body.equals(plain.wire), `${encoding}: decodes to the same answer`);
    }
    // The client opting out (x-no-compression) gets it as it is.
    assert.equal((await get(`${s.url}/api/v1/assets?limit=50`, { ...auth, 'accept-encoding': 'br', 'x-no-compression': '1' })).headers['content-encoding'], undefined);
  });

  test('small answers, errors and photos go as they are', async () => {
    const health = await get(`${s.url}/api/v1/health`, { 'accept-encoding': 'br, gzip' });
    assert.equal(health.status, 200);
    assert.ok(health.wire.length < COMPRESS_THRESHOLD);
    assert.equal(health.headers['content-encoding'], undefined);
    assert.equal(JSON.parse(health.wire.toString()).status, 'ok');

    const refused = await get(`${s.url}/api/v1/assets`, { 'accept-encoding': 'br, gzip' });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers['content-encoding'], undefined);
    assert.ok(JSON.parse(refused.wire.toString()).error.code);

    // A JPEG is compressed already: zlib would only cost time.
    const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 30, g: 120, b: 200 } } }).jpeg().toBuffer();
    const fd = new FormData();
    fd.append('photo', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'foto.jpg');
    const uploaded = await fetch(`${s.url}/api/v1/photos`, { method: 'POST', body: fd });
    assert.equal(uploaded.status, 201);
    const { id } = (await uploaded.json()) as { id: string };
    const photo = await get(`${s.url}/api/v1/photos/${id}`, { 'accept-encoding': 'br, gzip' });
    assert.equal(photo.status, 200);
    assert.equal(photo.headers['content-type'], 'image/jpeg');
    assert.equal(photo.headers['content-encoding'], undefined);
    assert.ok(photo.wire.length > COMPRESS_THRESHOLD);
    assert.deepEqual([...photo.wire.subarray(0, 2)], [0xff, 0xd8], 'the JPEG itself');
  });

  test('the live stream opens as before when the browser offers compression', async () => {
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`${s.url.replace(/^http/, 'ws')}/api/v1/stream`, ['cerdas.v1', `cerdas.bearer.${token}`], { headers: { 'accept-encoding': 'gzip, deflate, br' }, perMessageDeflate: false });
    const opened = await new Promise<number>((resolve, reject) => {
      let status = 0;
      ws.once('upgrade', (res) => (status = res.statusCode ?? 0));
      ws.once('open', () => resolve(status));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused: ${res.statusCode} ${res.headers['content-encoding'] ?? ''}`)));
      ws.once('error', reject);
    });
    assert.equal(opened, 101);
    assert.equal(ws.protocol, 'cerdas.v1');
    ws.close();
  });
});
