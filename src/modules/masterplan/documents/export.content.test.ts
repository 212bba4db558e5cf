import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BookData } from './book.ts';
import { buildContent, type Block } from './export.content.ts';
import type { ProgramRow } from './export.data.ts';
import type { Initiative } from '../initiatives/initiatives.contract.ts';

const program = (code: string, budget: number, extra: Partial<ProgramRow> = {}): ProgramRow => ({
  id: `${extra.document ?? 'RKPD'}-${code}`, code, name: `Nama ${code}`, level: code.split('.').length === 3 ? 'program' : code.split('.').length === 5 ? 'kegiatan' : 'sub_kegiatan',
  document: 'RKPD', opd: 'opd-pu', opdCode: 'DPUPR', opdName: 'Dinas PUPR', budget, countedBudget: 0, year: 2025, indicator: '', target: '', unit: '',
  dimensionKey: null, elementKey: null, horizon: null, roadmapYear: null, reviewStatus: 'draft', kpiTargets: [], ...extra,
});

const initiative = (id: string, extra: Partial<Initiative>): Initiative => ({
  id, dimensionKey: 'living', elementKey: null, name: `Inisiatif ${id}`, problem: '', goal: '', target: '', indicators: [], leadOpdId: 'opd-pu', leadOpdCode: 'DPUPR', supportingOpdIds: [],
  startYear: 2025, endYear: 2026, costEstimate: null, fundingSources: [], status: 'usulan', budget: 0, lines: [], years: [], createdAt: 0, updatedAt: 0, ...extra,
});

function data(programs: ProgramRow[], items: Initiative[]): BookData {
  return {
    regionName: 'Kabupaten Musi Rawas', regionShort: 'Musi Rawas', year: 2026,
    plan: { title: 'Masterplan', vision: '', missions: [], policyDirections: [], periodStart: 2025, periodEnd: 2026 },
    ministry: { nameId: 'Kementerian Komunikasi dan Digital', short: 'Komdigi' },
    readinessYear: null, readiness: [], swot: {}, programs, sessions: [], commitments: [], evaluations: [],
    initiatives: { items, totals: { initiatives: items.length, costEstimate: 0, budget: items.reduce((a, i) => a + i.budget, 0), byDimension: [] } },
    opdCodes: new Map([['opd-dlh', 'DLH']]),
  };
}

type Table = Extract<Block, { kind: 'table' }>;
const rp = (s: string) => Number(s.replace(/^Rp /, '').replace(/\./g, ''));
const tables = (blocks: Block[]) => blocks.filter((b): b is Table => b.kind === 'table');
const h1 = (blocks: Block[]) => blocks.flatMap((b) => (b.kind === 'h' && b.level === 1 ? [b.text] : []));
const line = (programId: string, counted: number, year = 2025) => ({ programId, code: programId, level: 'sub_kegiatan', name: programId, document: 'RKPD', year, opdId: 'opd-pu', opdCode: 'DPUPR', budget: counted, share: 100, counted });

// The water program repeats its sub kegiatan's pagu at program and kegiatan level; one sub kegiatan is in an initiative.
const rows = [
  program('1.03.03', 5_600_000_000, { dimensionKey: 'living', elementKey: 'harmony' }),
  program('1.03.03.2.01', 5_600_000_000, { dimensionKey: 'living', elementKey: 'harmony' }),
  program('1.03.03.2.01.0006', 4_000_000_000, { dimensionKey: 'living', elementKey: 'harmony', countedBudget: 4_000_000_000 }),
  program('1.03.03.2.01.0007', 1_600_000_000, { dimensionKey: 'environment', elementKey: 'waste', countedBudget: 1_600_000_000 }),
];
const items = [
  initiative('spam', { name: 'SPAM Cerdas', elementKey: 'harmony', budget: 4_000_000_000, costEstimate: 5_000_000_000, fundingSources: ['apbd'], lines: [line('RKPD-1.03.03.2.01.0006', 4_000_000_000)], years: [{ year: 2025, planned: null, realised: 3_000_000_000, note: '', fromLines: 4_000_000_000 }, { year: 2026, planned: 1_000_000_000, realised: null, note: '', fromLines: 0 }], supportingOpdIds: ['opd-dlh'] }),
  initiative('air', { name: 'Air Bersih Desa', elementKey: 'harmony', costEstimate: 700_000_000, fundingSources: ['dana_desa', 'csr'], years: [{ year: 2026, planned: 700_000_000, realised: null, note: '', fromLines: 0 }] }),
  initiative('sehat', { name: 'Telemedisin', elementKey: 'health', costEstimate: 300_000_000, fundingSources: ['dak_apbn'], years: [{ year: 2025, planned: 300_000_000, realised: 250_000_000, note: '', fromLines: 0 }] }),
];

