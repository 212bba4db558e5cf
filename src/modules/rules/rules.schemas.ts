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

const Target = Type.Object({
  kind: Type.Union([Type.Literal('device'), Type.Literal('device_type'), Type.Literal('asset_type')]),
  value: Type.String({ minLength: 1, maxLength: 200, description: 'a device id, a device type or an asset type' }),
});

const Action = Type.Object(
  { type: Type.String({ description: 'webhook' }) },
  { additionalProperties: true, description: 'webhook: {"type":"webhook","url","secret"?,"on"?:["opened","cleared"],"allowPrivateNetwork"?: admin only}' },
);

export const RuleBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, description: 'shown as the alarm type, e.g. "Sungai Kelingi Siaga"' }),
  enabled: Type.Optional(Type.Boolean()),
  opdId: Type.Optional(Type.Union([Id, Type.Null()], { description: "apply to this OPD's devices only" })),
  target: Target,
  key: Type.String({ minLength: 1, maxLength: 255, description: 'the telemetry key, or * for any (silence only)' }),
  condition: ConditionSchema,
  clearCondition: Type.Optional(Type.Union([ConditionSchema, Type.Null()], { description: 'hysteresis: the alarm clears only when this holds' })),
  durationSeconds: Type.Optional(Type.Number({ minimum: 0, maximum: 7 * 86400, description: 'the condition must hold this long' })),
  severity: SeveritySchema,
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
  condition: Type.Unknown(),
  clearCondition: Type.Unknown(),
  durationSeconds: Type.Number(),
  severity: Type.String(),
  actions: Type.Array(Type.Unknown()),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
});

export const RuleListQuery = Type.Object(PageQuery);
