import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { authErrors, IdParams, PageOf } from '../../core/http-schemas.ts';
import type { ParserPool } from '../../platform/files/index.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import { categoryRoutes } from './incidents.categories.routes.ts';
import { laporRoutes } from './incidents.lapor.routes.ts';
import { list } from './incidents.query.ts';
import * as S from './incidents.contract.ts';
import { INCIDENT_SEVERITIES, INCIDENT_STATUSES } from './incidents.contract.ts';
import type { IncidentsService } from './incidents.service.ts';

const DAY = 86_400_000;

/** A route's options within the incidents plugin: its `app` as the plugin receives it. */
export type IncidentsApp = Parameters<FastifyPluginAsyncTypebox>[0];
export type Guard = ReturnType<typeof requireUser>;

/** /api/v1: the incident inbox and what staff do to incidents; categories and SP4N-LAPOR! files in their own files. */
export const incidentsRoutes: FastifyPluginAsyncTypebox<{ incidents: IncidentsService; identity: IdentityService; parsers: ParserPool }> = async (app, { incidents, identity, parsers }) => {
  const user = requireUser(identity);
  const tags = ['incidents'];
  const conflict = { 409: Type.Ref('Error') };

  // SP4N-LAPOR! files come as CSV text, JSON {csv}, or a multipart file upload (these routes only).
  // As bytes: the parser worker decodes them, so a 20 MB file is neither decoded nor copied on this thread.
  await app.register(fastifyMultipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 5 } });
  app.addContentTypeParser(['text/csv', 'text/plain', 'application/csv'], { parseAs: 'buffer', bodyLimit: 20 * 1024 * 1024 }, (_request, body, done) => done(null, body));

  categoryRoutes(app, { incidents, user });

  app.get(
    '/incidents',
    { preHandler: user, schema: { tags, summary: 'The incident inbox, newest first, filtered and paged', querystring: S.IncidentListQuery, response: { 200: PageOf(S.Incident), ...authErrors } } },
    async (request) => {
      const { limit, cursor, status, severity, ...filter } = request.query;
      return incidents.list(
        principalOf(request),
        { ...filter, statuses: list(status, INCIDENT_STATUSES, 'status'), severities: list(severity, INCIDENT_SEVERITIES, 'severity') },
        limit ?? 100,
        cursor,
      );
    },
  );
  app.post('/incidents', { preHandler: user, schema: { tags, summary: "File an operator's own incident", body: S.IncidentBody, response: { 201: S.Incident, ...authErrors } } }, async (request, reply) => {
    const b = request.body;
    if ((b.lon === undefined) !== (b.lat === undefined)) throw new AppError('VALIDATION_FAILED', 'give both lon and lat, or neither');
    return reply.code(201).send(await incidents.create(principalOf(request), b));
  });
  app.get(
    '/incidents/sla-summary',
    { preHandler: user, schema: { tags, summary: 'SLA overview for leadership: open green/yellow/red, resolved, share within SLA, median time to resolve', querystring: S.SlaSummaryQuery, response: { 200: S.SlaSummary, ...authErrors } } },
    async (request) => {
      const to = request.query.to ?? incidents.now();
      const from = request.query.from ?? to - 30 * DAY;
      if (from > to) throw new AppError('QUERY_INVALID', 'from must not be after to');
      return incidents.slaSummary(principalOf(request), from, to);
    },
  );
  laporRoutes(app, { incidents, identity, parsers, user });
  app.get('/incidents/:id', { preHandler: user, schema: { tags, summary: 'An incident with its timeline and suggested duplicates', params: IdParams, response: { 200: S.IncidentDetail, ...authErrors } } }, async (request) =>
    incidents.detail(principalOf(request), request.params.id),
  );
  app.patch(
    '/incidents/:id',
    { preHandler: user, schema: { tags, summary: 'Change the severity and/or the title', params: IdParams, body: S.IncidentPatch, response: { 200: S.Incident, ...authErrors } } },
    async (request) => incidents.edit(principalOf(request), request.params.id, request.body),
  );
  app.post(
    '/incidents/:id/publication',
    {
      preHandler: user,
      schema: {
        tags,
        summary: 'Moderation: publish (with an edited public title and text, with or without its photo) or keep off the public map and Open311 feed',
        description: "An alarm's incident is published only with a publicText written for residents.",
        params: IdParams,
        body: S.PublicationBody,
        response: { 200: S.Incident, ...authErrors },
      },
    },
    async (request) => incidents.decidePublication(principalOf(request), request.params.id, request.body),
  );
  app.post(
    '/incidents/:id/assign',
    { preHandler: user, schema: { tags, summary: 'Route to an OPD and/or a person of that OPD', params: IdParams, body: S.AssignBody, response: { 200: S.Incident, ...conflict, ...authErrors } } },
    async (request) => incidents.assign(principalOf(request), request.params.id, request.body),
  );
  app.post(
    '/incidents/:id/status',
    { preHandler: user, schema: { tags, summary: 'Change the status (a rejection needs a reason)', params: IdParams, body: S.StatusBody, response: { 200: S.Incident, ...conflict, ...authErrors } } },
    async (request) => incidents.setStatus(principalOf(request), request.params.id, request.body.status, request.body.reason),
  );
  app.post(
    '/incidents/:id/updates',
    { preHandler: user, schema: { tags, summary: 'A public update for the reporter, or an internal note', params: IdParams, body: S.UpdateBody, response: { 201: S.TimelineEntry, ...authErrors } } },
    async (request, reply) => reply.code(201).send(await incidents.addUpdate(principalOf(request), request.params.id, request.body)),
  );
  app.post(
    '/incidents/:id/merge',
    { preHandler: user, schema: { tags, summary: 'Merge this duplicate into another incident; returns the target', params: IdParams, body: S.MergeBody, response: { 200: S.Incident, ...conflict, ...authErrors } } },
    async (request) => incidents.merge(principalOf(request), request.params.id, request.body.intoId),
  );
  app.post(
    '/incidents/:id/erase-reporter',
    { preHandler: user, schema: { tags, summary: "Erase the reporter's personal data (UU PDP 27/2022): admin or the assigned OPD", params: IdParams, response: { 204: Type.Null(), ...authErrors } } },
    async (request, reply) => {
      await incidents.eraseReporter(principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
