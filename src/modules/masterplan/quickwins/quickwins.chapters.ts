/**
 * The quick wins and the roadmap in the documents, as blocks (export.content.ts):
 * Bab V Quick Win and Bab VI Roadmap of the master plan book (what follows each
 * chapter's heading), and the Quick Win document as a book of its own. Pure:
 * the records come in (QuickWinsDoc, from the services), the blocks go out.
 * Tables carry their captions unnumbered; the book that holds them numbers them.
 */
import { FUNDING_SOURCES } from '../initiatives/initiatives.constants.ts';
import type { Block, DocumentContent } from '../documents/export.content.ts';
import { fmtNumber, fmtRupiah } from '../documents/export.data.ts';
import { DIMENSIONS } from '../plan/plan.framework.ts';
import { MONTH_NAMES_ID, monthsOf, QUICK_WIN_STATUSES } from './quickwins.constants.ts';
import type { QuickWin, Roadmap } from './quickwins.contract.ts';

/** What the documents read of quick wins and the roadmap. */
export interface QuickWinsDoc { quickWins: (QuickWin & { leadOpdName: string | null })[]; roadmap: Roadmap }
type Table = Extract<Block, { kind: 'table' }>;

const dimName = (key: string) => DIMENSIONS.find((d) => d.key === key)?.nameEn ?? key;
const statusName = (key: string) => QUICK_WIN_STATUSES.find((s) => s.key === key)?.nameId ?? key;
const fundingName = (key: string | null) => (key ? FUNDING_SOURCES.find((f) => f.key === key)?.nameId ?? key : '-');
const dash = (v: string | null | undefined) => (v === null || v === undefined || v.trim() === '' ? '-' : v);
/** '2025-03' → 'Maret 2025' */
export const monthName = (month: string) => `${MONTH_NAMES_ID[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
const schedule = (q: QuickWin) => `${monthName(q.startMonth)} – ${monthName(q.endMonth)} (${q.months} bulan)`;
const total = (qs: QuickWin[]) => qs.reduce((s, q) => s + (q.cost ?? 0), 0);
const bold = { indent: 0, bold: true, indentColumn: 0 };
const plain = { indent: 0, bold: false, indentColumn: 0 };

const DEFINITION = 'Quick win adalah kegiatan berdampak cepat yang selesai dalam 6–12 bulan, umumnya meningkatkan layanan yang sudah ada, untuk menunjukkan manfaat smart city kepada warga dan pemangku kepentingan sejak awal pelaksanaan masterplan.';

/** Every quick win in a row, with the cost total as the closing row (the sum of the rows above). */
function listTable(quickWins: QuickWin[]): Table {
  return {
    kind: 'table',
    caption: 'Daftar quick win',
    headers: ['No', 'Quick win', 'Dimensi', 'OPD', 'Jadwal', 'Biaya', 'Status'],
    widths: [4, 25, 13, 12, 18, 15, 13],
    align: ['c', 'l', 'l', 'l', 'l', 'r', 'l'],
    rows: [
      ...quickWins.map((q, i) => [String(i + 1), q.title, dimName(q.dimensionKey), dash(q.leadOpdCode), schedule(q), q.cost === null ? '-' : fmtRupiah(q.cost), statusName(q.status)]),
      ['', 'Jumlah', '', '', '', fmtRupiah(total(quickWins)), ''],
    ],
    rowStyles: [...quickWins.map(() => plain), bold],
  };
}

/** Per dimension: how many and what they cost; the total is the sum of the rows. */
function perDimensionTable(quickWins: QuickWin[]): Table {
  const rows = DIMENSIONS.map((d) => quickWins.filter((q) => q.dimensionKey === d.key)).map((mine, i) => [DIMENSIONS[i]!.nameEn, fmtNumber(mine.length), fmtRupiah(total(mine))]);
  return {
    kind: 'table', caption: 'Quick win per dimensi', headers: ['Dimensi', 'Jumlah quick win', 'Biaya'], widths: [45, 20, 35], align: ['l', 'r', 'r'],
    rows: [...rows, ['Jumlah', fmtNumber(quickWins.length), fmtRupiah(total(quickWins))]], rowStyles: [...rows.map(() => plain), bold],
  };
}

/** Bab V Quick Win of the master plan book (after its heading). */
export function quickWinChapter(doc: QuickWinsDoc | undefined): Block[] {
  const quickWins = doc?.quickWins ?? [];
  const b: Block[] = [{ kind: 'p', text: DEFINITION }];
  if (quickWins.length === 0) return [...b, { kind: 'p', text: 'Belum ada quick win yang dicatat.', italic: true }];
  b.push({ kind: 'p', text: `${fmtNumber(quickWins.length)} quick win dengan biaya seluruhnya ${fmtRupiah(total(quickWins))}; rincian tiap quick win termuat dalam Dokumen Quick Win.` });
  b.push(perDimensionTable(quickWins), listTable(quickWins));
  b.push({
    kind: 'table', caption: 'Keluaran dan hasil quick win', headers: ['No', 'Quick win', 'Keluaran (output)', 'Hasil (outcome)'], widths: [5, 29, 33, 33], align: ['c', 'l', 'l', 'l'],
    rows: quickWins.map((q, i) => [String(i + 1), q.title, dash(q.output), dash(q.outcome)]),
  });
  return b;
}

/** Bab VI Roadmap of the master plan book (after its heading): the matrix in counts, then each dimension year by year. */
export function roadmapChapter(doc: QuickWinsDoc | undefined): Block[] {
  const roadmap = doc?.roadmap;
  const b: Block[] = [{ kind: 'p', text: 'Roadmap menempatkan inisiatif (menurut jadwal tahunnya), quick win (menurut jadwal bulanannya) dan tonggak capaian pada setiap dimensi dan tahun periode masterplan.' }];
  if (!roadmap || roadmap.years.length === 0) return [...b, { kind: 'p', text: 'Periode masterplan belum ditetapkan dan belum ada inisiatif berjadwal.', italic: true }];
  const yearWidth = Math.floor(78 / roadmap.years.length);
  b.push({
    kind: 'table', caption: `Jumlah inisiatif dan quick win per dimensi dan tahun, ${roadmap.years[0]}–${roadmap.years.at(-1)}`,
    headers: ['Dimensi', ...roadmap.years.map(String)], widths: [100 - yearWidth * roadmap.years.length, ...roadmap.years.map(() => yearWidth)], align: ['l', ...roadmap.years.map(() => 'c' as const)],
    rows: roadmap.dimensions.map((d) => [d.nameEn, ...d.cells.map((c) => (c.initiatives.length + c.quickWins.length === 0 ? '-' : fmtNumber(c.initiatives.length + c.quickWins.length)))]),
  });
  let n = 0;
  for (const d of roadmap.dimensions) {
    n++;
    b.push({ kind: 'h', level: 2, text: `6.${n} ${d.nameEn}` });
    const cells = d.cells.filter((c) => c.initiatives.length + c.quickWins.length + c.milestones.length > 0);
    if (cells.length === 0) {
      b.push({ kind: 'p', text: 'Belum ada inisiatif, quick win atau tonggak capaian pada dimensi ini.', italic: true });
      continue;
    }
    b.push({
      kind: 'table', caption: `Roadmap ${d.nameEn}`, headers: ['Tahun', 'Inisiatif berjalan', 'Quick win', 'Tonggak capaian'], widths: [9, 37, 27, 27], align: ['c', 'l', 'l', 'l'],
      rows: cells.map((c) => [
        String(c.year),
        c.initiatives.map((i) => `• ${i.name}${i.first ? ' (mulai)' : i.last ? ' (berakhir)' : ''}`).join('\n') || '-',
        c.quickWins.map((q) => `• ${q.title} (${monthName(q.startMonth)} – ${monthName(q.endMonth)})`).join('\n') || '-',
        c.milestones.map((m) => `• ${m.text}`).join('\n') || '-',
      ]),
    });
  }
  if (roadmap.unscheduled.length) b.push({ kind: 'p', text: `Inisiatif yang belum berjadwal: ${roadmap.unscheduled.map((i) => i.name).join('; ')}.`, italic: true });
  return b;
}

/** What the Quick Win document reads besides the records. */
interface QuickWinBookMeta { regionName: string; periodStart: number | null; periodEnd: number | null; year: number; ministry: { nameId: string; short: string } }

/** The Quick Win document: its own book with chapters, tables numbered in order, each quick win in full. */
export function quickWinBook(meta: QuickWinBookMeta, doc: QuickWinsDoc | undefined): DocumentContent {
  const quickWins = doc?.quickWins ?? [];
  const blocks: Block[] = [];
  let tableNo = 0;
  const put = (...xs: Block[]) => xs.forEach((x) => blocks.push(x.kind === 'table' ? { ...x, caption: `Tabel ${++tableNo}. ${x.caption}` } : x));
  const period = meta.periodStart && meta.periodEnd ? `${meta.periodStart}–${meta.periodEnd}` : null;

  put({ kind: 'h', level: 1, text: 'BAB I PENDAHULUAN' }, { kind: 'h', level: 2, text: '1.1 Latar Belakang' });
  put({ kind: 'p', text: `Dalam Gerakan Menuju 100 Smart City yang dibina ${meta.ministry.nameId} (${meta.ministry.short}), pemerintah daerah menetapkan quick win sebagai langkah awal pelaksanaan masterplan smart city. ${DEFINITION}` });
  put({ kind: 'h', level: 2, text: '1.2 Maksud dan Tujuan' });
  put({ kind: 'p', text: `Dokumen ini memuat quick win ${meta.regionName}${period ? ` dalam periode masterplan ${period}` : ''}: latar belakang, keluaran dan hasil yang diharapkan, jadwal, biaya, sumber pendanaan, OPD pengampu dan status tiap quick win, sebagai pedoman pelaksanaan dan pemantauannya.` });
  put({ kind: 'h', level: 2, text: '1.3 Ringkasan' });
  if (quickWins.length === 0) put({ kind: 'p', text: 'Belum ada quick win yang dicatat.', italic: true });
  else {
    put({ kind: 'p', text: `${fmtNumber(quickWins.length)} quick win dengan biaya seluruhnya ${fmtRupiah(total(quickWins))}.` });
    put(perDimensionTable(quickWins));
    put({
      kind: 'table', caption: 'Quick win per status', headers: ['Status', 'Jumlah quick win'], widths: [60, 40], align: ['l', 'r'],
      rows: [...QUICK_WIN_STATUSES.map((s) => [s.nameId, fmtNumber(quickWins.filter((q) => q.status === s.key).length)]), ['Jumlah', fmtNumber(quickWins.length)]],
      rowStyles: [...QUICK_WIN_STATUSES.map(() => plain), bold],
    });
  }

  put({ kind: 'pagebreak' }, { kind: 'h', level: 1, text: 'BAB II DAFTAR QUICK WIN' });
  if (quickWins.length === 0) put({ kind: 'p', text: 'Belum ada quick win yang dicatat.', italic: true });
  else put(listTable(quickWins));

  put({ kind: 'pagebreak' }, { kind: 'h', level: 1, text: 'BAB III RINCIAN QUICK WIN' });
  quickWins.forEach((q, i) => {
    put({ kind: 'h', level: 2, text: `3.${i + 1} ${q.title}` });
    put({
      kind: 'table', caption: `Profil quick win ${q.title}`, headers: ['Uraian', 'Keterangan'], widths: [30, 70], align: ['l', 'l'],
      rows: [
        ['Dimensi', dimName(q.dimensionKey)], ['Inisiatif', dash(q.initiativeName)], ['OPD pengampu', q.leadOpdCode ? `${q.leadOpdCode}${q.leadOpdName ? ` – ${q.leadOpdName}` : ''}` : '-'],
        ['Jadwal', schedule(q)], ['Biaya', q.cost === null ? '-' : fmtRupiah(q.cost)], ['Sumber pendanaan', fundingName(q.fundingSource)], ['Status', statusName(q.status)],
      ],
    });
    put({ kind: 'h', level: 3, text: 'Latar belakang' }, { kind: 'p', text: dash(q.background) });
    put({ kind: 'h', level: 3, text: 'Keluaran dan hasil' });
    put({ kind: 'table', caption: `Keluaran dan hasil ${q.title}`, headers: ['Keluaran (output)', 'Hasil (outcome)'], widths: [50, 50], rows: [[dash(q.output), dash(q.outcome)]] });
    put({ kind: 'h', level: 3, text: 'Jadwal pelaksanaan' });
    put({
      kind: 'table', caption: `Jadwal pelaksanaan ${q.title} (${q.months} bulan)`, headers: ['Bulan ke-', 'Bulan', 'Tahun'], widths: [20, 50, 30], align: ['c', 'l', 'c'],
      rows: monthsOf(q.startMonth, q.endMonth).map((m, k) => [String(k + 1), MONTH_NAMES_ID[Number(m.slice(5, 7)) - 1]!, m.slice(0, 4)]),
    });
  });
  if (quickWins.length === 0) put({ kind: 'p', text: 'Belum ada quick win yang dicatat.', italic: true });

  put({ kind: 'pagebreak' }, { kind: 'h', level: 1, text: 'BAB IV PENUTUP' });
  put({ kind: 'p', text: 'Status setiap quick win dipantau OPD pengampu bersama Bappeda dan Diskominfo, dan menjadi bahan penilaian dimensi Quick Win pada evaluasi tahunan smart city.' });
  return { title: 'DOKUMEN QUICK WIN SMART CITY', subtitle: `${meta.regionName.toUpperCase()}${period ? ` ${period}` : ` ${meta.year}`}`, blocks };
}
