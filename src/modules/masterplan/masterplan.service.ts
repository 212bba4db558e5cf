import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { EventMap } from '../../core/events.ts';
import { newId } from '../../core/ids.ts';
import type { Page } from '../../core/paging.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { ParserPool } from '../../platform/files/index.ts';
import type { Schema } from '../../platform/db/schema.ts';
import type { IdentityService, Opd, Principal } from '../identity/index.ts';
import { DIMENSIONS, DIMENSION_KEYS, DOCUMENTS, HORIZONS, isElementOf, READINESS, READINESS_CHECKLIST, READINESS_KEYS, type DocumentKey, type Horizon } from './masterplan.framework.ts';
import type { KpiRow, KpiValueRow, MasterplanRepository, ProgramFilter, ProgramRow } from './masterplan.repository.ts';
import { checkMetric, LiveMetrics, METRICS, yearOf, type LiveSources, type MetricSpec } from './kpis.metrics.ts';
import { PROGRAMME_OWNER_KEYS, type ProgrammeOwner } from './masterplan.constants.ts';
import { buildHierarchy } from './programs.hierarchy.ts';
import { naturalKey, programFileTask, rowHash, type ImportedRow, type Level } from './programs.import.ts';
import { suggestProgram, type Suggestion } from './programs.suggest.ts';

export interface Plan { title: string; vision: string; missions: string[]; policyDirections: string[]; periodStart: number | null; periodEnd: number | null; programmeOwner: ProgrammeOwner | null; updatedAt: number | null }
export interface ReadinessItem { element: string; subKey: string; code: string; questionId: string; questionEn: string; score: number | null; target: number | null; note: string }
export interface Swot { strengths: string[]; weaknesses: string[]; opportunities: string[]; threats: string[] }
export interface Readiness {
  year: number;
  saved: boolean;
  items: ReadinessItem[];
  scores: Record<string, number | null>;
  targets: Record<string, number | null>;
  gaps: Record<string, number | null>;
  swot: Record<string, Swot>;
  years: number[];
}
export interface Program {
  id: string; opdId: string | null; opdCode: string | null; document: string; code: string; level: Level; name: string; indicator: string;
  target: string; unit: string; budget: number; year: number; location: string; dimensionKey: string | null; elementKey: string | null;
  quickWin: boolean; horizon: Horizon | null; roadmapYear: number | null; reviewStatus: string; suggestion: Suggestion | null; createdAt: number; updatedAt: number;
}
export type KpiStatus = 'on_track' | 'at_risk' | 'off_track' | 'no_data';
export interface Kpi {
  id: string; name: string; unit: string; baseline: number | null; direction: 'up' | 'down'; programId: string | null; opdId: string | null;
  dimensionKey: string | null; elementKey: string | null; metric: MetricSpec | null;
  values: { year: number; target: number | null; actual: number | null; source: 'manual' | 'live'; computedAt: number | null }[];
  status: KpiStatus; createdAt: number; updatedAt: number;
}
export interface ImportPreview {
  importId: string; document: string; format: string; headerRow: number; rows: number; valid: number; headings: number; created: number; updated: number; unchanged: number; duplicates: number;
  errors: { row: number; reason: string }[];
  /** the first rows that would be imported, to show */
  sample: { row: number; code: string; level: Level; name: string; opdCode: string | null; indicator: string; target: string; unit: string; budget: number; year: number; location: string; action: 'create' | 'update' | 'unchanged' }[];
  expiresAt: number;
}

interface PendingRow extends ImportedRow { year: number; opdId: string | null; hash: string; key: string }
/** What a confirm needs of a good row, as stored with the preview (one array per row keeps 20,000 rows to a few MB). */
type StoredRow = [row: number, code: string, level: Level, name: string, indicator: string, target: string, unit: string, budget: number, year: number, location: string, opdId: string | null, hash: string];
type ConfirmRow = Omit<PendingRow, 'opd'>;

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

