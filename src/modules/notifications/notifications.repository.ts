import { sql, type Kysely, type Transaction } from 'kysely';
import type { Cursor } from '../../core/paging.ts';
import type { DialectName, Schema } from '../../platform/db/index.ts';
import type {
  EscalationsTable,
  NotificationChannelsTable,
  NotificationSettingsTable,
  NotificationsTable,
  NotificationTemplatesTable,
  UserContactsTable,
} from '../../platform/db/schema.ts';

export type NotificationRow = NotificationsTable;
export type EscalationRow = EscalationsTable;
export type ContactRow = UserContactsTable;
export type ChannelRow = NotificationChannelsTable;
export type SettingsRow = NotificationSettingsTable;
export type TemplateRow = NotificationTemplatesTable;
export type Db = Kysely<Schema> | Transaction<Schema>;

export interface NotificationFilter {
  alarmId?: string | undefined;
  incidentId?: string | undefined;
  userId?: string | undefined;
  state?: NotificationsTable['state'] | undefined;
}

/** The only SQL of the notification tables. */
export class NotificationsRepository {
  readonly db: Kysely<Schema>;
  private readonly dialect: DialectName;
  constructor(db: Kysely<Schema>, dialect: DialectName) {
    this.db = db;
    this.dialect = dialect;
  }

  // Channels

  channels(regionId: string) {
    return this.db.selectFrom('notification_channels').selectAll().where('region_id', '=', regionId).execute();
  }

  channel(regionId: string, kind: string) {
    return this.db.selectFrom('notification_channels').selectAll().where('region_id', '=', regionId).where('kind', '=', kind).executeTakeFirst();
  }

  async putChannel(row: ChannelRow): Promise<void> {
    await this.db
      .insertInto('notification_channels')
      .values(row)
      .onConflict((oc) => oc.columns(['region_id', 'kind']).doUpdateSet({ enabled: row.enabled, settings: row.settings, secrets: row.secrets, messages_per_second: row.messages_per_second, updated_by: row.updated_by, updated_at: row.updated_at }))
      .execute();
  }

  // Contacts and settings

  contactsOf(userId: string) {
    return this.db.selectFrom('user_contacts').selectAll().where('user_id', '=', userId).orderBy('rank').execute();
  }

  /** The verified contacts of these people, best first. */
  verifiedContacts(db: Db, userIds: readonly string[]) {
    if (userIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('user_contacts').selectAll().where('user_id', 'in', userIds).where('verified_at', 'is not', null).where('address', 'is not', null).orderBy('user_id').orderBy('rank').execute();
  }

  contact(id: string) {
    return this.db.selectFrom('user_contacts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  contactByCode(codeHash: string) {
    return this.db.selectFrom('user_contacts').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
  }

  contactsByAddress(channel: string, address: string) {
    return this.db.selectFrom('user_contacts').selectAll().where('channel', '=', channel).where('address', '=', address).where('verified_at', 'is not', null).execute();
  }

  async insertContact(row: ContactRow): Promise<void> {
    await this.db.insertInto('user_contacts').values(row).execute();
  }

  async updateContact(id: string, patch: Partial<ContactRow>): Promise<void> {
    await this.db.updateTable('user_contacts').set(patch).where('id', '=', id).execute();
  }

  async deleteContact(id: string): Promise<void> {
    await this.db.deleteFrom('user_contacts').where('id', '=', id).execute();
  }

  /** Moves the given contacts to ranks 1, 2, … in that order. */
  async reorderContacts(userId: string, ids: readonly string[], now: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      // Two steps, so that no rank is held twice in between (negative first).
      for (const [i, id] of ids.entries()) await tx.updateTable('user_contacts').set({ rank: -(i + 1), updated_at: now }).where('id', '=', id).where('user_id', '=', userId).execute();
      await tx.updateTable('user_contacts').set({ rank: sql`-rank` }).where('user_id', '=', userId).where('rank', '<', 0).execute();
    });
  }

