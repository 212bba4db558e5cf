import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Files under /assets/ carry a hash of their content in their name: a new build gives new names. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The pages name the current assets: a browser keeps them but asks each time whether they changed (ETag → 304). */
export const REVALIDATE = 'no-cache';

/**
 * The web app, built by `npm start` into web/dist; any other path that is not the API gets its page.
 * The build writes a Brotli and a gzip copy beside each text file (scripts/build-web.mjs): the one
 * the browser accepts is sent as it is (preCompressed), with `Vary: Accept-Encoding`.
 */
export async function serveWebApp(app: FastifyInstance): Promise<void> {
  const webRoot = fileURLToPath(new URL('../../../web/dist', import.meta.url));
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
