import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../../core/errors.ts';
import { assertStorableText } from '../../../core/input.ts';
import { authErrors } from '../../../core/http-schemas.ts';
import { fileBytes } from '../../../platform/http/multipart.ts';
import { principalOf, requireUser, type IdentityService } from '../../identity/index.ts';
import { DOCUMENT_KEYS } from '../masterplan.constants.ts';
import * as S from './programs.contract.ts';
import { IMPORT_MAX_BYTES } from './programs.import.ts';
import type { ProgramImports } from './programs.imports.ts';
import type { ProgramsService } from './programs.service.ts';

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
        file = { bytes: await fileBytes(part, tooLarge), filename: part.filename ?? '' };
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

/** /api/v1/masterplan: programs, kegiatan and sub kegiatan, and their import from SIPD spreadsheets. */
export const programsRoutes: FastifyPluginAsyncTypebox<{ programs: ProgramsService; imports: ProgramImports; identity: IdentityService }> = async (app, { programs, imports, identity }) => {
  await app.register(fastifyMultipart, { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 10, parts: 12 } });
  const user = requireUser(identity);
  const tags = ['masterplan'];
  const ok204 = { 204: Type.Null() };

  app.get('/programs', { preHandler: user, schema: { tags, summary: 'Programs, kegiatan and sub kegiatan from the planning documents, filtered and paged, each with a dimension suggestion', querystring: S.ProgramQuery, response: { 200: Type.Object({ items: Type.Array(S.Program), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...authErrors } } }, async (request) => {
    const { limit, cursor, ...filter } = request.query;
    return programs.list(principalOf(request), filter, limit ?? 100, cursor);
  });
  app.get('/programs/:id', { preHandler: user, schema: { tags, summary: 'A program', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 200: S.Program, ...authErrors } } }, async (request) =>
    programs.get(principalOf(request), request.params.id),
  );
  app.post('/programs', { preHandler: user, schema: { tags, summary: 'Add a program by hand (an operator: for their own OPD)', body: S.ProgramCreate, response: { 201: S.Program, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await programs.create(principalOf(request), request.body)),
  );
  app.patch(
    '/programs/:id',
    { preHandler: user, schema: { tags, summary: 'Map a program to a dimension/element, mark a quick win, place it on the roadmap, or correct its fields (own OPD or reviewers)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), body: S.ProgramPatch, response: { 200: S.Program, ...authErrors } } },
    async (request) => programs.update(principalOf(request), request.params.id, request.body),
  );
  app.delete('/programs/:id', { preHandler: user, schema: { tags, summary: 'Delete a program and its KPIs (own OPD or reviewers)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { ...ok204, ...authErrors } } }, async (request, reply) => {
    await programs.delete(principalOf(request), request.params.id);
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
      const asked = (form.fields.document ?? 'RKPD').toUpperCase().replace(/\s+PD$/, '');
      const document = DOCUMENT_KEYS.find((k) => k === asked);
      if (!document) throw new AppError('VALIDATION_FAILED', `document must be one of ${DOCUMENT_KEYS.join(', ')}`);
      let year: number | null = null;
      if (form.fields.year !== undefined && form.fields.year.trim() !== '') {
        year = Number(form.fields.year);
        if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new AppError('VALIDATION_FAILED', 'year must be between 2000 and 2100');
      }
      return imports.preview(principalOf(request), { bytes: form.bytes, filename: form.filename }, document, year);
    },
  );
  app.post(
    '/programs/import/:importId/confirm',
    { preHandler: user, schema: { tags, summary: 'Import the good rows of a preview: new rows created, changed rows updated (mapping kept), unchanged rows untouched', params: Type.Object({ importId: Type.String({ maxLength: 100 }) }), response: { 200: S.ImportResult, 409: Type.Ref('Error'), ...authErrors } } },
    async (request) => imports.confirm(principalOf(request), request.params.importId),
  );
};
