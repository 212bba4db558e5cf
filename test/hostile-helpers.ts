/**
 * Requests built from the served OpenAPI document, for the hostile-input sweep
 * and the fuzz test: a valid-shaped request per operation, then one field at a
 * time replaced by a hostile value.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { startDemo } from '../src/app.ts';
import { ADMIN, startServer, type Dialect, type TestServer } from './helpers.ts';

export type JsonSchema = Record<string, any>;
export interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}
export interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
}
export interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Case {
  method: string;
  url: string;
  /** what was substituted where, for the failure message */
  label: string;
  payload?: string;
  headers?: Record<string, string>;
}
export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** The values every field gets in turn: the findings, and the edges of the columns behind them. */
export const HOSTILE: { name: string; value: string | number }[] = [
  { name: 'NUL', value: 'a\u0000b' },
  { name: 'lone surrogate', value: 'a\ud800b' },
  { name: '1e308', value: 1e308 },
  { name: '-1e308', value: -1e308 },
  { name: '10,000 characters', value: 'x'.repeat(10_000) },
  { name: '99999999999999999999999', value: 99999999999999999999999 },
  { name: '2^31 (past a 32-bit column)', value: 2_147_483_648 },
  { name: 'largest safe integer (past any date)', value: Number.MAX_SAFE_INTEGER },
  { name: 'a fraction (into a bigint column)', value: 1.5 },
];

export const SAMPLE_UUID = '0b5c8a2e-4f1d-4c3a-9e6b-7d2f1a0c9e84';

/**
 * Percent-encoding as a hostile client sends it: a lone surrogate becomes the
 * three bytes a lax encoder writes for it (not UTF-8, which has none), where
 * encodeURIComponent would throw.
 */
export function percentEncode(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else out += encodeURIComponent(ch);
  }
  return out;
}

function resolve(doc: OpenApi, schema: JsonSchema | undefined): JsonSchema | undefined {
  if (schema?.$ref && typeof schema.$ref === 'string') return doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
  return schema;
}

/** A value the schema accepts, as plain as can be (required properties only). */
export function example(doc: OpenApi, raw: JsonSchema | undefined, depth = 0): unknown {
  const schema = resolve(doc, raw);
  if (!schema || depth > 8) return undefined;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) {
    const chosen = alternatives.find((a: JsonSchema) => resolve(doc, a)?.type !== 'null') ?? alternatives[0];
    return example(doc, chosen, depth + 1);
  }
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map((s: JsonSchema) => example(doc, s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : (schema.type ?? (schema.properties ? 'object' : undefined));
  switch (type) {
    case 'string': {
      const byFormat: Record<string, string> = { uuid: SAMPLE_UUID, email: 'warga@musirawas.go.id', 'date-time': '2026-03-01T08:00:00+07:00', date: '2026-03-01', uri: 'https://musirawas.go.id/x', time: '08:00' };
      const text = byFormat[schema.format as string] ?? 'x';
      return text.length >= (schema.minLength ?? 0) ? text : text.padEnd(schema.minLength, 'x');
    }
    case 'integer':
    case 'number':
      if (typeof schema.minimum === 'number') return schema.minimum;
      if (typeof schema.exclusiveMinimum === 'number') return schema.exclusiveMinimum + 1;
      return typeof schema.maximum === 'number' ? Math.min(1, schema.maximum) : 1;
    case 'boolean':
      return true;
    case 'array': {
      const count = Math.max(1, schema.minItems ?? 0);
      return Array.from({ length: count }, () => example(doc, schema.items, depth + 1));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of (schema.required as string[] | undefined) ?? []) out[name] = example(doc, schema.properties?.[name], depth + 1);
      return out;
    }
    default:
      return 'x';
  }
}

/** Where a hostile value can go: each path and query parameter, each body property and each property of an object property. */
export interface Slot {
  where: 'path' | 'query' | 'body';
  name: string;
  /** body: the property path */
  keys?: string[];
  /** the parameter's or the property's schema */
  schema?: JsonSchema | undefined;
}

function bodySlots(doc: OpenApi, raw: JsonSchema | undefined): Slot[] {
  const schema = resolve(doc, raw);
  const slots: Slot[] = [];
  for (const [name, prop] of Object.entries<JsonSchema>(schema?.properties ?? {})) {
    const inner = resolve(doc, prop);
    slots.push({ where: 'body', name, keys: [name], schema: inner });
    for (const [child, sub] of Object.entries<JsonSchema>(inner?.properties ?? {})) slots.push({ where: 'body', name: `${name}.${child}`, keys: [name, child], schema: resolve(doc, sub) });
    const item = resolve(doc, inner?.items);
    for (const [child, sub] of Object.entries<JsonSchema>(item?.properties ?? {})) slots.push({ where: 'body', name: `${name}[0].${child}`, keys: [name, '0', child], schema: resolve(doc, sub) });
  }
  return slots;
}

function setPath(target: any, keys: string[], value: unknown): void {
  let at = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = /^\d+$/.test(keys[keys.indexOf(key) + 1] ?? '') ? [{}] : {};
    at = at[key];
  }
  at[keys[keys.length - 1]!] = value;
}

