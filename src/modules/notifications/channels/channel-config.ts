/**
 * The configuration of each kind of channel: a TypeBox schema (which also feeds
 * the API's OpenAPI document), the check that turns an admin's input into a
 * channel's config with clear messages, the secret fields the API stores
 * encrypted and never returns, and `createChannel`.
 */
import { Type, type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { AppError } from '../../../core/errors.ts';
import type { Channel, ChannelKind } from './channel.ts';
import { EmailChannel, type EmailConfig } from './email.ts';
import { HttpGatewayChannel, buildGatewayRequest, unknownPlaceholders, type HttpGatewayConfig } from './sms.ts';
import { TELEGRAM_API_BASE, TelegramChannel, type TelegramConfig } from './telegram.ts';
import { WebhookChannel, type WebhookChannelConfig } from './webhook.ts';
import { WHATSAPP_API_BASE, WHATSAPP_API_VERSION, WhatsAppCloudChannel, type WhatsAppCloudConfig } from './whatsapp.ts';

/** What the API answers in place of a secret that is set; sent back unchanged, it means "keep the stored one". */
export const SECRET_MASK = '••••';

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
const TEMPLATE_EVENT = /^[a-z][a-z0-9_.-]{0,99}$/;

const OptionalText = (maxLength: number, description: string) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()], { description }));

export const EmailConfigSchema = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 253, description: 'the SMTP server, e.g. "mail.musirawaskab.go.id"' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 587, description: '587 (STARTTLS), 465 (TLS) or 25' }),
    security: Type.Union([Type.Literal('tls'), Type.Literal('starttls'), Type.Literal('none')], {
      default: 'starttls',
      description: 'tls: TLS from the start (port 465); starttls: upgrade required (587); none: plain, only for a relay on the local network',
    }),
    user: OptionalText(254, 'the SMTP login; none: the server takes mail without one'),
    password: OptionalText(1024, 'the SMTP password (secret)'),
    fromAddress: Type.String({ minLength: 3, maxLength: 254, description: 'the sender address, e.g. "peringatan@musirawaskab.go.id"' }),
    fromName: OptionalText(100, 'the sender name, e.g. "Cerdas Musi Rawas"'),
    maxConnections: Type.Integer({ minimum: 1, maximum: 10, default: 3, description: 'SMTP connections kept open' }),
  },
  { additionalProperties: false },
);

export const TelegramConfigSchema = Type.Object(
  {
    botToken: Type.String({ pattern: '^[0-9]{3,20}:[A-Za-z0-9_-]{20,100}$', description: "the bot's token from BotFather (secret)" }),
    botUsername: Type.String({ pattern: '^@?[A-Za-z][A-Za-z0-9_]{3,31}$', description: "the bot's username, for the t.me/<bot>?start=<code> link" }),
    webhookSecret: Type.String({ pattern: '^[A-Za-z0-9_-]{16,256}$', description: 'the secret_token set with setWebhook, 16–256 of A–Z a–z 0–9 _ - (secret)' }),
    apiBase: Type.String({ maxLength: 300, default: TELEGRAM_API_BASE, description: 'the Bot API origin' }),
  },
  { additionalProperties: false },
);

export const WhatsAppCloudConfigSchema = Type.Object(
  {
    provider: Type.Literal('cloud', { default: 'cloud', description: "Meta's WhatsApp Cloud API" }),
    accessToken: Type.String({ minLength: 20, maxLength: 1024, description: "a system user's access token with whatsapp_business_messaging (secret)" }),
    phoneNumberId: Type.String({ pattern: '^[0-9]{5,20}$', description: "the business number's id in the WhatsApp Manager (not the number)" }),
    appSecret: Type.String({ minLength: 8, maxLength: 256, description: "the Meta app's secret, to check the callbacks' X-Hub-Signature-256 (secret)" }),
    verifyToken: Type.String({ minLength: 8, maxLength: 256, description: "the verify token typed into the app's webhook settings (secret)" }),
    templates: Type.Record(Type.String({ pattern: TEMPLATE_EVENT.source }), Type.String({ pattern: '^[a-z0-9_]{1,512}$' }), {
      default: {},
      maxProperties: 50,
      description: 'the approved template per event, e.g. {"alarm.opened":"peringatan_dini"}; without one, text is sent (24-hour window only)',
    }),
    language: Type.String({ pattern: '^[a-z]{2,3}(_[A-Z]{2})?$', default: 'id', description: 'the templates\' language code, e.g. "id" or "en_US"' }),
    apiBase: Type.String({ maxLength: 300, default: WHATSAPP_API_BASE, description: 'the Graph API origin' }),
    version: Type.String({ pattern: '^v[0-9]{1,3}\\.[0-9]{1,2}$', default: WHATSAPP_API_VERSION, description: 'the Graph API version, e.g. "v23.0"' }),
  },
  { additionalProperties: false },
);

