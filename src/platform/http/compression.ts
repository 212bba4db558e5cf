import zlib from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/**
 * Answers smaller than this (bytes) go as they are: a token, an ack, a short
 * error gain a few dozen bytes from gzip and cost a zlib call each.
 */
export const COMPRESS_THRESHOLD = 1024;

/**
 * What is compressed on the fly: JSON (and GeoJSON, JSON-LD), text (CSV, the
 * ack pages, Open311's XML), never a server-sent event stream. Whatever else
 * the registry of media types does not call compressible stays as it is:
 * photos, PDF and Office documents are compressed already, and octet-stream
 * (a PMTiles extract, a backup) is read by byte ranges.
 */
const COMPRESSIBLE = /^text\/(?!event-stream)|[+/]json(?:;|$)|[+/]xml(?:;|$)|^application\/javascript(?:;|$)|^image\/svg\+xml(?:;|$)/u;

/**
 * Brotli (preferred) or gzip for every answer above COMPRESS_THRESHOLD whose
 * type is in COMPRESSIBLE, chosen by the request's Accept-Encoding (with
 * `Vary: Accept-Encoding`). Registered before every route: the plugin attaches
 * to each route as it is added. Its hook runs after the app's own onSend hooks
 * (route hooks come last), so the OpenAPI response check of the tests sees
 * the body before it is compressed. Files that the web build compressed
 * already (@fastify/static's preCompressed) carry their Content-Encoding and
 * are passed through. The WebSocket stream is an upgrade, which never reaches
 * onSend. Request bodies are not decompressed: no device or form sends them
 * so, and a compressed upload would slip past the size limits that count
 * bytes received.
 */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(fastifyCompress, {
    global: true,
    globalDecompression: false,
    encodings: ['br', 'gzip'],
    threshold: COMPRESS_THRESHOLD,
    customTypes: COMPRESSIBLE,
    // Quality 4 is the plugin's default and Brotli's sweet spot for answers made per request:
    // smaller than gzip -6 and about as fast; the static files are compressed at 11 at build time.
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
  });
}
