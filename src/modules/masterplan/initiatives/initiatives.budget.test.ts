import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initiativeBudgets, linkKey, type BudgetLine } from './initiatives.budget.ts';

const line = (id: string, code: string, budget: number, extra: Partial<BudgetLine> = {}): BudgetLine => ({ id, code, budget, document: 'RKPD', year: 2025, opdId: 'kominfo', ...extra });
// SIPD: the program repeats its kegiatan's pagu, the kegiatan its sub kegiatan's
const TREE = [line('p', '2.16.03', 2_150_000_000), line('k', '2.16.03.2.02', 2_150_000_000), line('s1', '2.16.03.2.02.0014', 1_250_000_000), line('s2', '2.16.03.2.02.0005', 900_000_000)];

describe('initiative budgets from the funding trace', () => {
  it('counts a program linked with its kegiatan and sub kegiatan once', () => {
    const { byInitiative, byLink } = initiativeBudgets(TREE, ['p', 'k', 's1'].map((programId) => ({ initiativeId: 'A', programId, share: 100 })));
    assert.equal(byInitiative.get('A')!.total, 2_150_000_000);
    assert.equal(byLink.get(linkKey('A', 's1')), 1_250_000_000);
    assert.equal(byLink.get(linkKey('A', 'k')), 900_000_000, 'the kegiatan holds the leaf nobody linked');
    assert.equal(byLink.get(linkKey('A', 'p')), 0);
  });

  it('gives a sub kegiatan linked elsewhere to that initiative only, and splits by shares', () => {
    const { byInitiative } = initiativeBudgets(TREE, [
      { initiativeId: 'A', programId: 'p', share: 100 },
      { initiativeId: 'B', programId: 's1', share: 60 },
      { initiativeId: 'C', programId: 's1', share: 40 },
    ]);
    assert.equal(byInitiative.get('A')!.total, 900_000_000);
    assert.equal(byInitiative.get('B')!.total, 750_000_000);
    assert.equal(byInitiative.get('C')!.total, 500_000_000);
    const all = [...byInitiative.values()].reduce((s, b) => s + b.total, 0);
    assert.equal(all, 2_150_000_000, 'the three together hold the program once');
  });

  it('counts a program listed without kegiatan by its own pagu, and a year from one document', () => {
    const lines = [line('a', '1.05.03', 1_350_000_000), line('r', '1.05.03', 1_300_000_000, { document: 'RENJA' }), line('n', '1.05.03', 900_000_000, { document: 'RENJA', year: 2026 })];
    const { byInitiative } = initiativeBudgets(lines, ['a', 'r', 'n'].map((programId) => ({ initiativeId: 'A', programId, share: 100 })));
    assert.equal(byInitiative.get('A')!.total, 1_350_000_000 + 900_000_000, '2025 from the RKPD, 2026 from the Renja');
    assert.deepEqual([...byInitiative.get('A')!.byYear], [[2025, 1_350_000_000], [2026, 900_000_000]]);
  });
});
