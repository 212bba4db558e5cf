import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The web app, built by `npm start` into web/dist; any other path that is not the API gets its page. */
export async function serveWebApp(app: FastifyInstance): Promise<void> {
  const webRoot = fileURLToPath(new URL('../../../web/dist', import.meta.url));
  if (fs.existsSync(webRoot)) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      // Hashed asset names may be cached for good; the page itself is checked every time.
      setHeaders: (res, file) => res.header('cache-control', file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
    // The public reporting page (no account): its own small entry, web/lapor.html.
    app.get('/lapor', { schema: { hide: true } }, (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('lapor.html'));
  } else {
    app.get('/', { schema: { hide: true } }, (_request, reply) => reply.type('text/plain').send('Cerdas API: see /api/docs. The web app is built by `npm start`.'));
  }
}
