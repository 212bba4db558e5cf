import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Files under /assets/ carry a hash of their content in their name: a new build gives new names. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The pages name the current assets: a browser keeps them but asks each time whether they changed (ETag → 304). */
export const REVALIDATE = 'no-cache';

const WEB_ROOT = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/**
 * The Content-Security-Policy sources ('sha256-…') of the inline scripts of the built pages
 * (index.html asks for the first screen's data before the app's scripts arrive). Read once at
 * start: a page rebuilt while the server runs loses its inline script to the policy, and the
 * app then asks for that data itself, a little later.
 */
export function inlineScriptSources(root = WEB_ROOT): string[] {
  if (!fs.existsSync(root)) return [];
  const sources = new Set<string>();
  for (const page of fs.readdirSync(root).filter((name) => name.endsWith('.html'))) {
    const text = fs.readFileSync(path.join(root, page), 'utf8');
    for (const [, attributes, body] of text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
      if (/\bsrc=/.test(attributes!) || body!.trim() === '') continue;
      sources.add(`'sha256-${createHash('sha256').update(body!, 'utf8').digest('base64')}'`);
    }
  }
  return [...sources];
}

/**
 * The web app, built by `npm start` into web/dist; any other path that is not the API gets its page.
 * The build writes a Brotli and a gzip copy beside each text file (scripts/build-web.mjs): the one
 * the browser accepts is sent as it is (preCompressed), with `Vary: Accept-Encoding`.
 */
export async function serveWebApp(app: FastifyInstance): Promise<void> {
  const webRoot = WEB_ROOT;
  if (fs.existsSync(webRoot)) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      preCompressed: true,
      setHeaders: (res, file) => res.header('cache-control', file.includes('/assets/') ? IMMUTABLE : REVALIDATE),
    });
    // The public reporting page (no account): its own small entry, web/lapor.html.
    app.get('/lapor', { schema: { hide: true } }, (_request, reply) => reply.sendFile('lapor.html'));
  } else {
    app.get('/', { schema: { hide: true } }, (_request, reply) => reply.type('text/plain').send('Cerdas API: see /api/docs. The web app is built by `npm start`.'));
  }
}
