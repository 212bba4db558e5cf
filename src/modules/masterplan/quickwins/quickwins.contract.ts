/**
 * Quick wins' and the roadmap's contract: the TypeBox schemas of their API
 * (validation, the OpenAPI document) and the types derived from them; the web
 * app reads the types with `import type`, the constants from quickwins.constants.ts.
 */
import { Type, type Static } from 'typebox';
import { FundingSource } from '../initiatives/initiatives.contract.ts';
import { DimensionKey } from '../plan/plan.contract.ts';
import { QUICK_WIN_STATUS_KEYS } from './quickwins.constants.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number) => Type.String({ maxLength: max });
const Month = Type.String({ pattern: '^(20\\d\\d|2100)-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });
const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
const Id = Type.String({ minLength: 1, maxLength: 100 });

const QuickWinStatus = Type.Union([Type.Literal('planned'), Type.Literal('ongoing'), Type.Literal('done'), Type.Literal('dropped')]);

const Editable = {
  title: Type.String({ minLength: 1, maxLength: 500 }),
  /** the framework's dimension (masterplan.framework.ts); required */
  dimensionKey: DimensionKey,
  /** the initiative it belongs to, of this region and the same dimension */
  initiativeId: Type.Optional(Nullable(Id)),
  /** why: the problem it answers now */
  background: Type.Optional(Text(4000)),
  /** what is delivered */
  output: Type.Optional(Text(2000)),
  /** what changes for citizens or the government */
  outcome: Type.Optional(Text(2000)),
  /** the first month of the schedule; with endMonth 6 to 12 months, both counted, within the plan's period */
  startMonth: Month,
  /** the last month of the schedule */
  endMonth: Month,
  cost: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1e15, description: 'whole rupiah' }))),
  fundingSource: Type.Optional(Nullable(FundingSource)),
  /** the OPD that leads it; an operator's own OPD when left out */
  leadOpdId: Type.Optional(Nullable(Id)),
  status: Type.Optional(QuickWinStatus),
};
export const QuickWinCreate = Type.Object(Editable);
export const QuickWinPatch = Type.Object(
  {
    title: Type.Optional(Editable.title), dimensionKey: Type.Optional(DimensionKey), initiativeId: Editable.initiativeId, background: Editable.background, output: Editable.output,
    outcome: Editable.outcome, startMonth: Type.Optional(Month), endMonth: Type.Optional(Month), cost: Editable.cost, fundingSource: Editable.fundingSource,
    leadOpdId: Editable.leadOpdId, status: Editable.status,
  },
  { minProperties: 1 },
);
export const QuickWin = Type.Object({
  id: Type.String(), title: Type.String(), dimensionKey: Type.String(), initiativeId: Nullable(Type.String()), initiativeName: Nullable(Type.String()),
  background: Type.String(), output: Type.String(), outcome: Type.String(), startMonth: Type.String(), endMonth: Type.String(),
  months: Type.Integer({ description: 'months of the schedule, both ends counted' }), cost: Nullable(Type.Number({ description: 'whole rupiah' })),
  fundingSource: Nullable(Type.String()), leadOpdId: Nullable(Type.String()), leadOpdCode: Nullable(Type.String()), status: Type.String(),
  sourceProgramId: Nullable(Type.String({ description: 'the imported program it was converted from (the former quick win checkbox)' })),
  createdAt: Type.Number(), updatedAt: Type.Number(),
});
export const QuickWinQuery = Type.Object({ dimension: Type.Optional(DimensionKey), status: Type.Optional(QuickWinStatus), opdId: Type.Optional(Type.String({ maxLength: 100 })) });
export const QuickWinList = Type.Object({
  items: Type.Array(QuickWin),
  totals: Type.Object({
    quickWins: Type.Integer(), cost: Type.Number({ description: 'whole rupiah, the sum of the items\' cost' }),
    byDimension: Type.Array(Type.Object({ key: Type.String(), quickWins: Type.Integer(), cost: Type.Number() })),
    byStatus: Type.Array(Type.Object({ key: Type.String(), quickWins: Type.Integer() })),
  }),
});

export const MilestoneCreate = Type.Object({ dimensionKey: DimensionKey, year: Year, text: Type.String({ minLength: 1, maxLength: 1000 }) });
export const MilestonePatch = Type.Object({ dimensionKey: Type.Optional(DimensionKey), year: Type.Optional(Year), text: Type.Optional(MilestoneCreate.properties.text) }, { minProperties: 1 });
export const Milestone = Type.Object({ id: Type.String(), dimensionKey: Type.String(), year: Type.Integer(), text: Type.String(), updatedAt: Type.Number() });

const CellInitiative = Type.Object({ id: Type.String(), name: Type.String(), status: Type.String(), startYear: Nullable(Type.Integer()), endYear: Nullable(Type.Integer()), first: Type.Boolean({ description: 'its first year' }), last: Type.Boolean({ description: 'its last year' }) });
const CellQuickWin = Type.Object({ id: Type.String(), title: Type.String(), status: Type.String(), startMonth: Type.String(), endMonth: Type.String() });
const RoadmapCell = Type.Object({ year: Type.Integer(), initiatives: Type.Array(CellInitiative), quickWins: Type.Array(CellQuickWin), milestones: Type.Array(Milestone) });
export const Roadmap = Type.Object({
  periodStart: Nullable(Type.Integer()), periodEnd: Nullable(Type.Integer()),
  /** the plan's period, year by year (empty when the plan has none) */
  years: Type.Array(Type.Integer()),
  dimensions: Type.Array(Type.Object({ key: Type.String(), nameId: Type.String(), nameEn: Type.String(), cells: Type.Array(RoadmapCell) })),
  /** initiatives with no timeline: they have no place on the roadmap yet */
  unscheduled: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), dimensionKey: Type.String() })),
});

// The list and the schema name the same values: one added to one and not the other is a compile error.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<(typeof QUICK_WIN_STATUS_KEYS)[number], Static<typeof QuickWinStatus>>;

export type QuickWinCreate = Static<typeof QuickWinCreate>;
export type QuickWinPatch = Static<typeof QuickWinPatch>;
export type QuickWin = Static<typeof QuickWin>;
export type QuickWinQuery = Static<typeof QuickWinQuery>;
export type QuickWinList = Static<typeof QuickWinList>;
export type MilestoneCreate = Static<typeof MilestoneCreate>;
export type MilestonePatch = Static<typeof MilestonePatch>;
export type Milestone = Static<typeof Milestone>;
type RoadmapCell = Static<typeof RoadmapCell>;
export type Roadmap = Static<typeof Roadmap>;
