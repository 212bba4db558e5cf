/**
 * The plan's contract: the framework, the plan (vision, missions, period) and the
 * readiness assessment with its SWOT, and the keys every master plan contract
 * shares (dimensions, documents, horizons). TypeBox schemas (validation, the
 * OpenAPI document) and the types derived from them; it imports only typebox and
 * the pure constants, so the web app reads its types as they are.
 */
import { Type, type Static } from 'typebox';
import { DOCUMENT_KEYS, PROGRAMME_OWNER_KEYS } from '../masterplan.constants.ts';

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
export const DimensionKey = Type.Union([Type.Literal('governance'), Type.Literal('branding'), Type.Literal('economy'), Type.Literal('living'), Type.Literal('society'), Type.Literal('environment')]);
export const DocumentKey = Type.Union([Type.Literal('RPJPD'), Type.Literal('RPJMD'), Type.Literal('RENSTRA'), Type.Literal('RKPD'), Type.Literal('RENJA')]);
export const HorizonKey = Type.Union([Type.Literal('short'), Type.Literal('medium'), Type.Literal('long')]);
export const Text = (max: number) => Type.String({ maxLength: max });

const Named = Type.Object({ key: Type.String(), nameId: Type.String(), nameEn: Type.String() });
export const Framework = Type.Object({
  dimensions: Type.Array(Type.Object({ key: Type.String(), nameId: Type.String(), nameEn: Type.String(), elements: Type.Array(Named) })),
  readiness: Type.Array(Type.Object({ key: Type.String(), nameId: Type.String(), nameEn: Type.String(), subs: Type.Array(Named) })),
  horizons: Type.Array(Type.Object({ key: Type.String(), years: Type.Number(), nameId: Type.String(), nameEn: Type.String() })),
  documents: Type.Array(Type.Object({ key: Type.String(), years: Type.Number(), nameId: Type.String(), nameEn: Type.String() })),
  checklist: Type.Array(Type.Object({ element: Type.String(), subKey: Type.String(), code: Type.String(), questionId: Type.String(), questionEn: Type.String() })),
});

export const ProgrammeOwnerKey = Type.Union([Type.Literal('komdigi'), Type.Literal('kominfo')]);
export const PlanBody = Type.Object({
  title: Text(300),
  vision: Text(4000),
  missions: Type.Array(Text(2000), { maxItems: 30 }),
  policyDirections: Type.Array(Text(2000), { maxItems: 60 }),
  periodStart: Nullable(Year),
  periodEnd: Nullable(Year),
  programmeOwner: Type.Optional(Nullable(ProgrammeOwnerKey)),
});
export const Plan = Type.Object({
  ...PlanBody.properties,
  programmeOwner: Type.Union([ProgrammeOwnerKey, Type.Null()], { description: 'the ministry that owns the smart city programme, as set; null: by the date (Komdigi from 21 October 2024, Kominfo before)' }),
  updatedAt: Nullable(Type.Number()),
});

const Score = Nullable(Type.Integer({ minimum: 0, maximum: 4 }));
export const ReadinessItem = Type.Object({
  element: Type.String(), subKey: Type.String(), code: Type.String(), questionId: Type.String(), questionEn: Type.String(), score: Score, target: Score, note: Type.String(),
});
const ReadinessItemBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 40 }),
  element: Type.Optional(Type.String({ maxLength: 40 })),
  subKey: Type.Optional(Type.String({ maxLength: 40 })),
  questionId: Type.Optional(Text(1000)),
  questionEn: Type.Optional(Text(1000)),
  score: Type.Optional(Score),
  target: Type.Optional(Score),
  note: Type.Optional(Text(2000)),
});
const SwotLists = Type.Object({
  strengths: Type.Array(Text(1000), { maxItems: 50 }), weaknesses: Type.Array(Text(1000), { maxItems: 50 }),
  opportunities: Type.Array(Text(1000), { maxItems: 50 }), threats: Type.Array(Text(1000), { maxItems: 50 }),
});
const SwotBody = Type.Object({
  strengths: Type.Optional(SwotLists.properties.strengths), weaknesses: Type.Optional(SwotLists.properties.weaknesses),
  opportunities: Type.Optional(SwotLists.properties.opportunities), threats: Type.Optional(SwotLists.properties.threats),
});
export const ReadinessBody = Type.Object({ items: Type.Array(ReadinessItemBody, { maxItems: 300 }), swot: Type.Optional(Type.Record(Type.String(), SwotBody)) });
const PerElement = Type.Record(Type.String(), Nullable(Type.Number()));
export const Readiness = Type.Object({
  year: Type.Integer(), saved: Type.Boolean(), items: Type.Array(ReadinessItem), scores: PerElement, targets: PerElement, gaps: PerElement,
  swot: Type.Record(Type.String(), SwotLists), years: Type.Array(Type.Integer()),
});
export const ReadinessCompare = Type.Object({ years: Type.Array(Readiness), delta: PerElement });

// The types of the wire, derived from the schemas above: routes, services and the web app (`import type`) read these.
export type DimensionKey = Static<typeof DimensionKey>;
export type DocumentKey = Static<typeof DocumentKey>;
// The list and the schema name the same documents: one added to one and not the other is a compile error.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<(typeof DOCUMENT_KEYS)[number], DocumentKey>;
export type ProgrammeOwnerKey = Static<typeof ProgrammeOwnerKey>;
true satisfies Same<(typeof PROGRAMME_OWNER_KEYS)[number], ProgrammeOwnerKey>;
export type HorizonKey = Static<typeof HorizonKey>;
export type Framework = Static<typeof Framework>;
export type PlanBody = Static<typeof PlanBody>;
export type Plan = Static<typeof Plan>;
export type ReadinessItem = Static<typeof ReadinessItem>;
type ReadinessItemBody = Static<typeof ReadinessItemBody>;
export type Swot = Static<typeof SwotLists>;
type SwotBody = Static<typeof SwotBody>;
export type ReadinessBody = Static<typeof ReadinessBody>;
export type Readiness = Static<typeof Readiness>;
export type ReadinessCompare = Static<typeof ReadinessCompare>;
