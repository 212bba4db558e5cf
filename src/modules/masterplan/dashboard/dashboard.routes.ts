import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors } from '../../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../../identity/index.ts';
import * as S from './dashboard.contract.ts';
import type { DashboardService } from './dashboard.service.ts';

/** /api/v1/masterplan/dashboard: the leadership dashboard. */
export const dashboardRoutes: FastifyPluginAsyncTypebox<{ dashboard: DashboardService; identity: IdentityService }> = async (app, { dashboard, identity }) => {
  const user = requireUser(identity);
  const tags = ['masterplan'];

  app.get(
    '/dashboard',
    { preHandler: user, schema: { tags, summary: 'Leadership dashboard: initiatives and their budget, programs, quick wins, budget and KPI status per dimension, budget per OPD, the evaluation index over the years', querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }), response: { 200: S.Dashboard, ...authErrors } } },
    async (request) => dashboard.dashboard(principalOf(request), request.query.year),
  );
};
