/**
 * Who may change the plan, its programs and KPIs, and how a change is told:
 * reviewers (admins, BAPPEDA/DISKOMINFO, the implementation team) change
 * everything, an operator their own OPD's programs and KPIs, a viewer nothing.
 * Every change is published on the bus as `masterplan.changed` (the activity log listens).
 */
import { AppError } from '../../../core/errors.ts';
import type { EventMap } from '../../../core/events.ts';
import type { EventBus } from '../../../platform/bus/index.ts';
import type { Principal } from '../../identity/index.ts';

/** Tells whether a user reviews/edits everything: the collaboration service answers. */
interface StandingSource { standing(p: Principal): Promise<{ reviewer: boolean }> }

export class PlanAccess {
  private readonly standingOf: StandingSource | null;
  private readonly bus: EventBus;
  constructor(standingOf: StandingSource | null, bus: EventBus) {
    this.standingOf = standingOf;
    this.bus = bus;
  }

  async reviewer(p: Principal): Promise<boolean> {
    if (p.role === 'admin') return true;
    if (p.role === 'viewer') return false;
    return this.standingOf ? (await this.standingOf.standing(p)).reviewer : false;
  }

  async requireReviewer(p: Principal, what: string): Promise<void> {
    if (!(await this.reviewer(p))) throw new AppError('FORBIDDEN', `only admins, BAPPEDA/DISKOMINFO and the implementation team may ${what}`);
  }

  /** Operators edit only their own OPD's programs and KPIs; reviewers edit everything; viewers nothing. */
  async requireEditor(p: Principal, opdId: string | null, what: string): Promise<void> {
    if (p.role === 'viewer') throw new AppError('FORBIDDEN', `viewers may not ${what}`);
    if (await this.reviewer(p)) return;
    if (p.opdId === null || opdId !== p.opdId) throw new AppError('FORBIDDEN', `you may ${what} only for your own OPD`);
  }

  /** Publishes a change of the plan, readiness, programs or KPIs (`p` null: the system's, e.g. the demo). */
  changed(p: Principal | null, regionId: string, entity: string, entityId: string | null, action: string, summary: string, detail?: Record<string, unknown>): void {
    const event: EventMap['masterplan.changed'] = { regionId, userId: p?.userId ?? null, entity, entityId, action, summary, ...(detail && { detail }) };
    this.bus.publish('masterplan.changed', event);
  }
}
