import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { decodeCursor, toPage, type Page } from '../../core/paging.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import { SEVERITIES, type AlarmsService, type Severity } from '../alarms/index.ts';
import type { DevicesService } from '../devices/index.ts';
import { requireRole, type IdentityService, type Principal } from '../identity/index.ts';
import type { RuleAction } from './rules.actions.ts';
import { parseCondition, type Condition } from './rules.conditions.ts';
import type { RuleRow, RulesRepository } from './rules.repository.ts';

export type TargetKind = 'device' | 'device_type' | 'asset_type';

export interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  /** set: the rule applies to this OPD's devices only */
  opdId: string | null;
  target: { kind: TargetKind; value: string };
  key: string;
  condition: Condition;
  /** null: the alarm clears when the condition no longer holds */
  clearCondition: Condition | null;
  /** how long the condition must hold before the alarm opens, in seconds */
  durationSeconds: number;
  severity: Severity;
  actions: { type: string; [k: string]: unknown }[];
  createdAt: number;
  updatedAt: number;
}

export interface RuleInput {
  name: string;
  enabled?: boolean;
  opdId?: string | null;
  target: { kind: TargetKind; value: string };
  key: string;
  condition: unknown;
  clearCondition?: unknown;
  durationSeconds?: number;
  severity: string;
  actions?: Record<string, unknown>[];
}

/** A rule as the API shows it: webhook secrets are never sent back, only whether one is set. */
export function publicRule(r: RuleRow): Rule {
  const rule = toRule(r);
  rule.actions = rule.actions.map(({ secret, ...rest }) => (secret === undefined ? rest : { ...rest, hasSecret: secret !== null }));
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

  async create(p: Principal, input: RuleInput): Promise<Rule> {
    requireRole(p, 'admin', 'operator');
    const now = this.clock.now();
    const row: RuleRow = { id: newId(), region_id: p.regionId, created_by: p.userId, created_at: now, updated_at: now, ...(await this.check(p, input)) };
    await this.repo.insert(row);
    this.bus.publish('rules.changed', { regionId: p.regionId });
    return publicRule(row);
  }

  async update(p: Principal, id: string, patch: Partial<RuleInput>): Promise<Rule> {
    requireRole(p, 'admin', 'operator');
    const currentRow = await this.row(p, id);
    const current = toRule(currentRow);
    // An action given again without its secret keeps the stored one (the API never shows it).
    const actions = patch.actions?.map((a, i) => (a.secret === undefined && a.type === current.actions[i]?.type && current.actions[i]?.secret !== undefined ? { ...a, secret: current.actions[i]!.secret } : a));
    const merged: RuleInput = {
      name: patch.name ?? current.name,
      enabled: patch.enabled ?? current.enabled,
      opdId: patch.opdId !== undefined ? patch.opdId : current.opdId,
      target: patch.target ?? current.target,
      key: patch.key ?? current.key,
      condition: patch.condition ?? current.condition,
      clearCondition: patch.clearCondition !== undefined ? patch.clearCondition : current.clearCondition,
      durationSeconds: patch.durationSeconds ?? current.durationSeconds,
      severity: patch.severity ?? current.severity,
      actions: actions ?? current.actions,
    };
    const checked = await this.check(p, merged);
    await this.repo.update(p.regionId, id, { ...checked, updated_at: this.clock.now() });
    // What the rule watches changed: its open alarms no longer speak for it.
    const watches = (r: Pick<RuleRow, 'enabled' | 'target_kind' | 'target_value' | 'key' | 'opd_id' | 'condition'>) => JSON.stringify([r.enabled, r.target_kind, r.target_value, r.key, r.opd_id, r.condition]);
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

  private async row(p: Principal, id: string): Promise<RuleRow> {
    const row = await this.repo.find(p.regionId, id);
    if (!row || (p.role === 'operator' && row.opd_id !== p.opdId)) throw new AppError('NOT_FOUND', `no rule ${id} you can see`);
    return row;
  }

  private async check(p: Principal, input: RuleInput): Promise<Omit<RuleRow, 'id' | 'region_id' | 'created_by' | 'created_at' | 'updated_at'>> {
    const condition = parseCondition(input.condition, 'condition');
    const clear = input.clearCondition === undefined || input.clearCondition === null ? null : parseCondition(input.clearCondition, 'clearCondition');
    if (condition.op === 'silence' && clear !== null) throw new AppError('VALIDATION_FAILED', 'a silence rule clears when data arrives again; it takes no clearCondition');
    if (clear?.op === 'silence') throw new AppError('VALIDATION_FAILED', 'clearCondition cannot be a silence');
    if (!(SEVERITIES as readonly string[]).includes(input.severity)) throw new AppError('VALIDATION_FAILED', `severity must be one of ${SEVERITIES.join(', ')}`);
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
      condition: JSON.stringify(condition),
      clear_condition: clear === null ? null : JSON.stringify(clear),
      duration_ms: Math.round((input.durationSeconds ?? 0) * 1000),
      severity: input.severity,
      actions: JSON.stringify(actions),
    };
  }
}
