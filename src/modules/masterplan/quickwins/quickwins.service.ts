/**
 * Quick wins, records of their own: a 6-12-month piece of work per dimension,
 * optionally part of an initiative, with background, output, outcome,
 * schedule, cost, funding source, lead OPD and status. Who may change one
 * follows initiatives (InitiativeAccess): reviewers all, an operator those
 * their OPD leads, a viewer none. The roadmap is quickwins.roadmap.ts.
 */
import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import type { EventBus } from '../../../platform/bus/index.ts';
import type { MpPlansTable } from '../../../platform/db/schema.ts';
import type { IdentityService, Principal } from '../../identity/index.ts';
import type { InitiativesService } from '../initiatives/index.ts';
import { DIMENSIONS } from '../plan/plan.framework.ts';
import { QUICK_WIN_MAX_MONTHS, QUICK_WIN_MIN_MONTHS, QUICK_WIN_STATUS_KEYS, scheduleMonths } from './quickwins.constants.ts';
import type { QuickWin, QuickWinCreate, QuickWinList, QuickWinPatch, QuickWinQuery } from './quickwins.contract.ts';
import type { QuickWinRow, QuickWinsRepository } from './quickwins.repository.ts';

const quickWinNotFound = (id: string) => new AppError('QUICK_WIN_NOT_FOUND', `no quick win ${id}`);
const DIMENSION_ORDER = new Map(DIMENSIONS.map((d, i) => [d.key, i]));
const dimensionRank = (key: string) => DIMENSION_ORDER.get(key) ?? DIMENSIONS.length;

/** A refusal the person must act on: the reason in both languages (the screen shows theirs). */
function refusal(field: string, en: string, id: string): AppError {
  return new AppError('VALIDATION_FAILED', en, { field, reason: { id, en } });
}

/** 6 to 12 months, both ends counted; the error says how long it is and what is allowed. */
function checkSchedule(start: string, end: string): void {
  const months = scheduleMonths(start, end);
  if (months < 1) throw refusal('endMonth', `the schedule ends (${end}) before it starts (${start})`, `Jadwal berakhir (${end}) sebelum dimulai (${start})`);
  if (months < QUICK_WIN_MIN_MONTHS || months > QUICK_WIN_MAX_MONTHS) {
    throw refusal(
      'endMonth',
      `a quick win's schedule of ${months} months (${start} to ${end}) is refused: it must take ${QUICK_WIN_MIN_MONTHS} to ${QUICK_WIN_MAX_MONTHS} months`,
      `Jadwal quick win ${months} bulan (${start} s.d. ${end}) ditolak: quick win harus selesai dalam ${QUICK_WIN_MIN_MONTHS}–${QUICK_WIN_MAX_MONTHS} bulan`,
    );
  }
}

/** A year (or a month's year) within the plan's period, when the plan has one. */
export function checkYearInPeriod(plan: Pick<MpPlansTable, 'period_start' | 'period_end'> | undefined, year: number, field: string, words: { id: string; en: string }): void {
  const start = plan?.period_start ?? null;
  const end = plan?.period_end ?? null;
  if ((start !== null && year < start) || (end !== null && year > end)) {
    const period = `${start ?? '…'}–${end ?? '…'}`;
    throw new AppError('VALIDATION_FAILED', `${field} ${year} is outside the plan's period ${period}`, { field, reason: { id: `${words.id} (${year}) di luar periode rencana induk (${period})`, en: `${words.en} (${year}) is outside the plan's period (${period})` } });
  }
}

export class QuickWinsService {
  readonly repo: QuickWinsRepository;
  readonly initiatives: InitiativesService;
  private readonly identity: IdentityService;
  private readonly bus: EventBus;
  readonly clock: Clock;
  constructor(repo: QuickWinsRepository, initiatives: InitiativesService, identity: IdentityService, bus: EventBus, clock: Clock) {
    this.repo = repo;
    this.initiatives = initiatives;
    this.identity = identity;
    this.bus = bus;
    this.clock = clock;
  }

  /** Published as `masterplan.changed`: the activity log records it. */
  changed(p: Principal, entity: string, entityId: string | null, action: string, summary: string, detail?: Record<string, unknown>): void {
    this.bus.publish('masterplan.changed', { regionId: p.regionId, userId: p.userId, entity, entityId, action, summary, ...(detail && { detail }) });
  }

