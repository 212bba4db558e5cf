import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { seriesKey, type Database, type PointRow, type TelemetryBulk } from './database.ts';
import { migrateToLatest } from './migrations/index.ts';
import { withStatementCache } from './sqlite-statements.ts';
import type { Schema } from './schema.ts';

/**
 * The embedded database: one file in DATA_DIR, WAL journal, and a full fsync at
 * every commit so that an acknowledged write survives a crash or power loss.
 */
export async function openSqlite(dataDir: string, file = 'cerdas.sqlite'): Promise<Database> {
  fs.mkdirSync(dataDir, { recursive: true });
  const raw = new BetterSqlite3(path.join(dataDir, file));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('cache_size = -65536');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  await migrateToLatest(db, 'sqlite');
  return {
    dialect: 'sqlite',
    db,
    bulk: sqliteBulk(raw, db),
    async close() {
      await db.destroy();
    },
  };
}

function sqliteBulk(raw: BetterSqlite3.Database, db: Kysely<Schema>): TelemetryBulk {
  const insertSeries = raw.prepare(
    'INSERT INTO telemetry_series (region_id, device_id, key) VALUES (?, ?, ?) ON CONFLICT (device_id, key) DO NOTHING',
  );
  const selectSeries = raw.prepare('SELECT id FROM telemetry_series WHERE device_id = ? AND key = ?');
  const insertPoint = raw.prepare(
    `INSERT INTO telemetry (series_id, ts, num, str, bool, json) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (series_id, ts) DO UPDATE SET num = excluded.num, str = excluded.str, bool = excluded.bool, json = excluded.json`,
  );
  const moveLatest = raw.prepare(
    `UPDATE telemetry_series SET latest_ts = ?, latest_num = ?, latest_str = ?, latest_bool = ?, latest_json = ?
     WHERE id = ? AND (latest_ts IS NULL OR latest_ts <= ?)`,
  );
  const markActivity = raw.prepare(
    'UPDATE devices SET last_activity_at = ? WHERE id = ? AND (last_activity_at IS NULL OR last_activity_at < ?)',
  );

  // Kysely holds SQLite's single connection behind a mutex; taking it keeps these
  // raw statements out of any Kysely transaction that is open at the same time.
  const exclusive = <T>(work: () => T): Promise<T> => db.connection().execute(async () => work());

  const ensureTx = raw.transaction((items: { regionId: string; deviceId: string; key: string }[]) => {
    const ids = new Map<string, number>();
    for (const item of items) {
      insertSeries.run(item.regionId, item.deviceId, item.key);
      const row = selectSeries.get(item.deviceId, item.key) as { id: number };
      ids.set(seriesKey(item.deviceId, item.key), row.id);
    }
    return ids;
  });

  const writeTx = raw.transaction((points: PointRow[], activity: Map<string, number>) => {
    const newest = new Map<number, PointRow>();
    for (const p of points) {
      insertPoint.run(p.seriesId, p.ts, p.num, p.str, p.bool, p.json);
      const seen = newest.get(p.seriesId);
      if (seen === undefined || seen.ts <= p.ts) newest.set(p.seriesId, p);
    }
    for (const p of newest.values()) moveLatest.run(p.ts, p.num, p.str, p.bool, p.json, p.seriesId, p.ts);
    for (const [deviceId, at] of activity) markActivity.run(at, deviceId, at);
  });

  return {
    ensureSeries: (items) => exclusive(() => ensureTx(items)),
    writePoints: (points, activity) => exclusive(() => writeTx(points, activity)),
  };
}
