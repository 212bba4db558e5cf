import type { Clock } from '../../core/clock.ts';
import { PeriodicJob, type JobLog } from '../../core/periodic-job.ts';
import type { AlarmPayload, EventMap } from '../../core/events.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { AlarmsService } from '../alarms/index.ts';
import { SYSTEM_ALARM_WORDS, type DeviceStatusTracker } from '../devices/index.ts';
import type { ActionContext, RuleAction } from './rules.actions.ts';
import { describe, holds } from './rules.conditions.ts';
import { highestHolding, nextLevel, type Level } from './rules.levels.ts';
import type { RuleRow, RulesRepository } from './rules.repository.ts';
import { levelsOf } from './rules.service.ts';

interface LoadedRule {
  row: RuleRow;
  /** lowest first; a silence rule has one */
  levels: Level[];
  /** minutes, for a silence rule; null for thresholds */
  silenceMinutes: number | null;
  actions: { type: string }[];
}

interface State {
  pendingSince: number | null;
  last: { value: number; ts: number } | null;
  /** the index in the rule's levels of its open alarm's level; null: no alarm open */
  level: number | null;
  /** the highest level the last reading met while no alarm was open: where a pending alarm opens */
  held: number | null;
}

/** What happened, for the rule's actions. */
type Transition = Extract<ActionContext, { transition: 'opened' | 'cleared' }>['transition'] | Omit<Extract<ActionContext, { transition: 'level_changed' }>, 'regionId' | 'rule' | 'alarm'>;

type Reading = EventMap['telemetry.stored'];

const OFFLINE_ORIGIN = 'device_offline';

/**
 * Evaluates rules on every reading this instance stored (so, with several
 * instances, each reading once), keeps per-rule-and-device state (how long a
 * condition has held, the previous value for rates, whether an alarm is open),
 * and on a timer checks silence, conditions that held long enough without a new
 * reading, and device status.
 */
/** A region's enabled rules, found by what they target so that a reading looks only at its own. */
interface RegionRules {
  all: LoadedRule[];
  byTarget: Map<string, LoadedRule[]>;
}

const targetKey = (kind: string, value: string) => `${kind}\u0000${value}`;

export class RuleEngine {
  private readonly rules = new Map<string, RegionRules>();
  private readonly states = new Map<string, State>();
  /** Readings are evaluated in order, one at a time, so a state is never read and written by two at once. */
  private queue: Promise<void> = Promise.resolve();
  private timer: PeriodicJob | undefined;
  private repeatTimer: PeriodicJob | undefined;
  /**
   * Readings that met the condition of an alarm already open, counted here and
   * written once a second: a flood of repeats must not cost a transaction each.
   */
  private readonly repeats = new Map<string, { rule: LoadedRule; input: ReturnType<RuleEngine['alarmInput']>; n: number }>();
  private unsubscribe: (() => void)[] = [];

  private readonly repo: RulesRepository;
  private readonly alarms: AlarmsService;
  private readonly status: DeviceStatusTracker;
  private readonly actions: Map<string, RuleAction<any>>;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  private readonly onError: (error: unknown) => void;
  constructor(
    repo: RulesRepository,
    alarms: AlarmsService,
    status: DeviceStatusTracker,
    actions: Map<string, RuleAction<any>>,
    bus: EventBus,
    clock: Clock,
    onError: (error: unknown) => void,
  ) {
    this.repo = repo;
    this.alarms = alarms;
    this.status = status;
    this.actions = actions;
    this.bus = bus;
    this.clock = clock;
    this.onError = onError;
  }

  /** Loads the enabled rules and starts listening; `tickMs` null leaves the timer to the caller (tests). */
  async start(tickMs: number | null = 30_000): Promise<void> {
    for (const row of await this.repo.enabledRules()) this.add(row);
    this.unsubscribe = [
      this.bus.subscribe(
        'telemetry.stored',
        (reading) => {
          // Most readings meet no rule of their region: skip the queue for them.
          if (this.rules.has(reading.regionId)) this.enqueue(() => this.onReading(reading));
        },
        { localOnly: true },
      ),
      this.bus.subscribe('rules.changed', ({ regionId }) => this.enqueue(() => this.reload(regionId))),
      this.bus.subscribe('device.status.changed', (e) => this.enqueue(() => this.onStatus(e)), { localOnly: true }),
      // An alarm cleared by hand (or by another instance) starts its rule afresh for that device.
      this.bus.subscribe('alarm.cleared', ({ alarm }) => {
        if (alarm.ruleId === null || alarm.deviceId === null) return;
        const key = `${alarm.ruleId}:${alarm.deviceId}`;
        this.repeats.delete(key);
        const state = this.states.get(key);
        if (state) {
          state.level = null;
          state.pendingSince = null;
        }
      }),
      // A level moved by another instance (it stored that reading): this one goes on from there.
      this.bus.subscribe('alarm.level.changed', ({ alarm }) => {
        if (alarm.ruleId === null || alarm.deviceId === null || alarm.status !== 'active') return;
        const state = this.states.get(`${alarm.ruleId}:${alarm.deviceId}`);
        const rule = this.findRule(alarm.ruleId);
        if (state && rule && state.level !== null) state.level = levelIndex(rule, alarm.severity);
      }),
      this.bus.subscribe('device.deleted', ({ deviceId }) => {
        for (const key of this.states.keys()) if (key.endsWith(`:${deviceId}`)) this.states.delete(key);
      }),
    ];
    const log: JobLog = { error: ({ err }) => this.onError(err) };
    this.repeatTimer = new PeriodicJob({ name: 'rule repeats', everyMs: 1000, run: () => this.enqueue(() => this.flushRepeats()), log });
    this.repeatTimer.start();
    if (tickMs !== null) {
      this.timer = new PeriodicJob({ name: 'rule ticks', everyMs: tickMs, run: () => this.tick(), log });
      this.timer.start();
    }
  }

