import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../../core/errors.ts';
import { authErrors, FileResponse, OPTIONAL_BODY, UPLOADED_FILE_TYPES } from '../../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../../identity/index.ts';
import { readUpload } from '../uploads.ts';
import * as S from './evaluation.contract.ts';
import { ZIP_TYPE, type EvaluationPack } from './evaluation.pack.ts';
import type { EvaluationService } from './evaluation.service.ts';

interface EvaluationRoutesOptions { evaluation: EvaluationService; pack: EvaluationPack; identity: IdentityService }

/** Kominfo's yearly evaluation (monev): weights, items, the Baseline, the pre-fill, evidence, the impact survey, the index, the pack. */
export const evaluationRoutes: FastifyPluginAsyncTypebox<EvaluationRoutesOptions> = async (app, { evaluation, pack, identity }) => {
  const maxUploadBytes = evaluation.evidence.maxUploadBytes;
  await app.register(fastifyMultipart, { limits: { fileSize: maxUploadBytes, files: 1, fields: 10, parts: 11 } });
  const user = requireUser(identity);
  const tags = ['masterplan'];
  const optionalBody = { ...Type.Object({}), [OPTIONAL_BODY]: true };
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: 10 * 1024 * 1024 }, (_request, body, done) => done(null, body));

  app.get('/evaluation', { preHandler: user, schema: { tags, summary: 'The evaluation index per year (0–5), oldest first', response: { 200: S.IndexByYear, ...authErrors } } }, async (request) =>
    evaluation.evaluationIndexByYear(principalOf(request).regionId),
  );
  app.get(
    '/evaluation/:year',
    { preHandler: user, schema: { tags, summary: "A year's evaluation: weights, items with evidence, the Baseline, survey, scores, index per year and per dimension. A year from the current one on, opened empty, is started from the previous evaluation", params: S.YearParams, response: { 200: S.Evaluation, ...authErrors } } },
    async (request) => evaluation.get(principalOf(request), request.params.year),
  );
  app.put(
    '/evaluation/:year',
    { preHandler: user, schema: { tags, summary: "Set the weights (admin; they sum to 100) and/or the items with their scores 0–5 (reviewers; the list replaces the year's items; a pre-filled score changed needs its reason)", params: S.YearParams, body: S.EvaluationBody, response: { 200: S.Evaluation, ...authErrors } } },
    async (request) => evaluation.put(principalOf(request), request.params.year, request.body),
  );
  app.put(
    '/evaluation/:year/baseline',
    { preHandler: user, schema: { tags, summary: 'Set the Baseline by hand with its reason (reviewers); score null returns to the computed one', params: S.YearParams, body: S.BaselineBody, response: { 200: S.Evaluation, ...authErrors } } },
    async (request) => evaluation.setBaseline(principalOf(request), request.params.year, request.body),
  );
  app.post(
    '/evaluation/:year/start',
    { preHandler: user, schema: { tags, summary: 'Start an empty year from the previous evaluation: weights and items copied, Output and Outcome pre-filled (reviewers)', params: S.YearParams, body: optionalBody, response: { 200: S.Evaluation, ...authErrors } } },
    async (request) => {
      const p = principalOf(request);
      await evaluation.start(p, request.params.year);
      return evaluation.compute(p.regionId, request.params.year);
    },
  );
  app.post(
    '/evaluation/:year/prefill',
    { preHandler: user, schema: { tags, summary: 'Compute Output and Outcome from the platform again (reviewers); a score changed by hand keeps its value and reason', params: S.YearParams, body: optionalBody, response: { 200: S.Evaluation, ...authErrors } } },
    async (request) => evaluation.prefill(principalOf(request), request.params.year),
  );
  app.get(
    '/evaluation/:year/pack.zip',
    {
      preHandler: user,
      schema: {
        tags,
        summary: 'The self-assessment pack: the evaluation as DOCX (or PDF), the evidence as CSV and JSON, and the evidence files, in one ZIP',
        params: S.YearParams,
        querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('docx'), Type.Literal('pdf')])) }),
        response: { 200: FileResponse('a ZIP archive', [ZIP_TYPE]), ...authErrors },
      },
    },
    async (request, reply) => {
      const f = await pack.build(principalOf(request), request.params.year, request.query.format ?? 'docx', request.log);
      return reply.type(ZIP_TYPE).header('content-disposition', `attachment; filename="${f.filename}"`).send(f.data);
    },
  );
  app.post(
    '/evaluation/:year/items/:id/evidence',
    {
      preHandler: user,
      schema: {
        tags,
        summary: 'Upload an evidence file for an item (multipart field `file`: PDF, image or Office file, type read from the bytes; 10 MB)',
        consumes: ['multipart/form-data'],
        params: Type.Object({ year: S.YearParams.properties.year, id: Type.String({ maxLength: 100 }) }),
        response: { 201: S.EvidenceFile, 413: Type.Ref('Error'), 415: Type.Ref('Error'), ...authErrors },
      },
    },
    async (request, reply) => {
      const { bytes, filename } = await readUpload(request, 'file', maxUploadBytes);
      return reply.code(201).send(await evaluation.evidence.add(principalOf(request), request.params.year, request.params.id, bytes, filename));
    },
  );
  app.get('/evaluation/evidence/:id', { preHandler: user, schema: { tags, summary: 'An evidence file', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 200: FileResponse('the file as uploaded', UPLOADED_FILE_TYPES), ...authErrors } } }, async (request, reply) => {
    const f = await evaluation.evidence.file(principalOf(request), request.params.id);
    return reply.type(f.contentType).header('content-disposition', `attachment; filename="${f.filename.replace(/"/g, '')}"`).header('x-content-type-options', 'nosniff').send(f.data);
  });
  app.delete('/evaluation/evidence/:id', { preHandler: user, schema: { tags, summary: 'Remove an evidence file (reviewers or its uploader)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 204: Type.Null(), ...authErrors } } }, async (request, reply) => {
    await evaluation.evidence.delete(principalOf(request), request.params.id);
    return reply.code(204).send(null);
  });
  app.delete('/evaluation/:year/survey/answers', { preHandler: user, schema: { tags, summary: "Clear a year's survey answers (reviewers), e.g. after a wrong import", params: S.YearParams, response: { 200: Type.Object({ deleted: Type.Integer() }), ...authErrors } } }, async (request) => ({
    deleted: await evaluation.survey.clearAnswers(principalOf(request), request.params.year),
  }));
  app.get('/evaluation/:year/survey', { preHandler: user, schema: { tags, summary: 'The impact survey of a year: programs (one per element), answers, means per dimension', params: S.YearParams, response: { 200: S.Survey, ...authErrors } } }, async (request) =>
    evaluation.survey.compute(principalOf(request).regionId, request.params.year),
  );
  app.put(
    '/evaluation/:year/survey/programs',
    { preHandler: user, schema: { tags, summary: "Choose the survey programs: one per element of a smart city dimension, each of that dimension (reviewers); the list replaces the year's", params: S.YearParams, body: S.SurveyProgramsBody, response: { 200: S.Evaluation, ...authErrors } } },
    async (request) => {
      const p = principalOf(request);
      await evaluation.survey.setPrograms(p, request.params.year, request.body.programs);
      return evaluation.compute(p.regionId, request.params.year);
    },
  );
  app.post(
    '/evaluation/:year/survey',
    {
      preHandler: user,
      schema: {
        tags,
        summary: "Add citizens' answers (1–5): JSON {answers} entered by an operator, or CSV (text/csv body or JSON {csv}) with program_code, score, respondent; all or nothing",
        params: S.YearParams,
        response: { 201: Type.Object({ added: Type.Integer(), evaluation: S.Evaluation }), 422: Type.Ref('Error'), ...authErrors },
      },
    },
    async (request, reply) => {
      const input = answersInput(request.body);
      const p = principalOf(request);
      const added = await evaluation.survey.addAnswers(p, request.params.year, input);
      return reply.code(201).send({ added, evaluation: await evaluation.compute(p.regionId, request.params.year) });
    },
  );
};

/** The answers' body: CSV text, or JSON with answers or csv (checked by hand: the route takes both content types). */
function answersInput(body: unknown): { answers?: { programId: string; score: number; respondent?: string | null }[]; csv?: string } {
  if (typeof body === 'string') return { csv: body };
  if (body && typeof body === 'object') {
    const b: { answers?: unknown; csv?: unknown } = body;
    if (typeof b.csv === 'string') return { csv: b.csv };
    if (Array.isArray(b.answers)) {
      const answers = b.answers.map((a: unknown) => {
        if (!a || typeof a !== 'object') throw new AppError('VALIDATION_FAILED', 'each answer is {programId, score 1–5, respondent?}');
        const x: { programId?: unknown; score?: unknown; respondent?: unknown } = a;
        if (typeof x.programId !== 'string' || typeof x.score !== 'number') throw new AppError('VALIDATION_FAILED', 'each answer is {programId, score 1–5, respondent?}');
        return { programId: x.programId, score: x.score, respondent: typeof x.respondent === 'string' ? x.respondent : null };
      });
      return { answers };
    }
  }
  throw new AppError('VALIDATION_FAILED', 'send {"answers": [{programId, score}]} or CSV');
}
