/**
 * The alarm rules' contract: the conditions and levels a rule holds, the
 * TypeBox schemas of the API (validation, the OpenAPI document) and the types
 * derived from them, for routes, the service, the engine and the web app.
 * Commands rules send have their own (rule-commands.contract.ts). Its pure
 * constants live in rules.constants.ts (re-exported here) for the web app.
 */
import { Type, type Static } from 'typebox';
import { Id, PageQuery } from '../../core/http-schemas.ts';
import { severitySchema, SeveritySchema } from '../alarms/alarms.contract.ts';

export * from './rules.constants.ts';


/** A condition as a rule keeps it (checked by parseCondition, which words what is wrong). */
const conditionOf = (options?: { description: string }) =>
  Type.Union([
  Type.Object({ op: Type.Union([Type.Literal('gt'), Type.Literal('gte'), Type.Literal('lt'), Type.Literal('lte')]), value: Type.Number() }),
  Type.Object({ op: Type.Union([Type.Literal('between'), Type.Literal('outside')]), min: Type.Number(), max: Type.Number() }),
  /** rate of change in units per minute, against the previous reading */
  Type.Object({ op: Type.Union([Type.Literal('rate_gt'), Type.Literal('rate_lt')]), value: Type.Number({ description: 'units per minute' }) }),
  /** no reading of the key for this many minutes (evaluated by the timer) */
  Type.Object({ op: Type.Literal('silence'), minutes: Type.Number() }),
  ], options);
export const Condition = conditionOf();
export type Condition = Static<typeof Condition>;

/** A level of a rule: one alarm per hazard whose severity rises and falls (Waspada, Siaga, Awas). */
export const Level = Type.Object({
  severity: SeveritySchema,
  /** the level holds when this does */
  condition: Condition,
  /** hysteresis: to fall below this level, this must hold; null: when the condition no longer holds */
  clearCondition: Type.Union([Condition, Type.Null()]),
});
export type Level = Static<typeof Level>;

/** A condition as a request may give it: checked whole by the service, so that the error says which field is wrong. */
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
  { type: Type.String({ description: 'webhook, incident or command' }) },
  {
    additionalProperties: true,
    description:
      'webhook: {"type":"webhook","url","secret"?,"on"?:["opened","level_changed","cleared"],"allowPrivateNetwork"?: admin only}; incident: {"type":"incident","opdId","categoryCode"?,"severity"?,"minSeverity"?: open it when the alarm opens at or rises to this level}; command: {"type":"command","deviceId","method","params"?,"confirm"?: true (default) proposes it to an operator, false sends it at once,"minSeverity"?}. A refusal names the action in details.field (actions[i]). Notifications are not actions: they follow the escalation policy of the device’s OPD.',
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
export type RuleBody = Static<typeof RuleBody>;
export const RulePatch = Type.Partial(RuleBody, {
  description:
    'Any field of a rule. {"enabled": false} alone switches it off (clearing its open alarms) without checking the rest. Levels, duration and actions edited keep open alarms, which follow the new levels on the next reading; a new target, key or OPD clears them.',
});
export type RulePatch = Static<typeof RulePatch>;

export const Rule = Type.Object({
  id: Id,
  name: Type.String(),
  enabled: Type.Boolean(),
  opdId: Type.Union([Type.String(), Type.Null()]),
  target: Target,
  key: Type.String(),
  /** the levels, lowest first: the alarm's severity is the highest whose condition holds */
  levels: Type.Array(Level),
  /** the lowest level's condition (what opens the alarm), for clients that know no levels */
  condition: conditionOf({ description: 'the lowest level’s' }),
  /** the lowest level's clear condition; null: the alarm clears when the condition no longer holds */
  clearCondition: Type.Union([Condition, Type.Null()]),
  /** how long a level's condition must hold before the alarm opens, in seconds (rising and falling after that are at once) */
  durationSeconds: Type.Number(),
  severity: severitySchema('the lowest level’s'),
  /** webhook secrets are never shown, only `hasSecret` */
  actions: Type.Array(Action),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
});
export type Rule = Static<typeof Rule>;

export const RuleListQuery = Type.Object(PageQuery);

/** A rule as the editor has it (saved or not), and how far back to look. */
export const RulePreviewBody = Type.Object({
  rule: RuleBody,
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 7, default: 7, description: 'days back from now (1–7)' })),
});
export type RulePreviewBody = Static<typeof RulePreviewBody>;

/** One alarm the rule would have opened. */
export const PreviewFiring = Type.Object({
  deviceId: Type.String(),
  deviceName: Type.String(),
  deviceType: Type.String(),
  /** ms since epoch, UTC: when it would have opened */
  openedAt: Type.Number(),
  /** the level it would have opened at */
  severity: SeveritySchema,
  /** the highest level it would have reached */
  highestSeverity: SeveritySchema,
  /** the reading that opened it; null for a silence */
  value: Type.Union([Type.Number(), Type.Null()]),
  /** when it would have cleared; null: still open at the end */
  clearedAt: Type.Union([Type.Number(), Type.Null()]),
});
export type PreviewFiring = Static<typeof PreviewFiring>;

export const RulePreview = Type.Object({
  /** ms since epoch, UTC: the window looked at */
  from: Type.Number(),
  to: Type.Number(),
  /** devices the rule targets that were looked at */
  devices: Type.Integer(),
  /** points read */
  readings: Type.Integer(),
  /** how many alarms the rule would have opened (as if it had been made at the window's start, with no alarm open) */
  fired: Type.Integer(),
  /** those alarms, oldest first, at most 100 */
  firings: Type.Array(PreviewFiring),
  /** null: every point of the window was read; otherwise why reading stopped early (rows, devices, time): the counts cover what was read */
  stoppedBy: Type.Union([Type.Literal('rows'), Type.Literal('devices'), Type.Literal('time'), Type.Null()]),
});
export type RulePreview = Static<typeof RulePreview>;
