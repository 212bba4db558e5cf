import type { Transaction } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { AlarmCondition, AlarmPayload } from '../../core/events.ts';
import { newId, sortableId } from '../../core/ids.ts';
import { decodeCursor, encodeCursor, type Page } from '../../core/paging.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { requireRole, type Principal } from '../identity/index.ts';
import { SEVERITY_RANK, type Severity } from './alarms.contract.ts';
import type { AlarmChange, AlarmChangeHook } from './alarms.hooks.ts';
import type { AlarmEventRow, AlarmFilter, AlarmRow, AlarmsRepository } from './alarms.repository.ts';


export interface AlarmHistoryEntry {
  kind: AlarmEventRow['kind'];
  at: number;
  userId: string | null;
  note: string | null;
  /** level_changed: the severity before and after, and the reading that changed it */
  from: string | null;
  to: string | null;
  value: number | null;
}

/** Who acknowledges: a signed-in person, or the person a notification's one-time link was sent to. */
export type Acknowledger = Pick<Principal, 'userId' | 'regionId' | 'role' | 'opdId'>;

const historyLine = (alarm: Pick<AlarmRow, 'id' | 'region_id'>, kind: AlarmEventRow['kind'], at: number, userId: string | null, note: string | null, level?: { from: string; to: string; value: number | null }): AlarmEventRow => ({
  id: sortableId(),
  alarm_id: alarm.id,
  region_id: alarm.region_id,
  kind,
  at,
  user_id: userId,
  note,
  from_severity: level?.from ?? null,
  to_severity: level?.to ?? null,
  value: level?.value ?? null,
});

export interface RaiseInput {
  regionId: string;
  origin: string;
  ruleId: string | null;
  device: { id: string; assetId: string | null; opdId: string | null };
  type: string;
  severity: Severity;
  key: string | null;
  value: unknown;
  /** in Bahasa Indonesia; replaced by the wording (setWording) where it words the reading */
  message: string;
  /** in English; absent: `message` */
  messageEn?: string;
  /** the condition the reading met, for screens to word (`Tinggi muka air 4,3 m > 4 m`); null or absent: none */
  condition?: AlarmCondition | null;
  /** ms since epoch of the reading that raised it */
  at: number;
}

/**
 * Words an alarm's reading in both languages from its device's profile
 * (*Tinggi muka air 4,30 m > 4 m* / *Water level 4.30 m > 4 m*); null: nothing
 * to word (no key, no profile), and the raiser's message stands.
 */
export type AlarmWording = (regionId: string, alarm: { deviceId: string; key: string | null; lastValue: unknown; condition: AlarmCondition | null }) => Promise<{ id: string; en: string } | null>;

const conditionColumn = (c: AlarmCondition | null | undefined) => (c === undefined || c === null ? null : JSON.stringify(c));

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
  messageEn: r.message_en ?? r.message,
  condition: r.condition ? (JSON.parse(r.condition) as AlarmCondition) : null,
});

/** The alarm lifecycle: active → acknowledged → cleared, with who and when, and its history. */
export class AlarmsService {
  private readonly repo: AlarmsRepository;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  private readonly hooks: AlarmChangeHook[] = [];
  private wording: AlarmWording | null = null;
  constructor(repo: AlarmsRepository, bus: EventBus, clock: Clock) {
    this.repo = repo;
    this.bus = bus;
    this.clock = clock;
  }

  /** How readings are worded (the devices' profiles, wired where both modules are known). */
  setWording(wording: AlarmWording): void {
    this.wording = wording;
  }

  /** The message of an input in both languages: the profile's words where they exist, else the raiser's. */
  private async messages(input: RaiseInput): Promise<{ message: string; message_en: string }> {
    const worded = this.wording && input.key !== null ? await this.wording(input.regionId, { deviceId: input.device.id, key: input.key, lastValue: input.value, condition: input.condition ?? null }).catch(() => null) : null;
    return worded ? { message: worded.id, message_en: worded.en } : { message: input.message, message_en: input.messageEn ?? input.message };
  }

