/**
 * Baseline of the ingest benchmark, run in a bare Node process of its own: the
 * raw rate of durable batched inserts of the rows the HTTP load sends, into a
 * table of the same shape as the platform's `telemetry`, with nothing else
 * (no parsing, no HTTP, no latest-value upkeep).
 *
 *   node bench/baseline-db.ts '{"dialect":"sqlite","dir":"/tmp/x","batch":100,"durationMs":3000}'
 *   node bench/baseline-db.ts '{"dialect":"postgres","url":"postgres://…","batch":5000,"durationMs":3000}'
 *
 * Prints one JSON line: {"rows","seconds","rowsPerSec","transactions"}.
 */
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { HTTP_KEYS, HTTP_POINTS_PER_REQUEST, HTTP_TS_PER_REQUEST, httpTsBase } from './lib.ts';

interface Options {
  dialect: 'sqlite' | 'postgres';
  dir?: string;
  url?: string;
  /** rows per transaction */
  batch: number;
  durationMs: number;
  /** series the rows are spread over, as the HTTP load's devices × keys */
  devices?: number;
}

type Row = [seriesId: number, ts: number, num: number, str: null, bool: null, json: null];

/**
 * Rows in the order the platform gets them: request after request, each one
 * device's 10 timestamps × 10 keys, devices in turn (series ids 1…devices×10).
 */
function rowSource(devices: number) {
  const base = httpTsBase();
  const seqOf = new Array<number>(devices).fill(0);
  let device = 0;
  return (count: number): Row[] => {
    const rows: Row[] = [];
    while (rows.length < count) {
      const seq = seqOf[device]!++;
      for (let j = 0; j < HTTP_TS_PER_REQUEST && rows.length < count; j++) {
        for (let k = 0; k < HTTP_KEYS.length && rows.length < count; k++) {
          rows.push([device * HTTP_KEYS.length + k + 1, base + seq * HTTP_TS_PER_REQUEST + j, Math.round(Math.random() * 100_000) / 100, null, null, null]);
        }
      }
      device = (device + 1) % devices;
    }
    return rows;
  };
}

const TABLE = `(
  series_id bigint NOT NULL, ts bigint NOT NULL, num double precision, str text, bool integer, json text,
  PRIMARY KEY (series_id, ts))`;

/** Upper bound of rows, whatever the duration: keeps a very fast disk from filling up. */
const MAX_ROWS = 50_000_000;

function sqlite(o: Options): { rows: number; transactions: number; seconds: number } {
  const db = new BetterSqlite3(path.join(o.dir!, `raw-${o.batch}.sqlite`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE telemetry ${TABLE} WITHOUT ROWID`);
  const insert = db.prepare('INSERT INTO telemetry (series_id, ts, num, str, bool, json) VALUES (?, ?, ?, ?, ?, ?)');
  const tx = db.transaction((rows: Row[]) => {
    for (const r of rows) insert.run(r);
  });
  const next = rowSource(o.devices ?? 16);
  let rows = 0;
  let transactions = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < o.durationMs && rows < MAX_ROWS) {
    const batch = next(o.batch);
    tx(batch);
    rows += batch.length;
    transactions++;
  }
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return { rows, transactions, seconds };
}

async function postgres(o: Options): Promise<{ rows: number; transactions: number; seconds: number }> {
  const client = new pg.Client({ connectionString: o.url!, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const table = `raw_telemetry_${o.batch}`;
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.query(`CREATE TABLE ${table} ${TABLE}`);
    const values = (n: number) => Array.from({ length: n }, (_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`).join(', ');
    const text = `INSERT INTO ${table} (series_id, ts, num, str, bool, json) VALUES ${values(o.batch)}`;
    const next = rowSource(o.devices ?? 16);
    let rows = 0;
    let transactions = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < o.durationMs && rows < MAX_ROWS) {
      const batch = next(o.batch);
      // One statement outside a transaction block: it commits (durably, synchronous_commit is on) by itself.
      await client.query(text, batch.flat());
      rows += batch.length;
      transactions++;
    }
    const seconds = (performance.now() - t0) / 1000;
    await client.query(`DROP TABLE ${table}`);
    return { rows, transactions, seconds };
  } finally {
    await client.end();
  }
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
if (!(options.batch > 0 && options.batch <= 10_000) || !(options.durationMs > 0)) throw new Error('give {"dialect","dir"|"url","batch":1…10000,"durationMs"}');
if (HTTP_POINTS_PER_REQUEST !== 100) throw new Error('the rows are meant to mirror 100-point requests');
const result = options.dialect === 'sqlite' ? sqlite(options) : await postgres(options);
console.log(JSON.stringify({ ...result, rowsPerSec: result.rows / result.seconds }));
