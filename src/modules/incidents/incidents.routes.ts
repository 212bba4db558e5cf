import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { assertStorableText } from '../../core/input.ts';
import { authErrors, FileResponse, IdParams, PageOf } from '../../core/http-schemas.ts';
import type { ParserPool } from '../../platform/files/index.ts';
import { principalOf, requireRole, requireUser, type IdentityService } from '../identity/index.ts';
import { exportLapor, importLapor } from './incidents.lapor.ts';
import * as S from './incidents.contract.ts';
import { INCIDENT_SEVERITIES, INCIDENT_STATUSES } from './incidents.contract.ts';
import type { IncidentsService } from './incidents.service.ts';

const DAY = 86_400_000;

function list(value: string | undefined, allowed: readonly string[], name: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = items.find((s) => !allowed.includes(s));
  if (unknown) throw new AppError('QUERY_INVALID', `${name} "${unknown}" is not one of ${allowed.join(', ')}`);
  return items;
}

export const incidentsRoutes: FastifyPluginAsyncTypebox<{ incidents: IncidentsService; identity: IdentityService; parsers: ParserPool }> = async (app, { incidents, identity, parsers }) => {
  const user = requireUser(identity);
  const tags = ['incidents'];
  const conflict = { 409: Type.Ref('Error') };

  // SP4N-LAPOR! files come as CSV text, JSON {csv}, or a multipart file upload (these routes only).
  await app.register(fastifyMultipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 5 } });
  app.addContentTypeParser(['text/csv', 'text/plain', 'application/csv'], { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 }, (_request, body, done) => done(null, body));

  app.get('/incident-categories', { preHandler: user, schema: { tags, summary: 'Incident categories (Open311 services) of the region', response: { 200: Type.Array(S.Category), ...authErrors } } }, async (request) =>
    incidents.listCategories(principalOf(request).regionId),
  );
  app.post(
    '/incident-categories',
    { preHandler: user, schema: { tags, summary: 'Create a category (admin)', body: S.CategoryBody, response: { 201: S.Category, ...conflict, ...authErrors } } },
    async (request, reply) => {
      const b = request.body;
      const created = await incidents.createCategory(principalOf(request), {
        code: b.code,
        nameId: b.nameId,
        nameEn: b.nameEn,
        descriptionId: b.descriptionId ?? '',
        descriptionEn: b.descriptionEn ?? '',
        group: b.group,
        opdCode: b.opdCode ?? null,
        defaultSeverity: b.defaultSeverity ?? 'medium',
        keywords: b.keywords ?? [],
        attributes: (b.attributes ?? []) as never,
        ...(b.active !== undefined && { active: b.active }),
        slaRouteDays: b.slaRouteDays ?? null,
        slaFollowUpDays: b.slaFollowUpDays ?? null,
        slaCloseDays: b.slaCloseDays ?? null,
      });
      return reply.code(201).send(created);
    },
  );
  app.patch(
    '/incident-categories/:code',
    { preHandler: user, schema: { tags, summary: 'Change a category (admin)', params: S.CodeParams, body: S.CategoryPatch, response: { 200: S.Category, ...authErrors } } },
    async (request) => incidents.updateCategory(principalOf(request), request.params.code, request.body as never),
  );
  app.delete(
    '/incident-categories/:code',
    { preHandler: user, schema: { tags, summary: 'Delete a category (admin); one with incidents is deactivated', params: S.CodeParams, response: { 204: Type.Null(), ...authErrors } } },
    async (request, reply) => {
      await incidents.deleteCategory(principalOf(request), request.params.code);
      return reply.code(204).send(null);
    },
  );

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
    return reply.code(201).send(await incidents.create(principalOf(request), b as never));
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
  app.get(
    '/incidents/export/lapor',
    { preHandler: user, schema: { tags, summary: 'Export incidents in SP4N-LAPOR! fields as CSV (admin)', querystring: S.ExportQuery, response: { 200: FileResponse('the incidents as CSV, one row each, in SP4N-LAPOR! fields', ['text/csv']), ...authErrors } } },
    async (request, reply) => {
      const p = principalOf(request);
      requireRole(p, 'admin');
      const region = await identity.getRegion(p.regionId);
      const ids = request.query.ids?.split(',').map((s) => s.trim()).filter(Boolean);
      const csv = await exportLapor(incidents, p.regionId, region.timezone, { ids, statuses: list(request.query.status, INCIDENT_STATUSES, 'status') });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="lapor-${region.code.replace(/\W/g, '')}-${new Date(incidents.now()).toISOString().slice(0, 10)}.csv"`)
        .send(csv);
    },
  );
  app.post(
    '/incidents/import/lapor',
    {
      preHandler: user,
      schema: {
        tags,
        summary: 'Import SP4N-LAPOR! reports from CSV (admin): text/csv body, JSON {"csv"} or a multipart file; idempotent on tracking_id',
        response: { 200: S.ImportResult, ...authErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      requireRole(p, 'admin');
      let csv: unknown = request.body;
      if (request.isMultipart()) {
        const file = await request.file();
        try {
          csv = file ? (await file.toBuffer()).toString('utf8') : undefined;
        } catch (error) {
          if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', 'the CSV file is larger than 20 MB');
          throw error;
        }
      } else if (typeof csv === 'object' && csv !== null) csv = (csv as { csv?: unknown }).csv;
      if (typeof csv !== 'string' || csv.trim() === '') throw new AppError('CSV_INVALID', 'send the CSV as text/csv, as JSON {"csv": "..."} or as a multipart file');
      // A multipart file is read here, after the app's preValidation rule: the same rule over its text.
      assertStorableText(csv, 'csv');
      const region = await identity.getRegion(p.regionId);
      return importLapor(incidents, parsers, p.regionId, region.timezone, csv, incidents.now());
    },
  );
  app.get('/incidents/:id', { preHandler: user, schema: { tags, summary: 'An incident with its timeline and suggested duplicates', params: IdParams, response: { 200: S.IncidentDetail, ...authErrors } } }, async (request) =>
    incidents.detail(principalOf(request), request.params.id),
  );
  app.patch(
    '/incidents/:id',
    { preHandler: user, schema: { tags, summary: 'Change the severity', params: IdParams, body: S.IncidentPatch, response: { 200: S.Incident, ...authErrors } } },
    async (request) => incidents.setSeverity(principalOf(request), request.params.id, request.body.severity),
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
