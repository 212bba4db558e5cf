/**
 * The notification API's contract: TypeBox schemas (validation and the OpenAPI
 * document) and the wire types derived from them — what the API answers and
 * the web app reads (`import type`).
 */
import { Type, type Static } from 'typebox';
import { Id, PageQuery } from '../../core/http-schemas.ts';

/** The ways of reaching a person. */
export type ChannelKind = 'email' | 'telegram' | 'whatsapp' | 'sms' | 'webhook';
export const CHANNEL_KINDS: readonly ChannelKind[] = ['email', 'telegram', 'whatsapp', 'sms', 'webhook'];
export type Language = 'id' | 'en';
export const LANGUAGES: readonly Language[] = ['id', 'en'];

/** Each event and the placeholders its messages may use. */
export const EVENT_PLACEHOLDERS = {
  /** an alarm opened, or its level rose: the first level of the escalation */
  'alarm.raised': ['what', 'level', 'where', 'value', 'condition', 'trend', 'time', 'opd', 'link', 'ackLink'],
  /** nobody acknowledged: a later level of the escalation */
  'alarm.escalated': ['what', 'level', 'where', 'value', 'condition', 'trend', 'time', 'opd', 'minutes', 'link', 'ackLink'],
  /** the changes of an alarm that went past the hourly limit, summed up once the hour is over */
  'alarm.summary': ['what', 'level', 'where', 'value', 'count', 'time', 'link'],
  /** a citizen report's due time passed */
  'incident.sla_breached': ['ticket', 'title', 'category', 'where', 'due', 'opd', 'minutes', 'link', 'ackLink'],
  /** to a reporter who asked: their report was routed, is being worked on, or resolved */
  'incident.reporter_update': ['ticket', 'status', 'text', 'link', 'stopLink'],
  /** a public early warning, approved by a person, to a kecamatan's subscribers */
  'warning.public': ['title', 'text', 'where', 'time', 'stopLink'],
  /** the code that proves an address is one's own */
  'contact.verify': ['code', 'minutes'],
  /** a resident's subscription to be confirmed (double opt-in) */
  'subscription.confirm': ['code', 'where', 'link'],
  /** an admin's test of a channel */
  'channel.test': ['time', 'channel'],
} as const satisfies Record<string, readonly string[]>;

export type NotificationEvent = keyof typeof EVENT_PLACEHOLDERS;
export const NOTIFICATION_EVENTS = Object.keys(EVENT_PLACEHOLDERS) as NotificationEvent[];

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const literals = <T extends string>(values: readonly T[]) => Type.Enum(values);

export const ChannelKindSchema = literals(CHANNEL_KINDS);
export const ContactChannelSchema = literals(['whatsapp', 'telegram', 'sms', 'email'] as const);
export const LanguageSchema = literals(LANGUAGES);
export const STATES = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'suppressed', 'cancelled'] as const;

export type ContactChannel = Static<typeof ContactChannelSchema>;
export type NotificationState = (typeof STATES)[number];

export const Notification = Type.Object({
  id: Id,
  event: Type.String({ description: `what it is about: ${NOTIFICATION_EVENTS.join(', ')}` }),
  userId: Nullable(Type.String()),
  recipientName: Nullable(Type.String()),
  channel: Type.String(),
  address: Type.String({ description: 'shown in full to admins and to the recipient; masked for others' }),
  language: Type.String(),
  subject: Type.String(),
  state: literals(STATES),
  attempts: Type.Integer(),
  error: Nullable(Type.String({ description: 'why it failed, was held back or retried' })),
  alarmId: Nullable(Type.String()),
  incidentId: Nullable(Type.String()),
  escalationLevel: Nullable(Type.Integer({ description: '0: the first level of the escalation (usually whoever is on duty)' })),
  fallbackOf: Nullable(Type.String({ description: 'the message whose failure this one replaces on the next channel' })),
  acknowledgedFromHere: Type.Boolean(),
  createdAt: Type.Number(),
  sentAt: Nullable(Type.Number()),
  deliveredAt: Nullable(Type.Number()),
  readAt: Nullable(Type.Number()),
  nextAttemptAt: Nullable(Type.Number({ description: 'a queued message goes out then (a retry, quiet hours, the hourly summary)' })),
});
export type Notification = Static<typeof Notification>;
/** A message of the notification log. */
export type NotificationView = Notification;

export const NotificationListQuery = Type.Object({
  ...PageQuery,
  alarmId: Type.Optional(Id),
  incidentId: Type.Optional(Id),
  userId: Type.Optional(Id),
  state: Type.Optional(literals(STATES)),
});

