/**
 * Hostile input answered the same on both dialects: the reported findings,
 * then a sweep of every operation of the served OpenAPI document with hostile
 * values in each parameter and body field. Never a 5xx, always the error
 * format, and SQLite's status equal to PostgreSQL's for the same request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import seedrandom from 'seedrandom';
import { startDemo } from '../src/app.ts';
import { ADMIN, dialects, startServer, type TestServer } from './helpers.ts';
import { buildCases, checkAnswer, fillPath, pathExamples, type Answer, type Case, type OpenApi } from './hostile-helpers.ts';

/** Rate limits out of the way: the sweep sends thousands of logins and reports from one address. */
const OVERRIDES = { loginRateLimit: 100_000, reportRateLimit: 1_000_000, reportKeyRateLimit: 10_000_000 };

interface Side {
  name: string;
  server: TestServer;
  token: string;
  deviceToken: string;
  /** `{param}` of a collection → one of this dialect's rows */
  ids: Map<string, string | null>;
}

async function call(app: FastifyInstance, c: Case, token: string | null): Promise<Answer> {
  const headers: Record<string, string> = { ...c.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await app.inject({ method: c.method as 'GET', url: c.url, headers, ...(c.payload !== undefined && { payload: c.payload }) });
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), text: res.body };
}

const list = await dialects();
const sides: Side[] = [];

describe('hostile input: the same answer on every dialect', { timeout: 120_000 }, () => {
  before(async () => {
    for (const dialect of list) {
      const server = await startServer(dialect, OVERRIDES, { ruleTickMs: null, notificationPollMs: null });
      // The demo region: real rows behind the ids of the paths, so hostile fields get past the lookups.
      const simulator = await startDemo(server.app, { masterplanPrograms: true });
      await simulator.stop();
      const token = await server.login();
      const device = await server.api('POST', '/api/v1/devices', { token, body: { name: 'Sensor TMA Sungai Kelingi' } });
      assert.equal(device.status, 201, JSON.stringify(device.body));
      sides.push({ name: dialect.name, server, token, deviceToken: device.body.accessToken, ids: new Map() });
    }
  });
  after(async () => {
    for (const side of sides) await side.server.close();
  });

  /** Runs one request on every dialect: never 5xx, the error format, and one status for all. */
  async function same(c: Case, auth: 'admin' | 'none' = 'admin', replace?: (side: Side, c: Case) => Case | Promise<Case>): Promise<number> {
    const answers = await Promise.all(sides.map(async (side) => call(side.server.app, replace ? await replace(side, c) : c, auth === 'admin' ? side.token : null)));
    answers.forEach((answer, i) => checkAnswer(c, answer, sides[i]!.name));
    const statuses = answers.map((a) => a.status);
    assert.ok(statuses.every((s) => s === statuses[0]), `${c.method} ${c.url.slice(0, 200)} [${c.label}] answers ${sides.map((s, i) => `${s.name} ${statuses[i]}`).join(', ')}`);
    return statuses[0]!;
  }
  const json = (method: string, url: string, body: unknown): Case => ({ method, url, label: 'finding', payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  test('the reported findings: NUL, numbers past a column, a bad percent-encoding', async () => {
    const expect400 = async (c: Case, auth: 'admin' | 'none' = 'admin') => assert.equal(await same(c, auth), 400, `${c.method} ${c.url}`);
    await expect400({ method: 'GET', url: '/open311/v2/requests.json?service_code=%00', label: 'finding' }, 'none');
    await expect400({ method: 'GET', url: '/api/v1/public/tickets/%00', label: 'finding' }, 'none');
    await expect400(json('POST', '/api/v1/auth/login', { email: 'a\u0000b', password: 'x' }), 'none');
    await expect400(json('POST', '/api/v1/auth/login', { email: 'a\ud800b', password: 'x' }), 'none');
    await expect400(json('POST', '/api/v1/masterplan/sessions', { round: 1, date: 1e308, title: 'FGD' }));
    await expect400({ method: 'GET', url: '/api/v1/incidents/sla-summary?to=99999999999999999999999', label: 'finding' });
    await expect400({ method: 'GET', url: '/open311/v2/requests/%E0%A4%A.json', label: 'finding' }, 'none');
    await expect400({ method: 'GET', url: '/api/v1/devices/%E0%A4%A', label: 'finding' });
    // Device telemetry: a string with NUL is a payload the database cannot store, refused whole on both.
    const telemetry = (body: string): Case => ({ method: 'POST', url: '/api/v1/TOKEN/telemetry', label: 'finding', payload: body, headers: { 'content-type': 'application/json' } });
    const withToken = (side: Side, c: Case) => ({ ...c, url: c.url.replace('TOKEN', side.deviceToken) });
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
    const fallback = pathExamples(doc);
    // The admin's own account is left alone: a sweep that renamed or disabled it would end its own session.
    const notTheAdmin = (row: { email?: unknown }) => row.email === ADMIN.email;
    const withRows = async (side: Side, c: Case): Promise<Case> => {
      const get = async (url: string) => {
        const res = await side.server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${side.token}` } });
        return { status: res.statusCode, body: res.statusCode === 200 ? (JSON.parse(res.body) as unknown) : null };
      };
      return { ...c, url: await fillPath(c.url, get, side.ids, fallback, notTheAdmin) };
    };
    // A fixed sample keeps the sweep within its time; the seed makes a failure repeatable.
    const random = seedrandom('cerdas-hostile-sweep');
    const started = Date.now();
    let sent = 0;
    // Every failure at once, not the first: one run shows all that is left to fix.
    const failures = new Set<string>();
    const statuses = new Map<number, number>();
    const attempt = async (c: Case, auth: 'admin' | 'none') => {
      sent++;
      await same(c, auth, withRows)
        .then((status) => statuses.set(status, (statuses.get(status) ?? 0) + 1))
        .catch((error: Error) => failures.add(error.message.split('\n')[0]!));
    };
    for (const c of cases) {
      await attempt(c, 'admin');
      // Without a token: a sample (most answer 400 or 401 at once).
      if (random() < 0.25) await attempt(c, 'none');
    }
    console.log(`# sweep: ${sent} requests per dialect over ${Object.keys(doc.paths).length} paths in ${Date.now() - started} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    assert.deepEqual([...failures], []);
    assert.ok(sent > 500);
  });
});
