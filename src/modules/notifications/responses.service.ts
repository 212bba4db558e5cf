/**
 * What comes back from people and providers: an acknowledgement from a
 * message (the one-time link, a Telegram button, a WhatsApp reply), a Telegram
 * account being linked, and delivery receipts (delivered, read, failed).
 */
import type { AckResult } from './notifications.contract.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { AlarmPayload } from '../../core/events.ts';
import { hashToken } from '../../core/ids.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { ChannelKind, InboundEvent } from './channels/channel.ts';
import type { ContactsService } from './contacts.service.ts';
import type { NotificationRow, NotificationsRepository } from './notifications.repository.ts';
import { eventPayload, type Outbox } from './outbox.ts';

/** The alarms module, as far as a message's acknowledgement needs it. */
export interface AlarmAcknowledger {
  byId(regionId: string, id: string): Promise<AlarmPayload | null>;
  /** acknowledges as this person (their OPD's rules apply), with how it came, e.g. "whatsapp" */
  acknowledgeAs(regionId: string, alarmId: string, userId: string, via: string): Promise<AlarmPayload>;
}

/** The incidents module, as far as acknowledging a late report from a message needs it. */
export interface IncidentAcknowledger {
  /** the report's ticket and title, or null */
  describe(regionId: string, incidentId: string): Promise<{ id: string; ticket: string; title: string } | null>;
  /** an internal note on the report's timeline, as the person: who took it, and how */
  noteAs(regionId: string, incidentId: string, userId: string, text: string): Promise<void>;
}

export type { AckResult } from './notifications.contract.ts';

/** Replies that mean "I am on it" in the languages people write them in. */
const ACK_WORDS = new Set(['ok', 'oke', 'okay', 'ya', 'y', '1', 'terima', 'siap', 'tangani', 'ack', 'acknowledge', 'on it']);
const REPLY_WINDOW_MS = 24 * 3_600_000;

export class ResponsesService {
  private readonly repo: NotificationsRepository;
  private readonly alarms: AlarmAcknowledger;
  private readonly incidents: IncidentAcknowledger;
  private readonly contacts: ContactsService;
  private readonly outbox: Outbox;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  private readonly onQueued: () => void;
  constructor(repo: NotificationsRepository, alarms: AlarmAcknowledger, incidents: IncidentAcknowledger, contacts: ContactsService, outbox: Outbox, bus: EventBus, clock: Clock, onQueued: () => void) {
    this.repo = repo;
    this.alarms = alarms;
    this.incidents = incidents;
    this.contacts = contacts;
    this.outbox = outbox;
    this.bus = bus;
    this.clock = clock;
    this.onQueued = onQueued;
  }

  /** What a one-time link would acknowledge, without using it (the page shown before the button is pressed). */
  async peek(token: string): Promise<AckResult & { used: boolean }> {
    const row = await this.byToken(token);
    if (row.incident_id !== null) {
      const escalation = await this.repo.escalationOf('incident', row.incident_id);
      const incident = await this.incidents.describe(row.region_id, row.incident_id);
      return { result: escalation?.state === 'active' ? 'acknowledged' : escalation?.state === 'acknowledged' ? 'already' : 'cleared', alarm: null, incident, used: row.ack_used_at !== null };
    }
    const alarm = row.alarm_id === null ? null : await this.alarms.byId(row.region_id, row.alarm_id);
    const result: AckResult['result'] = !alarm || alarm.status === 'cleared' ? 'cleared' : alarm.acknowledged ? 'already' : 'acknowledged';
    return { result, alarm: alarm && summary(alarm), used: row.ack_used_at !== null };
  }

  /**
   * Acknowledges the alarm of a message as the person it was sent to. A link
   * works once; an alarm acknowledged meanwhile (from another message, the app)
   * or cleared answers so, and nothing changes.
   */
  async acknowledge(token: string, via: string): Promise<AckResult> {
    const row = await this.byToken(token);
    if (row.ack_used_at !== null) throw new AppError('CONFLICT', `this link was used already (${new Date(row.ack_used_at).toISOString()}); each link acknowledges once`);
    if ((row.alarm_id === null && row.incident_id === null) || row.user_id === null) throw new AppError('NOT_FOUND', 'this link acknowledges nothing');
    if (!(await this.repo.spendAckToken(row.ack_token_hash!, this.clock.now()))) throw new AppError('CONFLICT', 'this link was used already; each link acknowledges once');
    if (row.incident_id !== null) return this.takeIncident(row, row.incident_id, row.user_id, via);
    if (row.alarm_id === null) throw new AppError('NOT_FOUND', 'this link acknowledges nothing');
    const alarm = await this.alarms.byId(row.region_id, row.alarm_id);
    if (!alarm || alarm.status === 'cleared') return { result: 'cleared', alarm: alarm && summary(alarm) };
    if (alarm.acknowledged) return { result: 'already', alarm: summary(alarm) };
    try {
      return { result: 'acknowledged', alarm: summary(await this.alarms.acknowledgeAs(row.region_id, row.alarm_id, row.user_id, via)) };
    } catch (error) {
      // Lost a race with another acknowledgement: say who was first.
      const now = await this.alarms.byId(row.region_id, row.alarm_id);
      if (now?.acknowledged) return { result: 'already', alarm: summary(now) };
      if (now?.status === 'cleared') return { result: 'cleared', alarm: summary(now) };
      throw error;
    }
  }

