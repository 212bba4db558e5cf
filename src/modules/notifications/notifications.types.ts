/**
 * The wire types of notifications: what the API answers and the web app reads.
 * Types only, no runtime code and no imports, so the browser build compiles it
 * as it is; the TypeBox schemas (notifications.schemas.ts) are checked against
 * these types, and the services answer them.
 */

export type ChannelKind = 'email' | 'telegram' | 'whatsapp' | 'sms' | 'webhook';
export type ContactChannel = Exclude<ChannelKind, 'webhook'>;
export type Language = 'id' | 'en';
export type NotificationState = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'suppressed' | 'cancelled';

/** A message of the notification log. */
export interface NotificationView {
  id: string;
  event: string;
  userId: string | null;
  recipientName: string | null;
  channel: string;
  /** admins and the recipient see it whole; others masked (+62812••••678) */
  address: string;
  language: string;
  subject: string;
  state: NotificationState;
  attempts: number;
  error: string | null;
  alarmId: string | null;
  incidentId: string | null;
  escalationLevel: number | null;
  /** a newer message that replaced this one on the person's next channel links back here */
  fallbackOf: string | null;
  acknowledgedFromHere: boolean;
  /** ms since epoch, UTC (as every time below) */
  createdAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  nextAttemptAt: number | null;
}

/** A channel's settings as an admin sees them: credentials "••••" when set, null when not. */
export interface ChannelView {
  kind: ChannelKind;
  enabled: boolean;
  configured: boolean;
  config: Record<string, unknown>;
  updatedAt: number | null;
  /** messages a second the provider takes from this account (broadcasts are paced to it); the default unless set */
  messagesPerSecond: number;
  /** Telegram and WhatsApp: the address to give the provider for its callbacks (setWebhook, Meta's webhook settings) */
  callbackUrl: string | null;
}

export interface TemplateView {
  event: string;
  channel: ChannelKind;
  language: Language;
  subject: string;
  body: string;
  placeholders: readonly string[];
  /** false: the built-in words */
  custom: boolean;
  updatedAt: number | null;
}

export interface Contact {
  id: string;
  channel: ContactChannel;
  /** null for a Telegram account not linked yet */
  address: string | null;
  rank: number;
  verified: boolean;
  verifiedAt: number | null;
  /** Telegram, not linked yet: the link that links it (open it and press Start) */
  telegramLink: string | null;
  /** a code is out and may be typed until then */
  codeExpiresAt: number | null;
}

export interface NotificationSettings {
  language: Language;
  /** "22:00"–"06:00" in the region's time; null: none */
  quietStart: string | null;
  quietEnd: string | null;
}

/** An alarm's escalation: the next level of the policy to tell, and when. */
export interface EscalationView {
  state: 'active' | 'acknowledged' | 'cleared' | 'exhausted';
  severity: string;
  level: number;
  startedAt: number;
  nextAt: number | null;
}
