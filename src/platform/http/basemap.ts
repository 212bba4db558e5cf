/**
 * The regency's offline base map: one PMTiles archive (BASEMAP_PMTILES) served by
 * the platform itself. A PMTiles reader asks for byte ranges of the one file (its
 * header, directories, then each tile), so this route answers HTTP range requests:
 * 206 with the bytes asked for, 416 for a range outside the file.
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { FileResponse } from '../../core/http-schemas.ts';

/** Where the web app finds the base map, when one is installed. */
export const BASEMAP_PATH = '/basemap.pmtiles';
const MEDIA_TYPE = 'application/vnd.pmtiles';

/** A single byte range within a file of `size` bytes, both ends inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The one range of a `Range` header, clipped to the file (RFC 9110 §14):
 * null when the header asks for nothing the file has (416), 'whole' when there
 * is no header. Several ranges at once are refused (null): a PMTiles reader never
 * asks for them, and answering them would mean a multipart body for nothing.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'whole' | null {
  if (header === undefined) return 'whole';
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  const [, from, to] = match;
  if (from === '') {
    // bytes=-N: the last N bytes
    const suffix = Number(to);
    if (!Number.isSafeInteger(suffix) || suffix === 0 || size === 0) return null;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start >= size || end < start) return null;
  return { start, end };
}

/** GET (and HEAD) /basemap.pmtiles: the installed archive, or 404 without one. */
export function basemapRoute(app: FastifyInstance, file: string | undefined): void {
  const errors = { 404: Type.Ref('Error'), 416: Type.Ref('Error') };
  app.get(
    BASEMAP_PATH,
    {
      schema: {
        tags: ['region'],
        summary: 'The offline base map (a PMTiles archive set by BASEMAP_PMTILES), by byte ranges',
        description: 'Send `Range: bytes=start-end` (one range); 206 answers those bytes, 416 a range beyond the file (`Content-Range: bytes */size`). Without a base map installed, 404.',
        security: [],
        response: {
          200: FileResponse('the whole archive', [MEDIA_TYPE]),
          206: FileResponse('the bytes asked for', [MEDIA_TYPE]),
          304: Type.Null({ description: 'not modified (If-None-Match)' }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const stat = file ? await fs.promises.stat(file).catch(() => null) : null;
      if (!file || !stat?.isFile()) throw new AppError('BASEMAP_NOT_FOUND', 'no offline base map is installed (BASEMAP_PMTILES)');
      const etag = `"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"`;
      reply
        .header('accept-ranges', 'bytes')
        .header('etag', etag)
        .header('last-modified', stat.mtime.toUTCString())
        // Tiles may be kept a day; a replaced file has a new ETag, which the reader notices and reloads for.
        .header('cache-control', 'public, max-age=86400')
        .header('x-content-type-options', 'nosniff');
      const rangeHeader = request.headers.range;
      // If-Range with another version: the client's earlier bytes are stale, so it gets the whole new file.
      const ifRange = request.headers['if-range'];
      const range = parseRange(ifRange !== undefined && ifRange !== etag ? undefined : rangeHeader, stat.size);
      if (range === null) {
        // The size in Content-Range lets a reader of a small archive ask again within it.
        reply.header('content-range', `bytes */${stat.size}`);
        throw new AppError('RANGE_NOT_SATISFIABLE', `ask for one range within the file's ${stat.size} bytes, e.g. Range: bytes=0-16383`);
      }
      reply.type(MEDIA_TYPE);
      if (range === 'whole') {
        if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
        reply.header('content-length', stat.size);
        return reply.send(fs.createReadStream(file));
      }
      reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${stat.size}`).header('content-length', range.end - range.start + 1);
      return reply.send(fs.createReadStream(file, { start: range.start, end: range.end }));
    },
  );
}
