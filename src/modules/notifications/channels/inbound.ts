/**
 * The providers' callbacks, as pure functions: check that a callback comes from
 * the provider, answer WhatsApp's subscription handshake, and turn a callback's
 * body into InboundEvents. Hostile input yields [] or false, never a throw: the
 * route answers 200 to what it cannot use (a provider retries a non-2xx for days).
 * The route limits the body's size (a WhatsApp callback is a few KB; 256 KB is
 * plenty); here, the number of events taken from one body and the length of each
 * text are bounded too.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { InboundEvent } from './channel.ts';

/** Events taken from one callback body; Meta batches up to about a thousand status updates, we keep fewer rather than loop on a crafted body. */
const MAX_EVENTS = 500;
/** A reply's text is kept up to this many characters (WhatsApp allows 4096, Telegram 4096) */
const MAX_TEXT = 4096;
const MAX_ID = 256;

// ---------------------------------------------------------------- WhatsApp

/**
 * X-Hub-Signature-256: `sha256=` and the hex HMAC-SHA256 of the raw body with the
 * app secret. Compared in constant time; a missing, malformed or other-length
 * header is false.
 */
export function verifyWhatsAppSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (typeof header !== 'string' || !appSecret) return false;
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  const given = Buffer.from(match[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The GET handshake Meta makes when the webhook is set up:
 * `?hub.mode=subscribe&hub.verify_token=<ours>&hub.challenge=<n>`. Returns the
 * challenge to answer with (200, as plain text), or null for a 403.
 */
export function whatsAppVerifyChallenge(query: Record<string, unknown>, verifyToken: string): string | null {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string') return null;
  if (!verifyToken || !safeEqual(token, verifyToken)) return null;
  // Meta sends a number; anything else is not echoed into our answer.
  return /^[A-Za-z0-9_-]{1,128}$/.test(challenge) ? challenge : null;
}

/**
 * A WhatsApp Cloud API callback:
 * `{object: "whatsapp_business_account", entry: [{changes: [{field: "messages", value: {statuses?, messages?}}]}]}`.
 * statuses → `status` events (sent, delivered, read, failed with the error's
 * title and details); messages → `reply` events: a text, a template's quick-reply
 * button (`button.payload`) or an interactive reply button (`button_reply.id`).
 * Numbers come back as +digits, the form the contacts keep. `now` (ms since
 * epoch) stands in for a missing timestamp.
 */
export function parseWhatsAppWebhook(body: unknown, now: () => number = Date.now): InboundEvent[] {
  const events: InboundEvent[] = [];
  if (!isRecord(body) || body.object !== 'whatsapp_business_account') return events;
  for (const entry of list(body.entry)) {
    for (const change of list(isRecord(entry) ? entry.changes : undefined)) {
      if (!isRecord(change) || change.field !== 'messages' || !isRecord(change.value)) continue;
      for (const status of list(change.value.statuses)) {
        if (events.length >= MAX_EVENTS) return events;
        const event = whatsAppStatus(status, now);
        if (event) events.push(event);
      }
      for (const message of list(change.value.messages)) {
        if (events.length >= MAX_EVENTS) return events;
        const event = whatsAppMessage(message, now);
        if (event) events.push(event);
      }
    }
  }
  return events;
}

function whatsAppStatus(status: unknown, now: () => number): InboundEvent | null {
  if (!isRecord(status)) return null;
  const id = text(status.id, MAX_ID);
  const state = status.status;
  if (!id || (state !== 'sent' && state !== 'delivered' && state !== 'read' && state !== 'failed')) return null;
  let error: string | null = null;
  if (state === 'failed') {
    const first = list(status.errors)[0];
    if (isRecord(first)) {
      const title = text(first.title, 200) ?? text(first.message, 200);
      const details = isRecord(first.error_data) ? text(first.error_data.details, 300) : null;
      const code = typeof first.code === 'number' ? first.code : null;
      error = [code === null ? null : `${code}`, title, details].filter(Boolean).join(': ') || 'failed';
    } else {
      error = 'failed';
    }
  }
  return { kind: 'status', providerMessageId: id, state, at: seconds(status.timestamp, now), error };
}

function whatsAppMessage(message: unknown, now: () => number): InboundEvent | null {
  if (!isRecord(message)) return null;
  const from = text(message.from, 20);
  if (!from || !/^\d{6,15}$/.test(from)) return null;
  const base = { kind: 'reply' as const, channel: 'whatsapp' as const, from: `+${from}`, at: seconds(message.timestamp, now) };
  switch (message.type) {
    case 'text':
      return isRecord(message.text) ? { ...base, text: text(message.text.body, MAX_TEXT), payload: null } : null;
    case 'button':
      // a template's quick-reply button: its payload is what we set when sending
      return isRecord(message.button) ? { ...base, text: text(message.button.text, 200), payload: text(message.button.payload, 1000) } : null;
    case 'interactive': {
      const interactive = isRecord(message.interactive) ? message.interactive : null;
      const reply = interactive && interactive.type === 'button_reply' && isRecord(interactive.button_reply) ? interactive.button_reply : null;
      return reply ? { ...base, text: text(reply.title, 200), payload: text(reply.id, 256) } : null;
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------- Telegram

/** X-Telegram-Bot-Api-Secret-Token against the secret_token given to setWebhook, in constant time. */
export function verifyTelegramSecret(header: string | undefined, secret: string): boolean {
  if (typeof header !== 'string' || !secret) return false;
  return safeEqual(header, secret);
}

/**
 * A Telegram Update: `/start <code>` (from t.me/<bot>?start=<code>) → `link`;
 * a callback_query (an inline button pressed) → `reply` with its data as payload
 * and its id as callbackId (answer it with answerCallbackQuery); any other text
 * → `reply`. Edited messages, photos without text and other update types yield [].
 * `now` (ms since epoch) stands in for a missing timestamp.
 */
export function parseTelegramUpdate(update: unknown, now: () => number = Date.now): InboundEvent[] {
  if (!isRecord(update)) return [];
  const callback = update.callback_query;
  if (isRecord(callback)) {
    const id = text(callback.id, MAX_ID);
    const from = isRecord(callback.from) ? chatIdOf(callback.from.id) : null;
    const message = isRecord(callback.message) ? callback.message : null;
    const chat = message && isRecord(message.chat) ? chatIdOf(message.chat.id) : null;
    const data = text(callback.data, 64);
    // the chat the button's message is in; the person's own id when Telegram leaves the message out (too old)
    const chatOrPerson = chat ?? from;
    if (!id || !data || chatOrPerson === null) return [];
    return [{ kind: 'reply', channel: 'telegram', from: chatOrPerson, text: null, payload: data, at: message ? seconds(message.date, now) : now(), callbackId: id }];
  }
  const message = update.message;
  if (!isRecord(message) || !isRecord(message.chat)) return [];
  const chatId = chatIdOf(message.chat.id);
  const body = text(message.text, MAX_TEXT);
  if (chatId === null || body === null) return [];
  const at = seconds(message.date, now);
  const start = /^\/start(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/.exec(body);
  if (start) {
    // deep-link parameters are 1–64 of A–Z a–z 0–9 _ -; a bare or garbled /start links nothing and is no reply either
    const code = start[1]?.trim();
    if (!code || !/^[A-Za-z0-9_-]{1,64}$/.test(code)) return [];
    const from = isRecord(message.from) ? message.from : {};
    return [{ kind: 'link', channel: 'telegram', chatId, code, username: text(from.username, 64), at }];
  }
  return [{ kind: 'reply', channel: 'telegram', from: chatId, text: body, payload: null, at }];
}

// ---------------------------------------------------------------- helpers

function safeEqual(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the comparison leaks neither content nor length.
  const a = createHmac('sha256', 'cerdas-compare').update(given).digest();
  const b = createHmac('sha256', 'cerdas-compare').update(expected).digest();
  return timingSafeEqual(a, b);
}

function chatIdOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) return value;
  return null;
}

/** Provider timestamps are seconds since epoch (a number or a string of digits); ms since epoch here, now when absent. */
function seconds(value: unknown, now: () => number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n * 1000 : now();
}

function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string' || value === '') return null;
  return value.length > max ? value.slice(0, max) : value;
}

/** An array's first MAX_EVENTS items; anything else is empty. */
function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value.slice(0, MAX_EVENTS) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
