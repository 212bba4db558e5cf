import type { AppModule } from '../../core/app-module.ts';
import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { DutyRepository } from './duty.repository.ts';
import { dutyRoutes } from './duty.routes.ts';
import { DutyService } from './duty.service.ts';
import { EscalationPoliciesService } from './escalation-policies.service.ts';

interface Provides {
  /** duty rosters and escalation policies: what the escalation engine reads */
  duty: DutyService;
  escalationPolicies: EscalationPoliciesService;
}

/** Who is on duty in each OPD, and whom an alarm escalates to. */
export const dutyModule: AppModule<{ database: Database; bus: EventBus; clock: Clock; identity: IdentityService }, Provides> = {
  name: 'duty',
  needs: ['database', 'bus', 'clock', 'identity'],
  provides: ['duty', 'escalationPolicies'],
  open({ database, bus, clock, identity }) {
    const repo = new DutyRepository(database.db);
    const duty = new DutyService(repo, identity, bus, clock);
    const escalationPolicies = new EscalationPoliciesService(repo, identity, duty, clock);
    return { provides: { duty, escalationPolicies }, routes: (app) => app.register(dutyRoutes, { prefix: '/api/v1', duty, policies: escalationPolicies, identity }) };
  },
};
