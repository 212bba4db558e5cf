/**
 * The pure constants of the evaluation (monev) with their labels in both languages: the web app
 * imports them as values. No import.
 */

export const AUTO_KEYS = ['output.initiatives', 'output.realisation', 'outcome.kpis', 'outcome.sla', 'outcome.devices'] as const;
export type AutoKey = (typeof AUTO_KEYS)[number];

/** What an item pre-filled from the platform is called, in both languages (the item's stored name is the Indonesian one). */
export const AUTO_NAMES: Record<AutoKey, { id: string; en: string }> = {
  'output.initiatives': { id: 'Inisiatif smart city dimulai dan diselesaikan sesuai jadwal', en: 'Smart city initiatives started and finished on schedule' },
  'output.realisation': { id: 'Realisasi anggaran inisiatif', en: 'Realisation of the initiatives\' budget' },
  'outcome.kpis': { id: 'KPI masterplan mencapai target', en: 'Master plan KPIs on track' },
  'outcome.sla': { id: 'Laporan dan insiden selesai dalam SLA', en: 'Reports and incidents resolved within their SLA' },
  'outcome.devices': { id: 'Perangkat IoT daring', en: 'IoT devices online' },
};
