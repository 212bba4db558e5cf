import type { Kysely } from 'kysely';
import type { Database, Schema } from '../../platform/db/index.ts';
import type { RuleRow } from './rules.repository.ts';

/** What the preview reads: a rule's devices, their series of its key, and their points in a window, page by page. */
export class PreviewRepository {
  private readonly db: Kysely<Schema>;
  private readonly bulk: Database['bulk'];
  constructor(database: Pick<Database, 'db' | 'bulk'>) {
    this.db = database.db;
    this.bulk = database.bulk;
  }

  /** The devices a rule targets (by id, its type or its asset's type; its OPD's only when it has one), by id, at most `limit`. */
  devices(rule: Pick<RuleRow, 'region_id' | 'opd_id' | 'target_kind' | 'target_value'>, limit: number) {
    let q = this.db
      .selectFrom('devices')
      .leftJoin('assets', 'assets.id', 'devices.asset_id')
      .select(['devices.id', 'devices.name', 'devices.type'])
      .where('devices.region_id', '=', rule.region_id);
    if (rule.opd_id !== null) q = q.where('devices.opd_id', '=', rule.opd_id);
    if (rule.target_kind === 'device') q = q.where('devices.id', '=', rule.target_value);
    else if (rule.target_kind === 'device_type') q = q.where('devices.type', '=', rule.target_value);
    else q = q.where('assets.type', '=', rule.target_value);
    return q.orderBy('devices.id').limit(limit).execute();
  }

  /** A device's series of `key` ('*': all its series). */
  async series(deviceId: string, key: string): Promise<number[]> {
    let q = this.db.selectFrom('telemetry_series').select('id').where('device_id', '=', deviceId);
    if (key !== '*') q = q.where('key', '=', key);
    return (await q.orderBy('id').execute()).map((r) => Number(r.id));
  }

  /** Points of a series after `after` (exclusive) up to `to`, oldest first: a page read along the primary key (series, time). */
  async points(seriesId: number, after: number, to: number, limit: number) {
    await this.bulk.settle();
    return this.db
      .selectFrom('telemetry')
      .select(['ts', 'num'])
      .where('series_id', '=', seriesId)
      .where('ts', '>', after)
      .where('ts', '<=', to)
      .orderBy('ts')
      .limit(limit)
      .execute();
  }
}
