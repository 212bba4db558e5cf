/**
 * Incidents benchmark: the operators' inbox query (p50/p99) over 50,000
 * incidents, with the filters' indexes and without them (dropped in the same
 * run, so the planner falls back to the region/time index or a scan), and the
 * filing rate of citizen reports. SQLite always; PostgreSQL when it answers.
 *
 *   npm run bench:incidents                 # 50,000 incidents
 *   npm run bench:incidents -- --count 10000 --runs 100
 */
import { sql } from 'kysely';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { newId } from '../src/core/ids.ts';
import { addWorkingDays, type IncidentsService } from '../src/modules/incidents/index.ts';
import type { Principal } from '../src/modules/identity/index.ts';
import { freshStorage, portAnswers, type Storage } from './lib.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const COUNT = flag('count', 50_000);
const RUNS = flag('runs', 200);
const FILINGS = flag('filings', 300);

const OPDS = ['PUPR', 'BPBD', 'DLH', 'DISHUB', 'DINKES', 'DAMKAR', 'SATPOLPP', 'DISDIK', 'BAPPEDA'];
const CATEGORIES: [string, string][] = [
  ['roads', 'PUPR'],
  ['flooding', 'BPBD'],
  ['street_lights', 'DISHUB'],
  ['waste', 'DLH'],
  ['fallen_trees', 'DLH'],
  ['forest_fires', 'BPBD'],
  ['clean_water', 'PUPR'],
  ['public_facilities', 'PUPR'],
  ['health_services', 'DINKES'],
  ['other', ''],
];
const STATUSES = ['new', 'assigned', 'in_progress', 'resolved', 'closed', 'closed', 'closed', 'closed', 'rejected'];
const SEVERITIES = ['low', 'medium', 'medium', 'high', 'critical'];

