import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { tempDir } from '../../../test/helpers.ts';
import type { Database, PointRow } from './database.ts';
import { seriesKey } from './database.ts';
import { openSqlite } from './sqlite.ts';

// SQLite stages telemetry points in an inbox and moves them into `telemetry` in batches (migration 0030):
// whatever the moment, a reader of that table must see every point written, as PostgreSQL's does.

const DEVICE = 'dev-1';

async function withDevice(database: Database): Promise<number> {
  const now = Date.now();
  await sql`INSERT INTO regions (id, code, name, province_code, province_name, timezone, created_at, updated_at)
    VALUES ('r1', '16.05', 'Musi Rawas', '16', 'Sumatera Selatan', 'Asia/Jakarta', ${now}, ${now})`.execute(database.db);
  await sql`INSERT INTO devices (id, region_id, name, type, created_at, updated_at)
    VALUES (${DEVICE}, 'r1', 'Pos Pantau Kelingi', 'river_gauge', ${now}, ${now})`.execute(database.db);
  const ids = await database.bulk.ensureSeries([{ regionId: 'r1', deviceId: DEVICE, key: 'waterLevel' }]);
  return ids.get(seriesKey(DEVICE, 'waterLevel'))!;
}

const point = (seriesId: number, ts: number, num: number): PointRow => ({ seriesId, ts, num, str: null, bool: null, json: null });

/** Rows as the file holds them, read on a connection of its own (no settle). */
function readFile<T>(dataDir: string, text: string, ...params: unknown[]): T[] {
  const raw = new BetterSqlite3(path.join(dataDir, 'cerdas.sqlite'), { readonly: true });
  try {
    return raw.prepare(text).all(...params) as T[];
  } finally {
    raw.close();
  }
}
const tableRows = (dataDir: string, seriesId: number) =>
  readFile<{ ts: number; num: number }>(dataDir, 'SELECT ts, num FROM telemetry WHERE series_id = ? ORDER BY ts', seriesId);
const latestOf = (dataDir: string, seriesId: number) =>
  readFile<{ latest_ts: number; latest_num: number }>(dataDir, 'SELECT latest_ts, latest_num FROM telemetry_series WHERE id = ?', seriesId)[0];
const stagedCount = (dataDir: string) => readFile<{ n: number }>(dataDir, 'SELECT count(*) AS n FROM telemetry_inbox')[0]!.n;

