import { AppError, isAppError } from '../../core/errors.ts';
import { findBadText } from '../../core/input.ts';
import { isUuid } from '../../core/ids.ts';
import { csvObjects, csvRowsTask, type ParserPool } from '../../platform/files/index.ts';
import type { AssetsService } from '../assets/index.ts';
import { requireRole, type IdentityService, type Principal } from '../identity/index.ts';
import type { DevicesService, NewDevice } from './devices.service.ts';
import type { ImportLine, ImportPreview } from './profiles.contract.ts';

/** Columns of a device CSV; `asset` is an asset's id or exact name, `opd` an OPD's code (admins, devices without an asset). */
export const DEVICE_CSV_COLUMNS = ['name', 'type', 'label', 'asset', 'opd'] as const;
/** Devices one file may create. */
export const MAX_DEVICE_IMPORT_ROWS = 5_000;
/** Bytes of one device CSV (5,000 lines of a few hundred characters). */
export const MAX_DEVICE_IMPORT_BYTES = 2 * 1024 * 1024;

const TYPE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Header names people write for each column. */
const ALIASES: Record<string, string> = { nama: 'name', tipe: 'type', jenis: 'type', asset_id: 'asset', asset_name: 'asset', aset: 'asset', opd_code: 'opd', keterangan: 'label' };

type Problem = ImportPreview['errors'][number]['problems'][number];
const problem = (id: string, en: string): Problem => ({ id, en });

export interface CheckedImport {
  preview: ImportPreview;
  devices: NewDevice[];
}

/**
 * Reads a device CSV on the parser worker (limits checked while reading) and
 * checks every line: a name, a type, an asset that exists, an owner the
 * person may give, no name twice in the file or already in the region. Nothing
 * is created here.
 */
