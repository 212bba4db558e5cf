/**
 * Kominfo's yearly evaluation (monev) of the master plan: the five evaluation dimensions
 * Baseline, Output, Outcome, Impact and Quick Win, weighted per year by the admin (the weights
 * sum to 100), items scored 0–5 with evidence, the Baseline computed from the previous
 * evaluations (or set by hand with a reason), Output and Outcome pre-filled from the platform,
 * and the index per year and per smart city dimension (evaluation.scoring.ts says how).
 * A year at or after the current one that is opened empty starts from the previous evaluation.
 */
import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import type { Principal } from '../../identity/index.ts';
import type { ActivityLog, CollaborationService } from '../collaboration/index.ts';
import { yearOf } from '../kpis/kpis.metrics.ts';
import { DIMENSION_KEYS } from '../plan/plan.framework.ts';
import type { Baseline, EvalItem, Evaluation, Figure, Weights } from './evaluation.contract.ts';
import { evidenceUrl, type EvaluationEvidence } from './evaluation.evidence.ts';
import { platformFigures, type AutoItem, type MonevSources } from './evaluation.prefill.ts';
import type { EvaluationRepository, Exec, ItemRow } from './evaluation.repository.ts';
import { baselineOf, checkWeights, dimensionScores, EVAL_DIMENSIONS, partialIndex, round2, weightedIndex, type EvalDimension, type YearIndex } from './evaluation.scoring.ts';
import type { EvaluationSurvey } from './evaluation.survey.ts';

interface ItemInput { id?: string | undefined; dimension: EvalDimension; name: string; smartDimension?: string | null | undefined; score?: number | null | undefined; note?: string | undefined; reason?: string | undefined }

const refuse = (message: string, id: string, en: string) => new AppError('VALIDATION_FAILED', message, { reason: { id, en } });
const isEvalDimension = (d: string): d is EvalDimension => (EVAL_DIMENSIONS as readonly string[]).includes(d);
const sameScore = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) < 0.005);
const fmt = (n: number) => String(n).replace('.', ',');

function parseFigures(text: string): Figure[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is Figure => !!x && typeof x === 'object' && typeof (x as { labelId?: unknown }).labelId === 'string') : [];
  } catch {
    return [];
  }
}

export class EvaluationService {
  readonly survey: EvaluationSurvey;
  readonly evidence: EvaluationEvidence;
  private readonly repo: EvaluationRepository;
  private readonly collab: CollaborationService;
  private readonly activity: ActivityLog;
  private readonly clock: Clock;
  /** set once the master plan's services exist (the module wires them after this one) */
  private sources: MonevSources | null = null;
  constructor(repo: EvaluationRepository, survey: EvaluationSurvey, evidence: EvaluationEvidence, collab: CollaborationService, activity: ActivityLog, clock: Clock) {
    this.repo = repo;
    this.survey = survey;
    this.evidence = evidence;
    this.collab = collab;
    this.activity = activity;
    this.clock = clock;
  }

  /** What Output and Outcome are pre-filled from. */
  useSources(sources: MonevSources): void {
    this.sources = sources;
  }

  years(regionId: string): Promise<number[]> {
    return this.repo.years(regionId);
  }

  /** The index of every evaluated year, oldest first (for the leadership dashboard). */
  async evaluationIndexByYear(regionId: string): Promise<YearIndex[]> {
    const chain: YearIndex[] = [];
    for (const year of await this.repo.years(regionId)) {
      const e = await this.computeOne(regionId, year, chain);
      if (e.index !== null) chain.push({ year, index: e.index });
    }
    return chain;
  }

  /** A year's evaluation; one at or after the current year opened empty is started from the previous evaluation first. */
  async get(p: Principal, year: number): Promise<Evaluation> {
    if (year >= yearOf(this.clock.now())) await this.start(p, year, { quiet: true });
    return this.compute(p.regionId, year);
  }

  async compute(regionId: string, year: number): Promise<Evaluation> {
    const chain: YearIndex[] = [];
    for (const y of (await this.repo.years(regionId)).filter((x) => x < year)) {
      const e = await this.computeOne(regionId, y, chain);
      if (e.index !== null) chain.push({ year: y, index: e.index });
    }
    return this.computeOne(regionId, year, chain);
  }