test('Buku II lists initiatives per dimension and element, each element the sum of its initiatives; lines are a counted trace, not rows', async () => {
  const content = await buildContent(data(rows, items), 'rencana', { charts: false });
  assert.deepEqual(h1(content.blocks), ['BAB I PENDAHULUAN', 'BAB II INISIATIF PER DIMENSI', 'BAB III QUICK WIN', 'BAB IV ROADMAP', 'BAB V RENCANA PENGEMBANGAN', 'BAB VI PEMBIAYAAN', 'BAB VII IMPLEMENTASI DAN MONITORING', 'BAB VIII PENETAPAN DAN LAMPIRAN']);
  const all = tables(content.blocks);
  const living = all.find((t) => t.caption.endsWith('Inisiatif Smart Living per elemen'))!;
  assert.deepEqual(living.rows.map((r) => [r[0], r[3], r[4]]), [
    ['Tata ruang wilayah selaras (harmonisasi)', 'Rp 5.700.000.000', 'Rp 4.000.000.000'], ['SPAM Cerdas', 'Rp 5.000.000.000', 'Rp 4.000.000.000'], ['Air Bersih Desa', 'Rp 700.000.000', 'Rp 0'],
    ['Prasarana kesehatan', 'Rp 300.000.000', 'Rp 0'], ['Telemedisin', 'Rp 300.000.000', 'Rp 0'],
    ['Jumlah', 'Rp 6.000.000.000', 'Rp 4.000.000.000'],
  ]);
  assert.deepEqual(living.rowStyles?.map((s) => [s.indent, s.bold]), [[0, true], [1, false], [1, false], [0, true], [1, false], [0, true]]);
  assert.equal(living.rows[1]![1], 'DPUPR (pendukung: DLH)');
  assert.equal(living.rows[2]![1], 'DPUPR');

  const summary = all.find((t) => t.caption.endsWith('Ringkasan inisiatif per dimensi'))!;
  assert.deepEqual(summary.rows.find((r) => r[0] === 'Smart Living'), ['Smart Living', '3', 'Rp 6.000.000.000', 'Rp 4.000.000.000', '0', 'Rp 0'], 'the SPAM program above the linked line is not "ungrouped"');
  assert.deepEqual(summary.rows.find((r) => r[0] === 'Smart Environment')?.slice(4), ['1', 'Rp 1.600.000.000'], 'the other sub kegiatan counts once, in its own dimension');
  for (const col of [1, 2, 3, 4, 5]) assert.equal(rp(summary.rows.at(-1)![col]!), summary.rows.slice(0, -1).reduce((a, r) => a + rp(r[col]!), 0), `column ${summary.headers[col]} adds up`);

  const detail = all.find((t) => t.caption.endsWith('Rincian inisiatif SPAM Cerdas'))!;
  assert.equal(detail.rows.find((r) => r[0] === 'Jejak pendanaan')![1], 'RKPD 2025: 1 baris, Rp 4.000.000.000');
  assert.equal(detail.rows.find((r) => r[0] === 'Sumber pendanaan')![1], 'APBD');
  const text = JSON.stringify(content.blocks);
  assert.ok(!text.includes('1.03.03.2.01.0007'), 'no SIPD line is listed');
  const captions = all.map((t) => t.caption);
  assert.deepEqual(captions.map((c) => Number(/^Tabel (\d+)\./.exec(c)![1])), captions.map((_, i) => i + 1));
});

