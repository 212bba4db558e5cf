/**
 * Grouping suggestions for the lines no initiative holds yet: join an
 * existing initiative (same dimension, shared words, same OPD) or start a new
 * one named from a group of lines (same dimension, element and OPD). The API
 * only suggests; the user accepts by linking or creating.
 *
 * A line is offered as a whole subtree: a program none of whose kegiatan or
 * sub kegiatan is linked is offered once, with them; when one of its kegiatan
 * is linked, its other kegiatan are offered one by one. A line under a linked
 * program is held already (the program's link counts its money).
 */
import type { MpProgramsTable } from '../../../platform/db/schema.ts';
import { stem, suggest } from '../programs/programs.suggest.ts';
import { initiativeBudgets } from './initiatives.budget.ts';
import type { Suggestions } from './initiatives.contract.ts';
import type { InitiativeRow, LinkRow } from './initiatives.repository.ts';
import { list } from './initiatives.service.ts';

/** Words of SIPD nomenclature that every line shares: they tell nothing about what a line is for. */
const STOP = new Set(
  ['program', 'kegiatan', 'sub', 'dan', 'di', 'ke', 'untuk', 'yang', 'dengan', 'atau', 'pada', 'dalam', 'lingkup', 'daerah', 'kabupaten', 'kota', 'provinsi', 'pemerintah',
    'pengelolaan', 'penyelenggaraan', 'penyediaan', 'pembangunan', 'pengembangan', 'peningkatan', 'pelaksanaan', 'fasilitasi', 'jumlah', 'persentase', 'cakupan', 'tingkat', 'kawasan',
    'unit', 'sistem', 'layanan', 'urusan', 'bidang', 'tahun'].map(stem),
);

function words(...texts: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of texts.join(' ').toLowerCase().replace(/e-/g, 'e').split(/[^a-z0-9]+/)) {
    if (raw.length < 3 || /^\d+$/.test(raw)) continue;
    const s = stem(raw);
    if (!STOP.has(s) && !out.has(s)) out.set(s, raw);
  }
  return out;
}

const scopeOf = (l: MpProgramsTable) => `${l.document}|${l.year}|${l.opd_id ?? ''}`;
const parentCodes = (code: string) => {
  const parts = code.split('.');
  return [5, 3].filter((n) => parts.length > n).map((n) => parts.slice(0, n).join('.'));
};
const LEVEL_ORDER: Record<string, number> = { program: 0, kegiatan: 1, sub_kegiatan: 2 };

/** Conjunctions and prepositions stay lower case in a title. */
const SMALL_WORDS = new Set(['dan', 'di', 'ke', 'dari', 'untuk', 'yang', 'dengan', 'atau', 'pada', 'dalam', 'serta', 'bagi', 'oleh']);

/** "PROGRAM PENGELOLAAN PERSAMPAHAN" → "Pengelolaan Persampahan". */
export function initiativeName(lineName: string): string {
  let name = lineName.trim().replace(/^program\s+/i, '');
  if (name === name.toUpperCase()) {
    name = name.toLowerCase().replace(/(^|[\s(/-])(\p{L}+)/gu, (m, sep: string, word: string) => (sep !== '' && SMALL_WORDS.has(word) ? m : sep + word[0]!.toUpperCase() + word.slice(1)));
  }
  // abbreviations in brackets stay upper case: (LLAJ), (SPAM)
  return name.replace(/\(([^)]{2,8})\)/g, (_m, a: string) => `(${a.toUpperCase()})`);
}

interface SuggestOptions { year?: number; document?: string; limit: number }

