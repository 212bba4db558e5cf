import type { Sla, SlaStage } from './incidents.contract.ts';
import { LAPOR_RHYTHM } from './incidents.constants.ts';

/** The SP4N-LAPOR! rhythm in working days (a pure constant, in incidents.constants.ts for the web app too). */
export { LAPOR_RHYTHM };

/**
 * National holidays (hari libur nasional) by the joint decree (SKB 3 Menteri)
 * of each year. TO BE UPDATED YEARLY when the next decree is published; the
 * 2027 dates of the lunar holidays are the expected ones and may move by a day.
 * Collective leave (cuti bersama) is not listed: offices stay open for services.
 */
export const NATIONAL_HOLIDAYS: ReadonlySet<string> = new Set([
  // 2026
  '2026-01-01', // Tahun Baru Masehi
  '2026-01-16', // Isra Mikraj
  '2026-02-17', // Tahun Baru Imlek
  '2026-03-19', // Hari Suci Nyepi
  '2026-03-20', // Idulfitri 1447 H
  '2026-03-21', // Idulfitri 1447 H
  '2026-04-03', // Wafat Yesus Kristus
  '2026-04-05', // Kebangkitan Yesus Kristus (Paskah)
  '2026-05-01', // Hari Buruh
  '2026-05-14', // Kenaikan Yesus Kristus
  '2026-05-27', // Iduladha 1447 H
  '2026-05-31', // Waisak
  '2026-06-01', // Hari Lahir Pancasila
  '2026-06-16', // Tahun Baru Islam 1448 H
  '2026-08-17', // Hari Kemerdekaan
  '2026-08-25', // Maulid Nabi Muhammad
  '2026-12-25', // Natal
  // 2027 (lunar dates expected; check against the 2027 decree)
  '2027-01-01',
  '2027-01-05', // Isra Mikraj
  '2027-02-06', // Tahun Baru Imlek
  '2027-03-08', // Hari Suci Nyepi
  '2027-03-10', // Idulfitri 1448 H
  '2027-03-11', // Idulfitri 1448 H
  '2027-03-26', // Wafat Yesus Kristus
  '2027-03-28', // Paskah
  '2027-05-01', // Hari Buruh
  '2027-05-06', // Kenaikan Yesus Kristus
  '2027-05-17', // Iduladha 1448 H
  '2027-05-20', // Waisak
  '2027-06-01', // Hari Lahir Pancasila
  '2027-06-06', // Tahun Baru Islam 1449 H
  '2027-08-15', // Maulid Nabi Muhammad
  '2027-08-17', // Hari Kemerdekaan
  '2027-12-25', // Natal
]);

const DAY = 86_400_000;
const offsetCache = new Map<string, number>();

/** The zone's offset from UTC in ms at that instant (Indonesia's zones have no daylight saving). */
export function zoneOffsetMs(timeZone: string, at: number): number {
  const cached = offsetCache.get(timeZone);
  if (cached !== undefined) return cached;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offset = local - Math.floor(at / 1000) * 1000;
  if (/^Asia\/(Jakarta|Pontianak|Makassar|Jayapura)$/.test(timeZone)) offsetCache.set(timeZone, offset);
  return offset;
}

/** A local date as YYYY-MM-DD. */
function isoDay(localMs: number): string {
  return new Date(localMs).toISOString().slice(0, 10);
}

export function isWorkingDay(localMs: number, holidays: ReadonlySet<string> = NATIONAL_HOLIDAYS): boolean {
  const weekday = new Date(localMs).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(isoDay(localMs));
}

/**
 * The moment n working days after `from`: the same local time of day on the
 * n-th working day after the day of `from` (a report filed on Friday at 10:00
 * with 3 days is due on Wednesday at 10:00; one filed on Saturday too).
 */
export function addWorkingDays(from: number, n: number, timeZone = 'Asia/Jakarta', holidays: ReadonlySet<string> = NATIONAL_HOLIDAYS): number {
  const offset = zoneOffsetMs(timeZone, from);
  let local = from + offset;
  let left = n;
  while (left > 0) {
    local += DAY;
    if (isWorkingDay(local, holidays)) left--;
  }
  return local - offset;
}

/** Yellow once this share of the stage's time is used, as Jakarta's CROP shows it. */
export const YELLOW_AT = 2 / 3;

/** The ms between two moments that fall on working days (weekends and holidays do not count). */
export function workingMsBetween(from: number, to: number, timeZone = 'Asia/Jakarta', holidays: ReadonlySet<string> = NATIONAL_HOLIDAYS): number {
  if (to <= from) return 0;
  const offset = zoneOffsetMs(timeZone, from);
  let t = from + offset;
  const end = to + offset;
  let total = 0;
  while (t < end) {
    const dayEnd = Math.floor(t / DAY) * DAY + DAY;
    if (isWorkingDay(t, holidays)) total += Math.min(dayEnd, end) - t;
    t = dayEnd;
  }
  return total;
}

/**
 * Green, yellow or red for a stage that started at `startedAt` and is due at
 * `dueAt`: the share used is of working time, so a weekend or a holiday does
 * not turn an incident yellow.
 */
export function slaOf(stage: SlaStage | null, startedAt: number | null, dueAt: number | null, now: number, timeZone = 'Asia/Jakarta'): Sla {
  if (stage === null || dueAt === null || startedAt === null) return { dueAt: null, stage: null, state: null, overdue: false };
  const overdue = now > dueAt;
  if (overdue) return { dueAt, stage, state: 'red', overdue };
  const total = workingMsBetween(startedAt, dueAt, timeZone);
  const used = total > 0 ? workingMsBetween(startedAt, now, timeZone) / total : 1;
  return { dueAt, stage, state: used >= YELLOW_AT ? 'yellow' : 'green', overdue };
}
