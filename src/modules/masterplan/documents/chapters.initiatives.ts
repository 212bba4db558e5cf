/**
 * Buku II's unit: the initiatives per dimension and element, each with its
 * problem, goal, target, indicators, OPDs, timeline, cost and funding sources,
 * and its SIPD/RKPD/Renja lines only as a summarised funding trace (lines per
 * document and year with what they add, counted once through the hierarchy by
 * initiatives.budget.ts). Lines not grouped into any initiative are counted per
 * dimension, never listed: an imported RKPD has thousands.
 */
import { barsSvg } from './export.charts.ts';
import { DIMENSIONS, type ProgramRow } from './export.data.ts';
import type { Initiative } from '../initiatives/initiatives.contract.ts';
import { INITIATIVE_STATUSES } from '../initiatives/initiatives.constants.ts';
import { buildHierarchy } from '../programs/programs.hierarchy.ts';
import { initiativesOf, type BookData, type BookWriter, type Chapter } from './book.ts';
import { count, dash, rp, shortRp, sourceName, years } from './format.ts';

/**
 * Per dimension, the lines no initiative holds (neither they nor a kegiatan or
 * program above them is linked, nor anything below them): how many, and their
 * budget counted once.
 */
export function untracedLines(data: BookData): Map<string | null, { lines: number; budget: number }> {
  const linked = new Set(data.initiatives.items.flatMap((i) => i.lines.map((l) => l.programId)));
  const tree = buildHierarchy(data.programs);
  const covered = (row: ProgramRow): boolean => {
    if (linked.has(row.id)) return true;
    const parent = tree.parent(row);
    return parent !== null && covered(parent);
  };
  const partly = new Set<ProgramRow>();
  for (const row of data.programs) {
    if (!linked.has(row.id)) continue;
    for (let p = tree.parent(row); p !== null; p = tree.parent(p)) partly.add(p);
  }
  const out = new Map<string | null, { lines: number; budget: number }>();
  for (const row of data.programs) {
    if (covered(row)) continue;
    const key = DIMENSIONS.some((d) => d.key === row.dimensionKey) ? row.dimensionKey : null;
    if (partly.has(row)) {
      // a program whose other kegiatan are linked: its own money (if any) is still ungrouped, the row is not counted as a line
      if (row.countedBudget > 0) (out.get(key) ?? out.set(key, { lines: 0, budget: 0 }).get(key)!).budget += row.countedBudget;
      continue;
    }
    const entry = out.get(key) ?? out.set(key, { lines: 0, budget: 0 }).get(key)!;
    entry.lines++;
    entry.budget += row.countedBudget;
  }
  return out;
}

/** "RKPD 2026: 3 baris, Rp 1.250.000.000; Renja 2027: 1 baris, Rp 980.500.000": the amounts add up to the initiative's budget. */
function traceSummary(i: Initiative): { text: string; total: number } {
  const groups = new Map<string, { lines: number; amount: number }>();
  for (const l of i.lines) {
    const key = `${l.document} ${l.year}`;
    const g = groups.get(key) ?? groups.set(key, { lines: 0, amount: 0 }).get(key)!;
    g.lines++;
    g.amount += l.counted;
  }
  const total = [...groups.values()].reduce((a, g) => a + g.amount, 0);
  return { text: groups.size ? [...groups.entries()].map(([k, g]) => `${k}: ${count(g.lines)} baris, ${rp(g.amount)}`).join('; ') : 'Belum ada baris anggaran yang ditautkan.', total };
}

const statusName = (key: string) => INITIATIVE_STATUSES.find((s) => s.key === key)?.nameId ?? key;

function opds(data: BookData, i: Initiative): string {
  const lead = i.leadOpdCode ?? (i.leadOpdId ? data.opdCodes.get(i.leadOpdId) : undefined);
  const support = i.supportingOpdIds.map((id) => data.opdCodes.get(id) ?? id);
  return `${lead ?? '-'}${support.length ? ` (pendukung: ${support.join(', ')})` : ''}`;
}

/** Dimension → element → initiative, each element the sum of its initiatives, closed by the dimension's total. */
function dimensionTable(w: BookWriter, data: BookData, d: (typeof DIMENSIONS)[number]): void {
  const rows: string[][] = [];
  const styles: { indent: number; bold: boolean; indentColumn: number }[] = [];
  const groups = [...d.elements.map((e) => ({ name: e.name, items: initiativesOf(data, d.key, e.key) })), { name: 'Tanpa elemen', items: initiativesOf(data, d.key, null) }].filter((g) => g.items.length);
  for (const g of groups) {
    rows.push([g.name, '', '', rp(g.items.reduce((a, i) => a + (i.costEstimate ?? 0), 0)), rp(g.items.reduce((a, i) => a + i.budget, 0)), '']);
    styles.push({ indent: 0, bold: true, indentColumn: 0 });
    for (const i of g.items) {
      rows.push([i.name, opds(data, i), years(i.startYear, i.endYear), rp(i.costEstimate ?? 0), rp(i.budget), i.fundingSources.map(sourceName).join(', ') || '-']);
      styles.push({ indent: 1, bold: false, indentColumn: 0 });
    }
  }
  const all = initiativesOf(data, d.key);
  rows.push(['Jumlah', '', '', rp(all.reduce((a, i) => a + (i.costEstimate ?? 0), 0)), rp(all.reduce((a, i) => a + i.budget, 0)), '']);
  styles.push({ indent: 0, bold: true, indentColumn: 0 });
  w.table({
    caption: `Inisiatif ${d.name} per elemen`,
    headers: ['Elemen / Inisiatif', 'OPD', 'Jadwal', 'Perkiraan biaya', 'Anggaran (jejak SIPD)', 'Sumber dana'],
    widths: [30, 16, 10, 16, 16, 12],
    align: ['l', 'l', 'c', 'r', 'r', 'l'],
    rows,
    rowStyles: styles,
  });
}