const gatewayFields = {
  url: Type.String({ minLength: 1, maxLength: 2048, description: 'the gateway endpoint; may hold {{to}}, {{text}}, {{id}}, {{apiKey}}, {{apiSecret}} (URL-encoded)' }),
  method: Type.Union([Type.Literal('POST'), Type.Literal('GET')], { default: 'POST', description: 'GET sends no body: the placeholders go in the URL' }),
  headers: Type.Record(Type.String({ pattern: HEADER_NAME.source }), Type.String({ maxLength: 2048 }), {
    default: {},
    maxProperties: 20,
    description: 'extra headers, e.g. {"Authorization":"{{apiKey}}"}',
  }),
  contentType: Type.Union([Type.Literal('json'), Type.Literal('form')], { default: 'json', description: 'the body as JSON or as application/x-www-form-urlencoded' }),
  body: Type.String({ maxLength: 4096, default: '', description: 'the body with placeholders, e.g. {"phone":"{{to}}","message":"{{text}}"} or phone={{to}}&message={{text}}' }),
  messageIdPath: OptionalText(200, 'where the message id is in the JSON answer, dot-separated, e.g. "data.id" or "messages.0.id"'),
  numberFormat: Type.Union([Type.Literal('e164'), Type.Literal('digits'), Type.Literal('local')], {
    default: 'digits',
    description: 'how {{to}} is written: e164 +62812…, digits 62812…, local 0812…',
  }),
  apiKey: OptionalText(1024, 'the gateway key or token, used as {{apiKey}} (secret)'),
  apiSecret: OptionalText(1024, 'a second credential, used as {{apiSecret}} (secret)'),
};

export const SmsGatewayConfigSchema = Type.Object(gatewayFields, { additionalProperties: false });

export const WhatsAppGatewayConfigSchema = Type.Object(
  { provider: Type.Literal('gateway', { description: 'a local WhatsApp gateway over HTTP, configured like the SMS gateway' }), ...gatewayFields },
  { additionalProperties: false },
);

export const WhatsAppConfigSchema = Type.Union([WhatsAppCloudConfigSchema, WhatsAppGatewayConfigSchema], { description: 'provider "cloud" (default) or "gateway"' });

export const WebhookConfigSchema = Type.Object(
  {
    secret: OptionalText(256, 'the HMAC-SHA256 key of X-Cerdas-Signature, at least 8 characters (secret); none: unsigned'),
    alarmUrl: OptionalText(2000, "an integration (a 112 dispatch, a WhatsApp bridge) that gets every alarm's first message as JSON; none: only tests and explicit addresses"),
    allowPrivateNetwork: Type.Boolean({ default: false, description: 'let the URLs be loopback, link-local or private addresses (admin only)' }),
  },
  { additionalProperties: false },
);

/** The config schema of each kind, for the API's validation and documentation. */
export const CHANNEL_CONFIG_SCHEMAS: Record<ChannelKind, TSchema> = {
  email: EmailConfigSchema,
  telegram: TelegramConfigSchema,
  whatsapp: WhatsAppConfigSchema,
  sms: SmsGatewayConfigSchema,
  webhook: WebhookConfigSchema,
};

export type WhatsAppConfig = WhatsAppCloudConfig | ({ provider: 'gateway' } & HttpGatewayConfig);

export interface ChannelConfigs {
  email: EmailConfig;
  telegram: TelegramConfig;
  whatsapp: WhatsAppConfig;
  sms: HttpGatewayConfig;
  webhook: WebhookChannelConfig;
}

/** The fields of each config that are secrets: stored encrypted, answered as SECRET_MASK (set) or null (not set). */
export const SECRET_FIELDS: { readonly [K in ChannelKind]: readonly string[] } = {
  email: ['password'],
  telegram: ['botToken', 'webhookSecret'],
  whatsapp: ['accessToken', 'appSecret', 'verifyToken', 'apiKey', 'apiSecret'],
  sms: ['apiKey', 'apiSecret'],
  webhook: ['secret'],
};

