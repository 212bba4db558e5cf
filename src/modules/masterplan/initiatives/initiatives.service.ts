/**
 * Initiatives, the master plan's unit: read with their funding trace and
 * budget, created, changed and deleted, and their planned and realised money
 * per year. Linking lines is initiatives.links.ts; grouping suggestions
 * initiatives.suggest.ts.
 */
import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import type { EventBus } from '../../../platform/bus/index.ts';
import type { MpProgramsTable } from '../../../platform/db/schema.ts';
import type { IdentityService, Opd, Principal } from '../../identity/index.ts';
import { DIMENSIONS, isElementOf } from '../plan/plan.framework.ts';
import { checkInPeriod, type InitiativeAccess, type PlanSource } from './initiatives.access.ts';
import { initiativeBudgets, linkKey } from './initiatives.budget.ts';
import type { Initiative, InitiativeCreate, InitiativeList, InitiativePatch, InitiativeQuery, YearBody } from './initiatives.contract.ts';
import type { Exec, InitiativeRow, InitiativesRepository, LinkRow, YearRow } from './initiatives.repository.ts';

/** A JSON text column holding a list of strings (anything else reads as empty). */
export const list = (text: string): string[] => {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};
const unique = <T>(xs: readonly T[]) => [...new Set(xs)];
const notFound = (id: string) => new AppError('INITIATIVE_NOT_FOUND', `no initiative ${id}`);

/** Everything a view of initiatives needs from one read of the region. */
interface RegionState { lines: MpProgramsTable[]; links: LinkRow[]; opds: Map<string, Opd> }

export class InitiativesService {
  readonly repo: InitiativesRepository;
  readonly plans: PlanSource;
  readonly access: InitiativeAccess;
  private readonly identity: IdentityService;
  private readonly bus: EventBus;
  readonly clock: Clock;
  constructor(repo: InitiativesRepository, plans: PlanSource, access: InitiativeAccess, identity: IdentityService, bus: EventBus, clock: Clock) {
    this.repo = repo;
    this.plans = plans;
    this.access = access;
    this.identity = identity;
    this.bus = bus;
    this.clock = clock;
  }

  /** Published as `masterplan.changed`: the activity log records it. */
  changed(p: Principal, entityId: string | null, action: string, summary: string, detail?: Record<string, unknown>): void {
    this.bus.publish('masterplan.changed', { regionId: p.regionId, userId: p.userId, entity: 'initiative', entityId, action, summary, ...(detail && { detail }) });
  }

  async state(p: Principal): Promise<RegionState> {
    const [lines, links, opds] = await Promise.all([this.plans.allPrograms(p.regionId), this.repo.links(p.regionId), this.identity.listOpds(p)]);
    return { lines, links, opds: new Map(opds.map((o) => [o.id, o])) };
  }

  async row(regionId: string, id: string, exec?: Exec): Promise<InitiativeRow> {
    const row = await this.repo.initiative(regionId, id, exec);
    if (!row) throw notFound(id);
    return row;
  }

  /** The initiatives as the API shows them: lines with what each adds (counted once), the budget, the years. */
  async view(p: Principal, rows: InitiativeRow[], state?: RegionState): Promise<Initiative[]> {
    const { lines, links, opds } = state ?? (await this.state(p));
    const { byLink, byInitiative } = initiativeBudgets(
      lines.map((l) => ({ id: l.id, code: l.code, document: l.document, year: l.year, opdId: l.opd_id, budget: Number(l.budget) })),
      links.map((k) => ({ initiativeId: k.initiative_id, programId: k.program_id, share: k.share })),
    );
    const lineById = new Map(lines.map((l) => [l.id, l]));
    const years = new Map<string, YearRow[]>();
    for (const y of await this.repo.years(p.regionId, rows.map((r) => r.id))) (years.get(y.initiative_id) ?? years.set(y.initiative_id, []).get(y.initiative_id)!).push(y);
    return rows.map((r) => {
      const mine = links.filter((k) => k.initiative_id === r.id).flatMap((k) => {
        const l = lineById.get(k.program_id);
        if (!l) return [];
        return [{
          programId: l.id, code: l.code, level: l.level, name: l.name, document: l.document, year: l.year, opdId: l.opd_id, opdCode: l.opd_id ? opds.get(l.opd_id)?.code ?? null : null,
          budget: Number(l.budget), share: k.share, counted: byLink.get(linkKey(r.id, l.id)) ?? 0,
        }];
      }).sort((a, b) => a.year - b.year || a.document.localeCompare(b.document) || a.code.localeCompare(b.code));
      const budget = byInitiative.get(r.id);
      const fromLines = budget?.byYear ?? new Map<number, number>();
      const stored = years.get(r.id) ?? [];
      const allYears = unique([...stored.map((y) => y.year), ...fromLines.keys()]).sort((a, b) => a - b);
      return {
        id: r.id, dimensionKey: r.dimension_key, elementKey: r.element_key, name: r.name, problem: r.problem, goal: r.goal, target: r.target, indicators: list(r.indicators),
        leadOpdId: r.lead_opd_id, leadOpdCode: r.lead_opd_id ? opds.get(r.lead_opd_id)?.code ?? null : null, supportingOpdIds: list(r.supporting_opd_ids),
        startYear: r.start_year, endYear: r.end_year, costEstimate: r.cost_estimate === null ? null : Number(r.cost_estimate), fundingSources: list(r.funding_sources), status: r.status,
        budget: budget?.total ?? 0, lines: mine,
        years: allYears.map((year) => {
          const y = stored.find((s) => s.year === year);
          return { year, planned: y?.planned == null ? null : Number(y.planned), realised: y?.realised == null ? null : Number(y.realised), note: y?.note ?? '', fromLines: fromLines.get(year) ?? 0 };
        }),
        createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
      };
    });
  }

