/**
 * Initiatives' contract: the TypeBox schemas of their API (validation, the
 * OpenAPI document) and the types derived from them; the web app reads the
 * types with `import type`, the constants from initiatives.constants.ts.
 */
import { Type, type Static } from 'typebox';
import { DimensionKey, DocumentKey } from '../plan/plan.contract.ts';
import { FUNDING_SOURCE_KEYS, INITIATIVE_STATUS_KEYS } from './initiatives.constants.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
const Rupiah = (description: string) => Type.Integer({ minimum: 0, maximum: 1e15, description: `whole rupiah: ${description}` });
const Text = (max: number) => Type.String({ maxLength: max });
const OpdId = Type.String({ minLength: 1, maxLength: 100 });
const ProgramId = Type.String({ minLength: 1, maxLength: 100 });

export const FundingSource = Type.Union([Type.Literal('apbd'), Type.Literal('dak_apbn'), Type.Literal('dana_desa'), Type.Literal('csr'), Type.Literal('kpbu'), Type.Literal('hibah')]);
const InitiativeStatus = Type.Union([Type.Literal('usulan'), Type.Literal('direncanakan'), Type.Literal('berjalan'), Type.Literal('selesai'), Type.Literal('ditunda')]);
/** Percent of a line's budget an initiative takes. */
const Share = Type.Integer({ minimum: 1, maximum: 100, description: 'percent of the line\'s budget (1-100); a line shared by several initiatives is split in shares summing to 100' });

const Editable = {
  /** the framework's dimension (masterplan.framework.ts) */
  dimensionKey: DimensionKey,
  /** one of the dimension's three elements */
  elementKey: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  name: Type.String({ minLength: 1, maxLength: 500 }),
  /** the problem the initiative answers */
  problem: Type.Optional(Text(4000)),
  goal: Type.Optional(Text(4000)),
  target: Type.Optional(Text(2000)),
  indicators: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 30 })),
  /** the OPD that leads it; an operator's own OPD when left out */
  leadOpdId: Type.Optional(Nullable(OpdId)),
  supportingOpdIds: Type.Optional(Type.Array(OpdId, { maxItems: 50 })),
  /** within the plan's period */
  startYear: Type.Optional(Nullable(Year)),
  endYear: Type.Optional(Nullable(Year)),
  costEstimate: Type.Optional(Nullable(Rupiah('the estimated cost over the whole timeline'))),
  fundingSources: Type.Optional(Type.Array(FundingSource, { maxItems: 6 })),
  status: Type.Optional(InitiativeStatus),
};
export const InitiativeCreate = Type.Object({
  ...Editable,
  /** imported lines to link at once, each with the whole of its budget */
  programIds: Type.Optional(Type.Array(ProgramId, { maxItems: 1000 })),
});
export const InitiativePatch = Type.Object(
  {
    dimensionKey: Type.Optional(DimensionKey), elementKey: Editable.elementKey, name: Type.Optional(Editable.name), problem: Editable.problem, goal: Editable.goal,
    target: Editable.target, indicators: Editable.indicators, leadOpdId: Editable.leadOpdId, supportingOpdIds: Editable.supportingOpdIds, startYear: Editable.startYear,
    endYear: Editable.endYear, costEstimate: Editable.costEstimate, fundingSources: Editable.fundingSources, status: Editable.status,
  },
  { minProperties: 1 },
);

