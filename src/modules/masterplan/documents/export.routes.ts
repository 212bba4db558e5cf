import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, FileResponse } from '../../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../../identity/index.ts';
import { BOOK_NAMES } from './export.content.ts';
import type { ExportService } from './export.service.ts';

const ExportQuery = Type.Object({
  book: Type.Optional(
    Type.Union(BOOK_NAMES.map((b) => Type.Literal(b)), {
      default: 'rencana',
      description: "'analisis' (Buku I Analisis Strategis), 'rencana' (Buku II Rencana Induk: initiatives, financing, monitoring) 'ringkasan' (Buku III Ringkasan Eksekutif) or 'quickwin' (the Quick Win document); the earlier names 'strategic' (Buku I) and 'masterplan' (Buku II) still work",
    }),
  ),
});

/** The master plan document, in Bahasa Indonesia, built from the data. */
export const exportRoutes: FastifyPluginAsyncTypebox<{ exporter: ExportService; identity: IdentityService }> = async (app, { exporter, identity }) => {
  const user = requireUser(identity);
  const tags = ['masterplan'];
  app.get(
    '/export.docx',
    { preHandler: user, schema: { tags, summary: 'The master plan as an editable Word document (chapters of the Kominfo guide, tables, charts, table of contents)', querystring: ExportQuery, response: { 200: FileResponse('the Word document (.docx)', ['application/vnd.openxmlformats-officedocument.wordprocessingml.document']), ...authErrors } } },
    async (request, reply) => {
      const file = await exporter.docx(principalOf(request), request.query.book ?? 'rencana');
      return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).header('cache-control', 'no-store').send(file.data);
    },
  );
  app.get(
    '/export.pdf',
    { preHandler: user, schema: { tags, summary: 'The master plan as PDF (same content, simpler layout)', querystring: ExportQuery, response: { 200: FileResponse('the PDF', ['application/pdf']), ...authErrors } } },
    async (request, reply) => {
      const file = await exporter.pdf(principalOf(request), request.query.book ?? 'rencana');
      return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).header('cache-control', 'no-store').send(file.data);
    },
  );
};