export async function checkDeviceCsv(deps: { devices: DevicesService; assets: AssetsService; identity: IdentityService; parsers: ParserPool }, p: Principal, bytes: Buffer): Promise<CheckedImport> {
  requireRole(p, 'admin', 'operator');
  if (bytes.length > MAX_DEVICE_IMPORT_BYTES) throw new AppError('UPLOAD_TOO_LARGE', `the file is larger than ${MAX_DEVICE_IMPORT_BYTES / 1024 / 1024} MB`);
  const rows = await deps.parsers.run(csvRowsTask, bytes, { trim: true, invalid: 'CSV_INVALID', limits: { maxRows: MAX_DEVICE_IMPORT_ROWS, maxColumns: 20, maxRecordChars: 10_000 } });
  const records = csvObjects(rows, (h) => {
    const k = h.trim().toLowerCase().replace(/\s+/g, '_');
    return ALIASES[k] ?? k;
  });
  if (records.length === 0) throw new AppError('CSV_INVALID', `the file has no devices; the first line names the columns: ${DEVICE_CSV_COLUMNS.join(',')}`);
  if (!rows[0]!.cells.some((c) => (ALIASES[c.trim().toLowerCase()] ?? c.trim().toLowerCase()) === 'name')) {
    throw new AppError('CSV_INVALID', `the first line must name the columns (at least "name"): ${DEVICE_CSV_COLUMNS.join(',')}`);
  }

  const opds = new Map((await deps.identity.listOpds(p)).map((o) => [o.code.toUpperCase(), o.id]));
  const assetByName = new Map<string, Promise<{ assetId: string } | Problem>>();
  const findAsset = (value: string): Promise<{ assetId: string } | Problem> => {
    if (isUuid(value)) return deps.assets.byId(p.regionId, value).then((a) => (a ? { assetId: a.id } : problem(`tidak ada aset ${value} di wilayah ini`, `no asset ${value} in this region`)));
    const key = value.toLowerCase();
    let found = assetByName.get(key);
    if (!found) {
      found = deps.assets.list(p, { q: value }, 1000).then((page) => {
        const exact = page.items.filter((a) => a.name.toLowerCase() === key);
        if (exact.length === 0) return problem(`tidak ada aset bernama "${value}"`, `no asset named "${value}"`);
        if (exact.length > 1) return problem(`${exact.length} aset bernama "${value}"; tulis id asetnya`, `${exact.length} assets are named "${value}"; give the asset's id`);
        return { assetId: exact[0]!.id };
      });
      assetByName.set(key, found);
    }
    return found;
  };

  const errors: ImportPreview['errors'] = [];
  const lines: ImportLine[] = [];
  const devices: NewDevice[] = [];
  const seen = new Map<string, number>();
  for (const { line, record } of records) {
    const problems: Problem[] = [];
    const name = (record.name ?? '').trim();
    const type = (record.type ?? '').trim() || 'default';
    const label = (record.label ?? '').trim() || null;
    if (name === '') problems.push(problem('nama kosong', 'name is empty'));
    else if (name.length > 200) problems.push(problem('nama lebih dari 200 karakter', 'name is longer than 200 characters'));
    else if (seen.has(name)) problems.push(problem(`nama "${name}" sudah ada di baris ${seen.get(name)}`, `the name "${name}" is on line ${seen.get(name)} already`));
    for (const [field, value, fieldId] of [['name', name, 'nama'], ['label', label, 'keterangan']] as const) {
      const bad = value === null ? null : findBadText(value, field);
      if (bad) problems.push(problem(`${fieldId} memuat karakter yang tidak dapat disimpan (NUL atau surrogate UTF-16 tunggal)`, `${bad.field} ${bad.problem}`));
    }
    if (label !== null && label.length > 200) problems.push(problem('keterangan lebih dari 200 karakter', 'label is longer than 200 characters'));
    if (!TYPE.test(type)) problems.push(problem('tipe harus satu kata seperti river_gauge atau street_light (huruf, angka, _ . -)', 'type must be a word like river_gauge or street_light (letters, digits, _ . -)'));
    let assetId: string | null = null;
    const assetText = (record.asset ?? '').trim();
    if (assetText !== '') {
      const asset = await findAsset(assetText);
      if ('assetId' in asset) assetId = asset.assetId;
      else problems.push(asset);
    }
    let opdId: string | null = null;
    const opdText = (record.opd ?? '').trim();
    if (opdText !== '') {
      opdId = opds.get(opdText.toUpperCase()) ?? null;
      if (opdId === null) problems.push(problem(`tidak ada OPD dengan kode ${opdText}`, `no OPD with the code ${opdText}`));
    }
    if (problems.length === 0) {
      try {
        opdId = await deps.devices.ownerOfNew(p, assetId, opdId);
      } catch (error) {
        if (!isAppError(error)) throw error;
        problems.push(error.code === 'FORBIDDEN' ? problem('operator hanya dapat membuat perangkat untuk OPD-nya sendiri dan aset OPD-nya', error.message) : problem(error.message, error.message));
      }
    }
    if (name !== '') seen.set(name, seen.get(name) ?? line);
    if (problems.length > 0) {
      errors.push({ line, message: problems.map((x) => x.en).join('; '), problems });
      continue;
    }
    lines.push({ line, name, type, label, assetId, opdId });
    devices.push({ name, type, label, assetId, opdId });
  }
  const taken = new Set(await deps.devices.namesTaken(p.regionId, [...seen.keys()]));
  for (const l of lines) {
    if (!taken.has(l.name)) continue;
    const exists = problem(`perangkat bernama "${l.name}" sudah ada`, `a device named "${l.name}" exists already`);
    errors.push({ line: l.line, message: exists.en, problems: [exists] });
  }
  errors.sort((a, b) => a.line - b.line);
  return { preview: { rows: records.length, devices: lines.filter((l) => !taken.has(l.name)), errors }, devices: devices.filter((d) => !taken.has(d.name)) };
}

/** A cell of the answer's CSV: quoted when it must be; a text a spreadsheet would run as a formula is prefixed with ' (names come from people). */
function cell(value: string | null, userText = false): string {
  let v = value ?? '';
  if (userText && /^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The file given back once: every created device with its access token. */
export function tokensCsv(created: { id: string; name: string; type: string; label: string | null; assetId: string | null; opdId: string | null; accessToken: string }[]): string {
  const head = 'name,type,label,asset_id,opd_id,device_id,access_token';
  return `${[head, ...created.map((d) => [cell(d.name, true), cell(d.type), cell(d.label, true), cell(d.assetId), cell(d.opdId), cell(d.id), cell(d.accessToken)].join(','))].join('\r\n')}\r\n`;
}
