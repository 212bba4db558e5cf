/**
 * SP4N-LAPOR! (the national complaints channel) exchange: an export of
 * incidents in the fields the channel uses, for an admin to hand over, and an
 * import of LAPOR! reports into incidents (idempotent on the tracking id).
 */
import { AppError } from '../../core/errors.ts';
import { textProblem } from '../../core/input.ts';
import { csvObjects, csvRowsTask, type ParserPool } from '../../platform/files/index.ts';
import type { FileInput } from './incidents.intake.ts';
import type { IncidentsService } from './incidents.service.ts';
import { zoneOffsetMs } from './incidents.sla.ts';
import type { IncidentStatus } from './incidents.contract.ts';

export const LAPOR_COLUMNS = [
  'tracking_id',
  'judul',
  'isi',
  'kategori',
  'lokasi',
  'latitude',
  'longitude',
  'tanggal',
  'status',
  'instansi',
  'tindak_lanjut',
  'tanggal_tindak_lanjut',
  'nomor_tiket_daerah',
] as const;

/** Our status as LAPOR! names it. */
export const LAPOR_STATUS: Record<IncidentStatus, string> = {
  new: 'Belum Terverifikasi',
  assigned: 'Belum Ditindaklanjuti',
  in_progress: 'Proses',
  resolved: 'Selesai',
  closed: 'Selesai',
  rejected: 'Ditolak',
};

/** A cell as CSV text; a leading = + - @ is neutralised so a spreadsheet does not run it as a formula. */
function cell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** "2026-11-28 12:00:00" in the region's local time. */
export function localDateTime(ms: number, timeZone: string): string {
  return new Date(ms + zoneOffsetMs(timeZone, ms)).toISOString().slice(0, 19).replace('T', ' ');
}

