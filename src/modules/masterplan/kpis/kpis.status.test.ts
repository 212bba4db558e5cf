import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkMetric, yearOf, yearStart } from './kpis.metrics.ts';
import { achievement, kpiStatus } from './kpis.status.ts';

describe('KPI status', () => {
  it('compares actual with target in the KPI’s direction', () => {
    const v = (target: number | null, actual: number | null, year = 2025) => [{ year, target, actual }];
    assert.equal(kpiStatus('up', v(100, 100)), 'on_track');
    assert.equal(kpiStatus('up', v(100, 120)), 'on_track');
    assert.equal(kpiStatus('up', v(100, 80)), 'at_risk');
    assert.equal(kpiStatus('up', v(100, 79)), 'off_track');
    assert.equal(kpiStatus('down', v(35, 30)), 'on_track', 'less PM2.5 than the target');
    assert.equal(kpiStatus('down', v(35, 40)), 'at_risk');
    assert.equal(kpiStatus('down', v(35, 70)), 'off_track');
    assert.equal(kpiStatus('up', v(100, null)), 'no_data');
    assert.equal(kpiStatus('up', v(null, 50)), 'no_data');
    assert.equal(kpiStatus('up', []), 'no_data');
  });
  it('takes the year asked, else the latest year with target and actual', () => {
    const values = [{ year: 2024, target: 100, actual: 50 }, { year: 2025, target: 100, actual: 100 }, { year: 2026, target: 100, actual: null }];
    assert.equal(kpiStatus('up', values), 'on_track');
    assert.equal(kpiStatus('up', values, 2024), 'off_track');
    assert.equal(kpiStatus('up', values, 2026), 'no_data');
    assert.equal(achievement('down', 0, 0), 1);
    assert.equal(achievement('up', 0, 5), 1);
  });
});

describe('live metric specs', () => {
  it('checks the kind and parameters against the catalogue', () => {
    assert.deepEqual(checkMetric({ kind: 'telemetry_mean', params: { key: 'pm25', days: 7 } }), { kind: 'telemetry_mean', params: { key: 'pm25', days: 7 } });
    assert.throws(() => checkMetric({ kind: 'telemetry_mean', params: {} }), { code: 'METRIC_INVALID' });
    assert.throws(() => checkMetric({ kind: 'telemetry_mean', params: { key: 'pm25', days: -1 } }), { code: 'METRIC_INVALID' });
    assert.throws(() => checkMetric({ kind: 'alarms_count', params: { colour: 'red' } }), { code: 'METRIC_INVALID' });
    assert.throws(() => checkMetric({ kind: 'rainbow' }), { code: 'METRIC_INVALID' });
  });
  it('counts years in Asia/Jakarta time', () => {
    assert.equal(yearOf(Date.UTC(2025, 11, 31, 17, 30)), 2026, '00:30 WIB on 1 January');
    assert.equal(yearStart(2026), Date.UTC(2025, 11, 31, 17, 0));
  });
});
