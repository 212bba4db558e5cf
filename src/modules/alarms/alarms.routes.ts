import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { authErrors, IdParams, PageOf } from '../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import * as S from './alarms.contract.ts';
import type { AlarmsService } from './alarms.service.ts';

export const alarmsRoutes: FastifyPluginAsyncTypebox<{ alarms: AlarmsService; identity: IdentityService }> = async (app, { alarms, identity }) => {
  const user = requireUser(identity);
  const tags = ['alarms'];
  const conflict = { 409: Type.Ref('Error') };

  app.get('/alarms', { preHandler: user, schema: { tags, summary: 'Alarms, newest first, filtered and paged', querystring: S.AlarmListQuery, response: { 200: PageOf(S.Alarm), ...authErrors } } }, async (request) => {
    const { limit, cursor, severity, ...filter } = request.query;
    const severities = severity?.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = severities?.find((s) => !(S.SEVERITIES as readonly string[]).includes(s));
    if (unknown) throw new AppError('QUERY_INVALID', `severity "${unknown}" is not one of ${S.SEVERITIES.join(', ')}`);
    return alarms.list(principalOf(request), { ...filter, severities }, limit ?? 100, cursor);
  });
  app.get('/alarms/:id', { preHandler: user, schema: { tags, summary: 'An alarm and its history', params: IdParams, response: { 200: S.AlarmWithHistory, ...authErrors } } }, async (request) =>
    alarms.get(principalOf(request), request.params.id),
  );
  app.post(
    '/alarms/:id/ack',
    { preHandler: user, schema: { tags, summary: 'Acknowledge: someone is on it', params: IdParams, body: S.NoteBody, response: { 200: S.Alarm, ...conflict, ...authErrors } } },
    async (request) => alarms.acknowledge(principalOf(request), request.params.id, request.body?.note),
  );
  app.post(
    '/alarms/:id/clear',
    { preHandler: user, schema: { tags, summary: 'Clear by hand', params: IdParams, body: S.NoteBody, response: { 200: S.Alarm, ...conflict, ...authErrors } } },
    async (request) => alarms.clear(principalOf(request), request.params.id, request.body?.note),
  );
};
