/**
 * The chapters of the delivery of the plan as they stood before quick wins
 * and the roadmap became records of their own (helper `quickwins` replaces
 * quickWins and roadmap in books.ts), and implementation and monitoring:
 * commitments, FGD sessions, the annual evaluation.
 */
import { columnsSvg } from '../export.charts.ts';
import { fmtDate, fmtNumber, HORIZONS } from '../export.data.ts';
import { EVAL_DIMENSIONS, EVAL_DIMENSION_NAMES } from '../evaluation.service.ts';
import type { Chapter } from './book.ts';
import { count, dash, dimName, elementName, rp, score } from './format.ts';

export const quickWins: Chapter = {
  title: 'QUICK WIN',
  build(w, data) {
    const quick = data.programs.filter((p) => p.quickWin);
    w.p('Quick win adalah program berdampak cepat (6–12 bulan) yang meningkatkan layanan yang sudah ada, untuk menunjukkan manfaat smart city sejak awal.');
    if (quick.length === 0) w.empty('Belum ada program yang ditandai sebagai quick win.');
    else
      w.table({
        caption: 'Program quick win',
        headers: ['Kode', 'Program/Kegiatan', 'OPD', 'Dimensi', 'Anggaran', 'Tahun'],
        widths: [16, 32, 10, 17, 17, 8],
        align: ['l', 'l', 'l', 'l', 'r', 'c'],
        rows: quick.map((p) => [p.code, p.name, dash(p.opdCode), `${dimName(p.dimensionKey)}${p.elementKey ? ` – ${elementName(p.dimensionKey, p.elementKey)}` : ''}`, rp(p.budget), p.year === null ? '-' : String(p.year)]),
      });
  },
};

export const roadmap: Chapter = {
  title: 'ROADMAP',
  build(w, data) {
    w.p('Roadmap menempatkan program pada jangka pendek (1 tahun), menengah (5 tahun) dan panjang (10 tahun), per tahun pelaksanaan.');
    const placed = data.programs.filter((p) => p.horizon !== null || p.roadmapYear !== null);
    const horizons = [...Object.keys(HORIZONS), null];
    const sum = (ps: typeof placed) => ps.reduce((a, p) => a + p.countedBudget, 0);
    w.table({
      caption: 'Program per jangka waktu',
      headers: ['Jangka waktu', 'Jumlah program', 'Anggaran'],
      widths: [45, 20, 35],
      align: ['l', 'r', 'r'],
      rows: [
        ...horizons.map((h) => {
          const ps = data.programs.filter((p) => p.horizon === h);
          return [h === null ? 'Belum ditempatkan' : HORIZONS[h]!, count(ps.length), rp(sum(ps))];
        }),
        ['Jumlah', count(data.programs.length), rp(sum(data.programs))],
      ],
      rowStyles: [...horizons.map(() => ({ indent: 0, bold: false, indentColumn: 0 })), { indent: 0, bold: true, indentColumn: 0 }],
    });
    const years = [...new Set(placed.map((p) => p.roadmapYear ?? p.year).filter((y): y is number => y !== null))].sort((x, y) => x - y);
    if (years.length)
      w.table({
        caption: 'Roadmap per tahun',
        headers: ['Tahun', 'Jangka', 'Jumlah', 'Anggaran', 'Program'],
        widths: [9, 17, 9, 20, 45],
        align: ['c', 'l', 'r', 'r', 'l'],
        rows: years.flatMap((y) =>
          horizons
            .map((h) => ({ h, ps: placed.filter((p) => (p.roadmapYear ?? p.year) === y && p.horizon === h) }))
            .filter(({ ps }) => ps.length > 0)
            .map(({ h, ps }) => [String(y), h === null ? '-' : HORIZONS[h]!.replace(/ \(.*\)$/, ''), count(ps.length), rp(sum(ps)), ps.slice(0, 8).map((p) => `${p.code} ${p.name}`).join('; ') + (ps.length > 8 ? `; dan ${ps.length - 8} lainnya` : '')]),
        ),
      });
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
