import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * SQLite only: telemetry points are first appended to `telemetry_inbox`, in
 * arrival order, and moved into `telemetry` (ordered by series and time) a batch
 * of many messages at a time. Written straight into `telemetry`, every point
 * dirtied a page of its own series (1,000 devices: a page a point, some 3 MB
 * of WAL to fsync per batch of 300 messages); appended, a batch fills a few
 * pages, and a move writes each series' page once for all the points it brings.
 * Readers of `telemetry` move what is waiting first (TelemetryBulk.settle), so
 * no query sees the difference. PostgreSQL writes `telemetry` directly.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== 'sqlite') return;
  await db.schema
    .createTable('telemetry_inbox')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('series_id', 'bigint', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('num', 'double precision')
    .addColumn('str', 'text')
    .addColumn('bool', 'integer')
    .addColumn('json', 'text')
    .execute();
}