  /** One year, given the indices of the years before it (oldest first). */
  private async computeOne(regionId: string, year: number, before: YearIndex[]): Promise<Evaluation> {
    const w = await this.repo.weights(regionId, year);
    const weights: Weights | null = w ? { baseline: Number(w.w_baseline), output: Number(w.w_output), outcome: Number(w.w_outcome), impact: Number(w.w_impact), quickWin: Number(w.w_quick_win) } : null;
    const rows = await this.repo.items(regionId, year);
    const evidence = await this.repo.evidenceOf(regionId, rows.map((r) => r.id));
    const items: EvalItem[] = rows.filter((r) => isEvalDimension(r.dimension)).map((r) => this.itemOut(r, evidence.filter((e) => e.item_id === r.id)));
    const baseline = await this.baseline(regionId, year, before);
    const survey = await this.survey.compute(regionId, year);
    const dimMeans = survey.byDimension.flatMap((d) => (d.mean === null ? [] : [d.mean]));
    const scored = items.filter((i) => i.dimension !== 'baseline');
    const scores = { ...dimensionScores(scored, dimMeans), baseline: baseline.score };
    const missing = EVAL_DIMENSIONS.filter((d) => scores[d] === null);
    const index = weights && missing.length < EVAL_DIMENSIONS.length ? weightedIndex(weights, scores) : null;
    const byDimension = DIMENSION_KEYS.map((key) => {
      const s = survey.byDimension.find((d) => d.key === key)?.mean ?? null;
      const sc = dimensionScores(scored.filter((i) => i.smartDimension === key), s === null ? [] : [s]);
      const part = weights ? partialIndex(weights, sc) : null;
      return { key, index: part?.index ?? null, surveyMean: s, weightShare: part?.weightShare ?? null };
    });
    return { year, weights, items, baseline, startedFrom: w?.started_from ?? null, survey, scores, missing, index, byDimension };
  }

  private itemOut(r: ItemRow, evidence: { id: string; filename: string; content_type: string; bytes: number; created_at: number }[]): EvalItem {
    const score = r.score === null ? null : Number(r.score);
    const computed = r.computed_score === null ? null : Number(r.computed_score);
    return {
      id: r.id,
      dimension: isEvalDimension(r.dimension) ? r.dimension : 'output',
      name: r.name,
      smartDimension: r.smart_dimension,
      score,
      note: r.note,
      evidence: evidence.map((e) => ({ id: e.id, filename: e.filename, contentType: e.content_type, bytes: Number(e.bytes), url: evidenceUrl(e.id), uploadedAt: Number(e.created_at) })),
      auto: r.auto_key === null ? null : { key: r.auto_key, computedScore: computed, computedAt: Number(r.computed_at ?? 0), figures: parseFigures(r.figures), overridden: !sameScore(score, computed), reason: r.reason, changedBy: r.changed_by },
    };
  }

  private async baseline(regionId: string, year: number, before: YearIndex[]): Promise<Baseline> {
    const previous = before.at(-1) ?? null;
    const beforePrevious = before.at(-2) ?? null;
    const computed = baselineOf(previous, beforePrevious);
    const o = await this.repo.baseline(regionId, year);
    const override = o ? { score: Number(o.score), reason: o.reason, by: o.user_name, at: Number(o.updated_at) } : null;
    const score = override?.score ?? computed.score;
    return { score, source: override ? 'override' : computed.score !== null ? 'computed' : 'none', computed: computed.score, formula: computed.formula, previous, beforePrevious, override };
  }

  /** Sets the Baseline by hand (reviewers): a score needs its reason; null returns to the computed one. */
  async setBaseline(p: Principal, year: number, input: { score: number | null; reason?: string | undefined }): Promise<Evaluation> {
    await this.collab.requireReviewer(p, 'setting the Baseline');
    const reason = (input.reason ?? '').trim();
    if (input.score !== null && (!Number.isFinite(input.score) || input.score < 0 || input.score > 5)) throw refuse('the Baseline is a score from 0 to 5', 'Baseline adalah skor 0 sampai 5', 'The Baseline is a score from 0 to 5');
    if (input.score !== null && reason === '') {
      throw refuse('a Baseline set by hand needs its reason', 'Baseline yang diubah manual wajib disertai alasannya', 'A Baseline set by hand needs its reason');
    }
    const who = await this.activity.actor(p);
    const now = this.clock.now();
    await this.repo.transaction(async (tx) => {
      if (input.score === null) await this.repo.deleteBaseline(p.regionId, year, tx);
      else await this.repo.putBaseline({ region_id: p.regionId, year, score: round2(input.score), reason, user_id: p.userId, user_name: who.name ?? p.email, updated_at: now }, tx);
      const summary = input.score === null ? `Baseline ${year} kembali dihitung dari evaluasi sebelumnya` : `Baseline ${year} diubah manual: ${reason}`;
      await this.activity.record(p.regionId, who, { action: 'evaluation.baseline', entity: 'evaluation', entityId: String(year), summary, detail: { score: input.score, reason } }, tx);
    });
    return this.compute(p.regionId, year);
  }

