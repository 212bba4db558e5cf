/** The texts of the master plan records screen (profile, issues, ICT, strategies, goals, development plans, adoption, appendices), in both languages. */
import { texts } from '../i18n.js';
import type { Labelled } from '../../../src/modules/masterplan/records/records.constants.ts';
import { L } from './masterplan-common.js';

export const rx = texts({
  hint: ['Bahan Buku I (profil daerah, kondisi saat ini, inventaris TIK, strategi dan tujuan) dan Buku II (rencana pengembangan, status penetapan, lampiran). Semua yang masuk akun dapat membaca; Bappeda, Diskominfo dan Tim Pelaksana mengubah.', 'Material of Book I (regional profile, current condition, ICT inventory, strategies and goals) and Book II (development plans, adoption status, appendices). Everyone signed in reads; Bappeda, Diskominfo and the implementation team edit.'],
  profile: ['Profil daerah', 'Regional profile'],
  indicator: ['Indikator', 'Indicator'],
  value: ['Nilai', 'Value'],
  valueHint: ['Nilai (format 1.234,5)', 'Value (e.g. 1234.5)'],
  source: ['Sumber', 'Source'],
  clear: ['Kosongkan', 'Clear'],
  issues: ['Kondisi saat ini dan isu strategis per dimensi', 'Current condition and strategic issues per dimension'],
  issue: ['Isu strategis', 'Strategic issue'],
  title: ['Judul', 'Title'],
  description: ['Uraian', 'Description'],
  ict: ['Inventaris TIK yang ada', 'Existing ICT inventory'],
  kind: ['Jenis', 'Kind'],
  platform: ['Terpantau langsung oleh platform', 'Monitored live by the platform'],
  devices: ['Perangkat', 'Devices'],
  online: ['daring', 'online'],
  assets: ['Aset', 'Assets'],
  strategies: ['Strategi dari analisis SWOT', 'Strategies from the SWOT analysis'],
  quadrant: ['Kuadran SWOT', 'SWOT quadrant'],
  swotElement: ['Elemen SWOT', 'SWOT element'],
  allDimensions: ['Semua dimensi', 'All dimensions'],
  strategy: ['Strategi', 'Strategy'],
  goals: ['Tujuan per dimensi', 'Goals per dimension'],
  goal: ['Tujuan', 'Goal'],
  indicatorText: ['Indikator', 'Indicator'],
  development: ['Rencana pengembangan', 'Development plans'],
  developmentHint: ['Regulasi (Perbup), kelembagaan (SK Dewan dan Tim Pelaksana), SDM dan infrastruktur, masing-masing pada satu tahun dalam periode rencana induk', 'Regulation (Perbup), institutions (decrees of the council and team), people and infrastructure, each in a year of the plan\'s period'],
  area: ['Bidang', 'Area'],
  what: ['Rencana', 'Plan'],
  responsible: ['OPD penanggung jawab', 'Responsible OPD'],
  adoption: ['Status penetapan', 'Adoption status'],
  perbupNumber: ['Nomor Perbup', 'Perbup number'],
  perbupDate: ['Tanggal Perbup', 'Perbup date'],
  rpjmdReference: ['RPJMD (Perda)', 'RPJMD (regional regulation)'],
  appendices: ['Lampiran', 'Appendices'],
  linkedFile: ['Berkas lembar komitmen', 'Commitment sheet file'],
  noFile: ['Tanpa berkas', 'No file'],
  open: ['Buka berkas', 'Open file'],
  empty: ['Belum ada isian.', 'Nothing recorded yet.'],
  confirmDelete: ['Hapus isian ini?', 'Delete this entry?'],
  none: ['—', '—'],
});

/** The name of a key of a constant list in the screen's language. */
export const named = (list: readonly Labelled[], key: string | null | undefined): string => {
  const x = list.find((i) => i.key === key);
  return x ? L(x.nameId, x.nameEn) : '—';
};
