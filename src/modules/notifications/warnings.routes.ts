/** Public warnings, the operators' side: the drafts of their OPD's Awas alarms, edit, discard, approve and send. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, IdParams } from '../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import * as S from './residents.contract.ts';
import type { WarningsService } from './warnings.service.ts';

export interface WarningsRoutesOptions {
  identity: IdentityService;
  warnings: WarningsService;
}

export const warningsRoutes: FastifyPluginAsyncTypebox<WarningsRoutesOptions> = async (app, { identity, warnings }) => {
  const user = requireUser(identity, ['admin', 'operator']);
  const tags = ['warnings'];
  const responses = { 200: S.Warning, 409: Type.Ref('Error'), ...authErrors };

  app.get(
    '/warnings',
    { preHandler: user, schema: { tags, summary: "Public warnings drafted from Awas alarms, newest first (operators: their OPD's; admins: all)", querystring: S.WarningListQuery, response: { 200: Type.Object({ items: Type.Array(S.Warning) }), ...authErrors } } },
    async (request) => {
      const { state, alarmId, limit } = request.query;
      const states = state?.split(',').map((s) => s.trim()).filter(Boolean);
      return { items: await warnings.list(principalOf(request), { states, alarmId }, limit ?? 100) };
    },
  );
  app.get('/warnings/:id', { preHandler: user, schema: { tags, summary: 'A public warning with who approved it and its delivery counts', params: IdParams, response: { 200: S.Warning, ...authErrors } } }, async (request) =>
    warnings.get(principalOf(request), request.params.id),
  );
  app.patch('/warnings/:id', { preHandler: user, schema: { tags, summary: "Edit a draft's title and text (the alarm's OPD or an admin)", params: IdParams, body: S.WarningEditBody, response: responses } }, async (request) =>
    warnings.edit(principalOf(request), request.params.id, request.body),
  );
  app.post('/warnings/:id/discard', { preHandler: user, schema: { tags, summary: 'Discard a draft: nothing is sent', params: IdParams, response: responses } }, async (request) =>
    warnings.discard(principalOf(request), request.params.id),
  );
  app.post(
    '/warnings/:id/approve',
    {
      preHandler: user,
      schema: {
        tags,
        summary: "Approve and send a draft to its kecamatan's confirmed subscribers (the alarm's OPD or an admin; another OPD's operator is 403)",
        description: 'The warning records who approved it and when; its messages are queued page by page and sent within each provider\'s pace. GET it for the counts.',
        params: IdParams,
        response: responses,
      },
    },
    async (request) => warnings.approve(principalOf(request), request.params.id),
  );
};
