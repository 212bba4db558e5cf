/** How far a KPI is toward its target: its status, and the achievement the dashboard averages. */
import type { Direction, KpiStatus } from './kpis.contract.ts';

type Value = { year: number; target: number | null; actual: number | null };

/** How far the actual is toward the target: 1 = met. Down: lower is better. */
export function achievement(direction: Direction, target: number, actual: number): number {
  if (direction === 'up') return target === 0 ? (actual >= 0 ? 1 : 0) : actual / target;
  if (actual <= target) return 1;
  return actual === 0 ? 1 : target / actual;
}

/** The value a status reads: of the year asked, else the latest with both a target and an actual. */
function measured(values: readonly Value[], year?: number): { target: number; actual: number } | undefined {
  const usable = values.flatMap((v) => (v.target !== null && v.actual !== null ? [{ year: v.year, target: v.target, actual: v.actual }] : []));
  return year !== undefined ? usable.find((x) => x.year === year) : usable.sort((a, b) => b.year - a.year)[0];
}

/**
 * on_track: the target is met; at_risk: within 20 % of it; off_track: further;
 * no_data: no target or no actual for the year (the year asked, else the latest with both).
 */
export function kpiStatus(direction: Direction, values: readonly Value[], year?: number): KpiStatus {
  const v = measured(values, year);
  if (!v) return 'no_data';
  const a = achievement(direction, v.target, v.actual);
  return a >= 1 ? 'on_track' : a >= 0.8 ? 'at_risk' : 'off_track';
}

/** Mean achievement of the KPIs (each capped to 0–1), in percent to one decimal; null when none is measured. */
export function progressOf(kpis: readonly { direction: Direction; values: readonly Value[] }[], year?: number): number | null {
  const parts: number[] = [];
  for (const k of kpis) {
    const v = measured(k.values, year);
    if (v) parts.push(Math.min(1, Math.max(0, achievement(k.direction, v.target, v.actual))));
  }
  return parts.length ? Math.round((parts.reduce((s, x) => s + x, 0) / parts.length) * 1000) / 10 : null;
}
