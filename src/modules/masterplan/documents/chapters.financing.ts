/**
 * Buku II's financing chapter: the initiatives' money per funding source
 * (APBD, DAK/APBN, Dana Desa, CSR, KPBU, hibah) and year, planned and
 * realised. An initiative's year is its planned amount, else what its linked
 * lines give that year; it counts once, under its one source, or under
 * "Lebih dari satu sumber" when it names several (the plan does not say how
 * they share it), or "Belum ditentukan". Every total is the sum of its rows.
 */
import { fmtNumber } from '../export.data.ts';
import type { Initiative } from '../initiatives/initiatives.contract.ts';
import { FUNDING_SOURCES } from '../initiatives/initiatives.constants.ts';
import type { BookData, Chapter } from './book.ts';
import { rp, sourceName } from './format.ts';

const MIXED = 'Lebih dari satu sumber';
const NONE = 'Belum ditentukan';
const rowOf = (i: Initiative) => (i.fundingSources.length === 1 ? sourceName(i.fundingSources[0]!) : i.fundingSources.length > 1 ? MIXED : NONE);
export const plannedOf = (y: Initiative['years'][number]) => y.planned ?? y.fromLines;

/** The years the table shows: the plan's period, and any year an initiative has money in. */
export function financingYears(data: BookData): number[] {
  const ys = new Set<number>();
  const { periodStart, periodEnd } = data.plan;
  if (periodStart !== null && periodEnd !== null && periodEnd >= periodStart && periodEnd - periodStart < 15) for (let y = periodStart; y <= periodEnd; y++) ys.add(y);
  for (const i of data.initiatives.items) for (const y of i.years) if (plannedOf(y) > 0 || (y.realised ?? 0) > 0) ys.add(y.year);
  return [...ys].sort((a, b) => a - b);
}

export function financingMatrix(data: BookData, value: (y: Initiative['years'][number]) => number) {
  const yearList = financingYears(data);
  const labels = [...FUNDING_SOURCES.map((s) => s.nameId), MIXED, NONE];
  const cell = new Map<string, number>();
  for (const i of data.initiatives.items) for (const y of i.years) {
    const k = `${rowOf(i)}|${y.year}`;
    cell.set(k, (cell.get(k) ?? 0) + value(y));
  }
  const rows = labels
    .map((label) => ({ label, values: yearList.map((y) => cell.get(`${label}|${y}`) ?? 0) }))
    .filter((r) => FUNDING_SOURCES.some((s) => s.nameId === r.label) || r.values.some((v) => v > 0));
  const columnTotals = yearList.map((_, c) => rows.reduce((a, r) => a + r.values[c]!, 0));
  return { years: yearList, rows, columnTotals, total: columnTotals.reduce((a, b) => a + b, 0) };
}

export const financing: Chapter = {
  title: 'PEMBIAYAAN',
  build(w, data) {
    w.p(`Pembiayaan inisiatif dirinci per sumber pendanaan (APBD, DAK/APBN, Dana Desa, CSR, KPBU dan hibah) dan per tahun. Nilai rencana suatu tahun adalah pagu rencana yang dicatat pada inisiatif, atau bila tidak dicatat, anggaran baris SIPD yang ditautkan pada tahun itu. Inisiatif dengan lebih dari satu sumber dicatat pada baris "${MIXED}" karena pembagiannya antarsumber belum ditetapkan.`);
    for (const [caption, value] of [['Rencana pendanaan per sumber dan tahun', plannedOf], ['Realisasi pendanaan per sumber dan tahun', (y: Initiative['years'][number]) => y.realised ?? 0]] as const) {
      const m = financingMatrix(data, value);
      w.section(caption.split(' per ')[0]!.replace('pendanaan', 'Pendanaan'));
      if (m.years.length === 0) {
        w.empty('Belum ada tahun pendanaan yang dicatat.');
        continue;
      }
      w.table({
        caption,
        headers: ['Sumber', ...m.years.map(String), 'Jumlah'],
        widths: [18, ...m.years.map(() => 72 / m.years.length), 16],
        align: ['l', ...m.years.map(() => 'r' as const), 'r'],
        rows: [...m.rows.map((r) => [r.label, ...r.values.map(rp), rp(r.values.reduce((a, b) => a + b, 0))]), ['Jumlah', ...m.columnTotals.map(rp), rp(m.total)]],
        rowStyles: [...m.rows.map(() => ({ indent: 0, bold: false, indentColumn: 0 })), { indent: 0, bold: true, indentColumn: 0 }],
      });
    }
    const planned = financingMatrix(data, plannedOf);
    const realised = financingMatrix(data, (y) => y.realised ?? 0);
    if (planned.years.length) {
      w.section('Realisasi per Tahun');
      const pct = (r: number, p: number) => (p > 0 ? `${fmtNumber(Math.round((r / p) * 1000) / 10, 1)}%` : '-');
      w.table({
        caption: 'Rencana dan realisasi pendanaan inisiatif per tahun',
        headers: ['Tahun', 'Rencana', 'Realisasi', 'Capaian'],
        widths: [16, 30, 30, 24],
        align: ['c', 'r', 'r', 'r'],
        rows: [...planned.years.map((y, c) => [String(y), rp(planned.columnTotals[c]!), rp(realised.columnTotals[c]!), pct(realised.columnTotals[c]!, planned.columnTotals[c]!)]), ['Jumlah', rp(planned.total), rp(realised.total), pct(realised.total, planned.total)]],
        rowStyles: [...planned.years.map(() => ({ indent: 0, bold: false, indentColumn: 0 })), { indent: 0, bold: true, indentColumn: 0 }],
      });
    }
  },
};
