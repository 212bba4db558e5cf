import assert from 'node:assert/strict';
import { test } from 'node:test';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { up } from './0028-masterplan-monev.ts';

/** The tables 0028 reads, as they were before it (only the columns it touches and needs). */
async function before(): Promise<Kysely<any>> {
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Sqlite(':memory:') }) });
  for (const ddl of [
    'CREATE TABLE regions (id TEXT PRIMARY KEY)',
    'CREATE TABLE mp_programs (id TEXT PRIMARY KEY, region_id TEXT, code TEXT, dimension_key TEXT, element_key TEXT)',
    'CREATE TABLE mp_eval_years (region_id TEXT, year INTEGER, w_baseline REAL, PRIMARY KEY (region_id, year))',
    'CREATE TABLE mp_eval_items (id TEXT PRIMARY KEY, region_id TEXT, year INTEGER, dimension TEXT, name TEXT, score REAL)',
    'CREATE TABLE mp_survey_programs (region_id TEXT, year INTEGER, dimension_key TEXT, program_id TEXT, sort INTEGER, PRIMARY KEY (region_id, year, program_id))',
  ]) await sql.raw(ddl).execute(db);
  await db.insertInto('regions').values({ id: 'r' }).execute();
  await db.insertInto('mp_programs').values([
    { id: 'p1', region_id: 'r', code: 'A', dimension_key: 'governance', element_key: 'policy' },
    { id: 'p2', region_id: 'r', code: 'B', dimension_key: 'governance', element_key: 'policy' },
    { id: 'p3', region_id: 'r', code: 'C', dimension_key: 'governance', element_key: null },
    { id: 'p4', region_id: 'r', code: 'D', dimension_key: 'living', element_key: 'health' },
  ]).execute();
  return db;
}

test('0028: a Baseline scored by hand becomes the year\'s override (same number), its items keep their text without a score', async () => {
  const db = await before();
  await db.insertInto('mp_eval_items').values([
    { id: 'a', region_id: 'r', year: 2022, dimension: 'baseline', name: 'Perbup', score: 3 },
    { id: 'b', region_id: 'r', year: 2022, dimension: 'baseline', name: 'Dokumen', score: 2.5 },
    { id: 'c', region_id: 'r', year: 2022, dimension: 'output', name: 'Aplikasi', score: 4 },
    { id: 'd', region_id: 'r', year: 2023, dimension: 'baseline', name: 'Belum dinilai', score: null },
  ]).execute();
  await up(db, 'sqlite');
  assert.deepEqual(await db.selectFrom('mp_eval_baselines').select(['year', 'score']).execute(), [{ year: 2022, score: 2.75 }]);
  assert.match((await db.selectFrom('mp_eval_baselines').select('reason').executeTakeFirstOrThrow()).reason, /migrasi 0028/);
  const items = await db.selectFrom('mp_eval_items').select(['id', 'name', 'score', 'figures', 'reason']).orderBy('id').execute();
  assert.deepEqual(items.map((i) => [i.id, i.name, i.score]), [['a', 'Perbup', null], ['b', 'Dokumen', null], ['c', 'Aplikasi', 4], ['d', 'Belum dinilai', null]]);
  assert.ok(items.every((i) => i.figures === '[]' && i.reason === ''));
  await db.destroy();
});

test('0028: survey programs move onto elements of their own dimension; one not of the dimension is dropped', async () => {
  const db = await before();
  await db.insertInto('mp_survey_programs').values([
    // p2 and p1 are both mapped to governance.policy: p2, first in the survey's order, keeps it; p1 takes the first free element
    { region_id: 'r', year: 2022, dimension_key: 'governance', program_id: 'p2', sort: 0 },
    { region_id: 'r', year: 2022, dimension_key: 'governance', program_id: 'p3', sort: 1 },
    { region_id: 'r', year: 2022, dimension_key: 'governance', program_id: 'p1', sort: 2 },
    // p4 is of Smart Living, chosen under governance: dropped
    { region_id: 'r', year: 2023, dimension_key: 'governance', program_id: 'p4', sort: 0 },
  ]).execute();
  await up(db, 'sqlite');
  const rows = await db.selectFrom('mp_survey_programs').select(['year', 'program_id', 'element_key']).orderBy('year').orderBy('program_id').execute();
  assert.deepEqual(rows.map((r) => [r.year, r.program_id, r.element_key]), [
    [2022, 'p1', 'service'],
    [2022, 'p2', 'policy'],
    [2022, 'p3', 'bureaucracy'],
  ]);
  // one program per element from now on
  await assert.rejects(db.insertInto('mp_survey_programs').values({ region_id: 'r', year: 2022, dimension_key: 'governance', program_id: 'p4', element_key: 'policy', sort: 3 }).execute());
  await db.destroy();
});