  private async row(regionId: string, id: string): Promise<QuickWinRow> {
    const row = await this.repo.quickWin(regionId, id);
    if (!row) throw quickWinNotFound(id);
    return row;
  }

  /** The records as the API shows them, with their initiative's name and their OPD's code. */
  async view(regionId: string, rows: QuickWinRow[]): Promise<QuickWin[]> {
    const initiatives = new Map((await this.initiatives.repo.list(regionId)).map((i) => [i.id, i.name]));
    const opds = new Map((await this.identity.opdsByIds(regionId, rows.flatMap((r) => (r.lead_opd_id ? [r.lead_opd_id] : [])))).map((o) => [o.id, o.code]));
    return rows.map((r) => ({
      id: r.id, title: r.title, dimensionKey: r.dimension_key, initiativeId: r.initiative_id, initiativeName: r.initiative_id ? initiatives.get(r.initiative_id) ?? null : null,
      background: r.background, output: r.output, outcome: r.outcome, startMonth: r.start_month, endMonth: r.end_month, months: scheduleMonths(r.start_month, r.end_month),
      cost: r.cost === null ? null : Number(r.cost), fundingSource: r.funding_source, leadOpdId: r.lead_opd_id, leadOpdCode: r.lead_opd_id ? opds.get(r.lead_opd_id) ?? null : null,
      status: r.status, sourceProgramId: r.source_program_id, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
    }));
  }

  async get(p: Principal, id: string): Promise<QuickWin> {
    return (await this.view(p.regionId, [await this.row(p.regionId, id)]))[0]!;
  }

  /** How many quick wins each dimension has (those whose schedule runs in `year`, when given), for the leadership dashboard. */
  async perDimension(regionId: string, year?: number): Promise<{ key: string; quickWins: number }[]> {
    const runs = (r: { start_month: string; end_month: string }) => year === undefined || (Number(r.start_month.slice(0, 4)) <= year && year <= Number(r.end_month.slice(0, 4)));
    const rows = (await this.repo.list(regionId, {})).filter(runs);
    return DIMENSIONS.map((d) => ({ key: d.key, quickWins: rows.filter((r) => r.dimension_key === d.key).length }));
  }

  /** Per dimension in the framework's order, then by schedule and title; totals per dimension and status. */
  async listOf(regionId: string, query: QuickWinQuery = {}): Promise<QuickWinList> {
    const rows = (await this.repo.list(regionId, query)).sort((a, b) => dimensionRank(a.dimension_key) - dimensionRank(b.dimension_key));
    const items = await this.view(regionId, rows);
    const cost = (xs: QuickWin[]) => xs.reduce((s, q) => s + (q.cost ?? 0), 0);
    return {
      items,
      totals: {
        quickWins: items.length, cost: cost(items),
        byDimension: DIMENSIONS.map((d) => {
          const mine = items.filter((q) => q.dimensionKey === d.key);
          return { key: d.key, quickWins: mine.length, cost: cost(mine) };
        }),
        byStatus: QUICK_WIN_STATUS_KEYS.map((key) => ({ key, quickWins: items.filter((q) => q.status === key).length })),
      },
    };
  }

  /** Every quick win with its OPD's name too, as the documents print them. */
  async withOpdNames(regionId: string): Promise<(QuickWin & { leadOpdName: string | null })[]> {
    const { items } = await this.listOf(regionId);
    const names = new Map((await this.identity.opdsByIds(regionId, items.flatMap((q) => (q.leadOpdId ? [q.leadOpdId] : [])))).map((o) => [o.id, o.name]));
    return items.map((q) => ({ ...q, leadOpdName: q.leadOpdId ? names.get(q.leadOpdId) ?? null : null }));
  }

  list(p: Principal, query: QuickWinQuery): Promise<QuickWinList> {
    return this.listOf(p.regionId, query);
  }