/** Operations the admin sweep leaves alone: they end its session or change its password, or reach outside servers. */
export const SKIP = [/\/auth\/logout$/, /\/auth\/password$/, /\/channels\/\{kind\}\/test$/, /\/export\.(docx|pdf)$/];

/** A request of `path` with the operation's valid-shaped parameters and body, each override replacing one slot. */
export function requestOf(doc: OpenApi, path: string, method: string, op: Operation, overrides: { slot: Slot; value: unknown }[] = [], label = 'valid'): Case {
  const params = op.parameters ?? [];
  const find = (where: Slot['where'], name: string) => overrides.find((o) => o.slot.where === where && o.slot.name === name);
  let url = path;
  // Path parameters not overridden stay `{name}`: each dialect fills them with one of its own rows (fillPath).
  for (const p of params.filter((x) => x.in === 'path')) {
    const o = find('path', p.name);
    if (o) url = url.replace(`{${p.name}}`, percentEncode(String(o.value)));
  }
  const query: string[] = [];
  for (const p of params.filter((x) => x.in === 'query')) {
    const o = find('query', p.name);
    if (o) query.push(`${p.name}=${percentEncode(String(o.value))}`);
    else if (p.required) query.push(`${p.name}=${percentEncode(String(example(doc, p.schema)))}`);
  }
  if (query.length > 0) url += `?${query.join('&')}`;
  const jsonSchema = op.requestBody?.content['application/json']?.schema;
  if (!jsonSchema) return { method: method.toUpperCase(), url, label };
  const body = example(doc, jsonSchema) ?? {};
  for (const o of overrides) if (o.slot.where === 'body' && o.slot.keys && typeof body === 'object' && body !== null) setPath(body, o.slot.keys, o.value);
  return { method: method.toUpperCase(), url, label, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}

export function slotsOf(doc: OpenApi, op: Operation): Slot[] {
  const params: Slot[] = (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query').map((p) => ({ where: p.in as 'path' | 'query', name: p.name, schema: resolve(doc, p.schema) }));
  return [...params, ...bodySlots(doc, op.requestBody?.content['application/json']?.schema)];
}

/**
 * The hostile values worth sending to a slot. Every text value goes everywhere (NUL and lone
 * surrogates are refused wherever they stand, before validation). Every number goes where a
 * number may be: a path or query parameter declared a number (text there, coerced) and a body
 * field that may hold one. Elsewhere a number is one case, sent once: in a parameter declared a
 * string it is text like any other (the text values test that); a JSON body is validated without
 * coercion, so in a body field declared a string, boolean, object or array it is refused by its type.
 */
export function hostileFor(slot: Slot): typeof HOSTILE {
  const type = slot.schema?.type;
  const plain = typeof type === 'string' && !slot.schema?.anyOf && !slot.schema?.oneOf;
  const noNumber = plain && (slot.where === 'body' ? ['string', 'boolean', 'object', 'array'].includes(type) : type === 'string');
  if (!noNumber) return HOSTILE;
  const firstNumber = HOSTILE.find((h) => typeof h.value === 'number');
  return HOSTILE.filter((h) => typeof h.value === 'string' || h === firstNumber);
}

/** Every operation × every slot × every hostile value that slot can tell apart (hostileFor). */
export function buildCases(doc: OpenApi): Case[] {
  const cases: Case[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (SKIP.some((re) => re.test(path))) continue;
      for (const slot of slotsOf(doc, op)) {
        for (const h of hostileFor(slot)) cases.push(requestOf(doc, path, method, op, [{ slot, value: h.value }], `${slot.where} ${slot.name} = ${h.name}`));
      }
    }
  }
  return cases;
}

/** GET as the admin: status and parsed JSON. */
export type Getter = (url: string) => Promise<{ status: number; body: unknown }>;

/** Which field of a listed row fills a path parameter of this name. */
const ROW_FIELD: Record<string, string[]> = { code: ['code'], ticket: ['ticket', 'service_request_id'], year: ['year'], key: ['key'], kind: ['kind'], token: ['token'] };

/**
 * Fills the `{name}` placeholders of a url with a real row of the dialect (the
 * first item its collection lists), so that a hostile field reaches the code
 * behind the lookup; a parameter without a listed row keeps a valid example.
 */
export async function fillPath(url: string, get: Getter, cache: Map<string, string | null>, fallback: (name: string) => string, avoid: (row: any) => boolean): Promise<string> {
  if (!url.includes('{')) return url;
  const [pathPart, query] = url.split('?') as [string, string | undefined];
  const segments = pathPart.split('/');
  for (let i = 0; i < segments.length; i++) {
    const match = /^\{(\w+)\}$/.exec(segments[i]!);
    if (!match) continue;
    const name = match[1]!;
    const collection = segments.slice(0, i).join('/');
    const cacheKey = `${collection}|${name}`;
    if (!cache.has(cacheKey)) {
      let found: string | null = null;
      const res = await get(collection);
      const body = res.body as any;
      const rows: any[] = res.status === 200 ? (Array.isArray(body) ? body : Array.isArray(body?.items) ? body.items : []) : [];
      for (const row of rows) {
        if (typeof row !== 'object' || row === null || avoid(row)) continue;
        const field = (ROW_FIELD[name] ?? ['id']).find((f) => row[f] !== undefined && row[f] !== null);
        if (field) {
          found = String(row[field]);
          break;
        }
      }
      cache.set(cacheKey, found);
    }
    segments[i] = percentEncode(cache.get(cacheKey) ?? fallback(name));
  }
  return segments.join('/') + (query === undefined ? '' : `?${query}`);
}

/** A valid example of each path parameter, by name, for those no list gives. */
export function pathExamples(doc: OpenApi): (name: string) => string {
  const byName = new Map<string, string>();
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      for (const p of op.parameters ?? []) if (p.in === 'path' && !byName.has(p.name)) byName.set(p.name, String(example(doc, p.schema)));
    }
  }
  return (name) => byName.get(name) ?? SAMPLE_UUID;
}

