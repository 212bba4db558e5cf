import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../core/errors.ts';
import { holds, parseCondition } from './rules.conditions.ts';

describe('rule conditions', () => {
  it('compares with thresholds and ranges', () => {
    assert.equal(holds({ op: 'gt', value: 3.5 }, 3.6, 0), true);
    assert.equal(holds({ op: 'gt', value: 3.5 }, 3.5, 0), false);
    assert.equal(holds({ op: 'gte', value: 3.5 }, 3.5, 0), true);
    assert.equal(holds({ op: 'between', min: 1, max: 2 }, 2, 0), true);
    assert.equal(holds({ op: 'outside', min: 1, max: 2 }, 2.1, 0), true);
    assert.equal(holds({ op: 'outside', min: 1, max: 2 }, 1.5, 0), false);
  });

  it('measures the rate of change per minute against the previous reading', () => {
    const rising = { op: 'rate_gt' as const, value: 0.1 };
    assert.equal(holds(rising, 2.0, 60_000, { value: 1.8, ts: 0 }), true);
    assert.equal(holds(rising, 1.85, 60_000, { value: 1.8, ts: 0 }), false);
    assert.equal(holds(rising, 5, 60_000), false, 'no previous reading: no rate');
  });

  it('refuses a threshold that is not a number and an unknown operator', () => {
    assert.throws(() => parseCondition({ op: 'gt', value: 'tinggi' }, 'condition'), (e: unknown) => e instanceof AppError && /condition.value must be a number/.test(e.message));
    assert.throws(() => parseCondition({ op: 'gt', value: null }, 'condition'), AppError);
    assert.throws(() => parseCondition({ op: 'approx', value: 1 }, 'condition'), /op must be one of/);
    assert.throws(() => parseCondition({ op: 'between', min: 5, max: 1 }, 'condition'), /min must not be above max/);
    assert.throws(() => parseCondition({ op: 'silence', minutes: 0 }, 'condition'), AppError);
  });
});
