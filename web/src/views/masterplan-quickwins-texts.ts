/** The texts and names of the quick win and roadmap screens, in both languages. */
import { MONTH_NAMES_EN, MONTH_NAMES_ID, QUICK_WIN_STATUSES } from '../../../src/modules/masterplan/quickwins/quickwins.constants.ts';
import { getLang, texts } from '../i18n.js';
import { L } from './masterplan-common.js';

export const qx = texts({
  tab: ['Quick win', 'Quick wins'],
  roadmapTab: ['Roadmap', 'Roadmap'],
  title: ['Quick win', 'Quick wins'],
  hint: ['Quick win adalah kegiatan berdampak cepat yang selesai dalam 6–12 bulan, dengan latar belakang, keluaran, hasil, jadwal, biaya dan OPD pengampunya.', 'A quick win is a fast-impact piece of work finished within 6–12 months, with its background, output, outcome, schedule, cost and lead OPD.'],
  add: ['Tambah quick win', 'Add quick win'],
  edit: ['Ubah quick win', 'Edit quick win'],
  count: ['quick win', 'quick wins'],
  countLabel: ['Jumlah quick win', 'Quick wins'],
  cost: ['Biaya (Rp)', 'Cost (IDR)'],
  costShort: ['Biaya', 'Cost'],
  totalCost: ['Biaya seluruhnya', 'Total cost'],
  none: ['Belum ada quick win pada dimensi ini.', 'No quick wins in this dimension yet.'],
  empty: ['Belum ada quick win.', 'No quick wins yet.'],
  titleField: ['Judul', 'Title'],
  initiative: ['Inisiatif', 'Initiative'],
  background: ['Latar belakang', 'Background'],
  output: ['Keluaran (output)', 'Output'],
  outcome: ['Hasil (outcome)', 'Outcome'],
  start: ['Bulan mulai', 'Start month'],
  end: ['Bulan selesai', 'End month'],
  schedule: ['Jadwal', 'Schedule'],
  months: ['bulan', 'months'],
  funding: ['Sumber pendanaan', 'Funding source'],
  lead: ['OPD pengampu', 'Lead OPD'],
  scheduleHint: ['6–12 bulan, di dalam periode rencana induk.', '6–12 months, within the plan\'s period.'],
  confirmDelete: ['Hapus quick win ini?', 'Delete this quick win?'],
  exportQuickWin: ['Unduh DOCX Dokumen Quick Win', 'Download Quick Win document DOCX'],
  exportQuickWinPdf: ['Unduh PDF Dokumen Quick Win', 'Download Quick Win document PDF'],
  roadmapTitle: ['Roadmap per dimensi dan tahun', 'Roadmap per dimension and year'],
  roadmapHint: ['Inisiatif menurut jadwal tahunannya, quick win menurut jadwal bulanannya, dan tonggak capaian per dimensi dan tahun periode rencana induk.', 'Initiatives by their yearly timeline, quick wins by their monthly schedule, and milestones per dimension and year of the plan\'s period.'],
  noPeriod: ['Periode rencana induk belum ditetapkan dan belum ada inisiatif berjadwal.', 'The plan\'s period is not set and no initiative is scheduled yet.'],
  milestone: ['Tonggak capaian', 'Milestone'],
  milestones: ['Tonggak capaian', 'Milestones'],
  addMilestone: ['Tambah tonggak', 'Add milestone'],
  milestoneText: ['Uraian tonggak capaian', 'Milestone'],
  initiativesRunning: ['Inisiatif berjalan', 'Initiatives running'],
  unscheduled: ['Inisiatif tanpa jadwal', 'Initiatives without a timeline'],
  starts: ['mulai', 'starts'],
  ends: ['berakhir', 'ends'],
  legend: ['Tanda: ▶ inisiatif, ★ quick win, ◆ tonggak capaian', 'Key: ▶ initiative, ★ quick win, ◆ milestone'],
  filterDimension: ['Dimensi', 'Dimension'],
});

export const statusName = (key: string) => {
  const s = QUICK_WIN_STATUSES.find((x) => x.key === key);
  return s ? L(s.nameId, s.nameEn) : key;
};
/** '2026-03' → 'Maret 2026' / 'March 2026' */
export function monthName(month: string): string {
  const i = Number(month.slice(5, 7)) - 1;
  return `${(getLang() === 'id' ? MONTH_NAMES_ID : MONTH_NAMES_EN)[i] ?? month} ${month.slice(0, 4)}`;
}
