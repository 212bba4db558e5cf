import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { dialects } from '../../../test/databases.ts';
import { seriesKey, type Database, type PointRow } from './database.ts';
import { openDatabase } from './index.ts';

// The bulk write path is each dialect's own SQL (PostgreSQL's sends its arrays as literals written by
// hand): whatever a device sends, both databases must store and return the same thing.

const DEVICE = 'dev-bulk';

async function withSeries(database: Database, keys: string[]): Promise<Map<string, number>> {
  const now = Date.now();
  await sql`INSERT INTO regions (id, code, name, province_code, province_name, timezone, created_at, updated_at)
    VALUES ('r1', '16.05', 'Musi Rawas', '16', 'Sumatera Selatan', 'Asia/Jakarta', ${now}, ${now})`.execute(database.db);
  await sql`INSERT INTO devices (id, region_id, name, type, created_at, updated_at)
    VALUES (${DEVICE}, 'r1', 'Pos Pantau Kelingi', 'river_gauge', ${now}, ${now})`.execute(database.db);
  const found = await database.bulk.ensureSeries(keys.map((key) => ({ regionId: 'r1', deviceId: DEVICE, key })));
  return new Map(keys.map((key) => [key, found.get(seriesKey(DEVICE, key))!]));
}

/** Text a device may send that an array literal must carry untouched: quotes, backslashes, separators, NULL as a word. */
const AWKWARD_TEXTS = ['plain', '', 'NULL', 'null', 'a "quoted" word', 'back\\slash\\', '\\"', '{braces},commas', ' padded ', 'multi\nline\ttab', 'Tinggi muka air ≥ 4,3 m 🌊', "it's"];
const AWKWARD_NUMBERS = [0, -0.5, 4.3, 0.1 + 0.2, 1e21, -1.5e-300, Number.MAX_SAFE_INTEGER, 2 ** 60, 5e-324];

const stored = (database: Database, seriesId: number) =>
  database.db
    .selectFrom('telemetry')
    .select(['ts', 'num', 'str', 'bool', 'json'])
    .where('series_id', '=', seriesId)
    .orderBy('ts')
    .execute();

const latest = (database: Database, seriesId: number) =>
  database.db
    .selectFrom('telemetry_series')
    .select(['latest_ts', 'latest_num', 'latest_str', 'latest_bool', 'latest_json'])
    .where('id', '=', seriesId)
    .executeTakeFirstOrThrow();

const row = (seriesId: number, ts: number, value: Partial<PointRow>): PointRow => ({ seriesId, ts, num: null, str: null, bool: null, json: null, ...value });

for (const dialect of await dialects()) {
  describe(`telemetry bulk writes on ${dialect.name}`, () => {
    const opened: { database: Database; drop: () => Promise<void> }[] = [];
    after(async () => {
      for (const { database, drop } of opened) {
        await database.close();
        await drop();
      }
    });
    async function open(): Promise<Database> {
      const storage = await dialect.storage();
      const database = await openDatabase(storage);
      opened.push({ database, drop: storage.drop });
      return database;
    }

    it('stores texts, numbers, booleans and JSON exactly as given, and each series keeps its newest as latest', async () => {
      const database = await open();
      const ids = await withSeries(database, ['text', 'number', 'flag', 'object']);
      const points: PointRow[] = [];
      AWKWARD_TEXTS.forEach((str, i) => points.push(row(ids.get('text')!, 1000 + i, { str })));
      AWKWARD_NUMBERS.forEach((num, i) => points.push(row(ids.get('number')!, 1000 + i, { num })));
      points.push(row(ids.get('flag')!, 1000, { bool: 1 }), row(ids.get('flag')!, 1001, { bool: 0 }));
      const json = JSON.stringify({ note: 'a "quoted" \\ value', list: [1, null, 'NULL'] });
      points.push(row(ids.get('object')!, 1000, { json }));
      // Out of order, as messages of several devices interleave in a batch.
      await database.bulk.writePoints(points.reverse(), new Map([[DEVICE, Date.now()]]));
      await database.bulk.settle();

      assert.deepEqual((await stored(database, ids.get('text')!)).map((r) => r.str), AWKWARD_TEXTS);
      assert.deepEqual((await stored(database, ids.get('number')!)).map((r) => r.num), AWKWARD_NUMBERS.map((n) => (Object.is(n, -0) ? 0 : n)));
      assert.deepEqual((await stored(database, ids.get('flag')!)).map((r) => r.bool), [1, 0]);
      assert.deepEqual((await stored(database, ids.get('object')!)).map((r) => JSON.parse(r.json!)), [JSON.parse(json)]);
      for (const r of await stored(database, ids.get('number')!)) assert.deepEqual([r.str, r.bool, r.json], [null, null, null], 'a number leaves the other columns empty');

      assert.deepEqual(await latest(database, ids.get('text')!), {
        latest_ts: 1000 + AWKWARD_TEXTS.length - 1, latest_num: null, latest_str: AWKWARD_TEXTS.at(-1), latest_bool: null, latest_json: null,
      });
      assert.equal((await latest(database, ids.get('number')!)).latest_num, AWKWARD_NUMBERS.at(-1));
      assert.equal((await latest(database, ids.get('flag')!)).latest_bool, 0);
    });

    it('keeps the last point given for a (series, time) of one batch, and an older batch does not move the latest value back', async () => {
      const database = await open();
      const ids = await withSeries(database, ['level']);
      const level = ids.get('level')!;
      await database.bulk.writePoints([row(level, 2000, { num: 1 }), row(level, 1000, { num: 2 }), row(level, 2000, { num: 3 }), row(level, 2000, { str: 'sensor fault' })], new Map());
      await database.bulk.settle();
      assert.deepEqual(await stored(database, level), [
        { ts: 1000, num: 2, str: null, bool: null, json: null },
        { ts: 2000, num: null, str: 'sensor fault', bool: null, json: null },
      ]);
      await database.bulk.writePoints([row(level, 1500, { num: 9 })], new Map());
      await database.bulk.settle();
      assert.deepEqual(await latest(database, level), { latest_ts: 2000, latest_num: null, latest_str: 'sensor fault', latest_bool: null, latest_json: null });
      assert.equal((await stored(database, level)).length, 3, 'the older point is stored all the same');
    });
  });
}

