import type { Clock } from '../../core/clock.ts';
import { AppError, isAppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { decodeCursor, toPage, type Page } from '../../core/paging.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { AlarmsService, Severity } from '../alarms/index.ts';
import type { DevicesService, ProfilesService } from '../devices/index.ts';
import { requireRole, type IdentityService, type Principal } from '../identity/index.ts';
import type { RuleAction } from './rules.actions.ts';
import type { Condition, Level, Rule, RuleBody, RulePatch } from './rules.contract.ts';
import { invalid } from './rules.errors.ts';
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
  private readonly profiles: ProfilesService;
  private readonly identity: IdentityService;
  private readonly alarms: AlarmsService;
  private readonly actions: Map<string, RuleAction<any>>;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  constructor(
    repo: RulesRepository,
    devices: DevicesService,
    profiles: ProfilesService,
    identity: IdentityService,
    alarms: AlarmsService,
    actions: Map<string, RuleAction<any>>,
    bus: EventBus,
    clock: Clock,
  ) {
    this.repo = repo;
    this.devices = devices;
    this.profiles = profiles;
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
    const row: RuleRow = { id: newId(), region_id: p.regionId, created_by: p.userId, created_at: now, updated_at: now, ...(await this.validate(p, input)) };
    await this.repo.insert(row);
    this.bus.publish('rules.changed', { regionId: p.regionId });
    return publicRule(row);
  }

  async update(p: Principal, id: string, patch: RulePatch): Promise<Rule> {
    requireRole(p, 'admin', 'operator');
    const currentRow = await this.row(p, id);
    const current = toRule(currentRow);
    // Turning a rule on or off checks nothing else: a rule that a later profile or a deleted OPD made
    // invalid can still be switched off (and is checked whole when it is next edited).
    if (Object.keys(patch).length === 1 && patch.enabled !== undefined) return this.switch(p, currentRow, patch.enabled);
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
    const checked = await this.validate(p, merged);
    await this.repo.update(p.regionId, id, { ...checked, updated_at: this.clock.now() });
    // Open alarms follow an edit of levels, duration or actions: the next reading moves them to the
    // new level or clears them (a level no longer there counts as the lowest), so an acknowledged flood
    // alarm is not closed and opened afresh because a threshold moved. One that watches something else
    // now (device, key, OPD) no longer speaks for the rule and is cleared, as is every one of a disabled rule.
    const watches = (r: Pick<RuleRow, 'target_kind' | 'target_value' | 'key' | 'opd_id'>) => JSON.stringify([r.target_kind, r.target_value, r.key, r.opd_id]);
    if (checked.enabled === 0 && currentRow.enabled === 1) await this.alarms.clearOrigin(p.regionId, `rule:${id}`, 'rule disabled');
    else if (watches(checked) !== watches(currentRow)) await this.alarms.clearOrigin(p.regionId, `rule:${id}`, 'rule changed');
    this.bus.publish('rules.changed', { regionId: p.regionId });
    return this.get(p, id);
  }

  private async switch(p: Principal, row: RuleRow, enabled: boolean): Promise<Rule> {
    if ((row.enabled === 1) !== enabled) {
      await this.repo.update(p.regionId, row.id, { enabled: enabled ? 1 : 0, updated_at: this.clock.now() });
      if (!enabled) await this.alarms.clearOrigin(p.regionId, `rule:${row.id}`, 'rule disabled');
      this.bus.publish('rules.changed', { regionId: p.regionId });
    }
    return this.get(p, row.id);
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
      if (patch.condition !== undefined || patch.severity !== undefined || patch.clearCondition !== undefined) throw invalid('levels', 'berikan level, atau syarat dan tingkat, bukan keduanya', 'give either levels, or condition and severity, not both');
      return { levels: patch.levels };
    }
    if (patch.condition === undefined && patch.severity === undefined && patch.clearCondition === undefined) return { levels: current.levels };
    if (current.levels.length > 1) throw invalid('levels', 'aturan ini punya beberapa level: ubah lewat levels', 'this rule has several levels: change them with levels');
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

  /** Checks a rule whole, as it would be saved; the preview checks one this way without its actions. */
  async validate(p: Principal, input: RuleBody): Promise<Omit<RuleRow, 'id' | 'region_id' | 'created_by' | 'created_at' | 'updated_at'>> {
    if (input.levels !== undefined && input.levels !== null && (input.condition !== undefined || input.severity !== undefined || input.clearCondition !== undefined)) {
      throw invalid('levels', 'berikan level, atau syarat dan tingkat, bukan keduanya', 'give either levels, or condition and severity, not both');
    }
    const levels = input.levels !== undefined && input.levels !== null ? parseLevels(input.levels) : singleLevel(input.condition, input.clearCondition, input.severity);
    const lowest = levels[0]!;
    if (input.name.trim() === '') throw invalid('name', 'nama aturan wajib diisi', 'the rule needs a name');
    let opdId = input.opdId ?? null;
    if (p.role === 'operator') {
      if (opdId !== null && opdId !== p.opdId) throw new AppError('FORBIDDEN', "an operator's rules apply to their own OPD only");
      opdId = p.opdId;
    } else if (opdId !== null) {
      await this.identity.assertOpd(p.regionId, opdId);
    }
    let deviceType: string | null = input.target.kind === 'device_type' ? input.target.value : null;
    if (input.target.kind === 'device') {
      const [device] = await this.devices.refs(p.regionId, [input.target.value]);
      if (!device) throw new AppError('DEVICE_NOT_FOUND', `no device ${input.target.value} in this region`, { field: 'target.value', text: { id: `tidak ada perangkat ${input.target.value} di wilayah ini`, en: `no device ${input.target.value} in this region` } });
      if (p.role === 'operator' && device.opdId !== p.opdId) throw new AppError('FORBIDDEN', 'this device belongs to another OPD');
      deviceType = device.type;
    }
    await this.checkKey(p.regionId, deviceType, input.key, lowest.condition.op === 'silence');
    const actions = [];
    for (const [i, a] of (input.actions ?? []).entries()) {
      const kind = this.actions.get(String(a.type));
      if (!kind) {
        const known = [...this.actions.keys()].join(', ');
        throw invalid(`actions[${i}].type`, `actions[${i}].type harus salah satu dari ${known}`, `actions[${i}].type must be one of ${known}`);
      }
      try {
        actions.push(await kind.parse(a, p));
      } catch (error) {
        // The action's own words (in both languages where it gives them), and which action it was, so that the editor marks it.
        if (!isAppError(error)) throw error;
        const text = typeof error.details === 'object' && error.details !== null && 'text' in error.details ? error.details.text : undefined;
        throw new AppError(error.code, error.message, { field: `actions[${i}]`, ...(text !== undefined && { text }) });
      }
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

  /**
   * A key the device type's profile does not name would never be read: refused.
   * A type without a profile (or a rule on an asset type) takes any key; a
   * silence may watch any data ('*').
   */
  private async checkKey(regionId: string, deviceType: string | null, key: string, silence: boolean): Promise<void> {
    if (key === '*') {
      if (!silence) throw invalid('key', '“data apa pun” (*) hanya untuk aturan tanpa data', '* (any data) is for silence rules only');
      return;
    }
    if (deviceType === null) return;
    const profile = await this.profiles.forType(regionId, deviceType);
    if (profile === null || profile.keys.length === 0 || profile.keys.some((k) => k.key === key)) return;
    const names = profile.keys.map((k) => k.key).join(', ');
    throw invalid('key', `${profile.name.id} tidak mengirim data “${key}”; pilih salah satu: ${names}`, `a ${profile.name.en} sends no “${key}”; choose one of ${names}`);
  }
}
