import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import type { Principal } from '../../identity/index.ts';
import { PROGRAMME_OWNER_KEYS } from '../masterplan.constants.ts';
import type { PlanAccess } from './plan.access.ts';
import type { Framework, Plan, PlanBody } from './plan.contract.ts';
import { DIMENSIONS, DOCUMENTS, HORIZONS, READINESS, READINESS_CHECKLIST } from './plan.framework.ts';
import { jsonList, type PlanRepository } from './plan.repository.ts';

/** The framework, and the plan's title, vision, missions, policy directions, period and programme owner. */
export class PlanService {
  private readonly repo: PlanRepository;
  private readonly access: PlanAccess;
  private readonly clock: Clock;
  constructor(repo: PlanRepository, access: PlanAccess, clock: Clock) {
    this.repo = repo;
    this.access = access;
    this.clock = clock;
  }

  framework(): Framework {
    return { dimensions: DIMENSIONS, readiness: READINESS, horizons: [...HORIZONS], documents: [...DOCUMENTS], checklist: READINESS_CHECKLIST };
  }

  plan(p: Principal): Promise<Plan> {
    return this.planOf(p.regionId);
  }

  async planOf(regionId: string): Promise<Plan> {
    const row = await this.repo.plan(regionId);
    if (!row) return { title: '', vision: '', missions: [], policyDirections: [], periodStart: null, periodEnd: null, programmeOwner: null, updatedAt: null };
    return {
      title: row.title, vision: row.vision, missions: jsonList(row.missions), policyDirections: jsonList(row.policy_directions), periodStart: row.period_start, periodEnd: row.period_end,
      programmeOwner: PROGRAMME_OWNER_KEYS.find((k) => k === row.programme_owner) ?? null, updatedAt: Number(row.updated_at),
    };
  }

  /** `programmeOwner` left out keeps the one set; null returns to choosing by the document's date. */
  async put(p: Principal, input: PlanBody): Promise<Plan> {
    await this.access.requireReviewer(p, 'change the plan');
    if (input.periodStart !== null && input.periodEnd !== null && input.periodEnd < input.periodStart) throw new AppError('VALIDATION_FAILED', 'periodEnd is before periodStart');
    await this.repo.putPlan({
      region_id: p.regionId, title: input.title, vision: input.vision, missions: JSON.stringify(input.missions), policy_directions: JSON.stringify(input.policyDirections),
      period_start: input.periodStart, period_end: input.periodEnd,
      programme_owner: input.programmeOwner !== undefined ? input.programmeOwner : (await this.repo.plan(p.regionId))?.programme_owner ?? null,
      updated_by: p.userId, updated_at: this.clock.now(),
    });
    this.access.changed(p, p.regionId, 'plan', null, 'plan.updated', 'Visi, misi dan arah kebijakan diperbarui');
    return this.plan(p);
  }
}
