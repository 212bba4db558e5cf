import { sql, type Kysely } from 'kysely';
import type { Database, Schema } from '../../platform/db/index.ts';

export interface ValueColumns {
  num: number | null;
  str: string | null;
  bool: number | null;
  json: string | null;
}

export interface BucketRow {
  /** bucket number: floor((ts + offset) / interval) */
  b: number;
  sum: number | null;
  n_num: number;
  n: number;
  min: number | null;
  max: number | null;
}

/** Reads of points and of latest values settle the database's staged points first (TelemetryBulk.settle). */
export class TelemetryRepository {
  private readonly db: Kysely<Schema>;
  private readonly bulk: Database['bulk'];
  constructor(database: Pick<Database, 'db' | 'bulk'>) {
    this.db = database.db;
    this.bulk = database.bulk;
  }

  /** Read-only, for the master plan's live KPIs: the mean of a numeric key over the region's devices (of an asset type) in [from, to]. */
  async meanOf(regionId: string, key: string, from: number, to: number, assetType?: string): Promise<{ mean: number | null; count: number }> {
    await this.bulk.settle();
    let q = this.db
      .selectFrom('telemetry as t')
      .innerJoin('telemetry_series as s', 's.id', 't.series_id')
      .innerJoin('devices as d', 'd.id', 's.device_id')
      .leftJoin('assets as a', 'a.id', 'd.asset_id')
      .select([sql<number | null>`avg(t.num)`.as('mean'), sql<number>`count(t.num)`.as('n')])
      .where('s.region_id', '=', regionId)
      .where('s.key', '=', key)
      .where('t.ts', '>=', from)
      .where('t.ts', '<=', to)
      .where('t.num', 'is not', null);
    if (assetType) q = q.where('a.type', '=', assetType);
    const row = await q.executeTakeFirst();
    const count = Number(row?.n ?? 0);
    return { mean: count > 0 && row?.mean !== null && row?.mean !== undefined ? Number(row.mean) : null, count };
  }

  /** The device's series with their latest values, when the device is in the region (one query for the common case). */
  async latestOf(regionId: string, deviceId: string, keys?: string[]) {
    await this.bulk.settle();
    let q = this.db.selectFrom('telemetry_series').selectAll().where('device_id', '=', deviceId).where('region_id', '=', regionId);
    if (keys !== undefined) q = q.where('key', 'in', keys);
    return q.execute();
  }

  /** A device's series, their ids and keys only (latest values are latestOf's: they need a settle first). */
  series(deviceId: string, keys?: string[]) {
    let q = this.db.selectFrom('telemetry_series').select(['id', 'key']).where('device_id', '=', deviceId);
    if (keys !== undefined) q = q.where('key', 'in', keys);
    return q.orderBy('key').execute();
  }

  /** The keys each of these devices has sent, in one query. */
  keysOf(deviceIds: string[]) {
    return this.db.selectFrom('telemetry_series').select(['device_id', 'key']).where('device_id', 'in', deviceIds).execute();
  }

  /** Latest values of every device of a region (for the command center's first paint). */
  async regionLatest(regionId: string, keys?: string[], opdId?: string) {
    await this.bulk.settle();
    let q = this.db
      .selectFrom('telemetry_series')
      .innerJoin('devices', 'devices.id', 'telemetry_series.device_id')
      .select(['telemetry_series.device_id', 'telemetry_series.key', 'telemetry_series.latest_ts', 'telemetry_series.latest_num', 'telemetry_series.latest_str', 'telemetry_series.latest_bool', 'telemetry_series.latest_json'])
      .where('telemetry_series.region_id', '=', regionId)
      .where('telemetry_series.latest_ts', 'is not', null);
    if (keys !== undefined) q = q.where('telemetry_series.key', 'in', keys);
    if (opdId !== undefined) q = q.where('devices.opd_id', '=', opdId);
    return q.execute();
  }

  /** Raw points in [from, to), at most `limit`, oldest or newest first. */
  async points(seriesId: number, from: number, to: number, limit: number, order: 'asc' | 'desc') {
    await this.bulk.settle();
    return this.db
      .selectFrom('telemetry')
      .select(['ts', 'num', 'str', 'bool', 'json'])
      .where('series_id', '=', seriesId)
      .where('ts', '>=', from)
      .where('ts', '<', to)
      .orderBy('ts', order)
      .limit(limit)
      .execute();
  }

  /** Sums, counts and extremes per bucket of `interval` ms shifted by `offset` ms, in one scan. */
  async buckets(seriesId: number, from: number, to: number, interval: number, offset: number): Promise<BucketRow[]> {
    await this.bulk.settle();
    const bucket = sql<number>`CAST((ts + ${offset}) / ${interval} AS BIGINT)`;
    const result = await sql<BucketRow>`
      SELECT ${bucket} AS b, SUM(num) AS sum, COUNT(num) AS n_num, COUNT(*) AS n, MIN(num) AS min, MAX(num) AS max
      FROM telemetry WHERE series_id = ${seriesId} AND ts >= ${from} AND ts < ${to}
      GROUP BY 1 ORDER BY 1`.execute(this.db);
    return result.rows.map((r) => ({ b: Number(r.b), sum: r.sum === null ? null : Number(r.sum), n_num: Number(r.n_num), n: Number(r.n), min: r.min === null ? null : Number(r.min), max: r.max === null ? null : Number(r.max) }));
  }

  /** Series of regions with a retention period, to prune. */
  seriesWithRetention() {
    return this.db
      .selectFrom('telemetry_series')
      .innerJoin('regions', 'regions.id', 'telemetry_series.region_id')
      .select(['telemetry_series.id', 'regions.retention_days'])
      .where('regions.retention_days', 'is not', null)
      .execute();
  }

  /** Deletes at most `limit` points older than `before`; returns how many went. */
  async deleteOlder(seriesId: number, before: number, limit: number): Promise<number> {
    await this.bulk.settle();
    const result = await this.db
      .deleteFrom('telemetry')
      .where('series_id', '=', seriesId)
      .where('ts', 'in', (eb) => eb.selectFrom('telemetry').select('ts').where('series_id', '=', seriesId).where('ts', '<', before).orderBy('ts').limit(limit))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
