/** The leadership dashboard's contract: per dimension and per OPD, the KPIs' status, the evaluation index over the years (typebox only). */
import { Type, type Static } from 'typebox';
import { Nullable } from '../plan/plan.contract.ts';

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


export type Dashboard = Static<typeof Dashboard>;