interface Row {
  dialect: string;
  what: string;
  p50: number;
  p99: number;
  p50NoIndex?: number;
  p99NoIndex?: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function time(runs: number, work: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 5; i++) await work();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await work();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

async function fill(incidents: IncidentsService, regionId: string, opdIds: Map<string, string>, now: number): Promise<number> {
  const db = incidents.repo.db;
  const started = Date.now();
  const YEAR = 365 * 86_400_000;
  for (let done = 0; done < COUNT; ) {
    const n = Math.min(500, COUNT - done);
    await db.transaction().execute(async (tx) => {
      const rows = [];
      for (let i = 0; i < n; i++) {
        const k = done + i;
        const [category, opd] = CATEGORIES[k % CATEGORIES.length]!;
        const status = STATUSES[(k * 7) % STATUSES.length]!;
        const created = now - Math.floor(((COUNT - k) / COUNT) * YEAR);
        const stage = status === 'new' ? 'route' : status === 'assigned' ? 'follow_up' : status === 'resolved' ? 'close' : null;
        rows.push({
          id: newId(),
          region_id: regionId,
          ticket: `MR-${String(k + 1).padStart(6, '0')}`,
          source: k % 10 === 0 ? 'alarm' : 'report',
          category_code: category,
          title: `Laporan ${k}`,
          description: `Laporan warga nomor ${k} tentang ${category} di desa ${k % 300}`,
          severity: SEVERITIES[k % SEVERITIES.length]!,
          status,
          reject_reason: status === 'rejected' ? 'bukan kewenangan' : null,
          lon: 102.5 + (k % 1000) / 1000,
          lat: -3.6 + ((k * 13) % 500) / 1000,
          address: null,
          district_code: null,
          opd_id: opd ? opdIds.get(opd)! : null,
          assignee_user_id: null,
          alarm_id: null,
          merged_into_id: null,
          lapor_id: null,
          photos: '[]',
          media_url: null,
          attributes: '{}',
          api_key_id: null,
          erase_secret_hash: null,
          created_by: null,
          created_at: created,
          updated_at: created,
          assigned_at: null,
          followed_up_at: null,
          resolved_at: status === 'resolved' || status === 'closed' ? created + 86_400_000 : null,
          closed_at: status === 'closed' ? created + 2 * 86_400_000 : null,
          last_answer_at: null,
          sla_stage: stage,
          sla_started_at: stage ? created : null,
          sla_due_at: stage ? addWorkingDays(created, stage === 'close' ? 10 : stage === 'follow_up' ? 5 : 3) : null,
          sla_breached: 0,
        });
      }
      await tx.insertInto('incidents').values(rows as never).execute();
    });
    done += n;
  }
  await db.insertInto('incident_counters').values({ region_id: regionId, next_number: COUNT + 1 }).onConflict((oc) => oc.column('region_id').doUpdateSet({ next_number: COUNT + 1 })).execute();
  return (Date.now() - started) / 1000;
}

async function runDialect(dialect: 'sqlite' | 'postgres'): Promise<Row[]> {
  const storage: Storage = await freshStorage(dialect, 'incidents');
  const config = { ...loadConfig({ ADMIN_EMAIL: 'bench@musirawas.go.id', ADMIN_PASSWORD: 'Bench-Rahasia-2026', LOG_LEVEL: 'silent' }), port: 0, host: '127.0.0.1', mqttPort: null, dataDir: storage.dataDir, databaseUrl: storage.databaseUrl };
  const app = await createApp(config, { backgroundJobs: false, ruleTickMs: null });
  const out: Row[] = [];
  try {
    const { incidents, database } = app.services;
    const db = database.db;
    const region = (await db.selectFrom('regions').select('id').executeTakeFirstOrThrow()).id;
    const opdIds = new Map<string, string>();
    for (const code of OPDS) {
      const id = newId();
      await db.insertInto('opds').values({ id, region_id: region, code, name: `Dinas ${code}`, created_at: 0, updated_at: 0 }).execute();
      opdIds.set(code, id);
    }
    const now = Date.now();
    const fillSeconds = await fill(incidents, region, opdIds, now);
    if (dialect === 'postgres') await sql`ANALYZE incidents`.execute(db);
    else await sql`ANALYZE`.execute(db);
    console.error(`# ${dialect}: ${COUNT} incidents written in ${fillSeconds.toFixed(1)} s`);

    const operator: Principal = { userId: newId(), regionId: region, role: 'operator', opdId: opdIds.get('PUPR')!, email: 'op@x' };
    const admin: Principal = { ...operator, role: 'admin', opdId: null };
    const queries: [string, () => Promise<unknown>][] = [
      ['operator inbox: own OPD + unrouted, open, 50', () => incidents.list(operator, { statuses: ['new', 'assigned', 'in_progress'] }, 50)],
      ['admin: one OPD, status new, 50', () => incidents.list(admin, { opdId: opdIds.get('BPBD')!, statuses: ['new'] }, 50)],
      ['admin: overdue=true, 50', () => incidents.list(admin, { overdue: true }, 50)],
      ['admin: category + severity, 50', () => incidents.list(admin, { categoryCode: 'flooding', severities: ['high', 'critical'] }, 50)],
      ['admin: all, newest 50', () => incidents.list(admin, {}, 50)],
      ['admin: text search q, 50', () => incidents.list(admin, { q: 'desa 123' }, 50)],
    ];
    for (const [what, work] of queries) out.push({ dialect, what, ...(await time(RUNS, work)) });

    // The same queries without the filters' indexes (inbox, due time, category), same data, same run.
    for (const index of ['incidents_inbox', 'incidents_due', 'incidents_nearby']) await sql`DROP INDEX ${sql.id(index)}`.execute(db);
    if (dialect === 'postgres') await sql`ANALYZE incidents`.execute(db);
    else await sql`ANALYZE`.execute(db);
    for (const [i, [, work]] of queries.entries()) {
      const r = await time(RUNS, work);
      out[i]!.p50NoIndex = r.p50;
      out[i]!.p99NoIndex = r.p99;
    }

    // Filing: one citizen report at a time (ticket number, reporter row, timeline line, event), then 8 at once.
    const file = () =>
      incidents.fileReport(region, {
        categoryCode: 'roads',
        description: 'Jalan berlubang dekat sekolah',
        lon: 102.9,
        lat: -3.2,
        address: null,
        reporter: { name: 'Warga', phone: '0812', email: null },
        photoIds: [],
        mediaUrl: null,
        attributes: { passable: 'partly' },
        apiKeyId: null,
      });
    let t = Date.now();
    for (let i = 0; i < FILINGS; i++) await file();
    const serial = FILINGS / ((Date.now() - t) / 1000);
    t = Date.now();
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let i = 0; i < FILINGS / 8; i++) await file();
    }));
    const parallel = (8 * Math.floor(FILINGS / 8)) / ((Date.now() - t) / 1000);
    out.push({ dialect, what: `filing: reports/s one at a time (${serial.toFixed(0)}/s), 8 concurrent (${parallel.toFixed(0)}/s)`, p50: serial, p99: parallel });
    const tickets = await db.selectFrom('incidents').select((eb) => eb.fn.count<number>('ticket').distinct().as('n')).executeTakeFirstOrThrow();
    const total = await db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(tickets.n) !== Number(total.n)) throw new Error(`ticket numbers are not unique: ${tickets.n} of ${total.n}`);
  } finally {
    await app.close();
    await storage.drop();
  }
  return out;
}

const rows: Row[] = [];
rows.push(...(await runDialect('sqlite')));
if (await portAnswers(5432)) rows.push(...(await runDialect('postgres')));
else console.error('# PostgreSQL does not answer on 127.0.0.1:5432: skipped');

const f = (n: number | undefined) => (n === undefined ? '' : n.toFixed(2));
console.log(`\nIncidents inbox over ${COUNT.toLocaleString('en')} incidents, ${RUNS} runs each (ms); "no index" = the same query after dropping the filters' indexes\n`);
const header = ['dialect', 'query', 'p50', 'p99', 'p50 no index', 'p99 no index'];
const lines = rows
  .filter((r) => !r.what.startsWith('filing'))
  .map((r) => [r.dialect, r.what, f(r.p50), f(r.p99), f(r.p50NoIndex), f(r.p99NoIndex)]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
const print = (cells: string[]) => console.log(cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
print(header);
print(widths.map((w) => '-'.repeat(w)));
for (const l of lines) print(l);
console.log('');
for (const r of rows.filter((x) => x.what.startsWith('filing'))) console.log(`${r.dialect.padEnd(8)}  ${r.what}`);
process.exit(0);