const json = (v: unknown) => JSON.stringify(v);
const list = (text: string | null | undefined): string[] => {
  try {
    const v = JSON.parse(text ?? '[]') as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

export interface ChangeEvent { regionId: string; userId: string | null; entity: string; entityId: string | null; action: string; summary: string; detail?: Record<string, unknown> }
/** Tells whether a user reviews/edits everything (admins, BAPPEDA/DISKOMINFO, the team): MP-DOCS's CollaborationService. */
export interface StandingSource { standing(p: Principal): Promise<{ reviewer: boolean }> }

export class MasterplanService {
  private readonly listeners: ((e: ChangeEvent) => void)[] = [];
  readonly live: LiveMetrics;

  private readonly repo: MasterplanRepository;
  private readonly identity: IdentityService;
  private readonly standingOf: StandingSource | null;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  /** reads the imported files off the main thread, within their limits */
  private readonly parsers: ParserPool;
  constructor(repo: MasterplanRepository, identity: IdentityService, standingOf: StandingSource | null, sources: LiveSources, bus: EventBus, clock: Clock, parsers: ParserPool) {
    this.parsers = parsers;
    this.repo = repo;
    this.identity = identity;
    this.standingOf = standingOf;
    this.bus = bus;
    this.clock = clock;
    this.live = new LiveMetrics(sources);
  }

  // ---------- changes, scoping ----------

  /** Every change of the plan, readiness, programs and KPIs; also published on the bus as `masterplan.changed`. */
  onChange(listener: (e: ChangeEvent) => void): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  private changed(p: Principal | null, regionId: string, entity: string, entityId: string | null, action: string, summary: string, detail?: Record<string, unknown>): void {
    const event: EventMap['masterplan.changed'] = { regionId, userId: p?.userId ?? null, entity, entityId, action, summary, ...(detail && { detail }) };
    for (const l of this.listeners) l(event);
    this.bus.publish('masterplan.changed', event);
  }

  private async reviewer(p: Principal): Promise<boolean> {
    if (p.role === 'admin') return true;
    if (p.role === 'viewer') return false;
    return this.standingOf ? (await this.standingOf.standing(p)).reviewer : false;
  }

  private async requireReviewer(p: Principal, what: string): Promise<void> {
    if (!(await this.reviewer(p))) throw new AppError('FORBIDDEN', `only admins, BAPPEDA/DISKOMINFO and the implementation team may ${what}`);
  }

  /** Operators edit only their own OPD's programs and KPIs; reviewers edit everything; viewers nothing. */
  private async requireEditor(p: Principal, opdId: string | null, what: string): Promise<void> {
    if (p.role === 'viewer') throw new AppError('FORBIDDEN', `viewers may not ${what}`);
    if (await this.reviewer(p)) return;
    if (p.opdId === null || opdId !== p.opdId) throw new AppError('FORBIDDEN', `you may ${what} only for your own OPD`);
  }

  private opds(regionId: string): Promise<Opd[]> {
    return this.identity.listOpds({ regionId } as Principal);
  }

  // ---------- framework, plan ----------

  framework() {
    return { dimensions: DIMENSIONS, readiness: READINESS, horizons: HORIZONS, documents: DOCUMENTS, checklist: READINESS_CHECKLIST };
  }

  async plan(p: Principal): Promise<Plan> {
    const row = await this.repo.plan(p.regionId);
    if (!row) return { title: '', vision: '', missions: [], policyDirections: [], periodStart: null, periodEnd: null, programmeOwner: null, updatedAt: null };
    return {
      title: row.title, vision: row.vision, missions: list(row.missions), policyDirections: list(row.policy_directions), periodStart: row.period_start, periodEnd: row.period_end,
      programmeOwner: ownerOf(row.programme_owner), updatedAt: Number(row.updated_at),
    };
  }

  /** `programmeOwner` left out keeps the one set; null returns to choosing by the document's date. */
  async putPlan(p: Principal, input: Omit<Plan, 'updatedAt' | 'programmeOwner'> & { programmeOwner?: ProgrammeOwner | null | undefined }): Promise<Plan> {
    await this.requireReviewer(p, 'change the plan');
    if (input.periodStart !== null && input.periodEnd !== null && input.periodEnd < input.periodStart) throw new AppError('VALIDATION_FAILED', 'periodEnd is before periodStart');
    await this.repo.putPlan(this.repo.db, {
      region_id: p.regionId, title: input.title, vision: input.vision, missions: json(input.missions), policy_directions: json(input.policyDirections),
      period_start: input.periodStart, period_end: input.periodEnd,
      programme_owner: input.programmeOwner !== undefined ? input.programmeOwner : (await this.repo.plan(p.regionId))?.programme_owner ?? null,
      updated_by: p.userId, updated_at: this.clock.now(),
    });
    this.changed(p, p.regionId, 'plan', null, 'plan.updated', 'Visi, misi dan arah kebijakan diperbarui');
    return this.plan(p);
  }

  // ---------- readiness ----------

  async readiness(p: Principal, year: number): Promise<Readiness> {
    return this.readinessOf(p.regionId, year);
  }

  async readinessOf(regionId: string, year: number): Promise<Readiness> {
    const [rows, swotRows, years] = await Promise.all([this.repo.readiness(regionId, year), this.repo.swot(regionId, year), this.repo.readinessYears(regionId)]);
    const order = new Map(READINESS_CHECKLIST.map((q, i) => [q.code, i]));
    const items: ReadinessItem[] = rows.length
      ? rows
          .map((r) => ({ element: r.element, subKey: r.sub_key, code: r.code, questionId: r.question_id, questionEn: r.question_en, score: r.score, target: r.target, note: r.note }))
          .sort((a, b) => (order.get(a.code) ?? 1e6) - (order.get(b.code) ?? 1e6) || a.code.localeCompare(b.code, 'en', { numeric: true }))
      : READINESS_CHECKLIST.map((q) => ({ ...q, score: null, target: null, note: '' }));
    const scores: Record<string, number | null> = {};
    const targets: Record<string, number | null> = {};
    const gaps: Record<string, number | null> = {};
    for (const element of READINESS_KEYS) {
      const mine = items.filter((i) => i.element === element);
      scores[element] = percent(mine.map((i) => i.score));
      targets[element] = percent(mine.map((i) => i.target));
      gaps[element] = scores[element] !== null && targets[element] !== null ? Math.round((targets[element]! - scores[element]!) * 10) / 10 : null;
    }
    const swot: Record<string, Swot> = {};
    for (const element of READINESS_KEYS) swot[element] = { strengths: [], weaknesses: [], opportunities: [], threats: [] };
    for (const s of swotRows) swot[s.element] = { strengths: list(s.strengths), weaknesses: list(s.weaknesses), opportunities: list(s.opportunities), threats: list(s.threats) };
    return { year, saved: rows.length > 0, items, scores, targets, gaps, swot, years };
  }

  async putReadiness(p: Principal | null, regionId: string, year: number, input: { items: Partial<ReadinessItem>[]; swot?: Record<string, Partial<Swot>> }): Promise<Readiness> {
    if (p) await this.requireReviewer(p, 'change the readiness assessment');
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new AppError('VALIDATION_FAILED', 'year must be between 2000 and 2100');
    const now = this.clock.now();
    const seen = new Set<string>();
    const rows: Schema['mp_readiness'][] = input.items.map((item, i) => {
      const def = READINESS_CHECKLIST.find((q) => q.code === item.code);
      const element = item.element ?? def?.element;
      const subKey = item.subKey ?? def?.subKey;
      const questionId = item.questionId ?? def?.questionId;
      if (!item.code) throw new AppError('VALIDATION_FAILED', `items[${i}] needs a code`);
      if (seen.has(item.code)) throw new AppError('VALIDATION_FAILED', `items[${i}]: code ${item.code} is given twice`);
      seen.add(item.code);
      if (!element || !(READINESS_KEYS as readonly string[]).includes(element)) throw new AppError('VALIDATION_FAILED', `items[${i}]: element must be one of ${READINESS_KEYS.join(', ')}`);
      const sub = READINESS.find((r) => r.key === element)!.subs.find((s) => s.key === subKey);
      if (!sub) throw new AppError('VALIDATION_FAILED', `items[${i}]: subKey "${subKey}" is not a sub-element of ${element}`);
      if (!questionId) throw new AppError('VALIDATION_FAILED', `items[${i}]: a question of your own (code ${item.code}) needs questionId`);
      return {
        region_id: regionId, year, element, sub_key: sub.key, code: item.code, question_id: questionId, question_en: item.questionEn ?? def?.questionEn ?? questionId,
        score: item.score ?? null, target: item.target ?? null, note: item.note ?? '', updated_at: now,
      };
    });
    const swot: Schema['mp_swot'][] = Object.entries(input.swot ?? {}).map(([element, s]) => {
      if (!(READINESS_KEYS as readonly string[]).includes(element)) throw new AppError('VALIDATION_FAILED', `swot: "${element}" is not a readiness element`);
      return { region_id: regionId, year, element, strengths: json(s.strengths ?? []), weaknesses: json(s.weaknesses ?? []), opportunities: json(s.opportunities ?? []), threats: json(s.threats ?? []), updated_at: now };
    });
    await this.repo.transaction((tx) => this.repo.replaceReadiness(tx, regionId, year, rows, swot));
    this.changed(p, regionId, 'readiness', String(year), 'readiness.updated', `Asesmen kesiapan ${year} diperbarui`);
    return this.readinessOf(regionId, year);
  }

  async compareReadiness(p: Principal, years: number[]) {
    const all = await Promise.all(years.map((y) => this.readinessOf(p.regionId, y)));
    const delta: Record<string, number | null> = {};
    if (all.length >= 2) {
      const [a, b] = [all[0]!, all[all.length - 1]!];
      for (const e of READINESS_KEYS) delta[e] = a.scores[e] != null && b.scores[e] != null ? Math.round((b.scores[e]! - a.scores[e]!) * 10) / 10 : null;
    }
    return { years: all, delta };
  }

  // ---------- programs ----------

  private toProgram(r: ProgramRow, opds: Map<string, Opd>): Program {
    return {
      id: r.id, opdId: r.opd_id, opdCode: r.opd_id ? opds.get(r.opd_id)?.code ?? null : null, document: r.document, code: r.code, level: r.level, name: r.name,
      indicator: r.indicator, target: r.target, unit: r.unit, budget: Number(r.budget), year: r.year, location: r.location, dimensionKey: r.dimension_key,
      elementKey: r.element_key, quickWin: r.quick_win === 1, horizon: r.horizon as Horizon | null, roadmapYear: r.roadmap_year, reviewStatus: r.review_status,
      suggestion: suggestProgram(r), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
    };
  }

  private async opdMap(regionId: string) {
    return new Map((await this.opds(regionId)).map((o) => [o.id, o]));
  }

  async listPrograms(p: Principal, filter: ProgramFilter, limit: number, cursor?: string): Promise<Page<Program>> {
    const rows = await this.repo.listPrograms(p.regionId, filter, limit, decodeProgramCursor(cursor));
    const opds = await this.opdMap(p.regionId);
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    const last = kept[kept.length - 1];
    return { items: kept.map((r) => this.toProgram(r, opds)), nextCursor: more && last ? Buffer.from(JSON.stringify([last.code, last.id])).toString('base64url') : null };
  }

  async getProgram(p: Principal, id: string): Promise<Program> {
    const row = await this.repo.program(p.regionId, id);
    if (!row) throw new AppError('PROGRAM_NOT_FOUND', `no program ${id}`);
    return this.toProgram(row, await this.opdMap(p.regionId));
  }

  private checkMapping(dimensionKey: string | null | undefined, elementKey: string | null | undefined): void {
    if (dimensionKey != null && !DIMENSION_KEYS.includes(dimensionKey)) throw new AppError('VALIDATION_FAILED', `dimensionKey must be one of ${DIMENSION_KEYS.join(', ')}`);
    if (elementKey != null) {
      if (dimensionKey == null) throw new AppError('VALIDATION_FAILED', 'an elementKey needs its dimensionKey');
      if (!isElementOf(dimensionKey, elementKey)) throw new AppError('VALIDATION_FAILED', `"${elementKey}" is not an element of ${dimensionKey}`);
    }
  }

  async createProgram(p: Principal, input: Partial<Omit<Program, 'id' | 'opdCode' | 'level' | 'suggestion' | 'reviewStatus' | 'createdAt' | 'updatedAt'>> & { code: string; name: string; document: string; year: number }): Promise<Program> {
    const opdId = input.opdId ?? (p.role === 'operator' ? p.opdId : null);
    await this.requireEditor(p, opdId, 'add programs');
    if (opdId) await this.identity.assertOpd(p.regionId, opdId);
    const { parseCode } = await import('./programs.import.ts');
    const code = parseCode(input.code);
    if ('error' in code) throw new AppError('VALIDATION_FAILED', code.error);
    this.checkMapping(input.dimensionKey, input.elementKey);
    const now = this.clock.now();
    const id = newId();
    const row: ProgramRow = {
      id, region_id: p.regionId, opd_id: opdId, document: input.document, code: code.code, level: code.level, name: input.name, indicator: input.indicator ?? '',
      target: input.target ?? '', unit: input.unit ?? '', budget: input.budget ?? 0, year: input.year, location: input.location ?? '', dimension_key: input.dimensionKey ?? null,
      element_key: input.elementKey ?? null, quick_win: input.quickWin ? 1 : 0, horizon: input.horizon ?? null, roadmap_year: input.roadmapYear ?? null, review_status: 'draft',
      natural_key: `#${id}`, source_hash: '', created_at: now, updated_at: now,
    };
    await this.repo.insertPrograms(this.repo.db, [row]);
    this.changed(p, p.regionId, 'program', row.id, 'program.created', `Program ${row.code} ${row.name} ditambahkan`);
    return this.getProgram(p, row.id);
  }

  async updateProgram(p: Principal, id: string, patch: Partial<Pick<Program, 'dimensionKey' | 'elementKey' | 'quickWin' | 'horizon' | 'roadmapYear' | 'name' | 'indicator' | 'target' | 'unit' | 'budget' | 'location' | 'opdId'>>): Promise<Program> {
    const row = await this.repo.program(p.regionId, id);
    if (!row) throw new AppError('PROGRAM_NOT_FOUND', `no program ${id}`);
    await this.requireEditor(p, row.opd_id, 'change programs');
    if (patch.opdId !== undefined && patch.opdId !== row.opd_id) {
      if (!(await this.reviewer(p))) throw new AppError('FORBIDDEN', 'only reviewers may move a program to another OPD');
      if (patch.opdId) await this.identity.assertOpd(p.regionId, patch.opdId);
    }
    const dimensionKey = patch.dimensionKey !== undefined ? patch.dimensionKey : row.dimension_key;
    let elementKey = patch.elementKey !== undefined ? patch.elementKey : row.element_key;
    // choosing another dimension without an element drops the old element
    if (patch.dimensionKey !== undefined && patch.elementKey === undefined && elementKey !== null && (dimensionKey === null || !isElementOf(dimensionKey, elementKey))) elementKey = null;
    this.checkMapping(dimensionKey, elementKey);
    if (patch.roadmapYear != null && (patch.roadmapYear < 2000 || patch.roadmapYear > 2100)) throw new AppError('VALIDATION_FAILED', 'roadmapYear must be between 2000 and 2100');
    const set: Partial<ProgramRow> = { dimension_key: dimensionKey, element_key: elementKey, updated_at: this.clock.now() };
    if (patch.quickWin !== undefined) set.quick_win = patch.quickWin ? 1 : 0;
    if (patch.horizon !== undefined) set.horizon = patch.horizon;
    if (patch.roadmapYear !== undefined) set.roadmap_year = patch.roadmapYear;
    for (const k of ['name', 'indicator', 'target', 'unit', 'budget', 'location'] as const) if (patch[k] !== undefined) (set as Record<string, unknown>)[k] = patch[k];
    if (patch.opdId !== undefined) set.opd_id = patch.opdId;
    await this.repo.updateProgram(this.repo.db, p.regionId, id, set);
    this.changed(p, p.regionId, 'program', id, 'program.updated', `Program ${row.code} ${row.name} diubah`, { fields: Object.keys(patch) });
    return this.getProgram(p, id);
  }

  async deleteProgram(p: Principal, id: string): Promise<void> {
    const row = await this.repo.program(p.regionId, id);
    if (!row) throw new AppError('PROGRAM_NOT_FOUND', `no program ${id}`);
    await this.requireEditor(p, row.opd_id, 'delete programs');
    await this.repo.transaction((tx) => this.repo.deleteProgram(tx, p.regionId, id));
    this.changed(p, p.regionId, 'program', id, 'program.deleted', `Program ${row.code} ${row.name} dihapus`);
  }

  // ---------- import ----------

  /** Reads the file and compares it with what is stored: no program is saved; the good rows are kept 30 minutes for the confirm. */
  async previewImport(p: Principal, file: { bytes: Buffer; filename: string }, document: DocumentKey, defaultYear: number | null): Promise<ImportPreview> {
    if (p.role === 'viewer') throw new AppError('FORBIDDEN', 'viewers may not import programs');
    const reviewer = await this.reviewer(p);
    // moved to the worker, not copied: the upload is not needed here afterwards
    const parsed = await this.parsers.run(programFileTask, file.bytes, { filename: file.filename }, true);
    const opds = await this.opds(p.regionId);
    const byCode = new Map(opds.map((o) => [o.code.toUpperCase(), o]));
    const byName = new Map(opds.map((o) => [normName(o.name), o]));
    const resolveOpd = (raw: string): Opd | undefined => {
      const t = raw.trim();
      return byCode.get(t.toUpperCase()) ?? byName.get(normName(t)) ?? byName.get(normName(t.replace(/^[\d.\s-]+/, ''))) ?? byCode.get(t.replace(/^[\d.\s-]+/, '').toUpperCase());
    };
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
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    const action = (r: PendingRow): 'create' | 'update' | 'unchanged' => {
      const e = existing.get(r.key);
      return !e ? 'create' : e.hash === r.hash ? 'unchanged' : 'update';
    };
    for (const r of good) {
      const a = action(r);
      if (a === 'create') created++;
      else if (a === 'update') updated++;
      else unchanged++;
    }
    const now = this.clock.now();
    const importId = newId();
    // kept in the database, so that the confirm may reach any instance, or this one after a restart
    await this.repo.purgeImportPreviews(now);
    await this.repo.saveImportPreview({ id: importId, region_id: p.regionId, user_id: p.userId, document, year: defaultYear, rows: encodeRows(good), created_at: now, expires_at: now + IMPORT_TTL_MS }, MAX_PENDING);
    const opdCode = new Map(opds.map((o) => [o.id, o.code]));
    return {
      importId, document, format: parsed.format, headerRow: parsed.headerRow, headings: parsed.headings, rows: good.length + errors.length, valid: good.length, created, updated, unchanged, duplicates,
      errors: errors.slice(0, 1000),
      sample: good.slice(0, 50).map((r) => ({ row: r.row, code: r.code, level: r.level, name: r.name, opdCode: r.opdId ? opdCode.get(r.opdId) ?? null : null, indicator: r.indicator, target: r.target, unit: r.unit, budget: r.budget, year: r.year, location: r.location, action: action(r) })),
      expiresAt: now + IMPORT_TTL_MS,
    };
  }

  /** Saves the good rows of a preview: new ones created, changed ones updated (their mapping kept), the same ones untouched. */
  async confirmImport(p: Principal, importId: string): Promise<{ created: number; updated: number; unchanged: number; updatedRows: { row: number; code: string; id: string; fields: string[] }[] }> {
    const now = this.clock.now();
    const stored = await this.repo.importPreview(p.regionId, importId, now);
    if (!stored) throw importGone();
    if (stored.user_id !== p.userId) throw new AppError('FORBIDDEN', 'only the user who sent the file may confirm its import');
    // the preview waits up to 30 minutes: the user's role or OPD may have changed meanwhile
    if (p.role === 'viewer') throw new AppError('FORBIDDEN', 'viewers may not import programs');
    const pend = { document: stored.document, rows: decodeRows(stored.document, stored.rows) };
    if (!(await this.reviewer(p)) && pend.rows.some((r) => r.opdId !== p.opdId)) {
      throw new AppError('FORBIDDEN', "the file holds another OPD's programs, and you may import only your own OPD's; send it again");
    }
    const result = await this.repo.transaction(async (tx) => {
      // deleted with the import or not at all: of two confirms of one preview, on any instances, one imports
      if (!(await this.repo.claimImportPreview(tx, p.regionId, p.userId, importId, now))) throw importGone();
      // (a unique index on the natural key refuses a second import of the same rows running at the same time)
      const existing = await this.repo.importedKeys(tx, p.regionId, pend.document);
      const inserts: ProgramRow[] = [];
      const updatedRows: { row: number; code: string; id: string; fields: string[] }[] = [];
      let unchanged = 0;
      for (const r of pend.rows) {
        const e = existing.get(r.key);
        if (e && e.hash === r.hash) {
          unchanged++;
          continue;
        }
        if (e) {
          const fields = (['level', 'name', 'indicator', 'target', 'unit', 'budget', 'location'] as const).filter((f) => e.row[f] !== r[f]);
          await this.repo.updateProgram(tx, p.regionId, e.id, { level: r.level, name: r.name, indicator: r.indicator, target: r.target, unit: r.unit, budget: r.budget, location: r.location, source_hash: r.hash, updated_at: now });
          updatedRows.push({ row: r.row, code: r.code, id: e.id, fields });
          continue;
        }
        inserts.push({
          id: newId(), region_id: p.regionId, opd_id: r.opdId, document: pend.document, code: r.code, level: r.level, name: r.name, indicator: r.indicator, target: r.target,
          unit: r.unit, budget: r.budget, year: r.year, location: r.location, dimension_key: null, element_key: null, quick_win: 0, horizon: null, roadmap_year: null,
          review_status: 'draft', natural_key: r.key, source_hash: r.hash, created_at: now, updated_at: now,
        });
      }
      await this.repo.insertPrograms(tx, inserts);
      return { created: inserts.length, updated: updatedRows.length, unchanged, updatedRows };
    }).catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'the same rows were imported at the same time by another import; send the file again to see what changed');
      throw error;
    });
    if (result.created || result.updated) {
      this.changed(p, p.regionId, 'program', null, 'programs.imported', `Impor ${pend.document}: ${result.created} program baru, ${result.updated} diperbarui`, { created: result.created, updated: result.updated, unchanged: result.unchanged });
    }
    return result;
  }

  // ---------- KPIs ----------

  private async kpiOut(rows: KpiRow[], year?: number): Promise<Kpi[]> {
    const values = await this.repo.kpiValues(rows.map((r) => r.id));
    const of = new Map<string, KpiValueRow[]>();
    for (const v of values) (of.get(v.kpi_id) ?? of.set(v.kpi_id, []).get(v.kpi_id)!).push(v);
    return rows.map((r) => {
      const vals = (of.get(r.id) ?? []).map((v) => ({ year: v.year, target: v.target, actual: v.actual, source: v.source, computedAt: v.computed_at === null ? null : Number(v.computed_at) }));
      return {
        id: r.id, name: r.name, unit: r.unit, baseline: r.baseline, direction: r.direction, programId: r.program_id, opdId: r.opd_id, dimensionKey: r.dimension_key,
        elementKey: r.element_key, metric: r.metric ? (JSON.parse(r.metric) as MetricSpec) : null, values: vals, status: kpiStatus(r.direction, vals, year),
        createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
      };
    });
  }

  async listKpis(p: Principal, filter: { programId?: string; dimension?: string; year?: number }): Promise<Kpi[]> {
    return this.kpiOut(await this.repo.kpis(p.regionId, filter), filter.year);
  }

  async getKpi(p: Principal, id: string): Promise<Kpi> {
    const row = await this.repo.kpi(p.regionId, id);
    if (!row) throw new AppError('KPI_NOT_FOUND', `no KPI ${id}`);
    return (await this.kpiOut([row]))[0]!;
  }

  metrics() {
    return METRICS;
  }

  async createKpi(p: Principal, input: { name: string; unit?: string; baseline?: number | null; direction?: 'up' | 'down'; programId?: string | null; dimensionKey?: string | null; elementKey?: string | null; opdId?: string | null; metric?: { kind: string; params?: Record<string, unknown> } | null; values?: { year: number; target?: number | null; actual?: number | null }[] }): Promise<Kpi> {
    let opdId = input.opdId ?? null;
    let dimensionKey = input.dimensionKey ?? null;
    let elementKey = input.elementKey ?? null;
    if (input.programId) {
      const program = await this.repo.program(p.regionId, input.programId);
      if (!program) throw new AppError('PROGRAM_NOT_FOUND', `no program ${input.programId}`);
      opdId = program.opd_id;
      dimensionKey ??= program.dimension_key;
      elementKey ??= program.element_key;
    } else if (opdId === null && p.role === 'operator') opdId = p.opdId;
    await this.requireEditor(p, opdId, 'add KPIs');
    if (opdId) await this.identity.assertOpd(p.regionId, opdId);
    this.checkMapping(dimensionKey, elementKey);
    const metric = input.metric ? checkMetric(input.metric) : null;
    const now = this.clock.now();
    const id = newId();
    await this.repo.transaction(async (tx) => {
      await tx.insertInto('mp_kpis').values({
        id, region_id: p.regionId, program_id: input.programId ?? null, dimension_key: dimensionKey, element_key: elementKey, name: input.name, unit: input.unit ?? '',
        baseline: input.baseline ?? null, direction: input.direction ?? 'up', metric: metric ? json(metric) : null, opd_id: opdId, created_at: now, updated_at: now,
      }).execute();
      for (const v of input.values ?? []) await this.repo.putKpiValue(tx, { kpi_id: id, year: v.year, target: v.target ?? null, actual: v.actual ?? null, source: 'manual', computed_at: null });
    });
    this.changed(p, p.regionId, 'kpi', id, 'kpi.created', `KPI "${input.name}" ditambahkan`);
    if (metric) await this.refreshOne(p.regionId, id);
    return this.getKpi(p, id);
  }

  async updateKpi(p: Principal, id: string, patch: { name?: string; unit?: string; baseline?: number | null; direction?: 'up' | 'down'; dimensionKey?: string | null; elementKey?: string | null; metric?: { kind: string; params?: Record<string, unknown> } | null }): Promise<Kpi> {
    const row = await this.repo.kpi(p.regionId, id);
    if (!row) throw new AppError('KPI_NOT_FOUND', `no KPI ${id}`);
    await this.requireEditor(p, row.opd_id, 'change KPIs');
    const dimensionKey = patch.dimensionKey !== undefined ? patch.dimensionKey : row.dimension_key;
    const elementKey = patch.elementKey !== undefined ? patch.elementKey : row.element_key;
    this.checkMapping(dimensionKey, elementKey);
    const set: Partial<KpiRow> = { dimension_key: dimensionKey, element_key: elementKey, updated_at: this.clock.now() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.unit !== undefined) set.unit = patch.unit;
    if (patch.baseline !== undefined) set.baseline = patch.baseline;
    if (patch.direction !== undefined) set.direction = patch.direction;
    if (patch.metric !== undefined) set.metric = patch.metric ? json(checkMetric(patch.metric)) : null;
    await this.repo.db.updateTable('mp_kpis').set(set).where('id', '=', id).where('region_id', '=', p.regionId).execute();
    this.changed(p, p.regionId, 'kpi', id, 'kpi.updated', `KPI "${row.name}" diubah`, { fields: Object.keys(patch) });
    if (patch.metric) await this.refreshOne(p.regionId, id);
    return this.getKpi(p, id);
  }

  async deleteKpi(p: Principal, id: string): Promise<void> {
    const row = await this.repo.kpi(p.regionId, id);
    if (!row) throw new AppError('KPI_NOT_FOUND', `no KPI ${id}`);
    await this.requireEditor(p, row.opd_id, 'delete KPIs');
    await this.repo.transaction(async (tx) => {
      await tx.deleteFrom('mp_kpi_values').where('kpi_id', '=', id).execute();
      await tx.deleteFrom('mp_kpis').where('id', '=', id).execute();
    });
    this.changed(p, p.regionId, 'kpi', id, 'kpi.deleted', `KPI "${row.name}" dihapus`);
  }

  /** Target and/or realisation of a year by hand; a live KPI's actual is computed, so only its target is taken. */
  async putKpiValue(p: Principal, id: string, year: number, input: { target?: number | null; actual?: number | null }): Promise<Kpi> {
    const row = await this.repo.kpi(p.regionId, id);
    if (!row) throw new AppError('KPI_NOT_FOUND', `no KPI ${id}`);
    await this.requireEditor(p, row.opd_id, 'change KPIs');
    if (row.metric && input.actual !== undefined && input.actual !== null) throw new AppError('VALIDATION_FAILED', 'this KPI is computed from live data: set only its target');
    await this.repo.transaction(async (tx) => {
      const existing = await tx.selectFrom('mp_kpi_values').selectAll().where('kpi_id', '=', id).where('year', '=', year).executeTakeFirst();
      await this.repo.putKpiValue(tx, {
        kpi_id: id, year,
        target: input.target !== undefined ? input.target : existing?.target ?? null,
        actual: row.metric ? existing?.actual ?? null : input.actual !== undefined ? input.actual : existing?.actual ?? null,
        source: row.metric ? 'live' : 'manual',
        computed_at: row.metric ? existing?.computed_at ?? null : null,
      });
    });
    this.changed(p, p.regionId, 'kpi', id, 'kpi.value', `KPI "${row.name}" ${year}: target ${input.target ?? '-'}, realisasi ${input.actual ?? '-'}`);
    return this.getKpi(p, id);
  }

  private async refreshOne(regionId: string, id: string): Promise<void> {
    const row = await this.repo.kpi(regionId, id);
    if (!row?.metric) return;
    const now = this.clock.now();
    const year = yearOf(now);
    const actual = await this.live.compute(regionId, JSON.parse(row.metric) as MetricSpec, year, now);
    await this.repo.transaction((tx) => this.repo.putKpiValue(tx, { kpi_id: id, year, target: null, actual, source: 'live', computed_at: now }, true));
  }

  /** Recomputes every live KPI of the region for the current year. */
  async refresh(regionId: string): Promise<{ refreshed: number; at: number }> {
    const rows = (await this.repo.kpis(regionId)).filter((k) => k.metric);
    for (const k of rows) await this.refreshOne(regionId, k.id);
    return { refreshed: rows.length, at: this.clock.now() };
  }

  async refreshAsUser(p: Principal) {
    if (p.role === 'viewer') throw new AppError('FORBIDDEN', 'viewers may not refresh KPIs');
    return this.refresh(p.regionId);
  }

  /** Drops expired import previews and refreshes the live KPIs of every region (the module's periodic job). */
  async refreshAll(): Promise<void> {
    await this.repo.purgeImportPreviews(this.clock.now());
    for (const region of await this.identity.listRegions()) await this.refresh(region.id);
  }

  // ---------- dashboard ----------

  /**
   * `initiatives`: per dimension, how many and their budget (initiatives.summary.ts); `quickWins`: the quick win
   * records per dimension (quickwins/), running in `year` when given; the lines' figures stay beside them.
   */
  async dashboard(
    p: Principal,
    year: number | undefined,
    evaluationIndex: (regionId: string) => Promise<{ year: number; index: number }[]>,
    initiatives: (p: Principal, year: number | undefined) => Promise<{ key: string; initiatives: number; budget: number }[]>,
    quickWins: (regionId: string, year: number | undefined) => Promise<{ key: string; quickWins: number }[]>,
  ) {
    const perDimension = await initiatives(p, year);
    const quickPerDimension = await quickWins(p.regionId, year);
    const quickOf = (key: string) => quickPerDimension.find((x) => x.key === key)?.quickWins ?? 0;
    const programs = await this.repo.allPrograms(p.regionId, year);
    const kpis = await this.kpiOut(await this.repo.kpis(p.regionId), year);
    const opds = await this.opdMap(p.regionId);
    // kegiatan and sub kegiatan not mapped on their own count in their program's dimension
    const rows = programs.map((r) => ({ id: r.id, code: r.code, document: r.document, year: r.year, opd: r.opd_id, budget: Number(r.budget), dimensionKey: r.dimension_key, elementKey: r.element_key }));
    const tree = buildHierarchy(rows);
    const leafBudget = (r: (typeof rows)[number]) => tree.counted(r);
    const byDimension = DIMENSIONS.map((d) => {
      const keep = (r: (typeof rows)[number]) => tree.mapping(r).dimensionKey === d.key;
      const mine = rows.filter(keep);
      const dk = kpis.filter((k) => k.dimensionKey === d.key);
      const progress = progressOf(dk, year);
      return {
        key: d.key, nameId: d.nameId, nameEn: d.nameEn, initiatives: perDimension.find((x) => x.key === d.key)?.initiatives ?? 0, initiativeBudget: perDimension.find((x) => x.key === d.key)?.budget ?? 0, programs: mine.length, quickWins: quickOf(d.key),
        budget: tree.total(keep), kpis: dk.length, kpisOnTrack: dk.filter((k) => k.status === 'on_track').length,
        kpisAtRisk: dk.filter((k) => k.status === 'at_risk').length, kpisOffTrack: dk.filter((k) => k.status === 'off_track').length, progress,
      };
    });
    const byOpd = new Map<string, number>();
    for (const r of rows) byOpd.set(r.opd ?? '', (byOpd.get(r.opd ?? '') ?? 0) + leafBudget(r));
    const budgetByOpd = [...byOpd.entries()]
      .map(([opdId, budget]) => ({ opdId: opdId || null, opdCode: opdId ? opds.get(opdId)?.code ?? null : null, opdName: opdId ? opds.get(opdId)?.name ?? null : null, budget }))
      .sort((a, b) => b.budget - a.budget);
    const count = (s: KpiStatus) => kpis.filter((k) => k.status === s).length;
    // A failure to read the evaluation fails the dashboard: an empty history would read as "never evaluated".
    const index = await evaluationIndex(p.regionId);
    return {
      year: year ?? null,
      totals: { initiatives: byDimension.reduce((a, d) => a + d.initiatives, 0), initiativeBudget: byDimension.reduce((a, d) => a + d.initiativeBudget, 0), programs: rows.length, mapped: rows.filter((r) => tree.mapping(r).dimensionKey !== null).length, quickWins: quickPerDimension.reduce((a, d) => a + d.quickWins, 0), budget: rows.reduce((s, r) => s + leafBudget(r), 0) },
      byDimension,
      budgetByOpd,
      kpis: { onTrack: count('on_track'), atRisk: count('at_risk'), offTrack: count('off_track'), noData: count('no_data') },
      evaluationIndex: index,
    };
  }
}

