import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { IdentityService, Principal, PublicUser } from '../identity/index.ts';
import { assertCanWrite } from './duty.access.ts';
import type { DutyRepository, ShiftRow, SwapRow } from './duty.repository.ts';
import { addDays, applySwaps, instancesOn, isDate, localTime, minuteOf, mondayOf, onDutyAt, timeOf, zonedToUtc, type DutySpan, type ShiftRule, type SwapRule } from './duty.roster.ts';
import type { DutyPersonView, OpdOnDutyView, ShiftInput, ShiftView, SwapInput, SwapView, WeekView } from './duty.contract.ts';

const DAY_MS = 86_400_000;
/** A swap covers leave or an exchange of days, not a new roster: at most 31 days. */
const MAX_SWAP_MS = 31 * DAY_MS;

const toRule = (s: ShiftRow): ShiftRule => ({ id: s.id, weekday: s.weekday, startMinute: s.start_minute, endMinute: s.end_minute, userId: s.user_id });
const toSwapRule = (w: SwapRow): SwapRule => ({ id: w.id, startsAt: w.starts_at, endsAt: w.ends_at, userId: w.user_id, replacesUserId: w.replaces_user_id });

/** Weekly shifts and swaps of each OPD, and who is on duty at an instant. */
export class DutyService {
  private readonly repo: DutyRepository;
  private readonly identity: IdentityService;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  constructor(repo: DutyRepository, identity: IdentityService, bus: EventBus, clock: Clock) {
    this.repo = repo;
    this.identity = identity;
    this.bus = bus;
    this.clock = clock;
  }

  /** ms since epoch, UTC, by the injected clock */
  now(): number {
    return this.clock.now();
  }

  // Shifts

  async listShifts(p: Principal, opdId: string): Promise<ShiftView[]> {
    await this.identity.assertOpd(p.regionId, opdId);
    const rows = await this.repo.listShifts(p.regionId, opdId);
    const names = await this.names(p.regionId, rows.map((r) => r.user_id));
    return rows.map((r) => this.shiftView(r, names));
  }

  async createShift(p: Principal, opdId: string, input: ShiftInput): Promise<ShiftView> {
    await this.checkWrite(p, opdId);
    checkShiftTimes(input.start, input.end);
    await this.checkPerson(p.regionId, opdId, input.userId, 'userId');
    const now = this.clock.now();
    const row: ShiftRow = {
      id: newId(), region_id: p.regionId, opd_id: opdId, weekday: input.weekday, start_minute: minuteOf(input.start), end_minute: minuteOf(input.end),
      user_id: input.userId, note: input.note ?? '', created_by: p.userId, created_at: now, updated_by: p.userId, updated_at: now,
    };
    await this.repo.insertShift(row);
    this.changed(p.regionId, opdId);
    return this.shiftView(row, await this.names(p.regionId, [row.user_id]));
  }

  async updateShift(p: Principal, opdId: string, id: string, patch: Partial<ShiftInput>): Promise<ShiftView> {
    await this.checkWrite(p, opdId);
    const row = await this.repo.findShift(p.regionId, opdId, id);
    if (!row) throw new AppError('NOT_FOUND', `no shift ${id} in this OPD`);
    const start = patch.start ?? timeOf(row.start_minute);
    const end = patch.end ?? timeOf(row.end_minute);
    checkShiftTimes(start, end);
    if (patch.userId !== undefined) await this.checkPerson(p.regionId, opdId, patch.userId, 'userId');
    const changes: Partial<ShiftRow> = {
      weekday: patch.weekday ?? row.weekday, start_minute: minuteOf(start), end_minute: minuteOf(end), user_id: patch.userId ?? row.user_id,
      note: patch.note ?? row.note, updated_by: p.userId, updated_at: this.clock.now(),
    };
    await this.repo.updateShift(p.regionId, id, changes);
    this.changed(p.regionId, opdId);
    const updated = { ...row, ...changes };
    return this.shiftView(updated, await this.names(p.regionId, [updated.user_id]));
  }