  /** Weights (admin) and the items with their scores (reviewers). Items listed replace the year's items; evidence of a kept id stays. */
  async put(p: Principal, year: number, input: { weights?: Weights | undefined; items?: ItemInput[] | undefined }): Promise<Evaluation> {
    if (input.weights !== undefined) {
      if (p.role !== 'admin') throw new AppError('FORBIDDEN', 'only an admin sets the evaluation weights');
      checkWeights(input.weights);
    }
    const existing = input.items === undefined ? [] : await this.repo.items(p.regionId, year);
    if (input.items !== undefined) {
      await this.collab.requireReviewer(p, 'scoring the evaluation');
      for (const it of input.items) this.checkItem(it, existing.find((e) => e.id === it.id));
      const unknown = input.items.find((i) => i.id !== undefined && !existing.some((e) => e.id === i.id));
      if (unknown) throw new AppError('NOT_FOUND', `no evaluation item ${unknown.id} in ${year}`);
    }
    const now = this.clock.now();
    let removedFiles: string[] = [];
    const who = await this.activity.actor(p);
    await this.repo.transaction(async (tx) => {
      if (input.weights) {
        const w = input.weights;
        await this.repo.putWeights(p.regionId, year, { w_baseline: w.baseline, w_output: w.output, w_outcome: w.outcome, w_impact: w.impact, w_quick_win: w.quickWin, updated_by: p.userId, updated_at: now }, tx);
        await this.activity.record(p.regionId, who, {
          action: 'evaluation.weights',
          entity: 'evaluation',
          entityId: String(year),
          summary: `Bobot evaluasi ${year}: Baseline ${w.baseline}, Output ${w.output}, Outcome ${w.outcome}, Impact ${w.impact}, Quick Win ${w.quickWin}`,
          detail: w,
        }, tx);
      }
      if (input.items) {
        const keep = new Set(input.items.flatMap((i) => (i.id === undefined ? [] : [i.id])));
        removedFiles = await this.repo.deleteItems(p.regionId, existing.filter((e) => !keep.has(e.id)).map((e) => e.id), tx);
        let sort = 0;
        for (const it of input.items) {
          const before = existing.find((e) => e.id === it.id);
          const score = it.score ?? null;
          if (before?.auto_key) {
            // a pre-filled item keeps what it is; its score, note and the reason of a change are the person's
            const overridden = !sameScore(score, before.computed_score === null ? null : Number(before.computed_score));
            await this.repo.updateItem(p.regionId, before.id, { score, note: it.note ?? '', reason: overridden ? (it.reason ?? '').trim() : '', changed_by: overridden ? (who.name ?? p.email) : null, sort: sort++, updated_at: now }, tx);
            continue;
          }
          const values = { dimension: it.dimension, name: it.name, smart_dimension: it.smartDimension ?? null, score, note: it.note ?? '', sort: sort++, updated_at: now };
          if (before) await this.repo.updateItem(p.regionId, before.id, values, tx);
          else await this.repo.insertItem({ id: newId(), region_id: p.regionId, year, created_at: now, auto_key: null, computed_score: null, figures: '[]', computed_at: null, reason: '', changed_by: null, ...values }, tx);
        }
        await this.activity.record(p.regionId, who, { action: 'evaluation.items', entity: 'evaluation', entityId: String(year), summary: `Butir evaluasi ${year} diperbarui (${input.items.length} butir)` }, tx);
      }
    });
    await this.evidence.forget(removedFiles);
    return this.compute(p.regionId, year);
  }

  private checkItem(it: ItemInput, before: ItemRow | undefined): void {
    const score = it.score ?? null;
    if (score !== null && (!Number.isFinite(score) || score < 0 || score > 5)) throw refuse(`the score of "${it.name}" must be from 0 to 5`, `Skor "${it.name}" harus 0 sampai 5`, `The score of "${it.name}" must be from 0 to 5`);
    if (it.smartDimension && !DIMENSION_KEYS.includes(it.smartDimension)) throw new AppError('VALIDATION_FAILED', `smartDimension "${it.smartDimension}" is not one of ${DIMENSION_KEYS.join(', ')}`);
    if (before?.auto_key) {
      const computed = before.computed_score === null ? null : Number(before.computed_score);
      if (!sameScore(score, computed) && (it.reason ?? '').trim() === '') {
        throw refuse(
          `the score of "${before.name}" differs from the computed ${computed ?? 'none'}: give the reason`,
          `Skor "${before.name}" berbeda dari hasil hitungan (${computed === null ? 'kosong' : fmt(computed)}): tuliskan alasannya`,
          `The score of "${before.name}" differs from the computed one (${computed ?? 'none'}): give the reason`,
        );
      }
      return;
    }
    if (it.dimension === 'baseline' && score !== null) {
      throw refuse(
        'the Baseline is computed from the previous evaluation, not scored on items: set it by hand with a reason instead',
        'Baseline dihitung dari evaluasi sebelumnya, tidak dinilai per butir: ubah Baseline secara manual beserta alasannya',
        'The Baseline is computed from the previous evaluation, not scored on items: set it by hand with a reason instead',
      );
    }
  }

