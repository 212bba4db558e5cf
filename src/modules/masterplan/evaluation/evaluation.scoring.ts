/**
 * How the evaluation (monev) is scored: pure functions, no I/O, so a reviewer can
 * check each by hand (evaluation.scoring.test.ts does).
 *
 * The index of a year:
 * - a dimension's score is the mean of its scored items (items without a score are left out);
 * - Baseline is not scored on items: it is computed from the previous evaluations (baselineOf), or
 *   set by hand with a reason; only without either (a first evaluation, no override) is it missing;
 * - Impact also counts the survey: each smart city dimension with answers adds one entry,
 *   the mean of its answers (1–5), to the Impact entries;
 * - a dimension with no entry at all scores 0 (nothing to show is scored as nothing), and the
 *   result says which dimensions had no data (`missing`);
 * - index = Σ weight × score / 100, rounded to 2 decimals.
 * Per smart city dimension the items tagged with that dimension and that dimension's survey mean
 * give the scores the same way; a dimension's index is the weighted mean of the evaluation
 * dimensions it has data for (Σ weight × score / Σ weight of those), on the same 0–5 scale as the
 * overall index; `weightShare` says how much of the weighting that covers (0–100).
 */
import { AppError } from '../../../core/errors.ts';
import { EVALUATION_DIMENSIONS } from '../masterplan.constants.ts';
import type { EvaluationDimension, Weights } from './evaluation.contract.ts';

export const EVAL_DIMENSIONS = EVALUATION_DIMENSIONS;
export type EvalDimension = EvaluationDimension;
export type { Weights };
type Scores = Record<EvalDimension, number | null>;
export const EVAL_DIMENSION_NAMES: Record<EvalDimension, { id: string; en: string }> = {
  baseline: { id: 'Baseline', en: 'Baseline' },
  output: { id: 'Output', en: 'Output' },
  outcome: { id: 'Outcome', en: 'Outcome' },
  impact: { id: 'Impact (Dampak)', en: 'Impact' },
  quickWin: { id: 'Quick Win', en: 'Quick Win' },
};

const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
export const round2 = (x: number) => Math.round(x * 100) / 100;
const clamp5 = (x: number) => Math.min(5, Math.max(0, x));

/** Weights must be five numbers ≥ 0 that sum to 100. */
export function checkWeights(w: Weights): void {
  for (const d of EVAL_DIMENSIONS) {
    const v = w[d];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100) throw new AppError('EVALUATION_WEIGHTS_INVALID', `the weight of ${d} must be a number from 0 to 100`, { reason: { id: `Bobot ${EVAL_DIMENSION_NAMES[d].id} harus angka 0 sampai 100`, en: `The weight of ${EVAL_DIMENSION_NAMES[d].en} must be a number from 0 to 100` } });
  }
  const sum = round2(EVAL_DIMENSIONS.reduce((a, d) => a + w[d], 0));
  if (Math.abs(sum - 100) > 1e-6) {
    throw new AppError('EVALUATION_WEIGHTS_INVALID', `the five weights must sum to 100; they sum to ${sum}`, { reason: { id: `Jumlah kelima bobot harus 100; sekarang ${String(sum).replace('.', ',')}`, en: `The five weights must sum to 100; they sum to ${sum}` } });
  }
}

/** The index from the weights and the five scores (missing scores count 0). */
export function weightedIndex(weights: Weights, scores: Scores): number {
  return round2(EVAL_DIMENSIONS.reduce((a, d) => a + weights[d] * (scores[d] ?? 0), 0) / 100);
}

/** The index of one smart city dimension: the weighted mean, on 0–5, of the evaluation dimensions that have a score, with the share of the weights they carry; null when none has a score. */
export function partialIndex(weights: Weights, scores: Scores): { index: number; weightShare: number } | null {
  const scored = EVAL_DIMENSIONS.filter((d) => scores[d] !== null && weights[d] > 0);
  const share = scored.reduce((a, d) => a + weights[d], 0);
  if (scored.length === 0 || share === 0) return null;
  return { index: round2(scored.reduce((a, d) => a + weights[d] * (scores[d] ?? 0), 0) / share), weightShare: round2(share) };
}

/** The five scores from scored items and the survey means that count for Impact. */
export function dimensionScores(items: { dimension: EvalDimension; score: number | null }[], surveyMeans: number[]): Scores {
  const out: Scores = { baseline: null, output: null, outcome: null, impact: null, quickWin: null };
  for (const d of EVAL_DIMENSIONS) {
    const entries = items.filter((i) => i.dimension === d && i.score !== null).map((i) => i.score ?? 0);
    if (d === 'impact') entries.push(...surveyMeans);
    const m = mean(entries);
    out[d] = m === null ? null : round2(m);
  }
  return out;
}

export interface YearIndex { year: number; index: number }

/**
 * The Baseline of a year, computed from the previous evaluations (issue 16: it is the improvement
 * over the previous evaluation). With P the index of the previous evaluation (the latest earlier
 * year with an index, normally the year before) and Q the index of the evaluation before P:
 *
 *   Baseline = P + (P − Q), kept within 0–5, rounded to 2 decimals;
 *   without Q (P is the first evaluation) Baseline = P; without P there is nothing to compute.
 *
 * So a region starts the year from the level it reached, credited with the improvement it made
 * (a decline is taken off): 2,77 then 3,31 gives 3,31 + 0,54 = 3,85; 3,31 then 3,00 gives 2,69.
 */
export function baselineOf(previous: YearIndex | null, beforePrevious: YearIndex | null): { score: number | null; formula: string } {
  if (!previous) return { score: null, formula: 'no previous evaluation' };
  if (!beforePrevious) return { score: round2(clamp5(previous.index)), formula: `P = ${previous.index} (${previous.year}); no evaluation before it: Baseline = P` };
  const score = round2(clamp5(previous.index + (previous.index - beforePrevious.index)));
  return { score, formula: `P = ${previous.index} (${previous.year}), Q = ${beforePrevious.index} (${beforePrevious.year}): P + (P − Q) = ${score}` };
}

/** The share `part / whole` as a score 0–5 (null without a whole). */
export const shareScore = (part: number, whole: number): number | null => (whole <= 0 ? null : round2(clamp5((5 * part) / whole)));
