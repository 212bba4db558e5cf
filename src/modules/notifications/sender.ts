/**
 * Delivers the outbox. Each round claims due messages (on PostgreSQL with SKIP
 * LOCKED, so two instances never take the same one), hands each to its channel
 * within the provider's pace, and writes what came of it: sent (with the
 * provider's id, for receipts), again later with a growing wait (timeouts, 5xx,
 * 429), or failed — and then the person's next verified channel gets the message.
 * A sender that dies mid-send loses its claim after the lease, and the message
 * goes out again from another round: at least once, never lost.
 */
import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import { newId } from '../../core/ids.ts';
import { Rounds } from '../../core/rounds.ts';
import { CHANNEL_KINDS, ChannelError, type ChannelKind, type OutgoingMessage } from './channels/channel.ts';
import type { ChannelsService } from './channels.service.ts';
import type { NotificationRow, NotificationsRepository } from './notifications.repository.ts';
import { ACK_MARK, eventPayload, type Outbox } from './outbox.ts';
import { EVENT_PLACEHOLDERS, type NotificationEvent, type Placeholders } from './templates.ts';

export interface SenderOptions {
  /** ms between rounds when nothing kicks the sender */
  pollMs?: number;
  /** messages claimed a round */
  batch?: number;
  /** a provider that has not answered by then is given up on for this attempt */
  timeoutMs?: number;
  /** attempts on one channel before the next channel is tried */
  maxAttempts?: number;
  /** first wait before a retry; doubles each time, up to 10 minutes */
  backoffMs?: number;
  onError?: (error: unknown) => void;
}

export class Sender {
  private readonly repo: NotificationsRepository;
  private readonly channels: ChannelsService;
  private readonly outbox: Outbox;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  private readonly publicUrl: string;
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly nextSlot = new Map<string, number>();
  private readonly rounds: Rounds;

  constructor(repo: NotificationsRepository, channels: ChannelsService, outbox: Outbox, bus: EventBus, clock: Clock, publicUrl: string, options: SenderOptions = {}) {
    this.repo = repo;
    this.channels = channels;
    this.outbox = outbox;
    this.bus = bus;
    this.clock = clock;
    this.publicUrl = publicUrl;
    this.pollMs = options.pollMs ?? 1000;
    this.batch = options.batch ?? 50;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.backoffMs = options.backoffMs ?? 5_000;
    this.onError = options.onError ?? (() => {});
    this.rounds = new Rounds(() => this.round(), this.onError);
  }

  start(): void {
    this.rounds.start(this.pollMs);
  }

  /** Runs a round now (coalesced with one already running): something was just queued. */
  kick(): void {
    this.rounds.kick();
  }

