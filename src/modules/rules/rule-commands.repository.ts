import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { RuleCommandsTable } from '../../platform/db/schema.ts';

export type RuleCommandRow = RuleCommandsTable;

/** The only SQL of commands rules sent or propose. */
export class RuleCommandsRepository {
  private readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  async insert(row: RuleCommandRow): Promise<void> {
    await this.db.insertInto('rule_commands').values(row).execute();
  }

  find(regionId: string, id: string) {
    return this.db.selectFrom('rule_commands').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  /** Newest first; an operator's OPD only when `opdId` is given. */
  list(regionId: string, filter: { state?: string; alarmId?: string; opdId?: string }, limit: number) {
    let q = this.db.selectFrom('rule_commands').selectAll().where('region_id', '=', regionId);
    if (filter.state !== undefined) q = q.where('state', '=', filter.state as RuleCommandRow['state']);
    if (filter.alarmId !== undefined) q = q.where('alarm_id', '=', filter.alarmId);
    if (filter.opdId !== undefined) q = q.where('opd_id', '=', filter.opdId);
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /** Whether a command of this rule action was made for the alarm already (a level reached again is the same alarm). */
  async exists(alarmId: string, method: string, params: string, deviceId: string): Promise<boolean> {
    const row = await this.db.selectFrom('rule_commands').select('id').where('alarm_id', '=', alarmId).where('method', '=', method).where('params', '=', params).where('device_id', '=', deviceId).executeTakeFirst();
    return row !== undefined;
  }

  /** Moves a command out of `from`; false when it was not in that state any more (someone else decided first). */
  async transition(id: string, from: RuleCommandRow['state'], patch: Partial<RuleCommandRow>): Promise<boolean> {
    const result = await this.db.updateTable('rule_commands').set(patch).where('id', '=', id).where('state', '=', from).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async set(id: string, patch: Partial<RuleCommandRow>): Promise<void> {
    await this.db.updateTable('rule_commands').set(patch).where('id', '=', id).execute();
  }

  pendingOfAlarm(alarmId: string) {
    return this.db.selectFrom('rule_commands').selectAll().where('alarm_id', '=', alarmId).where('state', '=', 'pending').execute();
  }
}
