import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { assertStorableText } from '../../core/input.ts';
import { authErrors } from '../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService, type Principal } from '../identity/index.ts';
import { DOCUMENT_KEYS, type DocumentKey } from './masterplan.framework.ts';
import * as S from './masterplan.contract.ts';
import type { MasterplanService } from './masterplan.service.ts';
import { IMPORT_MAX_BYTES } from './programs.import.ts';

export interface MasterplanRoutesOptions {
  masterplan: MasterplanService;
  identity: IdentityService;
  /** the Kominfo evaluation index per year (MP-DOCS); [] until it exists */
  evaluationIndex?: (regionId: string) => Promise<{ year: number; index: number }[]>;
  /** the initiatives per dimension, how many and their budget (the initiatives service) */
  initiatives: (p: Principal, year: number | undefined) => Promise<{ key: string; initiatives: number; budget: number }[]>;
  /** the quick win records per dimension, those running in the year when one is given (the quick wins service) */
  quickWins: (regionId: string, year: number | undefined) => Promise<{ key: string; quickWins: number }[]>;
}

const MB = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
const tooLarge = () => new AppError('IMPORT_FILE_TOO_LARGE', `the file is larger than ${MB(IMPORT_MAX_BYTES)}`);

/** The file and fields of the import form; the size cap holds while reading, not after. */
async function readImportForm(request: FastifyRequest): Promise<{ bytes: Buffer; filename: string; fields: Record<string, string> }> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the file as multipart/form-data, field "file"');
  const fields: Record<string, string> = {};
  let file: { bytes: Buffer; filename: string } | null = null;
  try {
    for await (const part of request.parts({ limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 10 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          part.file.resume();
          continue;
        }
        const bytes = await part.toBuffer();
        if (part.file.truncated) throw tooLarge();
        file = { bytes, filename: part.filename ?? '' };
      } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw new AppError('VALIDATION_FAILED', 'send one file ("file") and the fields document and year');
    throw error;
  }
  if (!file) throw new AppError('VALIDATION_FAILED', 'send the spreadsheet in the multipart field "file"');
  // Multipart is read here, after the app's preValidation rule: the same rule over its fields and file name.
  assertStorableText({ ...fields, filename: file.filename }, 'body');
  return { ...file, fields };
}

