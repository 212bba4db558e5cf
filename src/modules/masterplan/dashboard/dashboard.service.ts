import type { IdentityService, Principal } from '../../identity/index.ts';
import type { KpisService } from '../kpis/kpis.service.ts';
import type { KpiStatus } from '../kpis/kpis.contract.ts';
import { progressOf } from '../kpis/kpis.status.ts';
import { DIMENSIONS } from '../plan/index.ts';
import { buildHierarchy } from '../programs/programs.hierarchy.ts';
import type { ProgramsRepository } from '../programs/programs.repository.ts';
import type { Dashboard } from './dashboard.contract.ts';

/** What the dashboard reads of the other parts of the master plan, each through its service. */
interface DashboardSources {
  /** the Kominfo evaluation index per year */
  evaluationIndex(regionId: string): Promise<{ year: number; index: number }[]>;
  /** the initiatives per dimension, how many and their budget (initiatives.summary.ts) */
  initiatives(p: Principal, year: number | undefined): Promise<{ key: string; initiatives: number; budget: number }[]>;
  /** the quick win records per dimension, those running in the year when one is given (quickwins/) */
  quickWins(regionId: string, year: number | undefined): Promise<{ key: string; quickWins: number }[]>;
}

/** The leadership dashboard: initiatives, programs, quick wins, budget and KPI status per dimension, budget per OPD, the evaluation index. */
export class DashboardService {
  private readonly programs: ProgramsRepository;
  private readonly kpis: KpisService;
  private readonly identity: IdentityService;
  private readonly sources: DashboardSources;
  constructor(programs: ProgramsRepository, kpis: KpisService, identity: IdentityService, sources: DashboardSources) {
    this.programs = programs;
    this.kpis = kpis;
    this.identity = identity;
    this.sources = sources;
  }

  /** The lines' figures per dimension (a kegiatan or sub kegiatan not mapped counts in its program's dimension), each rupiah once. */
  async dashboard(p: Principal, year: number | undefined): Promise<Dashboard> {
    const perDimension = await this.sources.initiatives(p, year);
    const quickPerDimension = await this.sources.quickWins(p.regionId, year);
    const quickOf = (key: string) => quickPerDimension.find((x) => x.key === key)?.quickWins ?? 0;
    const programs = await this.programs.all(p.regionId, year);
    const kpis = await this.kpis.ofRegion(p.regionId, year);
    const opds = new Map((await this.identity.opdsOf(p.regionId)).map((o) => [o.id, o]));
    const rows = programs.map((r) => ({ id: r.id, code: r.code, document: r.document, year: r.year, opd: r.opd_id, budget: Number(r.budget), dimensionKey: r.dimension_key, elementKey: r.element_key }));
    const tree = buildHierarchy(rows);
    const leafBudget = (r: (typeof rows)[number]) => tree.counted(r);
    const byDimension = DIMENSIONS.map((d) => {
      const keep = (r: (typeof rows)[number]) => tree.mapping(r).dimensionKey === d.key;
      const mine = rows.filter(keep);
      const dk = kpis.filter((k) => k.dimensionKey === d.key);
      const initiatives = perDimension.find((x) => x.key === d.key);
      return {
        key: d.key, nameId: d.nameId, nameEn: d.nameEn, initiatives: initiatives?.initiatives ?? 0, initiativeBudget: initiatives?.budget ?? 0, programs: mine.length, quickWins: quickOf(d.key),
        budget: tree.total(keep), kpis: dk.length, kpisOnTrack: dk.filter((k) => k.status === 'on_track').length,
        kpisAtRisk: dk.filter((k) => k.status === 'at_risk').length, kpisOffTrack: dk.filter((k) => k.status === 'off_track').length, progress: progressOf(dk, year),
      };
    });
    const byOpd = new Map<string, number>();
    for (const r of rows) byOpd.set(r.opd ?? '', (byOpd.get(r.opd ?? '') ?? 0) + leafBudget(r));
    const budgetByOpd = [...byOpd.entries()]
      .map(([opdId, budget]) => ({ opdId: opdId || null, opdCode: opdId ? opds.get(opdId)?.code ?? null : null, opdName: opdId ? opds.get(opdId)?.name ?? null : null, budget }))
      .sort((a, b) => b.budget - a.budget);
    const count = (s: KpiStatus) => kpis.filter((k) => k.status === s).length;
    // A failure to read the evaluation fails the dashboard: an empty history would read as "never evaluated".
    const index = await this.sources.evaluationIndex(p.regionId);
    return {
      year: year ?? null,
      totals: {
        initiatives: byDimension.reduce((a, d) => a + d.initiatives, 0), initiativeBudget: byDimension.reduce((a, d) => a + d.initiativeBudget, 0), programs: rows.length,
        mapped: rows.filter((r) => tree.mapping(r).dimensionKey !== null).length, quickWins: quickPerDimension.reduce((a, d) => a + d.quickWins, 0), budget: rows.reduce((s, r) => s + leafBudget(r), 0),
      },
      byDimension,
      budgetByOpd,
      kpis: { onTrack: count('on_track'), atRisk: count('at_risk'), offTrack: count('off_track'), noData: count('no_data') },
      evaluationIndex: index,
    };
  }
}
