/**
 * The master plan import benchmark: `npm run bench:masterplan` (add `-- --rows 5000`
 * for a shorter run, `-- --pg` for PostgreSQL instead of SQLite).
 *
 * Builds an RKPD of --rows rows (default 20,000) shaped like a SIPD export
 * (examples/sample-rkpd.ts: title block, merged header, Indonesian rupiah) as
 * XLSX and as CSV, runs the platform in this process on a fresh database and
 * measures over HTTP (multipart upload) for each format:
 *   - baseline: exceljs reading the same XLSX bare (load + every row), csv-parse the same CSV bare;
 *   - preview: upload, parse, validate, compare with what is stored (nothing saved);
 *   - confirm: insert every row in one transaction;
 *   - re-import: preview + confirm of the same file again (every row unchanged).
 * Rows/s and the peak RSS during each phase (sampled every 10 ms). One table on stdout.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { buildCsv, buildXlsx, manyRows } from '../examples/sample-rkpd.ts';
import { ADMIN, cleanUpOnExit, fmtInt, formatTable, freshStorage, log, numberSetting } from './lib.ts';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const rowsWanted = numberSetting(flag('rows'), 20_000, 10, 200_000, '--rows');
const dialect = args.includes('--pg') ? 'postgres' : 'sqlite';

const OPDS = [
  ['DINKES', 'Dinas Kesehatan'], ['PUPR', 'Dinas Pekerjaan Umum dan Penataan Ruang'], ['DLH', 'Dinas Lingkungan Hidup'],
  ['BPBD', 'Badan Penanggulangan Bencana Daerah'], ['DISHUB', 'Dinas Perhubungan'], ['DISDIK', 'Dinas Pendidikan'],
];

/** Runs `work`, sampling RSS every 10 ms: seconds and the peak RSS (MB). */
async function measure<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const t0 = performance.now();
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, seconds: (performance.now() - t0) / 1000, peakMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

const storage = await freshStorage(dialect, 'mpimport');
const config = {
  ...loadConfig({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'error', DATA_DIR: storage.dataDir, ...(storage.databaseUrl && { DATABASE_URL: storage.databaseUrl }) }),
  port: 0,
  host: '127.0.0.1',
  mqttPort: null,
};
const app = await createApp(config, { backgroundJobs: false, ruleTickMs: null });
cleanUpOnExit(async () => {
  await app.close();
  await storage.drop();
});
await app.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const login = (await (await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) })).json()) as { token: string };
const auth = { authorization: `Bearer ${login.token}` };
for (const [code, name] of OPDS) await fetch(`${url}/api/v1/opds`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ code, name }) });

log(`building an RKPD of ${fmtInt(rowsWanted)} rows as XLSX and CSV`);
const rows = manyRows(rowsWanted);
const xlsx = await buildXlsx(rows, { blankEvery: 50 });
const csv = Buffer.from(buildCsv(rows));

const preview = async (file: Buffer, name: string, document: string) => {
  const form = new FormData();
  form.append('document', document);
  form.append('file', new Blob([file]), name);
  const res = await fetch(`${url}/api/v1/masterplan/programs/import`, { method: 'POST', headers: auth, body: form });
  const body = (await res.json()) as { importId: string; valid: number; errors: unknown[]; created: number; unchanged: number };
  if (res.status !== 200) throw new Error(`preview: ${res.status} ${JSON.stringify(body)}`);
  if (body.valid !== rowsWanted) throw new Error(`preview read ${body.valid} of ${rowsWanted} rows; errors ${JSON.stringify(body.errors.slice(0, 3))}`);
  return body;
};
const confirm = async (importId: string) => {
  const res = await fetch(`${url}/api/v1/masterplan/programs/import/${importId}/confirm`, { method: 'POST', headers: auth });
  const body = (await res.json()) as { created: number; updated: number; unchanged: number };
  if (res.status !== 200) throw new Error(`confirm: ${res.status} ${JSON.stringify(body)}`);
  return body;
};

const table: string[][] = [];
const row = (format: string, phase: string, m: { seconds: number; peakMb: number }, note: string) =>
  table.push([format, phase, fmtInt(rowsWanted), m.seconds.toFixed(2), fmtInt(rowsWanted / m.seconds), m.peakMb.toFixed(0), note]);

for (const [format, file, document] of [['xlsx', xlsx, 'RKPD'], ['csv', csv, 'RENJA']] as const) {
  log(`${format}: ${(file.length / 1024 / 1024).toFixed(1)} MB`);
  global.gc?.();
  if (format === 'xlsx') {
    const bare = await measure(async () => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(file as never);
      let n = 0;
      wb.worksheets[0]!.eachRow(() => n++);
      return n;
    });
    row(format, 'baseline: exceljs bare read', bare, `${fmtInt(bare.value)} sheet rows`);
  } else {
    const bare = await measure(async () => (parseCsv(file.toString('utf8'), { delimiter: ';', relax_column_count: true }) as unknown[]).length);
    row(format, 'baseline: csv-parse bare read', bare, `${fmtInt(bare.value)} records`);
  }
  const p = await measure(() => preview(file, `rkpd.${format}`, document));
  row(format, 'preview (upload, parse, check)', p, `${fmtInt(p.value.created)} new, nothing saved`);
  const c = await measure(() => confirm(p.value.importId));
  row(format, 'confirm (insert)', c, `${fmtInt(c.value.created)} created`);
  const again = await measure(async () => confirm((await preview(file, `rkpd.${format}`, document)).importId));
  row(format, 're-import same file', again, `${fmtInt(again.value.unchanged)} unchanged, ${again.value.created + again.value.updated} written`);
}

console.log(`\nMaster plan import on ${dialect}, ${fmtInt(rowsWanted)} RKPD rows (XLSX ${(xlsx.length / 1024 / 1024).toFixed(1)} MB, CSV ${(csv.length / 1024 / 1024).toFixed(1)} MB)\n`);
console.log(formatTable(['format', 'phase', 'rows', 'seconds', 'rows/s', 'peak RSS MB', 'result'], table));
await app.close();
await storage.drop();
process.exit(0);
