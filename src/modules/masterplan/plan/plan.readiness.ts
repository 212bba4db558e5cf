/**
 * The readiness assessment of a year: the checklist's scores (0–4) and targets,
 * per element the score, target and gap as a share of 4 in percent, and the SWOT
 * of each element. The one place readiness is computed: the API answers with it
 * and the documents' tables and radar read scoreElements (documents/export.data.ts).
 */
import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import type { Principal } from '../../identity/index.ts';
import type { PlanAccess } from './plan.access.ts';
import type { Readiness, ReadinessBody, ReadinessCompare, ReadinessItem, Swot } from './plan.contract.ts';
import { READINESS, READINESS_CHECKLIST, READINESS_KEYS } from './plan.framework.ts';
import { jsonList, type PlanRepository, type ReadinessRow, type SwotRow } from './plan.repository.ts';

/** Scores and targets of one element and of its sub-elements: means on 0–4, null where nothing is scored. */
interface ElementScore { key: string; score: number | null; target: number | null; subs: { key: string; score: number | null; target: number | null }[] }

const mean = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

/** Per readiness element (the framework's order) and its sub-elements (the framework's, then others the items name; those with items only). */
export function scoreElements(items: readonly Pick<ReadinessItem, 'element' | 'subKey' | 'score' | 'target'>[]): ElementScore[] {
  return READINESS.map((e) => {
    const mine = items.filter((i) => i.element === e.key);
    const subKeys = [...new Set([...e.subs.map((s) => s.key), ...mine.map((i) => i.subKey)])].filter((k) => mine.some((i) => i.subKey === k));
    const subs = subKeys.map((key) => {
      const its = mine.filter((i) => i.subKey === key);
      return { key, score: mean(its.map((i) => i.score)), target: mean(its.map((i) => i.target)) };
    });
    return { key: e.key, score: mean(mine.map((i) => i.score)), target: mean(mine.map((i) => i.target)), subs };
  });
}

/** A mean on 0–4 as a percentage, to one decimal. */
const percent = (v: number | null) => (v === null ? null : Math.round((v / 4) * 1000) / 10);
const emptySwot = (): Swot => ({ strengths: [], weaknesses: [], opportunities: [], threats: [] });
const swotOf = (s: SwotRow): Swot => ({ strengths: jsonList(s.strengths), weaknesses: jsonList(s.weaknesses), opportunities: jsonList(s.opportunities), threats: jsonList(s.threats) });
const itemOf = (r: ReadinessRow): ReadinessItem => ({ element: r.element, subKey: r.sub_key, code: r.code, questionId: r.question_id, questionEn: r.question_en, score: r.score, target: r.target, note: r.note });

/** What the documents show: the latest year assessed, its saved items and the SWOT elements filled in. */
interface LatestReadiness { year: number | null; items: ReadinessItem[]; swot: Record<string, Swot> }

export class ReadinessService {
  private readonly repo: PlanRepository;
  private readonly access: PlanAccess;
  private readonly clock: Clock;
  constructor(repo: PlanRepository, access: PlanAccess, clock: Clock) {
    this.repo = repo;
    this.access = access;
    this.clock = clock;
  }

  readiness(p: Principal, year: number): Promise<Readiness> {
    return this.readinessOf(p.regionId, year);
  }

  async readinessOf(regionId: string, year: number): Promise<Readiness> {
    const [rows, swotRows, years] = await Promise.all([this.repo.readiness(regionId, year), this.repo.swot(regionId, year), this.repo.readinessYears(regionId)]);
    const order = new Map(READINESS_CHECKLIST.map((q, i) => [q.code, i]));
    const items: ReadinessItem[] = rows.length
      ? rows.map(itemOf).sort((a, b) => (order.get(a.code) ?? 1e6) - (order.get(b.code) ?? 1e6) || a.code.localeCompare(b.code, 'en', { numeric: true }))
      : READINESS_CHECKLIST.map((q) => ({ ...q, score: null, target: null, note: '' }));
    const scores: Record<string, number | null> = {};
    const targets: Record<string, number | null> = {};
    const gaps: Record<string, number | null> = {};
    for (const e of scoreElements(items)) {
      const [score, target] = [percent(e.score), percent(e.target)];
      scores[e.key] = score;
      targets[e.key] = target;
      gaps[e.key] = score !== null && target !== null ? Math.round((target - score) * 10) / 10 : null;
    }
    const swot: Record<string, Swot> = {};
    for (const element of READINESS_KEYS) swot[element] = emptySwot();
    for (const s of swotRows) swot[s.element] = swotOf(s);
    return { year, saved: rows.length > 0, items, scores, targets, gaps, swot, years };
  }

