/**
 * The chapters of the delivery of the plan: quick wins and the roadmap (from
 * their records, quickwins/quickwins.chapters.ts), and implementation and
 * monitoring: commitments, FGD sessions, the annual evaluation.
 */
import { columnsSvg } from './export.charts.ts';
import { fmtDate, fmtNumber } from './export.data.ts';
import { EVAL_DIMENSIONS, EVAL_DIMENSION_NAMES } from '../evaluation/index.ts';
import type { Chapter } from './book.ts';
import { quickWinChapter, roadmapChapter } from '../quickwins/quickwins.chapters.ts';
import { dash, dimName, score } from './format.ts';

/** The quick win records (quickwins/): what they are, per dimension, each with its schedule, cost, output and outcome. */
export const quickWins: Chapter = {
  title: 'QUICK WIN',
  build(w, data) {
    w.put(quickWinChapter(data.quickwins));
  },
};

/** The roadmap per dimension × year: initiatives by their timeline, quick wins by their schedule, and milestones (quickwins/). */
export const roadmap: Chapter = {
  title: 'ROADMAP',
  build(w, data) {
    w.put(roadmapChapter(data.quickwins));
  },
};

export const monitoring: Chapter = {
  title: 'IMPLEMENTASI DAN MONITORING',
  async build(w, data) {
    w.section('Lembar Komitmen');
    if (data.commitments.length === 0) w.empty('Lembar komitmen Bupati dan kepala OPD belum dicatat.');
    else
      w.table({
        caption: 'Lembar komitmen Bupati dan kepala OPD',
        headers: ['Penandatangan', 'Jabatan', 'OPD', 'Tanggal', 'Keterangan'],
        widths: [22, 26, 12, 16, 24],
        rows: data.commitments.map((c) => [c.signerName, c.position, c.opdCode ?? '(Kepala Daerah)', fmtDate(c.signedAt), `${c.note}${c.scanned ? `${c.note ? '; ' : ''}pindaian terlampir` : ''}` || '-']),
      });
    w.section('FGD dan Bimbingan Teknis');
    if (data.sessions.length === 0) w.empty('Belum ada sesi FGD/bimtek yang dicatat.');
    else
      w.table({
        caption: 'Sesi FGD / bimtek',
        headers: ['Putaran', 'Tanggal', 'Kegiatan', 'Tempat', 'Peserta', 'Keputusan'],
        widths: [9, 14, 20, 13, 20, 24],
        align: ['c', 'l', 'l', 'l', 'l', 'l'],
        rows: data.sessions.map((s) => [String(s.round), fmtDate(s.date), s.title, dash(s.place), s.participants.length ? `${s.participants.length} orang (${[...new Set(s.participants.map((x) => x.opd).filter(Boolean))].join(', ') || '-'})` : '-', s.decisions.length ? s.decisions.map((d, i) => `${i + 1}. ${d}`).join('\n') : '-']),
      });
    w.section('Monitoring dan Evaluasi');
    w.p(`Evaluasi tahunan ${data.ministry.nameId} menilai lima dimensi evaluasi — Baseline, Output, Outcome, Impact dan Quick Win — dengan bobot yang ditetapkan per tahun. Indeks adalah rata-rata tertimbang kelima nilai (skala 0–5).`);
    const evals = data.evaluations.filter((e) => e.weights !== null);
    if (evals.length === 0) {
      w.empty('Belum ada evaluasi yang dicatat.');
      return;
    }
    const short = (d: (typeof EVAL_DIMENSIONS)[number]) => EVAL_DIMENSION_NAMES[d].id.replace(/ \(.*\)$/, '');
    w.table({
      caption: 'Bobot evaluasi (%) dan indeks per tahun',
      headers: ['Tahun', ...EVAL_DIMENSIONS.map(short), 'Indeks'],
      widths: [12, 14, 14, 14, 14, 16, 16],
      align: ['c', 'r', 'r', 'r', 'r', 'r', 'r'],
      rows: evals.map((e) => [String(e.year), ...EVAL_DIMENSIONS.map((d) => fmtNumber(e.weights![d])), e.index === null ? '-' : fmtNumber(e.index)]),
    });
    w.table({
      caption: 'Nilai per dimensi evaluasi (0–5)',
      headers: ['Tahun', ...EVAL_DIMENSIONS.map(short)],
      widths: [15, 17, 17, 17, 17, 17],
      align: ['c', 'r', 'r', 'r', 'r', 'r'],
      rows: evals.map((e) => [String(e.year), ...EVAL_DIMENSIONS.map((d) => score(e.scores[d]))]),
    });
    const last = evals[evals.length - 1]!;
    w.p('Indeks per dimensi smart city adalah rata-rata tertimbang nilai dimensi evaluasi yang memiliki butir atau survei untuk dimensi tersebut, dengan bobotnya disesuaikan secara proporsional; skalanya 0–5 seperti indeks keseluruhan. Kolom bobot yang tercakup menunjukkan bagian bobot yang didukung data.');
    w.table({
      caption: `Indeks per dimensi smart city, ${last.year}`,
      headers: ['Dimensi', 'Indeks (0–5)', 'Bobot yang tercakup', 'Rerata survei dampak (1–5)'],
      widths: [34, 20, 22, 24],
      align: ['l', 'r', 'r', 'r'],
      rows: last.byDimension.map((d) => [dimName(d.key), score(d.index), d.weightShare === null ? '-' : `${fmtNumber(d.weightShare)}%`, score(d.surveyMean)]),
    });
    await w.figure(columnsSvg('Indeks evaluasi smart city per tahun', evals.filter((e) => e.index !== null).map((e) => ({ label: String(e.year), value: e.index! })), 5), 'Indeks evaluasi per tahun (0–5)');
  },
};
