import type { Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

/** One stored telemetry point, already validated. */
export interface PointRow {
  seriesId: number;
  /** ms since epoch, UTC */
  ts: number;
  num: number | null;
  str: string | null;
  bool: number | null;
  json: string | null;
}

/**
 * The write paths that must be fast, in each dialect's own SQL: one call is one
 * transaction, committed durably before the promise resolves.
 */
export interface TelemetryBulk {
  /** Ids of the series of (device, key), created when missing. */
  ensureSeries(items: { regionId: string; deviceId: string; key: string }[]): Promise<Map<string, number>>;
  /**
   * Stores points (a point at an existing (series, ts) replaces it), moves each
   * series' latest value forward when a point is newer, and marks device activity.
   */
  writePoints(points: PointRow[], activity: Map<string, number>): Promise<void>;
  /**
   * Makes every point written so far visible to queries of the `telemetry`
   * table and of the series' latest values (telemetry_series.latest_*): SQLite
   * stages points and moves them, and the latest values with them, in batches;
   * a reader of either calls this first. PostgreSQL writes both directly.
   */
  settle(): Promise<void>;
}

export interface Database {
  dialect: DialectName;
  db: Kysely<Schema>;
  bulk: TelemetryBulk;
  close(): Promise<void>;
}

/** Key of a (device, key) pair in maps. */
export function seriesKey(deviceId: string, key: string): string {
  return `${deviceId}\u0000${key}`;
}

/**
 * Keeps in `latest` the newest point of the series of `p` (a later call wins a tie, as the last point
 * given for a time does): each dialect writes a series' latest value from these, once for many batches.
 */
export function keepNewest(latest: Map<number, PointRow>, p: PointRow): void {
  const seen = latest.get(p.seriesId);
  if (seen === undefined || seen.ts <= p.ts) latest.set(p.seriesId, p);
}