  /** The latest year assessed (null: none), its saved items and the SWOT elements filled in (of that year; with no year, of any, the latest winning). */
  async latest(regionId: string): Promise<LatestReadiness> {
    const year = (await this.repo.readinessYears(regionId)).at(-1) ?? null;
    const [rows, swotRows] = await Promise.all([year === null ? [] : this.repo.readiness(regionId, year), this.repo.swot(regionId, year)]);
    const swot: Record<string, Swot> = {};
    for (const s of swotRows) swot[s.element] = swotOf(s);
    return { year, items: rows.map(itemOf), swot };
  }

  async put(p: Principal | null, regionId: string, year: number, input: ReadinessBody): Promise<Readiness> {
    if (p) await this.access.requireReviewer(p, 'change the readiness assessment');
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new AppError('VALIDATION_FAILED', 'year must be between 2000 and 2100');
    const now = this.clock.now();
    const seen = new Set<string>();
    const rows: ReadinessRow[] = input.items.map((item, i) => {
      const def = READINESS_CHECKLIST.find((q) => q.code === item.code);
      const element = item.element ?? def?.element;
      const subKey = item.subKey ?? def?.subKey;
      const questionId = item.questionId ?? def?.questionId;
      if (!item.code) throw new AppError('VALIDATION_FAILED', `items[${i}] needs a code`);
      if (seen.has(item.code)) throw new AppError('VALIDATION_FAILED', `items[${i}]: code ${item.code} is given twice`);
      seen.add(item.code);
      if (!element || !(READINESS_KEYS as readonly string[]).includes(element)) throw new AppError('VALIDATION_FAILED', `items[${i}]: element must be one of ${READINESS_KEYS.join(', ')}`);
      const sub = READINESS.find((r) => r.key === element)!.subs.find((s) => s.key === subKey);
      if (!sub) throw new AppError('VALIDATION_FAILED', `items[${i}]: subKey "${subKey}" is not a sub-element of ${element}`);
      if (!questionId) throw new AppError('VALIDATION_FAILED', `items[${i}]: a question of your own (code ${item.code}) needs questionId`);
      return {
        region_id: regionId, year, element, sub_key: sub.key, code: item.code, question_id: questionId, question_en: item.questionEn ?? def?.questionEn ?? questionId,
        score: item.score ?? null, target: item.target ?? null, note: item.note ?? '', updated_at: now,
      };
    });
    const json = (v: string[] | undefined) => JSON.stringify(v ?? []);
    const swot: SwotRow[] = Object.entries(input.swot ?? {}).map(([element, s]) => {
      if (!(READINESS_KEYS as readonly string[]).includes(element)) throw new AppError('VALIDATION_FAILED', `swot: "${element}" is not a readiness element`);
      return { region_id: regionId, year, element, strengths: json(s.strengths), weaknesses: json(s.weaknesses), opportunities: json(s.opportunities), threats: json(s.threats), updated_at: now };
    });
    await this.repo.replaceReadiness(regionId, year, rows, swot);
    this.access.changed(p, regionId, 'readiness', String(year), 'readiness.updated', `Asesmen kesiapan ${year} diperbarui`);
    return this.readinessOf(regionId, year);
  }

  async compare(p: Principal, years: number[]): Promise<ReadinessCompare> {
    const all = await Promise.all(years.map((y) => this.readinessOf(p.regionId, y)));
    const delta: Record<string, number | null> = {};
    if (all.length >= 2) {
      const [a, b] = [all[0]!, all[all.length - 1]!];
      for (const e of READINESS_KEYS) {
        const [from, to] = [a.scores[e] ?? null, b.scores[e] ?? null];
        delta[e] = from !== null && to !== null ? Math.round((to - from) * 10) / 10 : null;
      }
    }
    return { years: all, delta };
  }
}
