import type { Kysely } from 'kysely';
import type { Cursor } from '../../core/paging.ts';
import type { Database, Schema } from '../../platform/db/index.ts';
import type { RuleStatesTable, RulesTable } from '../../platform/db/schema.ts';

export type RuleRow = RulesTable;
export type RuleStateRow = RuleStatesTable;

export class RulesRepository {
  private readonly db: Kysely<Schema>;
  private readonly bulk: Database['bulk'];
  constructor(database: Pick<Database, 'db' | 'bulk'>) {
    this.db = database.db;
    this.bulk = database.bulk;
  }

  find(regionId: string, id: string) {
    return this.db.selectFrom('rules').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  list(regionId: string, limit: number, after?: Cursor, opdId?: string) {
    let q = this.db.selectFrom('rules').selectAll().where('region_id', '=', regionId);
    if (opdId !== undefined) q = q.where('opd_id', '=', opdId);
    if (after) q = q.where((eb) => eb.or([eb('created_at', '>', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '>', after.id)])]));
    return q.orderBy('created_at').orderBy('id').limit(limit + 1).execute();
  }

  enabledRules(regionId?: string) {
    let q = this.db.selectFrom('rules').selectAll().where('enabled', '=', 1);
    if (regionId !== undefined) q = q.where('region_id', '=', regionId);
    return q.execute();
  }

  async insert(row: RuleRow) {
    await this.db.insertInto('rules').values(row).execute();
  }

  async update(regionId: string, id: string, patch: Partial<RuleRow>) {
    await this.db.updateTable('rules').set(patch).where('region_id', '=', regionId).where('id', '=', id).execute();
    await this.db.deleteFrom('rule_states').where('rule_id', '=', id).execute();
  }

  async delete(regionId: string, id: string) {
    await this.db.deleteFrom('rules').where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  state(ruleId: string, deviceId: string) {
    return this.db.selectFrom('rule_states').selectAll().where('rule_id', '=', ruleId).where('device_id', '=', deviceId).executeTakeFirst();
  }

  async saveState(row: RuleStateRow) {
    await this.db
      .insertInto('rule_states')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['rule_id', 'device_id']).doUpdateSet((eb) => ({
          pending_since: eb.ref('excluded.pending_since'),
          last_ts: eb.ref('excluded.last_ts'),
          last_value: eb.ref('excluded.last_value'),
        })),
      )
      .execute();
  }

  /** Devices a rule targets, with the time of their last reading of `key` ('*': any key). */
  async targetsWithLastSeen(rule: RuleRow) {
    // The series' latest values move forward with the staged points (TelemetryBulk.settle).
    await this.bulk.settle();
    let q = this.db
      .selectFrom('devices')
      .leftJoin('assets', 'assets.id', 'devices.asset_id')
      .leftJoin('telemetry_series', (j) => j.onRef('telemetry_series.device_id', '=', 'devices.id').on('telemetry_series.key', '=', rule.key))
      .select(['devices.id', 'devices.region_id', 'devices.opd_id', 'devices.asset_id', 'devices.type', 'assets.type as asset_type', 'devices.last_activity_at', 'telemetry_series.latest_ts'])
      .where('devices.region_id', '=', rule.region_id);
    if (rule.opd_id !== null) q = q.where('devices.opd_id', '=', rule.opd_id);
    if (rule.target_kind === 'device') q = q.where('devices.id', '=', rule.target_value);
    else if (rule.target_kind === 'device_type') q = q.where('devices.type', '=', rule.target_value);
    else q = q.where('assets.type', '=', rule.target_value);
    return q.execute();
  }
}