  /** A late report taken from a message: its escalation stops, and its timeline says who took it and how. */
  private async takeIncident(row: NotificationRow, incidentId: string, userId: string, via: string): Promise<AckResult> {
    const now = this.clock.now();
    const incident = await this.incidents.describe(row.region_id, incidentId);
    const stopped = await this.repo.db.transaction().execute(async (tx) => {
      const done = await this.repo.stopEscalation(tx, 'incident', incidentId, 'acknowledged', now);
      if (done) await this.repo.cancelQueued(tx, { incidentId }, now);
      return done;
    });
    if (!stopped) {
      const escalation = await this.repo.escalationOf('incident', incidentId);
      return { result: escalation?.state === 'acknowledged' ? 'already' : 'cleared', alarm: null, incident };
    }
    await this.incidents.noteAs(row.region_id, incidentId, userId, `Ditangani setelah lewat tenggat (via ${via}) / Taken after its due time (via ${via})`);
    return { result: 'acknowledged', alarm: null, incident };
  }

  /**
   * A provider's callback, already verified and parsed. Returns what to answer
   * the person where the channel lets us (Telegram), or null.
   */
  async handle(regionId: string, channel: ChannelKind, event: InboundEvent): Promise<string | null> {
    switch (event.kind) {
      case 'status':
        await this.receipt(channel, event);
        return null;
      case 'link': {
        const userId = await this.contacts.linkTelegram(event.code, event.chatId);
        return userId === null
          ? 'Tautan ini tidak dikenal atau sudah kedaluwarsa. Buat tautan baru di Cerdas (Kontak saya). / This link is unknown or expired; make a new one in Cerdas (My contacts).'
          : 'Akun Telegram Anda terhubung ke Cerdas. Peringatan akan dikirim ke sini. / Your Telegram account is linked to Cerdas; alerts will come here.';
      }
      case 'reply': {
        const token = event.payload?.startsWith('ack:') ? event.payload.slice(4) : null;
        if (token !== null) return this.ackReply(token, channel);
        const word = event.text?.trim().toLowerCase().replace(/[.!]+$/, '') ?? '';
        if (!ACK_WORDS.has(word)) return null;
        const address = channel === 'whatsapp' || channel === 'sms' ? `+${event.from.replace(/^\+/, '')}` : event.from;
        const latest = await this.repo.latestAckable(channel, address, this.clock.now() - REPLY_WINDOW_MS);
        if (!latest || latest.region_id !== regionId) return null;
        return this.ackReply(this.outbox.ackToken(latest.id), channel);
      }
    }
  }

  private async ackReply(token: string, via: string): Promise<string> {
    try {
      const done = await this.acknowledge(token, via);
      const what = done.alarm?.type ?? (done.incident ? `${done.incident.ticket} ${done.incident.title}` : '');
      if (done.result === 'acknowledged') return `✔ Ditangani / Acknowledged: ${what}`;
      if (done.result === 'already') return `Sudah ditangani sebelumnya / Already acknowledged: ${what}`;
      return 'Alarm sudah selesai (cleared); tidak ada yang perlu ditangani. / The alarm has cleared; nothing to acknowledge.';
    } catch (error) {
      return error instanceof AppError ? error.message : 'Tidak dapat diproses / Could not be handled';
    }
  }

  /** A delivery receipt moves the state forward only (a late "delivered" does not undo "read"); a failure after sending tries the next channel. */
  private async receipt(channel: ChannelKind, event: Extract<InboundEvent, { kind: 'status' }>): Promise<void> {
    const row = await this.repo.byProviderId(channel, event.providerMessageId);
    if (!row) return;
    const order = ['queued', 'sending', 'sent', 'delivered', 'read'];
    const now = this.clock.now();
    let patch: Partial<NotificationRow>;
    if (event.state === 'failed') {
      if (row.state === 'failed') return;
      patch = { state: 'failed', error: event.error ?? 'the provider reported the message undelivered', updated_at: now };
    } else {
      if (order.indexOf(event.state) <= order.indexOf(row.state)) return;
      patch = { state: event.state, updated_at: now, ...(event.state === 'delivered' && { delivered_at: event.at }), ...(event.state === 'read' && { read_at: event.at, delivered_at: row.delivered_at ?? event.at }) };
    }
    let fallback: NotificationRow | null = null;
    await this.repo.db.transaction().execute(async (tx) => {
      await tx.updateTable('notifications').set(patch).where('id', '=', row.id).execute();
      if (patch.state === 'failed') fallback = await this.outbox.fallback(tx, { ...row, ...patch }, now);
    });
    this.bus.publish('notification.updated', { regionId: row.region_id, notification: eventPayload({ ...row, ...patch }) });
    if (fallback) {
      this.bus.publish('notification.updated', { regionId: row.region_id, notification: eventPayload(fallback) });
      this.onQueued();
    }
  }

  private async byToken(token: string): Promise<NotificationRow> {
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) throw new AppError('NOT_FOUND', 'this link is not valid');
    const row = await this.repo.byAckToken(hashToken(token));
    if (!row) throw new AppError('NOT_FOUND', 'this link is not valid');
    return row;
  }
}

function summary(alarm: AlarmPayload): NonNullable<AckResult['alarm']> {
  return { id: alarm.id, type: alarm.type, severity: alarm.severity, acknowledgedBy: alarm.acknowledgedBy, acknowledgedAt: alarm.acknowledgedAt, clearedAt: alarm.clearedAt };
}
