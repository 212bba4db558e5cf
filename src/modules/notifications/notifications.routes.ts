import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, IdParams, PageOf } from '../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import type { ChannelsService } from './channels.service.ts';
import type { ContactsService } from './contacts.service.ts';
import type { LogService } from './log.service.ts';
import * as S from './notifications.contract.ts';
import type { NotificationsRepository } from './notifications.repository.ts';
import type { ChannelTester } from './channel-test.ts';

export interface NotificationRoutesOptions {
  identity: IdentityService;
  channels: ChannelsService;
  contacts: ContactsService;
  log: LogService;
  tester: ChannelTester;
  repo: NotificationsRepository;
}

/** The signed-in side: the log, channels and templates (admins), one's own contacts and settings. */
export const notificationsRoutes: FastifyPluginAsyncTypebox<NotificationRoutesOptions> = async (app, { identity, channels, contacts, log, tester, repo }) => {
  const user = requireUser(identity);
  const tags = ['notifications'];
  const NoContent = { 204: Type.Null() };
  // Each code is a message the region pays for: a few an hour from one address is plenty.
  const codes = { rateLimit: { max: 10, timeWindow: 3_600_000 } };

  app.get('/notifications', { preHandler: user, schema: { tags, summary: 'The notification log: every message, its channel and state (admins: all; others: about an alarm or incident they can see, or their own)', querystring: S.NotificationListQuery, response: { 200: PageOf(S.Notification), ...authErrors } } }, async (request) => {
    const { limit, cursor, ...filter } = request.query;
    return log.list(principalOf(request), filter, limit ?? 100, cursor);
  });
  app.get('/notifications/escalations/alarm/:id', { preHandler: user, schema: { tags, summary: "An alarm's escalation: the level told last and when the next is due", params: IdParams, response: { 200: Type.Union([S.Escalation, Type.Null()]), ...authErrors } } }, async (request) => {
    const row = await repo.escalationOf('alarm', request.params.id);
    if (!row || row.region_id !== principalOf(request).regionId) return null;
    return { state: row.state, severity: row.severity, level: row.level, startedAt: Number(row.started_at), nextAt: row.next_at === null ? null : Number(row.next_at) };
  });

  app.get('/notifications/channels', { preHandler: user, schema: { tags, summary: 'The channels and their settings, credentials masked (admin)', response: { 200: Type.Array(S.ChannelView), ...authErrors } } }, async (request) => channels.list(principalOf(request)));
  app.put('/notifications/channels/:kind', { preHandler: user, schema: { tags, summary: 'Set up a channel (admin); credentials are stored encrypted and never answered back', params: S.ChannelParams, body: S.ChannelBody, response: { 200: S.ChannelView, ...authErrors } } }, async (request) =>
    channels.put(principalOf(request), request.params.kind, request.body),
  );
  app.post('/notifications/channels/:kind/test', { preHandler: user, schema: { tags, summary: 'Send a test message through a channel (admin); its state shows in the log', params: S.ChannelParams, body: S.ChannelTestBody, response: { 202: S.Notification, ...authErrors } } }, async (request, reply) =>
    reply.code(202).send(await tester.test(principalOf(request), request.params.kind, request.body.to)),
  );

  app.get('/notifications/templates', { preHandler: user, schema: { tags, summary: 'Every template: per event, channel and language, built-in or changed (admin)', response: { 200: Type.Array(S.Template), ...authErrors } } }, async (request) => log.templates(principalOf(request)));
  app.put('/notifications/templates/:event/:channel/:language', { preHandler: user, schema: { tags, summary: "Change a template (admin); a placeholder the event does not have is refused", params: S.TemplateParams, body: S.TemplateBody, response: { 200: S.Template, ...authErrors } } }, async (request) =>
    log.putTemplate(principalOf(request), request.params, request.body),
  );
  app.delete('/notifications/templates/:event/:channel/:language', { preHandler: user, schema: { tags, summary: 'Back to the built-in template (admin)', params: S.TemplateParams, response: { ...NoContent, ...authErrors } } }, async (request, reply) => {
    await log.resetTemplate(principalOf(request), request.params);
    return reply.code(204).send(null);
  });

  app.get('/me/contacts', { preHandler: user, schema: { tags, summary: 'My contacts, in the order they are tried', response: { 200: Type.Array(S.Contact), ...authErrors } } }, async (request) => contacts.list(principalOf(request)));
  app.post('/me/contacts', { preHandler: user, config: codes, schema: { tags, summary: 'Add (or replace) my contact on a channel: a code is sent to it (Telegram: a link to open)', body: S.ContactBody, response: { 201: S.Contact, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await contacts.add(principalOf(request), request.body)),
  );
  app.post('/me/contacts/:id/verify', { preHandler: user, config: { rateLimit: { max: 30, timeWindow: 3_600_000 } }, schema: { tags, summary: 'Prove a contact mine with the code it got', params: IdParams, body: S.VerifyBody, response: { 200: S.Contact, 429: Type.Ref('Error'), ...authErrors } } }, async (request) =>
    contacts.verify(principalOf(request), request.params.id, request.body.code),
  );
  app.post('/me/contacts/:id/resend', { preHandler: user, config: codes, schema: { tags, summary: 'Send a new code', params: IdParams, response: { 200: S.Contact, ...authErrors } } }, async (request) => contacts.resend(principalOf(request), request.params.id));
  app.delete('/me/contacts/:id', { preHandler: user, schema: { tags, summary: 'Remove a contact', params: IdParams, response: { ...NoContent, ...authErrors } } }, async (request, reply) => {
    await contacts.remove(principalOf(request), request.params.id);
    return reply.code(204).send(null);
  });
  app.put('/me/contacts/order', { preHandler: user, schema: { tags, summary: 'The order in which my channels are tried', body: S.OrderBody, response: { 200: Type.Array(S.Contact), ...authErrors } } }, async (request) =>
    contacts.reorder(principalOf(request), request.body.ids),
  );
  app.get('/me/notification-settings', { preHandler: user, schema: { tags, summary: 'My language and quiet hours', response: { 200: S.Settings, ...authErrors } } }, async (request) => contacts.settings(principalOf(request)));
  app.put('/me/notification-settings', { preHandler: user, schema: { tags, summary: 'Set my language and quiet hours (Awas messages come anyway)', body: S.Settings, response: { 200: S.Settings, ...authErrors } } }, async (request) =>
    contacts.putSettings(principalOf(request), request.body),
  );
};
