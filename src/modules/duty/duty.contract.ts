/**
 * The wire shapes of duty rosters and escalation policies: TypeBox schemas
 * (validation and OpenAPI) and the types derived from them, read by routes,
 * services and the duty screens (`import type`); its pure constants live in
 * duty.constants.ts (re-exported here). It reads identity and alarms only
 * through their constants files, never their server code.
 */
import { Type, type Static } from 'typebox';
import { EpochMs, Id } from '../../core/http-schemas.ts';
import { POSITIONS, type Position } from '../identity/identity.constants.ts';
import { MAX_LEVELS, MAX_TARGETS, POLICY_SEVERITIES } from './duty.constants.ts';

export * from './duty.constants.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const lit = <T extends readonly string[]>(values: T, description: string) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });


const Time = (description: string) => Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description });
const Ms = EpochMs;
const Attribution = {
  createdBy: Type.String({ description: 'id of the user who created it' }),
  createdAt: Type.Number({ description: 'ms since epoch' }),
  updatedBy: Type.String({ description: 'id of the user who last changed it' }),
  updatedAt: Type.Number({ description: 'ms since epoch' }),
};
const PositionSchema = lit(POSITIONS, 'jabatan: staf, kasi, kabid, sekretaris, kepala (Kepala Dinas / Kalaksa), sekda, bupati');

export const OpdParams = Type.Object({ id: Id });
export const ShiftParams = Type.Object({ id: Id, shiftId: Id });
export const SwapParams = Type.Object({ id: Id, swapId: Id });
export const PolicyParams = Type.Object({ id: Id, severity: lit(POLICY_SEVERITIES, 'an alarm severity, or any for the fallback') });
export const AtQuery = Type.Object({ at: Type.Optional(Ms('the instant to ask about; default now')) });
export const WeekQuery = Type.Object({ date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'any day of the week wanted (YYYY-MM-DD, region time); default this week' })) });
export const SwapListQuery = Type.Object({
  from: Type.Optional(Ms('swaps ending after this; default 7 days ago')),
  to: Type.Optional(Ms('swaps starting before this; default 60 days ahead')),
});

export const ShiftBody = Type.Object({
  weekday: Type.Integer({ minimum: 1, maximum: 7, description: 'ISO weekday the shift starts on: 1 Senin (Monday) … 7 Minggu (Sunday)' }),
  start: Time('local start, HH:MM in the region time zone (WIB for Musi Rawas)'),
  end: Time('local end, HH:MM; at or before the start the shift ends the next day (22:00–06:00); 00:00 is midnight'),
  userId: Id,
  note: Type.Optional(Type.String({ maxLength: 500 })),
});
export const ShiftPatch = Type.Partial(ShiftBody);
export const Shift = Type.Object({
  id: Id,
  opdId: Id,
  weekday: Type.Integer(),
  start: Type.String(),
  end: Type.String(),
  crossesMidnight: Type.Boolean({ description: 'the shift ends the next day' }),
  userId: Id,
  userName: Type.String(),
  note: Type.String(),
  ...Attribution,
});

export const SwapBody = Type.Object({
  startsAt: Ms('start of the swap'),
  endsAt: Ms('end of the swap, exclusive'),
  userId: Id,
  replacesUserId: Type.Optional(Nullable(Id)),
  note: Type.Optional(Type.String({ maxLength: 500 })),
});
export const SwapPatch = Type.Partial(SwapBody);
export const Swap = Type.Object({
  id: Id,
  opdId: Id,
  startsAt: Type.Number(),
  endsAt: Type.Number(),
  userId: Id,
  userName: Type.String(),
  replacesUserId: Nullable(Id),
  replacesUserName: Nullable(Type.String()),
  note: Type.String(),
  ...Attribution,
});

