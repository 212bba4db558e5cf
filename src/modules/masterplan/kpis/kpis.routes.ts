import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors } from '../../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../../identity/index.ts';
import * as S from './kpis.contract.ts';
import type { KpiRefresh } from './kpis.refresh.ts';
import type { KpisService } from './kpis.service.ts';

/** /api/v1/masterplan: KPIs, their values per year and status, the live metrics' catalogue and their refresh. */
export const kpisRoutes: FastifyPluginAsyncTypebox<{ kpis: KpisService; refresher: KpiRefresh; identity: IdentityService }> = async (app, { kpis, refresher, identity }) => {
  const user = requireUser(identity);
  const tags = ['masterplan'];
  const ok204 = { 204: Type.Null() };

  app.get('/metrics', { preHandler: user, schema: { tags, summary: 'The catalogue of live metrics a KPI can be computed from', response: { 200: Type.Array(S.MetricDef), ...authErrors } } }, async () => kpis.metrics());
  app.get('/kpis', { preHandler: user, schema: { tags, summary: 'KPIs with their values per year and status (on_track, at_risk, off_track, no_data)', querystring: S.KpiQuery, response: { 200: Type.Array(S.Kpi), ...authErrors } } }, async (request) =>
    kpis.list(principalOf(request), request.query),
  );
  app.post('/kpis', { preHandler: user, schema: { tags, summary: 'Add a KPI to a program or an element: manual, or computed from a live metric', body: S.KpiCreate, response: { 201: S.Kpi, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await kpis.create(principalOf(request), request.body)),
  );
  app.post('/kpis/refresh', { preHandler: user, schema: { tags, summary: 'Recompute every live KPI now (the current year)', response: { 200: Type.Object({ refreshed: Type.Integer(), at: Type.Number() }), ...authErrors } } }, async (request) =>
    refresher.refreshAsUser(principalOf(request)),
  );
  app.get('/kpis/:id', { preHandler: user, schema: { tags, summary: 'A KPI', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 200: S.Kpi, ...authErrors } } }, async (request) =>
    kpis.get(principalOf(request), request.params.id),
  );
  app.patch('/kpis/:id', { preHandler: user, schema: { tags, summary: 'Change a KPI (own OPD or reviewers)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), body: S.KpiPatch, response: { 200: S.Kpi, ...authErrors } } }, async (request) =>
    kpis.update(principalOf(request), request.params.id, request.body),
  );
  app.delete('/kpis/:id', { preHandler: user, schema: { tags, summary: 'Delete a KPI (own OPD or reviewers)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { ...ok204, ...authErrors } } }, async (request, reply) => {
    await kpis.delete(principalOf(request), request.params.id);
    return reply.code(204).send();
  });
  app.put(
    '/kpis/:id/values/:year',
    { preHandler: user, schema: { tags, summary: 'Set the target and realisation of a year (a live KPI: only its target)', params: Type.Object({ id: Type.String({ maxLength: 100 }), year: Type.Integer({ minimum: 2000, maximum: 2100 }) }), body: S.KpiValueBody, response: { 200: S.Kpi, ...authErrors } } },
    async (request) => kpis.putValue(principalOf(request), request.params.id, request.params.year, request.body),
  );
};
