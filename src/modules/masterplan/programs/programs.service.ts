import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import type { Page } from '../../../core/paging.ts';
import type { IdentityService, Opd, Principal } from '../../identity/index.ts';
import type { KpisRepository } from '../kpis/kpis.repository.ts';
import { checkMapping, HORIZON_KEYS, isElementOf, type PlanAccess } from '../plan/index.ts';
import type { Program, ProgramCreate, ProgramPatch } from './programs.contract.ts';
import { parseCode } from './programs.import.ts';
import type { ProgramFilter, ProgramRow, ProgramsRepository } from './programs.repository.ts';
import { suggestProgram } from './programs.suggest.ts';

const horizonOf = (v: string | null): Program['horizon'] => HORIZON_KEYS.find((k) => k === v) ?? null;

/** A stored line as the API shows it, with its OPD's code and a dimension suggestion. */
function toProgram(r: ProgramRow, opds: Map<string, Opd>): Program {
  return {
    id: r.id, opdId: r.opd_id, opdCode: r.opd_id ? opds.get(r.opd_id)?.code ?? null : null, document: r.document, code: r.code, level: r.level, name: r.name,
    indicator: r.indicator, target: r.target, unit: r.unit, budget: Number(r.budget), year: r.year, location: r.location, dimensionKey: r.dimension_key,
    elementKey: r.element_key, horizon: horizonOf(r.horizon), roadmapYear: r.roadmap_year, reviewStatus: r.review_status,
    suggestion: suggestProgram(r), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
}

/** Programs page in code order: the cursor is the last row's code and id. */
function decodeCursor(value: string | undefined): { code: string; id: string } | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    const v = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string' && v[0].length <= 40 && v[1].length <= 100) return { code: v[0], id: v[1] };
  } catch {
    // fall through
  }
  throw new AppError('QUERY_INVALID', 'cursor is not one this API gave out; start again without it');
}

/** The lines of the planning documents, by hand: list, read, add, map and correct, delete (with their KPIs). */
export class ProgramsService {
  private readonly repo: ProgramsRepository;
  private readonly kpis: KpisRepository;
  private readonly access: PlanAccess;
  private readonly identity: IdentityService;
  private readonly clock: Clock;
  constructor(repo: ProgramsRepository, kpis: KpisRepository, access: PlanAccess, identity: IdentityService, clock: Clock) {
    this.repo = repo;
    this.kpis = kpis;
    this.access = access;
    this.identity = identity;
    this.clock = clock;
  }

  /** The region's OPDs by id. */
  async opdMap(regionId: string): Promise<Map<string, Opd>> {
    return new Map((await this.identity.opdsOf(regionId)).map((o) => [o.id, o]));
  }

  async list(p: Principal, filter: ProgramFilter, limit: number, cursor?: string): Promise<Page<Program>> {
    const rows = await this.repo.list(p.regionId, filter, limit, decodeCursor(cursor));
    const opds = await this.opdMap(p.regionId);
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    const last = kept[kept.length - 1];
    return { items: kept.map((r) => toProgram(r, opds)), nextCursor: more && last ? Buffer.from(JSON.stringify([last.code, last.id])).toString('base64url') : null };
  }

  async get(p: Principal, id: string): Promise<Program> {
    const row = await this.repo.program(p.regionId, id);
    if (!row) throw new AppError('PROGRAM_NOT_FOUND', `no program ${id}`);
    return toProgram(row, await this.opdMap(p.regionId));
  }

