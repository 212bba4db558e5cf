import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../core/errors.ts';
import { monthStarts, parseInterval, parseTime, zoneOffsetMs } from './telemetry.query.ts';

describe('telemetry query parameters', () => {
  it('reads intervals with their units', () => {
    assert.deepEqual(parseInterval('15m'), { kind: 'fixed', ms: 900_000, label: '15m' });
    assert.deepEqual(parseInterval('1d'), { kind: 'fixed', ms: 86_400_000, label: '1d' });
    assert.deepEqual(parseInterval('1mo'), { kind: 'month', months: 1, label: '1mo' });
    for (const bad of ['0h', '1y', 'h', '-1m', '1.5h']) assert.throws(() => parseInterval(bad), AppError, bad);
  });

  it('knows the offsets of the three Indonesian zones', () => {
    const at = Date.UTC(2026, 6, 1);
    assert.equal(zoneOffsetMs('Asia/Jakarta', at), 7 * 3_600_000);
    assert.equal(zoneOffsetMs('Asia/Makassar', at), 8 * 3_600_000);
    assert.equal(zoneOffsetMs('Asia/Jayapura', at), 9 * 3_600_000);
  });

  it('reads ms, ISO 8601 with a zone, and a bare date in the region’s zone', () => {
    assert.equal(parseTime('1764300000000', 'from', 'Asia/Jakarta'), 1764300000000);
    assert.equal(parseTime('2026-11-28T07:00:00+07:00', 'from', 'Asia/Jakarta'), Date.UTC(2026, 10, 28, 0, 0, 0));
    assert.equal(parseTime('2026-11-28', 'from', 'Asia/Jakarta'), Date.UTC(2026, 10, 27, 17, 0, 0));
    assert.throws(() => parseTime('28/11/2026', 'from', 'Asia/Jakarta'), /ISO 8601/);
  });

  it('lists the starts of calendar months at local midnight', () => {
    const from = Date.parse('2026-01-15T00:00:00+07:00');
    const to = Date.parse('2026-03-10T00:00:00+07:00');
    assert.deepEqual(monthStarts(from, to, 1, 'Asia/Jakarta'), [
      Date.parse('2026-01-01T00:00:00+07:00'),
      Date.parse('2026-02-01T00:00:00+07:00'),
      Date.parse('2026-03-01T00:00:00+07:00'),
      Date.parse('2026-04-01T00:00:00+07:00'),
    ]);
    assert.equal(monthStarts(Date.parse('2026-11-05T00:00:00+07:00'), Date.parse('2027-02-01T00:00:00+07:00'), 3, 'Asia/Jakarta')[1], Date.parse('2027-02-01T00:00:00+07:00'));
  });
});
