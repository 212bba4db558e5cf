/**
 * SIPD lists a program's pagu again as the sum of its kegiatan, and a
 * kegiatan's as the sum of its sub kegiatan. A total counts each row's budget
 * only when nothing below it is listed in the same document, year and OPD,
 * or a plan imported at three levels would show three times its budget.
 */
export interface BudgetRow {
  code: string;
  document: string;
  year: number | null;
  opd: string | null;
  budget: number;
}

/** The budget each row adds to a total: its own, or 0 when its kegiatan or sub kegiatan are listed too. */
export function countedBudget<T extends BudgetRow>(rows: readonly T[]): (row: T) => number {
  const scope = (r: BudgetRow, code: string) => `${r.document}|${r.year ?? ''}|${r.opd ?? ''}|${code}`;
  const parents = new Set<string>();
  for (const r of rows) {
    const parts = r.code.split('.');
    // a program is U.BB.PP (3 parts), a kegiatan U.BB.PP.L.KK (5)
    for (const n of [3, 5]) if (parts.length > n) parents.add(scope(r, parts.slice(0, n).join('.')));
  }
  return (row) => (parents.has(scope(row, row.code)) ? 0 : row.budget);
}
