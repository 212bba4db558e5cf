/**
 * An initiative's budget from its funding trace, each rupiah counted once.
 *
 * SIPD lists a program's pagu again as the sum of its kegiatan, and a
 * kegiatan's as the sum of its sub kegiatan, so money lives on the leaves: a
 * line with nothing listed below it (in the same document, year and OPD). Each
 * leaf's pagu goes to the nearest linked line at or above it (itself, its
 * kegiatan, its program) and is split by that line's shares. A program linked
 * to one initiative and one of its sub kegiatan linked to another thus gives
 * the sub kegiatan's money to the second only, and linking a program with its
 * kegiatan adds nothing twice.
 *
 * The documents repeat the same money (the RKPD consolidates the Renja), so an
 * initiative's year is taken from one document: the best of programs.budget.ts's
 * order among its lines of that year; lines of other documents that year count 0.
 */
import { BUDGET_DOCUMENTS } from '../programs/programs.budget.ts';

export interface BudgetLine { id: string; code: string; document: string; year: number; opdId: string | null; budget: number }
interface BudgetLink { initiativeId: string; programId: string; share: number }
interface InitiativeBudget { total: number; byYear: Map<number, number> }

const rank = (document: string) => {
  const i = (BUDGET_DOCUMENTS as readonly string[]).indexOf(document.toUpperCase());
  return i === -1 ? BUDGET_DOCUMENTS.length : i;
};
const scopeOf = (l: BudgetLine) => `${l.document}|${l.year}|${l.opdId ?? ''}`;
/** a program is U.BB.PP (3 parts), a kegiatan U.BB.PP.L.KK (5): the codes above a line, nearest first */
const ancestors = (code: string) => {
  const parts = code.split('.');
  return [5, 3].filter((n) => parts.length > n).map((n) => parts.slice(0, n).join('.'));
};
export const linkKey = (initiativeId: string, programId: string) => `${initiativeId}|${programId}`;

/**
 * `lines`: the region's lines (at least every line in a scope that holds a
 * link); `links`: the links to count. Answers what each link adds, in whole
 * rupiah, and per initiative its total (the sum of its links) and its years.
 */
export function initiativeBudgets(lines: readonly BudgetLine[], links: readonly BudgetLink[]): { byLink: Map<string, number>; byInitiative: Map<string, InitiativeBudget> } {
  const linksOf = new Map<string, BudgetLink[]>();
  for (const k of links) (linksOf.get(k.programId) ?? linksOf.set(k.programId, []).get(k.programId)!).push(k);
  const byScopeCode = new Map<string, BudgetLine>();
  const parents = new Set<string>();
  for (const l of lines) {
    const scope = scopeOf(l);
    const key = `${scope}|${l.code}`;
    // of two lines with one code in a scope (made by hand), the linked one holds the money
    if (!byScopeCode.has(key) || linksOf.has(l.id)) byScopeCode.set(key, l);
    for (const a of ancestors(l.code)) parents.add(`${scope}|${a}`);
  }
  const raw = new Map<string, { link: BudgetLink; line: BudgetLine; amount: number }>();
  for (const leaf of lines) {
    const scope = scopeOf(leaf);
    if (parents.has(`${scope}|${leaf.code}`) || leaf.budget === 0) continue;
    const holder = [leaf, ...ancestors(leaf.code).map((a) => byScopeCode.get(`${scope}|${a}`))].find((l) => l !== undefined && linksOf.has(l.id));
    if (!holder) continue;
    for (const link of linksOf.get(holder.id)!) {
      const key = linkKey(link.initiativeId, link.programId);
      const entry = raw.get(key) ?? raw.set(key, { link, line: holder, amount: 0 }).get(key)!;
      entry.amount += (leaf.budget * link.share) / 100;
    }
  }
  const best = new Map<string, number>();
  for (const { link, line } of raw.values()) {
    const k = `${link.initiativeId}|${line.year}`;
    best.set(k, Math.min(best.get(k) ?? Infinity, rank(line.document)));
  }
  const byLink = new Map<string, number>();
  const byInitiative = new Map<string, InitiativeBudget>();
  for (const k of links) byLink.set(linkKey(k.initiativeId, k.programId), 0);
  for (const [key, { link, line, amount }] of raw) {
    if (rank(line.document) !== best.get(`${link.initiativeId}|${line.year}`)) continue;
    const whole = Math.round(amount);
    byLink.set(key, whole);
    const b = byInitiative.get(link.initiativeId) ?? byInitiative.set(link.initiativeId, { total: 0, byYear: new Map() }).get(link.initiativeId)!;
    b.total += whole;
    b.byYear.set(line.year, (b.byYear.get(line.year) ?? 0) + whole);
  }
  return { byLink, byInitiative };
}