/** `lines`, `links`: the whole region (coverage needs both); `opdCode` names an OPD for the answer. */
export function suggestGroupings(lines: MpProgramsTable[], links: LinkRow[], initiatives: InitiativeRow[], opdCode: (id: string | null) => string | null, options: SuggestOptions): Suggestions {
  const linked = new Set(links.map((k) => k.program_id));
  const byScopeCode = new Map(lines.map((l) => [`${scopeOf(l)}|${l.code}`, l]));
  const parentOf = (l: MpProgramsTable) => parentCodes(l.code).map((c) => byScopeCode.get(`${scopeOf(l)}|${c}`)).find(Boolean);
  const ancestorsOf = (l: MpProgramsTable) => parentCodes(l.code).flatMap((c) => byScopeCode.get(`${scopeOf(l)}|${c}`) ?? []);
  // a line with a linked line below it cannot be offered whole
  const tainted = new Set<string>();
  for (const l of lines) if (linked.has(l.id)) for (const a of ancestorsOf(l)) tainted.add(a.id);
  const children = new Map<string, MpProgramsTable[]>();
  for (const l of lines) for (const a of ancestorsOf(l)) (children.get(a.id) ?? children.set(a.id, []).get(a.id)!).push(l);
  const offered = lines.filter((l) => {
    if (options.year !== undefined && l.year !== options.year) return false;
    if (options.document !== undefined && l.document !== options.document) return false;
    if (linked.has(l.id) || tainted.has(l.id) || ancestorsOf(l).some((a) => linked.has(a.id))) return false;
    const parent = parentOf(l);
    return !parent || tainted.has(parent.id);
  });
  const budgets = initiativeBudgets(
    lines.map((l) => ({ id: l.id, code: l.code, document: l.document, year: l.year, opdId: l.opd_id, budget: Number(l.budget) })),
    offered.map((l) => ({ initiativeId: l.id, programId: l.id, share: 100 })),
  ).byInitiative;
  const shown = (l: MpProgramsTable) => ({ programId: l.id, code: l.code, name: l.name, level: l.level, document: l.document, year: l.year, opdCode: opdCode(l.opd_id), budget: budgets.get(l.id)?.total ?? 0 });

  const targets = initiatives.map((i) => ({ row: i, words: words(i.name, i.problem, i.goal, i.target, ...list(i.indicators)), supporting: new Set(list(i.supporting_opd_ids)) }));
  const join: Suggestions['join'] = [];
  const groups = new Map<string, { dimensionKey: string; elementKey: string | null; opdId: string | null; lines: MpProgramsTable[] }>();
  let unmatched = 0;
  for (const l of offered) {
    const below = children.get(l.id) ?? [];
    const mine = words(l.name, l.indicator, ...below.map((c) => c.name));
    const guess = l.dimension_key ? { dimensionKey: l.dimension_key, elementKey: l.element_key } : suggest(l.name, l.indicator, ...below.map((c) => `${c.name} ${c.indicator}`));
    let best: Suggestions['join'][number] | null = null;
    for (const t of targets) {
      const shared = [...mine.keys()].filter((w) => t.words.has(w));
      const points: [reason: string, points: number][] = [];
      if (guess && guess.dimensionKey === t.row.dimension_key) points.push(['dimension', 0.4]);
      if (guess?.elementKey && guess.elementKey === t.row.element_key) points.push(['element', 0.1]);
      if (shared.length) points.push(['words', 0.3 * Math.min(1, shared.length / 3)]);
      if (l.opd_id && l.opd_id === t.row.lead_opd_id) points.push(['opd', 0.2]);
      else if (l.opd_id && t.supporting.has(l.opd_id)) points.push(['opd', 0.1]);
      const reasons = points.map(([r]) => r);
      const score = points.reduce((s, [, n]) => s + n, 0);
      // words alone (another dimension) or a dimension alone are not enough
      if (score < 0.6 || !reasons.includes('dimension') || (!reasons.includes('words') && !reasons.includes('opd'))) continue;
      if (!best || score > best.score) best = { initiativeId: t.row.id, initiativeName: t.row.name, score: Math.round(score * 100) / 100, reasons, words: shared.map((w) => mine.get(w)!), line: shown(l) };
    }
    if (best) join.push(best);
    else if (guess) {
      const key = `${guess.dimensionKey}|${guess.elementKey ?? ''}|${l.opd_id ?? ''}`;
      (groups.get(key) ?? groups.set(key, { dimensionKey: guess.dimensionKey, elementKey: guess.elementKey ?? null, opdId: l.opd_id, lines: [] }).get(key)!).lines.push(l);
    } else unmatched++;
  }
  const create: Suggestions['create'] = [...groups.values()].map((g) => {
    const lines = g.lines.map(shown).sort((a, b) => b.budget - a.budget || a.code.localeCompare(b.code));
    // named from its broadest, then largest line
    const head = [...g.lines].sort((a, b) => (LEVEL_ORDER[a.level] ?? 3) - (LEVEL_ORDER[b.level] ?? 3) || Number(b.budget) - Number(a.budget))[0]!;
    return { name: initiativeName(head.name), dimensionKey: g.dimensionKey, elementKey: g.elementKey, leadOpdId: g.opdId, budget: lines.reduce((s, x) => s + x.budget, 0), lines };
  });
  join.sort((a, b) => b.score - a.score || b.line.budget - a.line.budget);
  create.sort((a, b) => b.budget - a.budget || a.name.localeCompare(b.name));
  return { join: join.slice(0, options.limit), create: create.slice(0, options.limit), unmatched };
}
