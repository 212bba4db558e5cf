/**
 * The residents' public routes, no account: early-warning subscriptions (the
 * kecamatan, subscribe, confirm, unsubscribe) and the reporter's stop link (a
 * page first, then its button). Every POST counts against the caller's address
 * with the public report routes' own limiter.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import type { ReporterUpdates } from './reporters.ts';
import * as S from './residents.contract.ts';
import { stopPage } from './stop.page.ts';
import type { SubscriptionsService } from './subscriptions.service.ts';

/** A per-address limiter (the public report routes'): allowed, or exceeded with the wait in ms. */
export type PublicLimiter = (request: FastifyRequest) => Promise<{ isAllowed: boolean; isExceeded?: boolean; ttl?: number }>;

export interface ResidentsRoutesOptions {
  subscriptions: SubscriptionsService;
  reporters: ReporterUpdates;
  /** the region the public site serves */
  region: () => Promise<{ id: string }>;
  limit: PublicLimiter;
}

const errors = { 400: Type.Ref('Error'), 404: Type.Ref('Error'), 429: Type.Ref('Error') };

export const residentsRoutes: FastifyPluginAsyncTypebox<ResidentsRoutesOptions> = async (app, { subscriptions, reporters, region, limit }) => {
  const tags = ['public'];
  const limited = async (request: FastifyRequest) => {
    const r = await limit(request);
    if (!r.isAllowed && r.isExceeded) throw Object.assign(new AppError('RATE_LIMITED', `too many requests; try again in ${Math.ceil((r.ttl ?? 60_000) / 1000)} s`), { statusCode: 429 });
  };
  // The stop page's button posts an empty form.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, _body, done) => done(null, {}));

  app.get('/api/v1/public/warnings/districts', { schema: { tags, summary: 'The kecamatan one may subscribe to early warnings for', security: [], response: { 200: Type.Array(S.District) } } }, async () =>
    subscriptions.listDistricts((await region()).id),
  );

  app.post(
    '/api/v1/public/warnings/subscriptions',
    {
      onRequest: limited,
      schema: {
        tags,
        summary: 'Subscribe to early warnings for a kecamatan (double opt-in): a confirmation code goes to the address',
        description: `The same address on the same kecamatan is one subscription: asking again sends a fresh code (a confirmed one stays as it is, and nothing is sent). An address may have at most a few subscriptions waiting for their code (429 TOO_MANY_PENDING). A number that cannot be a mobile is 400.`,
        security: [],
        body: S.SubscribeBody,
        response: { 202: S.Subscription, 200: S.Subscription, ...errors },
      },
    },
    async (request, reply) => {
      const { districtCode, channel, address, language } = request.body;
      const view = await subscriptions.subscribe((await region()).id, { districtCode, channel, address, language: language ?? 'id' });
      return reply.code(view.state === 'pending' ? 202 : 200).send(view);
    },
  );

  app.post(
    '/api/v1/public/warnings/subscriptions/:id/confirm',
    {
      onRequest: limited,
      schema: { tags, summary: 'Confirm a subscription with the code that reached the address', security: [], params: Type.Object({ id: Type.String({ maxLength: 100 }) }), body: S.ConfirmBody, response: { 200: S.Subscription, ...errors } },
    },
    async (request) => subscriptions.confirm((await region()).id, request.params.id, request.body.code),
  );

  app.get('/api/v1/public/warnings/unsubscribe/:token', { schema: { tags, summary: "What an unsubscribe link is about (the page shows it before its button)", security: [], params: S.TokenParams, response: { 200: S.Subscription, ...errors } } }, async (request) =>
    subscriptions.peekUnsubscribe(request.params.token),
  );
  app.post(
    '/api/v1/public/warnings/unsubscribe/:token',
    { onRequest: limited, schema: { tags, summary: 'Unsubscribe with the link every warning carries: at once (queued warnings are cancelled) and for good', security: [], params: S.TokenParams, response: { 200: S.Subscription, ...errors } } },
    async (request) => subscriptions.unsubscribe(request.params.token),
  );

  app.post(
    '/api/v1/public/reports/stop/:token',
    { onRequest: limited, schema: { tags, summary: "Stop every further message about a report (the reporter's stop link)", security: [], params: S.TokenParams, response: { 200: S.StopResult, ...errors } } },
    async (request) => reporters.stop(request.params.token),
  );

  const lang = (request: FastifyRequest) => ((request.headers['accept-language'] ?? '').toLowerCase().startsWith('en') ? 'en' : 'id');
  const page = (status: number, html: string) => ({ status, html });
  const send = (reply: { code(n: number): { type(t: string): { header(k: string, v: string): { send(b: string): unknown } } } }, p: { status: number; html: string }) =>
    reply.code(p.status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(p.html);
  app.get('/stop/:token', { onRequest: limited, schema: { hide: true, params: S.TokenParams } }, async (request, reply) => {
    try {
      return send(reply, page(200, stopPage(lang(request), { stage: 'confirm', peek: await reporters.peek(request.params.token) })));
    } catch (error) {
      return send(reply, page(error instanceof AppError ? error.status : 500, stopPage(lang(request), { stage: 'error', message: error instanceof AppError ? error.message : 'internal error' })));
    }
  });
  app.post('/stop/:token', { onRequest: limited, schema: { hide: true, params: S.TokenParams } }, async (request, reply) => {
    try {
      return send(reply, page(200, stopPage(lang(request), { stage: 'done', result: await reporters.stop(request.params.token) })));
    } catch (error) {
      return send(reply, page(error instanceof AppError ? error.status : 500, stopPage(lang(request), { stage: 'error', message: error instanceof AppError ? error.message : 'internal error' })));
    }
  });
};
