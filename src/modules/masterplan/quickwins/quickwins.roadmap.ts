/**
 * The roadmap per dimension × year over the plan's period: which initiative
 * runs in which year (from its timeline) and which quick win (from its
 * schedule), per dimension, with the milestones entered per dimension and
 * year. Milestones are the plan's own words: reviewers (admins,
 * BAPPEDA/DISKOMINFO, the implementation team) write them; a year outside the
 * plan's period is refused.
 */
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import type { Principal } from '../../identity/index.ts';
import { DIMENSIONS } from '../plan/plan.framework.ts';
import type { Milestone, MilestoneCreate, MilestonePatch, Roadmap } from './quickwins.contract.ts';
import type { QuickWinsDoc } from './quickwins.chapters.ts';
import type { MilestoneRow } from './quickwins.repository.ts';
import { checkYearInPeriod, type QuickWinsService } from './quickwins.service.ts';

const YEAR_WORDS = { id: 'Tahun tonggak capaian', en: 'Milestone year' };
const milestoneOf = (m: MilestoneRow): Milestone => ({ id: m.id, dimensionKey: m.dimension_key, year: m.year, text: m.text, updatedAt: Number(m.updated_at) });
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

export class RoadmapService {
  readonly quickwins: QuickWinsService;
  constructor(quickwins: QuickWinsService) {
    this.quickwins = quickwins;
  }

  /** The matrix: every dimension, every year of the plan's period (or, without one, of the years the records name). */
  async matrix(regionId: string): Promise<Roadmap> {
    const { repo, initiatives } = this.quickwins;
    const [plan, inits, quick, milestones] = await Promise.all([initiatives.plans.plan(regionId), initiatives.repo.list(regionId), repo.list(regionId), repo.milestones(regionId)]);
    const periodStart = plan?.period_start ?? null;
    const periodEnd = plan?.period_end ?? null;
    let years: number[];
    if (periodStart !== null && periodEnd !== null) years = range(periodStart, periodEnd);
    else {
      const named = [...inits.flatMap((i) => [i.start_year, i.end_year]), ...quick.flatMap((q) => [Number(q.start_month.slice(0, 4)), Number(q.end_month.slice(0, 4))]), ...milestones.map((m) => m.year)]
        .filter((y): y is number => y !== null)
        .filter((y) => (periodStart === null || y >= periodStart) && (periodEnd === null || y <= periodEnd));
      years = named.length ? range(Math.min(...named), Math.max(...named)) : [];
    }
    const scheduled = inits.filter((i) => i.start_year !== null || i.end_year !== null);
    return {
      periodStart, periodEnd, years,
      dimensions: DIMENSIONS.map((d) => ({
        key: d.key, nameId: d.nameId, nameEn: d.nameEn,
        cells: years.map((year) => ({
          year,
          initiatives: scheduled
            .filter((i) => i.dimension_key === d.key && (i.start_year ?? i.end_year!) <= year && year <= (i.end_year ?? i.start_year!))
            .map((i) => ({ id: i.id, name: i.name, status: i.status, startYear: i.start_year, endYear: i.end_year, first: year === (i.start_year ?? i.end_year), last: year === (i.end_year ?? i.start_year) }))
            .sort((a, b) => (a.startYear ?? 0) - (b.startYear ?? 0) || a.name.localeCompare(b.name, 'id')),
          quickWins: quick
            .filter((q) => q.dimension_key === d.key && Number(q.start_month.slice(0, 4)) <= year && year <= Number(q.end_month.slice(0, 4)))
            .map((q) => ({ id: q.id, title: q.title, status: q.status, startMonth: q.start_month, endMonth: q.end_month })),
          milestones: milestones.filter((m) => m.dimension_key === d.key && m.year === year).map(milestoneOf),
        })),
      })),
      unscheduled: inits.filter((i) => i.start_year === null && i.end_year === null).map((i) => ({ id: i.id, name: i.name, dimensionKey: i.dimension_key })),
    };
  }

  /** What the documents print: the quick wins and this matrix. */
  async document(regionId: string): Promise<QuickWinsDoc> {
    return { quickWins: await this.quickwins.withOpdNames(regionId), roadmap: await this.matrix(regionId) };
  }

  private async requireReviewer(p: Principal): Promise<void> {
    if (!(await this.quickwins.initiatives.access.reviewer(p))) throw new AppError('FORBIDDEN', 'only reviewers (admins, BAPPEDA, DISKOMINFO, the implementation team) may write the roadmap\'s milestones');
  }

  private async row(regionId: string, id: string): Promise<MilestoneRow> {
    const row = await this.quickwins.repo.milestone(regionId, id);
    if (!row) throw new AppError('MILESTONE_NOT_FOUND', `no milestone ${id}`);
    return row;
  }

  async createMilestone(p: Principal, body: MilestoneCreate): Promise<Milestone> {
    await this.requireReviewer(p);
    checkYearInPeriod(await this.quickwins.initiatives.plans.plan(p.regionId), body.year, 'year', YEAR_WORDS);
    const now = this.quickwins.clock.now();
    const row: MilestoneRow = { id: newId(), region_id: p.regionId, dimension_key: body.dimensionKey, year: body.year, text: body.text.trim(), created_by: p.userId, created_at: now, updated_at: now };
    if (row.text === '') throw new AppError('VALIDATION_FAILED', 'a milestone needs its text');
    await this.quickwins.repo.insertMilestone(row);
    this.quickwins.changed(p, 'roadmap_milestone', row.id, 'roadmap.milestone_created', `Tonggak roadmap ${body.year} ditambahkan: ${row.text}`);
    return milestoneOf(row);
  }

  async updateMilestone(p: Principal, id: string, patch: MilestonePatch): Promise<Milestone> {
    await this.requireReviewer(p);
    const before = await this.row(p.regionId, id);
    if (patch.year !== undefined) checkYearInPeriod(await this.quickwins.initiatives.plans.plan(p.regionId), patch.year, 'year', YEAR_WORDS);
    const set: Partial<MilestoneRow> = { updated_at: this.quickwins.clock.now() };
    if (patch.year !== undefined) set.year = patch.year;
    if (patch.dimensionKey !== undefined) set.dimension_key = patch.dimensionKey;
    if (patch.text !== undefined) {
      set.text = patch.text.trim();
      if (set.text === '') throw new AppError('VALIDATION_FAILED', 'a milestone needs its text');
    }
    await this.quickwins.repo.updateMilestone(p.regionId, id, set);
    this.quickwins.changed(p, 'roadmap_milestone', id, 'roadmap.milestone_updated', `Tonggak roadmap diubah: ${set.text ?? before.text}`);
    return milestoneOf({ ...before, ...set });
  }

  async deleteMilestone(p: Principal, id: string): Promise<void> {
    await this.requireReviewer(p);
    const before = await this.row(p.regionId, id);
    await this.quickwins.repo.deleteMilestone(p.regionId, id);
    this.quickwins.changed(p, 'roadmap_milestone', id, 'roadmap.milestone_deleted', `Tonggak roadmap dihapus: ${before.text}`);
  }
}
