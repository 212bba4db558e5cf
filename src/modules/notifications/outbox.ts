/**
 * Puts messages in the outbox, inside the caller's transaction: the message
 * exists exactly when the change that causes it was committed. It picks each
 * person's first verified channel, renders the template of that channel in the
 * person's language, holds a message in their quiet hours (an Awas never waits),
 * and past the hourly limit per alarm keeps one summary instead of more messages.
 */
import { hashToken, newId } from '../../core/ids.ts';
import type { NotificationEventPayload } from '../../core/events.ts';
import type { ChannelKind } from './channels/channel.ts';
import { minuteOfDay } from './format.ts';
import type { Db, NotificationRow, NotificationsRepository, TemplateRow } from './notifications.repository.ts';
import type { SecretBox } from './secrets.ts';
import { defaultTemplate, render, type Language, type NotificationEvent, type Placeholders, type Template } from './templates.ts';

/** Stands in the stored text where the acknowledgement link goes; the sender puts the link in (the token is never stored). */
export const ACK_MARK = '⟦ack⟧';
const HOUR = 3_600_000;

export interface MessageSpec {
  regionId: string;
  event: NotificationEvent;
  /** the placeholders' values in a language (units, number format, level names differ) */
  placeholders: (language: Language) => Placeholders;
  /** the region's zone, for the quiet hours of people (toPeople); a resident's message has none to respect */
  timeZone?: string;
  /** Awas (rank 3) goes out even in quiet hours */
  severityRank?: number;
  alarmId?: string | null;
  incidentId?: string | null;
  escalationId?: string | null;
  escalationLevel?: number | null;
  /** the message carries a one-time acknowledgement link */
  acknowledgeable?: boolean;
  /** the public warning it carries */
  warningId?: string | null;
}

export interface Person {
  id: string;
  name: string;
}

export interface Address {
  channel: ChannelKind;
  address: string;
  language: Language;
  name?: string | null;
  /** placeholders of this address alone (a subscriber's own unsubscribe link), over the spec's */
  values?: Placeholders;
}

export class Outbox {
  private readonly repo: NotificationsRepository;
  private readonly secrets: SecretBox;
  private readonly maxPerHour: number;
  constructor(repo: NotificationsRepository, secrets: SecretBox, maxPerHour: number) {
    this.repo = repo;
    this.secrets = secrets;
    this.maxPerHour = maxPerHour;
  }

  /**
   * One message per person, on their first verified channel. A person with no
   * verified contact gets a failed row that says so: the log shows who could not
   * be reached, rather than nothing.
   */
  async toPeople(tx: Db, spec: MessageSpec, people: readonly Person[], now: number): Promise<NotificationRow[]> {
    if (people.length === 0) return [];
    const ids = people.map((p) => p.id);
    const [contacts, settings, overrides] = await Promise.all([this.repo.verifiedContacts(tx, ids), this.repo.settingsOf(tx, ids), this.repo.templates(tx, spec.regionId)]);
    const rows: NotificationRow[] = [];
    for (const person of people) {
      const setting = settings.find((s) => s.user_id === person.id);
      const language: Language = setting?.language === 'en' ? 'en' : 'id';
      const contact = contacts.find((c) => c.user_id === person.id);
      const row = this.compose(spec, overrides, { channel: (contact?.channel ?? 'email') as ChannelKind, address: contact?.address ?? '', language, name: person.name }, now);
      row.user_id = person.id;
      row.contact_rank = contact?.rank ?? null;
      if (!contact) {
        row.state = 'failed';
        row.error = 'no verified contact: the person has not added and verified a phone, email or Telegram';
        row.ack_token_hash = null;
      } else {
        if (setting && spec.timeZone !== undefined && (spec.severityRank ?? 0) < 3) row.next_attempt_at = afterQuietHours(now, setting.quiet_start, setting.quiet_end, spec.timeZone);
        if (spec.alarmId && spec.event !== 'alarm.summary') await this.limitPerHour(tx, row, spec, overrides, now);
      }
      rows.push(row);
    }
    await this.repo.insertNotifications(tx, rows);
    return rows;
  }

  /** A message to an address that is not a user's (a resident, a reporter, a code to verify). */
  async toAddress(tx: Db, spec: MessageSpec, to: Address, now: number): Promise<NotificationRow> {
    const row = this.compose(spec, await this.repo.templates(tx, spec.regionId), to, now);
    await this.repo.insertNotifications(tx, [row]);
    return row;
  }

  /** The same message to many addresses (a public warning): rendered once per language. */
  async toAddresses(tx: Db, spec: MessageSpec, to: readonly Address[], now: number): Promise<number> {
    const overrides = await this.repo.templates(tx, spec.regionId);
    const rows = to.map((a) => this.compose(spec, overrides, a, now));
    await this.repo.insertNotifications(tx, rows);
    return rows.length;
  }

