/**
 * Property-based fuzzing (fast-check, fixed seed, bounded runs and time) of
 * what a stranger can send: the device payload parser, the RKPD importer's
 * row reading, Open311 forms and a sample of every operation of the OpenAPI
 * document. Parsers give a result or a 4xx AppError, never another exception;
 * routes never answer 5xx, always answer in their error format, and answer
 * the same on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { isAppError } from '../src/core/errors.ts';
import { findBadText } from '../src/core/input.ts';
import { parseProgramFile } from '../src/modules/masterplan/programs/index.ts';
import { parseAttributes, parseJsonPayload, parseTelemetry } from '../src/modules/telemetry/telemetry.parse.ts';
import { dialects } from './helpers.ts';
import { HOSTILE, SKIP, percentEncode, requestOf, sameOnAll, slotsOf, startSide, withRows, type Case, type OpenApi, type Side } from './hostile-helpers.ts';

const SEED = 20261128;
const NOW = Date.UTC(2026, 10, 28, 1, 0, 0);

/** A value of the run either way: a result, or an AppError with a 4xx status; anything else fails the property. */
async function resultOr4xx<T>(run: () => T | Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    assert.ok(isAppError(error) && error.status >= 400 && error.status < 500, `not a 4xx AppError: ${(error as Error)?.stack ?? String(error)}`);
    return null;
  }
}

/** fc.assert with its seed and bounds, printing how many runs the time limit left (CI reads the count). */
async function check<T>(name: string, arbitrary: fc.Arbitrary<T>, property: (value: T) => Promise<void>, numRuns: number, timeMs: number): Promise<void> {
  let runs = 0;
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      runs++;
      await property(value);
    }),
    { seed: SEED, numRuns, interruptAfterTimeLimit: timeMs },
  );
  console.log(`# fuzz ${name}: ${runs} runs in ${Date.now() - started} ms (seed ${SEED})`);
}

