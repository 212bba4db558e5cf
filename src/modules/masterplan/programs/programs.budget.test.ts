import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countedBudget, type BudgetRow } from './programs.budget.ts';

const row = (code: string, budget: number, more: Partial<BudgetRow> = {}): BudgetRow => ({ code, budget, document: 'RKPD', year: 2025, opd: 'kominfo', ...more });

describe('budget totals over SIPD levels', () => {
  it('counts a program imported with its kegiatan and sub kegiatan once', () => {
    const rows = [row('2.16.03', 2_150_000_000), row('2.16.03.2.02', 2_150_000_000), row('2.16.03.2.02.0014', 1_250_000_000), row('2.16.03.2.02.0005', 900_000_000)];
    const counted = countedBudget(rows);
    assert.deepEqual(rows.map(counted), [0, 0, 1_250_000_000, 900_000_000]);
    assert.equal(rows.map(counted).reduce((a, b) => a + b, 0), 2_150_000_000);
  });

  it('counts a program or kegiatan whose children are not listed', () => {
    const rows = [row('1.02.02', 3_400_000_000), row('2.16.03.2.02', 500_000_000)];
    assert.deepEqual(rows.map(countedBudget(rows)), [3_400_000_000, 500_000_000]);
  });

  it('keeps years and OPDs apart', () => {
    const rows = [row('2.16.03.2.02.0014', 40), row('2.16.03', 70, { year: 2026 }), row('2.16.03', 100, { opd: 'pupr' }), row('2.16.03.2.02', 30, { opd: 'pupr', year: 2027 })];
    assert.deepEqual(rows.map(countedBudget(rows)), [40, 70, 100, 30]);
  });

  it('takes a year\'s budget from one document: the RKPD over the Renja it consolidates and the RPJMD that repeats it', () => {
    const rows = [
      row('2.16.03.2.02.0014', 1_250_000_000),
      row('2.16.03.2.02.0014', 1_250_000_000, { document: 'RENJA' }),
      row('2.16.03', 2_000_000_000, { document: 'RPJMD' }),
      row('2.16.03', 1_900_000_000, { document: 'RPJMD', year: 2026 }),
      row('2.16.03.2.02', 800_000_000, { document: 'RENJA', year: 2027 }),
    ];
    assert.deepEqual(rows.map(countedBudget(rows)), [1_250_000_000, 0, 0, 1_900_000_000, 800_000_000]);
  });
});
