/**
 * The channels that reach people, and the providers' callbacks: what the rest of
 * the notifications module (outbox, contacts, routes) uses.
 */
export { CHANNEL_KINDS, ChannelError, type Channel, type ChannelKind, type InboundEvent, type OutgoingMessage, type SendResult } from './channel.ts';
export {
  CHANNEL_CONFIG_SCHEMAS,
  EmailConfigSchema,
  SECRET_FIELDS,
  SECRET_MASK,
  SmsGatewayConfigSchema,
  TelegramConfigSchema,
  WebhookConfigSchema,
  WhatsAppConfigSchema,
  createChannel,
  maskConfig,
  parseChannelConfig,
  restoreMaskedSecrets,
  secretFields,
  type ChannelConfigs,
  type WhatsAppConfig,
} from './channel-config.ts';
export { EmailChannel, type EmailConfig } from './email.ts';
export { parseTelegramUpdate, parseWhatsAppWebhook, verifyTelegramSecret, verifyWhatsAppSignature, whatsAppVerifyChallenge } from './inbound.ts';
export { HttpGatewayChannel, type HttpGatewayConfig } from './sms.ts';
export { TELEGRAM_API_BASE, TelegramChannel, telegramAckData, telegramStartLink, type TelegramConfig } from './telegram.ts';
export { WebhookChannel, webhookUrl, type WebhookChannelConfig } from './webhook.ts';
export { WHATSAPP_API_BASE, WHATSAPP_API_VERSION, WhatsAppCloudChannel, type WhatsAppCloudConfig } from './whatsapp.ts';
