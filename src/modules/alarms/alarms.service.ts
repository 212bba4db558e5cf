import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { AlarmPayload } from '../../core/events.ts';
import { newId, sortableId } from '../../core/ids.ts';
import { decodeCursor, encodeCursor, type Page } from '../../core/paging.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import { requireRole, type Principal } from '../identity/index.ts';
import type { AlarmEventRow, AlarmFilter, AlarmRow, AlarmsRepository } from './alarms.repository.ts';

/**
 * Severities: Indonesia's disaster-warning levels (BNPB: Normal, Waspada,
 * Siaga, Awas) and the usual info/minor/major/critical, on one scale of rank.
 */
export const SEVERITIES = ['normal', 'info', 'waspada', 'minor', 'siaga', 'major', 'awas', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_RANK: Record<Severity, number> = { normal: 0, info: 0, waspada: 1, minor: 1, siaga: 2, major: 2, awas: 3, critical: 3 };

export interface AlarmHistoryEntry {
  kind: AlarmEventRow['kind'];
  at: number;
  userId: string | null;
  note: string | null;
}

export interface RaiseInput {
  regionId: string;
  origin: string;
  ruleId: string | null;
  device: { id: string; assetId: string | null; opdId: string | null };
  type: string;
  severity: Severity;
  key: string | null;
  value: unknown;
  message: string;
  /** ms since epoch of the reading that raised it */
  at: number;
}

export const toAlarm = (r: AlarmRow): AlarmPayload => ({
  id: r.id,
  ruleId: r.rule_id,
  deviceId: r.device_id,
  assetId: r.asset_id,
  opdId: r.opd_id,
  type: r.type,
  severity: r.severity,
  status: r.status,
  acknowledged: r.acknowledged === 1,
  acknowledgedBy: r.acknowledged_by,
  acknowledgedAt: r.acknowledged_at,
  clearedBy: r.cleared_by,
  clearedAt: r.cleared_at,
  startedAt: r.started_at,
  lastAt: r.last_at,
  count: r.count,
  key: r.key,
  lastValue: r.last_value === null ? null : JSON.parse(r.last_value),
  message: r.message,
});

/** The alarm lifecycle: active → acknowledged → cleared, with who and when, and its history. */
export class AlarmsService {
  private readonly repo: AlarmsRepository;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  constructor(repo: AlarmsRepository, bus: EventBus, clock: Clock) {
    this.repo = repo;
    this.bus = bus;
    this.clock = clock;
  }

  /**
   * Opens an alarm, or, when one from the same origin is active on the device,
   * counts the repeat on it. Returns the alarm and whether it is new.
   */
  /** Read-only, for the master plan's live KPIs: alarms that started in [from, to]. */
  countStarted(regionId: string, from: number, to: number, severity?: string): Promise<number> {
    return this.repo.countStarted(regionId, from, to, severity);
  }

  async raise(input: RaiseInput, repeats = 1): Promise<{ alarm: AlarmPayload; opened: boolean }> {
    const now = this.clock.now();
    const existing = await this.repo.findActive(input.device.id, input.origin);
    if (!existing) {
      const row: AlarmRow = {
        id: newId(),
        region_id: input.regionId,
        rule_id: input.ruleId,
        device_id: input.device.id,
        asset_id: input.device.assetId,
        opd_id: input.device.opdId,
        origin: input.origin,
        type: input.type,
        severity: input.severity,
        status: 'active',
        acknowledged: 0,
        acknowledged_by: null,
        acknowledged_at: null,
        cleared_by: null,
        cleared_at: null,
        started_at: input.at,
        last_at: input.at,
        count: 1,
        key: input.key,
        last_value: input.value === undefined ? null : JSON.stringify(input.value),
        message: input.message,
        created_at: now,
        updated_at: now,
      };
      if (await this.repo.insert(row, { id: sortableId(), alarm_id: row.id, region_id: row.region_id, kind: 'opened', at: now, user_id: null, note: input.message })) {
        const alarm = toAlarm(row);
        this.bus.publish('alarm.opened', { regionId: input.regionId, alarm });
        return { alarm, opened: true };
      }
      return this.raise(input, repeats); // another instance opened it a moment ago: count the repeat there
    }
    const patch: Partial<AlarmRow> = {
      count: existing.count + repeats,
      last_at: Math.max(existing.last_at, input.at),
      last_value: input.value === undefined ? existing.last_value : JSON.stringify(input.value),
      message: input.message,
      updated_at: now,
    };
    await this.repo.update(existing.id, { status: 'active' }, patch, null);
    const alarm = toAlarm({ ...existing, ...patch });
    this.bus.publish('alarm.updated', { regionId: input.regionId, alarm });
    return { alarm, opened: false };
  }

  async isActive(deviceId: string, origin: string): Promise<boolean> {
    return (await this.repo.findActive(deviceId, origin)) !== undefined;
  }

  /** Clears every active alarm of an origin (its rule was deleted or changed). */
  async clearOrigin(regionId: string, origin: string, note: string): Promise<number> {
    let n = 0;
    for (const row of await this.repo.activeOfOrigin(regionId, origin)) if (await this.clearRow(regionId, row, null, note)) n++;
    return n;
  }

  /** Clears the active alarm of this origin on the device, if any (the condition is over). */
  async clearBySystem(regionId: string, deviceId: string, origin: string, note: string): Promise<AlarmPayload | null> {
    const existing = await this.repo.findActive(deviceId, origin);
    if (!existing) return null;
    return this.clearRow(regionId, existing, null, note);
  }

  async list(p: Principal, filter: AlarmFilter, limit: number, cursor?: string): Promise<Page<AlarmPayload>> {
    const scoped = p.role === 'operator' ? { ...filter, opdId: this.ownOpd(p, filter.opdId) } : filter;
    const rows = await this.repo.list(p.regionId, scoped, limit, decodeCursor(cursor));
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    const last = kept[kept.length - 1];
    return { items: kept.map(toAlarm), nextCursor: more && last ? encodeCursor({ at: last.created_at, id: last.id }) : null };
  }

  async get(p: Principal, id: string): Promise<AlarmPayload & { history: AlarmHistoryEntry[] }> {
    const row = await this.visible(p, id);
    const history = (await this.repo.history(id)).map((e) => ({ kind: e.kind, at: e.at, userId: e.user_id, note: e.note }));
    return { ...toAlarm(row), history };
  }

  async acknowledge(p: Principal, id: string, note?: string): Promise<AlarmPayload> {
    requireRole(p, 'admin', 'operator');
    const row = await this.visible(p, id);
    if (row.acknowledged === 1) throw new AppError('CONFLICT', `the alarm was acknowledged already, at ${new Date(row.acknowledged_at!).toISOString()}`);
    const now = this.clock.now();
    const patch = { acknowledged: 1, acknowledged_by: p.userId, acknowledged_at: now, updated_at: now };
    const event: AlarmEventRow = { id: sortableId(), alarm_id: id, region_id: row.region_id, kind: 'acknowledged', at: now, user_id: p.userId, note: note ?? null };
    if (!(await this.repo.update(id, { acknowledged: 0 }, patch, event))) throw new AppError('CONFLICT', 'the alarm was acknowledged already');
    const alarm = toAlarm({ ...row, ...patch });
    this.bus.publish('alarm.acknowledged', { regionId: row.region_id, alarm });
    return alarm;
  }

  async clear(p: Principal, id: string, note?: string): Promise<AlarmPayload> {
    requireRole(p, 'admin', 'operator');
    const row = await this.visible(p, id);
    if (row.status === 'cleared') throw new AppError('CONFLICT', 'the alarm is cleared already');
    const alarm = await this.clearRow(row.region_id, row, p.userId, note ?? null);
    if (!alarm) throw new AppError('CONFLICT', 'the alarm is cleared already');
    return alarm;
  }

  private async clearRow(regionId: string, row: AlarmRow, userId: string | null, note: string | null): Promise<AlarmPayload | null> {
    const now = this.clock.now();
    const patch: Partial<AlarmRow> = { status: 'cleared', cleared_by: userId, cleared_at: now, updated_at: now };
    const event: AlarmEventRow = { id: sortableId(), alarm_id: row.id, region_id: regionId, kind: 'cleared', at: now, user_id: userId, note };
    if (!(await this.repo.update(row.id, { status: 'active' }, patch, event))) return null;
    const alarm = toAlarm({ ...row, ...patch });
    this.bus.publish('alarm.cleared', { regionId, alarm });
    return alarm;
  }

  /** Operators see their own OPD's alarms; others all of the region's. */
  private async visible(p: Principal, id: string): Promise<AlarmRow> {
    const row = await this.repo.find(p.regionId, id);
    if (!row || (p.role === 'operator' && row.opd_id !== p.opdId)) throw new AppError('NOT_FOUND', `no alarm ${id} you can see`);
    return row;
  }

  private ownOpd(p: Principal, asked: string | undefined): string {
    if (asked !== undefined && asked !== p.opdId) throw new AppError('FORBIDDEN', "an operator sees only their own OPD's alarms");
    return p.opdId!;
  }
}