  async get(p: Principal, id: string): Promise<Initiative> {
    return (await this.view(p, [await this.row(p.regionId, id)]))[0]!;
  }

  /** Per dimension in the framework's order, then by name; totals per dimension. */
  async list(p: Principal, query: InitiativeQuery): Promise<InitiativeList> {
    let rows = await this.repo.list(p.regionId, query);
    if (query.opdId) rows = rows.filter((r) => r.lead_opd_id === query.opdId || list(r.supporting_opd_ids).includes(query.opdId!));
    const order = new Map(DIMENSIONS.map((d, i) => [d.key, i]));
    rows.sort((a, b) => (order.get(a.dimension_key) ?? 99) - (order.get(b.dimension_key) ?? 99) || a.name.localeCompare(b.name, 'id'));
    const items = await this.view(p, rows);
    const byDimension = DIMENSIONS.map((d) => {
      const mine = items.filter((i) => i.dimensionKey === d.key);
      return { key: d.key, initiatives: mine.length, costEstimate: mine.reduce((s, i) => s + (i.costEstimate ?? 0), 0), budget: mine.reduce((s, i) => s + i.budget, 0) };
    });
    return {
      items,
      totals: { initiatives: items.length, costEstimate: byDimension.reduce((s, d) => s + d.costEstimate, 0), budget: byDimension.reduce((s, d) => s + d.budget, 0), byDimension },
    };
  }

  /** Checks the fields a create or a change sets; answers the row's new values. */
  private async checked(p: Principal, before: InitiativeRow | null, input: InitiativePatch): Promise<Partial<InitiativeRow>> {
    const dimensionKey = input.dimensionKey ?? before?.dimension_key;
    if (!dimensionKey) throw new AppError('VALIDATION_FAILED', 'an initiative needs its dimensionKey');
    let elementKey = input.elementKey !== undefined ? input.elementKey : before?.element_key ?? null;
    // another dimension without an element drops the old element
    if (input.dimensionKey !== undefined && input.elementKey === undefined && elementKey !== null && !isElementOf(dimensionKey, elementKey)) elementKey = null;
    if (elementKey !== null && !isElementOf(dimensionKey, elementKey)) throw new AppError('VALIDATION_FAILED', `"${elementKey}" is not an element of ${dimensionKey}`);
    const set: Partial<InitiativeRow> = { dimension_key: dimensionKey, element_key: elementKey };
    const lead = input.leadOpdId !== undefined ? input.leadOpdId : before?.lead_opd_id ?? null;
    if (input.leadOpdId !== undefined && input.leadOpdId !== (before?.lead_opd_id ?? null)) {
      if (input.leadOpdId) await this.identity.assertOpd(p.regionId, input.leadOpdId);
      set.lead_opd_id = input.leadOpdId;
    }
    if (input.supportingOpdIds !== undefined) {
      const ids = unique(input.supportingOpdIds).filter((id) => id !== lead);
      for (const id of ids) await this.identity.assertOpd(p.regionId, id);
      set.supporting_opd_ids = JSON.stringify(ids);
    }
    const start = input.startYear !== undefined ? input.startYear : before?.start_year ?? null;
    const end = input.endYear !== undefined ? input.endYear : before?.end_year ?? null;
    if (start !== null && end !== null && end < start) throw new AppError('VALIDATION_FAILED', `endYear ${end} is before startYear ${start}`);
    if (input.startYear !== undefined || input.endYear !== undefined) {
      const plan = await this.plans.plan(p.regionId);
      if (start !== null) checkInPeriod(plan, start, 'startYear');
      if (end !== null) checkInPeriod(plan, end, 'endYear');
      set.start_year = start;
      set.end_year = end;
    }
    for (const [k, col] of [['name', 'name'], ['problem', 'problem'], ['goal', 'goal'], ['target', 'target'], ['status', 'status']] as const) {
      const v = input[k];
      if (v !== undefined) set[col] = k === 'name' ? v.trim() : v;
    }
    if (set.name === '') throw new AppError('VALIDATION_FAILED', 'an initiative needs a name');
    if (input.indicators !== undefined) set.indicators = JSON.stringify(input.indicators.map((i) => i.trim()).filter(Boolean));
    if (input.costEstimate !== undefined) set.cost_estimate = input.costEstimate;
    if (input.fundingSources !== undefined) set.funding_sources = JSON.stringify(unique(input.fundingSources));
    return set;
  }

