/**
 * The pure constants of duty's contract (duty.contract.ts re-exports them):
 * the severities a policy is set for, its limits, and the positions that answer
 * for the whole region. It imports only other constants files, so the web app
 * bundles it without any schema.
 */
import { SEVERITIES, SEVERITY_RANK } from '../alarms/alarms.constants.ts';
import type { Position } from '../identity/identity.constants.ts';

/** The severities a policy can be set for (those that alarm someone) and `any`, the OPD's fallback. */
export const POLICY_SEVERITIES = [...SEVERITIES.filter((s) => SEVERITY_RANK[s] > 0), 'any'] as const;
export type PolicySeverity = (typeof POLICY_SEVERITIES)[number];
export const MAX_LEVELS = 6;
export const MAX_TARGETS = 10;
/** A position target without an OPD names these anywhere in the region; the others, in the policy's own OPD. */
export const REGION_WIDE_POSITIONS: readonly Position[] = ['sekda', 'bupati'];
