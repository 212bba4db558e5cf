/**
 * The input rule shared by every route and both databases (no I/O here; app.ts
 * wires it in). PostgreSQL refuses a NUL in `text` and cannot encode a lone
 * surrogate, SQLite stores both: the rule refuses them before either sees them,
 * so both dialects answer the same request the same way. Numbers past what a
 * column holds are refused the same way (PostgreSQL raises, SQLite stores).
 */
import { AppError } from './errors.ts';
import { INT32_MAX, MAX_EPOCH_MS, MAX_NUMBER } from './limits.ts';

export { INT32_MAX, MAX_EPOCH_MS, MAX_NUMBER };

/** NUL, or a surrogate that is not half of a pair (in `u` mode a pair reads as one code point, so only lone halves are Cs). */
const UNSTORABLE = /[\u0000\p{Cs}]/u;

/** Why a text cannot be stored, or null when it can. */
export function textProblem(text: string): string | null {
  const found = UNSTORABLE.exec(text);
  if (!found) return null;
  return found[0] === '\u0000' ? 'contains a NUL character (U+0000)' : 'contains a lone UTF-16 surrogate (not valid Unicode)';
}

/** Deepest nesting of a value: real bodies are far flatter, and deeper ones would overflow the stack of whatever walks them next. */
export const MAX_DEPTH = 64;

/**
 * The first string (value or object key) in `value` that cannot be stored, with
 * its path (`body.attributes.name`), or null. Buffers are raw bytes for a parser
 * of their own (the device API) and are not walked.
 */
export function findBadText(value: unknown, path: string, depth = 0): { field: string; problem: string } | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { field: path, problem } : null;
  }
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return null; // a Buffer is a Uint8Array: no Node types needed (the web app type-checks contracts that read this file)
  if (depth >= MAX_DEPTH) return { field: path, problem: `is nested deeper than ${MAX_DEPTH} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findBadText(value[i], `${path}[${i}]`, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = textProblem(key);
    if (keyProblem) return { field: `${path} (a field name)`, problem: keyProblem };
    const bad = findBadText(item, `${path}.${key}`, depth + 1);
    if (bad) return bad;
  }
  return null;
}

/** Throws VALIDATION_FAILED naming the field when `value` holds text that cannot be stored. */
export function assertStorableText(value: unknown, path: string): void {
  const bad = findBadText(value, path);
  if (bad) throw new AppError('VALIDATION_FAILED', `${bad.field} ${bad.problem}`, { field: bad.field });
}

/** The parts of a parsed request the rule reads: path parameters, query string and body. */
export function assertStorableRequest(request: { params?: unknown; query?: unknown; body?: unknown }): void {
  assertStorableText(request.params, 'params');
  assertStorableText(request.query, 'querystring');
  assertStorableText(request.body, 'body');
}

type Schema = Record<string | symbol, unknown>;
const NUMERIC = new Set(['number', 'integer']);

/**
 * A copy of a request schema in which every number or integer without its own
 * bounds is held to ±MAX_NUMBER: `1e308` or `99999999999999999999999` is a 400
 * at validation, never a value that overflows a bigint column. Fields that go
 * to a 32-bit column or are times declare tighter bounds in their schema.
 */
export function boundNumbers<T>(schema: T, seen = new Map<object, unknown>()): T {
  if (typeof schema !== 'object' || schema === null) return schema;
  const cached = seen.get(schema);
  if (cached) return cached as T;
  if (Array.isArray(schema)) {
    const out: unknown[] = [];
    seen.set(schema, out);
    for (const item of schema) out.push(boundNumbers(item, seen));
    return out as T;
  }
  const source = schema as Schema;
  const out: Schema = {};
  seen.set(schema, out);
  // Symbol keys too: TypeBox marks its schemas with them.
  for (const key of Reflect.ownKeys(source)) {
    const value = source[key];
    // Literal data (defaults, examples, enum values) is not a schema: copy as is.
    out[key] = key === 'default' || key === 'examples' || key === 'enum' || key === 'const' ? value : boundNumbers(value, seen);
  }
  const types = Array.isArray(source.type) ? source.type : [source.type];
  if (types.some((t) => NUMERIC.has(t as string))) {
    if (source.maximum === undefined && source.exclusiveMaximum === undefined) out.maximum = MAX_NUMBER;
    if (source.minimum === undefined && source.exclusiveMinimum === undefined) out.minimum = -MAX_NUMBER;
  }
  return out as T;
}
