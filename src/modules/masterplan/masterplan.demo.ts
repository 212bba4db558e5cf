/**
 * DEMO=1: the Musi Rawas master plan workspace with its 2021 and 2022
 * readiness assessments (illustrative scores, not the official results) and a
 * draft plan. Nothing is overwritten: a year already assessed is left alone.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Principal } from '../identity/index.ts';
import { seedInitiativesDemo, type InitiativesService } from './initiatives/index.ts';
import { seedQuickWinsDemo, type RoadmapService } from './quickwins/index.ts';
import type { KpiCreate } from './kpis/kpis.contract.ts';
import type { MasterplanCore } from './masterplan.module.ts';
import { dimensionKeyOf, READINESS_CHECKLIST } from './plan/index.ts';

/** The sample RKPD shipped under examples/ (made up, marked SAMPLE). */
const SAMPLE_RKPD = fileURLToPath(new URL('../../../examples/rkpd-musi-rawas-2025-SAMPLE.csv', import.meta.url));

// Scores 0-4 per question, in the order of READINESS_CHECKLIST.
const SCORES_2021 = [2, 1, 1, 1, 1, 0, 2, 1, 2, 2, 0, 1, 2, 1, 1, 1, 1, 2, 1, 0, 1, 2, 1, 2];
const SCORES_2022 = [2, 3, 2, 2, 1, 1, 3, 2, 2, 2, 1, 2, 3, 2, 2, 2, 2, 3, 2, 1, 3, 3, 2, 2];
const TARGET = 3;

const SWOT = {
  struktur: {
    strengths: ['Komitmen Bupati dan seluruh kepala OPD (12 September 2022)', 'Pengalaman inovasi daerah (IGA Kemendagri 2017-2019)'],
    weaknesses: ['Jumlah ASN berlatar TIK masih sedikit', 'Anggaran TIK tersebar di banyak OPD'],
    opportunities: ['Pendampingan Gerakan Menuju 100 Smart City Kominfo', 'Kerja sama dengan Kota Bandung'],
    threats: ['Kapasitas fiskal terbatas', 'Pergantian pejabat memutus kesinambungan program'],
  },
  infrastruktur: {
    strengths: ['Jaringan intra pemerintah menjangkau kantor OPD di Muara Beliti'],
    weaknesses: ['Sinyal dan internet belum merata di kecamatan hulu', 'Belum ada ruang kendali terpadu'],
    opportunities: ['Program BAKTI Kominfo untuk desa 3T', 'Sensor murah untuk banjir dan kualitas udara'],
    threats: ['Banjir Sungai Kelingi dan Lakitan merusak perangkat', 'Kabut asap kebakaran lahan'],
  },
  suprastruktur: {
    strengths: ['Tim Pelaksana Smart City ditetapkan'],
    weaknesses: ['Perbup SPBE dan satu data belum lengkap'],
    opportunities: ['Perpres 95/2018 tentang SPBE dan Perpres 39/2019 tentang Satu Data Indonesia'],
    threats: ['Regulasi pusat sering berubah'],
  },
};

/**
 * `withPrograms`: also import the sample RKPD, mapped, with KPIs on live data
 * and a few entered by hand, so that the leadership dashboard has something to
 * show; with `initiatives`, a few initiatives funded by its lines.
 */
export async function seedMasterplanDemo(masterplan: MasterplanCore, regionId: string, options: { withPrograms?: boolean; initiatives?: InitiativesService; roadmap?: RoadmapService; keeper?: Principal } = {}): Promise<void> {
  // As the plan's keeper (collaboration.demo.ts), so the activity log names a person.
  const admin: Principal = options.keeper ?? { regionId, userId: 'demo', role: 'admin', opdId: null, email: 'demo' };
  for (const [year, scores] of [[2021, SCORES_2021], [2022, SCORES_2022]] as const) {
    const existing = await masterplan.readiness.readinessOf(regionId, year);
    if (existing.saved) continue;
    await masterplan.readiness.put(null, regionId, year, {
      items: READINESS_CHECKLIST.map((q, i) => ({ code: q.code, score: scores[i] ?? null, target: TARGET, note: '' })),
      swot: year === 2022 ? SWOT : { struktur: { strengths: SWOT.struktur.strengths.slice(1) }, infrastruktur: { weaknesses: SWOT.infrastruktur.weaknesses } },
    });
  }
  const plan = await masterplan.plan.plan(admin);
  if (plan.title === '') {
    await masterplan.plan.put(admin, {
      title: 'Masterplan Smart City Kabupaten Musi Rawas 2022-2032 (contoh demo)',
      vision: 'Musi Rawas yang cerdas, tangguh bencana dan melayani warganya dengan data',
      missions: ['Pelayanan publik digital yang terpadu dan mudah dijangkau', 'Kesiapsiagaan banjir dan kabut asap berbasis sensor', 'Ekonomi desa dan UMKM yang terhubung ke pasar'],
      policyDirections: ['Satu data dan satu jaringan intra pemerintah', 'Quick win: pemantauan muka air Sungai Kelingi dan laporan warga', 'Peningkatan kompetensi TIK ASN setiap OPD'],
      periodStart: 2022,
      periodEnd: 2032,
    });
  }
  if (options.withPrograms) {
    await seedPrograms(masterplan, admin);
    if (options.initiatives) await seedInitiativesDemo(options.initiatives, admin);
    if (options.roadmap) await seedQuickWinsDemo(options.roadmap, admin);
  }
}

