import { AppError } from '../../core/errors.ts';
import { csvObjects, csvRowsTask, type ParserPool } from '../../platform/files/index.ts';
import { requireRole, type IdentityService, type Principal } from '../identity/index.ts';
import type { AssetInput, AssetsService } from './assets.service.ts';

/** Columns of an asset CSV; `opd` is the OPD's code, `district` a kecamatan code or name. */
export const CSV_COLUMNS = ['type', 'name', 'longitude', 'latitude', 'opd', 'district'] as const;
export const MAX_IMPORT_ROWS = 20_000;

export interface ImportReport {
  rows: number;
  created: number;
  errors: { row: number; message: string }[];
}

/**
 * Imports assets from CSV: every row is checked first, and nothing is created
 * unless all rows are good (a report names each bad row by its line number).
 */
export async function importAssetsCsv(assets: AssetsService, identity: IdentityService, parsers: ParserPool, p: Principal, csv: string, dryRun: boolean): Promise<ImportReport> {
  requireRole(p, 'admin', 'operator');
  // read on the parser worker, within its limits
  const rows = await parsers.run(csvRowsTask, Buffer.from(csv), { delimiter: ',', trim: true, invalid: 'VALIDATION_FAILED', limits: { maxRows: MAX_IMPORT_ROWS } }, true);
  const records = csvObjects(rows, (h) => h.trim().toLowerCase()).map((r) => r.record);
  if (records.length === 0) throw new AppError('VALIDATION_FAILED', `the file has no rows; the first line must name the columns: ${CSV_COLUMNS.join(',')}`);
  const missing = ['type', 'name'].filter((c) => !(c in records[0]!));
  if (missing.length > 0) throw new AppError('VALIDATION_FAILED', `missing column(s): ${missing.join(', ')}; expected ${CSV_COLUMNS.join(',')}`);

  const opds = new Map((await identity.listOpds(p)).map((o) => [o.code.toUpperCase(), o.id]));
  const districts = await identity.listDistricts(p.regionId);
  const districtCode = (v: string) => districts.find((d) => d.code === v || d.name.toLowerCase() === v.toLowerCase())?.code;
  const errors: ImportReport['errors'] = [];
  const inputs: AssetInput[] = [];
  records.forEach((r, i) => {
    const row = i + 2; // line 1 is the header
    const problems: string[] = [];
    const type = (r.type ?? '').toLowerCase();
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(type)) problems.push('type must be a word like river_gauge or street_light');
    if (!r.name) problems.push('name is empty');
    const lonText = r.longitude ?? '';
    const latText = r.latitude ?? '';
    let geometry: AssetInput['geometry'] = undefined;
    if ((lonText === '') !== (latText === '')) problems.push('give both longitude and latitude, or neither');
    else if (lonText !== '') {
      const lon = Number(lonText.replace(',', '.'));
      const lat = Number(latText.replace(',', '.'));
      if (!Number.isFinite(lon) || lon < -180 || lon > 180) problems.push('longitude must be a number from -180 to 180');
      else if (!Number.isFinite(lat) || lat < -90 || lat > 90) problems.push('latitude must be a number from -90 to 90');
      else geometry = { type: 'Point', coordinates: [lon, lat] };
    }
    let opdId: string | null = null;
    if (r.opd) {
      opdId = opds.get(r.opd.toUpperCase()) ?? null;
      if (opdId === null) problems.push(`no OPD with the code ${r.opd}`);
      else if (p.role === 'operator' && opdId !== p.opdId) problems.push('an operator can import only for their own OPD');
    }
    let district: string | null = null;
    if (r.district) {
      district = districtCode(r.district) ?? null;
      if (district === null) problems.push(`${r.district} is not a kecamatan of this region`);
    }
    if (problems.length > 0) errors.push({ row, message: problems.join('; ') });
    else inputs.push({ type, name: r.name!, opdId, geometry, districtCode: district, attributes: {} });
  });
  if (errors.length > 0 || dryRun) return { rows: records.length, created: 0, errors };
  for (const input of inputs) await assets.create(p, input);
  return { rows: records.length, created: inputs.length, errors };
}
