/** Conditions of rules on one key's numeric readings: pure functions, no I/O. */
import { CONDITION_OPS, type Condition } from './rules.contract.ts';
import { idNumber, invalid } from './rules.errors.ts';

export { CONDITION_OPS, type Condition } from './rules.contract.ts';

function finite(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(name, `${name} harus berupa angka`, `${name} must be a number`);
  return v;
}

/** Checks a condition given by a user; the message says which field is wrong. */
export function parseCondition(input: unknown, where: string): Condition {
  if (typeof input !== 'object' || input === null) throw invalid(where, `${where} harus berupa objek dengan "op"`, `${where} must be an object with "op"`);
  const c = input as Record<string, unknown>;
  switch (c.op) {
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
    case 'rate_gt':
    case 'rate_lt':
      return { op: c.op, value: finite(c.value, `${where}.value`) };
    case 'between':
    case 'outside': {
      const min = finite(c.min, `${where}.min`);
      const max = finite(c.max, `${where}.max`);
      if (min > max) throw invalid(where, `${where}: batas bawah tidak boleh di atas batas atas`, `${where}: min must not be above max`);
      return { op: c.op, min, max };
    }
    case 'silence': {
      const minutes = finite(c.minutes, `${where}.minutes`);
      if (minutes <= 0 || minutes > 7 * 24 * 60) throw invalid(`${where}.minutes`, `${where}.minutes harus 1 sampai 10080`, `${where}.minutes must be from 1 to 10080`);
      return { op: 'silence', minutes };
    }
    default:
      throw invalid(`${where}.op`, `${where}.op harus salah satu dari ${CONDITION_OPS.join(', ')}`, `${where}.op must be one of ${CONDITION_OPS.join(', ')}`);
  }
}

/** The side a condition opens on: above a threshold, below one, or neither (a range, silence). */
const RISING = new Set(['gt', 'gte', 'rate_gt']);
const FALLING = new Set(['lt', 'lte', 'rate_lt']);

/**
 * Why a clear condition does not suit its condition, or null: hysteresis clears
 * on the other side of the threshold (above 3,5 m → clears below 3,3 m), so a
 * clear condition on the same side, or past the threshold, never means what was meant.
 */
export function clearProblem(condition: Condition, clear: Condition, where: string): { id: string; en: string } | null {
  if (!('value' in condition) || !('value' in clear)) return null;
  const rate = (op: string) => op.startsWith('rate_');
  if (rate(condition.op) !== rate(clear.op)) {
    return { id: `${where}: syarat turun harus sejenis dengan syaratnya (laju dengan laju, nilai dengan nilai)`, en: `${where}: the clear condition must be of the same kind as the condition (a rate for a rate, a value for a value)` };
  }
  if (RISING.has(condition.op)) {
    if (!FALLING.has(clear.op)) return { id: `${where}: aturan “lebih dari” turun bila nilainya di bawah ambang, bukan di atas`, en: `${where}: a rule “above” a threshold clears below it, not above` };
    if (clear.value > condition.value) return { id: `${where}: ambang turun (${idNumber(clear.value)}) harus di bawah ambang (${idNumber(condition.value)})`, en: `${where}: the clear threshold (${clear.value}) must be below the threshold (${condition.value})` };
  }
  if (FALLING.has(condition.op)) {
    if (!RISING.has(clear.op)) return { id: `${where}: aturan “kurang dari” turun bila nilainya di atas ambang, bukan di bawah`, en: `${where}: a rule “below” a threshold clears above it, not below` };
    if (clear.value < condition.value) return { id: `${where}: ambang turun (${idNumber(clear.value)}) harus di atas ambang (${idNumber(condition.value)})`, en: `${where}: the clear threshold (${clear.value}) must be above the threshold (${condition.value})` };
  }
  return null;
}

/**
 * Whether a reading meets the condition. `previous` is the key's reading
 * before it, for rates; without one a rate cannot be told and is not met.
 */
export function holds(c: Condition, value: number, ts: number, previous?: { value: number; ts: number }): boolean {
  switch (c.op) {
    case 'gt':
      return value > c.value;
    case 'gte':
      return value >= c.value;
    case 'lt':
      return value < c.value;
    case 'lte':
      return value <= c.value;
    case 'between':
      return value >= c.min && value <= c.max;
    case 'outside':
      return value < c.min || value > c.max;
    case 'rate_gt':
    case 'rate_lt': {
      if (!previous || ts <= previous.ts) return false;
      const perMinute = ((value - previous.value) / (ts - previous.ts)) * 60_000;
      return c.op === 'rate_gt' ? perMinute > c.value : perMinute < c.value;
    }
    case 'silence':
      return false;
  }
}

/** Words for the alarm message, e.g. "waterLevel 3.62 > 3.5". */
export function describe(c: Condition, key: string, value: number | null): string {
  const v = value === null ? key : `${key} ${Number(value.toFixed(4))}`;
  switch (c.op) {
    case 'gt':
      return `${v} > ${c.value}`;
    case 'gte':
      return `${v} ≥ ${c.value}`;
    case 'lt':
      return `${v} < ${c.value}`;
    case 'lte':
      return `${v} ≤ ${c.value}`;
    case 'between':
      return `${v} in [${c.min}, ${c.max}]`;
    case 'outside':
      return `${v} outside [${c.min}, ${c.max}]`;
    case 'rate_gt':
      return `${key} rising faster than ${c.value}/min`;
    case 'rate_lt':
      return `${key} changing slower than ${c.value}/min`;
    case 'silence':
      return `no ${key} for ${c.minutes} min`;
  }
}
