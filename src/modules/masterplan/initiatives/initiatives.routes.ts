import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors } from '../../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../../identity/index.ts';
import * as S from './initiatives.contract.ts';
import type { InitiativeLinks } from './initiatives.links.ts';
import type { InitiativesService } from './initiatives.service.ts';
import { suggestGroupings } from './initiatives.suggest.ts';

interface InitiativesRoutesOptions { initiatives: InitiativesService; links: InitiativeLinks; identity: IdentityService }

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const conflict = { 409: Type.Ref('Error') };
const ok204 = { 204: Type.Null() };

/** /api/v1/masterplan/initiatives: the master plan's initiatives, their funding trace and yearly realisation. */
export const initiativesRoutes: FastifyPluginAsyncTypebox<InitiativesRoutesOptions> = async (app, { initiatives, links, identity }) => {
  const user = requireUser(identity);
  const tags = ['masterplan'];

  app.get('/initiatives', { preHandler: user, schema: { tags, summary: 'Initiatives per dimension (framework order, then name), each with its linked lines, budget counted once and years; totals per dimension', querystring: S.InitiativeQuery, response: { 200: S.InitiativeList, ...authErrors } } }, async (request) =>
    initiatives.list(principalOf(request), request.query),
  );
  app.get('/initiatives/suggestions', { preHandler: user, schema: { tags, summary: 'For the lines no initiative holds: an initiative to join (same dimension, shared words, same OPD) or a new one named from a group of lines. Suggestions only: accept by linking or creating', querystring: S.SuggestionQuery, response: { 200: S.Suggestions, ...authErrors } } }, async (request) => {
    const p = principalOf(request);
    const [state, rows] = await Promise.all([initiatives.state(p), initiatives.repo.list(p.regionId)]);
    const { limit, ...filter } = request.query;
    return suggestGroupings(state.lines, state.links, rows, (id) => (id ? state.opds.get(id)?.code ?? null : null), { ...filter, limit: limit ?? 100 });
  });
  app.post('/initiatives', { preHandler: user, schema: { tags, summary: 'Add an initiative (an operator: led by their own OPD), optionally with lines linked at 100%', body: S.InitiativeCreate, response: { 201: S.Initiative, ...conflict, ...authErrors } } }, async (request, reply) => {
    const p = principalOf(request);
    return reply.code(201).send(await initiatives.create(p, request.body, { prepare: (row, programIds) => links.prepare(p, row, programIds), apply: (tx, row, lines) => links.linkIn(tx, p, row, lines) }));
  });
  app.put(
    '/initiatives/lines/:programId',
    { preHandler: user, schema: { tags, summary: 'Split a line across initiatives: replaces all its links; shares sum to 100% when more than one ([] unlinks it everywhere)', params: Type.Object({ programId: Type.String({ maxLength: 100 }) }), body: S.SplitBody, response: { 200: S.Split, ...authErrors } } },
    async (request) => links.split(principalOf(request), request.params.programId, request.body.shares),
  );
  app.get('/initiatives/:id', { preHandler: user, schema: { tags, summary: 'An initiative with its funding trace and years', params: IdParams, response: { 200: S.Initiative, ...authErrors } } }, async (request) =>
    initiatives.get(principalOf(request), request.params.id),
  );
  app.patch('/initiatives/:id', { preHandler: user, schema: { tags, summary: 'Change an initiative (its lead OPD or reviewers; only reviewers give it to another OPD)', params: IdParams, body: S.InitiativePatch, response: { 200: S.Initiative, ...authErrors } } }, async (request) =>
    initiatives.update(principalOf(request), request.params.id, request.body),
  );
  app.delete('/initiatives/:id', { preHandler: user, schema: { tags, summary: 'Delete an initiative with its links and years (the lines stay)', params: IdParams, response: { ...ok204, ...authErrors } } }, async (request, reply) => {
    await initiatives.delete(principalOf(request), request.params.id);
    return reply.code(204).send();
  });
  app.post(
    '/initiatives/:id/lines',
    { preHandler: user, schema: { tags, summary: 'Link imported lines (program, kegiatan, sub kegiatan) with a share; a line held by another initiative is refused unless the shares then sum to 100%', params: IdParams, body: S.LinkBody, response: { 200: S.Initiative, ...conflict, ...authErrors } } },
    async (request) => links.link(principalOf(request), request.params.id, request.body.programIds, request.body.share),
  );
  app.delete(
    '/initiatives/:id/lines/:programId',
    { preHandler: user, schema: { tags, summary: 'Unlink a line from the initiative', params: Type.Object({ id: Type.String({ maxLength: 100 }), programId: Type.String({ maxLength: 100 }) }), response: { 200: S.Initiative, ...conflict, ...authErrors } } },
    async (request) => links.unlink(principalOf(request), request.params.id, request.params.programId),
  );
  app.put(
    '/initiatives/:id/years/:year',
    { preHandler: user, schema: { tags, summary: 'Planned and realised money of a year (within the plan\'s period and the initiative\'s timeline): the monev\'s input', params: Type.Object({ id: Type.String({ maxLength: 100 }), year: Type.Integer({ minimum: 2000, maximum: 2100 }) }), body: S.YearBody, response: { 200: S.Initiative, ...authErrors } } },
    async (request) => initiatives.putYear(principalOf(request), request.params.id, request.params.year, request.body),
  );
};