test('the financing chapter: per funding source and year, several sources on one row of their own, every total the sum of its rows', async () => {
  const content = await buildContent(data(rows, items), 'rencana', { charts: false });
  const all = tables(content.blocks);
  const bySource = all.find((t) => t.caption.endsWith('Rencana dan realisasi pendanaan per sumber'))!;
  const row = (label: string) => bySource.rows.find((r) => r[0] === label);
  assert.deepEqual(row('APBD'), ['APBD', 'Rp 5.000.000.000', 'Rp 3.000.000.000', '60%'], 'a year without a plan takes its lines (2025), a planned year its plan (2026)');
  assert.deepEqual(row('DAK/APBN'), ['DAK/APBN', 'Rp 300.000.000', 'Rp 250.000.000', '83,3%']);
  assert.deepEqual(row('Lebih dari satu sumber'), ['Lebih dari satu sumber', 'Rp 700.000.000', 'Rp 0', '0%']);
  assert.deepEqual(row('KPBU'), ['KPBU', 'Rp 0', 'Rp 0', '-'], 'each of the six sources has its row');
  assert.equal(row('Belum ditentukan'), undefined);
  assert.deepEqual(bySource.rows.at(-1), ['Jumlah', 'Rp 6.000.000.000', 'Rp 3.250.000.000', '54,2%']);
  const byYear = all.find((t) => t.caption.endsWith('Rencana dan realisasi pendanaan per tahun dan sumber'))!;
  assert.deepEqual(byYear.rows, [
    ['2025', 'Rp 4.300.000.000', 'Rp 3.250.000.000', '75,6%'], ['APBD', 'Rp 4.000.000.000', 'Rp 3.000.000.000', '75%'], ['DAK/APBN', 'Rp 300.000.000', 'Rp 250.000.000', '83,3%'],
    ['2026', 'Rp 1.700.000.000', 'Rp 0', '0%'], ['APBD', 'Rp 1.000.000.000', 'Rp 0', '0%'], ['Lebih dari satu sumber', 'Rp 700.000.000', 'Rp 0', '0%'],
    ['Jumlah', 'Rp 6.000.000.000', 'Rp 3.250.000.000', '54,2%'],
  ]);
  assert.deepEqual(byYear.rowStyles?.map((s) => s.indent), [0, 1, 1, 0, 1, 1, 0]);
});

test('Buku I and III: their chapters; the earlier book names are Buku I and II; the ministry is the plan\'s', async () => {
  const d = data(rows, items);
  assert.deepEqual(h1((await buildContent(d, 'analisis', { charts: false })).blocks), ['BAB I PENDAHULUAN', 'BAB II GAMBARAN UMUM DAERAH', 'BAB III KONDISI SAAT INI PER DIMENSI', 'BAB IV ANALISIS KESIAPAN', 'BAB V ANALISIS STRATEGIS', 'BAB VI STRATEGI DAN TUJUAN']);
  assert.deepEqual(h1((await buildContent(d, 'strategic', { charts: false })).blocks), h1((await buildContent(d, 'analisis', { charts: false })).blocks));
  assert.equal((await buildContent(d, 'masterplan', { charts: false })).title, 'BUKU II RENCANA INDUK (MASTERPLAN) SMART CITY');
  const summary = await buildContent(d, 'ringkasan', { charts: false });
  assert.deepEqual(h1(summary.blocks), ['BAB I VISI DAN MISI', 'BAB II ENAM DIMENSI DAN INISIATIFNYA', 'BAB III ANGKA UTAMA', 'BAB IV QUICK WIN', 'BAB V INDEKS SMART CITY']);
  const perDim = tables(summary.blocks).find((t) => t.caption.endsWith('Inisiatif dan anggaran per dimensi'))!;
  assert.deepEqual(perDim.rows.find((r) => r[0] === 'Smart Living'), ['Smart Living', '3', 'Rp 4.000.000.000']);
  assert.deepEqual(perDim.rows.at(-1), ['Jumlah', '3', 'Rp 4.000.000.000']);

  const kominfo = await buildContent({ ...d, ministry: { nameId: 'Kementerian Komunikasi dan Informatika', short: 'Kominfo' } }, 'rencana', { charts: false });
  const text = kominfo.blocks.map((b) => (b.kind === 'p' ? b.text : '')).join('\n');
  assert.match(text, /Gerakan Menuju 100 Smart City yang dibina Kementerian Komunikasi dan Informatika \(Kominfo\)/);
  assert.doesNotMatch(text, /Komunikasi dan Digital/);
});