/** The secret fields of this config's variant (a WhatsApp gateway has no access token, a Cloud API config no API key). */
export function secretFields(kind: ChannelKind, config: Record<string, unknown>): readonly string[] {
  if (kind !== 'whatsapp') return SECRET_FIELDS[kind];
  return config.provider === 'gateway' ? ['apiKey', 'apiSecret'] : ['accessToken', 'appSecret', 'verifyToken'];
}

/** The config as the API shows it: each secret replaced by SECRET_MASK when set, null when not. */
export function maskConfig(kind: ChannelKind, config: Record<string, unknown>): Record<string, unknown> {
  const masked: Record<string, unknown> = { ...config };
  for (const field of secretFields(kind, config)) {
    const value = config[field];
    masked[field] = typeof value === 'string' && value !== '' ? SECRET_MASK : null;
  }
  return masked;
}

/** An edited config whose secrets came back as SECRET_MASK takes the stored values for them: the admin changed other fields only. */
export function restoreMaskedSecrets(kind: ChannelKind, incoming: Record<string, unknown>, stored: Record<string, unknown>): Record<string, unknown> {
  const restored: Record<string, unknown> = { ...incoming };
  for (const field of secretFields(kind, incoming)) {
    if (incoming[field] === SECRET_MASK) restored[field] = stored[field] ?? null;
  }
  return restored;
}

/** Checks an admin's input for a channel of this kind; throws AppError VALIDATION_FAILED saying what is wrong. */
export function parseChannelConfig<K extends ChannelKind>(kind: K, input: unknown): ChannelConfigs[K] {
  const parsers: { [P in ChannelKind]: (value: unknown) => ChannelConfigs[P] } = {
    email: parseEmail,
    telegram: parseTelegram,
    whatsapp: parseWhatsApp,
    sms: (value) => parseGateway('sms', SmsGatewayConfigSchema, value),
    webhook: parseWebhook,
  };
  return parsers[kind](input);
}

/** A channel of this kind from a config (checked here: a stored config is checked again, the rules may have tightened). */
export function createChannel(kind: ChannelKind, config: unknown): Channel {
  switch (kind) {
    case 'email':
      return new EmailChannel(parseChannelConfig('email', config));
    case 'telegram':
      return new TelegramChannel(parseChannelConfig('telegram', config));
    case 'whatsapp': {
      const parsed = parseChannelConfig('whatsapp', config);
      return parsed.provider === 'gateway' ? new HttpGatewayChannel(parsed, 'whatsapp') : new WhatsAppCloudChannel(parsed);
    }
    case 'sms':
      return new HttpGatewayChannel(parseChannelConfig('sms', config), 'sms');
    case 'webhook':
      return new WebhookChannel(parseChannelConfig('webhook', config));
  }
}

function parseEmail(input: unknown): EmailConfig {
  const value = checked('email', EmailConfigSchema, input);
  if (/[\s/:]/.test(value.host)) throw invalid('email', 'host is a server name or address, without a scheme, port or path');
  if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(value.fromAddress)) throw invalid('email', 'fromAddress is not an email address');
  if (value.password && !value.user) throw invalid('email', 'a password needs a user');
  if (value.fromName && /[\r\n]/.test(value.fromName)) throw invalid('email', 'fromName must be one line');
  return {
    host: value.host,
    port: value.port,
    security: value.security,
    user: value.user || null,
    password: value.password || null,
    fromAddress: value.fromAddress,
    fromName: value.fromName || null,
    maxConnections: value.maxConnections,
  };
}

function parseTelegram(input: unknown): TelegramConfig {
  const value = checked('telegram', TelegramConfigSchema, input);
  return { botToken: value.botToken, botUsername: value.botUsername.replace(/^@/, ''), webhookSecret: value.webhookSecret, apiBase: httpOrigin('telegram', 'apiBase', value.apiBase) };
}

function parseWhatsApp(input: unknown): WhatsAppConfig {
  if (isRecord(input) && input.provider === 'gateway') return { provider: 'gateway', ...parseGateway('whatsapp', WhatsAppGatewayConfigSchema, input) };
  if (isRecord(input) && input.provider !== undefined && input.provider !== 'cloud') throw invalid('whatsapp', 'provider must be "cloud" or "gateway"');
  const value = checked('whatsapp', WhatsAppCloudConfigSchema, input);
  for (const event of Object.keys(value.templates)) {
    if (!TEMPLATE_EVENT.test(event)) throw invalid('whatsapp', `templates: "${clip(event)}" is not an event name such as "alarm.opened"`);
  }
  return { ...value, apiBase: httpOrigin('whatsapp', 'apiBase', value.apiBase) };
}

