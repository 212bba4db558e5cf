import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors } from '../../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../../identity/index.ts';
import * as S from './records.contract.ts';
import type { RecordsService } from './records.service.ts';

interface RecordsRoutesOptions { records: RecordsService; identity: IdentityService }

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

/** /api/v1/masterplan/records: the master plan's records (Buku I and II material); everyone signed in reads, reviewers change. */
export const recordsRoutes: FastifyPluginAsyncTypebox<RecordsRoutesOptions> = async (app, { records, identity }) => {
  const user = requireUser(identity);
  const tags = ['masterplan'];
  const answer = { 200: S.Records, ...authErrors };

  app.get('/records', { preHandler: user, schema: { tags, summary: 'Every record of the plan: regional profile, strategic issues, ICT inventory with the platform\'s live count, strategies, goals, development plans, adoption status, appendices', response: answer } }, async (request) =>
    records.view(principalOf(request).regionId),
  );
  app.put('/records/profile/:key', { preHandler: user, schema: { tags, summary: 'Set a value of the regional profile with its year and source (reviewers)', params: Type.Object({ key: S.ProfileKey }), body: S.ProfileValueBody, response: answer } }, async (request) =>
    records.putProfile(principalOf(request), request.params.key, request.body),
  );
  app.delete('/records/profile/:key', { preHandler: user, schema: { tags, summary: 'Clear a value of the regional profile (reviewers)', params: Type.Object({ key: S.ProfileKey }), response: { 204: Type.Null(), ...authErrors } } }, async (request, reply) => {
    await records.deleteProfile(principalOf(request), request.params.key);
    return reply.code(204).send(null);
  });
  app.put('/records/adoption', { preHandler: user, schema: { tags, summary: 'The plan\'s adoption status: draft, adopted by a Perbup (number and date), integrated into the RPJMD (reviewers)', body: S.AdoptionBody, response: answer } }, async (request) =>
    records.putAdoption(principalOf(request), request.body),
  );

  // Each list: add, change (each answers the whole records: the screen redraws from them), delete.
  app.post('/records/issues', { preHandler: user, schema: { tags, summary: 'Add a strategic issue of a dimension (reviewers)', body: S.IssueBody, response: { 201: S.Records, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await records.create(principalOf(request), 'issues', request.body)),
  );
  app.patch('/records/issues/:id', { preHandler: user, schema: { tags, summary: 'Change a strategic issue of a dimension (reviewers)', params: IdParams, body: S.IssuePatch, response: answer } }, async (request) =>
    records.update(principalOf(request), 'issues', request.params.id, request.body),
  );
  app.post('/records/ict', { preHandler: user, schema: { tags, summary: 'Add an existing ICT entry (application, network, data centre, command center) (reviewers)', body: S.IctBody, response: { 201: S.Records, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await records.create(principalOf(request), 'ict', request.body)),
  );
  app.patch('/records/ict/:id', { preHandler: user, schema: { tags, summary: 'Change an existing ICT entry (application, network, data centre, command center) (reviewers)', params: IdParams, body: S.IctPatch, response: answer } }, async (request) =>
    records.update(principalOf(request), 'ict', request.params.id, request.body),
  );
  app.post('/records/strategies', { preHandler: user, schema: { tags, summary: 'Add a strategy drawn from the SWOT (SO, ST, WO or WT) (reviewers)', body: S.StrategyBody, response: { 201: S.Records, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await records.create(principalOf(request), 'strategies', request.body)),
  );
  app.patch('/records/strategies/:id', { preHandler: user, schema: { tags, summary: 'Change a strategy drawn from the SWOT (SO, ST, WO or WT) (reviewers)', params: IdParams, body: S.StrategyPatch, response: answer } }, async (request) =>
    records.update(principalOf(request), 'strategies', request.params.id, request.body),
  );
  app.post('/records/goals', { preHandler: user, schema: { tags, summary: 'Add a goal of a dimension (reviewers)', body: S.GoalBody, response: { 201: S.Records, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await records.create(principalOf(request), 'goals', request.body)),
  );
  app.patch('/records/goals/:id', { preHandler: user, schema: { tags, summary: 'Change a goal of a dimension (reviewers)', params: IdParams, body: S.GoalPatch, response: answer } }, async (request) =>
    records.update(principalOf(request), 'goals', request.params.id, request.body),
  );
  app.post('/records/development', { preHandler: user, schema: { tags, summary: 'Add a development plan (regulation, institutions, people, infrastructure) in a year of the plan\'s period (reviewers)', body: S.DevelopmentBody, response: { 201: S.Records, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await records.create(principalOf(request), 'development', request.body)),
  );
  app.patch('/records/development/:id', { preHandler: user, schema: { tags, summary: 'Change a development plan (regulation, institutions, people, infrastructure) in a year of the plan\'s period (reviewers)', params: IdParams, body: S.DevelopmentPatch, response: answer } }, async (request) =>
    records.update(principalOf(request), 'development', request.params.id, request.body),
  );
  app.post('/records/appendices', { preHandler: user, schema: { tags, summary: 'Add an appendix (SK, FGD minutes, commitment sheet), optionally linked to the uploaded scan of a commitment sheet (reviewers)', body: S.AppendixBody, response: { 201: S.Records, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await records.create(principalOf(request), 'appendices', request.body)),
  );
  app.patch('/records/appendices/:id', { preHandler: user, schema: { tags, summary: 'Change an appendix (SK, FGD minutes, commitment sheet), optionally linked to the uploaded scan of a commitment sheet (reviewers)', params: IdParams, body: S.AppendixPatch, response: answer } }, async (request) =>
    records.update(principalOf(request), 'appendices', request.params.id, request.body),
  );
  for (const name of ['issues', 'ict', 'strategies', 'goals', 'development', 'appendices'] as const) {
    app.delete(`/records/${name}/:id`, { preHandler: user, schema: { tags, summary: `Delete an entry of ${name} (reviewers)`, params: IdParams, response: { 204: Type.Null(), ...authErrors } } }, async (request, reply) => {
      await records.delete(principalOf(request), name, request.params.id);
      return reply.code(204).send(null);
    });
  }
};
