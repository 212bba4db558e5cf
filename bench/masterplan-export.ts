/**
 * The master plan export benchmark: `npm run bench:masterplan-export`
 * (`-- --programs 500 --runs 1` for a short run).
 *
 * Builds the platform in this process (createApp, SQLite in a fresh DATA_DIR,
 * no MQTT), fills the region with --programs programs (default 2,000) spread
 * over the six dimensions, 40 OPDs, the three horizons, quick wins and one KPI
 * with yearly targets for every fifth program, a readiness assessment with SWOT,
 * two evaluated years, FGD sessions and commitment sheets, then times, --runs
 * times each (default 3, median and max shown):
 *   - DOCX with its charts (SVG → PNG with sharp), as GET /export.docx makes it;
 *   - the same DOCX without charts: the baseline, in the same run;
 *   - PDF (pdfkit), as GET /export.pdf makes it;
 *   - the HTTP request GET /export.docx end to end (inject), once;
 *   - Buku II (DOCX and PDF) of a plan of 5,000 SIPD lines grouped into 32
 *     initiatives (bench/masterplan-plan.ts), in a fresh platform: its time, the
 *     document worker's heap against its limit (EXPORT_WORKER_LIMITS) and the
 *     process's peak RSS.
 * Also the longest event-loop stall during each (what other requests wait): the DOCX
 * and PDF are written on a worker thread, so it is the part left on the main thread
 * (queries, content blocks, copying them to the worker).
 * Sizes in KB (the data-only row shows a count of blocks, not bytes). Prints one table,
 * with a warning when the machine was busy; nothing is kept.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { newId } from '../src/core/ids.ts';
import { EXPORT_WORKER_LIMITS } from '../src/modules/masterplan/documents/export.service.ts';
import { InitiativeLinks } from '../src/modules/masterplan/initiatives/index.ts';
import { benchAdmin, DIMS, insertPlanLines, PLAN_LINES, planInitiatives } from './masterplan-plan.ts';

const { values: args } = parseArgs({ options: { programs: { type: 'string', default: '2000' }, runs: { type: 'string', default: '3' } } });
const N = Number(args.programs);
const RUNS = Math.max(1, Number(args.runs));
const WORDS = ['Penyelenggaraan', 'Pengembangan', 'Pengelolaan', 'Peningkatan', 'Layanan', 'Aplikasi', 'Jaringan', 'Data', 'Kesehatan', 'Pendidikan', 'Pariwisata', 'UMKM', 'Sampah', 'Energi', 'Transportasi', 'Desa', 'Digital', 'Terpadu'];

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cerdas-bench-export-'));
const config = { ...loadConfig({ ADMIN_EMAIL: 'admin@musirawas.go.id', ADMIN_PASSWORD: 'Rahasia-Admin-2026', LOG_LEVEL: 'silent' }), dataDir, mqttPort: null, port: 0 };
const app = await createApp(config, { backgroundJobs: false, ruleTickMs: null });
try {
  const db = app.services.database.db as any;
  const { region, principal } = await benchAdmin(app.services.database.db);
  const now = Date.now();

  const opdIds: string[] = [];
  for (let i = 0; i < 40; i++) {
    const id = newId();
    opdIds.push(id);
    await db.insertInto('opds').values({ id, region_id: region.id, code: `OPD${String(i + 1).padStart(2, '0')}`, name: `Organisasi Perangkat Daerah ${i + 1}`, created_at: now, updated_at: now }).execute();
  }
  const programs = Array.from({ length: N }, (_, i) => {
    const [dim, els] = DIMS[i % 6]!;
    const year = 2026 + (i % 5);
    const id = newId();
    return {
      id,
      region_id: region.id,
      opd_id: opdIds[i % opdIds.length],
      document: 'RKPD',
      code: `2.${String(10 + (i % 20)).padStart(2, '0')}.${String(1 + (i % 9)).padStart(2, '0')}.2.${String(1 + (i % 7)).padStart(2, '0')}.${String(i + 1).padStart(4, '0')}`,
      level: 'sub_kegiatan',
      name: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7 + 3) % WORDS.length]} ${WORDS[(i * 11 + 5) % WORDS.length]} Kabupaten ${i + 1}`,
      indicator: 'Persentase layanan terdigitalisasi',
      target: String(50 + (i % 50)),
      unit: '%',
      budget: 25_000_000 + ((i * 7919) % 400) * 5_000_000,
      year,
      location: '',
      dimension_key: i % 13 === 0 ? null : dim,
      element_key: i % 13 === 0 ? null : els[i % 3],
      quick_win: i % 40 === 0 ? 1 : 0,
      horizon: ['short', 'medium', 'long'][i % 3],
      roadmap_year: year,
      review_status: 'approved',
      natural_key: `#${id}`, // unique per region, as the service gives a program entered by hand
      source_hash: String(i),
      created_at: now,
      updated_at: now,
    };
  });
  for (let i = 0; i < programs.length; i += 200) await db.insertInto('mp_programs').values(programs.slice(i, i + 200)).execute();
  for (let i = 0; i < programs.length; i += 5) {
    const kpi = newId();
    await db.insertInto('mp_kpis').values({ id: kpi, region_id: region.id, program_id: programs[i]!.id, dimension_key: null, element_key: null, name: 'Layanan daring', unit: '%', baseline: 20, direction: 'up', metric: null, opd_id: null, created_at: now, updated_at: now }).execute();
    for (const year of [2026, 2027, 2028]) await db.insertInto('mp_kpi_values').values({ kpi_id: kpi, year, target: 20 + (year - 2025) * 15, actual: null, source: 'manual', computed_at: null }).execute();
  }
  const subs: [string, string[]][] = [['struktur', ['sdm', 'keuangan', 'tata_kelola']], ['infrastruktur', ['fisik', 'digital', 'sosial']], ['suprastruktur', ['regulasi', 'kelembagaan', 'implementasi']]];
  let q = 0;
  for (const [element, keys] of subs) {
    for (const sub of keys) {
      for (let k = 0; k < 4; k++) {
        q++;
        await db.insertInto('mp_readiness').values({ region_id: region.id, year: 2026, element, sub_key: sub, code: `${element.slice(0, 2).toUpperCase()}-${q}`, question_id: `Butir asesmen ${q} tentang ${sub}`, question_en: `Item ${q}`, score: q % 5, target: 3 + (q % 2), note: '', updated_at: now }).execute();
      }
    }
    await db.insertInto('mp_swot').values({ region_id: region.id, year: 2026, element, strengths: JSON.stringify(['Komitmen pimpinan']), weaknesses: JSON.stringify(['SDM TIK terbatas']), opportunities: JSON.stringify(['Program nasional']), threats: JSON.stringify(['Keamanan siber']), updated_at: now }).execute();
  }
  await db.insertInto('mp_plans').values({ region_id: region.id, title: 'Masterplan Smart City Musi Rawas', vision: 'Musi Rawas Cerdas, Maju dan Sejahtera', missions: JSON.stringify(['Layanan publik digital', 'Ekonomi daerah tumbuh']), policy_directions: JSON.stringify(['SPBE terpadu']), period_start: 2026, period_end: 2030, updated_by: null, updated_at: now }).execute();
  const ev = app.services.masterplanEvaluation;
  for (const year of [2024, 2025]) {
    await ev.put(principal, year, {
      weights: { baseline: 10, output: 20, outcome: 30, impact: 30, quickWin: 10 },
      items: (['baseline', 'output', 'outcome', 'impact', 'quickWin'] as const).map((dimension, i) => ({ dimension, name: `Butir ${dimension}`, score: 2.5 + i * 0.3 + (year - 2024) * 0.2 })),
    });
  }
  const collab = app.services.masterplanCollaboration;
  for (let r = 1; r <= 4; r++) await app.services.masterplanDiscussion.createSession(principal, { round: r, date: now, title: `Bimtek ${r}`, place: 'Muara Beliti', participants: opdIds.slice(0, 10).map((_, i) => ({ name: `Peserta ${i}`, opd: `OPD${i + 1}` })), notes: '', decisions: ['Keputusan'] });
  for (let i = 0; i < 10; i++) await collab.createCommitment(principal, { signerName: `Kepala ${i}`, position: `Kepala OPD ${i}`, opdId: opdIds[i]!, signedAt: now, note: '' });

  const exporter = app.services.masterplanExport;
  const measure = async (label: string, fn: () => Promise<Buffer>) => {
    const times: number[] = [];
    let size = 0;
    let stall = 0;
    for (let i = 0; i < RUNS; i++) {
      // The longest time the event loop could not run anything else (a 5 ms timer that comes late).
      let last = performance.now();
      const timer = setInterval(() => {
        const t = performance.now();
        stall = Math.max(stall, t - last);
        last = t;
      }, 5);
      const t0 = performance.now();
      size = (await fn()).length;
      times.push(performance.now() - t0);
      clearInterval(timer);
      stall = Math.max(stall, performance.now() - last);
    }
    times.sort((a, b) => a - b);
    return { label, median: times[Math.floor(times.length / 2)]!, max: times[times.length - 1]!, size, stall };
  };
  const rows = [
    await measure('data only: queries + content blocks, no charts', async () => Buffer.alloc((await exporter.content(principal, 'rencana', false)).content.blocks.length)),
    await measure('DOCX Buku II without charts (baseline)', async () => (await exporter.docx(principal, 'rencana', { charts: false })).data),
    await measure('DOCX Buku II with charts', async () => (await exporter.docx(principal, 'rencana')).data),
    await measure('PDF Buku II with charts', async () => (await exporter.pdf(principal, 'rencana')).data),
    await measure('DOCX Buku I', async () => (await exporter.docx(principal, 'analisis')).data),
    await measure('DOCX Buku III', async () => (await exporter.docx(principal, 'ringkasan')).data),
  ];
  const token = (await app.services.identity.login('admin@musirawas.go.id', 'Rahasia-Admin-2026')).token;
  const t0 = performance.now();
  const res = await app.inject({ method: 'GET', url: '/api/v1/masterplan/export.docx', headers: { authorization: `Bearer ${token}` } });
  const httpMs = performance.now() - t0;
  if (res.statusCode !== 200) throw new Error(`GET /export.docx answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
  rows.push({ label: 'GET /export.docx (HTTP, once)', median: httpMs, max: httpMs, size: res.rawPayload.length, stall: Number.NaN });

  const rss = Math.round(process.memoryUsage().rss / 1024 / 1024);
  console.log(`\nMaster plan export, ${N} programs (${programs.filter((p) => p.dimension_key).length} mapped), ${Math.ceil(N / 5)} KPIs, SQLite, ${RUNS} run(s) each, Node ${process.version}, ${os.cpus().length} cores`);
  const load = os.loadavg()[0]!;
  if (load > os.cpus().length * 0.75) console.log(`(warning: load average ${load.toFixed(1)} on ${os.cpus().length} cores while measuring: other processes ran; times are noisy)`);
  console.log('| export | median ms | max ms | size KB | longest event-loop stall ms |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.label} | ${r.median.toFixed(0)} | ${r.max.toFixed(0)} | ${(r.size / 1024).toFixed(0)} | ${Number.isNaN(r.stall) ? '-' : r.stall.toFixed(0)} |`);
  const base = rows[1]!;
  const withCharts = rows[2]!;
  console.log(`\nCharts cost ${(withCharts.median - base.median).toFixed(0)} ms and ${((withCharts.size - base.size) / 1024).toFixed(0)} KB over the baseline; process RSS ${rss} MB.`);
} finally {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

// Buku II of a plan of 5,000 SIPD lines, in a platform of its own.
const bigDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cerdas-bench-export-5000-'));
const big = await createApp({ ...config, dataDir: bigDir }, { backgroundJobs: false, ruleTickMs: null });
try {
  const db = big.services.database.db;
  const { region, principal } = await benchAdmin(db);
  const now = Date.now();
  const opdIds: string[] = [];
  for (let i = 0; i < 10; i++) {
    opdIds.push(newId());
    await db.insertInto('opds').values({ id: opdIds[i]!, region_id: region.id, code: `OPD${i + 1}`, name: `Perangkat Daerah Contoh ${i + 1}`, created_at: now, updated_at: now }).execute();
  }
  const initiatives = big.services.masterplanInitiatives;
  const links = new InitiativeLinks(initiatives);
  for (const body of planInitiatives(await insertPlanLines(db, region.id, opdIds, now))) {
    await initiatives.create(principal, body, { prepare: (row, ids) => links.prepare(principal, row, ids), apply: (tx, row, lines) => links.linkIn(tx, principal, row, lines) });
  }
  const exporter = big.services.masterplanExport;
  console.log(`\nBuku II of ${PLAN_LINES.toLocaleString('en')} SIPD lines in 32 initiatives (worker limits: old generation ${EXPORT_WORKER_LIMITS.maxOldGenerationSizeMb} MB, young ${EXPORT_WORKER_LIMITS.maxYoungGenerationSizeMb} MB)`);
  console.log('| export | ms | size KB | worker heap MB (of limit) | process peak RSS MB |');
  console.log('|---|---:|---:|---:|---:|');
  const d0 = performance.now();
  const blocks = (await exporter.content(principal, 'rencana', false)).content.blocks.length;
  console.log(`| data only (queries, initiatives, ${blocks} blocks) | ${(performance.now() - d0).toFixed(0)} | - | - | - |`);
  for (const format of ['docx', 'pdf'] as const) {
    const t0 = performance.now();
    const file = format === 'docx' ? await exporter.docx(principal, 'rencana') : await exporter.pdf(principal, 'rencana');
    const ms = performance.now() - t0;
    const heap = await exporter.renderer.heap();
    console.log(`| Buku II ${format.toUpperCase()} | ${ms.toFixed(0)} | ${(file.data.length / 1024).toFixed(0)} | ${heap ? `${heap.totalMb} (${heap.limitMb})` : '-'} | ${Math.round(process.resourceUsage().maxRSS / 1024)} |`);
  }
} finally {
  await big.close();
  fs.rmSync(bigDir, { recursive: true, force: true });
}
