/**
 * The master plan's contract: the TypeBox schemas of its API (validation, the
 * OpenAPI document) and the types derived from them. It imports only typebox,
 * so the web app reads its types as they are; its constants live in
 * masterplan.constants.ts (re-exported here), which the web app imports as values.
 */
import { Type, type Static } from 'typebox';
import { DOCUMENT_KEYS, PROGRAMME_OWNER_KEYS } from './masterplan.constants.ts';

export { DOCUMENT_KEYS, PROGRAMME_OWNER_KEYS } from './masterplan.constants.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
export const DimensionKey = Type.Union([Type.Literal('governance'), Type.Literal('branding'), Type.Literal('economy'), Type.Literal('living'), Type.Literal('society'), Type.Literal('environment')]);
export const DocumentKey = Type.Union([Type.Literal('RPJPD'), Type.Literal('RPJMD'), Type.Literal('RENSTRA'), Type.Literal('RKPD'), Type.Literal('RENJA')]);
export const HorizonKey = Type.Union([Type.Literal('short'), Type.Literal('medium'), Type.Literal('long')]);
const Text = (max: number) => Type.String({ maxLength: max });

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
export const ReadinessItemBody = Type.Object({
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

export const Suggestion = Type.Object({ dimensionKey: Type.String(), elementKey: Type.String(), score: Type.Number(), words: Type.Array(Type.String()) });
export const Program = Type.Object({
  id: Type.String(), opdId: Nullable(Type.String()), opdCode: Nullable(Type.String()), document: Type.String(), code: Type.String(),
  level: Type.Union([Type.Literal('program'), Type.Literal('kegiatan'), Type.Literal('sub_kegiatan')]), name: Type.String(), indicator: Type.String(),
  target: Type.String(), unit: Type.String(), budget: Type.Number({ description: 'pagu in whole rupiah' }), year: Type.Integer(), location: Type.String(),
  dimensionKey: Nullable(Type.String()), elementKey: Nullable(Type.String()), quickWin: Type.Boolean(), horizon: Nullable(HorizonKey), roadmapYear: Nullable(Type.Integer()),
  reviewStatus: Type.String(), suggestion: Nullable(Suggestion), createdAt: Type.Number(), updatedAt: Type.Number(),
});
export const ProgramQuery = Type.Object({
  year: Type.Optional(Year), opdId: Type.Optional(Type.String({ maxLength: 100 })),
  dimension: Type.Optional(Type.String({ maxLength: 40, description: 'a dimension key, or "none" for unmapped programs' })),
  document: Type.Optional(DocumentKey), q: Type.Optional(Type.String({ maxLength: 200 })), quickWin: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })), cursor: Type.Optional(Type.String({ maxLength: 500 })),
});
const ProgramEditable = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })), indicator: Type.Optional(Text(2000)), target: Type.Optional(Text(200)), unit: Type.Optional(Text(100)),
  budget: Type.Optional(Type.Integer({ minimum: 0 })), location: Type.Optional(Text(500)), opdId: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  dimensionKey: Type.Optional(Nullable(DimensionKey)), elementKey: Type.Optional(Nullable(Type.String({ maxLength: 40 }))), quickWin: Type.Optional(Type.Boolean()),
  horizon: Type.Optional(Nullable(HorizonKey)), roadmapYear: Type.Optional(Nullable(Year)),
};
export const ProgramPatch = Type.Object(ProgramEditable, { minProperties: 1 });
export const ProgramCreate = Type.Object({ ...ProgramEditable, code: Type.String({ minLength: 1, maxLength: 40 }), name: Type.String({ minLength: 1, maxLength: 1000 }), document: DocumentKey, year: Year });

export const ImportPreview = Type.Object({
  importId: Type.String(), document: Type.String(), format: Type.String(), headerRow: Type.Integer(), headings: Type.Integer({ description: 'urusan/bidang and OPD group rows read as headings' }), rows: Type.Integer(), valid: Type.Integer(),
  created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), duplicates: Type.Integer(),
  errors: Type.Array(Type.Object({ row: Type.Integer({ description: 'row number in the spreadsheet' }), reason: Type.String() })),
  sample: Type.Array(Type.Object({
    row: Type.Integer(), code: Type.String(), level: Type.String(), name: Type.String(), opdCode: Nullable(Type.String()), indicator: Type.String(), target: Type.String(),
    unit: Type.String(), budget: Type.Number(), year: Type.Integer(), location: Type.String(), action: Type.String(),
  })),
  expiresAt: Type.Number(),
});
export const ImportResult = Type.Object({
  created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(),
  updatedRows: Type.Array(Type.Object({ row: Type.Integer(), code: Type.String(), id: Type.String(), fields: Type.Array(Type.String()) })),
});