  /** Checks what a create or a change sets; answers the row's new values. */
  private async checked(p: Principal, before: QuickWinRow | null, input: QuickWinPatch): Promise<Partial<QuickWinRow>> {
    const set: Partial<QuickWinRow> = {};
    const dimension = input.dimensionKey ?? before?.dimension_key;
    if (!dimension) throw refusal('dimensionKey', 'a quick win needs its dimension', 'Quick win harus memiliki dimensi');
    if (input.dimensionKey !== undefined) set.dimension_key = input.dimensionKey;
    const initiativeId = input.initiativeId !== undefined ? input.initiativeId : before?.initiative_id ?? null;
    if (initiativeId !== null && (input.initiativeId !== undefined || input.dimensionKey !== undefined)) {
      const initiative = await this.initiatives.repo.initiative(p.regionId, initiativeId);
      if (!initiative) throw new AppError('INITIATIVE_NOT_FOUND', `no initiative ${initiativeId} in this region`);
      if (initiative.dimension_key !== dimension) {
        throw refusal('initiativeId', `the initiative "${initiative.name}" belongs to ${initiative.dimension_key}, not to the quick win's dimension ${dimension}`, `Inisiatif "${initiative.name}" berada pada dimensi lain dari dimensi quick win ini`);
      }
    }
    if (input.initiativeId !== undefined) set.initiative_id = input.initiativeId;
    if (input.leadOpdId !== undefined && input.leadOpdId !== (before?.lead_opd_id ?? null)) {
      if (input.leadOpdId) await this.identity.assertOpd(p.regionId, input.leadOpdId);
      set.lead_opd_id = input.leadOpdId;
    }
    if (input.startMonth !== undefined || input.endMonth !== undefined) {
      const start = input.startMonth ?? before!.start_month;
      const end = input.endMonth ?? before!.end_month;
      checkSchedule(start, end);
      const plan = await this.initiatives.plans.plan(p.regionId);
      checkYearInPeriod(plan, Number(start.slice(0, 4)), 'startMonth', { id: 'Bulan mulai', en: 'Start month' });
      checkYearInPeriod(plan, Number(end.slice(0, 4)), 'endMonth', { id: 'Bulan selesai', en: 'End month' });
      set.start_month = start;
      set.end_month = end;
    }
    if (input.title !== undefined) {
      set.title = input.title.trim();
      if (set.title === '') throw refusal('title', 'a quick win needs a title', 'Quick win harus memiliki judul');
    }
    for (const k of ['background', 'output', 'outcome', 'status'] as const) if (input[k] !== undefined) set[k] = input[k];
    if (input.cost !== undefined) set.cost = input.cost;
    if (input.fundingSource !== undefined) set.funding_source = input.fundingSource;
    return set;
  }

  async create(p: Principal, input: QuickWinCreate): Promise<QuickWin> {
    const leadOpdId = input.leadOpdId !== undefined ? input.leadOpdId : p.role === 'operator' ? p.opdId : null;
    await this.initiatives.access.requireEditor(p, leadOpdId, 'add quick wins');
    const set = await this.checked(p, null, { ...input, leadOpdId });
    const now = this.clock.now();
    const row: QuickWinRow = {
      id: newId(), region_id: p.regionId, dimension_key: input.dimensionKey, initiative_id: null, title: input.title.trim(), background: '', output: '', outcome: '',
      start_month: input.startMonth, end_month: input.endMonth, cost: null, funding_source: null, lead_opd_id: leadOpdId, status: 'planned', source_program_id: null,
      created_by: p.userId, created_at: now, updated_at: now, ...set,
    };
    await this.repo.insert(row);
    this.changed(p, 'quick_win', row.id, 'quick_win.created', `Quick win ${row.title} ditambahkan`);
    return this.get(p, row.id);
  }

  /** An operator changes the quick wins their OPD leads and may not give one to another OPD. */
  async update(p: Principal, id: string, patch: QuickWinPatch): Promise<QuickWin> {
    const before = await this.row(p.regionId, id);
    await this.initiatives.access.requireEditor(p, before.lead_opd_id, 'change quick wins');
    if (patch.leadOpdId !== undefined && patch.leadOpdId !== before.lead_opd_id && !(await this.initiatives.access.reviewer(p))) {
      throw new AppError('FORBIDDEN', 'only reviewers may give a quick win to another OPD');
    }
    const set = await this.checked(p, before, patch);
    await this.repo.update(p.regionId, id, { ...set, updated_at: this.clock.now() });
    this.changed(p, 'quick_win', id, 'quick_win.updated', `Quick win ${set.title ?? before.title} diubah`, { fields: Object.keys(patch) });
    return this.get(p, id);
  }

  async delete(p: Principal, id: string): Promise<void> {
    const before = await this.row(p.regionId, id);
    await this.initiatives.access.requireEditor(p, before.lead_opd_id, 'delete quick wins');
    await this.repo.delete(p.regionId, id);
    this.changed(p, 'quick_win', id, 'quick_win.deleted', `Quick win ${before.title} dihapus`);
  }
}
