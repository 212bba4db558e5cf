import { Type } from 'typebox';
import { Id, PageQuery } from '../../core/http-schemas.ts';
import { SeveritySchema } from '../alarms/index.ts';

const ConditionSchema = Type.Object(
  {
    op: Type.String({ description: 'gt, gte, lt, lte (value); between, outside (min, max); rate_gt, rate_lt (value per minute); silence (minutes)' }),
    value: Type.Optional(Type.Unknown()),
    min: Type.Optional(Type.Unknown()),
    max: Type.Optional(Type.Unknown()),
    minutes: Type.Optional(Type.Unknown()),
  },
  { description: 'e.g. {"op":"gt","value":3.5}' },
);

const LevelSchema = Type.Object({
  severity: SeveritySchema,
  condition: ConditionSchema,
  clearCondition: Type.Optional(Type.Union([ConditionSchema, Type.Null()], { description: 'hysteresis: to fall below this level this must hold; none: when the condition no longer holds' })),
});

const Target = Type.Object({
  kind: Type.Union([Type.Literal('device'), Type.Literal('device_type'), Type.Literal('asset_type')]),
  value: Type.String({ minLength: 1, maxLength: 200, description: 'a device id, a device type or an asset type' }),
});

const Action = Type.Object(
  { type: Type.String({ description: 'webhook' }) },
  {
    additionalProperties: true,
    description:
      'webhook: {"type":"webhook","url","secret"?,"on"?:["opened","level_changed","cleared"],"allowPrivateNetwork"?: admin only}; incident: {"type":"incident","opdId","categoryCode"?,"severity"?,"minSeverity"?: open it when the alarm opens at or rises to this level}',
  },
);

export const RuleBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, description: 'shown as the alarm type: the hazard, e.g. "Banjir Sungai Kelingi" (the level is the severity)' }),
  enabled: Type.Optional(Type.Boolean()),
  opdId: Type.Optional(Type.Union([Id, Type.Null()], { description: "apply to this OPD's devices only" })),
  target: Target,
  key: Type.String({ minLength: 1, maxLength: 255, description: 'the telemetry key, or * for any (silence only)' }),
  levels: Type.Optional(
    Type.Array(LevelSchema, {
      minItems: 1,
      maxItems: 10,
      description: 'lowest first, strictly rising in rank, at most 5, e.g. Waspada gte 3.5, Siaga gte 4, Awas gte 4.5: one alarm whose severity is the highest level that holds. Instead of condition and severity.',
    }),
  ),
  condition: Type.Optional(ConditionSchema),
  clearCondition: Type.Optional(Type.Union([ConditionSchema, Type.Null()], { description: 'hysteresis: the alarm clears only when this holds' })),
  durationSeconds: Type.Optional(Type.Number({ minimum: 0, maximum: 7 * 86400, description: 'a level must hold this long before the alarm opens; its level then rises and falls at once' })),
  severity: Type.Optional(SeveritySchema),
  actions: Type.Optional(Type.Array(Action, { maxItems: 10 })),
});
export const RulePatch = Type.Partial(RuleBody);

export const Rule = Type.Object({
  id: Id,
  name: Type.String(),
  enabled: Type.Boolean(),
  opdId: Type.Union([Type.String(), Type.Null()]),
  target: Target,
  key: Type.String(),
  levels: Type.Array(Type.Object({ severity: Type.String(), condition: Type.Unknown(), clearCondition: Type.Unknown() })),
  condition: Type.Unknown({ description: 'the lowest level’s' }),
  clearCondition: Type.Unknown(),
  durationSeconds: Type.Number(),
  severity: Type.String({ description: 'the lowest level’s' }),
  actions: Type.Array(Type.Unknown()),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
});

export const RuleListQuery = Type.Object(PageQuery);
