import type { Transaction } from 'kysely';
import type { AlarmPayload } from '../../core/events.ts';
import type { Schema } from '../../platform/db/index.ts';

/** A change of an alarm, with the alarm as it is after the change and its region. */
export type AlarmChange = { regionId: string } & (
  | { kind: 'opened'; alarm: AlarmPayload }
  | { kind: 'level_changed'; alarm: AlarmPayload; from: string; to: string; rising: boolean }
  | { kind: 'acknowledged'; alarm: AlarmPayload; userId: string | null }
  | { kind: 'cleared'; alarm: AlarmPayload }
);

/** Work another module does inside the same transaction as an alarm's change (a notification outbox). Throwing rolls the change back. */
export type AlarmChangeHook = (tx: Transaction<Schema>, change: AlarmChange) => Promise<void>;
