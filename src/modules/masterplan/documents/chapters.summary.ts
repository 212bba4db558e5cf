/**
 * Buku III Ringkasan Eksekutif: the vision, the six dimensions with their
 * initiatives' count and budget, the headline totals, the quick wins and the
 * evaluation index, each short.
 */
import { barsSvg } from './export.charts.ts';
import { DIMENSIONS } from './export.data.ts';
import { initiativesOf, periodOf, type Chapter } from './book.ts';
import { monthName } from '../quickwins/quickwins.chapters.ts';
import { financingMatrix } from './chapters.financing.ts';
import { untracedLines } from './chapters.initiatives.ts';
import { count, dash, dimName, rp, score, shortRp } from './format.ts';

const bold = { indent: 0, bold: true, indentColumn: 0 };
const plain = { indent: 0, bold: false, indentColumn: 0 };

export const visionSummary: Chapter = {
  title: 'VISI DAN MISI',
  build(w, data) {
    const period = periodOf(data);
    w.p(`Ringkasan eksekutif ini merangkum Masterplan Smart City ${data.regionName}${period ? ` ${period}` : ''}, disusun dalam Gerakan Menuju 100 Smart City yang dibina ${data.ministry.nameId} (${data.ministry.short}). Rinciannya ada pada Buku I Analisis Strategis dan Buku II Rencana Induk.`);
    w.section('Visi');
    w.p(data.plan.vision || 'Visi belum dirumuskan.', !data.plan.vision);
    w.section('Misi');
    if (data.plan.missions.length) w.ul(data.plan.missions, true);
    else w.empty('Misi belum dirumuskan.');
  },
};

export const dimensionsSummary: Chapter = {
  title: 'ENAM DIMENSI DAN INISIATIFNYA',
  async build(w, data) {
    const perDim = DIMENSIONS.map((d) => ({ d, items: initiativesOf(data, d.key) }));
    const budget = (xs: typeof data.initiatives.items) => xs.reduce((a, i) => a + i.budget, 0);
    w.table({
      caption: 'Inisiatif dan anggaran per dimensi',
      headers: ['Dimensi', 'Inisiatif', 'Anggaran'],
      widths: [44, 20, 36],
      align: ['l', 'r', 'r'],
      rows: [...perDim.map(({ d, items }) => [d.name, count(items.length), rp(budget(items))]), ['Jumlah', count(data.initiatives.items.length), rp(budget(data.initiatives.items))]],
      rowStyles: [...perDim.map(() => plain), bold],
    });
    await w.figure(barsSvg('Anggaran inisiatif per dimensi', perDim.map(({ d, items }) => ({ label: d.name, value: budget(items) })), shortRp), 'Anggaran inisiatif per dimensi smart city');
    for (const { d, items } of perDim) {
      if (!items.length) continue;
      w.p(`${d.name}: ${items.map((i) => i.name).join('; ')}.`);
    }
  },
};

export const headlines: Chapter = {
  title: 'ANGKA UTAMA',
  build(w, data) {
    const items = data.initiatives.items;
    const untraced = [...untracedLines(data).values()].reduce((a, u) => ({ lines: a.lines + u.lines, budget: a.budget + u.budget }), { lines: 0, budget: 0 });
    const money = financingMatrix(data);
    w.table({
      caption: 'Angka utama masterplan',
      headers: ['Uraian', 'Nilai'],
      widths: [60, 40],
      align: ['l', 'r'],
      rows: [
        ['Inisiatif', count(items.length)],
        ['Perkiraan biaya inisiatif', rp(items.reduce((a, i) => a + (i.costEstimate ?? 0), 0))],
        ['Anggaran inisiatif (jejak SIPD, dihitung sekali)', rp(data.initiatives.totals.budget)],
        ['Rencana pendanaan seluruh tahun', rp(money.planned)],
        ['Realisasi pendanaan seluruh tahun', rp(money.realised)],
        ['Baris anggaran SIPD yang belum dikelompokkan', `${count(untraced.lines)} (${rp(untraced.budget)})`],
        ['Quick win', count(data.quickwins?.quickWins.length ?? 0)],
        ['Biaya quick win', rp((data.quickwins?.quickWins ?? []).reduce((a, q) => a + (q.cost ?? 0), 0))],
      ],
    });
  },
};

export const quickWinsSummary: Chapter = {
  title: 'QUICK WIN',
  build(w, data) {
    // the quick win records (quickwins/), the costliest first; each in full in the Quick Win document
    const quick = [...(data.quickwins?.quickWins ?? [])].sort((a, b) => (b.cost ?? 0) - (a.cost ?? 0));
    if (!quick.length) {
      w.empty('Belum ada quick win yang dicatat.');
      return;
    }
    const shown = quick.slice(0, 10);
    w.p(`${count(quick.length)} quick win${quick.length > shown.length ? `; ${count(shown.length)} dengan biaya terbesar` : ''}, masing-masing selesai dalam 6–12 bulan (rinciannya dalam Dokumen Quick Win):`);
    w.table({
      caption: 'Quick win',
      headers: ['Quick win', 'OPD', 'Dimensi', 'Jadwal', 'Biaya'],
      widths: [34, 12, 18, 20, 16],
      align: ['l', 'l', 'l', 'l', 'r'],
      rows: shown.map((q) => [q.title, dash(q.leadOpdCode), dimName(q.dimensionKey), `${monthName(q.startMonth)} – ${monthName(q.endMonth)}`, q.cost === null ? '-' : rp(q.cost)]),
    });
  },
};

export const indexSummary: Chapter = {
  title: 'INDEKS SMART CITY',
  build(w, data) {
    const evals = data.evaluations.filter((e) => e.weights !== null);
    if (!evals.length) {
      w.empty('Belum ada evaluasi yang dicatat.');
      return;
    }
    w.table({
      caption: 'Indeks evaluasi smart city per tahun (0–5)',
      headers: ['Tahun', 'Indeks'],
      widths: [40, 60],
      align: ['c', 'r'],
      rows: evals.map((e) => [String(e.year), score(e.index)]),
    });
    const last = evals[evals.length - 1]!;
    w.table({
      caption: `Indeks per dimensi smart city, ${last.year}`,
      headers: ['Dimensi', 'Indeks (0–5)'],
      widths: [60, 40],
      align: ['l', 'r'],
      rows: last.byDimension.map((d) => [dimName(d.key), score(d.index)]),
    });
  },
};