/** Never a 5xx; an error answer in the format of its API (Open311 has its own list of errors). */
export function checkAnswer(c: Case, answer: Answer, dialect: string): void {
  const what = `${dialect}: ${c.method} ${c.url.slice(0, 200)} [${c.label}] → ${answer.status} ${answer.text.slice(0, 300)}`;
  assert.ok(answer.status < 500, `a 5xx: ${what}`);
  if (answer.status < 400) return;
  if (c.url.startsWith('/open311/')) {
    if (answer.contentType.includes('xml')) {
      assert.match(answer.text, /<errors>\s*<error>\s*<code>\d+<\/code>\s*<description>/, `Open311 XML error format: ${what}`);
      return;
    }
    const list = JSON.parse(answer.text) as { code: unknown; description: unknown }[];
    assert.ok(Array.isArray(list) && typeof list[0]?.code === 'number' && typeof list[0]?.description === 'string', `Open311 error format: ${what}`);
    return;
  }
  let body: any;
  try {
    body = JSON.parse(answer.text);
  } catch {
    assert.fail(`not JSON: ${what}`);
  }
  assert.ok(typeof body?.error?.code === 'string' && typeof body.error.message === 'string', `error format: ${what}`);
}

/** One dialect's server, signed in as the admin, with the rows its paths are filled from. */
export interface Side {
  name: string;
  server: TestServer;
  token: string;
  /** `{param}` of a collection → one of this dialect's rows */
  ids: Map<string, string | null>;
}

/** Rate limits out of the way: the sweeps send thousands of logins and reports from one address. */
const OVERRIDES = { loginRateLimit: 100_000, reportRateLimit: 1_000_000, reportKeyRateLimit: 10_000_000 };

/** A server on the dialect with the demo region loaded (real rows behind the ids of the paths), signed in. */
export async function startSide(dialect: Dialect): Promise<Side> {
  const server = await startServer(dialect, OVERRIDES, { ruleTickMs: null, notificationPollMs: null });
  const simulator = await startDemo(server.app, { masterplanPrograms: true });
  await simulator.stop();
  return { name: dialect.name, server, token: await server.login(), ids: new Map() };
}

export async function call(app: FastifyInstance, c: Case, token: string | null): Promise<Answer> {
  const headers: Record<string, string> = { ...c.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await app.inject({ method: c.method as 'GET', url: c.url, headers, ...(c.payload !== undefined && { payload: c.payload }) });
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), text: res.body };
}

/** Runs one request on every dialect: never 5xx, the error format, and one status for all; the status. */
export async function sameOnAll(sides: Side[], c: Case, auth: 'admin' | 'none', replace?: (side: Side, c: Case) => Case | Promise<Case>): Promise<number> {
  const answers = await Promise.all(sides.map(async (side) => call(side.server.app, replace ? await replace(side, c) : c, auth === 'admin' ? side.token : null)));
  answers.forEach((answer, i) => checkAnswer(c, answer, sides[i]!.name));
  const statuses = answers.map((a) => a.status);
  assert.ok(statuses.every((s) => s === statuses[0]), `${c.method} ${c.url.slice(0, 200)} [${c.label}] answers ${sides.map((s, i) => `${s.name} ${statuses[i]}`).join(', ')}`);
  return statuses[0]!;
}

/** Fills a case's `{param}` placeholders with the side's own rows (the admin's own account left alone: a sweep that disabled it would end its session). */
export function withRows(doc: OpenApi): (side: Side, c: Case) => Promise<Case> {
  const fallback = pathExamples(doc);
  const isTheAdmin = (row: { email?: unknown }) => row.email === ADMIN.email;
  return async (side, c) => {
    const get = async (url: string) => {
      const res = await side.server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${side.token}` } });
      return { status: res.statusCode, body: res.statusCode === 200 ? (JSON.parse(res.body) as unknown) : null };
    };
    return { ...c, url: await fillPath(c.url, get, side.ids, fallback, isTheAdmin) };
  };
}
