import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { authErrors, FileResponse } from '../../core/http-schemas.ts';
import { fileBytes } from '../../platform/http/multipart.ts';
import type { ParserPool } from '../../platform/files/index.ts';
import { principalOf, requireRole, type IdentityService } from '../identity/index.ts';
import * as S from './incidents.contract.ts';
import { INCIDENT_STATUSES } from './incidents.contract.ts';
import { exportLapor, importLapor } from './incidents.lapor.ts';
import { list } from './incidents.query.ts';
import type { Guard, IncidentsApp } from './incidents.routes.ts';
import type { IncidentsService } from './incidents.service.ts';

/** SP4N-LAPOR! files: export incidents as its CSV, import its reports (admins). The body parsers are the incidents plugin's. */
export function laporRoutes(app: IncidentsApp, { incidents, identity, parsers, user }: { incidents: IncidentsService; identity: IdentityService; parsers: ParserPool; user: Guard }): void {
  const tags = ['incidents'];

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
        response: { 200: S.ImportResult, 422: Type.Ref('Error'), ...authErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      requireRole(p, 'admin');
      let csv: unknown = request.body;
      if (request.isMultipart()) {
        const file = await request.file();
        csv = file ? await fileBytes(file, () => new AppError('PAYLOAD_TOO_LARGE', 'the CSV file is larger than 20 MB')) : undefined;
      } else if (typeof csv === 'object' && csv !== null && !Buffer.isBuffer(csv)) csv = (csv as { csv?: unknown }).csv;
      if (typeof csv === 'string') csv = Buffer.from(csv);
      if (!Buffer.isBuffer(csv) || isBlank(csv)) throw new AppError('CSV_INVALID', 'send the CSV as text/csv, as JSON {"csv": "..."} or as a multipart file');
      const region = await identity.getRegion(p.regionId);
      return importLapor(incidents, parsers, p.regionId, region.timezone, csv, incidents.now());
    },
  );
}

/** Only spaces and line breaks (checked on the bytes: the file is decoded on the parser worker, not here). */
function isBlank(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return true;
}
