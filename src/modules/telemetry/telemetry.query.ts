/** Parsing of the query parameters of telemetry reads: times, intervals, zones. */
import { AppError } from '../../core/errors.ts';
import { MAX_EPOCH_MS } from '../../core/input.ts';

export type Agg = 'none' | 'avg' | 'min' | 'max' | 'sum' | 'count';
export const AGGS: readonly Agg[] = ['none', 'avg', 'min', 'max', 'sum', 'count'];

/** Fixed-length buckets in ms, or calendar months (which differ in length). */
export type Interval = { kind: 'fixed'; ms: number; label: string } | { kind: 'month'; months: number; label: string };

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `30s`, `5m`, `1h`, `1d`, `1w` or `1mo`. */
export function parseInterval(value: string): Interval {
  const match = /^(\d{1,6})(s|m|h|d|w|mo)$/.exec(value.trim());
  if (!match || Number(match[1]) === 0) {
    throw new AppError('QUERY_INVALID', `interval "${value}" must be a number and a unit: s, m, h, d, w or mo (e.g. 1h, 15m, 1d, 1mo)`);
  }
  const n = Number(match[1]);
  if (match[2] === 'mo') return { kind: 'month', months: n, label: value };
  return { kind: 'fixed', ms: n * UNIT_MS[match[2]!]!, label: value };
}

/**
 * ms since epoch, or an ISO 8601 date-time (a zone is needed; a bare date is
 * taken in the region's zone). Only times from 1970 to 2200 (MAX_EPOCH_MS, the
 * platform's input rule): past them a time is a typing mistake, and it would
 * not fit the columns or a Date.
 */
export function parseTime(value: string, name: string, zone: string): number {
  const trimmed = value.trim();
  const outOfRange = () => new AppError('QUERY_INVALID', `${name} ${JSON.stringify(trimmed.slice(0, 40))} is not a time between 1970 and 2200`);
  if (/^-?\d+$/.test(trimmed)) {
    const ms = Number(trimmed);
    if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_EPOCH_MS) throw outOfRange();
    return ms;
  }
  let parsed: number;
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    const midnightUtc = Date.parse(`${trimmed}T00:00:00Z`);
    // 2026-13-45 is no date: NaN must not reach a query.
    if (Number.isNaN(midnightUtc)) throw new AppError('QUERY_INVALID', `${name} "${trimmed}" is not a calendar date`);
    parsed = midnightUtc - zoneOffsetMs(zone, midnightUtc);
  } else {
    parsed = Date.parse(trimmed);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed) || Number.isNaN(parsed)) {
      throw new AppError('QUERY_INVALID', `${name} "${value.slice(0, 60)}" must be ms since epoch or ISO 8601, e.g. 2026-11-28T07:00:00+07:00`);
    }
  }
  if (parsed < 0 || parsed > MAX_EPOCH_MS) throw outOfRange();
  return parsed;
}

/** How far a zone is ahead of UTC at an instant, in ms (Asia/Jakarta: 7 h). */
export function zoneOffsetMs(zone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The start (UTC ms) of each calendar month in the zone from the month holding
 * `from` until past `to`, stepping `months` at a time.
 */
export function monthStarts(from: number, to: number, months: number, zone: string): number[] {
  const offset = zoneOffsetMs(zone, from);
  const local = new Date(from + offset);
  let year = local.getUTCFullYear();
  let month = local.getUTCMonth();
  const starts: number[] = [];
  for (;;) {
    const start = Date.UTC(year, month, 1) - zoneOffsetMs(zone, Date.UTC(year, month, 1));
    starts.push(start);
    if (start >= to) break;
    month += months;
    year += Math.floor(month / 12);
    month %= 12;
  }
  return starts;
}
