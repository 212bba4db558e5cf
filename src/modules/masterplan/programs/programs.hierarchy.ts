/**
 * The program → kegiatan → sub kegiatan hierarchy of imported planning rows,
 * and the budget summed once through it.
 *
 * SIPD lists a program's pagu again as the sum of its kegiatan, and a
 * kegiatan's as the sum of its sub kegiatan (programs.budget.ts decides which
 * row's own money counts). A row's mapping to a smart city dimension is its own,
 * else its nearest mapped parent's: a kegiatan of a Smart Living program is
 * Smart Living unless it was mapped elsewhere. Mapping each row on its own let
 * a sub kegiatan of a water supply program land in Smart Governance while its
 * program, listed with the same Rp 5,6 M, sat in Smart Living: a dimension
 * total then disagreed with the rows it listed.
 *
 * Within one dimension the table lists the rows of that dimension under their
 * parents; a parent's amount is the sum of what it and its descendants add to
 * that dimension, so every amount equals the sum of the amounts right below it
 * and the dimension's total equals the sum of its top rows.
 */
import { BUDGET_DOCUMENTS, countedBudget, type BudgetRow } from './programs.budget.ts';

export interface HierarchyInput extends BudgetRow {
  id: string;
  dimensionKey: string | null;
  elementKey: string | null;
}

/** The code of the row above: a sub kegiatan's kegiatan (U.BB.PP.L.KK), a kegiatan's program (U.BB.PP); null for a program. */
export function parentCode(code: string): string | null {
  const parts = code.split('.');
  if (parts.length > 5) return parts.slice(0, 5).join('.');
  if (parts.length > 3) return parts.slice(0, 3).join('.');
  return null;
}

const scope = (r: BudgetRow, code: string) => `${r.document}|${r.year ?? ''}|${r.opd ?? ''}|${code}`;

interface HierarchyLine<T> {
  row: T;
  /** 0 program, 1 kegiatan, 2 sub kegiatan (a row whose parent is not listed starts at 0) */
  depth: number;
  /** what this row and the rows below it add to the total asked for */
  amount: number;
  /** the row is listed only as the parent of rows that count (its own mapping is elsewhere) */
  context: boolean;
}

interface Hierarchy<T extends HierarchyInput> {
  /** the listed row above (its kegiatan, else its program, in the same document, year and OPD) */
  parent(row: T): T | null;
  /** the row's dimension and element: its own, else the nearest mapped parent's */
  mapping(row: T): { dimensionKey: string | null; elementKey: string | null };
  /** what the row adds to a total on its own (0 when its children are listed, or another document gives that year's budget) */
  counted(row: T): number;
  /** the rows whose mapping passes `keep`, under their parents, in code order, with amounts summed once */
  lines(keep: (row: T) => boolean): HierarchyLine<T>[];
  /** the sum of the counted budgets of the rows whose mapping passes `keep` */
  total(keep: (row: T) => boolean): number;
}

export function buildHierarchy<T extends HierarchyInput>(rows: readonly T[]): Hierarchy<T> {
  const counted = countedBudget(rows);
  const byScope = new Map<string, T>();
  for (const r of rows) byScope.set(scope(r, r.code), r);
  const parentOf = new Map<T, T | null>();
  for (const r of rows) {
    let code = parentCode(r.code);
    let parent: T | null = null;
    // a sub kegiatan whose kegiatan is not listed hangs under the program
    while (code !== null && parent === null) {
      parent = byScope.get(scope(r, code)) ?? null;
      code = parentCode(code);
    }
    parentOf.set(r, parent);
  }
  const children = new Map<T | null, T[]>();
  for (const r of rows) {
    const p = parentOf.get(r) ?? null;
    (children.get(p) ?? children.set(p, []).get(p)!).push(r);
  }
  // the same code of one year in several documents: the one whose budget counts first (RKPD before Renstra)
  const docRank = (d: string) => {
    const i = (BUDGET_DOCUMENTS as readonly string[]).indexOf(d.toUpperCase());
    return i === -1 ? BUDGET_DOCUMENTS.length : i;
  };
  const order = (a: T, b: T) =>
    a.code.localeCompare(b.code, 'en', { numeric: true }) || (a.year ?? 0) - (b.year ?? 0) || docRank(a.document) - docRank(b.document) || a.document.localeCompare(b.document) || (a.opd ?? '').localeCompare(b.opd ?? '') || a.id.localeCompare(b.id);
  for (const list of children.values()) list.sort(order);

  const mappingCache = new Map<T, { dimensionKey: string | null; elementKey: string | null }>();
  const mapping = (row: T): { dimensionKey: string | null; elementKey: string | null } => {
    const hit = mappingCache.get(row);
    if (hit) return hit;
    const parent = parentOf.get(row) ?? null;
    const m = row.dimensionKey !== null ? { dimensionKey: row.dimensionKey, elementKey: row.elementKey } : parent ? mapping(parent) : { dimensionKey: null, elementKey: null };
    mappingCache.set(row, m);
    return m;
  };

  const lines = (keep: (row: T) => boolean): HierarchyLine<T>[] => {
    const out: HierarchyLine<T>[] = [];
    // returns the amount of the subtree and whether anything in it is kept
    const walk = (row: T, depth: number): { amount: number; any: boolean } => {
      const at = out.length;
      out.push({ row, depth, amount: 0, context: false });
      const mine = keep(row);
      let amount = mine ? counted(row) : 0;
      let any = mine;
      for (const c of children.get(row) ?? []) {
        const sub = walk(c, depth + 1);
        amount += sub.amount;
        any ||= sub.any;
      }
      if (!any) out.length = at;
      else out[at] = { row, depth, amount, context: !mine };
      return { amount, any };
    };
    for (const root of children.get(null) ?? []) walk(root, 0);
    return out;
  };

  const total = (keep: (row: T) => boolean) => rows.reduce((sum, r) => sum + (keep(r) ? counted(r) : 0), 0);
  return { parent: (row) => parentOf.get(row) ?? null, mapping, counted, lines, total };
}