export const DutyPerson = Type.Object({
  userId: Id,
  name: Type.String(),
  position: Nullable(PositionSchema),
  from: Type.Number({ description: 'ms since epoch: start of this stretch of duty' }),
  until: Type.Number({ description: 'ms since epoch: its end (exclusive)' }),
  shiftId: Nullable(Id),
  swapId: Nullable(Id),
  replacedUserId: Nullable(Id),
  replacedUserName: Nullable(Type.String()),
});
export const OpdOnDuty = Type.Object({
  opdId: Id,
  opdCode: Type.String(),
  opdName: Type.String(),
  hasRoster: Type.Boolean({ description: 'the OPD has weekly shifts' }),
  people: Type.Array(DutyPerson, { description: 'empty when nobody is on duty' }),
});
export const OnDutyAnswer = Type.Object({ at: Type.Number(), timezone: Type.String(), opds: Type.Array(OpdOnDuty) });

export const WeekShift = Type.Object({
  shiftId: Id,
  start: Type.String(),
  end: Type.String(),
  from: Type.Number(),
  until: Type.Number(),
  userId: Id,
  userName: Type.String(),
  spans: Type.Array(DutyPerson, { description: 'who actually covers it, swaps applied' }),
});
export const WeekDay = Type.Object({
  date: Type.String(),
  weekday: Type.Integer(),
  shifts: Type.Array(WeekShift),
  added: Type.Array(DutyPerson, { description: 'people added by a swap on this day, beyond the roster' }),
});
export const Week = Type.Object({ opdId: Id, timezone: Type.String(), weekStart: Type.String({ description: 'the Monday, YYYY-MM-DD' }), days: Type.Array(WeekDay) });

export const DutyTarget = Type.Object({ kind: Type.Literal('duty', { description: 'who is on duty in the OPD; its active operators when nobody is' }) });
export const PositionTarget = Type.Object({
  kind: Type.Literal('position'),
  position: PositionSchema,
  opdId: Type.Optional(Id),
});
export const UserTarget = Type.Object({ kind: Type.Literal('user'), userId: Id });
export const EscalationTargetSchema = Type.Union([DutyTarget, PositionTarget, UserTarget], {
  description: "duty: the OPD's duty officer; position: holders of a jabatan in opdId, else in the policy's OPD (sekda and bupati: anywhere in the region); user: one person",
});
export const EscalationLevelSchema = Type.Object({
  afterMinutes: Type.Integer({ minimum: 0, maximum: 10_080, description: 'minutes after the alarm opened, unacknowledged; 0 for the first level, rising' }),
  targets: Type.Array(EscalationTargetSchema, { minItems: 1, maxItems: MAX_TARGETS }),
});
export const PolicyBody = Type.Object({ levels: Type.Array(EscalationLevelSchema, { minItems: 1, maxItems: MAX_LEVELS }) });
export const Policy = Type.Object({ opdId: Id, severity: Type.String(), levels: Type.Array(EscalationLevelSchema), ...Attribution });
export const PolicyList = Type.Object({
  policies: Type.Array(Policy),
  defaultLevels: Type.Array(EscalationLevelSchema, { description: 'what applies to a severity with neither its own nor an any policy' }),
  people: Type.Array(Type.Object({ id: Id, name: Type.String(), position: Nullable(PositionSchema), opdId: Nullable(Id) }), { description: 'the users the policies name, for showing their names' }),
});

export type EscalationTarget = { kind: 'duty' } | { kind: 'position'; position: Position; opdId?: string } | { kind: 'user'; userId: string };
export type EscalationLevel = { afterMinutes: number; targets: EscalationTarget[] };
export type ShiftInput = Static<typeof ShiftBody>;
export type SwapInput = Static<typeof SwapBody>;
export type ShiftView = Static<typeof Shift>;
export type SwapView = Static<typeof Swap>;
export type DutyPersonView = Static<typeof DutyPerson>;
export type OpdOnDutyView = Static<typeof OpdOnDuty>;
export type WeekView = Static<typeof Week>;
export type PolicyView = Static<typeof Policy>;
export type PolicyListView = Static<typeof PolicyList>;
export type OnDutyView = Static<typeof OnDutyAnswer>;
export type WeekShiftView = Static<typeof WeekShift>;