  /**
   * Starts an empty year from the previous evaluation (the latest earlier year with an index): its
   * weights and items are copied without scores, and Output and Outcome are pre-filled from the
   * platform. Answers false when the year is not empty or there is nothing to start from.
   */
  async start(p: Principal, year: number, options: { quiet?: boolean } = {}): Promise<boolean> {
    if (!options.quiet) await this.collab.requireReviewer(p, 'starting an evaluation');
    if ((await this.repo.weights(p.regionId, year)) || (await this.repo.items(p.regionId, year)).length > 0) return false;
    const chain = (await this.evaluationIndexByYear(p.regionId)).filter((y) => y.year < year);
    const previous = chain.at(-1);
    const w = previous ? await this.repo.weights(p.regionId, previous.year) : undefined;
    if (!previous || !w) return false;
    const from = await this.repo.items(p.regionId, previous.year);
    const auto = await this.prefillItems(p, year);
    const now = this.clock.now();
    // Started on opening (quiet), by whoever opened it, a viewer too: the platform did it, not the reader.
    const who = options.quiet ? null : await this.activity.actor(p);
    try {
      await this.repo.transaction(async (tx) => {
        await this.repo.insertWeights({ region_id: p.regionId, year, w_baseline: w.w_baseline, w_output: w.w_output, w_outcome: w.w_outcome, w_impact: w.w_impact, w_quick_win: w.w_quick_win, updated_by: who?.userId ?? null, updated_at: now, started_from: previous.year }, tx);
        let sort = 0;
        for (const r of from.filter((x) => x.auto_key === null)) {
          await this.repo.insertItem({ id: newId(), region_id: p.regionId, year, dimension: r.dimension, name: r.name, smart_dimension: r.smart_dimension, score: null, note: '', sort: sort++, created_at: now, updated_at: now, auto_key: null, computed_score: null, figures: '[]', computed_at: null, reason: '', changed_by: null }, tx);
        }
        for (const a of auto) await this.insertAuto(p.regionId, year, a, sort++, now, tx);
        await this.activity.record(p.regionId, who, { action: 'evaluation.started', entity: 'evaluation', entityId: String(year), summary: `Evaluasi ${year} dimulai dari evaluasi ${previous.year}${options.quiet ? ' saat pertama dibuka' : ''}; Output dan Outcome diisi dari data platform` }, tx);
      });
    } catch (error) {
      // someone else started it at the same moment: theirs stands
      if (await this.repo.weights(p.regionId, year)) return false;
      throw error;
    }
    return true;
  }

  /** Computes the pre-filled items again (reviewers): a score not changed by hand follows; one changed keeps its value and reason. */
  async prefill(p: Principal, year: number): Promise<Evaluation> {
    await this.collab.requireReviewer(p, 'computing the evaluation from the platform');
    const auto = await this.prefillItems(p, year);
    const existing = await this.repo.items(p.regionId, year);
    const now = this.clock.now();
    const who = await this.activity.actor(p);
    await this.repo.transaction(async (tx) => {
      let sort = existing.length;
      for (const a of auto) {
        const row = existing.find((e) => e.auto_key === a.key);
        if (!row) {
          await this.insertAuto(p.regionId, year, a, sort++, now, tx);
          continue;
        }
        const overridden = !sameScore(row.score === null ? null : Number(row.score), row.computed_score === null ? null : Number(row.computed_score));
        await this.repo.updateItem(p.regionId, row.id, { computed_score: a.score, figures: JSON.stringify(a.figures), computed_at: now, ...(!overridden && { score: a.score, reason: '', changed_by: null }), updated_at: now }, tx);
      }
      await this.activity.record(p.regionId, who, { action: 'evaluation.prefill', entity: 'evaluation', entityId: String(year), summary: `Output dan Outcome ${year} dihitung ulang dari data platform` }, tx);
    });
    return this.compute(p.regionId, year);
  }

  private async prefillItems(p: Principal, year: number): Promise<AutoItem[]> {
    return this.sources ? platformFigures(this.sources, p, year, this.clock.now()) : [];
  }

  private insertAuto(regionId: string, year: number, a: AutoItem, sort: number, now: number, tx: Exec) {
    return this.repo.insertItem({ id: newId(), region_id: regionId, year, dimension: a.dimension, name: a.name, smart_dimension: null, score: a.score, note: '', sort, created_at: now, updated_at: now, auto_key: a.key, computed_score: a.score, figures: JSON.stringify(a.figures), computed_at: now, reason: '', changed_by: null }, tx);
  }
}

