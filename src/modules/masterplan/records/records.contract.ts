/**
 * The master plan records' contract: the TypeBox schemas of their API
 * (validation, the OpenAPI document) and the types derived from them; the web
 * app reads the types with `import type`, the constants from records.constants.ts.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { DimensionKey } from '../plan/plan.contract.ts';
import {
  ADOPTION_STATUS_KEYS, APPENDIX_KIND_KEYS, DEVELOPMENT_AREA_KEYS, DEVELOPMENT_STATUS_KEYS, ICT_KIND_KEYS, ICT_STATUS_KEYS, PROFILE_KEYS, QUADRANT_KEYS,
} from './records.constants.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** One of the keys of a constant list (records.constants.ts), as the list's literal union. */
const OneOf = <K extends string>(keys: readonly K[]) => Type.Unsafe<K>(Type.Union(keys.map((k) => Type.Literal(k))));
const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
const Text = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max });
const OpdId = Type.String({ minLength: 1, maxLength: 100 });

export const ProfileKey = OneOf(PROFILE_KEYS);
const IctKind = OneOf(ICT_KIND_KEYS);
const IctStatus = OneOf(ICT_STATUS_KEYS);
const Quadrant = OneOf(QUADRANT_KEYS);
const DevelopmentArea = OneOf(DEVELOPMENT_AREA_KEYS);
const DevelopmentStatus = OneOf(DEVELOPMENT_STATUS_KEYS);
const AdoptionStatus = OneOf(ADOPTION_STATUS_KEYS);
const AppendixKind = OneOf(APPENDIX_KIND_KEYS);
const ReadinessElement = Type.Union([Type.Literal('struktur'), Type.Literal('infrastruktur'), Type.Literal('suprastruktur')]);

/** A value of the regional profile: a number, the year it describes, where it comes from. */
export const ProfileValueBody = Type.Object({
  /** in the indicator's unit (whole rupiah for money) */
  value: Type.Number({ minimum: 0, maximum: 1e16 }),
  year: Year,
  /** where the figure comes from (BPS, a Perda on the APBD …) */
  source: Text(300, 1),
  note: Type.Optional(Text(1000)),
});

const IssueFields = { dimensionKey: DimensionKey, title: Text(300, 1), description: Type.Optional(Text(4000)) };
export const IssueBody = Type.Object(IssueFields);
export const IssuePatch = Type.Partial(Type.Object(IssueFields), { minProperties: 1 });

const IctFields = { kind: IctKind, name: Text(300, 1), opdId: Type.Optional(Nullable(OpdId)), status: IctStatus, description: Type.Optional(Text(2000)) };
export const IctBody = Type.Object(IctFields);
export const IctPatch = Type.Partial(Type.Object(IctFields), { minProperties: 1 });

const StrategyFields = {
  /** the SWOT quadrant pair it is drawn from: SO, ST, WO or WT (required) */
  quadrant: Quadrant,
  /** the readiness element whose SWOT it draws on */
  element: Type.Optional(Nullable(ReadinessElement)),
  /** the dimension it serves; null: all of them */
  dimensionKey: Type.Optional(Nullable(DimensionKey)),
  text: Text(2000, 1),
};
export const StrategyBody = Type.Object(StrategyFields);
export const StrategyPatch = Type.Partial(Type.Object(StrategyFields), { minProperties: 1 });

const GoalFields = { dimensionKey: DimensionKey, text: Text(1000, 1), indicator: Type.Optional(Text(500)), target: Type.Optional(Text(500)) };
export const GoalBody = Type.Object(GoalFields);
export const GoalPatch = Type.Partial(Type.Object(GoalFields), { minProperties: 1 });

const DevelopmentFields = {
  area: DevelopmentArea,
  /** what is to be made: a Perbup, an SK, a training, a network … */
  what: Text(1000, 1),
  /** within the plan's period */
  year: Year,
  /** the OPD responsible */
  opdId: Type.Optional(Nullable(OpdId)),
  status: Type.Optional(DevelopmentStatus),
  note: Type.Optional(Text(2000)),
};
export const DevelopmentBody = Type.Object(DevelopmentFields);
export const DevelopmentPatch = Type.Partial(Type.Object(DevelopmentFields), { minProperties: 1 });

export const AdoptionBody = Type.Object({
  status: AdoptionStatus,
  /** the Perbup's number, required once adopted */
  perbupNumber: Type.Optional(Text(200)),
  /** YYYY-MM-DD, required once adopted */
  perbupDate: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })])),
  /** the RPJMD (its Perda) the plan is integrated into, required at that status */
  rpjmdReference: Type.Optional(Text(300)),
  note: Type.Optional(Text(2000)),
});