  async deleteShift(p: Principal, opdId: string, id: string): Promise<void> {
    await this.checkWrite(p, opdId);
    if (!(await this.repo.deleteShift(p.regionId, opdId, id))) throw new AppError('NOT_FOUND', `no shift ${id} in this OPD`);
    this.changed(p.regionId, opdId);
  }

  // Swaps (tukar piket)

  async listSwaps(p: Principal, opdId: string, from?: number, to?: number): Promise<SwapView[]> {
    await this.identity.assertOpd(p.regionId, opdId);
    const now = this.clock.now();
    const rows = await this.repo.listSwaps(p.regionId, from ?? now - 7 * DAY_MS, to ?? now + 60 * DAY_MS, opdId);
    const names = await this.names(p.regionId, rows.flatMap((r) => [r.user_id, r.replaces_user_id ?? r.user_id]));
    return rows.map((r) => this.swapView(r, names));
  }

  async createSwap(p: Principal, opdId: string, input: SwapInput): Promise<SwapView> {
    await this.checkWrite(p, opdId);
    await this.checkSwap(p.regionId, opdId, input.startsAt, input.endsAt, input.userId, input.replacesUserId ?? null);
    const now = this.clock.now();
    const row: SwapRow = {
      id: newId(), region_id: p.regionId, opd_id: opdId, starts_at: input.startsAt, ends_at: input.endsAt, user_id: input.userId, replaces_user_id: input.replacesUserId ?? null,
      note: input.note ?? '', created_by: p.userId, created_at: now, updated_by: p.userId, updated_at: now,
    };
    await this.repo.insertSwap(row);
    this.changed(p.regionId, opdId);
    return this.swapView(row, await this.names(p.regionId, [row.user_id, row.replaces_user_id ?? row.user_id]));
  }

  async updateSwap(p: Principal, opdId: string, id: string, patch: Partial<SwapInput>): Promise<SwapView> {
    await this.checkWrite(p, opdId);
    const row = await this.repo.findSwap(p.regionId, opdId, id);
    if (!row) throw new AppError('NOT_FOUND', `no swap ${id} in this OPD`);
    const next: SwapRow = {
      ...row, starts_at: patch.startsAt ?? row.starts_at, ends_at: patch.endsAt ?? row.ends_at, user_id: patch.userId ?? row.user_id,
      replaces_user_id: patch.replacesUserId !== undefined ? patch.replacesUserId : row.replaces_user_id, note: patch.note ?? row.note, updated_by: p.userId, updated_at: this.clock.now(),
    };
    await this.checkSwap(p.regionId, opdId, next.starts_at, next.ends_at, next.user_id, next.replaces_user_id);
    const { id: _id, region_id: _region, opd_id: _opd, created_by: _by, created_at: _at, ...changes } = next;
    await this.repo.updateSwap(p.regionId, id, changes);
    this.changed(p.regionId, opdId);
    return this.swapView(next, await this.names(p.regionId, [next.user_id, next.replaces_user_id ?? next.user_id]));
  }

  async deleteSwap(p: Principal, opdId: string, id: string): Promise<void> {
    await this.checkWrite(p, opdId);
    if (!(await this.repo.deleteSwap(p.regionId, opdId, id))) throw new AppError('NOT_FOUND', `no swap ${id} in this OPD`);
    this.changed(p.regionId, opdId);
  }

  // Who is on duty

  /**
   * Who is on duty in an OPD at an instant (ms since epoch, UTC): the shifts
   * covering it with swaps applied, and anyone a swap adds. Disabled users are
   * left out. Empty when nobody is rostered: it never invents a person.
   */
  async onDuty(regionId: string, opdId: string, at: number): Promise<DutyPersonView[]> {
    const [region, shifts, swaps] = await Promise.all([this.identity.getRegion(regionId), this.repo.listShifts(regionId, opdId), this.repo.listSwaps(regionId, at, at + 1, opdId)]);
    const spans = onDutyAt(shifts.map(toRule), swaps.map(toSwapRule), at, region.timezone);
    return this.people(regionId, spans);
  }

