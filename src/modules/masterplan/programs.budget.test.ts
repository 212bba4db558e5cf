import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countedBudget, type BudgetRow } from './programs.budget.js';

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

  it('keeps documents, years and OPDs apart', () => {
    const rows = [row('2.16.03', 100, { document: 'RPJMD' }), row('2.16.03.2.02.0014', 40), row('2.16.03', 70, { year: 2026 }), row('2.16.03.2.02', 30, { opd: 'pupr' })];
    assert.deepEqual(rows.map(countedBudget(rows)), [100, 40, 70, 30]);
  });
});
