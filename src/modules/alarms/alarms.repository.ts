import { sql, type Kysely, type Transaction } from 'kysely';
import type { Cursor } from '../../core/paging.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { AlarmEventsTable, AlarmsTable } from '../../platform/db/schema.ts';

export type AlarmRow = AlarmsTable;
export type AlarmEventRow = AlarmEventsTable;

export interface AlarmFilter {
  status?: 'active' | 'cleared' | undefined;
  acknowledged?: boolean | undefined;
  severities?: string[] | undefined;
  deviceId?: string | undefined;
  assetId?: string | undefined;
  opdId?: string | undefined;
  ruleId?: string | undefined;
}

export class AlarmsRepository {
  private readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  /** Read-only, for the master plan's live KPIs: alarms of the region that started in [from, to]. */
  async countStarted(regionId: string, from: number, to: number, severity?: string): Promise<number> {
    let q = this.db.selectFrom('alarms').select(sql<number>`count(*)`.as('n')).where('region_id', '=', regionId).where('started_at', '>=', from).where('started_at', '<=', to);
    if (severity) q = q.where('severity', '=', severity);
    return Number((await q.executeTakeFirst())?.n ?? 0);
  }

  find(regionId: string, id: string) {
    return this.db.selectFrom('alarms').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  findActive(deviceId: string, origin: string) {
    return this.db.selectFrom('alarms').selectAll().where('device_id', '=', deviceId).where('origin', '=', origin).where('status', '=', 'active').executeTakeFirst();
  }

  activeOfOrigin(regionId: string, origin: string) {
    return this.db.selectFrom('alarms').selectAll().where('region_id', '=', regionId).where('origin', '=', origin).where('status', '=', 'active').execute();
  }

  list(regionId: string, filter: AlarmFilter, limit: number, after?: Cursor) {
    let q = this.db.selectFrom('alarms').selectAll().where('region_id', '=', regionId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.acknowledged !== undefined) q = q.where('acknowledged', '=', filter.acknowledged ? 1 : 0);
    if (filter.severities !== undefined && filter.severities.length > 0) q = q.where('severity', 'in', filter.severities);
    if (filter.deviceId !== undefined) q = q.where('device_id', '=', filter.deviceId);
    if (filter.assetId !== undefined) q = q.where('asset_id', '=', filter.assetId);
    if (filter.opdId !== undefined) q = q.where('opd_id', '=', filter.opdId);
    if (filter.ruleId !== undefined) q = q.where('rule_id', '=', filter.ruleId);
    // Newest first: the alarm panel shows what just happened at the top.
    if (after) {
      q = q.where((eb) => eb.or([eb('created_at', '<', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)])]));
    }
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  }

  /**
   * Inserts the alarm and its first history line together, then runs `within`
   * in the same transaction (other modules' hooks); false when an active one
   * exists already (another instance won).
   */
  async insert(row: AlarmRow, event: AlarmEventRow, within?: (tx: Transaction<Schema>) => Promise<void>): Promise<boolean> {
    let inserted = false;
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx.insertInto('alarms').values(row).execute();
        inserted = true;
        await tx.insertInto('alarm_events').values(event).execute();
        if (within) await within(tx);
      });
      return true;
    } catch (error) {
      // Only the alarm's own insert may lose the race; a hook's failure is the caller's to see.
      if (!inserted && /unique|duplicate/i.test((error as Error).message)) return false;
      throw error;
    }
  }

  /**
   * Applies a change only if the alarm is still in the expected state, with its
   * history lines, then runs `within` in the same transaction; returns whether it was applied.
   */
  async update(
    id: string,
    expect: { status?: 'active'; acknowledged?: number; severity?: string },
    patch: Partial<AlarmRow>,
    events: AlarmEventRow[],
    within?: (tx: Transaction<Schema>) => Promise<void>,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      let q = tx.updateTable('alarms').set(patch).where('id', '=', id);
      if (expect.status !== undefined) q = q.where('status', '=', expect.status);
      if (expect.acknowledged !== undefined) q = q.where('acknowledged', '=', expect.acknowledged);
      if (expect.severity !== undefined) q = q.where('severity', '=', expect.severity);
      const result = await q.executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      if (events.length > 0) await tx.insertInto('alarm_events').values(events).execute();
      if (within) await within(tx);
      return true;
    });
  }

  history(alarmId: string) {
    return this.db.selectFrom('alarm_events').selectAll().where('alarm_id', '=', alarmId).orderBy('at').orderBy('id').execute();
  }
}
