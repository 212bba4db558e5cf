import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { TelemetryValue } from '../../core/events.ts';
import { rangeFlag, type DevicesService, type ProfileKey, type RangeFlag } from '../devices/index.ts';
import type { IdentityService, Principal } from '../identity/index.ts';
import { fromColumns } from './telemetry.parse.ts';
import { monthStarts, parseInterval, parseTime, zoneOffsetMs, type Agg, type Interval } from './telemetry.query.ts';
import type { BucketRow, TelemetryRepository } from './telemetry.repository.ts';

export interface Point {
  /** ms since epoch, UTC; for an aggregate, the start of its bucket */
  ts: number;
  value: TelemetryValue | null;
}

/** A latest value, flagged when it lies outside its profile's expected range (it is stored as sent all the same). */
export interface LatestPoint extends Point {
  outOfRange?: RangeFlag;
}

/** What the latest values need of profiles: the expected range of each key of a type. */
export interface RangeSource {
  forType(regionId: string, type: string): Promise<{ keys: ProfileKey[] } | null>;
}

export interface SeriesQuery {
  keys?: string[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  interval?: string | undefined;
  agg?: Agg | undefined;
  /** raw points only: the most to return; past it without a limit, the query is refused */
  limit?: number | undefined;
  order?: 'asc' | 'desc' | undefined;
  /** IANA zone the buckets align to; the region's by default */
  tz?: string | undefined;
}

/** Most buckets one aggregate query may produce. */
export const MAX_BUCKETS = 100_000;
const DAY_MS = 86_400_000;

export class TelemetryService {
  private readonly repo: TelemetryRepository;
  private readonly devices: DevicesService;
  private readonly identity: IdentityService;
  private readonly clock: Clock;
  private readonly maxQueryPoints: number;
  private readonly ranges: RangeSource | null;
  constructor(repo: TelemetryRepository, devices: DevicesService, identity: IdentityService, clock: Clock, maxQueryPoints: number, ranges: RangeSource | null = null) {
    this.ranges = ranges;
    this.repo = repo;
    this.devices = devices;
    this.identity = identity;
    this.clock = clock;
    this.maxQueryPoints = maxQueryPoints;
  }

  /** The newest value of each key, by timestamp. */
  /** Read-only, for the master plan's live KPIs: the region-wide mean of a key in [from, to]. */
  meanOf(regionId: string, key: string, from: number, to: number, assetType?: string): Promise<{ mean: number | null; count: number }> {
    return this.repo.meanOf(regionId, key, from, to, assetType);
  }

  /**
   * The newest value of each key; a number outside the expected range of its
   * type's profile carries `outOfRange` ("above" or "below"). The flag is read
   * against the profile as it is now: nothing is logged or refused per reading.
   */
  async latest(p: Principal, deviceId: string, keys?: string[]): Promise<Record<string, LatestPoint>> {
    const series = await this.repo.latestOf(p.regionId, deviceId, keys);
    // No series: an unknown device, or one that has not sent these keys yet.
    if (series.length === 0) await this.devices.assertReadable(p, deviceId);
    let expected: Map<string, ProfileKey> | undefined;
    if (this.ranges && series.length > 0) {
      const [device] = await this.devices.refs(p.regionId, [deviceId]);
      const profile = device ? await this.ranges.forType(p.regionId, device.type) : null;
      if (profile) expected = new Map(profile.keys.map((k) => [k.key, k]));
    }
    const out: Record<string, LatestPoint> = {};
    for (const s of series) {
      if (s.latest_ts === null) continue;
      const value = fromColumns({ num: s.latest_num, str: s.latest_str, bool: s.latest_bool, json: s.latest_json });
      const flag = rangeFlag(expected?.get(s.key), value);
      out[s.key] = flag === undefined ? { ts: s.latest_ts, value } : { ts: s.latest_ts, value, outOfRange: flag };
    }
    return out;
  }

  /** `{deviceId: {key: {ts, value}}}` for every device of the region, or of the given keys only. */
  async regionLatest(p: Principal, keys?: string[]): Promise<Record<string, Record<string, Point>>> {
    const out: Record<string, Record<string, Point>> = {};
    for (const s of await this.repo.regionLatest(p.regionId, keys)) {
      (out[s.device_id] ??= {})[s.key] = { ts: s.latest_ts!, value: fromColumns({ num: s.latest_num, str: s.latest_str, bool: s.latest_bool, json: s.latest_json }) };
    }
    return out;
  }

  async keys(p: Principal, deviceId: string): Promise<string[]> {
    await this.devices.assertReadable(p, deviceId);
    return (await this.repo.series(deviceId)).map((s) => s.key);
  }

