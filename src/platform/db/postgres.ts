import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { keepNewest, seriesKey, type Database, type PointRow, type TelemetryBulk } from './database.ts';
import { migrateToLatest } from './migrations/index.ts';
import type { Schema } from './schema.ts';

// BIGINT columns hold ms timestamps and ids well inside 2^53: read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** PostgreSQL, selected by DATABASE_URL. Fails fast with one line when it cannot connect. */
export async function openPostgres(url: string, poolSize = 10, onBackgroundError: (error: unknown) => void = () => {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    const where = new URL(url);
    throw new Error(`cannot connect to PostgreSQL at ${where.hostname}:${where.port || 5432}: ${(error as Error).message}`);
  }
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  // Kysely looks for its migration tables in every schema; name ours, so that
  // several installations (or test runs) can share one database in schemas of their own.
  const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
  await migrateToLatest(db, 'postgres', rows[0]?.schema ?? 'public');
  // Latest values a process that stopped without writing them left behind (see postgresBulk).
  await catchUpLatest(db);
  const bulk = postgresBulk(db, onBackgroundError);
  return {
    dialect: 'postgres',
    db,
    bulk,
    async close() {
      try {
        await bulk.close();
      } finally {
        await db.destroy();
      }
    },
  };
}

/**
 * The series' latest values are written this long after a batch brings them (or
 * before a read of them on this process, TelemetryBulk.settle), once for all the
 * batches of that while: written with every batch, they were an UPDATE of each
 * series' row a point, a quarter of PostgreSQL's work under MQTT ingest (1,000
 * devices, bench:ingest). Another instance sharing the database sees a latest
 * value at most this late; its points it sees at once.
 */
const LATEST_AFTER_MS = 1000;

/**
 * Sets each series' latest value to its newest stored point where the two differ:
 * what a process stopped before writing (a crash, a kill) is caught up when the
 * database is opened. One probe of the telemetry index a series.
 */
async function catchUpLatest(db: Kysely<Schema>): Promise<void> {
  await sql`
    UPDATE telemetry_series s SET latest_ts = t.ts, latest_num = t.num, latest_str = t.str, latest_bool = t.bool, latest_json = t.json
    FROM telemetry_series s2
    CROSS JOIN LATERAL (SELECT ts, num, str, bool, json FROM telemetry WHERE series_id = s2.id ORDER BY ts DESC LIMIT 1) AS t
    WHERE s.id = s2.id AND (s.latest_ts IS NULL OR s.latest_ts < t.ts
      OR (s.latest_ts = t.ts AND (s.latest_num IS DISTINCT FROM t.num OR s.latest_str IS DISTINCT FROM t.str
        OR s.latest_bool IS DISTINCT FROM t.bool OR s.latest_json IS DISTINCT FROM t.json)))`.execute(db);
}

/**
 * Points are written to `telemetry` directly, one statement a batch. Each
 * series' latest value is kept here, the newest of the points stored since the
 * last write of them, and written to telemetry_series after LATEST_AFTER_MS, or
 * first by a reader of latest values on this process (settle). An older value
 * never replaces a newer one, whichever process writes it. A process that dies
 * before writing them leaves its points stored; the next open catches the
 * latest values up (catchUpLatest).
 */
