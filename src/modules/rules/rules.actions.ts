/**
 * What a rule does when its alarm opens, changes level or clears, besides the
 * alarm itself. Each kind of action is a RuleAction registered by its type;
 * later kinds (open an incident for an OPD, send a message) plug in the same way.
 */
import type { AlarmPayload } from '../../core/events.ts';
import type { Principal } from '../identity/index.ts';

export const ALARM_TRANSITIONS = ['opened', 'level_changed', 'cleared'] as const;
export type AlarmTransition = (typeof ALARM_TRANSITIONS)[number];

/** What happened to the rule's alarm (as it is after); a level change says from which severity to which. */
export type ActionContext = {
  regionId: string;
  rule: { id: string; name: string };
  alarm: AlarmPayload;
} & ({ transition: 'opened' | 'cleared' } | { transition: 'level_changed'; from: string; to: string; rising: boolean });

export interface RuleAction<C extends { type: string } = { type: string }> {
  readonly type: string;
  /** Checks an action as a user gave it, for the user creating the rule (may look things up); throws VALIDATION_FAILED or FORBIDDEN. */
  parse(input: Record<string, unknown>, author: Principal): C | Promise<C>;
  /** Runs it; must not throw (failures are the action's to log and retry). */
  run(config: C, context: ActionContext): void;
  /** Waits for work in flight to end (shutdown). */
  close?(): Promise<void>;
}
