/**
 * The shared words of a reading (incident titles, alarm messages, rule
 * conditions): the device profile's label, unit and decimals in each language,
 * the key itself only where no profile names it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alarmMessages, describeCondition, describeReading } from '../src/modules/devices/index.ts';

const GAUGE = { keys: [{ key: 'waterLevel', label: { id: 'Tinggi muka air', en: 'Water level' }, unit: 'm', decimals: 2, min: 0, max: 8 }] };

describe('profile words', () => {
  it('words a reading with the label, unit and decimals in each language', () => {
    assert.equal(describeReading(GAUGE, 'waterLevel', 3.5, 'id'), 'Tinggi muka air 3,50 m');
    assert.equal(describeReading(GAUGE, 'waterLevel', 3.5, 'en'), 'Water level 3.50 m');
  });

  it('keeps the key where the profile does not name it, or there is no profile', () => {
    assert.equal(describeReading(GAUGE, 'battery', 80, 'id'), 'battery 80');
    assert.equal(describeReading(null, 'waterLevel', 4.25, 'en'), 'waterLevel 4.25');
  });

  it('words conditions: thresholds as typed, silence in minutes', () => {
    assert.equal(describeCondition(GAUGE, 'waterLevel', { op: 'gte', value: 3.5 }, 'id'), 'Tinggi muka air ≥ 3,5 m');
    assert.equal(describeCondition(GAUGE, 'waterLevel', { op: 'rate_gt', value: 0.1 }, 'en'), 'Water level rising faster than 0.1 m/min');
    assert.equal(describeCondition(GAUGE, 'waterLevel', { op: 'silence', minutes: 30 }, 'id'), 'tidak ada data selama 30 menit (Tinggi muka air)');
    assert.equal(describeCondition(GAUGE, 'waterLevel', { op: 'gt', value: 4 }, 'en', 4.3), 'Water level 4.30 m > 4 m');
  });

  it('gives an alarm its message in both languages, or null without a structured reading', () => {
    assert.deepEqual(alarmMessages(GAUGE, { key: 'waterLevel', lastValue: 4.3, condition: { op: 'gt', value: 4 } }), { id: 'Tinggi muka air 4,30 m > 4 m', en: 'Water level 4.30 m > 4 m' });
    assert.equal(alarmMessages(GAUGE, { key: null, lastValue: null, condition: null }), null);
  });
});
