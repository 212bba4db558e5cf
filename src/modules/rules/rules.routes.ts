import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, IdParams, PageOf } from '../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import * as S from './rules.contract.ts';
import type { RulesPreview } from './rules.preview.ts';
import type { RulesService } from './rules.service.ts';

export const rulesRoutes: FastifyPluginAsyncTypebox<{ rules: RulesService; preview: RulesPreview; identity: IdentityService }> = async (app, { rules, preview, identity }) => {
  const user = requireUser(identity);
  const tags = ['rules'];
  app.get('/rules', { preHandler: user, schema: { tags, summary: 'Alarm rules', querystring: S.RuleListQuery, response: { 200: PageOf(S.Rule), ...authErrors } } }, async (request) =>
    rules.list(principalOf(request), request.query.limit ?? 100, request.query.cursor),
  );
  app.post('/rules', { preHandler: user, schema: { tags, summary: 'Create a rule', body: S.RuleBody, response: { 201: S.Rule, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await rules.create(principalOf(request), request.body)),
  );
  app.post(
    '/rules/preview',
    {
      preHandler: user,
      schema: {
        tags,
        summary: 'How often a rule would have fired over the last days of data',
        description:
          'Checks the rule as on saving (not its actions) and plays the stored telemetry of the devices it targets through it, as the engine would have, starting with no alarm open. Reads at most 200 000 points, 500 devices and 3 s; `stoppedBy` says when a bound cut it short (the counts then cover the devices read whole). Nothing is saved or sent.',
        body: S.RulePreviewBody,
        response: { 200: S.RulePreview, ...authErrors },
      },
    },
    async (request) => preview.preview(principalOf(request), request.body),
  );
  app.get('/rules/:id', { preHandler: user, schema: { tags, params: IdParams, response: { 200: S.Rule, ...authErrors } } }, async (request) => rules.get(principalOf(request), request.params.id));
  app.patch('/rules/:id', { preHandler: user, schema: { tags, params: IdParams, body: S.RulePatch, response: { 200: S.Rule, ...authErrors } } }, async (request) =>
    rules.update(principalOf(request), request.params.id, request.body),
  );
  app.delete('/rules/:id', { preHandler: user, schema: { tags, params: IdParams, response: { 204: Type.Null(), ...authErrors } } }, async (request, reply) => {
    await rules.delete(principalOf(request), request.params.id);
    return reply.code(204).send(null);
  });
};