/** Reads "2026-11-28 12:00:00" (local), "2026-11-28" or an ISO 8601 time with its zone. */
export function parseLocalDateTime(text: string, timeZone: string): number | null {
  const t = text.trim();
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (local) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = local;
    const utc = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s);
    const back = new Date(utc);
    if (back.getUTCMonth() !== +mo! - 1 || back.getUTCDate() !== +d!) return null;
    return utc - zoneOffsetMs(timeZone, utc);
  }
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(t)) {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

export async function exportLapor(
  incidents: IncidentsService,
  regionId: string,
  timeZone: string,
  filter: { ids?: string[] | undefined; statuses?: string[] | undefined },
): Promise<string> {
  const rows = await incidents.withNames(regionId, await incidents.repo.forExport(regionId, filter));
  const categories = new Map((await incidents.repo.listCategories(regionId)).map((c) => [c.code, c]));
  const events = await incidents.repo.publicEvents(rows.map((r) => r.id));
  const lines = [LAPOR_COLUMNS.join(',')];
  for (const r of rows) {
    const answers = events.filter((e) => e.incident_id === r.id && (e.kind === 'public_update' || (e.kind === 'status' && e.text !== null)));
    const last = answers[answers.length - 1];
    lines.push(
      [
        r.lapor_id ?? r.ticket,
        r.title,
        r.description,
        categories.get(r.category_code)?.name_id ?? r.category_code,
        r.address,
        r.lat,
        r.lon,
        localDateTime(r.created_at, timeZone),
        LAPOR_STATUS[r.status as IncidentStatus] ?? r.status,
        r.opd_name,
        answers.map((e) => e.text).join(' | ') || null,
        last ? localDateTime(last.at, timeZone) : null,
        r.ticket,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export interface ImportResult {
  created: number;
  skipped: number;
  errors: { row: number; reason: string }[];
  tickets: string[];
}

/**
 * Files the valid rows as incidents (source 'lapor') in one transaction; rows
 * whose tracking id is known already are skipped, and rows with errors are
 * reported with their line number in the file and not written.
 */
/** Reports in one LAPOR! file. */
export const LAPOR_MAX_ROWS = 10_000;

export async function importLapor(incidents: IncidentsService, parsers: ParserPool, regionId: string, timeZone: string, csv: Uint8Array, now: number): Promise<ImportResult> {
  // read on the parser worker, within its limits (a 20 MB CSV is seconds of parsing); the bytes are moved there, not copied
  const rows = await parsers.run(csvRowsTask, csv, { delimiter: ',', trim: true, invalid: 'CSV_INVALID', limits: { maxRows: LAPOR_MAX_ROWS } }, true);
  // The app's rule on stored text, applied to what the worker decoded (at most LAPOR_MAX_ROWS rows)
  for (const row of rows) {
    for (const cell of row.cells) {
      const problem = textProblem(cell);
      if (problem) throw new AppError('VALIDATION_FAILED', `line ${row.line} of the CSV ${problem}`, { field: 'csv' });
    }
  }
  const records = csvObjects(rows, (h) => h.trim().toLowerCase().replace(/[\s/]+/g, '_'));
  const first = records[0]?.record;
  if (first && !('tracking_id' in first && 'isi' in first)) throw new AppError('CSV_INVALID', `the header must name at least tracking_id and isi; the columns are ${LAPOR_COLUMNS.join(', ')}`);
  const categories = await incidents.repo.listCategories(regionId);
  const findCategory = (text: string) => {
    const t = text.trim().toLowerCase();
    if (t === '') return null;
    return categories.find((c) => c.active === 1 && (c.code.toLowerCase() === t || c.name_id.toLowerCase() === t || c.name_en.toLowerCase() === t))?.code ?? null;
  };
  const fallback = categories.find((c) => c.code === 'other' && c.active === 1)?.code ?? categories.find((c) => c.active === 1)?.code;
  const ids = records.map((r) => r.record.tracking_id ?? '').filter((id) => id !== '');
  const known = new Set((await incidents.repo.findByLaporIds(regionId, [...new Set(ids)])).map((r) => r.lapor_id));
  const result: ImportResult = { created: 0, skipped: 0, errors: [], tickets: [] };
  const inputs: FileInput[] = [];
  const seen = new Set<string>();
  for (const { record: r, line: row } of records) {
    const fail = (reason: string) => result.errors.push({ row, reason });
    const id = r.tracking_id ?? '';
    if (id === '') {
      fail('tracking_id is empty');
      continue;
    }
    if (id.length > 100) {
      fail('tracking_id is longer than 100 characters');
      continue;
    }
    if (known.has(id) || seen.has(id)) {
      result.skipped++;
      continue;
    }
    const description = r.isi ?? '';
    if (description === '') {
      fail('isi (the report text) is empty');
      continue;
    }
    if (description.length > 5000) {
      fail('isi is longer than 5000 characters');
      continue;
    }
    const lat = r.latitude ? Number(r.latitude) : null;
    const lon = r.longitude ? Number(r.longitude) : null;
    if ((lat === null) !== (lon === null) || (lat !== null && !(Number.isFinite(lat) && lat >= -90 && lat <= 90)) || (lon !== null && !(Number.isFinite(lon) && lon >= -180 && lon <= 180))) {
      fail('latitude and longitude must both be numbers in range, or both empty');
      continue;
    }
    let filedAt: number | undefined;
    if (r.tanggal) {
      const at = parseLocalDateTime(r.tanggal, timeZone);
      if (at === null) {
        fail(`tanggal "${r.tanggal.slice(0, 40)}" is not a date (YYYY-MM-DD HH:mm:ss)`);
        continue;
      }
      if (at > now) {
        fail('tanggal is in the future');
        continue;
      }
      filedAt = at;
    }
    const matched = findCategory(r.kategori ?? '');
    const categoryCode = matched ?? fallback;
    if (!categoryCode) {
      fail('no active category to file it under');
      continue;
    }
    seen.add(id);
    const notes = [`SP4N-LAPOR! ${id}`, r.status ? `status LAPOR!: ${r.status}` : null, !matched && r.kategori ? `kategori LAPOR!: ${r.kategori}` : null, r.tindak_lanjut ? `tindak lanjut: ${r.tindak_lanjut}` : null];
    inputs.push({
      categoryCode,
      title: r.judul || null,
      description,
      lon,
      lat,
      address: r.lokasi || null,
      reporter: { name: r.nama ?? r.nama_pelapor ?? null, phone: r.telepon ?? r.no_hp ?? null, email: r.email ?? null },
      source: 'lapor',
      laporId: id,
      note: notes.filter(Boolean).join('; ').slice(0, 5000),
      ...(filedAt !== undefined && { filedAt }),
    });
  }
  if (inputs.length > 0) {
    const filed = await incidents.file(regionId, inputs);
    result.created = filed.length;
    result.tickets = filed.map((f) => f.incident.ticket);
  }
  return result;
}