  async create(p: Principal, input: ProgramCreate): Promise<Program> {
    const opdId = input.opdId ?? (p.role === 'operator' ? p.opdId : null);
    await this.access.requireEditor(p, opdId, 'add programs');
    if (opdId) await this.identity.assertOpd(p.regionId, opdId);
    const code = parseCode(input.code);
    if ('error' in code) throw new AppError('VALIDATION_FAILED', code.error);
    checkMapping(input.dimensionKey, input.elementKey);
    const now = this.clock.now();
    const id = newId();
    const row: ProgramRow = {
      id, region_id: p.regionId, opd_id: opdId, document: input.document, code: code.code, level: code.level, name: input.name, indicator: input.indicator ?? '',
      target: input.target ?? '', unit: input.unit ?? '', budget: input.budget ?? 0, year: input.year, location: input.location ?? '', dimension_key: input.dimensionKey ?? null,
      element_key: input.elementKey ?? null, quick_win: 0 /* retired: quick wins are records of their own (quickwins/); the column stays for databases made before */, horizon: input.horizon ?? null, roadmap_year: input.roadmapYear ?? null, review_status: 'draft',
      natural_key: `#${id}`, source_hash: '', created_at: now, updated_at: now,
    };
    await this.repo.insert(this.repo.db, [row]);
    this.access.changed(p, p.regionId, 'program', row.id, 'program.created', `Program ${row.code} ${row.name} ditambahkan`);
    return this.get(p, row.id);
  }

  async update(p: Principal, id: string, patch: ProgramPatch): Promise<Program> {
    const row = await this.repo.program(p.regionId, id);
    if (!row) throw new AppError('PROGRAM_NOT_FOUND', `no program ${id}`);
    await this.access.requireEditor(p, row.opd_id, 'change programs');
    if (patch.opdId !== undefined && patch.opdId !== row.opd_id) {
      if (!(await this.access.reviewer(p))) throw new AppError('FORBIDDEN', 'only reviewers may move a program to another OPD');
      if (patch.opdId) await this.identity.assertOpd(p.regionId, patch.opdId);
    }
    const dimensionKey = patch.dimensionKey !== undefined ? patch.dimensionKey : row.dimension_key;
    let elementKey = patch.elementKey !== undefined ? patch.elementKey : row.element_key;
    // choosing another dimension without an element drops the old element
    if (patch.dimensionKey !== undefined && patch.elementKey === undefined && elementKey !== null && (dimensionKey === null || !isElementOf(dimensionKey, elementKey))) elementKey = null;
    checkMapping(dimensionKey, elementKey);
    if (patch.roadmapYear != null && (patch.roadmapYear < 2000 || patch.roadmapYear > 2100)) throw new AppError('VALIDATION_FAILED', 'roadmapYear must be between 2000 and 2100');
    const set: Partial<ProgramRow> = { dimension_key: dimensionKey, element_key: elementKey, updated_at: this.clock.now() };
    if (patch.horizon !== undefined) set.horizon = patch.horizon;
    if (patch.roadmapYear !== undefined) set.roadmap_year = patch.roadmapYear;
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.indicator !== undefined) set.indicator = patch.indicator;
    if (patch.target !== undefined) set.target = patch.target;
    if (patch.unit !== undefined) set.unit = patch.unit;
    if (patch.budget !== undefined) set.budget = patch.budget;
    if (patch.location !== undefined) set.location = patch.location;
    if (patch.opdId !== undefined) set.opd_id = patch.opdId;
    await this.repo.update(this.repo.db, p.regionId, id, set);
    this.access.changed(p, p.regionId, 'program', id, 'program.updated', `Program ${row.code} ${row.name} diubah`, { fields: Object.keys(patch) });
    return this.get(p, id);
  }

  /** The program and its KPIs, in one transaction. */
  async delete(p: Principal, id: string): Promise<void> {
    const row = await this.repo.program(p.regionId, id);
    if (!row) throw new AppError('PROGRAM_NOT_FOUND', `no program ${id}`);
    await this.access.requireEditor(p, row.opd_id, 'delete programs');
    await this.repo.transaction(async (tx) => {
      await this.kpis.deleteOfProgram(tx, p.regionId, id);
      await this.repo.delete(tx, p.regionId, id);
    });
    this.access.changed(p, p.regionId, 'program', id, 'program.deleted', `Program ${row.code} ${row.name} dihapus`);
  }
}