function parseGateway(kind: 'sms' | 'whatsapp', schema: typeof SmsGatewayConfigSchema | typeof WhatsAppGatewayConfigSchema, input: unknown): HttpGatewayConfig {
  const value: Static<typeof SmsGatewayConfigSchema> = checked(kind, schema, input);
  const config: HttpGatewayConfig = {
    url: value.url,
    method: value.method,
    headers: value.headers,
    contentType: value.contentType,
    body: value.body,
    messageIdPath: value.messageIdPath || null,
    numberFormat: value.numberFormat,
    apiKey: value.apiKey || null,
    apiSecret: value.apiSecret || null,
  };
  // A record's key pattern is not enforced by the schema check (patternProperties lets other keys through): checked here.
  for (const name of Object.keys(config.headers)) {
    if (!HEADER_NAME.test(name)) throw invalid(kind, `headers: "${clip(name)}" is not a header name`);
  }
  for (const [field, template] of [['url', config.url], ['body', config.body], ...Object.entries(config.headers).map(([name, v]) => [`header ${name}`, v])] as const) {
    const unknown = unknownPlaceholders(template);
    if (unknown.length > 0) throw invalid(kind, `${field} names unknown placeholders ${unknown.map((n) => `{{${n}}}`).join(', ')}; known: {{to}}, {{text}}, {{id}}, {{apiKey}}, {{apiSecret}}`);
  }
  const places = config.method === 'GET' ? config.url : `${config.url} ${config.body}`;
  if (!/\{\{\s*to\s*\}\}/.test(places) || !/\{\{\s*text\s*\}\}/.test(places)) {
    throw invalid(kind, config.method === 'GET' ? 'a GET gateway needs {{to}} and {{text}} in its url' : 'the gateway needs {{to}} and {{text}} in its body or url');
  }
  if (config.messageIdPath && !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(config.messageIdPath)) throw invalid(kind, 'messageIdPath is names and indexes joined by dots, e.g. "data.id"');
  // Filled with awkward sample values, the request must still be a valid URL and, for JSON, valid JSON.
  const sample = buildGatewayRequest(config, { to: '6281234567890', text: 'Siaga "1"\n\\ & = ? {{to}}', id: 'n1', apiKey: 'k', apiSecret: 's' });
  httpOrigin(kind, 'url', sample.url, true);
  if (config.method === 'POST' && config.contentType === 'json') {
    try {
      JSON.parse(String(sample.init.body));
    } catch {
      throw invalid(kind, 'body is not JSON once filled in: put each placeholder inside quotes, e.g. {"message":"{{text}}"}');
    }
  }
  return config;
}

function parseWebhook(input: unknown): WebhookChannelConfig {
  const value = checked('webhook', WebhookConfigSchema, input);
  if (value.secret && value.secret.length < 8) throw invalid('webhook', 'secret must be at least 8 characters');
  if (value.alarmUrl && !/^https?:\/\/[^\s/@]+/.test(value.alarmUrl)) throw invalid('webhook', 'alarmUrl must be an http(s) URL without credentials');
  return { secret: value.secret || null, alarmUrl: value.alarmUrl || null, allowPrivateNetwork: value.allowPrivateNetwork };
}

/** Defaults filled in, then the schema's first complaint as "<kind> config: <field> <message>". */
function checked<S extends TSchema>(kind: string, schema: S, input: unknown): Static<S> {
  if (!isRecord(input)) throw invalid(kind, 'the config must be an object');
  const value = Value.Default(schema, structuredClone(input));
  const errors = Value.Errors(schema, value);
  const first = errors.find((e) => e.keyword !== 'boolean') ?? errors[0];
  if (first) {
    const field = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const extra = first.keyword === 'additionalProperties' && isRecord(first.params) && Array.isArray(first.params.additionalProperties) ? `: ${first.params.additionalProperties.join(', ')}` : '';
    const message = first.keyword === 'pattern' ? 'has the wrong form' : first.message;
    throw invalid(kind, `${field || 'config'} ${message}${extra}`);
  }
  return value as Static<S>;
}

/** An http(s) URL without credentials; `origin` without a path for API bases. */
function httpOrigin(kind: string, field: string, text: string, pathAllowed = false): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(kind, `${field} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(kind, `${field} must start with http:// or https://`);
  if (url.username || url.password) throw invalid(kind, `${field} must not carry a user name or password`);
  return pathAllowed ? url.toString() : text.replace(/\/+$/, '');
}

/** A user's text quoted in an error message: one line, short. */
function clip(text: string): string {
  const line = text.replace(/[\x00-\x1f]+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

function invalid(kind: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${kind} config: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