/** Text from every corner of Unicode (lone surrogates and NUL included), and the hostile values. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(...HOSTILE.map((h) => String(h.value)), '', ' ', '"', ';', ',', '\r\n'),
  // Short text with NUL or a lone surrogate somewhere in it, often: these are what broke PostgreSQL.
  fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom('\u0000', '\ud800', '\udfff'), fc.string({ maxLength: 6 })).map((parts) => parts.join('')),
);
const anyValue = fc.oneof(
  anyText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(...HOSTILE.map((h) => h.value)),
  fc.jsonValue({ maxDepth: 2 }),
);

describe('fuzz: parsers', () => {
  test('device payloads: any bytes give points or a 4xx, and no stored text is unstorable', async () => {
    const telemetryLike = fc.oneof(
      fc.dictionary(anyText, anyValue, { maxKeys: 5 }),
      fc.record({ ts: fc.oneof(fc.integer({ min: NOW - 1e10, max: NOW }), anyValue), values: fc.dictionary(anyText, anyValue, { maxKeys: 5 }) }),
      fc.array(fc.record({ ts: fc.oneof(fc.integer({ min: NOW - 1e10, max: NOW }), anyValue), values: fc.dictionary(anyText, anyValue, { maxKeys: 4 }) }), { maxLength: 4 }),
    );
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      telemetryLike.map((v) => Buffer.from(JSON.stringify(v))),
      // JSON text with escapes a serializer would not write (\u0000, \ud800) and numbers past a double.
      fc.tuple(fc.constantFrom('{"k":"', '{"ts":1e308,"values":{"k":"', '[{"', '{"k":1e999,"s":"'), fc.constantFrom('\\u0000', '\\ud800', 'x', '\\udc00\\ud800'), fc.constantFrom('"}', '"}}', '":1}]', '')).map((parts) => Buffer.from(parts.join(''))),
    );
    await check('device payloads', payload, async (bytes) => {
      const points = await resultOr4xx(() => parseTelemetry(parseJsonPayload(bytes), NOW));
      for (const point of points ?? []) assert.equal(findBadText({ [point.key]: point.value }, 'point'), null, 'a stored point holds unstorable text');
      const attributes = await resultOr4xx(() => parseAttributes(parseJsonPayload(bytes)));
      if (attributes) assert.equal(findBadText(attributes, 'attributes'), null);
    }, 2000, 4000);
  });

  test('RKPD importer: any CSV text gives rows or a 4xx, and no row holds unstorable text', async () => {
    const cell = fc.oneof(anyText, fc.constantFrom('2.16.03', '2.16.03.2.02', '2.16.03.2.02.0014', 'Rp 1.250.000.000,00', '2026', '1e308', '99999999999999999999999', 'Dinas PUPR'));
    const row = fc.array(cell, { minLength: 1, maxLength: 8 });
    const csv = fc.tuple(fc.constantFrom(';', ',', '\t'), fc.boolean(), fc.array(row, { maxLength: 12 })).map(([sep, header, rows]) => {
      const lines = rows.map((cells) => cells.join(sep));
      if (header) lines.unshift(['Kode', 'Program/Kegiatan/Sub Kegiatan', 'Indikator', 'Target', 'Satuan', 'Pagu', 'Perangkat Daerah', 'Tahun'].join(sep));
      return lines.join('\n');
    });
    await check('RKPD rows', fc.oneof(csv, fc.string({ unit: 'binary', maxLength: 400 })), async (text) => {
      const sheet = await resultOr4xx(() => parseProgramFile(Buffer.from(text, 'utf8'), 'rkpd.csv'));
      for (const r of sheet?.rows ?? []) {
        assert.equal(findBadText(r, 'row'), null, 'an imported row holds unstorable text');
        assert.ok(Number.isSafeInteger(r.budget) && r.budget >= 0, `budget ${r.budget}`);
        assert.ok(r.year === null || (r.year >= 2000 && r.year <= 2100));
      }
    }, 600, 4000);
  });
});

const list = await dialects();
const sides: Side[] = [];

describe('fuzz: routes on every dialect', { timeout: 600_000 }, () => { // a deadline against a hang: on a machine busy with other test files the sweep takes minutes
  /** each side's own Open311 app key, by side name */
  const keys = new Map<string, string>();
  before(async () => {
    sides.push(...(await Promise.all(list.map(startSide))));
    // An app key on every side: a fuzzed form gets past it (and the default service "roads") to the filing.
    for (const side of sides) {
      const key = await side.server.api('POST', '/api/v1/open311/keys', { token: side.token, body: { name: 'Aplikasi Warga' } });
      assert.equal(key.status, 201, JSON.stringify(key.body));
      keys.set(side.name, key.body.key);
    }
  });
  after(async () => {
    for (const side of sides) await side.server.close();
  });

  test('Open311 forms: random bodies answer 2xx or 4xx in the Open311 error format, the same on every dialect', async () => {
    const names = ['api_key', 'jurisdiction_id', 'service_code', 'lat', 'long', 'address_string', 'address_id', 'description', 'media_url', 'photo_id', 'email', 'device_id', 'account_id', 'first_name', 'last_name', 'phone', 'attribute[passable]', 'attribute[x][]'];
    const value = (name: string) =>
      fc.oneof(
        anyText,
        fc.double().map(String),
        name === 'api_key' ? fc.constant('KEY') : name === 'service_code' ? fc.constant('roads') : name === 'lat' ? fc.constant('-3.25') : name === 'long' ? fc.constant('102.95') : fc.constant('Jalan berlubang di Jl. Lintas Sumatera'),
      );
    const field = fc.constantFrom(...names).chain((name) => fc.tuple(fc.constant(name), value(name)));
    // Mostly a form that gets past the key and the service (so the fuzzed fields reach the filing), with fields added at random.
    const usual = fc.constant<[string, string][]>([['api_key', 'KEY'], ['service_code', 'roads'], ['lat', '-3.25'], ['long', '102.95'], ['description', 'Jalan berlubang di Jl. Lintas Sumatera'], ['attribute[passable]', 'partly']]);
    const fields = fc.tuple(fc.oneof({ arbitrary: usual, weight: 3 }, { arbitrary: fc.constant<[string, string][]>([]), weight: 1 }), fc.array(fc.oneof(field, fc.tuple(anyText, anyText)), { maxLength: 8 })).map(([a, b]) => [...a, ...b]);
    const form = fc.tuple(fields, fc.constantFrom('form', 'json', 'multipart'), fc.constantFrom('', '.json', '.xml'));
    const build = ([fields, kind, ext]: [[string, string][], string, string]): Case => {
      const url = `/open311/v2/requests${ext}`;
      if (kind === 'json') return { method: 'POST', url, label: 'form', payload: JSON.stringify(Object.fromEntries(fields)), headers: { 'content-type': 'application/json' } };
      if (kind === 'form') return { method: 'POST', url, label: 'form', payload: fields.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&'), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
      const boundary = 'cerdasfuzzboundary';
      const parts = fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k.replace(/["\r\n]/g, '_')}"\r\n\r\n${v}\r\n`);
      return { method: 'POST', url, label: 'form', payload: `${parts.join('')}--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
    };
    // Each side's own key where the form says KEY.
    const withKey = (side: Side, c: Case): Case => ({ ...c, payload: c.payload?.replaceAll('KEY', keys.get(side.name)!) });
    const query = fc.array(fc.tuple(fc.constantFrom('service_request_id', 'service_code', 'start_date', 'end_date', 'status', 'jurisdiction_id', 'lang'), anyText), { maxLength: 4 });
    const filed = new Map<number, number>();
    await check('Open311 forms', fc.tuple(form, query), async ([f, q]) => {
      const status = await sameOnAll(sides, build(f), 'none', withKey);
      filed.set(status, (filed.get(status) ?? 0) + 1);
      const url = `/open311/v2/requests.json?${q.map(([k, v]) => `${k}=${percentEncode(v)}`).join('&')}`;
      await sameOnAll(sides, { method: 'GET', url, label: 'query' }, 'none');
    }, 150, 5000);
    console.log(`# Open311 forms answered ${JSON.stringify(Object.fromEntries(filed))}`);
    assert.ok((filed.get(201) ?? 0) > 0, "some fuzzed forms are filed");
  });

  test('a sample of every operation: valid-shaped and random values, never a 5xx, the same on every dialect', async () => {
    const doc = (await sides[0]!.server.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as OpenApi;
    const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op }))).filter((o) => !SKIP.some((re) => re.test(o.path)));
    const fill = withRows(doc);
    const request = fc.constantFrom(...ops).chain(({ path, method, op }) => {
      const slots = slotsOf(doc, op);
      // Each slot keeps its valid example or gets a random value: most requests are wrong in one or two places.
      const values = slots.map((slot) => fc.option(anyValue, { freq: 3, nil: undefined }).map((value) => ({ slot, value })));
      return fc.tuple(fc.constant({ path, method, op }), fc.tuple(...values), fc.constantFrom<'admin' | 'none'>('admin', 'admin', 'none'));
    });
    await check('operations', request, async ([{ path, method, op }, values, auth]) => {
      const overrides = values.filter((v) => v.value !== undefined);
      const c = requestOf(doc, path, method, op, overrides, overrides.map((o) => `${o.slot.name}=${JSON.stringify(o.value)?.slice(0, 40)}`).join(' '));
      await sameOnAll(sides, c, auth, fill);
    }, 800, 4000);
  });
});

