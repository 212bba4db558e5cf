/**
 * The worker thread that writes telemetry batches to SQLite (sqlite-telemetry.ts):
 * a connection of its own to the database file, the batch's statements, and
 * the WAL's fsync. better-sqlite3 runs every statement on the thread that calls
 * it; here, the event loop that reads MQTT and HTTP does not wait for them.
 */
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { PointRow } from './database.ts';
import { unpackPoints, type TelemetryAnswer, type TelemetryJob, type TelemetryThreadOptions } from './sqlite-telemetry.ts';

const { file, walFile } = workerData as TelemetryThreadOptions;
const raw = new BetterSqlite3(file);
// The database is in WAL mode already (the main connection set it). A batch's commit is not
// fsync'd (NORMAL): the WAL is fsync'd after it, below, before the batch is answered.
raw.pragma('synchronous = NORMAL');
raw.pragma('foreign_keys = ON');
raw.pragma('busy_timeout = 5000');
// Its own page cache, smaller than the main connection's: it only appends and updates the latest values.
raw.pragma('cache_size = -16384');

const insertSeries = raw.prepare('INSERT INTO telemetry_series (region_id, device_id, key) VALUES (?, ?, ?) ON CONFLICT (device_id, key) DO NOTHING');
const selectSeries = raw.prepare('SELECT id FROM telemetry_series WHERE device_id = ? AND key = ?');
const insertPoint = raw.prepare(
  `INSERT INTO telemetry (series_id, ts, num, str, bool, json) VALUES (?, ?, ?, ?, ?, ?)
   ON CONFLICT (series_id, ts) DO UPDATE SET num = excluded.num, str = excluded.str, bool = excluded.bool, json = excluded.json`,
);
const moveLatest = raw.prepare(
  `UPDATE telemetry_series SET latest_ts = ?, latest_num = ?, latest_str = ?, latest_bool = ?, latest_json = ?
   WHERE id = ? AND (latest_ts IS NULL OR latest_ts <= ?)`,
);
const markActivity = raw.prepare('UPDATE devices SET last_activity_at = ? WHERE id = ? AND (last_activity_at IS NULL OR last_activity_at < ?)');

const ensureTx = raw.transaction((items: { regionId: string; deviceId: string; key: string }[]) =>
  items.map((item): number => {
    insertSeries.run(item.regionId, item.deviceId, item.key);
    return (selectSeries.get(item.deviceId, item.key) as { id: number }).id;
  }),
);

// IMMEDIATE: the write lock is taken at BEGIN, so the batch never has to give up a read snapshot midway.
const writeTx = raw.transaction((points: PointRow[], activity: [string, number][]) => {
  const newest = new Map<number, PointRow>();
  for (const p of points) {
    insertPoint.run(p.seriesId, p.ts, p.num, p.str, p.bool, p.json);
    const seen = newest.get(p.seriesId);
    if (seen === undefined || seen.ts <= p.ts) newest.set(p.seriesId, p);
  }
  for (const p of newest.values()) moveLatest.run(p.ts, p.num, p.str, p.bool, p.json, p.seriesId, p.ts);
  for (const [deviceId, at] of activity) markActivity.run(at, deviceId, at);
}).immediate;

/**
 * The WAL made durable on this thread, right after the commit (the write lock
 * is already released: other writers go on meanwhile). Waiting for the thread
 * pool instead would add a hand-over to every batch, and on a busy machine each
 * hand-over waits for a time slice. The WAL stays open: SQLite keeps the same
 * file while a connection is open (this one), resetting it after a checkpoint
 * rather than replacing it.
 */
let walFd: number | null = null;
function syncWal(): void {
  walFd ??= fs.openSync(walFile, 'r+');
  try {
    fs.fdatasyncSync(walFd);
  } catch (error) {
    // Opened again next time.
    fs.closeSync(walFd);
    walFd = null;
    throw error;
  }
}

const answer = (message: TelemetryAnswer) => parentPort!.postMessage(message);
const failure = (id: number, error: unknown): TelemetryAnswer => ({ id, error: error instanceof Error ? error.message : String(error) });

parentPort!.on('message', (job: TelemetryJob) => {
  if (job.op === 'ensure') {
    try {
      answer({ id: job.id, ids: ensureTx(job.items) });
    } catch (error) {
      answer(failure(job.id, error));
    }
    return;
  }
  try {
    writeTx(unpackPoints(job.points), job.activity);
    syncWal();
    answer({ id: job.id });
  } catch (error) {
    answer(failure(job.id, error));
  }
});
