/**
 * The routes that come from outside a session: the acknowledgement link of a
 * message (a page first, so that a link preview in WhatsApp or an email
 * scanner does not acknowledge by opening it; the button does), and the
 * providers' callbacks, each checked by its signature or secret before anything
 * in it is believed.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { verifyTelegramSecret, verifyWhatsAppSignature, whatsAppVerifyChallenge, parseTelegramUpdate, parseWhatsAppWebhook } from './channels/inbound.ts';
import type { ChannelsService } from './channels.service.ts';
import * as S from './notifications.contract.ts';
import type { ResponsesService } from './responses.service.ts';
import { ackPage } from './ack.page.ts';

export interface TelegramReplies {
  /** answers a pressed button (the small notice Telegram shows) */
  answerCallback(regionId: string, callbackId: string, text: string): Promise<void>;
  /** writes to a chat */
  sendText(regionId: string, chatId: string, text: string): Promise<void>;
}

export interface ResponsesRoutesOptions {
  responses: ResponsesService;
  channels: ChannelsService;
  telegram: TelegramReplies;
  log: (message: string, detail: Record<string, unknown>) => void;
}

const CALLBACK_BODY_LIMIT = 256 * 1024;

export const responsesRoutes: FastifyPluginAsyncTypebox<ResponsesRoutesOptions> = async (app, { responses, channels, telegram, log }) => {
  const tags = ['notifications'];
  // Providers sign the bytes they sent: keep them as they came (these routes only).
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: CALLBACK_BODY_LIMIT }, (_request, body, done) => done(null, body));
  // The acknowledgement page's button posts an empty form.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, _body, done) => done(null, {}));

  // A token is 32 characters of a keyed hash: guessing is hopeless, but an address that keeps trying is slowed all the same.
  const perAddress = { rateLimit: { max: 30, timeWindow: 60_000 } };
  app.get('/ack/:token', { config: perAddress, schema: { hide: true, params: S.AckParams } }, async (request, reply) => {
    const lang = (request.headers['accept-language'] ?? '').toLowerCase().startsWith('en') ? 'en' : 'id';
    try {
      const seen = await responses.peek(request.params.token);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('x-robots-tag', 'noindex').send(ackPage(lang, { stage: 'confirm', peek: seen }));
    } catch (error) {
      return reply.code(error instanceof AppError ? error.status : 500).type('text/html; charset=utf-8').send(ackPage(lang, { stage: 'error', message: error instanceof Error ? error.message : String(error) }));
    }
  });
  app.post('/ack/:token', { config: perAddress, schema: { hide: true, params: S.AckParams } }, async (request, reply) => {
    const lang = (request.headers['accept-language'] ?? '').toLowerCase().startsWith('en') ? 'en' : 'id';
    try {
      const done = await responses.acknowledge(request.params.token, 'link');
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(ackPage(lang, { stage: 'done', result: done }));
    } catch (error) {
      return reply.code(error instanceof AppError ? error.status : 500).type('text/html; charset=utf-8').send(ackPage(lang, { stage: 'error', message: error instanceof Error ? error.message : String(error) }));
    }
  });

  app.post('/api/v1/notifications/ack/:token', { config: perAddress, schema: { tags, summary: "Acknowledge an alarm with a message's one-time token (no session: the token is the proof)", security: [], params: S.AckParams, response: { 200: S.AckResult, 404: Type.Ref('Error'), 409: Type.Ref('Error') } } }, async (request) =>
    responses.acknowledge(request.params.token, 'link'),
  );

  app.post('/api/v1/notifications/callbacks/telegram/:regionId', { schema: { tags, summary: "Telegram's webhook (set with the channel's secret token)", security: [], params: S.RegionParams, response: { 200: Type.Object({ ok: Type.Boolean() }), 401: Type.Ref('Error'), 404: Type.Ref('Error') } } }, async (request) => {
    const { regionId } = request.params;
    const settings = await channels.settings(regionId, 'telegram');
    if (!settings) throw new AppError('NOT_FOUND', 'Telegram is not set up for this region');
    if (!verifyTelegramSecret(header(request.headers['x-telegram-bot-api-secret-token']), String(settings.webhookSecret ?? ''))) throw new AppError('UNAUTHENTICATED', 'the secret token does not match');
    for (const event of parseTelegramUpdate(parseJson(request.body))) {
      const answer = await responses.handle(regionId, 'telegram', event);
      if (answer === null) continue;
      // The answer is a courtesy: a failure to send it must not make Telegram send the update again.
      const send = event.kind === 'reply' && event.callbackId ? telegram.answerCallback(regionId, event.callbackId, answer) : telegram.sendText(regionId, event.kind === 'link' ? event.chatId : event.kind === 'reply' ? event.from : '', answer);
      await send.catch((error: unknown) => log('telegram answer failed', { reason: error instanceof Error ? error.message : String(error) }));
    }
    return { ok: true };
  });

  app.get('/api/v1/notifications/callbacks/whatsapp/:regionId', { schema: { tags, summary: "WhatsApp Cloud API's webhook check (hub.challenge)", security: [], params: S.RegionParams,
    querystring: Type.Object({ 'hub.mode': Type.Optional(Type.String()), 'hub.verify_token': Type.Optional(Type.String()), 'hub.challenge': Type.Optional(Type.String()) }),
    response: { 200: { description: 'the hub.challenge, echoed', content: { 'text/plain': { schema: Type.String() } } }, 403: Type.Ref('Error') } } }, async (request, reply) => {
    const settings = await channels.settings(request.params.regionId, 'whatsapp');
    const challenge = settings ? whatsAppVerifyChallenge(request.query, String(settings.verifyToken ?? '')) : null;
    if (challenge === null) throw new AppError('FORBIDDEN', 'the verify token does not match');
    return reply.type('text/plain').send(challenge);
  });
  app.post('/api/v1/notifications/callbacks/whatsapp/:regionId', { schema: { tags, summary: "WhatsApp Cloud API's webhook: delivery receipts and replies (X-Hub-Signature-256)", security: [], params: S.RegionParams, response: { 200: Type.Object({ ok: Type.Boolean() }), 401: Type.Ref('Error'), 404: Type.Ref('Error') } } }, async (request) => {
    const { regionId } = request.params;
    const settings = await channels.settings(regionId, 'whatsapp');
    if (!settings) throw new AppError('NOT_FOUND', 'WhatsApp is not set up for this region');
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (!verifyWhatsAppSignature(raw, header(request.headers['x-hub-signature-256']), String(settings.appSecret ?? ''))) throw new AppError('UNAUTHENTICATED', 'the signature does not match');
    for (const event of parseWhatsAppWebhook(parseJson(raw))) await responses.handle(regionId, 'whatsapp', event);
    return { ok: true };
  });
};

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(body: unknown): unknown {
  if (!Buffer.isBuffer(body)) return null;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}