export const MetricBody = Type.Object({ kind: Type.String({ maxLength: 60 }), params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 100 }), Type.Number(), Type.Null()]))) });
export const KpiValue = Type.Object({ year: Type.Integer(), target: Nullable(Type.Number()), actual: Nullable(Type.Number()), source: Type.String(), computedAt: Nullable(Type.Number()) });
export const KpiStatus = Type.Union([Type.Literal('on_track'), Type.Literal('at_risk'), Type.Literal('off_track'), Type.Literal('no_data')]);
export const Kpi = Type.Object({
  id: Type.String(), name: Type.String(), unit: Type.String(), baseline: Nullable(Type.Number()), direction: Type.String(), programId: Nullable(Type.String()),
  opdId: Nullable(Type.String()), dimensionKey: Nullable(Type.String()), elementKey: Nullable(Type.String()),
  metric: Nullable(Type.Object({ kind: Type.String(), params: Type.Record(Type.String(), Type.Unknown()) })), values: Type.Array(KpiValue), status: KpiStatus,
  createdAt: Type.Number(), updatedAt: Type.Number(),
});
const Direction = Type.Union([Type.Literal('up'), Type.Literal('down')]);
export const KpiCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 500 }), unit: Type.Optional(Text(60)), baseline: Type.Optional(Nullable(Type.Number())), direction: Type.Optional(Direction),
  programId: Type.Optional(Nullable(Type.String({ maxLength: 100 }))), opdId: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  dimensionKey: Type.Optional(Nullable(DimensionKey)), elementKey: Type.Optional(Nullable(Type.String({ maxLength: 40 }))), metric: Type.Optional(Nullable(MetricBody)),
  values: Type.Optional(Type.Array(Type.Object({ year: Year, target: Type.Optional(Nullable(Type.Number())), actual: Type.Optional(Nullable(Type.Number())) }), { maxItems: 30 })),
});
export const KpiPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })), unit: Type.Optional(Text(60)), baseline: Type.Optional(Nullable(Type.Number())), direction: Type.Optional(Direction),
  dimensionKey: Type.Optional(Nullable(DimensionKey)), elementKey: Type.Optional(Nullable(Type.String({ maxLength: 40 }))), metric: Type.Optional(Nullable(MetricBody)),
}, { minProperties: 1 });
export const KpiValueBody = Type.Object({ target: Type.Optional(Nullable(Type.Number())), actual: Type.Optional(Nullable(Type.Number())) }, { minProperties: 1 });
export const KpiQuery = Type.Object({ programId: Type.Optional(Type.String({ maxLength: 100 })), dimension: Type.Optional(DimensionKey), year: Type.Optional(Year) });

export const MetricDef = Type.Object({
  kind: Type.String(), nameId: Type.String(), nameEn: Type.String(), unit: Type.String(), direction: Type.String(),
  params: Type.Array(Type.Object({ key: Type.String(), type: Type.String(), required: Type.Boolean(), labelId: Type.String(), labelEn: Type.String() })),
});

export const Dashboard = Type.Object({
  year: Nullable(Type.Integer()),
  totals: Type.Object({
    programs: Type.Integer(), mapped: Type.Integer(), quickWins: Type.Integer(), budget: Type.Number(),
    initiatives: Type.Integer({ description: 'the master plan\'s initiatives (of the year asked: its timeline includes it or it has money in it)' }),
    initiativeBudget: Type.Number({ description: 'their budget, the funding trace counted once (of the year asked: that year\'s), whole rupiah' }),
  }),
  byDimension: Type.Array(Type.Object({
    key: Type.String(), nameId: Type.String(), nameEn: Type.String(), initiatives: Type.Integer(), initiativeBudget: Type.Number(), programs: Type.Integer(), quickWins: Type.Integer(), budget: Type.Number(), kpis: Type.Integer(),
    kpisOnTrack: Type.Integer(), kpisAtRisk: Type.Integer(), kpisOffTrack: Type.Integer(), progress: Nullable(Type.Number({ description: 'mean KPI achievement, 0-100' })),
  })),
  budgetByOpd: Type.Array(Type.Object({ opdId: Nullable(Type.String()), opdCode: Nullable(Type.String()), opdName: Nullable(Type.String()), budget: Type.Number() })),
  kpis: Type.Object({ onTrack: Type.Integer(), atRisk: Type.Integer(), offTrack: Type.Integer(), noData: Type.Integer() }),
  evaluationIndex: Type.Array(Type.Object({ year: Type.Integer(), index: Type.Number() })),
});

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
export type ReadinessItemBody = Static<typeof ReadinessItemBody>;
export type ReadinessBody = Static<typeof ReadinessBody>;
export type Readiness = Static<typeof Readiness>;
export type ReadinessCompare = Static<typeof ReadinessCompare>;
export type Suggestion = Static<typeof Suggestion>;
export type Program = Static<typeof Program>;
export type ProgramQuery = Static<typeof ProgramQuery>;
export type ProgramPatch = Static<typeof ProgramPatch>;
export type ProgramCreate = Static<typeof ProgramCreate>;
export type ImportPreview = Static<typeof ImportPreview>;
export type ImportResult = Static<typeof ImportResult>;
export type MetricBody = Static<typeof MetricBody>;
export type KpiValue = Static<typeof KpiValue>;
export type KpiStatus = Static<typeof KpiStatus>;
export type Kpi = Static<typeof Kpi>;
export type KpiCreate = Static<typeof KpiCreate>;
export type KpiPatch = Static<typeof KpiPatch>;
export type KpiValueBody = Static<typeof KpiValueBody>;
export type KpiQuery = Static<typeof KpiQuery>;
export type MetricDef = Static<typeof MetricDef>;
export type Dashboard = Static<typeof Dashboard>;
