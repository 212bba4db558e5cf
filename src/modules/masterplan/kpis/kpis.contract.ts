/**
 * The KPIs' contract: a KPI, its values per year and status, its create and patch
 * bodies, and the catalogue of live metrics a KPI can be computed from. TypeBox
 * schemas and the types derived from them (typebox only).
 */
import { Type, type Static } from 'typebox';
import { DimensionKey, Nullable, Text, Year } from '../plan/plan.contract.ts';

export const Direction = Type.Union([Type.Literal('up'), Type.Literal('down')]);
const MetricBody = Type.Object({ kind: Type.String({ maxLength: 60 }), params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 100 }), Type.Number(), Type.Null()]))) });
const KpiValue = Type.Object({ year: Type.Integer(), target: Nullable(Type.Number()), actual: Nullable(Type.Number()), source: Type.Union([Type.Literal('manual'), Type.Literal('live')]), computedAt: Nullable(Type.Number()) });
export const KpiStatus = Type.Union([Type.Literal('on_track'), Type.Literal('at_risk'), Type.Literal('off_track'), Type.Literal('no_data')]);
export const Kpi = Type.Object({
  id: Type.String(), name: Type.String(), unit: Type.String(), baseline: Nullable(Type.Number()), direction: Direction, programId: Nullable(Type.String()),
  opdId: Nullable(Type.String()), dimensionKey: Nullable(Type.String()), elementKey: Nullable(Type.String()),
  metric: Nullable(Type.Object({ kind: Type.String(), params: Type.Record(Type.String(), Type.Unknown()) })), values: Type.Array(KpiValue), status: KpiStatus,
  createdAt: Type.Number(), updatedAt: Type.Number(),
});
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

export type Direction = Static<typeof Direction>;
type MetricBody = Static<typeof MetricBody>;
type KpiValue = Static<typeof KpiValue>;
export type KpiStatus = Static<typeof KpiStatus>;
export type Kpi = Static<typeof Kpi>;
export type KpiCreate = Static<typeof KpiCreate>;
export type KpiPatch = Static<typeof KpiPatch>;
export type KpiValueBody = Static<typeof KpiValueBody>;
export type KpiQuery = Static<typeof KpiQuery>;
export type MetricDef = Static<typeof MetricDef>;
