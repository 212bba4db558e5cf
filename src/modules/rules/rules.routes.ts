import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, IdParams, PageOf } from '../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import * as S from './rules.contract.ts';
import type { RulesService } from './rules.service.ts';

export const rulesRoutes: FastifyPluginAsyncTypebox<{ rules: RulesService; identity: IdentityService }> = async (app, { rules, identity }) => {
  const user = requireUser(identity);
  const tags = ['rules'];
  app.get('/rules', { preHandler: user, schema: { tags, summary: 'Alarm rules', querystring: S.RuleListQuery, response: { 200: PageOf(S.Rule), ...authErrors } } }, async (request) =>
    rules.list(principalOf(request), request.query.limit ?? 100, request.query.cursor),
  );
  app.post('/rules', { preHandler: user, schema: { tags, summary: 'Create a rule', body: S.RuleBody, response: { 201: S.Rule, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await rules.create(principalOf(request), request.body)),
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
