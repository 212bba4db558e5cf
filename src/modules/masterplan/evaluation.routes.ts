import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { authErrors, FileResponse, UPLOADED_FILE_TYPES } from '../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import * as S from './collaboration.contract.ts';
import { readUpload } from './uploads.ts';
import type { EvaluationService } from './evaluation.service.ts';

/** Kominfo's yearly evaluation (monev): weights, items, evidence, the impact survey, the index. */
export const evaluationRoutes: FastifyPluginAsyncTypebox<{ evaluation: EvaluationService; identity: IdentityService; maxUploadBytes: number }> = async (app, { evaluation, identity, maxUploadBytes }) => {
  const user = requireUser(identity);
  const tags = ['masterplan'];
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: 10 * 1024 * 1024 }, (_request, body, done) => done(null, body));

  app.get('/evaluation', { preHandler: user, schema: { tags, summary: 'The evaluation index per year (0–5), oldest first', response: { 200: S.IndexByYear, ...authErrors } } }, async (request) =>
    evaluation.evaluationIndexByYear(principalOf(request).regionId),
  );
  app.get('/evaluation/:year', { preHandler: user, schema: { tags, summary: "A year's evaluation: weights, items with evidence, survey, scores, index per year and per dimension", params: S.YearParams, response: { 200: S.Evaluation, ...authErrors } } }, async (request) =>
    evaluation.get(principalOf(request), request.params.year),
  );
  app.put(
    '/evaluation/:year',
    { preHandler: user, schema: { tags, summary: 'Set the weights (admin; they sum to 100) and/or the items with their scores 0–5 (reviewers; the list replaces the year\'s items)', params: S.YearParams, body: S.EvaluationBody, response: { 200: S.Evaluation, ...authErrors } } },
    async (request) => evaluation.put(principalOf(request), request.params.year, request.body),
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
      return reply.code(201).send(await evaluation.addEvidence(principalOf(request), request.params.year, request.params.id, bytes, filename));
    },
  );
  app.get('/evaluation/evidence/:id', { preHandler: user, schema: { tags, summary: 'An evidence file', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 200: FileResponse('the file as uploaded', UPLOADED_FILE_TYPES), ...authErrors } } }, async (request, reply) => {
    const f = await evaluation.evidenceFile(principalOf(request), request.params.id);
    return reply.type(f.contentType).header('content-disposition', `attachment; filename="${f.filename.replace(/"/g, '')}"`).header('x-content-type-options', 'nosniff').send(f.data);
  });
  app.delete('/evaluation/evidence/:id', { preHandler: user, schema: { tags, summary: 'Remove an evidence file (reviewers or its uploader)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 204: Type.Null(), ...authErrors } } }, async (request, reply) => {
    await evaluation.deleteEvidence(principalOf(request), request.params.id);
    return reply.code(204).send(null);
  });
  app.delete('/evaluation/:year/survey/answers', { preHandler: user, schema: { tags, summary: "Clear a year's survey answers (reviewers), e.g. after a wrong import", params: S.YearParams, response: { 200: Type.Object({ deleted: Type.Integer() }), ...authErrors } } }, async (request) => ({
    deleted: await evaluation.clearAnswers(principalOf(request), request.params.year),
  }));
  app.get('/evaluation/:year/survey', { preHandler: user, schema: { tags, summary: 'The impact survey of a year: programs, answers, means per dimension', params: S.YearParams, response: { 200: S.Evaluation.properties.survey, ...authErrors } } }, async (request) =>
    (await evaluation.get(principalOf(request), request.params.year)).survey,
  );
  app.put(
    '/evaluation/:year/survey/programs',
    { preHandler: user, schema: { tags, summary: 'Choose the survey programs: up to three per smart city dimension (reviewers)', params: S.YearParams, body: S.SurveyProgramsBody, response: { 200: S.Evaluation, ...authErrors } } },
    async (request) => evaluation.setSurveyPrograms(principalOf(request), request.params.year, request.body.programs),
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
      const body = request.body as unknown;
      let input: { answers?: { programId: string; score: number; respondent?: string | null }[]; csv?: string };
      if (typeof body === 'string') input = { csv: body };
      else if (body && typeof body === 'object' && (Array.isArray((body as { answers?: unknown }).answers) || typeof (body as { csv?: unknown }).csv === 'string')) {
        const b = body as { answers?: unknown[]; csv?: string };
        if (b.answers && !b.answers.every((a) => a && typeof a === 'object' && typeof (a as { programId?: unknown }).programId === 'string' && typeof (a as { score?: unknown }).score === 'number'))
          throw new AppError('VALIDATION_FAILED', 'each answer is {programId, score 1–5, respondent?}');
        input = b as typeof input;
      } else throw new AppError('VALIDATION_FAILED', 'send {"answers": [{programId, score}]} or CSV');
      return reply.code(201).send(await evaluation.addAnswers(principalOf(request), request.params.year, input));
    },
  );
};