/** A database whose telemetry table refuses rows, as a full disk or a damaged table would; its background failures are kept. */
async function refusingDatabase() {
  const dataDir = tempDir();
  const failures: unknown[] = [];
  const database = await openSqlite(dataDir, 'cerdas.sqlite', (error) => failures.push(error));
  const series = await withDevice(database);
  await sql`CREATE TRIGGER refuse BEFORE INSERT ON telemetry BEGIN SELECT RAISE(ABORT, 'telemetry refused'); END`.execute(database.db);
  const firstFailure = async () => {
    const deadline = Date.now() + 5000;
    while (failures.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  };
  const mend = () => sql`DROP TRIGGER refuse`.execute(database.db);
  return { dataDir, database, series, failures, firstFailure, mend };
}

describe('SQLite telemetry inbox', () => {
  it('shows every written point and the latest value to a reader that settles first, the last one given for a (series, time) winning', async () => {
    const dataDir = tempDir();
    const database = await openSqlite(dataDir);
    try {
      const series = await withDevice(database);
      await database.bulk.writePoints([point(series, 1000, 1), point(series, 2000, 2), point(series, 2000, 2.5)], new Map());
      await database.bulk.writePoints([point(series, 1000, 1.5), point(series, 3000, 3)], new Map());
      assert.equal(stagedCount(dataDir), 5, 'written points wait in the inbox');
      await database.bulk.settle();
      assert.deepEqual(tableRows(dataDir, series), [
        { ts: 1000, num: 1.5 },
        { ts: 2000, num: 2.5 },
        { ts: 3000, num: 3 },
      ]);
      assert.equal(stagedCount(dataDir), 0);
      assert.deepEqual(latestOf(dataDir, series), { latest_ts: 3000, latest_num: 3 }, 'the series\' latest value moves with its points');
      await database.bulk.writePoints([point(series, 2500, 9)], new Map());
      await database.bulk.settle();
      assert.deepEqual(latestOf(dataDir, series), { latest_ts: 3000, latest_num: 3 }, 'an older point does not replace the latest value');
    } finally {
      await database.close();
    }
  });

  it('moves what is staged on its own within a few seconds', async () => {
    const dataDir = tempDir();
    const database = await openSqlite(dataDir);
    try {
      const series = await withDevice(database);
      await database.bulk.writePoints([point(series, 1000, 4.3)], new Map());
      const deadline = Date.now() + 5000;
      while (stagedCount(dataDir) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(tableRows(dataDir, series), [{ ts: 1000, num: 4.3 }]);
    } finally {
      await database.close();
    }
  });

  it('keeps an acknowledged point that was still staged when the process died, and moves it when opened again', async () => {
    const dataDir = tempDir();
    const database = await openSqlite(dataDir);
    const crashed = tempDir();
    let series: number;
    try {
      series = await withDevice(database);
      await database.bulk.writePoints([point(series, 1000, 4.1), point(series, 2000, 4.2)], new Map());
      // What a kill -9 leaves on disk right after the acknowledgement: the database file and its WAL as they are.
      for (const f of fs.readdirSync(dataDir)) fs.copyFileSync(path.join(dataDir, f), path.join(crashed, f));
    } finally {
      await database.close();
    }
    assert.equal(stagedCount(crashed), 2);
    const reopened = await openSqlite(crashed);
    try {
      assert.deepEqual(tableRows(crashed, series), [
        { ts: 1000, num: 4.1 },
        { ts: 2000, num: 4.2 },
      ]);
      assert.equal(stagedCount(crashed), 0);
      assert.deepEqual(latestOf(crashed, series), { latest_ts: 2000, latest_num: 4.2 }, 'the latest value is found again from the inbox');
    } finally {
      await reopened.close();
    }
  });

  it('drops the staged points of a device deleted before they were moved', async () => {
    const dataDir = tempDir();
    const database = await openSqlite(dataDir);
    try {
      const series = await withDevice(database);
      await database.bulk.writePoints([point(series, 1000, 1)], new Map());
      await sql`DELETE FROM devices WHERE id = ${DEVICE}`.execute(database.db);
      await database.bulk.settle();
      assert.deepEqual(tableRows(dataDir, series), []);
      assert.equal(stagedCount(dataDir), 0);
    } finally {
      await database.close();
    }
  });

  it('reports a move that fails, keeps the points staged, and moves them once the cause is gone', async () => {
    const { dataDir, database, series, failures, firstFailure, mend } = await refusingDatabase();
    try {
      await database.bulk.writePoints([point(series, 1000, 1)], new Map());
      await firstFailure();
      assert.match(String(failures[0]), /telemetry refused/, 'the background move reports its cause');
      await assert.rejects(database.bulk.settle(), /telemetry refused/, 'a reader gets the cause rather than a table without the point');
      assert.equal(stagedCount(dataDir), 1, 'the point is kept');
      await mend();
      await database.bulk.settle();
      assert.deepEqual(tableRows(dataDir, series), [{ ts: 1000, num: 1 }]);
    } finally {
      await database.close();
    }
  });

  it('tries a failing move again after a wait, not in a loop, however many points wait', async () => {
    const { dataDir, database, series, failures, firstFailure, mend } = await refusingDatabase();
    try {
      // Enough points to ask for a move at once (MOVE_AT_POINTS).
      await database.bulk.writePoints(Array.from({ length: 120_000 }, (_, i) => point(series, i, i)), new Map());
      await firstFailure();
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(failures.length, 1, 'one failure in the half second after it, not one a turn of the event loop');
      await mend();
      await database.bulk.settle();
      assert.equal(stagedCount(dataDir), 0);
    } finally {
      await database.close();
    }
  });
});