const InitiativeLine = Type.Object({
  programId: Type.String(), code: Type.String(), level: Type.String(), name: Type.String(), document: Type.String(), year: Type.Integer(),
  opdId: Nullable(Type.String()), opdCode: Nullable(Type.String()),
  budget: Type.Number({ description: 'the line\'s own pagu, whole rupiah' }),
  share: Type.Integer(),
  counted: Type.Number({ description: 'what this line adds to the initiative\'s budget: its leaves\' pagu (a parent whose kegiatan are listed counts through them, once) times the share' }),
});
const InitiativeYear = Type.Object({
  year: Type.Integer(), planned: Nullable(Type.Number({ description: 'whole rupiah' })), realised: Nullable(Type.Number({ description: 'whole rupiah' })), note: Type.String(),
  fromLines: Type.Number({ description: 'the budget of the linked lines of that year, whole rupiah' }),
});
export const Initiative = Type.Object({
  id: Type.String(), dimensionKey: Type.String(), elementKey: Nullable(Type.String()), name: Type.String(), problem: Type.String(), goal: Type.String(), target: Type.String(),
  indicators: Type.Array(Type.String()), leadOpdId: Nullable(Type.String()), leadOpdCode: Nullable(Type.String()), supportingOpdIds: Type.Array(Type.String()),
  startYear: Nullable(Type.Integer()), endYear: Nullable(Type.Integer()), costEstimate: Nullable(Type.Number()), fundingSources: Type.Array(Type.String()), status: Type.String(),
  budget: Type.Number({ description: 'sum of the linked lines\' counted budget, whole rupiah' }),
  lines: Type.Array(InitiativeLine), years: Type.Array(InitiativeYear),
  createdAt: Type.Number(), updatedAt: Type.Number(),
});
export const InitiativeQuery = Type.Object({
  dimension: Type.Optional(DimensionKey), opdId: Type.Optional(Type.String({ maxLength: 100 })), status: Type.Optional(InitiativeStatus),
});
export const InitiativeList = Type.Object({
  items: Type.Array(Initiative),
  totals: Type.Object({
    initiatives: Type.Integer(), costEstimate: Type.Number(), budget: Type.Number(),
    byDimension: Type.Array(Type.Object({ key: Type.String(), initiatives: Type.Integer(), costEstimate: Type.Number(), budget: Type.Number() })),
  }),
});
export const LinkBody = Type.Object({ programIds: Type.Array(ProgramId, { minItems: 1, maxItems: 1000 }), share: Type.Optional(Share) });
export const SplitBody = Type.Object({ shares: Type.Array(Type.Object({ initiativeId: Type.String({ minLength: 1, maxLength: 100 }), share: Share }), { maxItems: 20 }) });
export const Split = Type.Object({ programId: Type.String(), shares: Type.Array(Type.Object({ initiativeId: Type.String(), share: Type.Integer() })) });
export const YearBody = Type.Object({ planned: Type.Optional(Nullable(Rupiah('planned that year'))), realised: Type.Optional(Nullable(Rupiah('realised that year'))), note: Type.Optional(Text(2000)) }, { minProperties: 1 });

const SuggestedLine = Type.Object({ programId: Type.String(), code: Type.String(), name: Type.String(), level: Type.String(), document: Type.String(), year: Type.Integer(), opdCode: Nullable(Type.String()), budget: Type.Number() });
export const Suggestions = Type.Object({
  /** unlinked lines that look like an existing initiative's */
  join: Type.Array(Type.Object({
    initiativeId: Type.String(), initiativeName: Type.String(), score: Type.Number({ description: '0-1: same dimension, shared words, same OPD' }),
    reasons: Type.Array(Type.String({ description: 'dimension | element | words | opd' })), words: Type.Array(Type.String()), line: SuggestedLine,
  })),
  /** groups of unlinked lines, none like an existing initiative, proposed as a new one */
  create: Type.Array(Type.Object({
    name: Type.String(), dimensionKey: Type.String(), elementKey: Nullable(Type.String()), leadOpdId: Nullable(Type.String()), budget: Type.Number(), lines: Type.Array(SuggestedLine),
  })),
  /** lines left out of both lists: nothing in them hints at a dimension */
  unmatched: Type.Integer(),
});
export const SuggestionQuery = Type.Object({ year: Type.Optional(Year), document: Type.Optional(DocumentKey), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) });

// The lists and the schemas name the same values: one added to one and not the other is a compile error.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<(typeof FUNDING_SOURCE_KEYS)[number], Static<typeof FundingSource>>;
true satisfies Same<(typeof INITIATIVE_STATUS_KEYS)[number], Static<typeof InitiativeStatus>>;

export type InitiativeCreate = Static<typeof InitiativeCreate>;
export type InitiativePatch = Static<typeof InitiativePatch>;
type InitiativeLine = Static<typeof InitiativeLine>;
type InitiativeYear = Static<typeof InitiativeYear>;
export type Initiative = Static<typeof Initiative>;
export type InitiativeQuery = Static<typeof InitiativeQuery>;
export type InitiativeList = Static<typeof InitiativeList>;
export type LinkBody = Static<typeof LinkBody>;
export type SplitBody = Static<typeof SplitBody>;
export type Split = Static<typeof Split>;
export type YearBody = Static<typeof YearBody>;
export type Suggestions = Static<typeof Suggestions>;
export type SuggestionQuery = Static<typeof SuggestionQuery>;
