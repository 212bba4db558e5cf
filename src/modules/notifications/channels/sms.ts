/**
 * SMS (and WhatsApp) through an HTTP gateway: the local providers Indonesian
 * governments often contract (a masking-SMS or WhatsApp gateway with a simple
 * HTTP API) differ only in URL, method, headers and body, so one configurable
 * channel serves them all.
 *
 * Placeholders, filled in one pass (a value holding "{{…}}" is never expanded again):
 *   {{to}}        the recipient's number, written as `numberFormat` says
 *   {{text}}      the message text (with the acknowledgement link, if any)
 *   {{id}}        the notification's id (a gateway's reference / idempotency key)
 *   {{apiKey}}    {{apiSecret}}   the credentials, kept encrypted and never shown
 * in the URL (URL-encoded), the headers (as they are; a new line is refused) and
 * the body (JSON string escaping for `json`, URL-encoding for `form`; placeholders
 * in a JSON body sit inside the quotes: {"to":"{{to}}","message":"{{text}}"}).
 * A GET sends no body: put the placeholders in the URL's query.
 *
 * The same class is the "WhatsApp via local gateway" channel: createChannel('whatsapp',
 * { provider: 'gateway', … }) makes one whose kind is 'whatsapp', so a person's
 * WhatsApp contact is reached through the gateway instead of Meta's Cloud API.
 *
 * Success is a 2xx; the provider's message id is read at `messageIdPath` of a JSON
 * answer ("data.id", "messages.0.id") when given. The gateway is configured by an
 * admin and often runs on the local network, so it is not held to the webhook's
 * private-address guard.
 */
import { ChannelError, type Channel, type OutgoingMessage, type SendResult } from './channel.ts';
import { callProvider, clip, describeStatus, isRetryableStatus } from './http.ts';

export const GATEWAY_PLACEHOLDERS = ['to', 'text', 'id', 'apiKey', 'apiSecret'] as const;
type Placeholder = (typeof GATEWAY_PLACEHOLDERS)[number];
const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

export interface HttpGatewayConfig {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  contentType: 'json' | 'form';
  /** the body with placeholders; ignored for GET */
  body: string;
  /** where the provider's message id is in its JSON answer, dot-separated; null: none kept */
  messageIdPath: string | null;
  /** e164 +62812…, digits 62812…, local 0812… (Indonesian numbers only; others stay digits) */
  numberFormat: 'e164' | 'digits' | 'local';
  apiKey: string | null;
  apiSecret: string | null;
}

export class HttpGatewayChannel implements Channel {
  readonly kind: 'sms' | 'whatsapp';
  private readonly config: HttpGatewayConfig;

  constructor(config: HttpGatewayConfig, kind: 'sms' | 'whatsapp' = 'sms') {
    this.config = config;
    this.kind = kind;
  }

  async send(message: OutgoingMessage, signal: AbortSignal): Promise<SendResult> {
    const provider = this.kind === 'sms' ? 'sms gateway' : 'whatsapp gateway';
    const text = message.ack && !message.text.includes(message.ack.url) ? `${message.text}\n${message.ack.label}: ${message.ack.url}` : message.text;
    const values: Record<Placeholder, string> = {
      to: formatNumber(message.to, this.config.numberFormat),
      text,
      id: message.id,
      apiKey: this.config.apiKey ?? '',
      apiSecret: this.config.apiSecret ?? '',
    };
    const request = buildGatewayRequest(this.config, values);
    const answer = await callProvider(provider, request.url, request.init, signal);
    if (answer.status < 200 || answer.status >= 300) {
      throw new ChannelError(`${provider}: ${describeStatus(answer.status)}: ${clip(answer.text, 300) || 'no answer'}`, isRetryableStatus(answer.status));
    }
    const id = this.config.messageIdPath ? valueAtPath(answer.json, this.config.messageIdPath) : null;
    return { providerMessageId: typeof id === 'string' || typeof id === 'number' ? String(id) : null };
  }
}

/** The request a gateway gets for these values; exported for the config check (a body that is no longer JSON once filled). */
export function buildGatewayRequest(config: HttpGatewayConfig, values: Record<Placeholder, string>): { url: string; init: RequestInit } {
  const url = fill(config.url, values, encodeURIComponent);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers)) {
    headers[name.toLowerCase()] = fill(value, values, (v) => {
      if (/[\r\n]/.test(v)) throw new ChannelError('gateway: a header value would hold a new line', false);
      return v;
    });
  }
  if (config.method === 'GET') return { url, init: { method: 'GET', headers } };
  const json = config.contentType === 'json';
  headers['content-type'] ??= json ? 'application/json' : 'application/x-www-form-urlencoded';
  const body = fill(config.body, values, json ? (v) => JSON.stringify(v).slice(1, -1) : encodeURIComponent);
  return { url, init: { method: 'POST', headers, body } };
}

/** The placeholders a template names that are not known, for the config check. */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').filter((name) => !isPlaceholder(name));
}

function isPlaceholder(name: string): name is Placeholder {
  return (GATEWAY_PLACEHOLDERS as readonly string[]).includes(name);
}

function fill(template: string, values: Record<Placeholder, string>, escape: (value: string) => string): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (isPlaceholder(name) ? escape(values[name]) : whole));
}

function formatNumber(address: string, format: HttpGatewayConfig['numberFormat']): string {
  const digits = address.replace(/[\s\-().]/g, '').replace(/^\+/, '');
  if (!/^\d{8,15}$/.test(digits)) throw new ChannelError('gateway: the address is not a phone number', false);
  if (format === 'e164') return `+${digits}`;
  if (format === 'local' && digits.startsWith('62')) return `0${digits.slice(2)}`;
  return digits;
}

/** `a.b.0.c` in parsed JSON; undefined where the path leads nowhere. */
function valueAtPath(json: unknown, path: string): unknown {
  let current: unknown = json;
  for (const part of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(part)) current = current[Number(part)];
    else if (typeof current === 'object' && current !== null && Object.hasOwn(current, part)) current = (current as Record<string, unknown>)[part];
    else return undefined;
  }
  return current;
}
