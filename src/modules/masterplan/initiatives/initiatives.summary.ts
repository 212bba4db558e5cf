/**
 * The initiatives per dimension as the dashboard shows them: how many and
 * their budget (the funding trace counted once, initiatives.budget.ts), for the
 * whole plan or one year (the initiatives whose timeline includes it or that
 * have money in it, with that year's money).
 */
import { DIMENSIONS } from '../plan/plan.framework.ts';
import type { InitiativeList } from './initiatives.contract.ts';

interface DimensionInitiatives { key: string; initiatives: number; budget: number }

export function initiativesByDimension(list: InitiativeList, year?: number): DimensionInitiatives[] {
  const inYear = (i: InitiativeList['items'][number]) =>
    year === undefined || ((i.startYear ?? -Infinity) <= year && year <= (i.endYear ?? Infinity) && (i.startYear !== null || i.endYear !== null)) || i.years.some((y) => y.year === year && y.fromLines > 0);
  const budgetOf = (i: InitiativeList['items'][number]) => (year === undefined ? i.budget : i.years.find((y) => y.year === year)?.fromLines ?? 0);
  return DIMENSIONS.map((d) => {
    const mine = list.items.filter((i) => i.dimensionKey === d.key && inYear(i));
    return { key: d.key, initiatives: mine.length, budget: mine.reduce((a, i) => a + budgetOf(i), 0) };
  });
}
