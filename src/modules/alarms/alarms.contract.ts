/**
 * The alarms' contract: the severity scale, the TypeBox schemas of the API
 * (validation, the OpenAPI document) and the types derived from them. Routes,
 * services, other modules' contracts and the web app all read it; it imports
 * only typebox and core/http-schemas. Its pure constants (the severity scale)
 * live in alarms.constants.ts, re-exported here, which the web app imports as
 * values without bundling any schema.
 */
import { Type, type Static } from 'typebox';
import { Id, OPTIONAL_BODY, PageQuery } from '../../core/http-schemas.ts';
import type { Severity } from './alarms.constants.ts';

export * from './alarms.constants.ts';

/** A severity of the scale, with the words the OpenAPI document shows. */
export const severitySchema = (description = 'normal, waspada, siaga, awas (disaster-warning levels) or info, minor, major, critical') =>
  Type.Union([Type.Literal('normal'), Type.Literal('info'), Type.Literal('waspada'), Type.Literal('minor'), Type.Literal('siaga'), Type.Literal('major'), Type.Literal('awas'), Type.Literal('critical')], { description });
export const SeveritySchema = severitySchema();
// The schema names exactly the scale of alarms.constants.ts: a severity added to one and not the other is a compile error.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<Static<typeof SeveritySchema>, Severity>;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const Alarm = Type.Object({
  id: Id,
  ruleId: Nullable(Type.String()),
  deviceId: Nullable(Type.String()),
  assetId: Nullable(Type.String()),
  opdId: Nullable(Type.String()),
  type: Type.String({ description: 'the rule name, or device_offline' }),
  severity: Type.String({ description: 'for a rule with levels, its current level' }),
  status: Type.Union([Type.Literal('active'), Type.Literal('cleared')]),
  acknowledged: Type.Boolean(),
  acknowledgedBy: Nullable(Type.String({ description: 'user id' })),
  acknowledgedAt: Nullable(Type.Number()),
  clearedBy: Nullable(Type.String({ description: 'user id; null when it cleared by itself' })),
  clearedAt: Nullable(Type.Number()),
  startedAt: Type.Number(),
  lastAt: Type.Number(),
  count: Type.Integer({ description: 'readings that matched while it was active' }),
  key: Nullable(Type.String()),
  lastValue: Type.Unknown(),
  message: Type.String({ description: 'what the alarm is about in Bahasa Indonesia, in the device profile’s words: Tinggi muka air 4,30 m > 4 m' }),
  messageEn: Type.String({ description: 'the same in English: Water level 4.30 m > 4 m' }),
  condition: Type.Optional(
    Nullable(
      Type.Object(
        { op: Type.String(), value: Type.Optional(Type.Number()), min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()), minutes: Type.Optional(Type.Number()) },
        { description: 'the condition lastValue met, e.g. {"op":"gt","value":4}, for screens to word with the key’s label and unit; null: none' },
      ),
    ),
  ),
});
export type Alarm = Static<typeof Alarm>;

export const AlarmWithHistory = Type.Intersect([
  Alarm,
  Type.Object({
    history: Type.Array(
      Type.Object({
        kind: Type.String({ description: 'opened, level_changed, acknowledged, unacknowledged (a rise after an acknowledgement), cleared' }),
        at: Type.Number(),
        userId: Nullable(Type.String()),
        note: Nullable(Type.String()),
        from: Nullable(Type.String({ description: 'level_changed: the severity before' })),
        to: Nullable(Type.String({ description: 'level_changed: the severity after' })),
        value: Nullable(Type.Number({ description: 'level_changed: the reading that changed the level' })),
      }),
    ),
  }),
]);
export type AlarmWithHistory = Static<typeof AlarmWithHistory>;

export const AlarmListQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('cleared')])),
  acknowledged: Type.Optional(Type.Boolean()),
  severity: Type.Optional(Type.String({ maxLength: 200, description: 'comma-separated severities' })),
  deviceId: Type.Optional(Id),
  assetId: Type.Optional(Id),
  opdId: Type.Optional(Id),
  ruleId: Type.Optional(Id),
});

export const NoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { [OPTIONAL_BODY]: true, description: 'optional' });
