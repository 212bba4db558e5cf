import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { keepNewest, seriesKey, type Database, type PointRow, type TelemetryBulk } from './database.ts';
import { migrateToLatest } from './migrations/index.ts';
import { withStatementCache } from './sqlite-statements.ts';
import type { Schema } from './schema.ts';

/**
 * The embedded database: one file in DATA_DIR, WAL journal, and a full fsync at
 * every commit so that an acknowledged write survives a crash or power loss.
 * Telemetry batches are the exception in how, not in whether: see sqliteBulk.
 */
export async function openSqlite(dataDir: string, file = 'cerdas.sqlite', onBackgroundError: (error: unknown) => void = () => {}): Promise<Database> {
  fs.mkdirSync(dataDir, { recursive: true });
  const raw = new BetterSqlite3(path.join(dataDir, file));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('cache_size = -65536');
  // The WAL is copied into the database (and both fsync'd, on the event loop, inside the commit that
  // passes the mark) every 10,000 pages (some 40 MB) rather than SQLite's 1,000: MQTT ingest touches a
  // page or two of its own per device and message, and a page written many times between two checkpoints
  // is copied once. A batch of 250 messages from 1,000 devices: 19.4–20.1 → 16.3–16.9 µs of CPU a
  // message in SQLite (statements, commit, fsync), and a tenth of the checkpoints.
  raw.pragma('wal_autocheckpoint = 10000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  await migrateToLatest(db, 'sqlite');
  const bulk = sqliteBulk(raw, db, `${path.join(dataDir, file)}-wal`, onBackgroundError);
  return {
    dialect: 'sqlite',
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
 * Makes the WAL durable, one fsync at a time: a commit made while one is under
 * way waits for the next, which every commit of that while shares. The WAL is
 * kept open between syncs (opening and closing it cost as much as the sync's
 * own call): SQLite keeps the same file while a connection of this process is
 * open, resetting it after a checkpoint rather than replacing it.
 */
function walSyncer(walFile: string): { sync: () => Promise<void>; close: () => Promise<void> } {
  let handle: Promise<fs.promises.FileHandle> | null = null;
  const syncFile = async (): Promise<void> => {
    handle ??= fs.promises.open(walFile, 'r+');
    const opened = handle;
    try {
      await (await opened).datasync();
    } catch (error) {
      // Opened again next time (the file may not have existed yet).
      if (handle === opened) handle = null;
      await opened.then((h) => h.close()).catch(() => {});
      throw error;
    }
  };
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const sync = (): Promise<void> => {
    if (!running) {
      running = syncFile().finally(() => {
        running = null;
      });
      return running;
    }
    next ??= running
      .catch(() => {})
      .then(() => {
        next = null;
        return sync();
      });
    return next;
  };
  const close = async () => {
    const open = handle;
    handle = null;
    await open?.then((h) => h.close()).catch(() => {});
  };
  return { sync, close };
}

/**
 * Points staged in the inbox are moved into `telemetry` once this many are
 * waiting, or two seconds after the first of them came, whichever is sooner. A
 * move writes each series' last page once for all the points it brings, so the
 * more it brings the less it writes a point; but the event loop waits for it.
 * MQTT QoS 1 from 1,000 devices (bench:ingest, 3 rounds each): moving after 0.5 s
 * or 30,000 points, 62-65% of bare Aedes; 1 s or 60,000, 60-66%; 2 s or 120,000,
 * 62-72%, a move of some 90,000 points then taking 130 ms (p50; 220 ms at most).
 * At the demo's rate a move is a few hundred points and a millisecond or two.
 */
const MOVE_AT_POINTS = 120_000;
const MOVE_AFTER_MS = 2000;

/**
 * A telemetry batch is committed without the fsync (synchronous = NORMAL for
 * that one transaction: in WAL mode the commit is then in the WAL, in the
 * operating system's cache), and the WAL is fsync'd after, in the thread pool,
 * before the promise resolves: the batch is as durable when acknowledged as
 * with a full sync, but the event loop reads and parses the next messages while
 * the disk works instead of waiting with it. Other writes keep the full sync.
 *
 * Points go to `telemetry_inbox` in arrival order (migration 0030 says why)
 * and are moved into `telemetry`, the series' latest values with them, in the
 * background and before every read of either (settle). A move is a
 * transaction of its own, made durable by the next sync of the WAL: lost with
 * a crash, it is lost whole, and the points are still in the inbox, to be moved
 * when the database is opened again.
 */
function sqliteBulk(
  raw: BetterSqlite3.Database,
  db: Kysely<Schema>,
  walFile: string,
  onBackgroundError: (error: unknown) => void,
): TelemetryBulk & { close: () => Promise<void> } {
  const insertSeries = raw.prepare(
    'INSERT INTO telemetry_series (region_id, device_id, key) VALUES (?, ?, ?) ON CONFLICT (device_id, key) DO NOTHING',
  );
  const selectSeries = raw.prepare('SELECT id FROM telemetry_series WHERE device_id = ? AND key = ?');
  const stagePoint = raw.prepare('INSERT INTO telemetry_inbox (series_id, ts, num, str, bool, json) VALUES (?, ?, ?, ?, ?, ?)');
  // Oldest first within a (series, ts), so the last point given for it wins as a direct upsert would;
  // points of a series deleted meanwhile (its device deleted) are dropped. WHERE before ON CONFLICT: SQLite's
  // rule for an upsert fed by a SELECT.
  const moveStaged = raw.prepare(
    `INSERT INTO telemetry (series_id, ts, num, str, bool, json)
     SELECT i.series_id, i.ts, i.num, i.str, i.bool, i.json FROM telemetry_inbox i
     WHERE i.seq <= ? AND EXISTS (SELECT 1 FROM telemetry_series s WHERE s.id = i.series_id)
     ORDER BY i.series_id, i.ts, i.seq
     ON CONFLICT (series_id, ts) DO UPDATE SET num = excluded.num, str = excluded.str, bool = excluded.bool, json = excluded.json`,
  );
  const dropStaged = raw.prepare('DELETE FROM telemetry_inbox WHERE seq <= ?');
  const readStaged = raw.prepare('SELECT seq, series_id, ts, num, str, bool, json FROM telemetry_inbox ORDER BY seq');
  const moveLatest = raw.prepare(
    `UPDATE telemetry_series SET latest_ts = ?, latest_num = ?, latest_str = ?, latest_bool = ?, latest_json = ?
     WHERE id = ? AND (latest_ts IS NULL OR latest_ts <= ?)`,
  );
  const markActivity = raw.prepare(
    'UPDATE devices SET last_activity_at = ? WHERE id = ? AND (last_activity_at IS NULL OR last_activity_at < ?)',
  );

  // Prepared once: raw.pragma() prepares its statement anew at every call, twice a batch.
  const syncNormal = raw.prepare('PRAGMA synchronous = NORMAL');
  const syncFull = raw.prepare('PRAGMA synchronous = FULL');
  const withoutFsync = <T>(work: () => T): T => {
    syncNormal.run();
    try {
      return work();
    } finally {
      syncFull.run();
    }
  };

  // Kysely holds SQLite's single connection behind a mutex; taking it keeps these
  // raw statements out of any Kysely transaction that is open at the same time.
  const exclusive = <T>(work: () => T): Promise<T> => db.connection().execute(async () => work());
  const wal = walSyncer(walFile);

  const ensureTx = raw.transaction((items: { regionId: string; deviceId: string; key: string }[]) => {
    const ids = new Map<string, number>();
    for (const item of items) {
      insertSeries.run(item.regionId, item.deviceId, item.key);
      const row = selectSeries.get(item.deviceId, item.key) as { id: number };
      ids.set(seriesKey(item.deviceId, item.key), row.id);
    }
    return ids;
  });

  /**
   * Of the staged points, the newest of each series (the last given wins a tie): the series' latest value
   * is moved forward with the points, once a move for all of them, rather than once a batch (a batch of
   * 1,000 devices' messages touched every page of telemetry_series). Rebuilt from the inbox when the
   * database opens.
   */
  const pendingLatest = new Map<number, PointRow>();
  const noteLatest = (p: PointRow): void => keepNewest(pendingLatest, p);
  let stagedUpTo = 0;
  let staged = 0;
  for (const row of readStaged.iterate() as IterableIterator<{ seq: number; series_id: number; ts: number; num: number | null; str: string | null; bool: number | null; json: string | null }>) {
    noteLatest({ seriesId: row.series_id, ts: row.ts, num: row.num, str: row.str, bool: row.bool, json: row.json });
    stagedUpTo = row.seq;
    staged++;
  }

  const writeTx = raw.transaction((points: PointRow[], activity: Map<string, number>) => {
    for (const p of points) stagedUpTo = Number(stagePoint.run(p.seriesId, p.ts, p.num, p.str, p.bool, p.json).lastInsertRowid);
    for (const [deviceId, at] of activity) markActivity.run(at, deviceId, at);
  });

  const moveTx = raw.transaction((upTo: number) => {
    moveStaged.run(upTo);
    dropStaged.run(upTo);
    for (const p of pendingLatest.values()) moveLatest.run(p.ts, p.num, p.str, p.bool, p.json, p.seriesId, p.ts);
  });
  /** Moves every staged point into `telemetry`, and the latest values with them; runs inside `exclusive`. */
  const moveAll = (): void => {
    if (staged === 0) return;
    withoutFsync(() => moveTx(stagedUpTo));
    staged = 0;
    pendingLatest.clear();
  };

  let moveTimer: NodeJS.Timeout | null = null;
  let closing = false;
  let moving: Promise<void> | null = null;
  const moveSoon = (): void => {
    if (moving || closing) return;
    if (moveTimer) clearTimeout(moveTimer);
    moveTimer = null;
    moving = exclusive(moveAll).then(
      () => {
        moving = null;
        // Points staged while this move ran get a move of their own.
        afterStaging();
      },
      (error: unknown) => {
        moving = null;
        onBackgroundError(error);
        // The points stay in the inbox (a reader that cannot move them gets the cause); tried again after
        // the usual wait, never at once, however many wait: a failing disk is not retried in a loop.
        moveLater();
      },
    );
  };
  const moveLater = (): void => {
    if (closing || moveTimer) return;
    moveTimer = setTimeout(moveSoon, MOVE_AFTER_MS);
    moveTimer.unref();
  };
  const afterStaging = (): void => {
    if (closing) return;
    if (staged >= MOVE_AT_POINTS) setImmediate(moveSoon);
    else if (staged > 0) moveLater();
  };

  // What a previous process left staged (it stopped before moving it) is moved before anything reads it.
  moveAll();

  return {
    ensureSeries: (items) => exclusive(() => ensureTx(items)),
    async writePoints(points, activity) {
      await exclusive(() => {
        withoutFsync(() => writeTx(points, activity));
        staged += points.length;
        for (const p of points) noteLatest(p);
      });
      afterStaging();
      await wal.sync();
    },
    async settle() {
      if (staged > 0) await exclusive(moveAll);
    },
    async close() {
      closing = true;
      if (moveTimer) clearTimeout(moveTimer);
      moveTimer = null;
      await moving;
      await exclusive(moveAll);
      await wal.close();
    },
  };
}