export const ChannelView = Type.Object({
  kind: ChannelKindSchema,
  enabled: Type.Boolean(),
  configured: Type.Boolean(),
  config: Type.Record(Type.String(), Type.Unknown(), { description: 'the settings; a credential is "••••" when set and null when not — never its value' }),
  updatedAt: Nullable(Type.Number()),
  messagesPerSecond: Type.Number({ description: "messages a second the provider takes from this account; broadcasts are paced to it" }),
  callbackUrl: Nullable(Type.String({ description: 'Telegram and WhatsApp: the address to give the provider for its callbacks' })),
});
export type ChannelView = Static<typeof ChannelView>;

export const ChannelBody = Type.Object({
  enabled: Type.Boolean(),
  messagesPerSecond: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1000, description: "the provider's rate limit for this account (messages a second); null: the default for the kind" }))),
  config: Type.Record(Type.String(), Type.Unknown(), { description: 'the kind\'s settings; a credential left out, null or "••••" keeps the stored one' }),
});
export const ChannelParams = Type.Object({ kind: ChannelKindSchema });
export const ChannelTestBody = Type.Object({ to: Type.String({ minLength: 1, maxLength: 500, description: 'an address of that channel: +62…, an email, a Telegram chat id, a URL' }) });

export const Template = Type.Object({
  event: literals(NOTIFICATION_EVENTS),
  channel: ChannelKindSchema,
  language: LanguageSchema,
  subject: Type.String(),
  body: Type.String(),
  placeholders: Type.Array(Type.String()),
  custom: Type.Boolean({ description: 'false: the built-in words' }),
  updatedAt: Nullable(Type.Number()),
});
export type TemplateView = Static<typeof Template>;
export const TemplateParams = Type.Object({ event: Type.String({ maxLength: 60 }), channel: Type.String({ maxLength: 20 }), language: Type.String({ maxLength: 5 }) });
export const TemplateBody = Type.Object({
  subject: Type.String({ minLength: 1, maxLength: 300, description: 'email subject; placeholders as {{name}}' }),
  body: Type.String({ minLength: 1, maxLength: 4000, description: 'the text; placeholders as {{name}}, only those of the event' }),
});

export const Contact = Type.Object({
  id: Id,
  channel: ContactChannelSchema,
  address: Nullable(Type.String()),
  rank: Type.Integer({ description: 'the order in which channels are tried, 1 first' }),
  verified: Type.Boolean(),
  verifiedAt: Nullable(Type.Number()),
  telegramLink: Nullable(Type.String({ description: 'Telegram, just added: open this link and press Start to link the account' })),
  codeExpiresAt: Nullable(Type.Number()),
});
export type Contact = Static<typeof Contact>;
export const ContactBody = Type.Object({
  channel: ContactChannelSchema,
  address: Type.Optional(Type.String({ maxLength: 254, description: 'a mobile number (0812…, +62812…) or an email; none for Telegram' })),
});
export const VerifyBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 12 }) });
export const OrderBody = Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: 10 }) });

export const Settings = Type.Object({
  language: LanguageSchema,
  quietStart: Nullable(Type.String({ maxLength: 5, description: 'start of quiet hours, e.g. 22:00 (region time); Awas messages come anyway' })),
  quietEnd: Nullable(Type.String({ maxLength: 5, description: 'end of quiet hours, e.g. 06:00' })),
});
export type NotificationSettings = Static<typeof Settings>;

export const AckParams = Type.Object({ token: Type.String({ maxLength: 100 }) });
export const AckResult = Type.Object({
  result: literals(['acknowledged', 'already', 'cleared'] as const),
  incident: Type.Optional(Nullable(Type.Object({ id: Type.String(), ticket: Type.String(), title: Type.String() }))),
  alarm: Nullable(
    Type.Object({ id: Type.String(), type: Type.String(), severity: Type.String(), acknowledgedBy: Nullable(Type.String()), acknowledgedAt: Nullable(Type.Number()), clearedAt: Nullable(Type.Number()) }),
  ),
});

/** What acknowledging by a message's one-time token answers: acknowledged now; already (by someone, perhaps through another message); cleared (nothing left to acknowledge); with a late citizen report's escalation, taken by the person. */
export type AckResult = Static<typeof AckResult>;

export const Escalation = Type.Object({
  state: literals(['active', 'acknowledged', 'cleared', 'exhausted'] as const),
  severity: Type.String(),
  level: Type.Integer({ description: 'the next level of the policy to tell' }),
  startedAt: Type.Number(),
  nextAt: Nullable(Type.Number()),
});
/** An alarm's escalation: the next level of the policy to tell, and when. */
export type EscalationView = Static<typeof Escalation>;
export const RegionParams = Type.Object({ regionId: Id });

