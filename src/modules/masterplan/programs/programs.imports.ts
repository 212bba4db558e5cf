/**
 * Importing the lines of a planning document from a spreadsheet, in two steps:
 * a preview (the file read on a parser worker, compared with what is stored,
 * nothing saved but the good rows, kept 30 minutes) and its confirm (new lines
 * created, changed ones updated with their mapping kept, the same ones untouched).
 */
import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import type { ParserPool } from '../../../platform/files/index.ts';
import type { IdentityService, Opd, Principal } from '../../identity/index.ts';
import type { PlanAccess } from '../plan/index.ts';
import type { DocumentKey } from '../plan/plan.contract.ts';
import type { ImportPreview, ImportResult } from './programs.contract.ts';
import { naturalKey, programFileTask, rowHash, type ImportedRow, type Level } from './programs.import.ts';
import type { ProgramRow, ProgramsRepository } from './programs.repository.ts';

interface PendingRow extends ImportedRow { year: number; opdId: string | null; hash: string; key: string }
/** What a confirm needs of a good row, as stored with the preview (one array per row keeps 20,000 rows to a few MB). */
type StoredRow = [row: number, code: string, level: Level, name: string, indicator: string, target: string, unit: string, budget: number, year: number, location: string, opdId: string | null, hash: string];
type ConfirmRow = Omit<PendingRow, 'opd'>;
type Action = 'create' | 'update' | 'unchanged';

const IMPORT_TTL_MS = 30 * 60_000;
/** previews kept per user (one may be 25 MB of rows): a newer one drops the oldest */
const MAX_PENDING = 3;
const importGone = () => new AppError('IMPORT_NOT_FOUND', 'no such import preview (it expires after 30 minutes): send the file again');

const encodeRows = (rows: PendingRow[]): string =>
  JSON.stringify(rows.map((r): StoredRow => [r.row, r.code, r.level, r.name, r.indicator, r.target, r.unit, r.budget, r.year, r.location, r.opdId, r.hash]));

