import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { tempDir } from '../../../test/helpers.ts';
import { openSqlite } from './sqlite.ts';
import { packPoints, unpackPoints } from './sqlite-telemetry.ts';
import { seriesKey, type PointRow } from './database.ts';

const rows: PointRow[] = [
  { seriesId: 1, ts: 1_700_000_000_000, num: 4.25, str: null, bool: null, json: null },
  { seriesId: 2, ts: 1_700_000_000_001, num: null, str: 'siaga 2', bool: null, json: null },
  { seriesId: 3, ts: 1_700_000_000_002, num: null, str: null, bool: 0, json: null },
  { seriesId: 4, ts: 1_700_000_000_003, num: null, str: null, bool: null, json: '{"a":[1,2]}' },
  { seriesId: 5, ts: 1_700_000_000_004, num: -0.5, str: null, bool: null, json: null },
];

test('points cross to the telemetry thread unchanged, numbers and every other type', () => {
  assert.deepEqual(unpackPoints(packPoints(rows)), rows);
  assert.deepEqual(unpackPoints(packPoints([])), []);
});

test('the telemetry thread stores a batch that the main connection reads at once, keeps the newest as latest, and refuses work once closed', async () => {
  const database = await openSqlite(tempDir());
  try {
    await sql`INSERT INTO regions (id, code, name, province_code, province_name, timezone, created_at, updated_at)
      VALUES ('r1', 'R1', 'Kab. Uji', '16', 'Sumatera Selatan', 'Asia/Jakarta', 0, 0)`.execute(database.db);
    await sql`INSERT INTO devices (id, region_id, name, type, created_at, updated_at) VALUES ('d1', 'r1', 'Pos uji', 'river_gauge', 0, 0)`.execute(database.db);
    const ids = await database.bulk.ensureSeries([
      { regionId: 'r1', deviceId: 'd1', key: 'level' },
      { regionId: 'r1', deviceId: 'd1', key: 'status' },
    ]);
    const level = ids.get(seriesKey('d1', 'level'))!;
    const status = ids.get(seriesKey('d1', 'status'))!;
    assert.ok(level > 0 && status > 0 && level !== status);
    // Asked again, the same ids.
    assert.equal((await database.bulk.ensureSeries([{ regionId: 'r1', deviceId: 'd1', key: 'level' }])).get(seriesKey('d1', 'level')), level);

    await database.bulk.writePoints(
      [
        { seriesId: level, ts: 2000, num: 4.5, str: null, bool: null, json: null },
        { seriesId: level, ts: 1000, num: 3.5, str: null, bool: null, json: null },
        { seriesId: status, ts: 1000, num: null, str: 'siaga', bool: null, json: null },
      ],
      new Map([['d1', 2500]]),
    );
    const points = (await sql<{ series_id: number; ts: number; num: number | null; str: string | null }>`
      SELECT series_id, ts, num, str FROM telemetry ORDER BY series_id, ts`.execute(database.db)).rows;
    assert.deepEqual(points, [
      { series_id: level, ts: 1000, num: 3.5, str: null },
      { series_id: level, ts: 2000, num: 4.5, str: null },
      { series_id: status, ts: 1000, num: null, str: 'siaga' },
    ]);
    const latest = (await sql<{ latest_ts: number; latest_num: number }>`SELECT latest_ts, latest_num FROM telemetry_series WHERE id = ${level}`.execute(database.db)).rows[0];
    assert.deepEqual(latest, { latest_ts: 2000, latest_num: 4.5 });
    const device = (await sql<{ last_activity_at: number }>`SELECT last_activity_at FROM devices WHERE id = 'd1'`.execute(database.db)).rows[0];
    assert.equal(device?.last_activity_at, 2500);

    // A series of a device that does not exist: refused, and the thread goes on.
    await assert.rejects(database.bulk.ensureSeries([{ regionId: 'r1', deviceId: 'gone', key: 'level' }]), /FOREIGN KEY/);
    await database.bulk.writePoints([{ seriesId: level, ts: 3000, num: 5, str: null, bool: null, json: null }], new Map());
  } finally {
    await database.close();
  }
  await assert.rejects(database.bulk.writePoints([], new Map()), /closed/);
});