function initiativeDetail(w: BookWriter, data: BookData, i: Initiative, label: string): void {
  w.sub(`${label} ${i.name}`);
  const trace = traceSummary(i);
  w.table({
    caption: `Rincian inisiatif ${i.name}`,
    headers: ['Uraian', 'Keterangan'],
    widths: [24, 76],
    rows: [
      ['Permasalahan', dash(i.problem)],
      ['Tujuan', dash(i.goal)],
      ['Target', dash(i.target)],
      ['Indikator', i.indicators.length ? i.indicators.map((x, n) => `${n + 1}. ${x}`).join('\n') : '-'],
      ['OPD pengampu', opds(data, i)],
      ['Jadwal', years(i.startYear, i.endYear)],
      ['Status', statusName(i.status)],
      ['Perkiraan biaya', i.costEstimate === null ? '-' : rp(i.costEstimate)],
      ['Sumber pendanaan', i.fundingSources.map(sourceName).join(', ') || '-'],
      ['Jejak pendanaan', trace.text],
      ['Anggaran (jejak SIPD)', rp(i.budget)],
    ],
  });
}

export const initiatives: Chapter = {
  title: 'INISIATIF PER DIMENSI',
  async build(w, data) {
    const untraced = untracedLines(data);
    const items = data.initiatives.items;
    const sum = (xs: Initiative[], f: (i: Initiative) => number) => xs.reduce((a, i) => a + f(i), 0);
    w.p(`Inisiatif adalah satuan masterplan: setiap inisiatif memuat permasalahan, tujuan, target dan indikator, OPD pengampu, jadwal, biaya dan sumber pendanaannya. Baris program, kegiatan dan sub kegiatan SIPD (RKPD, Renja, Renstra) menjadi jejak pendanaannya dan tidak dicantumkan satu per satu; anggarannya dijumlahkan sekali melalui hierarki program, kegiatan dan sub kegiatan. Masterplan ini memuat ${count(items.length)} inisiatif dengan anggaran ${rp(data.initiatives.totals.budget)}.`);
    const perDim = DIMENSIONS.map((d) => ({ d, items: initiativesOf(data, d.key), untraced: untraced.get(d.key) ?? { lines: 0, budget: 0 } }));
    const unmapped = untraced.get(null);
    const totalUntraced = [...untraced.values()].reduce((a, u) => ({ lines: a.lines + u.lines, budget: a.budget + u.budget }), { lines: 0, budget: 0 });
    w.table({
      caption: 'Ringkasan inisiatif per dimensi',
      headers: ['Dimensi', 'Inisiatif', 'Perkiraan biaya', 'Anggaran (jejak SIPD)', 'Baris belum dikelompokkan', 'Anggaran belum dikelompokkan'],
      widths: [22, 11, 17, 17, 15, 18],
      align: ['l', 'r', 'r', 'r', 'r', 'r'],
      rows: [
        ...perDim.map(({ d, items: its, untraced: u }) => [d.name, count(its.length), rp(sum(its, (i) => i.costEstimate ?? 0)), rp(sum(its, (i) => i.budget)), count(u.lines), rp(u.budget)]),
        ...(unmapped ? [['Belum dipetakan', '0', rp(0), rp(0), count(unmapped.lines), rp(unmapped.budget)]] : []),
        ['Jumlah', count(items.length), rp(sum(items, (i) => i.costEstimate ?? 0)), rp(sum(items, (i) => i.budget)), count(totalUntraced.lines), rp(totalUntraced.budget)],
      ],
      rowStyles: [...perDim.map(() => ({ indent: 0, bold: false, indentColumn: 0 })), ...(unmapped ? [{ indent: 0, bold: false, indentColumn: 0 }] : []), { indent: 0, bold: true, indentColumn: 0 }],
    });
    await w.figure(barsSvg('Anggaran inisiatif per dimensi', perDim.map(({ d, items: its }) => ({ label: d.name, value: sum(its, (i) => i.budget) })), shortRp), 'Anggaran inisiatif per dimensi smart city');
    perDim.forEach(({ d, items: its, untraced: u }, n) => {
      w.section(d.name);
      const ungrouped = u.lines ? `${count(u.lines)} baris anggaran dimensi ini (${rp(u.budget)}) belum dikelompokkan ke inisiatif` : '';
      w.p(`Elemen: ${d.elements.map((e) => e.name).join(', ')}. ${its.length ? `${count(its.length)} inisiatif dengan anggaran ${rp(sum(its, (i) => i.budget))}${ungrouped ? `; ${ungrouped}` : ''}.` : `Belum ada inisiatif pada dimensi ini${ungrouped ? `; ${ungrouped}` : ''}.`}`);
      if (!its.length) return;
      dimensionTable(w, data, d);
      its.forEach((i, k) => initiativeDetail(w, data, i, `Inisiatif ${n + 1}.${k + 1}`));
    });
  },
};
