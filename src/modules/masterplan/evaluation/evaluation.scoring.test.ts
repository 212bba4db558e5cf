import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../../core/errors.ts';
import { baselineOf, checkWeights, dimensionScores, partialIndex, shareScore, weightedIndex, type Weights } from './evaluation.scoring.ts';

const SLEMAN: Weights = { baseline: 10, output: 20, outcome: 30, impact: 30, quickWin: 10 };

test('weights: five numbers from 0 to 100 that sum to 100', () => {
  assert.doesNotThrow(() => checkWeights(SLEMAN));
  assert.doesNotThrow(() => checkWeights({ baseline: 12.5, output: 12.5, outcome: 25, impact: 25, quickWin: 25 }));
  for (const bad of [{ ...SLEMAN, impact: 20 }, { ...SLEMAN, impact: 40 }, { ...SLEMAN, baseline: -10, output: 40 }, { ...SLEMAN, output: Number.NaN }]) {
    assert.throws(() => checkWeights(bad), (e: unknown) => e instanceof AppError && e.code === 'EVALUATION_WEIGHTS_INVALID');
  }
});

test('index: weighted average on 0–5, a missing dimension counts 0 (Kota Kediri 2022: 3,31)', () => {
  assert.equal(weightedIndex(SLEMAN, { baseline: 3, output: 3.5, outcome: 3.2, impact: 3.3, quickWin: 3.6 }), 3.31);
  assert.equal(weightedIndex(SLEMAN, { baseline: 5, output: 5, outcome: 5, impact: 5, quickWin: 5 }), 5);
  assert.equal(weightedIndex(SLEMAN, { baseline: 4, output: null, outcome: null, impact: null, quickWin: null }), 0.4);
});

test('scores: mean of the scored items; Impact also takes the survey means; unscored items are left out', () => {
  const s = dimensionScores(
    [
      { dimension: 'baseline', score: 2 },
      { dimension: 'baseline', score: 4 },
      { dimension: 'output', score: null },
      { dimension: 'impact', score: 4 },
    ],
    [3, 2],
  );
  assert.deepEqual(s, { baseline: 3, output: null, outcome: null, impact: 3, quickWin: null });
  assert.equal(dimensionScores([], [3.6, 3]).impact, 3.3);
});

test('index per smart city dimension: on the same 0–5 scale as the overall index, over the evaluation dimensions it has data for', () => {
  // Smart Governance with a Baseline item 3,0 and an Output item 3,5 (Sleman weights 10 and 20):
  // (10 × 3 + 20 × 3,5) / 30 = 3,33, a third of the weighting covered; not (10 × 3 + 20 × 3,5) / 100 = 1.
  assert.deepEqual(partialIndex(SLEMAN, { baseline: 3, output: 3.5, outcome: null, impact: null, quickWin: null }), { index: 3.33, weightShare: 30 });
  // Smart Society with only the survey (Impact 3,0): 3, not 0,9
  assert.deepEqual(partialIndex(SLEMAN, { baseline: null, output: null, outcome: null, impact: 3, quickWin: null }), { index: 3, weightShare: 30 });
  // with every evaluation dimension scored it is the overall index
  const all = { baseline: 3, output: 3.5, outcome: 3.2, impact: 3.3, quickWin: 3.6 };
  assert.deepEqual(partialIndex(SLEMAN, all), { index: weightedIndex(SLEMAN, all), weightShare: 100 });
  assert.equal(partialIndex(SLEMAN, { baseline: null, output: null, outcome: null, impact: null, quickWin: null }), null);
  // a scored dimension whose weight is 0 adds nothing
  assert.equal(partialIndex({ ...SLEMAN, quickWin: 0, impact: 40 }, { baseline: null, output: null, outcome: null, impact: null, quickWin: 5 }), null);
});

test('Baseline: the previous index plus its improvement over the one before, within 0–5', () => {
  // Kota Kediri: 2,77 (2021) then 3,31 (2022): 3,31 + 0,54 = 3,85
  assert.equal(baselineOf({ year: 2022, index: 3.31 }, { year: 2021, index: 2.77 }).score, 3.85);
  // a decline is taken off: 3,31 then 3,00 gives 2,69
  assert.equal(baselineOf({ year: 2023, index: 3 }, { year: 2022, index: 3.31 }).score, 2.69);
  // only one evaluation before: its index
  assert.equal(baselineOf({ year: 2021, index: 2.77 }, null).score, 2.77);
  // none: nothing to compute
  assert.equal(baselineOf(null, null).score, null);
  // never above 5 nor below 0
  assert.equal(baselineOf({ year: 2024, index: 4.8 }, { year: 2023, index: 4 }).score, 5);
  assert.equal(baselineOf({ year: 2024, index: 0.5 }, { year: 2023, index: 2 }).score, 0);
});

test('a share as a score 0–5', () => {
  assert.equal(shareScore(3, 4), 3.75);
  assert.equal(shareScore(5, 4), 5);
  assert.equal(shareScore(0, 0), null);
});
