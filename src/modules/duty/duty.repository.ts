import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { DutyShiftsTable, DutySwapsTable, EscalationPoliciesTable } from '../../platform/db/schema.ts';

export type ShiftRow = DutyShiftsTable;
export type SwapRow = DutySwapsTable;
export type PolicyRow = EscalationPoliciesTable;

/** The only SQL of duty_shifts, duty_swaps and escalation_policies; every query takes the region. */
export class DutyRepository {
  private readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  // Shifts
  listShifts(regionId: string, opdId?: string) {
    let q = this.db.selectFrom('duty_shifts').selectAll().where('region_id', '=', regionId);
    if (opdId !== undefined) q = q.where('opd_id', '=', opdId);
    return q.orderBy('weekday').orderBy('start_minute').orderBy('id').execute();
  }
  findShift(regionId: string, opdId: string, id: string) {
    return this.db.selectFrom('duty_shifts').selectAll().where('region_id', '=', regionId).where('opd_id', '=', opdId).where('id', '=', id).executeTakeFirst();
  }
  async insertShift(row: ShiftRow) {
    await this.db.insertInto('duty_shifts').values(row).execute();
  }
  async updateShift(regionId: string, id: string, patch: Partial<ShiftRow>) {
    await this.db.updateTable('duty_shifts').set(patch).where('region_id', '=', regionId).where('id', '=', id).execute();
  }
  async deleteShift(regionId: string, opdId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('duty_shifts').where('region_id', '=', regionId).where('opd_id', '=', opdId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  // Swaps
  /** Swaps overlapping [from, to) (ms), of one OPD or, without opdId, of the whole region. */
  listSwaps(regionId: string, from: number, to: number, opdId?: string) {
    let q = this.db.selectFrom('duty_swaps').selectAll().where('region_id', '=', regionId).where('ends_at', '>', from).where('starts_at', '<', to);
    if (opdId !== undefined) q = q.where('opd_id', '=', opdId);
    return q.orderBy('starts_at').orderBy('id').execute();
  }
  findSwap(regionId: string, opdId: string, id: string) {
    return this.db.selectFrom('duty_swaps').selectAll().where('region_id', '=', regionId).where('opd_id', '=', opdId).where('id', '=', id).executeTakeFirst();
  }
  async insertSwap(row: SwapRow) {
    await this.db.insertInto('duty_swaps').values(row).execute();
  }
  async updateSwap(regionId: string, id: string, patch: Partial<SwapRow>) {
    await this.db.updateTable('duty_swaps').set(patch).where('region_id', '=', regionId).where('id', '=', id).execute();
  }
  async deleteSwap(regionId: string, opdId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('duty_swaps').where('region_id', '=', regionId).where('opd_id', '=', opdId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  // Escalation policies
  listPolicies(regionId: string, opdId: string) {
    return this.db.selectFrom('escalation_policies').selectAll().where('region_id', '=', regionId).where('opd_id', '=', opdId).orderBy('severity').execute();
  }
  /** The OPD's policies for these severities (its own and `any`), to pick from in one read. */
  findPolicies(regionId: string, opdId: string, severities: readonly string[]) {
    return this.db.selectFrom('escalation_policies').selectAll().where('region_id', '=', regionId).where('opd_id', '=', opdId).where('severity', 'in', severities).execute();
  }
  async upsertPolicy(row: PolicyRow) {
    await this.db
      .insertInto('escalation_policies')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['region_id', 'opd_id', 'severity']).doUpdateSet((eb) => ({
          levels: eb.ref('excluded.levels'),
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  async deletePolicy(regionId: string, opdId: string, severity: string): Promise<boolean> {
    const r = await this.db.deleteFrom('escalation_policies').where('region_id', '=', regionId).where('opd_id', '=', opdId).where('severity', '=', severity).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