/**
 * The sample RKPD imported (once; the import is idempotent anyway), each
 * program mapped as suggested, two quick wins, and KPIs on the demo's live data.
 */
async function seedPrograms(masterplan: MasterplanCore, admin: Principal): Promise<void> {
  if (!fs.existsSync(SAMPLE_RKPD)) return;
  // The KPIs come last: with them the seed is done. Without them (a first start, or one stopped
  // half-way) each step is taken again where it is still missing.
  if ((await masterplan.kpis.list(admin, {})).length > 0) return;
  if ((await masterplan.programs.list(admin, { document: 'RKPD' }, 1)).items.length === 0) {
    const preview = await masterplan.imports.preview(admin, { bytes: fs.readFileSync(SAMPLE_RKPD), filename: 'rkpd-musi-rawas-2025-SAMPLE.csv' }, 'RKPD', 2025);
    await masterplan.imports.confirm(admin, preview.importId);
  }
  const programs = (await masterplan.programs.list(admin, { document: 'RKPD' }, 1000)).items;
  // A program's kegiatan and sub kegiatan go where the program goes, as Bappeda maps them: each
  // mapped on its own words could put a sub kegiatan in another dimension than its program.
  const programOf = new Map(programs.filter((p) => p.level === 'program').map((p) => [p.code, p]));
  for (const p of programs) {
    const suggestion = programOf.get(p.code.split('.').slice(0, 3).join('.'))?.suggestion ?? p.suggestion;
    if (!suggestion || p.dimensionKey !== null) continue;
    const shortTerm = p.code === '2.16.03.2.02.0014' || p.code === '1.05.03.2.01.0002';
    await masterplan.programs.update(admin, p.id, { dimensionKey: dimensionKeyOf(suggestion.dimensionKey), elementKey: suggestion.elementKey, ...(shortTerm && { horizon: 'short', roadmapYear: 2025 }) });
  }
  const year = new Date().getUTCFullYear();
  const byCode = new Map(programs.map((p) => [p.code, p.id]));
  const live: (KpiCreate & { target: number })[] = [
    { name: 'Persentase PJU cerdas daring', unit: '%', programId: byCode.get('2.15.02.2.01.0004') ?? null, metric: { kind: 'devices_online_share', params: { assetType: 'street_light' } }, target: 90 },
    { name: 'Rata-rata PM2.5 30 hari', unit: 'µg/m³', direction: 'down', dimensionKey: 'environment', elementKey: 'protection', metric: { kind: 'telemetry_mean', params: { key: 'pm25', days: 30 } }, target: 35 },
    { name: 'Laporan warga selesai tepat waktu (SLA)', unit: '%', dimensionKey: 'governance', elementKey: 'service', metric: { kind: 'incidents_within_sla_share', params: {} }, target: 80 },
  ];
  for (const { target, ...k } of live) await masterplan.kpis.create(admin, { ...k, values: [{ year, target }] });
  // Realisations as the OPDs would enter them, for 2025 and this year (made up, like the sample file).
  const entered = [
    { code: '2.16.03.2.02.0014', name: 'OPD terhubung jaringan intra pemerintah', unit: 'OPD', baseline: 20, y2025: [42, 40], now: [42, 42] },
    { code: '1.02.02.2.02.0033', name: 'Puskesmas dengan rekam medis elektronik', unit: 'puskesmas', baseline: 4, y2025: [10, 8], now: [19, 12] },
    { code: '1.01.02.2.02.0009', name: 'Siswa mengikuti literasi digital', unit: 'siswa', baseline: 3000, y2025: [8000, 8200], now: [12000, 10500] },
    { code: '2.11.11.2.01.0006', name: 'Bank sampah aktif', unit: 'unit', baseline: 9, y2025: [18, 20], now: [25, 27] },
  ];
  for (const k of entered) {
    const programId = byCode.get(k.code);
    if (!programId) continue;
    const values = [{ year: 2025, target: k.y2025[0]!, actual: k.y2025[1]! }, ...(year > 2025 ? [{ year, target: k.now[0]!, actual: k.now[1]! }] : [])];
    await masterplan.kpis.create(admin, { name: k.name, unit: k.unit, baseline: k.baseline, programId, values });
  }
}
