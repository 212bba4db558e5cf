/**
 * The residents' API contract: early-warning subscriptions (public), the
 * reporter's stop link, and public warnings (operators). TypeBox schemas feed
 * validation and the OpenAPI document; the types are shared with the web app,
 * which imports the constants from residents.constants.ts (re-exported here).
 */
import { Type, type Static } from 'typebox';
import { Id } from '../../core/http-schemas.ts';
import { LANGUAGES } from './notifications.contract.ts';
import { RESIDENT_CHANNELS, WARNING_STATES } from './residents.constants.ts';

export * from './residents.constants.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ResidentChannelSchema = Type.Enum(RESIDENT_CHANNELS, { description: 'whatsapp or sms (a mobile number, 08… or +62…), or email' });

export const District = Type.Object({ code: Type.String({ description: 'Kemendagri code of the kecamatan, e.g. 16.05.03' }), name: Type.String() });

export const SubscribeBody = Type.Object({
  /** the kecamatan to be warned about */
  districtCode: Type.String({ minLength: 1, maxLength: 20, description: 'Kemendagri code of the kecamatan (GET /public/warnings/districts)' }),
  channel: ResidentChannelSchema,
  /** the phone number or email address */
  address: Type.String({ minLength: 1, maxLength: 254, description: 'a mobile number for whatsapp and sms (a landline is refused), an email address for email' }),
  /** the language of the messages */
  language: Type.Optional(Type.Enum(LANGUAGES, { description: 'id (default) or en' })),
});

export const Subscription = Type.Object({
  id: Id,
  districtCode: Type.String(),
  districtName: Type.String(),
  channel: ResidentChannelSchema,
  state: Type.Enum(['pending', 'confirmed', 'unsubscribed'] as const, { description: 'pending: a code was sent and waits; confirmed: warnings reach it; unsubscribed: ended for good (a new subscription starts a new double opt-in)' }),
});
/** A resident's early-warning subscription as the public API shows it (never its address). */
export type SubscriptionDto = Static<typeof Subscription>;

export const ConfirmBody = Type.Object({ code: Type.String({ minLength: 4, maxLength: 12, description: 'the six-digit code that reached the address' }) });
export const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) });
export const StopResult = Type.Object({ ticket: Type.String(), stopped: Type.Boolean({ description: 'false: it was stopped already' }) });
/** stop: true when this stopped it, false when it was stopped already; peek: whether it is stopped */
export type StopResult = Static<typeof StopResult>;

export const Warning = Type.Object({
  id: Id,
  alarmId: Type.String(),
  opdId: Nullable(Type.String({ description: "the alarm's OPD: its operators and admins handle the warning" })),
  districtCode: Type.String(),
  districtName: Type.String(),
  severity: Type.String(),
  state: Type.Enum(WARNING_STATES, { description: 'draft (nothing sent), discarded, sending (approved, being queued and sent), sent (every subscriber queued)' }),
  titleId: Type.String(),
  textId: Type.String(),
  titleEn: Type.String(),
  textEn: Type.String(),
  editedBy: Nullable(Type.String()),
  approvedBy: Nullable(Type.String({ description: 'who approved it' })),
  approvedByName: Nullable(Type.String()),
  approvedAt: Nullable(Type.Number({ description: 'ms since epoch, UTC' })),
  discardedBy: Nullable(Type.String()),
  discardedAt: Nullable(Type.Number()),
  queued: Type.Integer({ description: 'messages queued (one per confirmed subscriber of the kecamatan)' }),
  sentAt: Nullable(Type.Number({ description: 'when the last subscriber was queued' })),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  deliveries: Type.Record(Type.String(), Type.Integer(), { description: 'the messages by state (queued, sending, sent, delivered, read, failed, cancelled)' }),
});
/** A public warning as the API shows it. */
export type WarningDto = Static<typeof Warning>;

export const WarningListQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 100, description: 'comma-separated states, e.g. draft or sending,sent' })),
  alarmId: Type.Optional(Type.String({ maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

export const WarningEditBody = Type.Object({
  titleId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'title in Bahasa Indonesia' })),
  textId: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'text in Bahasa Indonesia' })),
  titleEn: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  textEn: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
});
/** A draft's new words: each field given replaces that one. */
export type WarningEdit = Static<typeof WarningEditBody>;
