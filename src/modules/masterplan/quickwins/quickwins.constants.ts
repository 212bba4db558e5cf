/**
 * The pure constants of quick wins and the roadmap, with their labels in both
 * languages (the web app imports them as values; quickwins.contract.ts checks
 * its schemas name the same keys). No import.
 */

/** The life of a quick win, in order. */
export const QUICK_WIN_STATUSES = [
  { key: 'planned', nameId: 'Direncanakan', nameEn: 'Planned' },
  { key: 'ongoing', nameId: 'Berjalan', nameEn: 'Ongoing' },
  { key: 'done', nameId: 'Selesai', nameEn: 'Done' },
  { key: 'dropped', nameId: 'Dibatalkan', nameEn: 'Dropped' },
] as const;
export const QUICK_WIN_STATUS_KEYS = ['planned', 'ongoing', 'done', 'dropped'] as const;

/** A quick win shows its benefit within 6 to 12 months (Kominfo's guide): both months of the schedule counted. */
export const QUICK_WIN_MIN_MONTHS = 6;
export const QUICK_WIN_MAX_MONTHS = 12;

/** 'YYYY-MM' → months since year 0, so that two months subtract. */
const monthIndex = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
/** How many months a schedule spans, its first and last month counted. */
export const scheduleMonths = (start: string, end: string): number => monthIndex(end) - monthIndex(start) + 1;
/** The months of a schedule, in order, as 'YYYY-MM'. */
export function monthsOf(start: string, end: string): string[] {
  const out: string[] = [];
  for (let i = monthIndex(start); i <= monthIndex(end); i++) out.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  return out;
}

export const MONTH_NAMES_ID = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'] as const;
export const MONTH_NAMES_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
