import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors } from '../../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../../identity/index.ts';
import * as S from './plan.contract.ts';
import type { ReadinessService } from './plan.readiness.ts';
import type { PlanService } from './plan.service.ts';

/** /api/v1/masterplan: the framework, the plan, the readiness assessment and its SWOT. */
export const planRoutes: FastifyPluginAsyncTypebox<{ plan: PlanService; readiness: ReadinessService; identity: IdentityService }> = async (app, { plan, readiness, identity }) => {
  const user = requireUser(identity);
  const tags = ['masterplan'];

  app.get('/framework', { preHandler: user, schema: { tags, summary: 'The smart city framework: six dimensions and their elements, readiness elements, horizons, planning documents, the default readiness checklist', response: { 200: S.Framework, ...authErrors } } }, async () =>
    plan.framework(),
  );

  app.get('/plan', { preHandler: user, schema: { tags, summary: 'Title, vision, missions, policy directions and period of the master plan', response: { 200: S.Plan, ...authErrors } } }, async (request) =>
    plan.plan(principalOf(request)),
  );
  app.put('/plan', { preHandler: user, schema: { tags, summary: 'Set the title, vision, missions, policy directions, period and the ministry owning the programme (reviewers)', body: S.PlanBody, response: { 200: S.Plan, ...authErrors } } }, async (request) =>
    plan.put(principalOf(request), request.body),
  );

  app.get(
    '/readiness',
    { preHandler: user, schema: { tags, summary: 'Readiness assessment of a year: checklist scores (0-4), score per element (0-100), target, gap, SWOT', querystring: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }), response: { 200: S.Readiness, ...authErrors } } },
    async (request) => readiness.readiness(principalOf(request), request.query.year),
  );
  app.get(
    '/readiness/compare',
    { preHandler: user, schema: { tags, summary: 'Readiness of several years side by side (e.g. years=2021,2022) and the change per element', querystring: Type.Object({ years: Type.String({ pattern: '^\\d{4}(,\\d{4}){1,9}$' }) }), response: { 200: S.ReadinessCompare, ...authErrors } } },
    async (request) => readiness.compare(principalOf(request), request.query.years.split(',').map(Number)),
  );
  app.put(
    '/readiness/:year',
    { preHandler: user, schema: { tags, summary: 'Save the readiness checklist and SWOT of a year (reviewers); replaces that year', params: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }), body: S.ReadinessBody, response: { 200: S.Readiness, ...authErrors } } },
    async (request) => {
      const p = principalOf(request);
      return readiness.put(p, p.regionId, request.params.year, request.body);
    },
  );
};
