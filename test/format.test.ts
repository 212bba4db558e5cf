/** Labels and units from device profiles, as every screen shows them: Bahasa Indonesia and English, decimals, units, fallback to the key. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceProfile } from '../src/modules/devices/profiles.contract.ts';
import { alarmText, formatClock, formatCondition, formatCoordinates, formatDateValue, formatReading, formatValue, indexProfiles, inputNumber, keySpec, numberText, parseInputNumber, todayIn, typeName } from '../web/src/format.ts';

const profile = (type: string, name: [string, string], keys: DeviceProfile['keys']): DeviceProfile => ({
  id: '00000000-0000-4000-8000-000000000001',
  type,
  name: { id: name[0], en: name[1] },
  keys,
  commands: [],
  offlineTimeoutSeconds: null,
  provisionKey: null,
  provisionOpdId: null,
  createdAt: 0,
  updatedAt: 0,
});
const profiles = indexProfiles([
  profile('river_gauge', ['Pos duga air', 'River gauge'], [
    { key: 'waterLevel', label: { id: 'Tinggi muka air', en: 'Water level' }, unit: 'm', decimals: 2, min: 0, max: 15 },
    { key: 'battery', label: { id: 'Baterai', en: 'Battery' }, unit: '%', decimals: 0, min: 0, max: 100 },
  ]),
  profile('aq_monitor', ['Pemantau kualitas udara', 'Air quality monitor'], [{ key: 'pm25', label: { id: 'PM2.5', en: 'PM2.5' }, unit: 'µg/m³', decimals: 1, min: 0, max: 500 }]),
]);

describe('formatting readings from profiles', () => {
  it('labels, decimal comma in Indonesian and point in English, the profile’s decimals and unit', () => {
    assert.equal(formatReading(profiles, 'river_gauge', 'waterLevel', 4.3, 'id'), 'Tinggi muka air 4,30 m');
    assert.equal(formatReading(profiles, 'river_gauge', 'waterLevel', 4.3, 'en'), 'Water level 4.30 m');
    assert.equal(formatReading(profiles, 'river_gauge', 'waterLevel', 4.126, 'id'), 'Tinggi muka air 4,13 m', 'rounded to the profile’s decimals');
    assert.equal(formatReading(profiles, 'river_gauge', 'battery', 87.6, 'en'), 'Battery 88 %');
    assert.equal(formatReading(profiles, 'aq_monitor', 'pm25', 1234.56, 'id'), 'PM2.5 1.234,6 µg/m³', 'the name stays PM2.5, the value in Indonesian: thousands grouped, decimal comma');
    assert.equal(formatReading(profiles, 'aq_monitor', 'pm25', 1234.56, 'en'), 'PM2.5 1,234.6 µg/m³');
  });

  it('falls back to the key (and at most 2 decimals) where no profile names it', () => {
    assert.equal(formatReading(profiles, 'street_light', 'powerW', 41.256, 'id'), 'powerW 41,26');
    assert.equal(formatReading(profiles, 'river_gauge', 'rssi', -71, 'en'), 'rssi -71', 'a key the type’s profile does not have');
    assert.equal(formatReading(profiles, null, 'waterLevel', 3, 'id'), 'Tinggi muka air 3,00 m', 'no type known: the profile that names the key');
    assert.equal(formatValue(undefined, true, 'id'), 'ya');
    assert.equal(formatValue(undefined, 'hidup', 'en'), 'hidup');
    assert.equal(formatValue(undefined, null, 'en'), '—');
    assert.equal(keySpec(profiles, 'river_gauge', 'nope'), undefined);
  });

  it('device type names, the type itself without a profile', () => {
    assert.equal(typeName(profiles, 'river_gauge', 'id'), 'Pos duga air');
    assert.equal(typeName(profiles, 'river_gauge', 'en'), 'River gauge');
    assert.equal(typeName(profiles, 'cctv', 'id'), 'cctv');
  });

  it('conditions and alarms: thresholds keep what was typed, readings the profile’s decimals', () => {
    assert.equal(formatCondition(profiles, 'river_gauge', 'waterLevel', { op: 'gte', value: 3.5 }, 'id'), 'Tinggi muka air ≥ 3,5 m');
    assert.equal(formatCondition(profiles, 'river_gauge', 'waterLevel', { op: 'gt', value: 4 }, 'id', 4.3), 'Tinggi muka air 4,30 m > 4 m');
    assert.equal(formatCondition(profiles, 'river_gauge', 'waterLevel', { op: 'gt', value: 4 }, 'en', 4.3), 'Water level 4.30 m > 4 m');
    assert.equal(formatCondition(profiles, 'river_gauge', 'waterLevel', { op: 'between', min: 1, max: 2.25 }, 'en'), 'Water level between 1 m and 2.25 m');
    assert.equal(formatCondition(profiles, 'river_gauge', 'waterLevel', { op: 'rate_gt', value: 0.5 }, 'id'), 'Tinggi muka air naik lebih cepat dari 0,5 m/menit');
    assert.equal(formatCondition(profiles, 'river_gauge', '*', { op: 'silence', minutes: 30 }, 'en'), 'no data for 30 min (Any data)');
    const alarm = { key: 'waterLevel', lastValue: 4.3, condition: { op: 'gt', value: 4 } };
    assert.equal(alarmText(profiles, 'river_gauge', alarm, 'id'), 'Tinggi muka air 4,30 m > 4 m');
    assert.equal(alarmText(profiles, 'river_gauge', { ...alarm, condition: null }, 'id'), 'Tinggi muka air 4,30 m', 'between hysteresis thresholds: the reading alone');
    assert.equal(alarmText(profiles, 'river_gauge', { key: null, lastValue: null }, 'id'), null, 'an offline alarm: its message');
  });

  it('chart times on a 24-hour clock in WIB, day before month', () => {
    const ms = Date.UTC(2026, 10, 28, 7, 5); // 14:05 WIB
    assert.equal(formatClock(ms, 'id', false), '14.05');
    assert.equal(formatClock(ms, 'en', false), '14:05');
    assert.match(formatClock(ms, 'id', true), /^28 Nov,? 14\.05$/);
    assert.match(formatClock(ms, 'en', true), /^28 Nov,? 14:05$/);
  });
});

describe('coordinates and numbers typed in documents, in the language', () => {
  it('writes a point as Indonesians do (LS/BT, decimal comma) and in English (S/E)', () => {
    assert.equal(formatCoordinates(103.033, -3.217, 'id'), '3,21700° LS · 103,03300° BT');
    assert.equal(formatCoordinates(103.033, -3.217, 'en'), '3.21700° S · 103.03300° E');
    assert.equal(formatCoordinates(-0.5, 1.25, 'en', 2), '1.25° N · 0.50° W');
  });

  it('reads a target typed as 2,9 or 3.000 and writes it in the language; other text stays', () => {
    assert.equal(numberText('2,9', 'en'), '2.9');
    assert.equal(numberText('2,9', 'id'), '2,9');
    assert.equal(numberText('3.000', 'en'), '3,000');
    assert.equal(numberText('100%', 'en'), '100%');
    assert.equal(numberText('tercapai', 'id'), 'tercapai');
  });

  it('shows a number in a text input in the screen\'s language and reads back a comma or a dot', () => {
    assert.equal(inputNumber(1.25, 'id'), '1,25');
    assert.equal(inputNumber(1.25, 'en'), '1.25');
    assert.equal(inputNumber(12500.5, 'id'), '12500,5', 'no grouping: it reads back as typed');
    assert.equal(inputNumber(-0.5, 'id'), '-0,5');
    assert.equal(inputNumber(null, 'id'), '');
    assert.equal(parseInputNumber('1,25'), 1.25);
    assert.equal(parseInputNumber(' 1.25 '), 1.25);
    assert.equal(parseInputNumber('-3'), -3);
    assert.equal(parseInputNumber(''), null);
    assert.ok(Number.isNaN(parseInputNumber('1,2x')));
    assert.ok(Number.isNaN(parseInputNumber('1.000,5')));
  });

  it('writes the value of a date, month or datetime picker in the screen\'s language', () => {
    assert.equal(formatDateValue('2026-12-03', 'id'), '3 Desember 2026');
    assert.equal(formatDateValue('2026-12-03', 'en'), '3 December 2026');
    assert.equal(formatDateValue('2026-03', 'id'), 'Maret 2026');
    assert.match(formatDateValue('2026-12-03T10:05', 'id'), /^3 Desember 2026.*10\.05$/);
    assert.match(formatDateValue('2026-12-03T10:05', 'en'), /^3 December 2026.*10:05$/);
    assert.equal(formatDateValue('', 'id'), '');
    assert.equal(formatDateValue('2026-02-30', 'id'), '');
  });
});

describe("a form's default date", () => {
  it('is the date in WIB: 06:30 WIB on 4 December is still 3 December in UTC', () => {
    const at = Date.UTC(2026, 11, 3, 23, 30);
    assert.equal(todayIn('Asia/Jakarta', at), '2026-12-04');
    assert.equal(todayIn('UTC', at), '2026-12-03');
  });
});
