import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Database } from '../db/index.ts';

/** Below this much free space where DATA_DIR lies, health says the disk is full: SQLite and uploads are about to fail. */
const MIN_FREE_DISK_BYTES = 64 * 1024 * 1024;

const Health = Type.Object({
  status: Type.String({ description: 'ok, or error when the database does not answer or the disk is (nearly) full' }),
  version: Type.String(),
  database: Type.String(),
  mqttPort: Type.Union([Type.Number(), Type.Null()]),
  uptimeSeconds: Type.Number(),
  disk: Type.String({ description: 'ok, or full: less than 64 MB free where DATA_DIR is (writes will start to fail)' }),
  diskFreeBytes: Type.Union([Type.Number(), Type.Null()]),
});

/** GET /api/v1/health: liveness and readiness, without auth. */
export function healthRoute(
  app: FastifyInstance,
  { version, database, mqttPort, dataDir, diskFree: givenDiskFree }: { version: string; database: Database; mqttPort: number | null; dataDir: string; diskFree?: (() => Promise<number>) | undefined },
): void {
  const diskFree = givenDiskFree ?? (async () => {
    const stats = await fs.promises.statfs(dataDir);
    return stats.bavail * stats.bsize;
  });
  app.get(
    '/api/v1/health',
    { schema: { tags: ['health'], summary: 'Liveness and readiness, without auth: the database answers and the disk has room', security: [], response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      let ok = true;
      try {
        await sql`SELECT 1`.execute(database.db);
      } catch {
        ok = false;
      }
      const free = await diskFree().catch(() => null);
      const full = free !== null && free < MIN_FREE_DISK_BYTES;
      return reply.code(ok && !full ? 200 : 503).send({ status: ok && !full ? 'ok' : 'error', version, database: database.dialect, mqttPort, uptimeSeconds: Math.round(process.uptime()), disk: full ? 'full' : 'ok', diskFreeBytes: free });
    },
  );
}
