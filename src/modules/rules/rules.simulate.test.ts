import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clearProblem } from './rules.conditions.ts';
import { parseLevels } from './rules.levels.ts';
import { simulateLevels, simulateSilence } from './rules.simulate.ts';

const MIN = 60_000;
const river = parseLevels([
  { severity: 'waspada', condition: { op: 'gte', value: 3.5 }, clearCondition: { op: 'lt', value: 3.3 } },
  { severity: 'siaga', condition: { op: 'gte', value: 4 } },
]);
const series = (values: number[], step = 10 * MIN) => values.map((value, i) => ({ ts: i * step, value }));

describe('a rule played over past readings', () => {
  it('opens, rises, holds through the hysteresis and clears as the engine does', () => {
    const alarms = simulateLevels(river, 0, series([3, 3.6, 4.2, 3.4, 3.2, 3.6]), 100 * MIN);
    assert.deepEqual(alarms, [
      { openedAt: 10 * MIN, severity: 'waspada', highestSeverity: 'siaga', value: 3.6, clearedAt: 40 * MIN },
      { openedAt: 50 * MIN, severity: 'waspada', highestSeverity: 'waspada', value: 3.6, clearedAt: null },
    ]);
  });

  it('with a duration, opens on the reading that has held long enough, or when the timer finds it held with no reading since', () => {
    assert.deepEqual(simulateLevels(river, 15 * MIN, series([3.6, 3.0]), 60 * MIN), [], 'held less than 15 minutes');
    const heldUntilTimer = simulateLevels(river, 15 * MIN, series([3.6, 3.6, 3.0]), 60 * MIN);
    assert.deepEqual(heldUntilTimer.map((a) => [a.openedAt, a.clearedAt]), [[15 * MIN, 20 * MIN]], 'no reading said otherwise at 15 minutes: the timer opened it');
    const onReading = simulateLevels(river, 15 * MIN, series([3.6, 3.6, 3.7, 3.8], 5 * MIN), 60 * MIN);
    assert.deepEqual(onReading.map((a) => [a.openedAt, a.value]), [[15 * MIN, 3.8]], 'the reading at 15 minutes opened it');
    const byTimer = simulateLevels(river, 15 * MIN, series([3.6, 4.1], 60 * MIN), 200 * MIN);
    assert.deepEqual(byTimer.map((a) => [a.openedAt, a.severity, a.highestSeverity]), [[15 * MIN, 'waspada', 'siaga']], 'opened at 15 min by the timer, then rose');
    assert.deepEqual(simulateLevels(river, 15 * MIN, series([3.6]), 10 * MIN), [], 'the window ends before it has held long enough');
  });

  it('needs two readings for a rate and ignores a reading older than the last', () => {
    const rising = parseLevels([{ severity: 'siaga', condition: { op: 'rate_gt', value: 0.05 } }]);
    assert.deepEqual(simulateLevels(rising, 0, series([3, 4, 4.1]), 60 * MIN).map((a) => [a.openedAt, a.clearedAt]), [[10 * MIN, 20 * MIN]]);
    assert.equal(simulateLevels(river, 0, [{ ts: 10, value: 3 }, { ts: 5, value: 9 }], 100).length, 0);
  });

  it('counts gaps in the data for a silence', () => {
    const alarms = simulateSilence('major', 30, [0, 10 * MIN, 60 * MIN, 70 * MIN], 120 * MIN);
    assert.deepEqual(alarms.map((a) => [a.openedAt, a.clearedAt]), [[40 * MIN, 60 * MIN], [100 * MIN, null]]);
  });

  it('tells a clear condition on the wrong side of its threshold', () => {
    const above = { op: 'gte' as const, value: 3.5 };
    assert.equal(clearProblem(above, { op: 'lt', value: 3.3 }, 'x'), null);
    assert.match(clearProblem(above, { op: 'gt', value: 3 }, 'x')!.en, /clears below it/);
    assert.match(clearProblem(above, { op: 'lt', value: 3.6 }, 'x')!.id, /ambang turun \(3,6\) harus di bawah ambang \(3,5\)/);
    assert.match(clearProblem({ op: 'rate_gt', value: 0.1 }, { op: 'lt', value: 3 }, 'x')!.en, /same kind/);
    assert.equal(clearProblem({ op: 'lte', value: 20 }, { op: 'gt', value: 25 }, 'x'), null);
  });
});