  /** `link` links `programIds` at once: its `prepare` reads before the transaction, its `apply` writes inside it. */
  async create<Prepared>(p: Principal, input: InitiativeCreate, link: { prepare(row: InitiativeRow, programIds: string[]): Promise<Prepared>; apply(tx: Exec, row: InitiativeRow, prepared: Prepared): Promise<void> }): Promise<Initiative> {
    const leadOpdId = input.leadOpdId !== undefined ? input.leadOpdId : p.role === 'operator' ? p.opdId : null;
    await this.access.requireEditor(p, leadOpdId, 'add initiatives');
    const set = await this.checked(p, null, { ...input, leadOpdId });
    const now = this.clock.now();
    const row: InitiativeRow = {
      id: newId(), region_id: p.regionId, dimension_key: input.dimensionKey, element_key: null, name: '', problem: '', goal: '', target: '', indicators: '[]',
      lead_opd_id: leadOpdId, supporting_opd_ids: '[]', start_year: null, end_year: null, cost_estimate: null, funding_sources: '[]', status: 'usulan',
      created_by: p.userId, created_at: now, updated_at: now, ...set,
    };
    const prepared = input.programIds?.length ? await link.prepare(row, input.programIds) : null;
    await this.repo.transaction(async (tx) => {
      await this.repo.insert(tx, row);
      if (prepared !== null) await link.apply(tx, row, prepared);
    });
    this.changed(p, row.id, 'initiative.created', `Inisiatif ${row.name} ditambahkan`);
    return this.get(p, row.id);
  }

  async update(p: Principal, id: string, patch: InitiativePatch): Promise<Initiative> {
    const before = await this.row(p.regionId, id);
    await this.access.requireEditorOf(p, before, 'change initiatives');
    if (patch.leadOpdId !== undefined && patch.leadOpdId !== before.lead_opd_id && !(await this.access.reviewer(p))) {
      throw new AppError('FORBIDDEN', 'only reviewers may give an initiative to another OPD');
    }
    const set = await this.checked(p, before, patch);
    await this.repo.update(this.repo.db, p.regionId, id, { ...set, updated_at: this.clock.now() });
    this.changed(p, id, 'initiative.updated', `Inisiatif ${set.name ?? before.name} diubah`, { fields: Object.keys(patch) });
    return this.get(p, id);
  }

  /** Its links (the lines stay) and years go with it. */
  async delete(p: Principal, id: string): Promise<void> {
    const before = await this.row(p.regionId, id);
    await this.access.requireEditorOf(p, before, 'delete initiatives');
    await this.repo.delete(this.repo.db, p.regionId, id);
    this.changed(p, id, 'initiative.deleted', `Inisiatif ${before.name} dihapus`);
  }

  /** The planned and realised money of a year within the plan's period and the initiative's timeline. */
  async putYear(p: Principal, id: string, year: number, body: YearBody): Promise<Initiative> {
    const row = await this.row(p.regionId, id);
    await this.access.requireEditorOf(p, row, 'enter realisation');
    checkInPeriod(await this.plans.plan(p.regionId), year, 'year');
    if ((row.start_year !== null && year < row.start_year) || (row.end_year !== null && year > row.end_year)) {
      throw new AppError('VALIDATION_FAILED', `year ${year} is outside the initiative's timeline ${row.start_year ?? '…'}–${row.end_year ?? '…'}`);
    }
    const current = (await this.repo.years(p.regionId, [id])).find((y) => y.year === year);
    await this.repo.putYear(this.repo.db, {
      region_id: p.regionId, initiative_id: id, year, planned: body.planned !== undefined ? body.planned : current?.planned ?? null,
      realised: body.realised !== undefined ? body.realised : current?.realised ?? null, note: body.note ?? current?.note ?? '', updated_at: this.clock.now(),
    });
    this.changed(p, id, 'initiative.year', `Realisasi ${year} inisiatif ${row.name} diisi`);
    return this.get(p, id);
  }
}
