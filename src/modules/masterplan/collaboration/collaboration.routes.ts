import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, FileResponse, OPTIONAL_BODY, UPLOADED_FILE_TYPES } from '../../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../../identity/index.ts';
import * as S from './collaboration.contract.ts';
import { readUpload } from '../uploads.ts';
import type { Discussion } from './collaboration.discussion.ts';
import type { ReviewFlow } from './collaboration.review.ts';
import type { CollaborationService } from './collaboration.service.ts';
import { exportRoutes } from '../documents/export.routes.ts';
import type { ExportService } from '../documents/export.service.ts';

interface MasterplanDocsRoutesOptions {
  collaboration: CollaborationService;
  discussion: Discussion;
  review: ReviewFlow;
  exporter: ExportService;
  identity: IdentityService;
}

/** /api/v1/masterplan: collaboration and the document export (the evaluation's routes are evaluation/evaluation.routes.ts). */
export const masterplanDocsRoutes: FastifyPluginAsyncTypebox<MasterplanDocsRoutesOptions> = async (app, opts) => {
  const { collaboration, discussion, review, identity } = opts;
  await app.register(fastifyMultipart, { limits: { fileSize: collaboration.maxUploadBytes, files: 1, fields: 10, parts: 11 } });
  const user = requireUser(identity);
  const tags = ['masterplan'];
  const conflict = { 409: Type.Ref('Error') };
  const upload = { 413: Type.Ref('Error'), 415: Type.Ref('Error') };

  app.get('/me', { preHandler: user, schema: { tags, summary: 'Where the logged-in user stands in the master plan work (reviewer, council or team member)', response: { 200: S.Standing, ...authErrors } } }, async (request) =>
    collaboration.standing(principalOf(request)),
  );

  // ---- members ----
  app.get('/members', { preHandler: user, schema: { tags, summary: 'The Dewan Smart City (council) and the Tim Pelaksana (team)', response: { 200: Type.Array(S.Member), ...authErrors } } }, async (request) =>
    collaboration.listMembers(principalOf(request)),
  );
  app.put('/members', { preHandler: user, schema: { tags, summary: 'Set the council and the team (admin); replaces the list', body: S.MembersBody, response: { 200: Type.Array(S.Member), ...authErrors } } }, async (request) =>
    collaboration.setMembers(principalOf(request), request.body.members),
  );

  // ---- FGD / bimtek sessions ----
  app.get('/sessions', { preHandler: user, schema: { tags, summary: 'FGD / bimtek sessions (rounds 1–4)', response: { 200: Type.Array(S.Session), ...authErrors } } }, async (request) =>
    discussion.listSessions(principalOf(request)),
  );
  app.post('/sessions', { preHandler: user, schema: { tags, summary: 'Record an FGD / bimtek session (reviewers)', body: S.SessionBody, response: { 201: S.Session, ...authErrors } } }, async (request, reply) => {
    const b = request.body;
    const created = await discussion.createSession(principalOf(request), { round: b.round, date: b.date, title: b.title, place: b.place ?? '', participants: b.participants ?? [], notes: b.notes ?? '', decisions: b.decisions ?? [] });
    return reply.code(201).send(created);
  });
  app.get('/sessions/:id', { preHandler: user, schema: { tags, summary: 'One FGD session', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 200: S.Session, ...authErrors } } }, async (request) =>
    discussion.getSession(principalOf(request), request.params.id),
  );
  app.patch('/sessions/:id', { preHandler: user, schema: { tags, summary: 'Change an FGD session (reviewers)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), body: S.SessionPatch, response: { 200: S.Session, ...authErrors } } }, async (request) =>
    discussion.updateSession(principalOf(request), request.params.id, request.body),
  );
  app.delete('/sessions/:id', { preHandler: user, schema: { tags, summary: 'Delete an FGD session (reviewers)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 204: Type.Null(), ...authErrors } } }, async (request, reply) => {
    await discussion.deleteSession(principalOf(request), request.params.id);
    return reply.code(204).send(null);
  });

  // ---- comments ----
  app.get('/comments', { preHandler: user, schema: { tags, summary: 'Comments on a program or a section of the plan, oldest first', querystring: S.CommentQuery, response: { 200: Type.Array(S.Comment), ...authErrors } } }, async (request) =>
    discussion.listComments(principalOf(request), request.query),
  );
  app.post('/comments', { preHandler: user, schema: { tags, summary: 'Comment on a program (programId) or on a section of the plan (section)', body: S.CommentBody, response: { 201: S.Comment, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await discussion.addComment(principalOf(request), request.body)),
  );
  app.patch('/comments/:id', { preHandler: user, schema: { tags, summary: 'Edit your own comment', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), body: S.CommentPatch, response: { 200: S.Comment, ...authErrors } } }, async (request) =>
    discussion.editComment(principalOf(request), request.params.id, request.body.body),
  );
  app.delete('/comments/:id', { preHandler: user, schema: { tags, summary: 'Delete your own comment (or any, admin)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 204: Type.Null(), ...authErrors } } }, async (request, reply) => {
    await discussion.deleteComment(principalOf(request), request.params.id);
    return reply.code(204).send(null);
  });

  // ---- review flow ----
  const ProgramParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
  const optionalBody = { ...Type.Object({}), [OPTIONAL_BODY]: true };
  app.post('/programs/:id/submit', { preHandler: user, schema: { tags, summary: "Submit a program for review (its own OPD): draft or returned → submitted", params: ProgramParams, body: optionalBody, response: { 200: S.ReviewResult, ...conflict, ...authErrors } } }, async (request) =>
    review.submit(principalOf(request), request.params.id),
  );
  app.post('/programs/:id/approve', { preHandler: user, schema: { tags, summary: 'Approve a submitted program (admins, BAPPEDA/DISKOMINFO, Tim Pelaksana)', params: ProgramParams, body: optionalBody, response: { 200: S.ReviewResult, ...conflict, ...authErrors } } }, async (request) =>
    review.approve(principalOf(request), request.params.id),
  );
  app.post('/programs/:id/return', { preHandler: user, schema: { tags, summary: 'Return a program to its OPD with a reason (reviewers)', params: ProgramParams, body: S.ReturnBody, response: { 200: S.ReviewResult, ...conflict, ...authErrors } } }, async (request) =>
    review.returnProgram(principalOf(request), request.params.id, request.body.reason),
  );

  // ---- commitment sheets ----
  app.get('/commitments', { preHandler: user, schema: { tags, summary: 'Commitment sheets of the Bupati and the OPD heads', response: { 200: Type.Array(S.Commitment), ...authErrors } } }, async (request) =>
    collaboration.listCommitments(principalOf(request)),
  );
  app.post('/commitments', { preHandler: user, schema: { tags, summary: 'Record a commitment sheet (reviewers); opdId null for the Bupati', body: S.CommitmentBody, response: { 201: S.Commitment, ...authErrors } } }, async (request, reply) => {
    const b = request.body;
    return reply.code(201).send(await collaboration.createCommitment(principalOf(request), { signerName: b.signerName, position: b.position, opdId: b.opdId ?? null, signedAt: b.signedAt, note: b.note ?? '' }));
  });
  app.delete('/commitments/:id', { preHandler: user, schema: { tags, summary: 'Delete a commitment sheet (reviewers)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 204: Type.Null(), ...authErrors } } }, async (request, reply) => {
    await collaboration.deleteCommitment(principalOf(request), request.params.id);
    return reply.code(204).send(null);
  });
  app.post(
    '/commitments/:id/file',
    {
      preHandler: user,
      schema: { tags, summary: 'Upload the scanned sheet (multipart field `file`: PDF, JPEG, PNG; type read from the bytes; 10 MB)', consumes: ['multipart/form-data'], params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 200: S.Commitment, ...upload, ...authErrors } },
    },
    async (request) => {
      const { bytes } = await readUpload(request, 'file', collaboration.maxUploadBytes);
      return collaboration.attachCommitmentFile(principalOf(request), request.params.id, bytes);
    },
  );
  app.get('/commitments/:id/file', { preHandler: user, schema: { tags, summary: 'The scanned commitment sheet', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 200: FileResponse('the file as uploaded', UPLOADED_FILE_TYPES), ...authErrors } } }, async (request, reply) => {
    const f = await collaboration.commitmentFile(principalOf(request), request.params.id);
    return reply.type(f.contentType).header('content-disposition', `attachment; filename="${f.filename}"`).header('x-content-type-options', 'nosniff').send(f.data);
  });

  // ---- activity log ----
  app.get('/activity', { preHandler: user, schema: { tags, summary: 'Activity log of the master plan, newest first, paged', querystring: S.ActivityQuery, response: { 200: Type.Object({ items: Type.Array(S.Activity), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...authErrors } } }, async (request) => {
    const { limit, cursor, ...filter } = request.query;
    return collaboration.activity.list(principalOf(request).regionId, limit ?? 50, cursor, filter);
  });

  await app.register(exportRoutes, { exporter: opts.exporter, identity });
};
