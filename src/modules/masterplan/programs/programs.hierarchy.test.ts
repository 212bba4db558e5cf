import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildHierarchy, parentCode, type HierarchyInput } from './programs.hierarchy.ts';

const row = (code: string, budget: number, dimensionKey: string | null = null, extra: Partial<HierarchyInput> = {}): HierarchyInput => ({
  id: code, code, document: 'RKPD', year: 2025, opd: 'DPUPR', budget, dimensionKey, elementKey: null, ...extra,
});

test('parent codes: a sub kegiatan hangs under its kegiatan, a kegiatan under its program', () => {
  assert.equal(parentCode('1.03.03.2.01.0006'), '1.03.03.2.01');
  assert.equal(parentCode('1.03.03.2.01'), '1.03.03');
  assert.equal(parentCode('1.03.03'), null);
});

test('a kegiatan follows its program\'s dimension; each rupiah counts once, in one dimension', () => {
  // The sample RKPD's water supply: Rp 5,6 M repeated at three levels; the sub kegiatan alone
  // (mapped on its own words "jaringan perpipaan") went to Smart Governance before.
  const rows = [row('1.03.03', 5_600_000_000, 'living'), row('1.03.03.2.01', 5_600_000_000), row('1.03.03.2.01.0006', 5_600_000_000)];
  const h = buildHierarchy(rows);
  assert.deepEqual(rows.map((r) => h.mapping(r).dimensionKey), ['living', 'living', 'living']);
  const living = (r: HierarchyInput) => h.mapping(r).dimensionKey === 'living';
  assert.equal(h.total(living), 5_600_000_000);
  assert.deepEqual(h.lines(living).map((l) => [l.row.code, l.depth, l.amount, l.context]), [
    ['1.03.03', 0, 5_600_000_000, false],
    ['1.03.03.2.01', 1, 5_600_000_000, false],
    ['1.03.03.2.01.0006', 2, 5_600_000_000, false],
  ]);
  assert.equal(h.total((r) => h.mapping(r).dimensionKey === 'governance'), 0);
});

test('a sub kegiatan mapped elsewhere leaves its program\'s table; listed under its program in its own dimension', () => {
  const rows = [
    row('2.15.02', 3_000_000_000, 'living'),
    row('2.15.02.2.01', 3_000_000_000),
    row('2.15.02.2.01.0004', 2_000_000_000, 'environment'),
    row('2.15.02.2.01.0005', 1_000_000_000),
  ];
  const h = buildHierarchy(rows);
  const of = (key: string) => (r: HierarchyInput) => h.mapping(r).dimensionKey === key;
  assert.deepEqual(h.lines(of('living')).map((l) => [l.row.code, l.amount]), [['2.15.02', 1_000_000_000], ['2.15.02.2.01', 1_000_000_000], ['2.15.02.2.01.0005', 1_000_000_000]]);
  const env = h.lines(of('environment'));
  assert.deepEqual(env.map((l) => [l.row.code, l.amount, l.context]), [['2.15.02', 2_000_000_000, true], ['2.15.02.2.01', 2_000_000_000, true], ['2.15.02.2.01.0004', 2_000_000_000, false]]);
  assert.equal(h.total(of('living')) + h.total(of('environment')), 3_000_000_000);
});

test('hierarchies are per document, year and OPD; a missing kegiatan puts the sub kegiatan under the program', () => {
  const rows = [
    row('1.02.02', 100, 'living'),
    row('1.02.02.2.02.0033', 60),
    row('1.02.02.2.02.0034', 40),
    row('1.02.02.2.02.0033', 999, null, { id: 'other-opd', opd: 'RSUD' }),
  ];
  const h = buildHierarchy(rows);
  assert.equal(h.parent(rows[1]!), rows[0]);
  assert.equal(h.parent(rows[3]!), null, 'another OPD\'s row is not a child of this program');
  assert.equal(h.mapping(rows[3]!).dimensionKey, null);
  const lines = h.lines((r) => h.mapping(r).dimensionKey === 'living');
  assert.deepEqual(lines.map((l) => [l.row.code, l.depth, l.amount]), [['1.02.02', 0, 100], ['1.02.02.2.02.0033', 1, 60], ['1.02.02.2.02.0034', 1, 40]]);
});