  /** The person's next verified channel after `rank`, for a message that failed on its channel. */
  async fallback(tx: Db, failed: NotificationRow, now: number): Promise<NotificationRow | null> {
    if (failed.user_id === null || failed.contact_rank === null) return null;
    const next = (await this.repo.verifiedContacts(tx, [failed.user_id])).find((c) => c.rank > failed.contact_rank!);
    if (!next) return null;
    const overrides = await this.repo.templates(tx, failed.region_id);
    const language = failed.language === 'en' ? 'en' : 'id';
    const values = JSON.parse(failed.data) as Placeholders;
    const template = templateFor(overrides, failed.event as NotificationEvent, next.channel as ChannelKind, language);
    const row: NotificationRow = {
      ...failed,
      id: newId(),
      channel: next.channel,
      address: next.address!,
      contact_rank: next.rank,
      subject: render(template.subject, values),
      body: render(template.body, values),
      state: 'queued',
      attempts: 0,
      next_attempt_at: now,
      claim: null,
      claimed_until: null,
      provider_message_id: null,
      error: null,
      fallback_of: failed.id,
      created_at: now,
      updated_at: now,
      sent_at: null,
      delivered_at: null,
      read_at: null,
    };
    row.ack_token_hash = failed.ack_token_hash === null ? null : hashToken(this.ackToken(row.id));
    await this.repo.insertNotifications(tx, [row]);
    return row;
  }

  /** The one-time token of a message's acknowledgement link: derived from its id with the platform's key. */
  ackToken(notificationId: string): string {
    return this.secrets.token('ack', notificationId);
  }

  private compose(spec: MessageSpec, overrides: TemplateRow[], to: Address, now: number): NotificationRow {
    const id = newId();
    const values = clean({ ...spec.placeholders(to.language), ...to.values });
    if (spec.acknowledgeable) values.ackLink = ACK_MARK;
    const template = templateFor(overrides, spec.event, to.channel, to.language);
    return {
      id,
      region_id: spec.regionId,
      event: spec.event,
      user_id: null,
      recipient_name: to.name ?? null,
      channel: to.channel,
      address: to.address,
      contact_rank: null,
      language: to.language,
      subject: render(template.subject, values),
      body: render(template.body, values),
      data: JSON.stringify(values),
      alarm_id: spec.alarmId ?? null,
      incident_id: spec.incidentId ?? null,
      escalation_id: spec.escalationId ?? null,
      escalation_level: spec.escalationLevel ?? null,
      warning_id: spec.warningId ?? null,
      ack_token_hash: spec.acknowledgeable ? hashToken(this.ackToken(id)) : null,
      ack_used_at: null,
      state: 'queued',
      attempts: 0,
      next_attempt_at: now,
      claimed_until: null,
      claim: null,
      provider_message_id: null,
      error: null,
      fallback_of: null,
      created_at: now,
      updated_at: now,
      sent_at: null,
      delivered_at: null,
      read_at: null,
    };
  }

  /**
   * Past the limit, the message is kept as suppressed (visible in the log) and one
   * summary waits for the end of the hour, counting what it stands for.
   */
  private async limitPerHour(tx: Db, row: NotificationRow, spec: MessageSpec, overrides: TemplateRow[], now: number): Promise<void> {
    const recent = await this.repo.recentForAlarm(tx, row.user_id!, spec.alarmId!, now - HOUR);
    if (recent.sent < this.maxPerHour) return;
    row.state = 'suppressed';
    row.error = `more than ${this.maxPerHour} messages about this alarm in an hour: summed up instead`;
    row.ack_token_hash = null;
    const language = row.language === 'en' ? 'en' : 'id';
    const values = JSON.parse(row.data) as Placeholders;
    if (recent.summaryId !== null) {
      const summary = await tx.selectFrom('notifications').select(['data']).where('id', '=', recent.summaryId).executeTakeFirst();
      const count = Number((JSON.parse(summary?.data ?? '{}') as Placeholders).count ?? '0') + 1;
      const summaryValues = { ...values, count: String(count) };
      const template = templateFor(overrides, 'alarm.summary', row.channel as ChannelKind, language);
      await tx.updateTable('notifications').set({ data: JSON.stringify(summaryValues), subject: render(template.subject, summaryValues), body: render(template.body, summaryValues), updated_at: now }).where('id', '=', recent.summaryId).execute();
      return;
    }
    const summary = this.compose({ ...spec, event: 'alarm.summary', acknowledgeable: false, placeholders: () => ({ ...values, count: '1' }) }, overrides, { channel: row.channel as ChannelKind, address: row.address, language, name: row.recipient_name }, now);
    summary.user_id = row.user_id;
    summary.contact_rank = row.contact_rank;
    summary.next_attempt_at = now + HOUR;
    await this.repo.insertNotifications(tx, [summary]);
  }
}

export function templateFor(overrides: readonly TemplateRow[], event: NotificationEvent, channel: ChannelKind, language: Language): Template {
  const own = overrides.find((t) => t.event === event && t.channel === channel && t.language === language);
  return own ? { subject: own.subject, body: own.body } : defaultTemplate(event, channel, language);
}

/** The stream's view of a message: no address, no text. */
export function eventPayload(row: Pick<NotificationRow, 'id' | 'channel' | 'state' | 'user_id' | 'alarm_id' | 'incident_id' | 'updated_at'>): NotificationEventPayload {
  return { id: row.id, channel: row.channel, state: row.state, userId: row.user_id, alarmId: row.alarm_id, incidentId: row.incident_id, updatedAt: row.updated_at };
}

/** Values from people (a report's title) cannot smuggle in the acknowledgement mark. */
function clean(values: Placeholders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v.replaceAll(ACK_MARK, '');
  return out;
}

/** The end of the person's quiet hours when `now` falls in them, else now. Hours may wrap midnight (22.00–06.00). */
export function afterQuietHours(now: number, start: number | null, end: number | null, timeZone: string): number {
  if (start === null || end === null || start === end) return now;
  const minute = minuteOfDay(now, timeZone);
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return now;
  const wait = (end - minute + 1440) % 1440;
  return now + wait * 60_000 - (now % 60_000);
}
