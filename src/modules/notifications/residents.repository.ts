/**
 * The only SQL of the residents' tables: reporters' contacts, early-warning
 * subscriptions and public warnings, and what the outbox holds for them.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { PublicWarningsTable, ReporterContactsTable, WarningSubscriptionsTable } from '../../platform/db/schema.ts';
import type { Db } from './notifications.repository.ts';

export type ReporterContactRow = ReporterContactsTable;
export type SubscriptionRow = WarningSubscriptionsTable;
export type WarningRow = PublicWarningsTable;

const CANCELLED = ['id', 'region_id', 'channel', 'user_id', 'alarm_id', 'incident_id', 'state', 'updated_at'] as const;

export class ResidentsRepository {
  readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  // Reporters

  async insertReporterContact(tx: Db, row: ReporterContactRow): Promise<void> {
    await tx.insertInto('reporter_contacts').values(row).execute();
  }

  reporterContact(tx: Db, incidentId: string) {
    return tx.selectFrom('reporter_contacts').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
  }

  reporterContactByStop(stopHash: string) {
    return this.db.selectFrom('reporter_contacts').selectAll().where('stop_hash', '=', stopHash).executeTakeFirst();
  }

  async stopReporter(tx: Db, incidentId: string, now: number): Promise<void> {
    await tx.updateTable('reporter_contacts').set({ stopped_at: now }).where('incident_id', '=', incidentId).where('stopped_at', 'is', null).execute();
  }

  async deleteReporterContact(tx: Db, incidentId: string): Promise<void> {
    await tx.deleteFrom('reporter_contacts').where('incident_id', '=', incidentId).execute();
  }

  /** The reporter's messages about the report still waiting: never sent. */
  cancelReporterMessages(tx: Db, incidentId: string, reason: string, now: number) {
    return tx
      .updateTable('notifications')
      .set({ state: 'cancelled', error: reason, updated_at: now })
      .where('incident_id', '=', incidentId)
      .where('event', '=', 'incident.reporter_update')
      .where('state', '=', 'queued')
      .returning(CANCELLED)
      .execute();
  }

  /** After erasure the outbox keeps no trace of where the reporter's messages went. */
  async forgetReporterAddress(tx: Db, incidentId: string, now: number): Promise<void> {
    await tx.updateTable('notifications').set({ address: '', recipient_name: null, updated_at: now }).where('incident_id', '=', incidentId).where('event', '=', 'incident.reporter_update').execute();
  }

  // Subscriptions

  subscription(tx: Db, id: string) {
    return tx.selectFrom('warning_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  subscriptionOf(tx: Db, regionId: string, districtCode: string, channel: string, address: string) {
    return tx
      .selectFrom('warning_subscriptions')
      .selectAll()
      .where('region_id', '=', regionId)
      .where('district_code', '=', districtCode)
      .where('channel', '=', channel)
      .where('address', '=', address)
      .executeTakeFirst();
  }

  subscriptionByUnsubscribe(hash: string) {
    return this.db.selectFrom('warning_subscriptions').selectAll().where('unsubscribe_hash', '=', hash).executeTakeFirst();
  }

  /** Subscriptions of this address still waiting for a code that has not expired, other than `except`. */
  async pendingOf(tx: Db, channel: string, address: string, now: number, except: string | null): Promise<number> {
    let q = tx
      .selectFrom('warning_subscriptions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('channel', '=', channel)
      .where('address', '=', address)
      .where('state', '=', 'pending')
      .where('code_expires_at', '>', now);
    if (except !== null) q = q.where('id', '!=', except);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  async insertSubscription(tx: Db, row: SubscriptionRow): Promise<void> {
    await tx.insertInto('warning_subscriptions').values(row).execute();
  }

  async updateSubscription(tx: Db, id: string, patch: Partial<SubscriptionRow>): Promise<void> {
    await tx.updateTable('warning_subscriptions').set(patch).where('id', '=', id).execute();
  }

  /** A page of a kecamatan's confirmed subscribers after `after` (by id): the fan-out never holds them all. */
  confirmedPage(tx: Db, regionId: string, districtCode: string, after: string | null, limit: number) {
    let q = tx
      .selectFrom('warning_subscriptions')
      .select(['id', 'channel', 'address', 'language'])
      .where('region_id', '=', regionId)
      .where('district_code', '=', districtCode)
      .where('state', '=', 'confirmed');
    if (after !== null) q = q.where('id', '>', after);
    return q.orderBy('id').limit(limit).execute();
  }

  /** Warnings of the kecamatan still queued for this address: an unsubscribe works at once. */
  cancelWarningsTo(tx: Db, regionId: string, districtCode: string, channel: string, address: string, now: number) {
    return tx
      .updateTable('notifications')
      .set({ state: 'cancelled', error: 'unsubscribed before it was sent', updated_at: now })
      .where('region_id', '=', regionId)
      .where('channel', '=', channel)
      .where('address', '=', address)
      .where('event', '=', 'warning.public')
      .where('state', '=', 'queued')
      .where('warning_id', 'in', (eb) => eb.selectFrom('public_warnings').select('id').where('region_id', '=', regionId).where('district_code', '=', districtCode))
      .returning(CANCELLED)
      .execute();
  }

  // Warnings

  /** One warning per alarm: false when the alarm has one already. */
  async insertWarning(tx: Db, row: WarningRow): Promise<boolean> {
    const result = await tx.insertInto('public_warnings').values(row).onConflict((oc) => oc.column('alarm_id').doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  warning(tx: Db, regionId: string, id: string) {
    return tx.selectFrom('public_warnings').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  /** Updates a warning only while it is in `state`: false when someone else moved it first. */
  async updateWarning(tx: Db, id: string, state: WarningRow['state'], patch: Partial<WarningRow>): Promise<boolean> {
    const result = await tx.updateTable('public_warnings').set(patch).where('id', '=', id).where('state', '=', state).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Moves an approved warning's fan-out on, only from where `expectAfter` says
   * it stood (null: not started): false when another instance got there first.
   */
  async updateFanout(tx: Db, id: string, expectAfter: string | null, patch: Partial<WarningRow>, queued = 0): Promise<boolean> {
    let q = tx
      .updateTable('public_warnings')
      .set({ ...patch, queued_count: sql<number>`queued_count + ${queued}` })
      .where('id', '=', id)
      .where('state', '=', 'sending');
    q = expectAfter === null ? q.where('fanout_after', 'is', null) : q.where('fanout_after', '=', expectAfter);
    const result = await q.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteWarning(tx: Db, id: string): Promise<void> {
    await tx.deleteFrom('public_warnings').where('id', '=', id).execute();
  }

  /** Warnings that work is due on: drafts to prepare, approved ones to fan out. */
  due(state: 'preparing' | 'sending', limit: number) {
    return this.db.selectFrom('public_warnings').selectAll().where('state', '=', state).orderBy('created_at').limit(limit).execute();
  }

  listWarnings(regionId: string, filter: { states?: string[] | undefined; opdId?: string | undefined; alarmId?: string | undefined }, limit: number) {
    let q = this.db.selectFrom('public_warnings').selectAll().where('region_id', '=', regionId).where('state', '!=', 'preparing');
    if (filter.states && filter.states.length > 0) q = q.where('state', 'in', filter.states as WarningRow['state'][]);
    if (filter.opdId !== undefined) q = q.where('opd_id', '=', filter.opdId);
    if (filter.alarmId !== undefined) q = q.where('alarm_id', '=', filter.alarmId);
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /** How the warning's messages fared, by state. */
  async deliveryCounts(warningIds: readonly string[]): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>();
    if (warningIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('notifications')
      .select(['warning_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('warning_id', 'in', warningIds)
      .groupBy(['warning_id', 'state'])
      .execute();
    for (const r of rows) {
      if (r.warning_id === null) continue;
      const counts = out.get(r.warning_id) ?? {};
      counts[r.state] = Number(r.n);
      out.set(r.warning_id, counts);
    }
    return out;
  }
}