  /** Who is on duty at an instant in every OPD of the region, by OPD code; for the command center. */
  async onDutyNow(regionId: string, at: number): Promise<OpdOnDutyView[]> {
    const [region, opds, shifts, swaps] = await Promise.all([this.identity.getRegion(regionId), this.identity.opdsOf(regionId), this.repo.listShifts(regionId), this.repo.listSwaps(regionId, at, at + 1)]);
    const spansByOpd = new Map<string, DutySpan[]>();
    for (const opd of opds) {
      const spans = onDutyAt(shifts.filter((s) => s.opd_id === opd.id).map(toRule), swaps.filter((w) => w.opd_id === opd.id).map(toSwapRule), at, region.timezone);
      spansByOpd.set(opd.id, spans);
    }
    const users = await this.usersOf(regionId, [...spansByOpd.values()].flat());
    return opds.map((opd) => ({ opdId: opd.id, opdCode: opd.code, opdName: opd.name, hasRoster: shifts.some((s) => s.opd_id === opd.id), people: activePeople(spansByOpd.get(opd.id) ?? [], users) }));
  }

  /** The week (Senin to Minggu) holding `date` (YYYY-MM-DD, region time; default today): each day's shifts with swaps applied. */
  async week(p: Principal, opdId: string, date?: string): Promise<WeekView> {
    await this.identity.assertOpd(p.regionId, opdId);
    if (date !== undefined && !isDate(date)) throw new AppError('VALIDATION_FAILED', `date "${date}" is not a calendar date (YYYY-MM-DD)`);
    const region = await this.identity.getRegion(p.regionId);
    const zone = region.timezone;
    const monday = mondayOf(date ?? localTime(this.clock.now(), zone).date);
    const from = zonedToUtc(monday, 0, zone);
    // A Sunday shift may run into the next Monday.
    const to = zonedToUtc(addDays(monday, 8), 0, zone);
    const [shifts, swaps] = await Promise.all([this.repo.listShifts(p.regionId, opdId), this.repo.listSwaps(p.regionId, from, to, opdId)]);
    const rules = shifts.map(toRule);
    const swapRules = swaps.map(toSwapRule);
    const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
    const instances = days.map((d) => instancesOn(rules, d, zone).map((inst) => ({ inst, spans: applySwaps(inst, swapRules) })));
    const added = days.map((d) => {
      const start = zonedToUtc(d, 0, zone);
      const end = zonedToUtc(addDays(d, 1), 0, zone);
      return swapRules.filter((w) => w.replacesUserId === null && w.startsAt < end && w.endsAt > start).map((w): DutySpan => ({ userId: w.userId, from: w.startsAt, until: w.endsAt, shiftId: null, swapId: w.id, replacedUserId: null }));
    });
    const allSpans = [...instances.flat().flatMap((x) => x.spans), ...added.flat()];
    const people = new Map((await this.identity.usersByIds(p.regionId, [...shifts.map((s) => s.user_id), ...allSpans.flatMap((s) => [s.userId, s.replacedUserId ?? s.userId])])).map((u) => [u.id, u]));
    const view = (s: DutySpan) => personView(s, people);
    const byId = new Map(shifts.map((s) => [s.id, s]));
    return {
      opdId, timezone: zone, weekStart: monday,
      days: days.map((d, i) => ({
        date: d, weekday: i + 1,
        shifts: instances[i]!.map(({ inst, spans }) => {
          const row = byId.get(inst.shiftId)!;
          return { shiftId: inst.shiftId, start: timeOf(row.start_minute), end: timeOf(row.end_minute), from: inst.from, until: inst.until, userId: inst.userId, userName: people.get(inst.userId)?.name ?? '', spans: spans.map(view) };
        }),
        added: added[i]!.map(view),
      })),
    };
  }

  private async people(regionId: string, spans: DutySpan[]): Promise<DutyPersonView[]> {
    return spans.length === 0 ? [] : activePeople(spans, await this.usersOf(regionId, spans));
  }

  private async usersOf(regionId: string, spans: DutySpan[]): Promise<Map<string, PublicUser>> {
    return new Map((await this.identity.usersByIds(regionId, spans.flatMap((s) => [s.userId, s.replacedUserId ?? s.userId]))).map((u) => [u.id, u]));
  }

  private async checkWrite(p: Principal, opdId: string): Promise<void> {
    assertCanWrite(p, opdId);
    await this.identity.assertOpd(p.regionId, opdId);
  }

