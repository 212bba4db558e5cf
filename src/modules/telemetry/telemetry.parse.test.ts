import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../core/errors.ts';
import { fromColumns, parseAttributes, parseJsonPayload, parseTelemetry, toColumns } from './telemetry.parse.ts';

const NOW = Date.UTC(2026, 10, 28, 5, 0, 0);
const refuses = (fn: () => unknown, code: string, message?: RegExp) =>
  assert.throws(fn, (error: unknown) => error instanceof AppError && error.code === code && (message === undefined || message.test(error.message)));

describe('telemetry payloads', () => {
  it('gives server time to plain key/values', () => {
    assert.deepEqual(parseTelemetry({ level: 2.5, ok: true }, NOW), [
      { ts: NOW, key: 'level', value: 2.5 },
      { ts: NOW, key: 'ok', value: true },
    ]);
  });

  it('keeps the device time of the timed form and of each array element', () => {
    const ts = NOW - 5000;
    assert.deepEqual(parseTelemetry([{ ts, values: { a: 1 } }, { b: 'x' }], NOW), [
      { ts, key: 'a', value: 1 },
      { ts: NOW, key: 'b', value: 'x' },
    ]);
  });

  it('keeps JSON objects and arrays as values', () => {
    assert.deepEqual(parseTelemetry({ pos: { lat: -3.2, lon: 103 }, list: [1, 2] }, NOW).map((p) => p.value), [{ lat: -3.2, lon: 103 }, [1, 2]]);
  });

  it('names the bad element of a batch', () => {
    refuses(() => parseTelemetry([{ a: 1 }, { a: 1 }, { ts: NOW, values: { b: null } }], NOW), 'TELEMETRY_INVALID', /element 2/);
  });

  it('refuses a timed form with extra keys, a ts far in the future, or seconds', () => {
    refuses(() => parseTelemetry({ ts: NOW, values: { a: 1 }, extra: 1 }, NOW), 'TELEMETRY_INVALID', /nothing else/);
    refuses(() => parseTelemetry({ ts: NOW + 3 * 86_400_000, values: { a: 1 } }, NOW), 'TELEMETRY_INVALID', /ahead/);
    refuses(() => parseTelemetry({ ts: Math.floor(NOW / 1000), values: { a: 1 } }, NOW), 'TELEMETRY_INVALID', /milliseconds/);
    refuses(() => parseTelemetry({ ts: NOW + 0.5, values: { a: 1 } }, NOW), 'TELEMETRY_INVALID', /whole number/);
  });

  it('refuses a key of 256 characters and takes one of 255', () => {
    refuses(() => parseTelemetry({ ['k'.repeat(256)]: 1 }, NOW), 'TELEMETRY_INVALID', /255/);
    assert.equal(parseTelemetry({ ['k'.repeat(255)]: 1 }, NOW).length, 1);
  });

  it('tells malformed JSON from a bad message', () => {
    refuses(() => parseJsonPayload('{"a":'), 'INVALID_JSON');
    refuses(() => parseJsonPayload('   '), 'INVALID_JSON', /empty/);
    refuses(() => parseTelemetry(parseJsonPayload('"text"'), NOW), 'TELEMETRY_INVALID');
  });

  it('checks attributes the same way', () => {
    assert.deepEqual(parseAttributes({ fw: '1.0' }), { fw: '1.0' });
    refuses(() => parseAttributes({ fw: null }), 'ATTRIBUTES_INVALID');
    refuses(() => parseAttributes([]), 'ATTRIBUTES_INVALID');
    refuses(() => parseAttributes({}), 'ATTRIBUTES_INVALID');
  });

  it('stores each kind of value in its column and reads it back unchanged', () => {
    for (const value of [0, -1.5, 'teks', true, false, { a: [1] }, [1, 'x']]) {
      assert.deepEqual(fromColumns(toColumns(value)), value);
    }
  });
});
