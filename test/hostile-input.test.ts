/**
 * Hostile input answered the same on both dialects: the reported findings,
 * then a sweep of every operation of the served OpenAPI document with hostile
 * values in each parameter and body field. Never a 5xx, always the error
 * format, and SQLite's status equal to PostgreSQL's for the same request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import seedrandom from 'seedrandom';
import { dialects } from './helpers.ts';
import { buildCases, call, sameOnAll, startSide, withRows, type Case, type OpenApi, type Side } from './hostile-helpers.ts';

const list = await dialects();
const sides: Side[] = [];
/** The device token of each side, by side name. */
const deviceTokens = new Map<string, string>();

describe('hostile input: the same answer on every dialect', { timeout: 600_000 }, () => { // a deadline against a hang: on a machine busy with other test files the sweep takes minutes
  before(async () => {
    for (const side of await Promise.all(list.map(startSide))) {
      const device = await side.server.api('POST', '/api/v1/devices', { token: side.token, body: { name: 'Sensor TMA Sungai Kelingi' } });
      assert.equal(device.status, 201, JSON.stringify(device.body));
      deviceTokens.set(side.name, device.body.accessToken);
      sides.push(side);
    }
  });
  after(async () => {
    for (const side of sides) await side.server.close();
  });

  const same = (c: Case, auth: 'admin' | 'none' = 'admin', replace?: (side: Side, c: Case) => Case) => sameOnAll(sides, c, auth, replace);
  const json = (method: string, url: string, body: unknown): Case => ({ method, url, label: 'finding', payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  test('the reported findings: NUL, numbers past a column, a bad percent-encoding', async () => {
    const expect400 = async (c: Case, auth: 'admin' | 'none' = 'admin') => assert.equal(await same(c, auth), 400, `${c.method} ${c.url}`);
    await expect400({ method: 'GET', url: '/open311/v2/requests.json?service_code=%00', label: 'finding' }, 'none');
    await expect400({ method: 'GET', url: '/api/v1/public/tickets/%00', label: 'finding' }, 'none');
    await expect400(json('POST', '/api/v1/auth/login', { email: 'a\u0000b', password: 'x' }), 'none');
    await expect400(json('POST', '/api/v1/auth/login', { email: 'a\ud800b', password: 'x' }), 'none');
    await expect400(json('POST', '/api/v1/masterplan/sessions', { round: 1, date: 1e308, title: 'FGD' }));
    await expect400({ method: 'GET', url: '/api/v1/incidents/sla-summary?to=99999999999999999999999', label: 'finding' });
    await expect400({ method: 'GET', url: '/api/v1/devices/x/telemetry?from=9999-12-31', label: 'finding' });
    await expect400({ method: 'GET', url: '/open311/v2/requests/%E0%A4%A.json', label: 'finding' }, 'none');
    await expect400({ method: 'GET', url: '/api/v1/devices/%E0%A4%A', label: 'finding' });
    // Device telemetry: a string with NUL is a payload the database cannot store, refused whole on both.
    const telemetry = (body: string): Case => ({ method: 'POST', url: '/api/v1/TOKEN/telemetry', label: 'finding', payload: body, headers: { 'content-type': 'application/json' } });
    const withToken = (side: Side, c: Case) => ({ ...c, url: c.url.replace('TOKEN', deviceTokens.get(side.name)!) });
    assert.equal(await same(telemetry('{"status":"a\\u0000b"}'), 'none', withToken), 400);
    assert.equal(await same(telemetry('{"status":"a\\ud800b"}'), 'none', withToken), 400);
    assert.equal(await same(telemetry('{"ts":1e308,"values":{"level":1}}'), 'none', withToken), 400);
    assert.equal(await same(telemetry('{"level":1e308}'), 'none', withToken), 200, 'a finite double is a reading');
    // The field is named in the answer.
    const answer = await call(sides[0]!.server.app, json('POST', '/api/v1/auth/login', { email: 'a\u0000b', password: 'x' }), null);
    assert.match(JSON.parse(answer.text).error.message, /body\.email .*NUL/);
  });

  test('router and HTTP parser errors answer in the error format', async () => {
    for (const side of sides) {
      const long = await fetch(`${side.server.url}/api/v1/public/tickets/${'A'.repeat(2000)}`);
      assert.equal(long.status, 414);
      assert.equal(((await long.json()) as { error: { code: string } }).error.code, 'URI_TOO_LONG');
      const huge = await fetch(`${side.server.url}/api/v1/health`, { headers: { 'x-filler': 'x'.repeat(20_000) } });
      assert.equal(huge.status, 431);
      assert.equal(((await huge.json()) as { error: { code: string } }).error.code, 'HEADERS_TOO_LARGE');
      const bad = await fetch(`${side.server.url}/open311/v2/requests/%E0%A4%A.json`);
      assert.equal(bad.status, 400);
      assert.equal(((await bad.json()) as { code: number }[])[0]!.code, 400);
    }
  });

  test('sweep: every operation of the OpenAPI document, hostile values in each field', async () => {
    const doc = (await sides[0]!.server.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as OpenApi;
    const cases = buildCases(doc);
    const fill = withRows(doc);
    // Without a token: a fixed sample (most answer 400 or 401 at once); the seed makes a failure repeatable.
    const random = seedrandom('cerdas-hostile-sweep');
    const started = Date.now();
    let sent = 0;
    // Every failure at once, not the first: one run shows all that is left to fix.
    const failures = new Set<string>();
    const statuses = new Map<number, number>();
    const attempt = async (c: Case, auth: 'admin' | 'none') => {
      sent++;
      await sameOnAll(sides, c, auth, fill)
        .then((status) => statuses.set(status, (statuses.get(status) ?? 0) + 1))
        .catch((error: Error) => failures.add(error.message.split('\n')[0]!));
    };
    for (const c of cases) {
      await attempt(c, 'admin');
      if (random() < 0.1) await attempt(c, 'none');
    }
    console.log(`# sweep: ${sent} requests per dialect over ${Object.keys(doc.paths).length} paths in ${Date.now() - started} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    assert.deepEqual([...failures], []);
    assert.ok(sent > 500);
  });
});
