/**
 * The one interface every way of reaching a person implements: email (SMTP),
 * Telegram, WhatsApp Cloud API, an HTTP gateway (SMS and the local WhatsApp/SMS
 * providers Indonesian governments use) and a webhook. The outbox
 * (notifications.sender.ts) renders a message, hands it to the channel of the
 * recipient's contact, and keeps what the channel answers; delivery receipts and
 * replies come back through the provider's callback (inbound.ts).
 */

import type { ChannelKind } from '../notifications.contract.ts';
export { CHANNEL_KINDS, type ChannelKind } from '../notifications.contract.ts';

/** One message to one address, rendered in the recipient's language. */
export interface OutgoingMessage {
  /** the notification's id: idempotency key where a provider takes one, and the webhook's event id */
  id: string;
  /** an email address, a +62… number (WhatsApp, SMS), a Telegram chat id, or a URL (webhook) */
  to: string;
  /** email subject; the first line elsewhere is the text's own */
  subject: string;
  /** plain text, already rendered (Telegram, SMS, WhatsApp, email text part) */
  text: string;
  /**
   * WhatsApp Cloud API: a business-initiated message must use a template Meta
   * approved; the parameters fill its body's {{1}}, {{2}} … in order.
   */
  template?: { name: string; language: string; parameters: string[] };
  /** an acknowledgement the recipient can give from the message: a Telegram button, a WhatsApp quick reply, a link in the email */
  ack?: { url: string; label: string; token: string };
  /** the event as JSON, for the webhook channel */
  data?: Record<string, unknown>;
}

export interface SendResult {
  /** the provider's id of the message, to match delivery receipts with; null when it gives none */
  providerMessageId: string | null;
}

/**
 * A failed send. `retryable`: a timeout, a network error, 429 or 5xx (try again
 * later); otherwise the provider refused the message itself (a bad number, a
 * template it does not know, bad credentials) and the outbox moves on to the
 * recipient's next channel at once.
 */
export class ChannelError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'ChannelError';
    this.retryable = retryable;
  }
}

export interface Channel {
  readonly kind: ChannelKind;
  /** Sends one message; rejects with a ChannelError. Must give up when `signal` aborts (the outbox's timeout). */
  send(message: OutgoingMessage, signal: AbortSignal): Promise<SendResult>;
  /** Releases connections (SMTP pool). */
  close?(): Promise<void>;
}

/** What a provider's callback tells the platform, whatever the provider. */
export type InboundEvent =
  /** a delivery receipt */
  | { kind: 'status'; providerMessageId: string; state: 'sent' | 'delivered' | 'read' | 'failed'; at: number; error: string | null }
  /** a person answered: a reply text, a button pressed (payload), from a phone number or a Telegram chat */
  | { kind: 'reply'; channel: ChannelKind; from: string; text: string | null; payload: string | null; at: number; callbackId?: string }
  /** Telegram: a person opened t.me/<bot>?start=<code> */
  | { kind: 'link'; channel: 'telegram'; chatId: string; code: string; username: string | null; at: number };
