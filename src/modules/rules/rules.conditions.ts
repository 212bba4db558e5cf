/** Conditions of rules on one key's numeric readings: pure functions, no I/O. */
import { AppError } from '../../core/errors.ts';
import { CONDITION_OPS, type Condition } from './rules.contract.ts';

export { CONDITION_OPS, type Condition } from './rules.contract.ts';

function finite(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AppError('VALIDATION_FAILED', `${name} must be a number`);
  return v;
}

/** Checks a condition given by a user; the message says which field is wrong. */
export function parseCondition(input: unknown, where: string): Condition {
  if (typeof input !== 'object' || input === null) throw new AppError('VALIDATION_FAILED', `${where} must be an object with "op"`);
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
      if (min > max) throw new AppError('VALIDATION_FAILED', `${where}: min must not be above max`);
      return { op: c.op, min, max };
    }
    case 'silence': {
      const minutes = finite(c.minutes, `${where}.minutes`);
      if (minutes <= 0 || minutes > 7 * 24 * 60) throw new AppError('VALIDATION_FAILED', `${where}.minutes must be from 1 to 10080`);
      return { op: 'silence', minutes };
    }
    default:
      throw new AppError('VALIDATION_FAILED', `${where}.op must be one of ${CONDITION_OPS.join(', ')}`);
  }
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
