import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { decodeCursor, toPage, type Page } from '../../core/paging.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { AlarmsService, Severity } from '../alarms/index.ts';
import type { DevicesService } from '../devices/index.ts';
import { requireRole, type IdentityService, type Principal } from '../identity/index.ts';
import type { RuleAction } from './rules.actions.ts';
import type { Condition, Level, Rule, RuleBody, RulePatch } from './rules.contract.ts';
import { parseLevels, singleLevel } from './rules.levels.ts';
import type { RuleRow, RulesRepository } from './rules.repository.ts';

export type { Rule, TargetKind } from './rules.contract.ts';

/** A rule row's levels: its levels column, or (rules saved before levels) its one condition and severity. */
export function levelsOf(r: Pick<RuleRow, 'levels' | 'condition' | 'clear_condition' | 'severity'>): Level[] {
  if (r.levels !== null) return JSON.parse(r.levels) as Level[];
  return [{ severity: r.severity as Severity, condition: JSON.parse(r.condition) as Condition, clearCondition: r.clear_condition === null ? null : (JSON.parse(r.clear_condition) as Condition) }];
}

/** An action's webhook secret, when it has one (actions are open objects: each kind has its own fields). */
const secretOf = (action: object): unknown => ('secret' in action ? action.secret : undefined);

/** A rule as the API shows it: webhook secrets are never sent back, only whether one is set. */
export function publicRule(r: RuleRow): Rule {
  const rule = toRule(r);
  rule.actions = rule.actions.map((action) => {
    if (!('secret' in action) || action.secret === undefined) return action;
    const { secret, ...rest } = action;
    return { ...rest, hasSecret: secret !== null };
  });
  return rule;
}