/** Programs page in code order: the cursor is the last row's code and id. */
function decodeProgramCursor(value: string | undefined): { code: string; id: string } | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    const v = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string' && v[0].length <= 40 && v[1].length <= 100) return { code: v[0], id: v[1] };
  } catch {
    // fall through
  }
  throw new AppError('QUERY_INVALID', 'cursor is not one this API gave out; start again without it');
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const ownerOf = (v: string | null): ProgrammeOwner | null => PROGRAMME_OWNER_KEYS.find((k) => k === v) ?? null;

const normName = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

function percent(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null);
  if (v.length === 0) return null;
  return Math.round((v.reduce((s, x) => s + x, 0) / (v.length * 4)) * 1000) / 10;
}

/** How far the actual is toward the target: 1 = met. Down: lower is better. */
export function achievement(direction: 'up' | 'down', target: number, actual: number): number {
  if (direction === 'up') return target === 0 ? (actual >= 0 ? 1 : 0) : actual / target;
  if (actual <= target) return 1;
  return actual === 0 ? 1 : target / actual;
}

/**
 * on_track: the target is met; at_risk: within 20 % of it; off_track: further;
 * no_data: no target or no actual for the year (the year asked, else the latest with both).
 */
export function kpiStatus(direction: 'up' | 'down', values: { year: number; target: number | null; actual: number | null }[], year?: number): KpiStatus {
  const usable = values.filter((v) => v.target !== null && v.actual !== null);
  const v = year !== undefined ? usable.find((x) => x.year === year) : usable.sort((a, b) => b.year - a.year)[0];
  if (!v) return 'no_data';
  const a = achievement(direction, v.target!, v.actual!);
  return a >= 1 ? 'on_track' : a >= 0.8 ? 'at_risk' : 'off_track';
}

function progressOf(kpis: Kpi[], year?: number): number | null {
  const parts: number[] = [];
  for (const k of kpis) {
    const usable = k.values.filter((v) => v.target !== null && v.actual !== null);
    const v = year !== undefined ? usable.find((x) => x.year === year) : usable.sort((a, b) => b.year - a.year)[0];
    if (v) parts.push(Math.min(1, Math.max(0, achievement(k.direction, v.target!, v.actual!))));
  }
  return parts.length ? Math.round((parts.reduce((s, x) => s + x, 0) / parts.length) * 1000) / 10 : null;
}
