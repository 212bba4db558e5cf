import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildContent, type Block } from './export.content.ts';
import type { ExportData, ProgramRow } from './export.data.ts';

const program = (code: string, budget: number, extra: Partial<ProgramRow> = {}): ProgramRow => ({
  id: `${extra.document ?? 'RKPD'}-${code}`, code, name: `Nama ${code}`, level: code.split('.').length === 3 ? 'program' : code.split('.').length === 5 ? 'kegiatan' : 'sub_kegiatan',
  document: 'RKPD', opd: 'opd-pu', opdCode: 'DPUPR', opdName: 'Dinas PUPR', budget, countedBudget: 0, year: 2025, indicator: '', target: '', unit: '',
  dimensionKey: null, elementKey: null, quickWin: false, horizon: null, roadmapYear: null, reviewStatus: 'draft', kpiTargets: [], ...extra,
});

function data(programs: ProgramRow[]): ExportData {
  return {
    regionName: 'Kabupaten Musi Rawas', regionShort: 'Musi Rawas', year: 2026,
    plan: { title: 'Masterplan', vision: '', missions: [], policyDirections: [], periodStart: 2025, periodEnd: 2029 },
    ministry: { nameId: 'Kementerian Komunikasi dan Digital', short: 'Komdigi' },
    readinessYear: null, readiness: [], swot: {}, programs, sessions: [], commitments: [], evaluations: [],
  };
}

type Table = Extract<Block, { kind: 'table' }>;
const rp = (s: string) => Number(s.replace(/^Rp /, '').replace(/\./g, ''));
const tables = (blocks: Block[]) => blocks.filter((b): b is Table => b.kind === 'table');

test('Bab IV: a row another document budgets for that year is listed with its pagu, not added; a parent of another dimension is marked', async () => {
  // export.data gives countedBudget and the inherited mapping; here set as it would
  const rows = [
    program('1.03.03', 5_600_000_000, { dimensionKey: 'living', elementKey: 'harmony' }),
    program('1.03.03.2.01', 5_600_000_000, { dimensionKey: 'living', elementKey: 'harmony' }),
    program('1.03.03.2.01.0006', 4_000_000_000, { dimensionKey: 'living', elementKey: 'harmony', countedBudget: 4_000_000_000 }),
    program('1.03.03.2.01.0007', 1_600_000_000, { dimensionKey: 'environment', elementKey: 'waste', countedBudget: 1_600_000_000 }),
    program('1.03.03', 30_000_000_000, { document: 'RENSTRA', dimensionKey: 'living', elementKey: 'harmony' }),
  ];
  const content = await buildContent(data(rows), 'masterplan', { charts: false });
  const all = tables(content.blocks);
  const summary = all.find((t) => t.caption.endsWith('Ringkasan program per dimensi'))!;
  assert.deepEqual(summary.rows.find((r) => r[0] === 'Smart Living')?.[3], 'Rp 4.000.000.000');
  assert.deepEqual(summary.rows.at(-1)?.[3], 'Rp 5.600.000.000', 'the Renstra\'s five-year money is not added to the RKPD year');

  const living = all.find((t) => t.caption.endsWith('Program Smart Living'))!;
  assert.deepEqual(living.rows.map((r) => [r[0], r[3]]), [['1.03.03', 'Rp 4.000.000.000'], ['1.03.03.2.01', 'Rp 4.000.000.000'], ['1.03.03.2.01.0006', 'Rp 4.000.000.000'], ['1.03.03', 'Rp 0'], ['', 'Rp 4.000.000.000']]);
  assert.match(living.rows[3]![1]!, /RENSTRA, pagu Rp 30\.000\.000\.000 tidak dijumlahkan: anggaran 2025 diambil dari RKPD/);
  assert.deepEqual(living.rowStyles?.map((s) => s.indent), [0, 1, 2, 0, 0]);
  assert.deepEqual(living.rowStyles?.map((s) => s.bold), [true, true, false, false, true], 'subtotal rows and the total are bold');

  const env = all.find((t) => t.caption.endsWith('Program Smart Environment'))!;
  assert.deepEqual(env.rows.map((r) => [r[0], r[3]]), [['1.03.03', 'Rp 1.600.000.000'], ['1.03.03.2.01', 'Rp 1.600.000.000'], ['1.03.03.2.01.0007', 'Rp 1.600.000.000'], ['', 'Rp 1.600.000.000']]);
  assert.match(env.rows[0]![1]!, /induk; dipetakan ke dimensi lain/);
  // every dimension table's total is in the summary
  for (const t of [living, env]) assert.equal(rp(t.rows.at(-1)![3]!), rp(summary.rows.find((r) => t.caption.endsWith(r[0]!))![3]!));
});

test('the ministry named in Bab I and in the monitoring section is the plan\'s', async () => {
  const content = await buildContent({ ...data([]), ministry: { nameId: 'Kementerian Komunikasi dan Informatika', short: 'Kominfo' } }, 'masterplan', { charts: false });
  const text = content.blocks.map((b) => (b.kind === 'p' ? b.text : '')).join('\n');
  assert.match(text, /Gerakan Menuju 100 Smart City yang dibina Kementerian Komunikasi dan Informatika \(Kominfo\)/);
  assert.doesNotMatch(text, /Komunikasi dan Digital/);
});
