/**
 * The notification log and the templates: every message with its state (who,
 * which channel, queued → sent → delivered/read, or failed and why), and the
 * words of each event that an admin may change per channel and language.
 */
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { decodeCursor, encodeCursor, type Page } from '../../core/paging.ts';
import { requireRole, type Principal } from '../identity/index.ts';
import { CHANNEL_KINDS, type ChannelKind } from './channels/channel.ts';
import type { NotificationFilter, NotificationRow, NotificationsRepository } from './notifications.repository.ts';
import type { NotificationView, TemplateView } from './notifications.contract.ts';

export type { NotificationView, TemplateView } from './notifications.contract.ts';
import { ACK_MARK, templateFor } from './outbox.ts';
import { checkTemplate, EVENT_PLACEHOLDERS, LANGUAGES, NOTIFICATION_EVENTS, type Language, type NotificationEvent } from './templates.ts';



/** What the log needs to know about what a person may see (the alarms and incidents modules answer). */
export interface SubjectAccess {
  /** throws NOT_FOUND when the person may not see the alarm */
  assertAlarm(p: Principal, alarmId: string): Promise<void>;
  assertIncident(p: Principal, incidentId: string): Promise<void>;
}

export class LogService {
  private readonly repo: NotificationsRepository;
  private readonly access: SubjectAccess;
  private readonly clock: Clock;
  constructor(repo: NotificationsRepository, access: SubjectAccess, clock: Clock) {
    this.repo = repo;
    this.access = access;
    this.clock = clock;
  }

  /**
   * Admins see the region's whole log; others see the messages about an alarm
   * or an incident they can see, and their own.
   */
  async list(p: Principal, filter: NotificationFilter, limit: number, cursor?: string): Promise<Page<NotificationView>> {
    let scoped = filter;
    if (p.role !== 'admin') {
      if (filter.alarmId !== undefined) await this.access.assertAlarm(p, filter.alarmId);
      else if (filter.incidentId !== undefined) await this.access.assertIncident(p, filter.incidentId);
      else if (filter.userId !== undefined && filter.userId !== p.userId) throw new AppError('FORBIDDEN', "only an admin sees other people's messages outside an alarm or incident");
      else scoped = { ...filter, userId: p.userId };
    }
    const rows = await this.repo.list(p.regionId, scoped, limit, decodeCursor(cursor));
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    const last = kept[kept.length - 1];
    return { items: kept.map((r) => notificationView(r, p.role === 'admin' || r.user_id === p.userId)), nextCursor: more && last ? encodeCursor({ at: last.created_at, id: last.id }) : null };
  }

  async templates(p: Principal): Promise<TemplateView[]> {
    requireRole(p, 'admin');
    const overrides = await this.repo.templates(this.repo.db, p.regionId);
    const out: TemplateView[] = [];
    for (const event of NOTIFICATION_EVENTS) {
      for (const channel of CHANNEL_KINDS) {
        for (const language of LANGUAGES) {
          const own = overrides.find((t) => t.event === event && t.channel === channel && t.language === language);
          const t = templateFor(overrides, event, channel, language);
          out.push({ event, channel, language, subject: t.subject, body: t.body, placeholders: [...EVENT_PLACEHOLDERS[event]], custom: own !== undefined, updatedAt: own ? Number(own.updated_at) : null });
        }
      }
    }
    return out;
  }

  /** Saves an admin's words for an event; a placeholder the event does not have is refused here. */
  async putTemplate(p: Principal, key: { event: string; channel: string; language: string }, input: { subject: string; body: string }): Promise<TemplateView> {
    requireRole(p, 'admin');
    const { event, channel, language } = this.key(key);
    checkTemplate(event, input);
    const now = this.clock.now();
    await this.repo.putTemplate({ region_id: p.regionId, event, channel, language, subject: input.subject, body: input.body, updated_by: p.userId, updated_at: now });
    return { event, channel, language, subject: input.subject, body: input.body, placeholders: [...EVENT_PLACEHOLDERS[event]], custom: true, updatedAt: now };
  }

  /** Back to the built-in words. */
  async resetTemplate(p: Principal, key: { event: string; channel: string; language: string }): Promise<void> {
    requireRole(p, 'admin');
    const { event, channel, language } = this.key(key);
    if (!(await this.repo.deleteTemplate(p.regionId, event, channel, language))) throw new AppError('NOT_FOUND', `the ${event} template for ${channel} (${language}) is the built-in one already`);
  }

  private key(key: { event: string; channel: string; language: string }): { event: NotificationEvent; channel: ChannelKind; language: Language } {
    const event = NOTIFICATION_EVENTS.find((e) => e === key.event);
    const channel = CHANNEL_KINDS.find((c) => c === key.channel);
    const language = LANGUAGES.find((l) => l === key.language);
    if (!event) throw new AppError('NOT_FOUND', `no event "${key.event}"; events: ${NOTIFICATION_EVENTS.join(', ')}`);
    if (!channel) throw new AppError('NOT_FOUND', `no channel "${key.channel}"; channels: ${CHANNEL_KINDS.join(', ')}`);
    if (!language) throw new AppError('NOT_FOUND', `no language "${key.language}"; languages: ${LANGUAGES.join(', ')}`);
    return { event, channel, language };
  }
}

export function notificationView(r: NotificationRow, showAddress: boolean): NotificationView {
  return {
    id: r.id,
    event: r.event,
    userId: r.user_id,
    recipientName: r.recipient_name,
    channel: r.channel,
    address: showAddress ? r.address : mask(r.address),
    language: r.language,
    subject: r.subject.replaceAll(ACK_MARK, '…'),
    state: r.state,
    attempts: r.attempts,
    error: r.error,
    alarmId: r.alarm_id,
    incidentId: r.incident_id,
    escalationLevel: r.escalation_level,
    fallbackOf: r.fallback_of,
    acknowledgedFromHere: r.ack_used_at !== null,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
    readAt: r.read_at,
    nextAttemptAt: r.state === 'queued' ? r.next_attempt_at : null,
  };
}

/** +62812••••5678, a••••@musirawas.go.id: enough to tell two apart, not to write to. */
export function mask(address: string): string {
  const at = address.indexOf('@');
  if (at > 0) return `${address[0]}••••${address.slice(at)}`;
  if (address.length <= 6) return '••••';
  return `${address.slice(0, Math.min(6, address.length - 4))}••••${address.slice(-3)}`;
}
