import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, IdParams } from '../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import { RuleCommand, RuleCommandQuery } from './rule-commands.contract.ts';
import type { RuleCommandsService } from './rule-commands.service.ts';

export const ruleCommandsRoutes: FastifyPluginAsyncTypebox<{ commands: RuleCommandsService; identity: IdentityService }> = async (app, { commands, identity }) => {
  const user = requireUser(identity);
  const tags = ['rules'];
  app.get(
    '/rule-commands',
    { preHandler: user, schema: { tags, summary: 'Commands rules sent or propose (newest first); pending: waiting for an operator to confirm', querystring: RuleCommandQuery, response: { 200: Type.Object({ items: Type.Array(RuleCommand) }), ...authErrors } } },
    async (request) => commands.list(principalOf(request), request.query),
  );
  app.post(
    '/rule-commands/:id/confirm',
    { preHandler: user, schema: { tags, summary: "Send a proposed command (admin, or an operator of the device's OPD)", params: IdParams, response: { 200: RuleCommand, 409: Type.Ref('Error'), ...authErrors } } },
    async (request) => commands.confirm(principalOf(request), request.params.id),
  );
  app.post(
    '/rule-commands/:id/dismiss',
    { preHandler: user, schema: { tags, summary: 'Do not send a proposed command', params: IdParams, response: { 200: RuleCommand, 409: Type.Ref('Error'), ...authErrors } } },
    async (request) => commands.dismiss(principalOf(request), request.params.id),
  );
};