// PostgreSQL keeps each series' latest value in the process and writes it a second after the batch that
// brought it, or first when this process reads latest values; the points themselves are stored at once.
const postgres = (await dialects()).find((d) => d.name === 'postgres');
if (postgres) {
  describe('latest values on PostgreSQL', () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });
    async function storage() {
      const s = await postgres!.storage();
      cleanups.push(s.drop);
      return s;
    }
    async function open(s: { dataDir: string; databaseUrl?: string }, onBackgroundError?: (error: unknown) => void): Promise<Database> {
      const database = await openDatabase({ ...s, onBackgroundError });
      cleanups.push(() => database.close().catch(() => {}));
      return database;
    }
    const until = async (check: () => Promise<boolean>, ms = 5000) => {
      const deadline = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 50));
      }
      return true;
    };

    it('writes the latest value in the background, without a reader asking', async () => {
      const database = await open(await storage());
      const level = (await withSeries(database, ['level'])).get('level')!;
      await database.bulk.writePoints([row(level, 1000, { num: 4.3 })], new Map());
      assert.equal((await stored(database, level)).length, 1, 'the point is stored at once');
      assert.ok(await until(async () => (await latest(database, level)).latest_num === 4.3), 'the latest value is written within seconds');
    });

    it('catches the latest values up when a process stopped before writing them', async () => {
      const s = await storage();
      const first = await open(s);
      const level = (await withSeries(first, ['level'])).get('level')!;
      await first.bulk.writePoints([row(level, 1000, { num: 1 })], new Map());
      await first.bulk.settle();
      await first.bulk.writePoints([row(level, 2000, { num: 2 }), row(level, 1500, { num: 9 })], new Map());
      // As a kill leaves it: the connections gone, the noted latest value never written.
      await first.db.destroy();
      const second = await open(s);
      assert.deepEqual(await latest(second, level), { latest_ts: 2000, latest_num: 2, latest_str: null, latest_bool: null, latest_json: null });
    });

    it('never lets a process write an older latest value over a newer one written by another', async () => {
      const s = await storage();
      const a = await open(s);
      const b = await open(s);
      const level = (await withSeries(a, ['level'])).get('level')!;
      await a.bulk.writePoints([row(level, 2000, { num: 2 })], new Map());
      await a.bulk.settle();
      await b.bulk.writePoints([row(level, 1000, { num: 1 })], new Map());
      await b.bulk.settle();
      assert.deepEqual(await latest(b, level), { latest_ts: 2000, latest_num: 2, latest_str: null, latest_bool: null, latest_json: null });
    });

    it('reports a write of latest values that fails, keeps them, and writes them once the cause is gone', async () => {
      const failures: unknown[] = [];
      const database = await open(await storage(), (error) => failures.push(error));
      const level = (await withSeries(database, ['level'])).get('level')!;
      await sql`CREATE FUNCTION refuse_latest() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'latest refused'; END $$`.execute(database.db);
      await sql`CREATE TRIGGER refuse BEFORE UPDATE ON telemetry_series FOR EACH ROW EXECUTE FUNCTION refuse_latest()`.execute(database.db);
      await database.bulk.writePoints([row(level, 1000, { num: 4.3 })], new Map());
      assert.ok(await until(async () => failures.length > 0), 'the background failure is heard');
      assert.match(String(failures[0]), /latest refused/);
      await assert.rejects(database.bulk.settle(), /latest refused/, 'a reader gets the cause rather than a stale value');
      await sql`DROP TRIGGER refuse ON telemetry_series`.execute(database.db);
      await database.bulk.settle();
      assert.equal((await latest(database, level)).latest_num, 4.3);
    });
  });
}