  settingsOf(db: Db, userIds: readonly string[]) {
    if (userIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('notification_settings').selectAll().where('user_id', 'in', userIds).execute();
  }

  async putSettings(row: SettingsRow): Promise<void> {
    await this.db
      .insertInto('notification_settings')
      .values(row)
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ language: row.language, quiet_start: row.quiet_start, quiet_end: row.quiet_end, updated_at: row.updated_at }))
      .execute();
  }

  // Templates

  templates(db: Db, regionId: string) {
    return db.selectFrom('notification_templates').selectAll().where('region_id', '=', regionId).execute();
  }

  async putTemplate(row: TemplateRow): Promise<void> {
    await this.db
      .insertInto('notification_templates')
      .values(row)
      .onConflict((oc) => oc.columns(['region_id', 'event', 'channel', 'language']).doUpdateSet({ subject: row.subject, body: row.body, updated_by: row.updated_by, updated_at: row.updated_at }))
      .execute();
  }

  async deleteTemplate(regionId: string, event: string, channel: string, language: string): Promise<boolean> {
    const result = await this.db.deleteFrom('notification_templates').where('region_id', '=', regionId).where('event', '=', event).where('channel', '=', channel).where('language', '=', language).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  // Escalations

  /** Starts (or restarts, after a rise) the escalation of a subject at its first level. */
  async startEscalation(tx: Db, row: EscalationRow): Promise<void> {
    await tx
      .insertInto('escalations')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['subject_kind', 'subject_id']).doUpdateSet({ severity: row.severity, level: 0, state: 'active', started_at: row.started_at, next_at: row.next_at, opd_id: row.opd_id, claimed_until: null, claim: null, updated_at: row.updated_at }),
      )
      .execute();
  }

  async setEscalationSeverity(tx: Db, kind: 'alarm' | 'incident', subjectId: string, severity: string, now: number): Promise<void> {
    await tx.updateTable('escalations').set({ severity, updated_at: now }).where('subject_kind', '=', kind).where('subject_id', '=', subjectId).execute();
  }

  /** Stops an escalation (acknowledged or cleared); true when one was running. */
  async stopEscalation(tx: Db, kind: 'alarm' | 'incident', subjectId: string, state: 'acknowledged' | 'cleared', now: number): Promise<boolean> {
    const result = await tx
      .updateTable('escalations')
      .set({ state, next_at: null, claim: null, claimed_until: null, updated_at: now })
      .where('subject_kind', '=', kind)
      .where('subject_id', '=', subjectId)
      .where('state', '=', 'active')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  escalationOf(kind: 'alarm' | 'incident', subjectId: string) {
    return this.db.selectFrom('escalations').selectAll().where('subject_kind', '=', kind).where('subject_id', '=', subjectId).executeTakeFirst();
  }

  /**
   * Takes up to `limit` due escalation steps for this instance until `leaseUntil`:
   * on PostgreSQL rows another instance holds are skipped (SKIP LOCKED), so a
   * step is worked by one instance; one that died lets its lease run out.
   */
  claimDueEscalations(now: number, claim: string, leaseUntil: number, limit: number) {
    return this.db
      .updateTable('escalations')
      .set({ claim, claimed_until: leaseUntil })
      .where('id', 'in', (eb) => {
        let q = eb
          .selectFrom('escalations')
          .select('id')
          .where('state', '=', 'active')
          .where('next_at', '<=', now)
          .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', now)]))
          .orderBy('next_at')
          .limit(limit);
        if (this.dialect === 'postgres') q = q.forUpdate().skipLocked();
        return q;
      })
      .returningAll()
      .execute();
  }

  /** Moves a claimed escalation on; false when the claim was lost (it stopped, or rose and restarted meanwhile). */
  async advanceEscalation(tx: Db, id: string, claim: string, patch: { level: number; next_at: number | null; state: EscalationRow['state'] }, now: number): Promise<boolean> {
    const result = await tx
      .updateTable('escalations')
      .set({ ...patch, claim: null, claimed_until: null, updated_at: now })
      .where('id', '=', id)
      .where('claim', '=', claim)
      .where('state', '=', 'active')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  // The outbox

  async insertNotifications(db: Db, rows: NotificationRow[]): Promise<void> {
    // Chunks keep a 10,000-subscriber broadcast under the drivers' parameter limits.
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('notifications').values(rows.slice(i, i + 500)).execute();
  }

  /**
   * Due messages of one channel for this instance (and ones whose sender died
   * mid-send), marked sending until `leaseUntil`: people's alerts before
   * broadcasts and digests, so that a public warning to thousands never holds
   * up the duty officer's alarm.
   */
  claimDueNotifications(channel: string, now: number, claim: string, leaseUntil: number, limit: number) {
    return this.db
      .updateTable('notifications')
      .set({ state: 'sending', claim, claimed_until: leaseUntil, attempts: sql`attempts + 1`, updated_at: now })
      .where('id', 'in', (eb) => {
        let q = eb
          .selectFrom('notifications')
          .select('id')
          .where('channel', '=', channel)
          .where((w) => w.or([w.and([w('state', '=', 'queued'), w('next_attempt_at', '<=', now)]), w.and([w('state', '=', 'sending'), w('claimed_until', '<', now)])]))
          .orderBy(sql`case when event in ('warning.public', 'incident.reporter_update', 'alarm.summary') then 1 else 0 end`)
          .orderBy('next_attempt_at')
          .limit(limit);
        if (this.dialect === 'postgres') q = q.forUpdate().skipLocked();
        return q;
      })
      .returningAll()
      .execute();
  }

  /** The highest pace any region set for a channel kind (messages a second), or null when none set one. */
  async highestPace(kind: string): Promise<number | null> {
    const row = await this.db.selectFrom('notification_channels').select(sql<number | null>`max(messages_per_second)`.as('pace')).where('kind', '=', kind).executeTakeFirst();
    return row?.pace === null || row?.pace === undefined ? null : Number(row.pace);
  }

  /** Writes the outcome of a send this instance still holds; false when it no longer does. */
  async finishSend(db: Db, id: string, claim: string, patch: Partial<NotificationRow>): Promise<boolean> {
    const result = await db.updateTable('notifications').set({ ...patch, claim: null, claimed_until: null }).where('id', '=', id).where('claim', '=', claim).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  notification(id: string) {
    return this.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byProviderId(channel: string, providerMessageId: string) {
    return this.db.selectFrom('notifications').selectAll().where('provider_message_id', '=', providerMessageId).where('channel', '=', channel).executeTakeFirst();
  }

  byAckToken(hash: string) {
    return this.db.selectFrom('notifications').selectAll().where('ack_token_hash', '=', hash).executeTakeFirst();
  }

  /** The newest message with an acknowledgement sent to this address since `since`, for a reply such as "OK". */
  latestAckable(channel: string, address: string, since: number) {
    return this.db
      .selectFrom('notifications')
      .selectAll()
      .where('channel', '=', channel)
      .where('address', '=', address)
      .where('ack_token_hash', 'is not', null)
      .where('ack_used_at', 'is', null)
      .where('created_at', '>=', since)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Marks the token used, once: false when it was used already. */
  async spendAckToken(hash: string, now: number): Promise<boolean> {
    const result = await this.db.updateTable('notifications').set({ ack_used_at: now, updated_at: now }).where('ack_token_hash', '=', hash).where('ack_used_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async updateDelivery(id: string, patch: Partial<NotificationRow>): Promise<void> {
    await this.db.updateTable('notifications').set(patch).where('id', '=', id).execute();
  }

  /** Messages about a subject still waiting: acknowledged or cleared, they are no longer worth sending. */
  cancelQueued(db: Db, subject: { alarmId?: string; incidentId?: string }, now: number) {
    let q = db.updateTable('notifications').set({ state: 'cancelled', error: 'acknowledged or cleared before it was sent', updated_at: now }).where('state', '=', 'queued');
    q = subject.alarmId !== undefined ? q.where('alarm_id', '=', subject.alarmId) : q.where('incident_id', '=', subject.incidentId ?? '');
    return q.where('event', 'in', ['alarm.raised', 'alarm.escalated', 'incident.sla_breached']).returning(['id', 'region_id', 'channel', 'user_id', 'alarm_id', 'incident_id', 'state', 'updated_at']).execute();
  }

  /** Messages this person got about this alarm since `since` (the hourly limit), and whether a summary is waiting. */
  async recentForAlarm(db: Db, userId: string, alarmId: string, since: number): Promise<{ sent: number; summaryId: string | null }> {
    const rows = await db
      .selectFrom('notifications')
      .select(['id', 'event', 'state'])
      .where('user_id', '=', userId)
      .where('alarm_id', '=', alarmId)
      .where('created_at', '>=', since)
      .execute();
    const counted = rows.filter((r) => r.event !== 'alarm.summary' && r.state !== 'suppressed' && r.state !== 'cancelled' && r.event.startsWith('alarm.'));
    const summary = rows.find((r) => r.event === 'alarm.summary' && r.state === 'queued');
    return { sent: counted.length, summaryId: summary?.id ?? null };
  }

  list(regionId: string, filter: NotificationFilter, limit: number, after?: Cursor) {
    let q = this.db.selectFrom('notifications').selectAll().where('region_id', '=', regionId);
    if (filter.alarmId !== undefined) q = q.where('alarm_id', '=', filter.alarmId);
    if (filter.incidentId !== undefined) q = q.where('incident_id', '=', filter.incidentId);
    if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
    if (filter.state !== undefined) q = q.where('state', '=', filter.state);
    if (after) q = q.where((eb) => eb.or([eb('created_at', '<', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)])]));
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  }
}
