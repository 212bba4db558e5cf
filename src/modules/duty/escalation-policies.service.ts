import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { IdentityService, Principal } from '../identity/index.ts';
import { assertCanWrite } from './duty.access.ts';
import type { DutyRepository, PolicyRow } from './duty.repository.ts';
import { MAX_LEVELS, MAX_TARGETS, POLICY_SEVERITIES, REGION_WIDE_POSITIONS, type EscalationLevel, type EscalationTarget, type PolicyListView, type PolicySeverity, type PolicyView } from './duty.contract.ts';
import type { DutyService } from './duty.service.ts';

/**
 * What applies to an OPD that set no policy (neither for the severity nor
 * `any`): at once the duty officer (the OPD's active operators when nobody is
 * on duty), after 15 minutes the Kabid of the OPD, after 30 its head (Kepala
 * Dinas / Kalaksa), after 45 the Sekda.
 */
export const DEFAULT_LEVELS: readonly EscalationLevel[] = Object.freeze([
  { afterMinutes: 0, targets: [{ kind: 'duty' }] },
  { afterMinutes: 15, targets: [{ kind: 'position', position: 'kabid' }] },
  { afterMinutes: 30, targets: [{ kind: 'position', position: 'kepala' }] },
  { afterMinutes: 45, targets: [{ kind: 'position', position: 'sekda' }] },
]);

/** Escalation policies per OPD and severity, and the two questions the escalation engine asks. */
export class EscalationPoliciesService {
  private readonly repo: DutyRepository;
  private readonly identity: IdentityService;
  private readonly duty: DutyService;
  private readonly clock: Clock;
  constructor(repo: DutyRepository, identity: IdentityService, duty: DutyService, clock: Clock) {
    this.repo = repo;
    this.identity = identity;
    this.duty = duty;
    this.clock = clock;
  }

  /** The OPD's policies, the default, and the names of the users they name. */
  async list(p: Principal, opdId: string): Promise<PolicyListView> {
    await this.identity.assertOpd(p.regionId, opdId);
    const policies = (await this.repo.listPolicies(p.regionId, opdId)).map(toPolicy);
    const userIds = policies.flatMap((x) => x.levels.flatMap((l) => l.targets.flatMap((t) => (t.kind === 'user' ? [t.userId] : []))));
    const people = (await this.identity.usersByIds(p.regionId, userIds)).map((u) => ({ id: u.id, name: u.name, position: u.position, opdId: u.opdId }));
    return { policies, defaultLevels: DEFAULT_LEVELS.map(copyLevel), people };
  }

  /** Sets (creates or replaces) the OPD's policy for a severity, after checking every level and target. */
  async put(p: Principal, opdId: string, severity: string, levels: EscalationLevel[]): Promise<PolicyView> {
    assertCanWrite(p, opdId);
    await this.identity.assertOpd(p.regionId, opdId);
    if (!isPolicySeverity(severity)) throw new AppError('VALIDATION_FAILED', `severity "${severity}" is not one of ${POLICY_SEVERITIES.join(', ')}`);
    await this.checkLevels(p.regionId, levels);
    const now = this.clock.now();
    const row: PolicyRow = { region_id: p.regionId, opd_id: opdId, severity, levels: JSON.stringify(levels.map(copyLevel)), created_by: p.userId, created_at: now, updated_by: p.userId, updated_at: now };
    await this.repo.upsertPolicy(row);
    const [saved] = await this.repo.findPolicies(p.regionId, opdId, [severity]);
    return toPolicy(saved ?? row);
  }

  /** Removes the OPD's policy for a severity: its `any` policy or the default applies again. */
  async remove(p: Principal, opdId: string, severity: string): Promise<void> {
    assertCanWrite(p, opdId);
    await this.identity.assertOpd(p.regionId, opdId);
    if (!(await this.repo.deletePolicy(p.regionId, opdId, severity))) throw new AppError('NOT_FOUND', `this OPD has no policy for ${severity}`);
  }

  /**
   * The levels that apply to an alarm of `severity` in an OPD: the OPD's policy
   * for that severity, else its `any` policy, else {@link DEFAULT_LEVELS}. An
   * alarm with no OPD (null) gets the default.
   */
  async policyFor(regionId: string, opdId: string | null, severity: string): Promise<EscalationLevel[]> {
    if (opdId === null) return DEFAULT_LEVELS.map(copyLevel);
    const rows = await this.repo.findPolicies(regionId, opdId, severity === 'any' ? ['any'] : [severity, 'any']);
    const row = rows.find((r) => r.severity === severity) ?? rows.find((r) => r.severity === 'any');
    return row ? toPolicy(row).levels : DEFAULT_LEVELS.map(copyLevel);
  }