  /** Waits until every reading handed over so far has been evaluated and its repeats written. */
  idle(): Promise<void> {
    return this.enqueue(() => this.flushRepeats());
  }

  async stop(): Promise<void> {
    await this.timer?.stop();
    await this.repeatTimer?.stop();
    for (const u of this.unsubscribe) u();
    await this.enqueue(() => this.flushRepeats());
  }

  private async flushRepeats(key?: string): Promise<void> {
    const entries = key === undefined ? [...this.repeats] : this.repeats.has(key) ? [[key, this.repeats.get(key)!] as const] : [];
    for (const [k, r] of entries) {
      this.repeats.delete(k);
      const { alarm, opened } = await this.alarms.raise(r.input, r.n);
      if (opened) {
        // It had been cleared by hand meanwhile: the repeats opened it afresh, at their level.
        const state = this.states.get(k);
        if (state) state.level = levelIndex(r.rule, alarm.severity);
        this.runActions(r.rule, alarm, 'opened');
      }
    }
  }

  /** The periodic checks: device status, silence, and conditions that have held long enough with no new reading. */
  async tick(): Promise<void> {
    await this.enqueue(async () => {
      await this.status.check();
      const now = this.clock.now();
      for (const region of this.rules.values()) {
        for (const rule of region.all) {
          if (rule.silenceMinutes !== null) await this.checkSilence(rule, rule.silenceMinutes, now);
        }
      }
      for (const [key, state] of this.states) {
        if (state.level !== null || state.pendingSince === null || state.last === null) continue;
        const [ruleId, deviceId] = key.split(':') as [string, string];
        const rule = this.findRule(ruleId);
        if (!rule || now - state.pendingSince < rule.row.duration_ms) continue;
        // After a restart the level held is not known: the last reading tells it (without a rate, which needs two).
        const level = state.held ?? highestHolding(rule.levels, state.last.value, state.last.ts, undefined) ?? 0;
        await this.open(rule, await this.deviceOf(rule, deviceId), state, state.last.ts, state.last.value, level);
      }
    });
    // What the checks set off (offline alarms) is evaluated before the tick counts as done.
    await this.idle();
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work).catch(this.onError);
    return this.queue;
  }

  private add(row: RuleRow): void {
    const levels = levelsOf(row);
    const first = levels[0]!.condition;
    const loaded: LoadedRule = { row, levels, silenceMinutes: first.op === 'silence' ? first.minutes : null, actions: JSON.parse(row.actions) as { type: string }[] };
    let region = this.rules.get(row.region_id);
    if (!region) this.rules.set(row.region_id, (region = { all: [], byTarget: new Map() }));
    region.all.push(loaded);
    const key = targetKey(row.target_kind, row.target_value);
    const list = region.byTarget.get(key) ?? [];
    list.push(loaded);
    region.byTarget.set(key, list);
  }

  private async reload(regionId: string): Promise<void> {
    const ids = new Set((this.rules.get(regionId)?.all ?? []).map((r) => r.row.id));
    this.rules.delete(regionId);
    for (const row of await this.repo.enabledRules(regionId)) this.add(row);
    // A changed rule starts afresh; its saved state was reset with it.
    for (const key of this.states.keys()) if (ids.has(key.split(':')[0]!)) this.states.delete(key);
  }

  private findRule(id: string): LoadedRule | undefined {
    for (const region of this.rules.values()) for (const r of region.all) if (r.row.id === id) return r;
    return undefined;
  }

  /** The rules that target this device (by id, its type or its asset's type) and its OPD. */
  private rulesFor(region: RegionRules, reading: Pick<Reading, 'deviceId' | 'deviceType' | 'assetType' | 'opdId'>): LoadedRule[] {
    const found = [
      ...(region.byTarget.get(targetKey('device', reading.deviceId)) ?? []),
      ...(region.byTarget.get(targetKey('device_type', reading.deviceType)) ?? []),
      ...(reading.assetType === null ? [] : (region.byTarget.get(targetKey('asset_type', reading.assetType)) ?? [])),
    ];
    return found.filter((rule) => rule.row.opd_id === null || rule.row.opd_id === reading.opdId);
  }

  private async state(rule: LoadedRule, deviceId: string): Promise<State> {
    const key = `${rule.row.id}:${deviceId}`;
    let state = this.states.get(key);
    if (!state) {
      const saved = await this.repo.state(rule.row.id, deviceId);
      // The level is the open alarm's severity: one truth, kept across a restart.
      const severity = await this.alarms.activeSeverity(deviceId, `rule:${rule.row.id}`);
      state = {
        pendingSince: saved?.pending_since ?? null,
        last: saved && saved.last_ts !== null && saved.last_value !== null ? { ts: saved.last_ts, value: saved.last_value } : null,
        level: severity === null ? null : levelIndex(rule, severity),
        held: null,
      };
      this.states.set(key, state);
    }
    return state;
  }

  private async persist(rule: LoadedRule, deviceId: string, state: State): Promise<void> {
    await this.repo.saveState({ rule_id: rule.row.id, device_id: deviceId, region_id: rule.row.region_id, pending_since: state.pendingSince, last_ts: state.last?.ts ?? null, last_value: state.last?.value ?? null });
  }

  private async onReading(reading: Reading): Promise<void> {
    const region = this.rules.get(reading.regionId);
    if (!region) return;
    const rules = this.rulesFor(region, reading);
    if (rules.length === 0) return;
    const device = { id: reading.deviceId, assetId: reading.assetId, opdId: reading.opdId };
    const groups = reading.points.length > 1 ? [...reading.points].sort((a, b) => a.ts - b.ts) : reading.points;
    for (const rule of rules) {
      for (const group of groups) {
        const value = group.values[rule.row.key];
        if (rule.silenceMinutes !== null) {
          if (value !== undefined || rule.row.key === '*') await this.endSilence(rule, device);
          continue;
        }
        if (typeof value === 'number') await this.evaluate(rule, device, group.ts, value);
      }
    }
  }

  private async evaluate(rule: LoadedRule, device: { id: string; assetId: string | null; opdId: string | null }, ts: number, value: number): Promise<void> {
    const state = await this.state(rule, device.id);
    if (state.last && ts <= state.last.ts) return; // a late reading does not rewrite the present
    const previous = state.last ?? undefined;
    const held = highestHolding(rule.levels, value, ts, previous);
    const pendingBefore = state.pendingSince;
    state.last = { value, ts };
    if (state.level !== null) {
      const key = `${rule.row.id}:${device.id}`;
      const next = nextLevel(rule.levels, state.level, value, ts, previous);
      if (next === state.level) {
        if (held !== null) {
          const pending = this.repeats.get(key);
          this.repeats.set(key, { rule, input: this.alarmInput(rule, device, ts, value, next, previous), n: (pending?.n ?? 0) + 1 });
        }
        return;
      }
      // Repeats counted at the old level are written first, so that the history stays in order.
      await this.flushRepeats(key);
      if (next === null) await this.close(rule, device, state, ts, value, previous);
      else await this.moveLevel(rule, device, state, next, ts, value, previous);
      return;
    }
    state.held = held;
    if (held === null) {
      if (pendingBefore !== null) {
        state.pendingSince = null;
        await this.persist(rule, device.id, state);
      }
      return;
    }
    if (state.pendingSince === null) state.pendingSince = ts;
    if (ts - state.pendingSince >= rule.row.duration_ms) await this.open(rule, device, state, ts, value, held, previous);
    else if (pendingBefore === null) await this.persist(rule, device.id, state);
  }

  /** Opens the alarm at a level; the state follows only once it is written, so a failure (a hook's) is tried again on the next reading. */
  private async open(rule: LoadedRule, device: { id: string; assetId: string | null; opdId: string | null }, state: State, ts: number, value: number, level: number, previous?: { value: number; ts: number }): Promise<void> {
    const { alarm, opened } = await this.alarms.raise(this.alarmInput(rule, device, ts, value, level, previous));
    state.level = levelIndex(rule, alarm.severity);
    await this.persist(rule, device.id, state);
    if (opened) this.runActions(rule, alarm, 'opened');
  }

  private async moveLevel(rule: LoadedRule, device: { id: string; assetId: string | null; opdId: string | null }, state: State, level: number, ts: number, value: number, previous?: { value: number; ts: number }): Promise<void> {
    const changed = await this.alarms.changeLevel({ ...this.alarmInput(rule, device, ts, value, level, previous), value });
    if (changed === null) {
      state.level = null; // cleared by hand meanwhile: the rule starts afresh
      return;
    }
    state.level = level;
    if (changed.from !== changed.to) this.runActions(rule, changed.alarm, { transition: 'level_changed', from: changed.from, to: changed.to, rising: changed.rising });
  }

  private async close(rule: LoadedRule, device: { id: string }, state: State, ts: number, value: number, previous?: { value: number; ts: number }): Promise<void> {
    const level = rule.levels[state.level!]!;
    const reason = level.clearCondition !== null && holds(level.clearCondition, value, ts, previous) ? describe(level.clearCondition, rule.row.key, value) : `${rule.row.key} ${Number(value.toFixed(4))}`;
    const alarm = await this.alarms.clearBySystem(rule.row.region_id, device.id, `rule:${rule.row.id}`, `cleared: ${reason}`);
    state.level = null;
    state.pendingSince = null;
    await this.persist(rule, device.id, state);
    if (alarm) this.runActions(rule, alarm, 'cleared');
  }

  private alarmInput(rule: LoadedRule, device: { id: string; assetId: string | null; opdId: string | null }, ts: number, value: number | null, level: number, previous?: { value: number; ts: number }) {
    const { severity, condition } = rule.levels[level]!;
    // Between a level's clear condition and its condition (hysteresis) the reading is told plainly, not as a threshold met.
    const met = value === null || holds(condition, value, ts, previous) || condition.op === 'silence';
    const message = met ? describe(condition, rule.row.key, value) : `${rule.row.key} ${Number(value.toFixed(4))}`;
    return {
      regionId: rule.row.region_id,
      origin: `rule:${rule.row.id}`,
      ruleId: rule.row.id,
      device,
      type: rule.row.name,
      severity,
      key: rule.row.key,
      value,
      message,
      condition: met ? condition : null,
      at: ts,
    };
  }

  private async checkSilence(rule: LoadedRule, minutes: number, now: number): Promise<void> {
    for (const d of await this.repo.targetsWithLastSeen(rule.row)) {
      const lastSeen = rule.row.key === '*' ? d.last_activity_at : d.latest_ts;
      if (lastSeen === null || now - lastSeen < minutes * 60_000) continue;
      const device = { id: d.id, assetId: d.asset_id, opdId: d.opd_id };
      const state = await this.state(rule, d.id);
      if (state.level !== null) continue;
      const { alarm, opened } = await this.alarms.raise({ ...this.alarmInput(rule, device, lastSeen, null, 0), at: now });
      state.level = 0;
      if (opened) this.runActions(rule, alarm, 'opened');
    }
  }

  private async endSilence(rule: LoadedRule, device: { id: string }): Promise<void> {
    const state = await this.state(rule, device.id);
    if (state.level === null) return;
    const alarm = await this.alarms.clearBySystem(rule.row.region_id, device.id, `rule:${rule.row.id}`, 'data arrived again');
    state.level = null;
    if (alarm) this.runActions(rule, alarm, 'cleared');
  }

  private async deviceOf(rule: LoadedRule, deviceId: string) {
    const d = (await this.repo.targetsWithLastSeen(rule.row)).find((t) => t.id === deviceId);
    return { id: deviceId, assetId: d?.asset_id ?? null, opdId: d?.opd_id ?? null };
  }

  private async onStatus(e: EventMap['device.status.changed']): Promise<void> {
    const device = { id: e.deviceId, assetId: e.assetId, opdId: e.opdId };
    if (!e.online) {
      await this.alarms.raise({ regionId: e.regionId, origin: OFFLINE_ORIGIN, ruleId: null, device, type: 'device_offline', severity: 'major', key: null, value: null, message: SYSTEM_ALARM_WORDS.offline[0], messageEn: SYSTEM_ALARM_WORDS.offline[1], at: e.at });
    } else {
      await this.alarms.clearBySystem(e.regionId, e.deviceId, OFFLINE_ORIGIN, SYSTEM_ALARM_WORDS.online[0]);
    }
  }

  private runActions(rule: LoadedRule, alarm: AlarmPayload, transition: Transition): void {
    const base = { regionId: rule.row.region_id, rule: { id: rule.row.id, name: rule.row.name }, alarm };
    const context: ActionContext = typeof transition === 'string' ? { ...base, transition } : { ...base, ...transition };
    for (const config of rule.actions) {
      try {
        this.actions.get(config.type)?.run(config, context);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}

/** The index of a severity among the rule's levels; a severity it no longer has (an older alarm) counts as its lowest level. */
function levelIndex(rule: LoadedRule, severity: string): number {
  const i = rule.levels.findIndex((l) => l.severity === severity);
  return i === -1 ? 0 : i;
}
