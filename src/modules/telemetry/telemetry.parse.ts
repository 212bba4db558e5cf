/**
 * The one validation path of the device API: HTTP and MQTT both hand their raw
 * bytes here. A message is accepted whole or refused whole, with a reason.
 */
import { AppError } from '../../core/errors.ts';
import { findBadText, textProblem } from '../../core/input.ts';
import type { TelemetryValue } from '../../core/events.ts';

export const MAX_KEY_LENGTH = 255;
/** Longest string value, in characters. */
export const MAX_STRING_LENGTH = 65_536;
/** The earliest timestamp accepted: 2000-01-01T00:00:00Z, in ms. A smaller number is usually seconds sent by mistake. */
const EARLIEST_TS = Date.UTC(2000, 0, 1);
/** How far ahead of the server's clock a device's clock may run. */
const MAX_FUTURE_MS = 24 * 3600 * 1000;

export interface ParsedPoint {
  /** ms since epoch, UTC */
  ts: number;
  key: string;
  value: TelemetryValue;
}

function invalid(message: string): never {
  throw new AppError('TELEMETRY_INVALID', message);
}

/** JSON text or bytes to a value; malformed JSON is INVALID_JSON. */
export function parseJsonPayload(raw: Buffer | string): unknown {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    // Told apart only once parsing failed: trimming every payload first would copy each one.
    if (text.trim() === '') throw new AppError('INVALID_JSON', 'the payload is empty; send a JSON object');
    throw new AppError('INVALID_JSON', `the payload is not valid JSON: ${(error as Error).message}`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKey(key: string, where: string): void {
  if (key.length === 0) invalid(`${where}: a key is empty`);
  if (key.length > MAX_KEY_LENGTH) invalid(`${where}: key "${key.slice(0, 40)}…" is longer than ${MAX_KEY_LENGTH} characters`);
  const problem = textProblem(key);
  if (problem) invalid(`${where}: a key ${problem}`);
}

function checkValue(key: string, value: unknown, where: string): TelemetryValue {
  switch (typeof value) {
    case 'number':
      // JSON.parse turns 1e400 into Infinity; it is not a reading.
      if (!Number.isFinite(value)) invalid(`${where}: value of "${key}" is not a finite number`);
      return value;
    case 'boolean':
      return value;
    case 'string': {
      if (value.length > MAX_STRING_LENGTH) invalid(`${where}: value of "${key}" is longer than ${MAX_STRING_LENGTH} characters`);
      const problem = textProblem(value);
      if (problem) invalid(`${where}: value of "${key}" ${problem}`);
      return value;
    }
    case 'object': {
      if (value === null) invalid(`${where}: value of "${key}" is null; leave the key out instead`);
      // The platform's input rule (core/input.ts): PostgreSQL cannot store a NUL or a lone surrogate, so
      // the message is refused whole on both databases rather than stored on one and failing on the other.
      const bad = findBadText(value, `value of "${key}"`);
      if (bad) invalid(`${where}: ${bad.field} ${bad.problem}`);
      return value as TelemetryValue;
    }
    default:
      return invalid(`${where}: value of "${key}" must be a number, string, boolean or JSON`);
  }
}

function checkTs(ts: unknown, where: string, now: number): number {
  if (typeof ts !== 'number' || !Number.isInteger(ts)) invalid(`${where}: "ts" must be a whole number of milliseconds since 1970-01-01 UTC`);
  if (ts < EARLIEST_TS) invalid(`${where}: "ts" ${ts} is before the year 2000: send milliseconds, not seconds`);
  if (ts > now + MAX_FUTURE_MS) invalid(`${where}: "ts" ${ts} is more than a day ahead of the server's clock`);
  return ts;
}

function pointsOfObject(obj: Record<string, unknown>, where: string, now: number, out: ParsedPoint[]): void {
  let ts = now;
  let values: Record<string, unknown> = obj;
  if ('ts' in obj || 'values' in obj) {
    if (!('ts' in obj) || !('values' in obj) || Object.keys(obj).length !== 2) {
      invalid(`${where}: a timed message is {"ts":<ms>,"values":{…}} with nothing else`);
    }
    ts = checkTs(obj.ts, where, now);
    if (!isPlainObject(obj.values)) invalid(`${where}: "values" must be an object of key/value pairs`);
    values = obj.values;
  }
  const keys = Object.keys(values);
  if (keys.length === 0) invalid(`${where}: no values`);
  for (const key of keys) {
    checkKey(key, where);
    out.push({ ts, key, value: checkValue(key, values[key], where) });
  }
}

/** `{"k":v}`, `{"ts":…,"values":{…}}`, or an array of either: every point, or an error naming the first bad one. */
export function parseTelemetry(payload: unknown, now: number): ParsedPoint[] {
  const out: ParsedPoint[] = [];
  if (Array.isArray(payload)) {
    if (payload.length === 0) invalid('the array is empty');
    payload.forEach((item, i) => {
      if (!isPlainObject(item)) invalid(`element ${i}: must be an object`);
      pointsOfObject(item, `element ${i}`, now, out);
    });
  } else if (isPlainObject(payload)) {
    pointsOfObject(payload, 'payload', now, out);
  } else {
    invalid('the payload must be a JSON object or an array of objects');
  }
  return out;
}

/** `{"key":value,…}` of client attributes. */
export function parseAttributes(payload: unknown): Record<string, unknown> {
  if (!isPlainObject(payload)) throw new AppError('ATTRIBUTES_INVALID', 'attributes must be a JSON object of key/value pairs');
  const keys = Object.keys(payload);
  if (keys.length === 0) throw new AppError('ATTRIBUTES_INVALID', 'no attributes in the payload');
  for (const key of keys) {
    try {
      checkKey(key, 'attributes');
      checkValue(key, payload[key], 'attributes');
    } catch (error) {
      throw new AppError('ATTRIBUTES_INVALID', (error as Error).message);
    }
  }
  return payload;
}

/** A value in the columns it is stored in. */
export function toColumns(value: TelemetryValue): { num: number | null; str: string | null; bool: number | null; json: string | null } {
  if (typeof value === 'number') return { num: value, str: null, bool: null, json: null };
  if (typeof value === 'string') return { num: null, str: value, bool: null, json: null };
  if (typeof value === 'boolean') return { num: null, str: null, bool: value ? 1 : 0, json: null };
  return { num: null, str: null, bool: null, json: JSON.stringify(value) };
}

export function fromColumns(row: { num: number | null; str: string | null; bool: number | null; json: string | null }): TelemetryValue | null {
  if (row.num !== null) return row.num;
  if (row.str !== null) return row.str;
  if (row.bool !== null) return row.bool === 1;
  if (row.json !== null) return JSON.parse(row.json) as TelemetryValue;
  return null;
}