function decodeRows(document: string, text: string): ConfirmRow[] {
  const rows = JSON.parse(text) as StoredRow[];
  return rows.map(([row, code, level, name, indicator, target, unit, budget, year, location, opdId, hash]) => ({
    row, code, level, name, indicator, target, unit, budget, year, location, opdId, hash, key: naturalKey(document, year, code, opdId),
  }));
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const normName = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** The OPD a row names, by code or name (a leading number, as SIPD writes "1.01 Dinas …", ignored). */
function opdResolver(opds: Opd[]): (raw: string) => Opd | undefined {
  const byCode = new Map(opds.map((o) => [o.code.toUpperCase(), o]));
  const byName = new Map(opds.map((o) => [normName(o.name), o]));
  return (raw) => {
    const t = raw.trim();
    return byCode.get(t.toUpperCase()) ?? byName.get(normName(t)) ?? byName.get(normName(t.replace(/^[\d.\s-]+/, ''))) ?? byCode.get(t.replace(/^[\d.\s-]+/, '').toUpperCase());
  };
}

export class ProgramImports {
  private readonly repo: ProgramsRepository;
  private readonly access: PlanAccess;
  private readonly identity: IdentityService;
  private readonly clock: Clock;
  /** reads the imported files off the main thread, within their limits */
  private readonly parsers: ParserPool;
  constructor(repo: ProgramsRepository, access: PlanAccess, identity: IdentityService, clock: Clock, parsers: ParserPool) {
    this.repo = repo;
    this.access = access;
    this.identity = identity;
    this.clock = clock;
    this.parsers = parsers;
  }

  /** Reads the file and compares it with what is stored: no program is saved; the good rows are kept 30 minutes for the confirm. */
  async preview(p: Principal, file: { bytes: Buffer; filename: string }, document: DocumentKey, defaultYear: number | null): Promise<ImportPreview> {
    if (p.role === 'viewer') throw new AppError('FORBIDDEN', 'viewers may not import programs');
    const reviewer = await this.access.reviewer(p);
    // moved to the worker, not copied: the upload is not needed here afterwards
    const parsed = await this.parsers.run(programFileTask, file.bytes, { filename: file.filename }, true);
    const opds = await this.identity.opdsOf(p.regionId);
    const resolveOpd = opdResolver(opds);
    const errors = [...parsed.errors];
    const good: PendingRow[] = [];
    const firstOf = new Map<string, number>();
    let duplicates = 0;
    for (const r of parsed.rows) {
      const year = r.year ?? defaultYear;
      if (year === null) {
        errors.push({ row: r.row, reason: 'no year: add a "Tahun" column or choose the year of the import' });
        continue;
      }
      let opdId: string | null;
      if (r.opd !== null) {
        const opd = resolveOpd(r.opd);
        if (!opd) {
          errors.push({ row: r.row, reason: `OPD "${r.opd}" is not an OPD of this region (by code or name)` });
          continue;
        }
        opdId = opd.id;
      } else opdId = reviewer ? null : p.opdId;
      if (!reviewer && opdId !== p.opdId) {
        errors.push({ row: r.row, reason: `the row belongs to another OPD; you may import only your own OPD's programs` });
        continue;
      }
      const key = naturalKey(document, year, r.code, opdId);
      const first = firstOf.get(key);
      if (first !== undefined) {
        duplicates++;
        errors.push({ row: r.row, reason: `duplicate of row ${first} (same code ${r.code}, OPD and year)` });
        continue;
      }
      firstOf.set(key, r.row);
      good.push({ ...r, year, opdId, hash: rowHash(r), key });
    }
    errors.sort((a, b) => a.row - b.row);
    const existing = await this.repo.importedKeys(this.repo.db, p.regionId, document);
    const action = (r: PendingRow): Action => {
      const e = existing.get(r.key);
      return !e ? 'create' : e.hash === r.hash ? 'unchanged' : 'update';
    };
    const counts: Record<Action, number> = { create: 0, update: 0, unchanged: 0 };
    for (const r of good) counts[action(r)]++;
    const now = this.clock.now();
    const importId = newId();
    // kept in the database, so that the confirm may reach any instance, or this one after a restart
    await this.repo.purgeImportPreviews(now);
    await this.repo.saveImportPreview({ id: importId, region_id: p.regionId, user_id: p.userId, document, year: defaultYear, rows: encodeRows(good), created_at: now, expires_at: now + IMPORT_TTL_MS }, MAX_PENDING);
    const opdCode = new Map(opds.map((o) => [o.id, o.code]));
    return {
      importId, document, format: parsed.format, headerRow: parsed.headerRow, headings: parsed.headings, rows: good.length + errors.length, valid: good.length,
      created: counts.create, updated: counts.update, unchanged: counts.unchanged, duplicates,
      errors: errors.slice(0, 1000),
      sample: good.slice(0, 50).map((r) => ({ row: r.row, code: r.code, level: r.level, name: r.name, opdCode: r.opdId ? opdCode.get(r.opdId) ?? null : null, indicator: r.indicator, target: r.target, unit: r.unit, budget: r.budget, year: r.year, location: r.location, action: action(r) })),
      expiresAt: now + IMPORT_TTL_MS,
    };
  }

  /** Saves the good rows of a preview: new ones created, changed ones updated (their mapping kept), the same ones untouched. */
  async confirm(p: Principal, importId: string): Promise<ImportResult> {
    const now = this.clock.now();
    const stored = await this.repo.importPreview(p.regionId, importId, now);
    if (!stored) throw importGone();
    if (stored.user_id !== p.userId) throw new AppError('FORBIDDEN', 'only the user who sent the file may confirm its import');
    // the preview waits up to 30 minutes: the user's role or OPD may have changed meanwhile
    if (p.role === 'viewer') throw new AppError('FORBIDDEN', 'viewers may not import programs');
    const document = stored.document;
    const rows = decodeRows(document, stored.rows);
    if (!(await this.access.reviewer(p)) && rows.some((r) => r.opdId !== p.opdId)) {
      throw new AppError('FORBIDDEN', "the file holds another OPD's programs, and you may import only your own OPD's; send it again");
    }
    const result = await this.repo.transaction(async (tx) => {
      // deleted with the import or not at all: of two confirms of one preview, on any instances, one imports
      if (!(await this.repo.claimImportPreview(tx, p.regionId, p.userId, importId, now))) throw importGone();
      // (a unique index on the natural key refuses a second import of the same rows running at the same time)
      const existing = await this.repo.importedKeys(tx, p.regionId, document);
      const inserts: ProgramRow[] = [];
      const updatedRows: ImportResult['updatedRows'] = [];
      let unchanged = 0;
      for (const r of rows) {
        const e = existing.get(r.key);
        if (e && e.hash === r.hash) {
          unchanged++;
          continue;
        }
        if (e) {
          const fields = (['level', 'name', 'indicator', 'target', 'unit', 'budget', 'location'] as const).filter((f) => e.row[f] !== r[f]);
          await this.repo.update(tx, p.regionId, e.id, { level: r.level, name: r.name, indicator: r.indicator, target: r.target, unit: r.unit, budget: r.budget, location: r.location, source_hash: r.hash, updated_at: now });
          updatedRows.push({ row: r.row, code: r.code, id: e.id, fields });
          continue;
        }
        inserts.push({
          id: newId(), region_id: p.regionId, opd_id: r.opdId, document, code: r.code, level: r.level, name: r.name, indicator: r.indicator, target: r.target,
          unit: r.unit, budget: r.budget, year: r.year, location: r.location, dimension_key: null, element_key: null, quick_win: 0, horizon: null, roadmap_year: null,
          review_status: 'draft', natural_key: r.key, source_hash: r.hash, created_at: now, updated_at: now,
        });
      }
      await this.repo.insert(tx, inserts);
      return { created: inserts.length, updated: updatedRows.length, unchanged, updatedRows };
    }).catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'the same rows were imported at the same time by another import; send the file again to see what changed');
      throw error;
    });
    if (result.created || result.updated) {
      this.access.changed(p, p.regionId, 'program', null, 'programs.imported', `Impor ${document}: ${result.created} program baru, ${result.updated} diperbarui`, { created: result.created, updated: result.updated, unchanged: result.unchanged });
    }
    return result;
  }

  /** Drops the expired previews of every region (the module's periodic job). */
  purgeExpired(): Promise<number> {
    return this.repo.purgeImportPreviews(this.clock.now());
  }
}
