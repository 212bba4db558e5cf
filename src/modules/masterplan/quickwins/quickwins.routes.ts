import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors } from '../../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../../identity/index.ts';
import * as S from './quickwins.contract.ts';
import type { RoadmapService } from './quickwins.roadmap.ts';
import type { QuickWinsService } from './quickwins.service.ts';

interface QuickWinsRoutesOptions { quickwins: QuickWinsService; roadmap: RoadmapService; identity: IdentityService }

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const ok204 = { 204: Type.Null() };

/** /api/v1/masterplan/quickwins and /roadmap: quick wins as records, and the roadmap per dimension × year. */
export const quickwinsRoutes: FastifyPluginAsyncTypebox<QuickWinsRoutesOptions> = async (app, { quickwins, roadmap, identity }) => {
  const user = requireUser(identity);
  const tags = ['masterplan'];

  app.get('/quickwins', { preHandler: user, schema: { tags, summary: 'Quick wins per dimension (framework order, then schedule), with totals of cost per dimension and counts per status', querystring: S.QuickWinQuery, response: { 200: S.QuickWinList, ...authErrors } } }, async (request) =>
    quickwins.list(principalOf(request), request.query),
  );
  app.post('/quickwins', { preHandler: user, schema: { tags, summary: 'Add a quick win: a dimension, a 6-12-month schedule within the plan\'s period (an operator: led by their own OPD)', body: S.QuickWinCreate, response: { 201: S.QuickWin, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await quickwins.create(principalOf(request), request.body)),
  );
  app.get('/quickwins/:id', { preHandler: user, schema: { tags, summary: 'A quick win', params: IdParams, response: { 200: S.QuickWin, ...authErrors } } }, async (request) =>
    quickwins.get(principalOf(request), request.params.id),
  );
  app.patch('/quickwins/:id', { preHandler: user, schema: { tags, summary: 'Change a quick win (its lead OPD or reviewers; only reviewers give it to another OPD)', params: IdParams, body: S.QuickWinPatch, response: { 200: S.QuickWin, ...authErrors } } }, async (request) =>
    quickwins.update(principalOf(request), request.params.id, request.body),
  );
  app.delete('/quickwins/:id', { preHandler: user, schema: { tags, summary: 'Delete a quick win', params: IdParams, response: { ...ok204, ...authErrors } } }, async (request, reply) => {
    await quickwins.delete(principalOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.get('/roadmap', { preHandler: user, schema: { tags, summary: 'The roadmap: per dimension and year of the plan\'s period, the initiatives running (their timeline), the quick wins (their schedule) and the milestones', response: { 200: S.Roadmap, ...authErrors } } }, async (request) =>
    roadmap.matrix(principalOf(request).regionId),
  );
  app.post('/roadmap/milestones', { preHandler: user, schema: { tags, summary: 'Add a milestone to a dimension and year of the plan\'s period (reviewers)', body: S.MilestoneCreate, response: { 201: S.Milestone, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await roadmap.createMilestone(principalOf(request), request.body)),
  );
  app.patch('/roadmap/milestones/:id', { preHandler: user, schema: { tags, summary: 'Change a milestone (reviewers)', params: IdParams, body: S.MilestonePatch, response: { 200: S.Milestone, ...authErrors } } }, async (request) =>
    roadmap.updateMilestone(principalOf(request), request.params.id, request.body),
  );
  app.delete('/roadmap/milestones/:id', { preHandler: user, schema: { tags, summary: 'Delete a milestone (reviewers)', params: IdParams, response: { ...ok204, ...authErrors } } }, async (request, reply) => {
    await roadmap.deleteMilestone(principalOf(request), request.params.id);
    return reply.code(204).send();
  });
};
