import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../core/errors.ts';
import { checkWeights, dimensionScores, weightedIndex, type Weights } from './evaluation.service.ts';

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
