import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import type { IdentityService, Principal } from '../../identity/index.ts';
import { LiveMetrics, yearOf, type LiveSources, type MetricSpec } from './kpis.metrics.ts';
import type { KpisRepository } from './kpis.repository.ts';

/** Recomputes the live KPIs' actual of the current year from the platform's data. */
export class KpiRefresh {
  private readonly repo: KpisRepository;
  private readonly live: LiveMetrics;
  private readonly identity: IdentityService;
  private readonly clock: Clock;
  constructor(repo: KpisRepository, sources: LiveSources, identity: IdentityService, clock: Clock) {
    this.repo = repo;
    this.live = new LiveMetrics(sources);
    this.identity = identity;
    this.clock = clock;
  }

  async refreshOne(regionId: string, id: string): Promise<void> {
    const row = await this.repo.kpi(regionId, id);
    if (!row?.metric) return;
    const now = this.clock.now();
    const year = yearOf(now);
    const actual = await this.live.compute(regionId, JSON.parse(row.metric) as MetricSpec, year, now);
    await this.repo.transaction((tx) => this.repo.putValue(tx, { kpi_id: id, year, target: null, actual, source: 'live', computed_at: now }, true));
  }

  /** Recomputes every live KPI of the region for the current year. */
  async refresh(regionId: string): Promise<{ refreshed: number; at: number }> {
    const rows = (await this.repo.kpis(regionId)).filter((k) => k.metric);
    for (const k of rows) await this.refreshOne(regionId, k.id);
    return { refreshed: rows.length, at: this.clock.now() };
  }

  async refreshAsUser(p: Principal): Promise<{ refreshed: number; at: number }> {
    if (p.role === 'viewer') throw new AppError('FORBIDDEN', 'viewers may not refresh KPIs');
    return this.refresh(p.regionId);
  }

  /** The live KPIs of every region (the module's periodic job). */
  async refreshAll(): Promise<void> {
    for (const region of await this.identity.listRegions()) await this.refresh(region.id);
  }
}
