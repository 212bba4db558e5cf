/**
 * Telegram through the Bot API: `POST {apiBase}/bot{token}/{method}` with a JSON
 * body; every answer is `{ok: true, result}` or `{ok: false, error_code, description}`.
 * The recipient's address is the chat id the bot learnt when the person opened
 * t.me/<bot>?start=<code> (inbound.ts turns that into a `link` event).
 */
import { ChannelError, type Channel, type OutgoingMessage, type SendResult } from './channel.ts';
import { callProvider, clip, describeStatus, isRetryableStatus, type ProviderAnswer } from './http.ts';

export const TELEGRAM_API_BASE = 'https://api.telegram.org';
/** sendMessage takes 1–4096 characters of text */
const MAX_TEXT = 4096;
/** callback_data takes 1–64 bytes */
const MAX_CALLBACK_DATA_BYTES = 64;

export interface TelegramConfig {
  /** the token BotFather gave, `123456:ABC…` */
  botToken: string;
  /** the bot's @username without the @, for the t.me/<bot>?start=<code> link */
  botUsername: string;
  /** the secret_token given to setWebhook; Telegram sends it back in X-Telegram-Bot-Api-Secret-Token */
  webhookSecret: string;
  /** the Bot API origin; tests point it at a local fake */
  apiBase: string;
}

/** The link a person opens to connect their Telegram chat to their contact: the code comes back in `/start <code>`. */
export function telegramStartLink(botUsername: string, code: string): string {
  return `https://t.me/${encodeURIComponent(botUsername)}?start=${encodeURIComponent(code)}`;
}

/** The callback_data of the acknowledgement button, or null when the token would not fit Telegram's 64 bytes. */
export function telegramAckData(token: string): string | null {
  const data = `ack:${token}`;
  return Buffer.byteLength(data, 'utf8') <= MAX_CALLBACK_DATA_BYTES ? data : null;
}

export class TelegramChannel implements Channel {
  readonly kind = 'telegram';
  private readonly config: TelegramConfig;

  constructor(config: TelegramConfig) {
    this.config = config;
  }

  /**
   * Sends the text with the acknowledgement as an inline button (callback_data
   * `ack:<token>`, answered through the webhook) and its link written in the text:
   * a URL button is refused by Telegram for addresses it deems invalid (an
   * intranet host, http://localhost), a link in the text always goes through.
   * A token too long for callback_data leaves the link alone.
   */
  async send(message: OutgoingMessage, signal: AbortSignal): Promise<SendResult> {
    const chatId = message.to.trim();
    if (!/^-?\d{1,20}$/.test(chatId) && !/^@[A-Za-z][A-Za-z0-9_]{4,31}$/.test(chatId)) {
      throw new ChannelError('telegram: the address is not a chat id', false);
    }
    let text = message.text;
    // A template that already carries the link is not made to repeat it.
    if (message.ack && !text.includes(message.ack.url)) text += `\n\n${message.ack.label}: ${message.ack.url}`;
    const body: Record<string, unknown> = {
      chat_id: chatId,
      text: cut(text, MAX_TEXT),
      // a preview of the acknowledgement page would only push the alert's text up
      link_preview_options: { is_disabled: true },
    };
    const callbackData = message.ack ? telegramAckData(message.ack.token) : null;
    if (message.ack && callbackData) {
      body.reply_markup = { inline_keyboard: [[{ text: message.ack.label, callback_data: callbackData }]] };
    }
    const result = await this.call('sendMessage', body, signal);
    const messageId = isRecord(result) && (typeof result.message_id === 'number' || typeof result.message_id === 'string') ? String(result.message_id) : null;
    // The same message_id recurs in other chats: the chat makes it unique.
    return { providerMessageId: messageId === null ? null : `${chatId}:${messageId}` };
  }

  /** Answers a press of an inline button, so the person's client stops its spinner; `text` shows as a short notice (at most 200 characters). */
  async answerCallbackQuery(callbackId: string, text: string | null, signal: AbortSignal): Promise<void> {
    const body: Record<string, unknown> = { callback_query_id: callbackId };
    if (text) body.text = cut(text, 200);
    await this.call('answerCallbackQuery', body, signal);
  }

  /** A plain message to a chat (after linking: "Akun Telegram Anda terhubung"). */
  async sendReply(chatId: string, text: string, signal: AbortSignal): Promise<void> {
    await this.call('sendMessage', { chat_id: chatId, text: cut(text, MAX_TEXT), link_preview_options: { is_disabled: true } }, signal);
  }

  private async call(method: string, body: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    const url = `${this.config.apiBase.replace(/\/+$/, '')}/bot${this.config.botToken}/${method}`;
    const answer = await callProvider('telegram', url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, signal);
    if (answer.status >= 200 && answer.status < 300 && isRecord(answer.json) && answer.json.ok === true) return answer.json.result;
    throw telegramError(answer);
  }
}

/** Telegram's own words (`description`), with retry_after on a 429; never the token. */
function telegramError(answer: ProviderAnswer): ChannelError {
  const json = isRecord(answer.json) ? answer.json : {};
  const description = typeof json.description === 'string' ? clip(json.description, 300) : clip(answer.text, 200) || 'no description';
  const code = typeof json.error_code === 'number' ? json.error_code : answer.status;
  const parameters = isRecord(json.parameters) ? json.parameters : {};
  const retryAfter = typeof parameters.retry_after === 'number' ? ` (retry after ${parameters.retry_after} s)` : '';
  if (answer.status >= 200 && answer.status < 300) return new ChannelError(`telegram: an answer without ok: ${description}`, true);
  return new ChannelError(`telegram: ${describeStatus(answer.status)}, error ${code}: ${description}${retryAfter}`, isRetryableStatus(answer.status));
}

function cut(text: string, max: number): string {
  // by code points, so an emoji is never split in half
  const points = Array.from(text);
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