  /**
   * The ids of the active users a level's targets reach at an instant (ms since
   * epoch, UTC), deduplicated, in the order of the targets; disabled users never.
   * `duty` is who is on duty in the OPD, or its active operators and admins when
   * nobody is; `position` holders in the target's OPD, else in this OPD (the Sekda
   * and the Bupati anywhere in the region). With no OPD (null), `duty` and
   * OPD-bound positions reach nobody.
   */
  async resolveTargets(regionId: string, opdId: string | null, targets: readonly EscalationTarget[], at: number): Promise<string[]> {
    const ids: string[] = [];
    for (const target of targets) {
      if (target.kind === 'user') ids.push(target.userId);
      else if (target.kind === 'duty') {
        if (opdId === null) continue;
        const onDuty = await this.duty.onDuty(regionId, opdId, at);
        ids.push(...(onDuty.length > 0 ? onDuty.map((x) => x.userId) : (await this.identity.activePeopleOf(regionId, opdId)).map((x) => x.id)));
      } else {
        const scope = target.opdId ?? (REGION_WIDE_POSITIONS.includes(target.position) ? null : opdId);
        if (scope === null && !REGION_WIDE_POSITIONS.includes(target.position)) continue;
        ids.push(...(await this.identity.activeUsersWithPosition(regionId, target.position, scope)).map((u) => u.id));
      }
    }
    const active = new Set((await this.identity.usersByIds(regionId, ids)).filter((u) => !u.disabled).map((u) => u.id));
    return [...new Set(ids)].filter((id) => active.has(id));
  }

  private async checkLevels(regionId: string, levels: EscalationLevel[]): Promise<void> {
    if (levels.length === 0) throw new AppError('VALIDATION_FAILED', 'a policy needs at least one level');
    if (levels.length > MAX_LEVELS) throw new AppError('VALIDATION_FAILED', `a policy has at most ${MAX_LEVELS} levels, not ${levels.length}`);
    levels.forEach((level, i) => {
      if (i === 0 && level.afterMinutes !== 0) throw new AppError('VALIDATION_FAILED', `levels[0].afterMinutes must be 0: the first level is reached at once`);
      const before = levels[i - 1];
      if (before && level.afterMinutes <= before.afterMinutes) {
        throw new AppError('VALIDATION_FAILED', `levels[${i}].afterMinutes (${level.afterMinutes}) must be greater than levels[${i - 1}].afterMinutes (${before.afterMinutes}): each level comes later than the one before`);
      }
      if (level.targets.length === 0 || level.targets.length > MAX_TARGETS) throw new AppError('VALIDATION_FAILED', `levels[${i}] needs 1 to ${MAX_TARGETS} targets`);
    });
    const named = levels.flatMap((l, i) => l.targets.map((t, j) => ({ t, where: `levels[${i}].targets[${j}]` })));
    const userIds = named.flatMap(({ t }) => (t.kind === 'user' ? [t.userId] : []));
    const opdIds = named.flatMap(({ t }) => (t.kind === 'position' && t.opdId !== undefined ? [t.opdId] : []));
    const [users, opds] = await Promise.all([this.identity.usersByIds(regionId, userIds), this.identity.opdsByIds(regionId, opdIds)]);
    for (const { t, where } of named) {
      if (t.kind === 'user') {
        const user = users.find((u) => u.id === t.userId);
        if (!user) throw new AppError('VALIDATION_FAILED', `${where}: ${t.userId} is not a user of this region`);
        if (user.disabled) throw new AppError('VALIDATION_FAILED', `${where}: ${user.name} is disabled`);
      }
      if (t.kind === 'position' && t.opdId !== undefined && !opds.some((o) => o.id === t.opdId)) {
        throw new AppError('VALIDATION_FAILED', `${where}: ${t.opdId} is not an OPD of this region`);
      }
    }
  }
}

function isPolicySeverity(value: string): value is PolicySeverity {
  return (POLICY_SEVERITIES as readonly string[]).includes(value);
}

/** Only the fields a target has, whatever else came in. */
function copyLevel(level: EscalationLevel): EscalationLevel {
  return {
    afterMinutes: level.afterMinutes,
    targets: level.targets.map((t): EscalationTarget => (t.kind === 'duty' ? { kind: 'duty' } : t.kind === 'user' ? { kind: 'user', userId: t.userId } : { kind: 'position', position: t.position, ...(t.opdId !== undefined && { opdId: t.opdId }) })),
  };
}

function toPolicy(r: PolicyRow): PolicyView {
  return { opdId: r.opd_id, severity: r.severity, levels: JSON.parse(r.levels) as EscalationLevel[], createdBy: r.created_by, createdAt: r.created_at, updatedBy: r.updated_by, updatedAt: r.updated_at };
}
