/**
 * WhatsApp through the WhatsApp Business Platform Cloud API:
 * `POST {apiBase}/{version}/{phoneNumberId}/messages` with a bearer access token.
 *
 * WhatsApp lets a business start a conversation only with a template Meta has
 * approved. An alert is business-initiated, so in production every alert goes out
 * as a template: the outbox reads `templates[<event>]` of this channel's config
 * and sets `message.template` (name, language, the body's {{1}}, {{2}} … in
 * order). A free-form text message (`type: "text"`, or `interactive` reply
 * buttons when an acknowledgement is asked) is delivered only inside the 24-hour
 * customer service window — within a day of the person's last message to the
 * number — and Meta refuses it otherwise (error 131047); it is what this channel
 * sends when the message carries no template, fit for tests and replies.
 */
import { ChannelError, type Channel, type OutgoingMessage, type SendResult } from './channel.ts';
import { callProvider, clip, describeStatus, isRetryableStatus, type ProviderAnswer } from './http.ts';

export const WHATSAPP_API_BASE = 'https://graph.facebook.com';
export const WHATSAPP_API_VERSION = 'v23.0';

/** A text message's body takes 4096 characters; an interactive message's body 1024; a reply button's title 20. */
const MAX_TEXT = 4096;
const MAX_INTERACTIVE_BODY = 1024;
const MAX_BUTTON_TITLE = 20;

/**
 * Graph API error codes that mean "later", whatever the HTTP status (Meta sends
 * most of them with a 400): rate limits, throughput, a temporary outage.
 */
const RETRYABLE_ERROR_CODES = new Set([1, 2, 4, 17, 32, 613, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);

export interface WhatsAppCloudConfig {
  provider: 'cloud';
  /** a system user's permanent access token with whatsapp_business_messaging */
  accessToken: string;
  /** the id of the business phone number the messages are sent from (not the number itself) */
  phoneNumberId: string;
  /** the Meta app's secret: X-Hub-Signature-256 of each callback is an HMAC with it */
  appSecret: string;
  /** the token typed into the app's webhook settings, echoed in the GET handshake */
  verifyToken: string;
  /** approved template name per event type (e.g. "alarm.opened" → "peringatan_dini") */
  templates: Record<string, string>;
  /** the templates' language code, e.g. "id" */
  language: string;
  /** the Graph API origin; tests point it at a local fake */
  apiBase: string;
  /** the Graph API version in the path, e.g. "v23.0" */
  version: string;
}

export class WhatsAppCloudChannel implements Channel {
  readonly kind = 'whatsapp';
  private readonly config: WhatsAppCloudConfig;

  constructor(config: WhatsAppCloudConfig) {
    this.config = config;
  }

  async send(message: OutgoingMessage, signal: AbortSignal): Promise<SendResult> {
    const to = whatsAppNumber(message.to);
    const body = message.template ? this.templateMessage(to, message.template, message.ack) : textMessage(to, message);
    const url = `${this.config.apiBase.replace(/\/+$/, '')}/${encodeURIComponent(this.config.version)}/${encodeURIComponent(this.config.phoneNumberId)}/messages`;
    const answer = await callProvider(
      'whatsapp',
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${this.config.accessToken}` }, body: JSON.stringify(body) },
      signal,
    );
    if (answer.status >= 200 && answer.status < 300) {
      const id = firstMessageId(answer.json);
      if (id === null) throw new ChannelError(`whatsapp: ${describeStatus(answer.status)} without a message id: ${clip(answer.text, 200)}`, true);
      return { providerMessageId: id };
    }
    throw whatsAppError(answer);
  }

  private templateMessage(to: string, template: NonNullable<OutgoingMessage['template']>, ack: OutgoingMessage['ack']): Record<string, unknown> {
    const components: Record<string, unknown>[] = [];
    if (template.parameters.length > 0) {
      components.push({ type: 'body', parameters: template.parameters.map((text) => ({ type: 'text', text: templateParameter(text) })) });
    }
    // The template must have a quick-reply button first; its payload comes back in the callback's button.payload.
    if (ack) components.push({ type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: `ack:${ack.token}` }] });
    return {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'template',
      template: { name: template.name, language: { code: template.language || this.config.language }, components },
    };
  }
}

/** Inside the 24-hour window: a reply button when an acknowledgement is asked and the text fits one, plain text with the link otherwise. */
function textMessage(to: string, message: OutgoingMessage): Record<string, unknown> {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  if (message.ack) {
    const body = message.text.includes(message.ack.url) ? message.text : `${message.text}\n\n${message.ack.url}`;
    if (Array.from(body).length <= MAX_INTERACTIVE_BODY) {
      return {
        ...base,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: body },
          action: { buttons: [{ type: 'reply', reply: { id: `ack:${message.ack.token}`, title: cut(message.ack.label, MAX_BUTTON_TITLE) } }] },
        },
      };
    }
  }
  const text = message.ack && !message.text.includes(message.ack.url) ? `${message.text}\n\n${message.ack.label}: ${message.ack.url}` : message.text;
  return { ...base, type: 'text', text: { preview_url: false, body: cut(text, MAX_TEXT) } };
}

/** The API wants the number as digits with the country code, without '+'. */
function whatsAppNumber(address: string): string {
  const digits = address.replace(/[\s\-().]/g, '').replace(/^\+/, '');
  if (!/^[1-9]\d{7,14}$/.test(digits)) throw new ChannelError('whatsapp: the address is not a phone number with its country code', false);
  return digits;
}

/** A template parameter may not hold a new line, a tab or more than four spaces in a row (error 132018). */
function templateParameter(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/ {4,}/g, '   ').trim() || '-';
}

function firstMessageId(json: unknown): string | null {
  if (!isRecord(json) || !Array.isArray(json.messages)) return null;
  const first: unknown = json.messages[0];
  return isRecord(first) && typeof first.id === 'string' ? first.id : null;
}

/** The Graph API's `error.message` and `error_data.details`, its code deciding the retry where it knows one. */
function whatsAppError(answer: ProviderAnswer): ChannelError {
  const error = isRecord(answer.json) && isRecord(answer.json.error) ? answer.json.error : null;
  if (!error) return new ChannelError(`whatsapp: ${describeStatus(answer.status)}: ${clip(answer.text, 200) || 'no answer'}`, isRetryableStatus(answer.status));
  const code = typeof error.code === 'number' ? error.code : null;
  const errorData = isRecord(error.error_data) ? error.error_data : {};
  const details = typeof errorData.details === 'string' ? ` — ${clip(errorData.details, 200)}` : '';
  const text = typeof error.message === 'string' ? clip(error.message, 300) : 'no message';
  const retryable = isRetryableStatus(answer.status) || (code !== null && RETRYABLE_ERROR_CODES.has(code));
  return new ChannelError(`whatsapp: ${describeStatus(answer.status)}, error ${code ?? '?'}: ${text}${details}`, retryable);
}

function cut(text: string, max: number): string {
  const points = Array.from(text);
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