function postgresBulk(db: Kysely<Schema>, onBackgroundError: (error: unknown) => void): TelemetryBulk & { close: () => Promise<void> } {
  const pendingLatest = new Map<number, PointRow>();
  const noteLatest = (p: PointRow): void => keepNewest(pendingLatest, p);
  let writing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closing = false;

  const writeLatest = async (latest: PointRow[]): Promise<void> => {
    await sql`
      UPDATE telemetry_series s SET latest_ts = n.ts, latest_num = n.num, latest_str = n.str,
        latest_bool = n.bool, latest_json = n.json
      FROM unnest(${bigintArray(latest, 'seriesId')}::bigint[], ${bigintArray(latest, 'ts')}::bigint[],
        ${floatArray(latest)}::double precision[], ${textArray(latest, 'str')}::text[],
        ${intArray(latest)}::integer[], ${textArray(latest, 'json')}::text[]) AS n(id, ts, num, str, bool, json)
      WHERE s.id = n.id AND (s.latest_ts IS NULL OR s.latest_ts <= n.ts)`.execute(db);
  };
  /** Writes every latest value noted so far; one write at a time, a caller during one waits for the next. */
  const writeNoted = (): Promise<void> => {
    if (writing) return writing.catch(() => {}).then(writeNoted);
    if (pendingLatest.size === 0) return Promise.resolve();
    if (timer) clearTimeout(timer);
    timer = null;
    // In series order, so that two processes writing at once lock the rows in the same order.
    const latest = [...pendingLatest.values()].sort((a, b) => a.seriesId - b.seriesId);
    pendingLatest.clear();
    writing = writeLatest(latest)
      .catch((error: unknown) => {
        // Kept for the next write, unless a newer point came meanwhile.
        for (const p of latest) if (!pendingLatest.has(p.seriesId)) pendingLatest.set(p.seriesId, p);
        throw error;
      })
      .finally(() => {
        writing = null;
      });
    return writing;
  };
  const writeLater = (): void => {
    if (closing || timer) return;
    timer = setTimeout(() => {
      timer = null;
      writeNoted().catch((error: unknown) => {
        onBackgroundError(error);
        // Tried again after the usual wait, never at once: a failing database is not retried in a loop.
        writeLater();
      });
    }, LATEST_AFTER_MS);
    timer.unref();
  };

  return {
    settle: () => writeNoted(),
    async close() {
      closing = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await writeNoted();
    },
    async ensureSeries(items) {
      const ids = new Map<string, number>();
      if (items.length === 0) return ids;
      await sql`
        INSERT INTO telemetry_series (region_id, device_id, key)
        SELECT * FROM unnest(${items.map((i) => i.regionId)}::text[], ${items.map((i) => i.deviceId)}::text[], ${items.map((i) => i.key)}::text[])
        ON CONFLICT (device_id, key) DO NOTHING`.execute(db);
      const rows = await sql<{ id: number; device_id: string; key: string }>`
        SELECT s.id, s.device_id, s.key FROM telemetry_series s
        JOIN unnest(${items.map((i) => i.deviceId)}::text[], ${items.map((i) => i.key)}::text[]) AS w(device_id, key)
          ON s.device_id = w.device_id AND s.key = w.key`.execute(db);
      for (const row of rows.rows) ids.set(seriesKey(row.device_id, row.key), row.id);
      return ids;
    },

    async writePoints(points, activity) {
      const rows = inKeyOrder(points);
      // Sorted so that concurrent batches lock device rows in the same order.
      const devices = [...activity.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
      // One statement, so one round trip and one transaction of its own: BEGIN, two statements and COMMIT
      // were four round trips a batch, each waiting its turn on a busy PostgreSQL (MQTT, 1,000 devices with
      // one message in flight each, waits on those batches). Every data-modifying WITH runs to completion
      // whether or not the main query reads it.
      await sql`
        WITH points AS (
          INSERT INTO telemetry (series_id, ts, num, str, bool, json)
          SELECT * FROM unnest(${bigintArray(rows, 'seriesId')}::bigint[], ${bigintArray(rows, 'ts')}::bigint[],
            ${floatArray(rows)}::double precision[], ${textArray(rows, 'str')}::text[],
            ${intArray(rows)}::integer[], ${textArray(rows, 'json')}::text[])
          ON CONFLICT (series_id, ts) DO UPDATE
            SET num = excluded.num, str = excluded.str, bool = excluded.bool, json = excluded.json
        ), activity AS (
          UPDATE devices d SET last_activity_at = a.at
          FROM unnest(${devices.map(([id]) => id)}::text[], ${devices.map(([, at]) => at)}::bigint[]) AS a(id, at)
          WHERE d.id = a.id AND (d.last_activity_at IS NULL OR d.last_activity_at < a.at)
        )
        SELECT 1`.execute(db);
      // Noted once stored: a batch that failed gives no latest value.
      for (const p of rows) noteLatest(p);
      writeLater();
    },
  };
}

/**
 * The points in (series, ts) order, so that transactions running side by side
 * lock rows in the same order, with one point for each (series, ts): a point
 * repeated in one batch would make ON CONFLICT touch a row twice, which
 * PostgreSQL refuses. The last one given wins (the sort is stable).
 */
function inKeyOrder(points: PointRow[]): PointRow[] {
  const sorted = points.slice().sort((a, b) => a.seriesId - b.seriesId || a.ts - b.ts);
  const rows: PointRow[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const next = sorted[i + 1];
    const p = sorted[i]!;
    if (next === undefined || next.seriesId !== p.seriesId || next.ts !== p.ts) rows.push(p);
  }
  return rows;
}

// Array parameters written as PostgreSQL array literals here: pg's own conversion takes
// every element through its generic value preparation and escaping, and a batch of
// MQTT ingest carries thousands of them (a bench profile showed it among the server's
// largest costs). Numbers are written as JavaScript prints them, which PostgreSQL
// reads back exactly; a column with no value in the batch is sent as NULL, which
// unnest pads with NULLs.

function bigintArray(rows: PointRow[], column: 'seriesId' | 'ts'): string {
  const values = new Array<number>(rows.length);
  for (let i = 0; i < rows.length; i++) values[i] = rows[i]![column];
  return `{${values.join(',')}}`;
}

function floatArray(rows: PointRow[]): string | null {
  return nullableArray(rows, (p) => p.num);
}

function intArray(rows: PointRow[]): string | null {
  return nullableArray(rows, (p) => p.bool);
}

function textArray(rows: PointRow[], column: 'str' | 'json'): string | null {
  return nullableArray(rows, (p) => {
    const value = p[column];
    return value === null ? null : `"${value.replace(/[\\"]/g, '\\$&')}"`;
  });
}

/** Joined once (a string grown element by element is a chain of pieces to flatten); null when every element is. */
function nullableArray(rows: PointRow[], element: (row: PointRow) => string | number | null): string | null {
  const values = new Array<string | number>(rows.length);
  let any = false;
  for (let i = 0; i < rows.length; i++) {
    const value = element(rows[i]!);
    if (value === null) values[i] = 'NULL';
    else {
      values[i] = value;
      any = true;
    }
  }
  return any ? `{${values.join(',')}}` : null;
}
