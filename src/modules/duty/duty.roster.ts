/**
 * The time arithmetic of a weekly roster, without I/O: shifts are wall-clock
 * times in the region's zone (WIB for Musi Rawas), swaps are absolute ranges.
 * Everything here takes and gives ms since epoch, UTC.
 */

/** Wall-clock parts of an instant in a zone. */
export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** ISO weekday: 1 Senin (Monday) … 7 Minggu (Sunday) */
  weekday: number;
  /** minutes after local midnight, 0–1439 */
  minute: number;
}

/** A weekly shift as the arithmetic needs it. */
export interface ShiftRule {
  id: string;
  weekday: number;
  startMinute: number;
  endMinute: number;
  userId: string;
}

/** A swap as the arithmetic needs it: [startsAt, endsAt) in ms. */
export interface SwapRule {
  id: string;
  startsAt: number;
  endsAt: number;
  userId: string;
  /** null: added on top of the roster */
  replacesUserId: string | null;
}

/** One occurrence of a shift: the local date it starts on and its range in ms. */
export interface ShiftInstance {
  shiftId: string;
  userId: string;
  date: string;
  from: number;
  until: number;
}

/** A stretch of duty of one person, with the shift and/or swap that put them there. */
export interface DutySpan {
  userId: string;
  from: number;
  until: number;
  shiftId: string | null;
  swapId: string | null;
  /** whose duty this swap took over; null when rostered or added */
  replacedUserId: string | null;
}

const DAY_MS = 86_400_000;
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsOf(at: number, zone: string) {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, format);
  }
  const p = Object.fromEntries(format.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second), weekday: WEEKDAYS[p.weekday ?? ''] ?? 1 };
}

export function localTime(at: number, zone: string): LocalTime {
  const p = partsOf(at, zone);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, weekday: p.weekday, minute: p.hour * 60 + p.minute };
}

/** The zone's offset from UTC at an instant, in ms (WIB: +7 h). */
function offsetAt(at: number, zone: string): number {
  const p = partsOf(at, zone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
}

/** The instant at which the zone's clocks show `minute` after midnight of `date`. */
export function zonedToUtc(date: string, minute: number, zone: string): number {
  const wall = dateMs(date) + minute * 60_000;
  const guess = wall - offsetAt(wall, zone);
  // A second pass settles a guess that fell on the other side of an offset change.
  return wall - offsetAt(guess, zone);
}

export function addDays(date: string, days: number): string {
  return new Date(dateMs(date) + days * DAY_MS).toISOString().slice(0, 10);
}

export function weekdayOf(date: string): number {
  const day = new Date(dateMs(date)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The Monday (Senin) of the week holding `date`. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

export function isDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(dateMs(text)) && new Date(dateMs(text)).toISOString().startsWith(text);
}

/** "07:30" → 450 */
export function minuteOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** 450 → "07:30" */
export function timeOf(minute: number): string {
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

/** The shifts starting on a local date, with their range; one whose end is at or before its start ends the next day. */
export function instancesOn(shifts: readonly ShiftRule[], date: string, zone: string): ShiftInstance[] {
  const weekday = weekdayOf(date);
  return shifts
    .filter((s) => s.weekday === weekday)
    .map((s) => ({
      shiftId: s.id,
      userId: s.userId,
      date,
      from: zonedToUtc(date, s.startMinute, zone),
      until: zonedToUtc(s.endMinute > s.startMinute ? date : addDays(date, 1), s.endMinute, zone),
    }))
    .sort((a, b) => a.from - b.from || a.until - b.until);
}

/**
 * Who covers a shift occurrence: its person, except where a swap hands their
 * duty to someone else (the occurrence is cut into spans). A swap replaces a
 * person only where they are rostered; an earlier swap wins where two overlap.
 */
export function applySwaps(instance: ShiftInstance, swaps: readonly SwapRule[]): DutySpan[] {
  let spans: DutySpan[] = [{ userId: instance.userId, from: instance.from, until: instance.until, shiftId: instance.shiftId, swapId: null, replacedUserId: null }];
  const relevant = swaps.filter((w) => w.replacesUserId === instance.userId && w.startsAt < instance.until && w.endsAt > instance.from).sort((a, b) => a.startsAt - b.startsAt || a.id.localeCompare(b.id));
  for (const swap of relevant) {
    const next: DutySpan[] = [];
    for (const span of spans) {
      if (span.swapId !== null || span.until <= swap.startsAt || span.from >= swap.endsAt) {
        next.push(span);
        continue;
      }
      if (span.from < swap.startsAt) next.push({ ...span, until: swap.startsAt });
      next.push({ ...span, from: Math.max(span.from, swap.startsAt), until: Math.min(span.until, swap.endsAt), userId: swap.userId, swapId: swap.id, replacedUserId: instance.userId });
      if (span.until > swap.endsAt) next.push({ ...span, from: swap.endsAt });
    }
    spans = next;
  }
  return spans;
}

/** Everyone on duty at an instant: the shifts covering it with swaps applied, and those added by a swap. Empty when nobody is. */
export function onDutyAt(shifts: readonly ShiftRule[], swaps: readonly SwapRule[], at: number, zone: string): DutySpan[] {
  const today = localTime(at, zone).date;
  const out: DutySpan[] = [];
  // A shift that started yesterday may still run (22.00–06.00).
  for (const date of [addDays(today, -1), today]) {
    for (const instance of instancesOn(shifts, date, zone)) {
      if (instance.from > at || instance.until <= at) continue;
      for (const span of applySwaps(instance, swaps)) if (span.from <= at && at < span.until) out.push(span);
    }
  }
  for (const swap of swaps) {
    if (swap.replacesUserId === null && swap.startsAt <= at && at < swap.endsAt) {
      out.push({ userId: swap.userId, from: swap.startsAt, until: swap.endsAt, shiftId: null, swapId: swap.id, replacedUserId: null });
    }
  }
  return out;
}

function dateMs(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