  /**
   * Registers work to do inside the transaction of every alarm change (opened,
   * level changed, acknowledged, cleared by a person or by the system), with the
   * alarm as it is after the change; a hook that throws rolls the change back.
   */
  onChange(hook: AlarmChangeHook): () => void {
    this.hooks.push(hook);
    return () => {
      const i = this.hooks.indexOf(hook);
      if (i >= 0) this.hooks.splice(i, 1);
    };
  }

  private within(change: AlarmChange): ((tx: Transaction<Schema>) => Promise<void>) | undefined {
    if (this.hooks.length === 0) return undefined;
    return async (tx) => {
      for (const hook of [...this.hooks]) await hook(tx, change);
    };
  }

  /** An alarm as the platform itself reads it (a notification about it), whoever may see it; null when there is none. */
  async byId(regionId: string, id: string): Promise<AlarmPayload | null> {
    const row = await this.repo.find(regionId, id);
    return row ? toAlarm(row) : null;
  }

  /** Read-only, for the master plan's live KPIs: alarms that started in [from, to]. */
  countStarted(regionId: string, from: number, to: number, severity?: string): Promise<number> {
    return this.repo.countStarted(regionId, from, to, severity);
  }

  /**
   * Opens an alarm, or, when one from the same origin is active on the device,
   * counts the repeat on it (its severity stays: levels change by changeLevel).
   * Returns the alarm and whether it is new.
   */
  async raise(input: RaiseInput, repeats = 1): Promise<{ alarm: AlarmPayload; opened: boolean }> {
    const now = this.clock.now();
    const existing = await this.repo.findActive(input.device.id, input.origin);
    const words = await this.messages(input);
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
        ...words,
        condition: conditionColumn(input.condition),
        created_at: now,
        updated_at: now,
      };
      const alarm = toAlarm(row);
      if (await this.repo.insert(row, historyLine(row, 'opened', now, null, words.message), this.within({ regionId: row.region_id, kind: 'opened', alarm }))) {
        this.bus.publish('alarm.opened', { regionId: input.regionId, alarm });
        return { alarm, opened: true };
      }
      return this.raise(input, repeats); // another instance opened it a moment ago: count the repeat there
    }
    const patch: Partial<AlarmRow> = {
      count: existing.count + repeats,
      last_at: Math.max(existing.last_at, input.at),
      last_value: input.value === undefined ? existing.last_value : JSON.stringify(input.value),
      ...words,
      ...(input.condition !== undefined && { condition: conditionColumn(input.condition) }),
      updated_at: now,
    };
    await this.repo.update(existing.id, { status: 'active' }, patch, []);
    const alarm = toAlarm({ ...existing, ...patch });
    this.bus.publish('alarm.updated', { regionId: input.regionId, alarm });
    return { alarm, opened: false };
  }

  /**
   * Moves the active alarm of this origin on the device to another level (its
   * severity), with a history line; a rise makes an acknowledged alarm
   * unacknowledged again (someone must take the new level), a fall keeps the
   * acknowledgement. Null when no alarm is active (cleared by hand meanwhile);
   * `from` equal to `to` when it was at that level already.
   */
  async changeLevel(input: RaiseInput & { value: number | null }): Promise<{ alarm: AlarmPayload; from: string; to: string; rising: boolean } | null> {
    const existing = await this.repo.findActive(input.device.id, input.origin);
    if (!existing) return null;
    const from = existing.severity;
    const to = input.severity;
    if (from === to) return { alarm: toAlarm(existing), from, to, rising: false }; // there already (another instance moved it)
    const rising = (SEVERITY_RANK[to] ?? 0) > (SEVERITY_RANK[from as Severity] ?? 0);
    const now = this.clock.now();
    const words = await this.messages(input);
    const patch: Partial<AlarmRow> = {
      severity: to,
      count: existing.count + 1,
      last_at: Math.max(existing.last_at, input.at),
      last_value: input.value === null ? existing.last_value : JSON.stringify(input.value),
      ...words,
      ...(input.condition !== undefined && { condition: conditionColumn(input.condition) }),
      updated_at: now,
    };
    const events = [historyLine(existing, 'level_changed', now, null, words.message, { from, to, value: input.value })];
    const unacknowledged = rising && existing.acknowledged === 1;
    if (unacknowledged) {
      Object.assign(patch, { acknowledged: 0, acknowledged_by: null, acknowledged_at: null });
      events.push(historyLine(existing, 'unacknowledged', now, null, `level rose to ${to}: to be acknowledged again`));
    }
    const alarm = toAlarm({ ...existing, ...patch });
    if (!(await this.repo.update(existing.id, { status: 'active', severity: from }, patch, events, this.within({ regionId: existing.region_id, kind: 'level_changed', alarm, from, to, rising })))) {
      return this.changeLevel(input); // changed a moment ago (by hand or another instance): start from what it is now
    }
    this.bus.publish('alarm.updated', { regionId: existing.region_id, alarm });
    this.bus.publish('alarm.level.changed', { regionId: existing.region_id, alarm, from, to, rising });
    return { alarm, from, to, rising };
  }

  async isActive(deviceId: string, origin: string): Promise<boolean> {
    return (await this.repo.findActive(deviceId, origin)) !== undefined;
  }

  /** The severity (level) of the active alarm of this origin on the device, or null when none is active. */
  async activeSeverity(deviceId: string, origin: string): Promise<string | null> {
    return (await this.repo.findActive(deviceId, origin))?.severity ?? null;
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
    const history = (await this.repo.history(id)).map((e) => ({ kind: e.kind, at: e.at, userId: e.user_id, note: e.note, from: e.from_severity, to: e.to_severity, value: e.value === null ? null : Number(e.value) }));
    return { ...toAlarm(row), history };
  }

  async acknowledge(p: Principal, id: string, note?: string): Promise<AlarmPayload> {
    return this.acknowledgeAsUser(p, id, note ?? null, null);
  }

  /**
   * Acknowledges as a given person, by the same rules as `acknowledge`
   * (admins and operators, an operator within their OPD): for a notification's
   * one-time link, whose module resolves the person it was sent to (through
   * identity) and names the channel in `via` (e.g. 'telegram'), kept in the
   * history's note.
   */
  async acknowledgeAsUser(person: Acknowledger, id: string, note: string | null, via: string | null): Promise<AlarmPayload> {
    if (person.role !== 'admin' && person.role !== 'operator') throw new AppError('FORBIDDEN', 'this needs the role admin or operator');
    const row = await this.visible(person, id);
    if (row.acknowledged === 1) throw new AppError('CONFLICT', `the alarm was acknowledged already, at ${new Date(row.acknowledged_at!).toISOString()}`);
    const now = this.clock.now();
    const patch = { acknowledged: 1, acknowledged_by: person.userId, acknowledged_at: now, updated_at: now };
    const text = via === null ? note : `via ${via}${note ? `: ${note}` : ''}`;
    const alarm = toAlarm({ ...row, ...patch });
    const applied = await this.repo.update(id, { acknowledged: 0 }, patch, [historyLine(row, 'acknowledged', now, person.userId, text)], this.within({ regionId: row.region_id, kind: 'acknowledged', alarm, userId: person.userId }));
    if (!applied) throw new AppError('CONFLICT', 'the alarm was acknowledged already');
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
    const alarm = toAlarm({ ...row, ...patch });
    if (!(await this.repo.update(row.id, { status: 'active' }, patch, [historyLine(row, 'cleared', now, userId, note)], this.within({ regionId: row.region_id, kind: 'cleared', alarm })))) return null;
    this.bus.publish('alarm.cleared', { regionId, alarm });
    return alarm;
  }

  /** Operators see their own OPD's alarms; others all of the region's. */
  private async visible(p: Pick<Principal, 'regionId' | 'role' | 'opdId'>, id: string): Promise<AlarmRow> {
    const row = await this.repo.find(p.regionId, id);
    if (!row || (p.role === 'operator' && row.opd_id !== p.opdId)) throw new AppError('NOT_FOUND', `no alarm ${id} you can see`);
    return row;
  }

  private ownOpd(p: Principal, asked: string | undefined): string {
    if (asked !== undefined && asked !== p.opdId) throw new AppError('FORBIDDEN', "an operator sees only their own OPD's alarms");
    return p.opdId!;
  }
}
