import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import type { IdentityService, Principal } from '../../identity/index.ts';
import { checkMapping, type PlanAccess } from '../plan/index.ts';
import type { ProgramsRepository } from '../programs/programs.repository.ts';
import type { Kpi, KpiCreate, KpiPatch, KpiQuery, KpiValueBody } from './kpis.contract.ts';
import { checkMetric, METRICS, type MetricDef, type MetricSpec } from './kpis.metrics.ts';
import type { KpiRefresh } from './kpis.refresh.ts';
import type { KpiRow, KpiValueRow, KpisRepository } from './kpis.repository.ts';
import { kpiStatus } from './kpis.status.ts';

/** The KPIs of programs and elements: manual, or computed from a live metric (kpis.refresh.ts). */
export class KpisService {
  private readonly repo: KpisRepository;
  private readonly programs: ProgramsRepository;
  private readonly refresher: KpiRefresh;
  private readonly access: PlanAccess;
  private readonly identity: IdentityService;
  private readonly clock: Clock;
  constructor(repo: KpisRepository, programs: ProgramsRepository, refresher: KpiRefresh, access: PlanAccess, identity: IdentityService, clock: Clock) {
    this.repo = repo;
    this.programs = programs;
    this.refresher = refresher;
    this.access = access;
    this.identity = identity;
    this.clock = clock;
  }

  /** Stored KPIs with their values and their status in `year` (else the latest year measured). */
  async withValues(rows: KpiRow[], year?: number): Promise<Kpi[]> {
    const values = await this.repo.values(rows.map((r) => r.id));
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

  /** Every KPI of the region, their status in `year` (the dashboard, the documents). */
  async ofRegion(regionId: string, year?: number): Promise<Kpi[]> {
    return this.withValues(await this.repo.kpis(regionId), year);
  }

  async list(p: Principal, filter: KpiQuery): Promise<Kpi[]> {
    return this.withValues(await this.repo.kpis(p.regionId, filter), filter.year);
  }

  async get(p: Principal, id: string): Promise<Kpi> {
    return (await this.withValues([await this.row(p.regionId, id)]))[0]!;
  }

  metrics(): MetricDef[] {
    return METRICS;
  }

  private async row(regionId: string, id: string): Promise<KpiRow> {
    const row = await this.repo.kpi(regionId, id);
    if (!row) throw new AppError('KPI_NOT_FOUND', `no KPI ${id}`);
    return row;
  }

  async create(p: Principal, input: KpiCreate): Promise<Kpi> {
    let opdId = input.opdId ?? null;
    let dimensionKey: string | null = input.dimensionKey ?? null;
    let elementKey = input.elementKey ?? null;
    if (input.programId) {
      const program = await this.programs.program(p.regionId, input.programId);
      if (!program) throw new AppError('PROGRAM_NOT_FOUND', `no program ${input.programId}`);
      opdId = program.opd_id;
      dimensionKey ??= program.dimension_key;
      elementKey ??= program.element_key;
    } else if (opdId === null && p.role === 'operator') opdId = p.opdId;
    await this.access.requireEditor(p, opdId, 'add KPIs');
    if (opdId) await this.identity.assertOpd(p.regionId, opdId);
    checkMapping(dimensionKey, elementKey);
    const metric = input.metric ? checkMetric(input.metric) : null;
    const now = this.clock.now();
    const id = newId();
    await this.repo.transaction(async (tx) => {
      await this.repo.insert(tx, {
        id, region_id: p.regionId, program_id: input.programId ?? null, dimension_key: dimensionKey, element_key: elementKey, name: input.name, unit: input.unit ?? '',
        baseline: input.baseline ?? null, direction: input.direction ?? 'up', metric: metric ? JSON.stringify(metric) : null, opd_id: opdId, created_at: now, updated_at: now,
      });
      for (const v of input.values ?? []) await this.repo.putValue(tx, { kpi_id: id, year: v.year, target: v.target ?? null, actual: v.actual ?? null, source: 'manual', computed_at: null });
    });
    this.access.changed(p, p.regionId, 'kpi', id, 'kpi.created', `KPI "${input.name}" ditambahkan`);
    if (metric) await this.refresher.refreshOne(p.regionId, id);
    return this.get(p, id);
  }

  async update(p: Principal, id: string, patch: KpiPatch): Promise<Kpi> {
    const row = await this.row(p.regionId, id);
    await this.access.requireEditor(p, row.opd_id, 'change KPIs');
    const dimensionKey = patch.dimensionKey !== undefined ? patch.dimensionKey : row.dimension_key;
    const elementKey = patch.elementKey !== undefined ? patch.elementKey : row.element_key;
    checkMapping(dimensionKey, elementKey);
    const set: Partial<KpiRow> = { dimension_key: dimensionKey, element_key: elementKey, updated_at: this.clock.now() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.unit !== undefined) set.unit = patch.unit;
    if (patch.baseline !== undefined) set.baseline = patch.baseline;
    if (patch.direction !== undefined) set.direction = patch.direction;
    if (patch.metric !== undefined) set.metric = patch.metric ? JSON.stringify(checkMetric(patch.metric)) : null;
    await this.repo.update(p.regionId, id, set);
    this.access.changed(p, p.regionId, 'kpi', id, 'kpi.updated', `KPI "${row.name}" diubah`, { fields: Object.keys(patch) });
    if (patch.metric) await this.refresher.refreshOne(p.regionId, id);
    return this.get(p, id);
  }

  async delete(p: Principal, id: string): Promise<void> {
    const row = await this.row(p.regionId, id);
    await this.access.requireEditor(p, row.opd_id, 'delete KPIs');
    await this.repo.delete(id);
    this.access.changed(p, p.regionId, 'kpi', id, 'kpi.deleted', `KPI "${row.name}" dihapus`);
  }

  /** Target and/or realisation of a year by hand; a live KPI's actual is computed, so only its target is taken. */
  async putValue(p: Principal, id: string, year: number, input: KpiValueBody): Promise<Kpi> {
    const row = await this.row(p.regionId, id);
    await this.access.requireEditor(p, row.opd_id, 'change KPIs');
    if (row.metric && input.actual !== undefined && input.actual !== null) throw new AppError('VALIDATION_FAILED', 'this KPI is computed from live data: set only its target');
    await this.repo.transaction(async (tx) => {
      const existing = await this.repo.value(tx, id, year);
      await this.repo.putValue(tx, {
        kpi_id: id, year,
        target: input.target !== undefined ? input.target : existing?.target ?? null,
        actual: row.metric ? existing?.actual ?? null : input.actual !== undefined ? input.actual : existing?.actual ?? null,
        source: row.metric ? 'live' : 'manual',
        computed_at: row.metric ? existing?.computed_at ?? null : null,
      });
    });
    this.access.changed(p, p.regionId, 'kpi', id, 'kpi.value', `KPI "${row.name}" ${year}: target ${input.target ?? '-'}, realisasi ${input.actual ?? '-'}`);
    return this.get(p, id);
  }
}