const AppendixFields = {
  kind: AppendixKind,
  title: Text(500, 1),
  /** a commitment sheet whose scan was uploaded (collaboration): the appendix links to that file */
  commitmentId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
};
export const AppendixBody = Type.Object(AppendixFields);
export const AppendixPatch = Type.Partial(Type.Object(AppendixFields), { minProperties: 1 });

const Stamps = { createdAt: Type.Number(), updatedAt: Type.Number() };
export const ProfileValue = Type.Object({
  key: Type.String(), group: Type.String(), value: Nullable(Type.Number()), year: Nullable(Type.Integer()), source: Type.String(), note: Type.String(), updatedAt: Nullable(Type.Number()),
});
export const Issue = Type.Object({ id: Type.String(), dimensionKey: Type.String(), title: Type.String(), description: Type.String(), ...Stamps });
export const IctItem = Type.Object({ id: Type.String(), kind: Type.String(), name: Type.String(), opdId: Nullable(Type.String()), opdCode: Nullable(Type.String()), status: Type.String(), description: Type.String(), ...Stamps });
export const PlatformCount = Type.Object({
  devices: Type.Object({ total: Type.Integer(), online: Type.Integer() }),
  assets: Type.Array(Type.Object({ type: Type.String(), nameId: Type.String(), nameEn: Type.String(), count: Type.Integer() })),
  assetsTotal: Type.Integer(),
});
export const Strategy = Type.Object({ id: Type.String(), quadrant: Type.String(), element: Nullable(Type.String()), dimensionKey: Nullable(Type.String()), text: Type.String(), ...Stamps });
export const Goal = Type.Object({ id: Type.String(), dimensionKey: Type.String(), text: Type.String(), indicator: Type.String(), target: Type.String(), ...Stamps });
export const DevelopmentPlan = Type.Object({
  id: Type.String(), area: Type.String(), what: Type.String(), year: Type.Integer(), opdId: Nullable(Type.String()), opdCode: Nullable(Type.String()), status: Type.String(), note: Type.String(), ...Stamps,
});
export const Adoption = Type.Object({ status: Type.String(), perbupNumber: Type.String(), perbupDate: Type.String(), rpjmdReference: Type.String(), note: Type.String(), updatedAt: Nullable(Type.Number()) });
export const Appendix = Type.Object({
  id: Type.String(), kind: Type.String(), title: Type.String(), commitmentId: Nullable(Type.String()),
  /** the uploaded scan, when the linked commitment sheet has one */
  file: Nullable(Type.Object({ url: Type.String(), contentType: Type.String() })), ...Stamps,
});
export const Records = Type.Object({
  period: Type.Object({ start: Nullable(Type.Integer()), end: Nullable(Type.Integer()) }),
  profile: Type.Array(ProfileValue),
  issues: Type.Array(Issue),
  ict: Type.Object({ items: Type.Array(IctItem), platform: PlatformCount }),
  strategies: Type.Array(Strategy),
  goals: Type.Array(Goal),
  developmentPlans: Type.Array(DevelopmentPlan),
  adoption: Adoption,
  appendices: Type.Array(Appendix),
});

export type ProfileValueBody = Static<typeof ProfileValueBody>;
export type IssueBody = Static<typeof IssueBody>;
export type IssuePatch = Static<typeof IssuePatch>;
export type IctBody = Static<typeof IctBody>;
export type IctPatch = Static<typeof IctPatch>;
export type StrategyBody = Static<typeof StrategyBody>;
export type StrategyPatch = Static<typeof StrategyPatch>;
export type GoalBody = Static<typeof GoalBody>;
export type GoalPatch = Static<typeof GoalPatch>;
export type DevelopmentBody = Static<typeof DevelopmentBody>;
export type DevelopmentPatch = Static<typeof DevelopmentPatch>;
export type AdoptionBody = Static<typeof AdoptionBody>;
export type AppendixBody = Static<typeof AppendixBody>;
export type AppendixPatch = Static<typeof AppendixPatch>;
export type ProfileValue = Static<typeof ProfileValue>;
export type Issue = Static<typeof Issue>;
export type IctItem = Static<typeof IctItem>;
export type PlatformCount = Static<typeof PlatformCount>;
export type Strategy = Static<typeof Strategy>;
export type Goal = Static<typeof Goal>;
export type DevelopmentPlan = Static<typeof DevelopmentPlan>;
export type Adoption = Static<typeof Adoption>;
export type Appendix = Static<typeof Appendix>;
export type Records = Static<typeof Records>;
