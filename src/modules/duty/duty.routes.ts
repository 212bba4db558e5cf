import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors } from '../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import * as S from './duty.contract.ts';
import type { DutyService } from './duty.service.ts';
import type { EscalationPoliciesService } from './escalation-policies.service.ts';

export interface DutyRoutesOptions {
  duty: DutyService;
  policies: EscalationPoliciesService;
  identity: IdentityService;
}

/** Duty rosters (jadwal piket), swaps, who is on duty, and escalation policies, under /api/v1. */
export const dutyRoutes: FastifyPluginAsyncTypebox<DutyRoutesOptions> = async (app, { duty, policies, identity }) => {
  const user = requireUser(identity);
  const tags = ['duty'];
  const noContent = { 204: Type.Null(), ...authErrors };

  app.get('/duty/now', { preHandler: user, schema: { tags, summary: 'Who is on duty in every OPD of the region, now or at ?at', querystring: S.AtQuery, response: { 200: S.OnDutyAnswer, ...authErrors } } }, async (request) => {
    const p = principalOf(request);
    const at = request.query.at ?? duty.now();
    const [opds, region] = await Promise.all([duty.onDutyNow(p.regionId, at), identity.getRegion(p.regionId)]);
    return { at, timezone: region.timezone, opds };
  });
  app.get('/opds/:id/duty/now', { preHandler: user, schema: { tags, summary: 'Who is on duty in an OPD, now or at ?at; empty when nobody is', params: S.OpdParams, querystring: S.AtQuery, response: { 200: Type.Array(S.DutyPerson), ...authErrors } } }, async (request) => {
    const p = principalOf(request);
    await identity.assertOpd(p.regionId, request.params.id);
    return duty.onDuty(p.regionId, request.params.id, request.query.at ?? duty.now());
  });
  app.get('/opds/:id/duty/week', { preHandler: user, schema: { tags, summary: "An OPD's week (Senin–Minggu): each day's shifts with swaps applied", params: S.OpdParams, querystring: S.WeekQuery, response: { 200: S.Week, ...authErrors } } }, async (request) =>
    duty.week(principalOf(request), request.params.id, request.query.date),
  );

  app.get('/opds/:id/duty/shifts', { preHandler: user, schema: { tags, summary: "An OPD's weekly shifts", params: S.OpdParams, response: { 200: Type.Array(S.Shift), ...authErrors } } }, async (request) =>
    duty.listShifts(principalOf(request), request.params.id),
  );
  app.post('/opds/:id/duty/shifts', { preHandler: user, schema: { tags, summary: 'Add a weekly shift (admin, or an operator of the OPD)', params: S.OpdParams, body: S.ShiftBody, response: { 201: S.Shift, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await duty.createShift(principalOf(request), request.params.id, request.body)),
  );
  app.patch('/opds/:id/duty/shifts/:shiftId', { preHandler: user, schema: { tags, summary: 'Change a weekly shift', params: S.ShiftParams, body: S.ShiftPatch, response: { 200: S.Shift, ...authErrors } } }, async (request) =>
    duty.updateShift(principalOf(request), request.params.id, request.params.shiftId, request.body),
  );
  app.delete('/opds/:id/duty/shifts/:shiftId', { preHandler: user, schema: { tags, summary: 'Remove a weekly shift', params: S.ShiftParams, response: noContent } }, async (request, reply) => {
    await duty.deleteShift(principalOf(request), request.params.id, request.params.shiftId);
    return reply.code(204).send(null);
  });

  app.get('/opds/:id/duty/swaps', { preHandler: user, schema: { tags, summary: "An OPD's swaps (tukar piket) overlapping ?from–?to", params: S.OpdParams, querystring: S.SwapListQuery, response: { 200: Type.Array(S.Swap), ...authErrors } } }, async (request) =>
    duty.listSwaps(principalOf(request), request.params.id, request.query.from, request.query.to),
  );
  app.post('/opds/:id/duty/swaps', { preHandler: user, schema: { tags, summary: "Record a swap: someone takes another's duty, or is added, for a range", params: S.OpdParams, body: S.SwapBody, response: { 201: S.Swap, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await duty.createSwap(principalOf(request), request.params.id, request.body)),
  );
  app.patch('/opds/:id/duty/swaps/:swapId', { preHandler: user, schema: { tags, summary: 'Change a swap', params: S.SwapParams, body: S.SwapPatch, response: { 200: S.Swap, ...authErrors } } }, async (request) =>
    duty.updateSwap(principalOf(request), request.params.id, request.params.swapId, request.body),
  );
  app.delete('/opds/:id/duty/swaps/:swapId', { preHandler: user, schema: { tags, summary: 'Remove a swap', params: S.SwapParams, response: noContent } }, async (request, reply) => {
    await duty.deleteSwap(principalOf(request), request.params.id, request.params.swapId);
    return reply.code(204).send(null);
  });

  const policyTags = ['escalation'];
  app.get('/opds/:id/escalation-policies', { preHandler: user, schema: { tags: policyTags, summary: "An OPD's escalation policies and the default", params: S.OpdParams, response: { 200: S.PolicyList, ...authErrors } } }, async (request) =>
    policies.list(principalOf(request), request.params.id),
  );
  app.put('/opds/:id/escalation-policies/:severity', { preHandler: user, schema: { tags: policyTags, summary: "Set an OPD's escalation policy for a severity (or any)", params: S.PolicyParams, body: S.PolicyBody, response: { 200: S.Policy, ...authErrors } } }, async (request) =>
    policies.put(principalOf(request), request.params.id, request.params.severity, request.body.levels),
  );
  app.delete('/opds/:id/escalation-policies/:severity', { preHandler: user, schema: { tags: policyTags, summary: 'Remove a policy: the any policy or the default applies again', params: S.PolicyParams, response: noContent } }, async (request, reply) => {
    await policies.remove(principalOf(request), request.params.id, request.params.severity);
    return reply.code(204).send(null);
  });
};
