/**
 * Duty rosters (jadwal piket) and escalation policies per OPD. The escalation
 * engine reads them through `EscalationPoliciesService.policyFor` and
 * `.resolveTargets`, and `DutyService.onDuty` / `.onDutyNow`.
 */
export { DutyRepository } from './duty.repository.ts';
export { dutyRoutes } from './duty.routes.ts';
export { DutyService } from './duty.service.ts';
export { DEFAULT_LEVELS, EscalationPoliciesService } from './escalation-policies.service.ts';
export { MAX_LEVELS, MAX_TARGETS, POLICY_SEVERITIES, type DutyPersonView, type EscalationLevel, type EscalationTarget, type OpdOnDutyView, type PolicySeverity } from './duty.contract.ts';
export { localTime, zonedToUtc } from './duty.roster.ts';
export { dutyModule } from './duty.module.ts';