  /** Sends everything due now; resolves when the outbox has nothing more due (tests, benchmarks). */
  drain(): Promise<void> {
    return this.rounds.drain();
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  /**
   * One round: for each kind, a second's worth of due messages at its pace,
   * delivered paced, kinds side by side. A round so lasts about a second at
   * most, and whatever was queued meanwhile (an alarm during a broadcast) is
   * claimed by the next one, before the broadcast's rest. Returns whether some
   * kind had more due than it took.
   */
  private async round(): Promise<boolean> {
    const now = this.clock.now();
    const claim = newId();
    const full = await Promise.all(
      CHANNEL_KINDS.map(async (kind) => {
        const limit = Math.min(this.batch, await this.channels.roundSize(kind));
        const rows = await this.repo.claimDueNotifications(kind, now, claim, now + this.timeoutMs * 2 + 5_000, limit);
        const inFlight: Promise<void>[] = [];
        for (const row of rows) {
          await this.paced(row.region_id, kind);
          inFlight.push(this.deliver(row, claim).catch(this.onError));
        }
        await Promise.all(inFlight);
        return rows.length === limit;
      }),
    );
    return full.some(Boolean);
  }

  private async paced(regionId: string, kind: ChannelKind): Promise<void> {
    const key = `${regionId}:${kind}`;
    const interval = 1000 / (await this.channels.pace(regionId, kind));
    const at = Math.max(performance.now(), this.nextSlot.get(key) ?? 0);
    this.nextSlot.set(key, at + interval);
    const wait = at - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  private async deliver(row: NotificationRow, claim: string): Promise<void> {
    const kind = row.channel as ChannelKind;
    let outcome: Partial<NotificationRow>;
    let failedForGood = false;
    const channel = row.address === '' ? null : await this.channels.instance(row.region_id, kind);
    if (channel === null) {
      outcome = { state: 'failed', error: row.address === '' ? 'no address' : `the ${kind} channel is not set up or is turned off` };
      failedForGood = true;
    } else {
      try {
        const sent = await channel.send(await this.message(row), AbortSignal.timeout(this.timeoutMs));
        outcome = { state: 'sent', provider_message_id: sent.providerMessageId, sent_at: this.clock.now(), error: null };
      } catch (error) {
        const retryable = !(error instanceof ChannelError) || error.retryable;
        const reason = error instanceof Error ? error.message : String(error);
        if (retryable && row.attempts < this.maxAttempts) {
          outcome = { state: 'queued', error: reason, next_attempt_at: this.clock.now() + Math.min(this.backoffMs * 2 ** (row.attempts - 1), 600_000) };
        } else {
          outcome = { state: 'failed', error: reason };
          failedForGood = true;
        }
      }
    }
    const now = this.clock.now();
    let fallback: NotificationRow | null = null;
    const kept = await this.repo.db.transaction().execute(async (tx) => {
      if (!(await this.repo.finishSend(tx, row.id, claim, { ...outcome, updated_at: now }))) return false;
      if (failedForGood) fallback = await this.outbox.fallback(tx, { ...row, ...outcome } as NotificationRow, now);
      return true;
    });
    if (!kept) return;
    this.bus.publish('notification.updated', { regionId: row.region_id, notification: eventPayload({ ...row, ...outcome, updated_at: now }) });
    if (fallback) {
      this.bus.publish('notification.updated', { regionId: row.region_id, notification: eventPayload(fallback) });
      this.rounds.kick();
    }
  }

  private async message(row: NotificationRow): Promise<OutgoingMessage> {
    const values = JSON.parse(row.data) as Placeholders;
    const token = row.ack_token_hash === null ? null : this.outbox.ackToken(row.id);
    const ackUrl = token === null ? null : `${this.publicUrl}/ack/${token}`;
    const fill = (text: string) => text.replaceAll(ACK_MARK, ackUrl ?? values.link ?? '');
    const filled = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === undefined ? '' : fill(v)]));
    const template = row.channel === 'whatsapp' ? await this.whatsAppTemplate(row.region_id, row.event, filled) : undefined;
    return {
      id: row.id,
      to: row.address,
      ...(template && { template }),
      subject: fill(row.subject),
      text: fill(row.body),
      ...(token !== null && ackUrl !== null && { ack: { url: ackUrl, token, label: row.language === 'en' ? 'Acknowledge' : 'Tangani' } }),
      data: { event: row.event, language: row.language, alarmId: row.alarm_id, incidentId: row.incident_id, values: filled },
    };
  }

  /**
   * WhatsApp Cloud API: a message the business starts must use a template Meta
   * approved. An admin names one per event (channel settings, `templates`); its
   * body parameters are the event's placeholders in their documented order, the
   * acknowledgement being the template's quick-reply button rather than a link.
   */
  private async whatsAppTemplate(regionId: string, event: string, values: Record<string, string>): Promise<OutgoingMessage['template']> {
    const settings = await this.channels.settings(regionId, 'whatsapp');
    const templates = settings?.templates;
    if (!settings || settings.provider === 'gateway' || typeof templates !== 'object' || templates === null) return undefined;
    const name = (templates as Record<string, unknown>)[event];
    if (typeof name !== 'string' || !isEvent(event)) return undefined;
    const language = typeof settings.language === 'string' ? settings.language : 'id';
    return { name, language, parameters: EVENT_PLACEHOLDERS[event].filter((p) => p !== 'ackLink').map((p) => values[p] || '–') };
  }
}

function isEvent(event: string): event is NotificationEvent {
  return Object.hasOwn(EVENT_PLACEHOLDERS, event);
}