  async series(p: Principal, deviceId: string, q: SeriesQuery): Promise<Record<string, Point[]>> {
    await this.devices.assertReadable(p, deviceId);
    const zone = q.tz ?? (await this.identity.getRegion(p.regionId)).timezone;
    checkZone(zone);
    const now = this.clock.now();
    const to = q.to === undefined ? now + 1 : parseTime(q.to, 'to', zone);
    const from = q.from === undefined ? to - DAY_MS : parseTime(q.from, 'from', zone);
    if (from >= to) throw new AppError('QUERY_INVALID', '"from" must be before "to"');
    const agg = q.agg ?? 'none';
    if (agg === 'none' && q.interval !== undefined) throw new AppError('QUERY_INVALID', 'an interval needs an aggregate: agg=avg, min, max, sum or count');
    if (agg !== 'none' && q.limit !== undefined) throw new AppError('QUERY_INVALID', 'limit applies to raw points (agg=none); aggregates are bounded by the interval');

    const series = await this.repo.series(deviceId, q.keys);
    const out: Record<string, Point[]> = {};
    for (const key of q.keys ?? []) out[key] = [];
    if (agg === 'none') {
      const limit = Math.min(q.limit ?? this.maxQueryPoints, this.maxQueryPoints);
      for (const s of series) {
        const rows = await this.repo.points(s.id, from, to, limit + 1, q.order ?? 'asc');
        if (rows.length > limit && q.limit === undefined) {
          throw new AppError(
            'TOO_MANY_POINTS',
            `"${s.key}" has more than ${limit} points in this range; narrow the range, pass limit, or ask for an aggregate with interval and agg`,
          );
        }
        out[s.key] = rows.slice(0, limit).map((r) => ({ ts: r.ts, value: fromColumns(r) }));
      }
      return out;
    }

    // Without an interval, one bucket spans the whole range.
    const interval: Interval = q.interval === undefined ? { kind: 'fixed', ms: to - from, label: 'whole range' } : parseInterval(q.interval);
    const buckets = interval.kind === 'fixed' ? (to - from) / interval.ms : (to - from) / (28 * DAY_MS * interval.months);
    if (buckets > MAX_BUCKETS) {
      throw new AppError('QUERY_INVALID', `interval ${interval.label} over this range makes more than ${MAX_BUCKETS} buckets; choose a longer interval or a shorter range`);
    }
    for (const s of series) {
      if (interval.kind === 'fixed') {
        // Zones of Indonesia keep one offset all year, so buckets of whole days align to local midnight.
        const offset = zoneOffsetMs(zone, from);
        const rows = await this.repo.buckets(s.id, from, to, interval.ms, offset);
        out[s.key] = rows.flatMap((r) => valueOf(r, agg, r.b * interval.ms - offset));
      } else {
        const starts = monthStarts(from, to, interval.months, zone);
        const days = await this.repo.buckets(s.id, from, to, DAY_MS, zoneOffsetMs(zone, from));
        out[s.key] = mergeIntoMonths(days, starts, zoneOffsetMs(zone, from)).flatMap(({ row, ts }) => valueOf(row, agg, Math.max(ts, from)));
      }
    }
    return out;
  }
}

function valueOf(r: BucketRow, agg: Exclude<Agg, 'none'>, ts: number): Point[] {
  switch (agg) {
    case 'count':
      return [{ ts, value: r.n }];
    case 'avg':
      return r.n_num > 0 && r.sum !== null ? [{ ts, value: r.sum / r.n_num }] : [];
    case 'sum':
      return r.sum !== null ? [{ ts, value: r.sum }] : [];
    case 'min':
      return r.min !== null ? [{ ts, value: r.min }] : [];
    case 'max':
      return r.max !== null ? [{ ts, value: r.max }] : [];
  }
}

/** Daily buckets combined into the calendar months (or groups of months) that hold them. */
function mergeIntoMonths(days: BucketRow[], starts: number[], offset: number): { ts: number; row: BucketRow }[] {
  const out: { ts: number; row: BucketRow }[] = [];
  let i = 0;
  for (const day of days) {
    const dayStart = day.b * DAY_MS - offset;
    while (i + 1 < starts.length && starts[i + 1]! <= dayStart) i++;
    const ts = starts[i]!;
    const last = out[out.length - 1];
    if (!last || last.ts !== ts) {
      out.push({ ts, row: { ...day } });
      continue;
    }
    const r = last.row;
    r.n += day.n;
    r.n_num += day.n_num;
    r.sum = r.sum === null ? day.sum : day.sum === null ? r.sum : r.sum + day.sum;
    r.min = r.min === null ? day.min : day.min === null ? r.min : Math.min(r.min, day.min);
    r.max = r.max === null ? day.max : day.max === null ? r.max : Math.max(r.max, day.max);
  }
  return out;
}

function checkZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new AppError('QUERY_INVALID', `tz "${zone}" is not an IANA time zone such as Asia/Jakarta`);
  }
}
