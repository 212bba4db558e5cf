/** The texts and names of the initiatives screens, in both languages. */
import { FUNDING_SOURCES, INITIATIVE_STATUSES } from '../../../src/modules/masterplan/initiatives/initiatives.constants.ts';
import { texts } from '../i18n.js';
import { L } from './masterplan-common.js';

export const ix = texts({
  title: ['Inisiatif smart city', 'Smart city initiatives'],
  hint: ['Inisiatif adalah satuan rencana induk; baris RKPD/Renja yang ditautkan menjadi jejak pendanaannya (pagu dihitung sekali melalui hierarki program → kegiatan → sub kegiatan).', 'Initiatives are the master plan\'s unit; the RKPD/Renja lines linked to one are its funding trace (budgets counted once through program → kegiatan → sub kegiatan).'],
  add: ['Tambah inisiatif', 'Add initiative'],
  edit: ['Ubah inisiatif', 'Edit initiative'],
  count: ['inisiatif', 'initiatives'],
  countLabel: ['Jumlah inisiatif', 'Initiatives'],
  none: ['Belum ada inisiatif pada dimensi ini.', 'No initiatives in this dimension yet.'],
  empty: ['Belum ada inisiatif. Tambahkan satu atau terima saran pengelompokan di bawah.', 'No initiatives yet. Add one or accept a grouping suggestion below.'],
  problem: ['Permasalahan', 'Problem'],
  goal: ['Tujuan', 'Goal'],
  target: ['Sasaran/target', 'Target'],
  indicators: ['Indikator (satu per baris)', 'Indicators (one per line)'],
  indicatorList: ['Indikator', 'Indicators'],
  lead: ['OPD pengampu', 'Lead OPD'],
  supporting: ['OPD pendukung', 'Supporting OPDs'],
  start: ['Tahun mulai', 'Start year'],
  end: ['Tahun selesai', 'End year'],
  timeline: ['Jadwal', 'Timeline'],
  cost: ['Perkiraan biaya (Rp)', 'Cost estimate (IDR)'],
  costShort: ['Perkiraan biaya', 'Cost estimate'],
  funding: ['Sumber pendanaan', 'Funding sources'],
  budget: ['Pagu tertaut', 'Linked budget'],
  total: ['Jumlah', 'Total'],
  lines: ['Jejak pendanaan (baris anggaran)', 'Funding trace (budget lines)'],
  noLines: ['Belum ada baris anggaran tertaut.', 'No budget lines linked yet.'],
  share: ['Porsi (%)', 'Share (%)'],
  counted: ['Dihitung', 'Counted'],
  pagu: ['Pagu baris', 'Line budget'],
  unlink: ['Lepas', 'Unlink'],
  link: ['Tautkan', 'Link'],
  findLines: ['Cari baris anggaran (kode atau nama)', 'Find budget lines (code or name)'],
  years: ['Rencana dan realisasi per tahun', 'Planned and realised per year'],
  planned: ['Rencana (Rp)', 'Planned (IDR)'],
  realised: ['Realisasi (Rp)', 'Realised (IDR)'],
  fromLines: ['Dari baris tertaut', 'From linked lines'],
  addYear: ['Tahun', 'Year'],
  suggestions: ['Saran pengelompokan baris anggaran', 'Grouping suggestions for budget lines'],
  suggestionsHint: ['Baris yang belum tertaut ke inisiatif: gabungkan ke inisiatif yang mirip, atau buat inisiatif baru dari sekelompok baris. Tidak ada yang berubah sebelum Anda menerimanya.', 'Lines no initiative holds yet: join a similar initiative, or start a new one from a group of lines. Nothing changes until you accept.'],
  joinTo: ['Gabungkan ke', 'Join'],
  suggestedHere: ['Baris yang disarankan untuk inisiatif ini:', 'Lines suggested for this initiative:'],
  accept: ['Terima', 'Accept'],
  createFrom: ['Buat inisiatif', 'Create initiative'],
  newFrom: ['Inisiatif baru dari', 'New initiative from'],
  linesWord: ['baris', 'lines'],
  unmatched: ['baris tanpa petunjuk dimensi', 'lines without a hint of a dimension'],
  noSuggestions: ['Tidak ada saran: semua baris sudah tertaut atau tanpa petunjuk.', 'No suggestions: every line is linked or gives no hint.'],
  reasonDimension: ['dimensi sama', 'same dimension'],
  reasonElement: ['elemen sama', 'same element'],
  reasonWords: ['kata sama', 'shared words'],
  reasonOpd: ['OPD sama', 'same OPD'],
  confirmDelete: ['Hapus inisiatif ini? Baris anggarannya tetap ada.', 'Delete this initiative? Its budget lines stay.'],
  details: ['Rincian', 'Details'],
});

export const statusName = (key: string) => {
  const s = INITIATIVE_STATUSES.find((x) => x.key === key);
  return s ? L(s.nameId, s.nameEn) : key;
};
export const fundingName = (key: string) => {
  const f = FUNDING_SOURCES.find((x) => x.key === key);
  return f ? L(f.nameId, f.nameEn) : key;
};
export const reasonName = (r: string) => ({ dimension: ix('reasonDimension'), element: ix('reasonElement'), words: ix('reasonWords'), opd: ix('reasonOpd') })[r] ?? r;