/** /api/v1/masterplan: framework, plan, readiness, programs and their import, KPIs and live metrics, the dashboard. */
export const masterplanRoutes: FastifyPluginAsyncTypebox<MasterplanRoutesOptions> = async (app, { masterplan, identity, evaluationIndex, initiatives, quickWins }) => {
  await app.register(fastifyMultipart, { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 10, parts: 12 } });
  const user = requireUser(identity);
  const tags = ['masterplan'];
  const ok204 = { 204: Type.Null() };

  app.get('/framework', { preHandler: user, schema: { tags, summary: 'The smart city framework: six dimensions and their elements, readiness elements, horizons, planning documents, the default readiness checklist', response: { 200: S.Framework, ...authErrors } } }, async () =>
    masterplan.framework(),
  );

  app.get('/plan', { preHandler: user, schema: { tags, summary: 'Title, vision, missions, policy directions and period of the master plan', response: { 200: S.Plan, ...authErrors } } }, async (request) =>
    masterplan.plan(principalOf(request)),
  );
  app.put('/plan', { preHandler: user, schema: { tags, summary: 'Set the title, vision, missions, policy directions, period and the ministry owning the programme (reviewers)', body: S.PlanBody, response: { 200: S.Plan, ...authErrors } } }, async (request) =>
    masterplan.putPlan(principalOf(request), request.body),
  );

  app.get(
    '/readiness',
    { preHandler: user, schema: { tags, summary: 'Readiness assessment of a year: checklist scores (0-4), score per element (0-100), target, gap, SWOT', querystring: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }), response: { 200: S.Readiness, ...authErrors } } },
    async (request) => masterplan.readiness(principalOf(request), request.query.year),
  );
  app.get(
    '/readiness/compare',
    { preHandler: user, schema: { tags, summary: 'Readiness of several years side by side (e.g. years=2021,2022) and the change per element', querystring: Type.Object({ years: Type.String({ pattern: '^\\d{4}(,\\d{4}){1,9}$' }) }), response: { 200: S.ReadinessCompare, ...authErrors } } },
    async (request) => masterplan.compareReadiness(principalOf(request), request.query.years.split(',').map(Number)),
  );
  app.put(
    '/readiness/:year',
    { preHandler: user, schema: { tags, summary: 'Save the readiness checklist and SWOT of a year (reviewers); replaces that year', params: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }), body: S.ReadinessBody, response: { 200: S.Readiness, ...authErrors } } },
    async (request) => {
      const p = principalOf(request);
      return masterplan.putReadiness(p, p.regionId, request.params.year, request.body);
    },
  );

  app.get('/programs', { preHandler: user, schema: { tags, summary: 'Programs, kegiatan and sub kegiatan from the planning documents, filtered and paged, each with a dimension suggestion', querystring: S.ProgramQuery, response: { 200: Type.Object({ items: Type.Array(S.Program), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...authErrors } } }, async (request) => {
    const { limit, cursor, ...filter } = request.query;
    return masterplan.listPrograms(principalOf(request), filter, limit ?? 100, cursor);
  });
  app.get('/programs/:id', { preHandler: user, schema: { tags, summary: 'A program', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 200: S.Program, ...authErrors } } }, async (request) =>
    masterplan.getProgram(principalOf(request), request.params.id),
  );
  app.post('/programs', { preHandler: user, schema: { tags, summary: 'Add a program by hand (an operator: for their own OPD)', body: S.ProgramCreate, response: { 201: S.Program, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await masterplan.createProgram(principalOf(request), request.body)),
  );
  app.patch(
    '/programs/:id',
    { preHandler: user, schema: { tags, summary: 'Map a program to a dimension/element, mark a quick win, place it on the roadmap, or correct its fields (own OPD or reviewers)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), body: S.ProgramPatch, response: { 200: S.Program, ...authErrors } } },
    async (request) => masterplan.updateProgram(principalOf(request), request.params.id, request.body),
  );
  app.delete('/programs/:id', { preHandler: user, schema: { tags, summary: 'Delete a program and its KPIs (own OPD or reviewers)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { ...ok204, ...authErrors } } }, async (request, reply) => {
    await masterplan.deleteProgram(principalOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.post(
    '/programs/import',
    {
      preHandler: user,
      // A file over the cap is refused from its declared length, before any of it is read.
      onRequest: async (request) => {
        const length = Number(request.headers['content-length'] ?? 0);
        if (length > IMPORT_MAX_BYTES + 256 * 1024) throw tooLarge();
      },
      schema: {
        tags,
        summary: `Preview an import of RPJMD/Renstra/Renja/RKPD rows from CSV or XLSX as SIPD exports them (multipart: file, document, year?): no program is saved, the good rows wait 30 minutes for the confirm; errors per spreadsheet row. Max ${MB(IMPORT_MAX_BYTES)}`,
        consumes: ['multipart/form-data'],
        response: { 200: S.ImportPreview, 413: Type.Ref('Error'), 415: Type.Ref('Error'), 422: Type.Ref('Error'), ...authErrors },
      },
    },
    async (request) => {
      const form = await readImportForm(request);
      const document = (form.fields.document ?? 'RKPD').toUpperCase().replace(/\s+PD$/, '');
      if (!(DOCUMENT_KEYS as readonly string[]).includes(document)) throw new AppError('VALIDATION_FAILED', `document must be one of ${DOCUMENT_KEYS.join(', ')}`);
      let year: number | null = null;
      if (form.fields.year !== undefined && form.fields.year.trim() !== '') {
        year = Number(form.fields.year);
        if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new AppError('VALIDATION_FAILED', 'year must be between 2000 and 2100');
      }
      return masterplan.previewImport(principalOf(request), { bytes: form.bytes, filename: form.filename }, document as DocumentKey, year);
    },
  );
  app.post(
    '/programs/import/:importId/confirm',
    { preHandler: user, schema: { tags, summary: 'Import the good rows of a preview: new rows created, changed rows updated (mapping kept), unchanged rows untouched', params: Type.Object({ importId: Type.String({ maxLength: 100 }) }), response: { 200: S.ImportResult, 409: Type.Ref('Error'), ...authErrors } } },
    async (request) => masterplan.confirmImport(principalOf(request), request.params.importId),
  );

  app.get('/metrics', { preHandler: user, schema: { tags, summary: 'The catalogue of live metrics a KPI can be computed from', response: { 200: Type.Array(S.MetricDef), ...authErrors } } }, async () => masterplan.metrics());
  app.get('/kpis', { preHandler: user, schema: { tags, summary: 'KPIs with their values per year and status (on_track, at_risk, off_track, no_data)', querystring: S.KpiQuery, response: { 200: Type.Array(S.Kpi), ...authErrors } } }, async (request) =>
    masterplan.listKpis(principalOf(request), request.query),
  );
  app.post('/kpis', { preHandler: user, schema: { tags, summary: 'Add a KPI to a program or an element: manual, or computed from a live metric', body: S.KpiCreate, response: { 201: S.Kpi, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await masterplan.createKpi(principalOf(request), request.body)),
  );
  app.post('/kpis/refresh', { preHandler: user, schema: { tags, summary: 'Recompute every live KPI now (the current year)', response: { 200: Type.Object({ refreshed: Type.Integer(), at: Type.Number() }), ...authErrors } } }, async (request) =>
    masterplan.refreshAsUser(principalOf(request)),
  );
  app.get('/kpis/:id', { preHandler: user, schema: { tags, summary: 'A KPI', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 200: S.Kpi, ...authErrors } } }, async (request) =>
    masterplan.getKpi(principalOf(request), request.params.id),
  );
  app.patch('/kpis/:id', { preHandler: user, schema: { tags, summary: 'Change a KPI (own OPD or reviewers)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), body: S.KpiPatch, response: { 200: S.Kpi, ...authErrors } } }, async (request) =>
    masterplan.updateKpi(principalOf(request), request.params.id, request.body),
  );
  app.delete('/kpis/:id', { preHandler: user, schema: { tags, summary: 'Delete a KPI (own OPD or reviewers)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { ...ok204, ...authErrors } } }, async (request, reply) => {
    await masterplan.deleteKpi(principalOf(request), request.params.id);
    return reply.code(204).send();
  });
  app.put(
    '/kpis/:id/values/:year',
    { preHandler: user, schema: { tags, summary: 'Set the target and realisation of a year (a live KPI: only its target)', params: Type.Object({ id: Type.String({ maxLength: 100 }), year: Type.Integer({ minimum: 2000, maximum: 2100 }) }), body: S.KpiValueBody, response: { 200: S.Kpi, ...authErrors } } },
    async (request) => masterplan.putKpiValue(principalOf(request), request.params.id, request.params.year, request.body),
  );

  app.get(
    '/dashboard',
    { preHandler: user, schema: { tags, summary: 'Leadership dashboard: initiatives and their budget, programs, quick wins, budget and KPI status per dimension, budget per OPD, the evaluation index over the years', querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }), response: { 200: S.Dashboard, ...authErrors } } },
    async (request) => masterplan.dashboard(principalOf(request), request.query.year, evaluationIndex ?? (async () => []), initiatives, quickWins),
  );
};