  /** The person must be an active admin or operator of the OPD, in this region. */
  private async checkPerson(regionId: string, opdId: string, userId: string, field: string, mayBeInactive = false): Promise<void> {
    const [user] = await this.identity.usersByIds(regionId, [userId]);
    if (!user) throw new AppError('VALIDATION_FAILED', `${field}: ${userId} is not a user of this region`);
    if (user.opdId !== opdId) throw new AppError('VALIDATION_FAILED', `${field}: ${user.name} does not belong to this OPD`);
    if (mayBeInactive) return;
    if (user.disabled) throw new AppError('VALIDATION_FAILED', `${field}: ${user.name} is disabled`);
    if (user.role === 'viewer') throw new AppError('VALIDATION_FAILED', `${field}: ${user.name} is a viewer; only the OPD's admins and operators go on duty`);
  }

  private async checkSwap(regionId: string, opdId: string, startsAt: number, endsAt: number, userId: string, replacesUserId: string | null): Promise<void> {
    if (endsAt <= startsAt) throw new AppError('VALIDATION_FAILED', 'endsAt must be after startsAt');
    if (endsAt - startsAt > MAX_SWAP_MS) throw new AppError('VALIDATION_FAILED', 'a swap lasts at most 31 days; change the weekly roster for longer');
    await this.checkPerson(regionId, opdId, userId, 'userId');
    if (replacesUserId === null) return;
    if (replacesUserId === userId) throw new AppError('VALIDATION_FAILED', 'replacesUserId: a person cannot take over their own duty');
    await this.checkPerson(regionId, opdId, replacesUserId, 'replacesUserId', true);
  }

  private async names(regionId: string, ids: string[]): Promise<Map<string, string>> {
    return new Map((await this.identity.usersByIds(regionId, ids)).map((u) => [u.id, u.name]));
  }

  private shiftView(r: ShiftRow, names: Map<string, string>): ShiftView {
    return {
      id: r.id, opdId: r.opd_id, weekday: r.weekday, start: timeOf(r.start_minute), end: timeOf(r.end_minute), crossesMidnight: r.end_minute <= r.start_minute,
      userId: r.user_id, userName: names.get(r.user_id) ?? '', note: r.note, createdBy: r.created_by, createdAt: r.created_at, updatedBy: r.updated_by, updatedAt: r.updated_at,
    };
  }

  private swapView(r: SwapRow, names: Map<string, string>): SwapView {
    return {
      id: r.id, opdId: r.opd_id, startsAt: r.starts_at, endsAt: r.ends_at, userId: r.user_id, userName: names.get(r.user_id) ?? '', replacesUserId: r.replaces_user_id,
      replacesUserName: r.replaces_user_id === null ? null : (names.get(r.replaces_user_id) ?? ''), note: r.note, createdBy: r.created_by, createdAt: r.created_at, updatedBy: r.updated_by, updatedAt: r.updated_at,
    };
  }

  private changed(regionId: string, opdId: string): void {
    this.bus.publish('duty.changed', { regionId, opdId });
  }
}

function checkShiftTimes(start: string, end: string): void {
  if (minuteOf(start) === minuteOf(end)) throw new AppError('VALIDATION_FAILED', `a shift's end (${end}) must differ from its start (${start})`);
}

/** The spans of people who are still active, as the API shows them, by name. */
function activePeople(spans: DutySpan[], users: Map<string, PublicUser>): DutyPersonView[] {
  return spans.filter((s) => users.get(s.userId)?.disabled === false).map((s) => personView(s, users)).sort((a, b) => a.name.localeCompare(b.name) || a.from - b.from);
}

function personView(s: DutySpan, users: Map<string, PublicUser>): DutyPersonView {
  const user = users.get(s.userId);
  return {
    userId: s.userId, name: user?.name ?? '', position: user?.position ?? null, from: s.from, until: s.until, shiftId: s.shiftId, swapId: s.swapId,
    replacedUserId: s.replacedUserId, replacedUserName: s.replacedUserId === null ? null : (users.get(s.replacedUserId)?.name ?? null),
  };
}
