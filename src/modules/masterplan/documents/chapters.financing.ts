/**
 * Buku II's financing chapter: the initiatives' money per funding source
 * (APBD, DAK/APBN, Dana Desa, CSR, KPBU, hibah) and year, planned and
 * realised. An initiative's year is its planned amount, else what its linked
 * lines give that year; it counts once, under its one source, or under
 * "Lebih dari satu sumber" when it names several (the plan does not say how
 * they share it), or "Belum ditentukan". Every total is the sum of its rows.
 */
import { fmtNumber } from './export.data.ts';
import type { Initiative } from '../initiatives/initiatives.contract.ts';
import { FUNDING_SOURCES } from '../initiatives/initiatives.constants.ts';
import type { BookData, BookWriter, Chapter } from './book.ts';
import { rp, sourceName } from './format.ts';

const MIXED = 'Lebih dari satu sumber';
const NONE = 'Belum ditentukan';
const rowOf = (i: Initiative) => (i.fundingSources.length === 1 ? sourceName(i.fundingSources[0]!) : i.fundingSources.length > 1 ? MIXED : NONE);
const plannedOf = (y: Initiative['years'][number]) => y.planned ?? y.fromLines;

/** The years the table shows: the plan's period, and any year an initiative has money in. */
function financingYears(data: BookData): number[] {
  const ys = new Set<number>();
  const { periodStart, periodEnd } = data.plan;
  if (periodStart !== null && periodEnd !== null && periodEnd >= periodStart && periodEnd - periodStart < 15) for (let y = periodStart; y <= periodEnd; y++) ys.add(y);
  for (const i of data.initiatives.items) for (const y of i.years) if (plannedOf(y) > 0 || (y.realised ?? 0) > 0) ys.add(y.year);
  return [...ys].sort((a, b) => a - b);
}

/** Per funding source row (the six, then mixed or undetermined when they hold money) and year: planned and realised. */
export function financingMatrix(data: BookData) {
  const yearList = financingYears(data);
  const labels = [...FUNDING_SOURCES.map((s) => s.nameId), MIXED, NONE];
  const cell = new Map<string, { planned: number; realised: number }>();
  for (const i of data.initiatives.items) for (const y of i.years) {
    const k = `${rowOf(i)}|${y.year}`;
    const c = cell.get(k) ?? cell.set(k, { planned: 0, realised: 0 }).get(k)!;
    c.planned += plannedOf(y);
    c.realised += y.realised ?? 0;
  }
  const at = (label: string, year: number) => cell.get(`${label}|${year}`) ?? { planned: 0, realised: 0 };
  const sources = labels
    .map((label) => ({ label, planned: yearList.reduce((a, y) => a + at(label, y).planned, 0), realised: yearList.reduce((a, y) => a + at(label, y).realised, 0) }))
    .filter((r) => FUNDING_SOURCES.some((s) => s.nameId === r.label) || r.planned > 0 || r.realised > 0);
  const years = yearList.map((year) => {
    const rows = labels.map((label) => ({ label, ...at(label, year) })).filter((r) => r.planned > 0 || r.realised > 0);
    return { year, rows, planned: rows.reduce((a, r) => a + r.planned, 0), realised: rows.reduce((a, r) => a + r.realised, 0) };
  });
  return { sources, years, planned: sources.reduce((a, r) => a + r.planned, 0), realised: sources.reduce((a, r) => a + r.realised, 0) };
}

const bold = { indent: 0, bold: true, indentColumn: 0 };
const pct = (r: number, p: number) => (p > 0 ? `${fmtNumber(Math.round((r / p) * 1000) / 10, 1)}%` : '-');
/** label, planned, realised, their ratio */
const money = (label: string, x: { planned: number; realised: number }) => [label, rp(x.planned), rp(x.realised), pct(x.realised, x.planned)];

/** A table of planned and realised money: `lines` with their level (0 or 1) and weight, closed by the total. */
function moneyTable(w: BookWriter, caption: string, first: string, lines: { cells: string[]; indent: number; bold: boolean }[], total: { planned: number; realised: number }): void {
  w.table({
    caption,
    headers: [first, 'Rencana', 'Realisasi', 'Capaian'],
    widths: [34, 26, 26, 14],
    align: ['l', 'r', 'r', 'r'],
    rows: [...lines.map((l) => l.cells), money('Jumlah', total)],
    rowStyles: [...lines.map((l) => ({ indent: l.indent, bold: l.bold, indentColumn: 0 })), bold],
  });
}

export const financing: Chapter = {
  title: 'PEMBIAYAAN',
  build(w, data) {
    w.p(`Pembiayaan inisiatif dirinci per sumber pendanaan (APBD, DAK/APBN, Dana Desa, CSR, KPBU dan hibah) dan per tahun. Nilai rencana suatu tahun adalah pagu rencana yang dicatat pada inisiatif, atau bila tidak dicatat, anggaran baris SIPD yang ditautkan pada tahun itu. Inisiatif dengan lebih dari satu sumber dicatat pada baris "${MIXED}" karena pembagiannya antarsumber belum ditetapkan.`);
    const m = financingMatrix(data);
    w.section('Pendanaan per Sumber');
    moneyTable(w, 'Rencana dan realisasi pendanaan per sumber', 'Sumber pendanaan', m.sources.map((r) => ({ cells: money(r.label, r), indent: 0, bold: false })), m);
    w.section('Pendanaan per Sumber dan Tahun');
    if (m.years.length === 0) {
      w.empty('Belum ada tahun pendanaan yang dicatat.');
      return;
    }
    w.p('Setiap tahun adalah jumlah sumber pendanaannya; sumber tanpa rencana maupun realisasi pada tahun itu tidak dicantumkan.');
    const lines = m.years.flatMap((y) => [{ cells: money(String(y.year), y), indent: 0, bold: y.rows.length > 0 }, ...y.rows.map((r) => ({ cells: money(r.label, r), indent: 1, bold: false }))]);
    moneyTable(w, 'Rencana dan realisasi pendanaan per tahun dan sumber', 'Tahun / sumber', lines, m);
  },
};