export function toRule(r: RuleRow): Rule {
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled === 1,
    opdId: r.opd_id,
    target: { kind: r.target_kind, value: r.target_value },
    key: r.key,
    levels: levelsOf(r),
    condition: JSON.parse(r.condition) as Condition,
    clearCondition: r.clear_condition === null ? null : (JSON.parse(r.clear_condition) as Condition),
    durationSeconds: r.duration_ms / 1000,
    severity: r.severity as Severity,
    actions: JSON.parse(r.actions) as Rule['actions'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Rules managed by API: checked whole before they are saved, so the engine only ever sees valid ones. */
export class RulesService {
  private readonly repo: RulesRepository;
  private readonly devices: DevicesService;
  private readonly identity: IdentityService;
  private readonly alarms: AlarmsService;
  private readonly actions: Map<string, RuleAction<any>>;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  constructor(
    repo: RulesRepository,
    devices: DevicesService,
    identity: IdentityService,
    alarms: AlarmsService,
    actions: Map<string, RuleAction<any>>,
    bus: EventBus,
    clock: Clock,
  ) {
    this.repo = repo;
    this.devices = devices;
    this.identity = identity;
    this.alarms = alarms;
    this.actions = actions;
    this.bus = bus;
    this.clock = clock;
  }

  async list(p: Principal, limit: number, cursor?: string): Promise<Page<Rule>> {
    const rows = await this.repo.list(p.regionId, limit, decodeCursor(cursor), p.role === 'operator' ? p.opdId! : undefined);
    return toPage(rows, limit, publicRule);
  }

  async get(p: Principal, id: string): Promise<Rule> {
    return publicRule(await this.row(p, id));
  }

  async create(p: Principal, input: RuleBody): Promise<Rule> {
    requireRole(p, 'admin', 'operator');
    const now = this.clock.now();
    const row: RuleRow = { id: newId(), region_id: p.regionId, created_by: p.userId, created_at: now, updated_at: now, ...(await this.check(p, input)) };
    await this.repo.insert(row);
    this.bus.publish('rules.changed', { regionId: p.regionId });
    return publicRule(row);
  }

  async update(p: Principal, id: string, patch: RulePatch): Promise<Rule> {
    requireRole(p, 'admin', 'operator');
    const currentRow = await this.row(p, id);
    const current = toRule(currentRow);
    // An action given again without its secret keeps the stored one (the API never shows it).
    const actions = patch.actions?.map((a, i) => {
      const stored = current.actions[i];
      return secretOf(a) === undefined && a.type === stored?.type && secretOf(stored) !== undefined ? { ...a, secret: secretOf(stored) } : a;
    });
    const merged: RuleBody = {
      name: patch.name ?? current.name,
      enabled: patch.enabled ?? current.enabled,
      opdId: patch.opdId !== undefined ? patch.opdId : current.opdId,
      target: patch.target ?? current.target,
      key: patch.key ?? current.key,
      ...this.mergeLevels(current, patch),
      durationSeconds: patch.durationSeconds ?? current.durationSeconds,
      actions: actions ?? current.actions,
    };
    const checked = await this.check(p, merged);
    await this.repo.update(p.regionId, id, { ...checked, updated_at: this.clock.now() });
    // What the rule watches changed: its open alarms no longer speak for it (their level may name a level that is gone).
    const watches = (r: Pick<RuleRow, 'enabled' | 'target_kind' | 'target_value' | 'key' | 'opd_id' | 'condition' | 'levels' | 'severity' | 'clear_condition'>) =>
      JSON.stringify([r.enabled, r.target_kind, r.target_value, r.key, r.opd_id, levelsOf(r)]);
    if (watches(checked) !== watches(currentRow)) await this.alarms.clearOrigin(p.regionId, `rule:${id}`, 'rule changed');
    this.bus.publish('rules.changed', { regionId: p.regionId });
    return this.get(p, id);
  }

  async delete(p: Principal, id: string): Promise<void> {
    requireRole(p, 'admin', 'operator');
    await this.row(p, id);
    await this.alarms.clearOrigin(p.regionId, `rule:${id}`, 'rule deleted');
    await this.repo.delete(p.regionId, id);
    this.bus.publish('rules.changed', { regionId: p.regionId });
  }

  /**
   * The levels of an edited rule: levels given replace them; a condition or
   * severity given edits a rule of one level (a rule with levels is edited by
   * its levels, so that none is dropped unseen).
   */
  private mergeLevels(current: Rule, patch: RulePatch): Pick<RuleBody, 'levels' | 'condition' | 'clearCondition' | 'severity'> {
    if (patch.levels !== undefined) {
      if (patch.condition !== undefined || patch.severity !== undefined || patch.clearCondition !== undefined) throw new AppError('VALIDATION_FAILED', 'give either levels, or condition and severity, not both');
      return { levels: patch.levels };
    }
    if (patch.condition === undefined && patch.severity === undefined && patch.clearCondition === undefined) return { levels: current.levels };
    if (current.levels.length > 1) throw new AppError('VALIDATION_FAILED', 'this rule has several levels: change them with levels');
    return {
      condition: patch.condition ?? current.condition,
      clearCondition: patch.clearCondition !== undefined ? patch.clearCondition : current.clearCondition,
      severity: patch.severity ?? current.severity,
    };
  }

  private async row(p: Principal, id: string): Promise<RuleRow> {
    const row = await this.repo.find(p.regionId, id);
    if (!row || (p.role === 'operator' && row.opd_id !== p.opdId)) throw new AppError('NOT_FOUND', `no rule ${id} you can see`);
    return row;
  }

  private async check(p: Principal, input: RuleBody): Promise<Omit<RuleRow, 'id' | 'region_id' | 'created_by' | 'created_at' | 'updated_at'>> {
    if (input.levels !== undefined && input.levels !== null && (input.condition !== undefined || input.severity !== undefined || input.clearCondition !== undefined)) {
      throw new AppError('VALIDATION_FAILED', 'give either levels, or condition and severity, not both');
    }
    const levels = input.levels !== undefined && input.levels !== null ? parseLevels(input.levels) : singleLevel(input.condition, input.clearCondition, input.severity);
    const lowest = levels[0]!;
    let opdId = input.opdId ?? null;
    if (p.role === 'operator') {
      if (opdId !== null && opdId !== p.opdId) throw new AppError('FORBIDDEN', "an operator's rules apply to their own OPD only");
      opdId = p.opdId;
    } else if (opdId !== null) {
      await this.identity.assertOpd(p.regionId, opdId);
    }
    if (input.target.kind === 'device') {
      const [device] = await this.devices.refs(p.regionId, [input.target.value]);
      if (!device) throw new AppError('DEVICE_NOT_FOUND', `no device ${input.target.value} in this region`);
      if (p.role === 'operator' && device.opdId !== p.opdId) throw new AppError('FORBIDDEN', 'this device belongs to another OPD');
    }
    const actions = [];
    for (const [i, a] of (input.actions ?? []).entries()) {
      const kind = this.actions.get(String(a.type));
      if (!kind) throw new AppError('VALIDATION_FAILED', `actions[${i}].type must be one of ${[...this.actions.keys()].join(', ')}`);
      actions.push(await kind.parse(a, p));
    }
    return {
      opd_id: opdId,
      name: input.name.trim(),
      enabled: input.enabled === false ? 0 : 1,
      target_kind: input.target.kind,
      target_value: input.target.value,
      key: input.key,
      // The lowest level also in the columns of one condition: what opens the alarm, for readers that know no levels.
      condition: JSON.stringify(lowest.condition),
      clear_condition: lowest.clearCondition === null ? null : JSON.stringify(lowest.clearCondition),
      duration_ms: Math.round((input.durationSeconds ?? 0) * 1000),
      severity: lowest.severity,
      levels: JSON.stringify(levels),
      actions: JSON.stringify(actions),
    };
  }
}
