/**
 * Budget totals over programs imported from several planning documents.
 *
 * SIPD lists a program's pagu again as the sum of its kegiatan, and a
 * kegiatan's as the sum of its sub kegiatan: a row counts only when nothing
 * below it is listed in the same document, year and OPD, or a plan imported at
 * three levels would show three times its budget. The documents overlap too
 * (the RKPD consolidates the OPDs' Renja; the RPJMD and Renstra repeat the
 * same money as five-year targets), so a year's total is taken from one
 * document: the RKPD, else the Renja, else the Renstra, the RPJMD, the RPJPD.
 */
export interface BudgetRow {
  code: string;
  document: string;
  year: number | null;
  opd: string | null;
  budget: number;
}

/** The order in which a year's budget is taken from the documents present that year. */
export const BUDGET_DOCUMENTS = ['RKPD', 'RENJA', 'RENSTRA', 'RPJMD', 'RPJPD'] as const;

const rank = (document: string) => {
  const i = (BUDGET_DOCUMENTS as readonly string[]).indexOf(document.toUpperCase());
  return i === -1 ? BUDGET_DOCUMENTS.length : i;
};

/** The budget each row adds to a total: its own, or 0 when its kegiatan or sub kegiatan are listed, or when another document gives that year's budget. */
export function countedBudget<T extends BudgetRow>(rows: readonly T[]): (row: T) => number {
  const scope = (r: BudgetRow, code: string) => `${r.document}|${r.year ?? ''}|${r.opd ?? ''}|${code}`;
  const parents = new Set<string>();
  const bestOfYear = new Map<number | null, number>();
  for (const r of rows) {
    const parts = r.code.split('.');
    // a program is U.BB.PP (3 parts), a kegiatan U.BB.PP.L.KK (5)
    for (const n of [3, 5]) if (parts.length > n) parents.add(scope(r, parts.slice(0, n).join('.')));
    bestOfYear.set(r.year, Math.min(bestOfYear.get(r.year) ?? Infinity, rank(r.document)));
  }
  return (row) => (rank(row.document) !== bestOfYear.get(row.year) || parents.has(scope(row, row.code)) ? 0 : row.budget);
}
