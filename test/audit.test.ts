import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/core/clock.ts';
import { changes, describeRoute, maskValue } from '../src/modules/audit/index.ts';
import { dialects, startServer, type TestServer } from './helpers.ts';

/** assert.ok with a message: without one, Node reads the source to make one. */
const ok = (value: unknown, message = 'expected a truthy value') => assert.ok(value, message);
const MINUTE = 60_000;

describe('audit: what an entry may hold', () => {
  it('masks credentials and leaves out citizens’ personal data', () => {
    const masked = maskValue({ name: 'x', accessToken: 'abc', secrets: { botToken: 'y' }, reporter: { name: 'Siti' }, address: 'Jl. A', phone: '0812' }, 'channel');
    assert.deepEqual(masked, { name: 'x', accessToken: '***', secrets: '***' });
    assert.deepEqual(maskValue({ address: 'Jl. Lintas', reporter: { name: 'Siti' } }, 'incident'), { address: 'Jl. Lintas' });
  });
  it('keeps only the changed fields', () => {
    assert.deepEqual(changes({ a: 1, b: 2, updatedAt: 1 }, { a: 1, b: 3, updatedAt: 2 }, 'rule'), { before: { b: 2 }, after: { b: 3 } });
    assert.deepEqual(changes(null, { a: 1 }, 'rule'), { before: null, after: { a: 1 } });
  });
  it('names routes that are not listed by their path, and leaves the device API and reads out', () => {
    assert.equal(describeRoute('GET', '/api/v1/rules'), null);
    assert.equal(describeRoute('POST', '/api/v1/:token/telemetry'), null);
    assert.deepEqual(describeRoute('PUT', '/api/v1/masterplan/kpis/:id/values/:year'), { entity: 'masterplan.kpi', action: 'put', id: ['id', 'year'] });
    assert.deepEqual(describeRoute('POST', '/api/v1/masterplan/programs/:id/approve'), { entity: 'masterplan.program', action: 'approve', id: ['id'] });
  });
});

for (const dialect of await dialects()) {
  describe(`audit log on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    let operator: string;
    let adminId: string;
    let opdId: string;
    const clock = new ManualClock(Date.UTC(2026, 5, 1, 3));
    const api = (method: string, path: string, token: string, body?: unknown) => s.api(method, path, { token, ...(body !== undefined && { body }) });
    const audit = async (query: string) => {
      const res = await api('GET', `/api/v1/audit?${query}`, admin);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as { items: any[]; nextCursor: string | null };
    };

    before(async () => {
      s = await startServer(dialect, {}, { clock, ruleTickMs: null, notificationPollMs: null });
      admin = await s.login();
      adminId = (await api('GET', '/api/v1/auth/me', admin)).body.id;
      const opd = await api('POST', '/api/v1/opds', admin, { code: 'BPBD', name: 'Badan Penanggulangan Bencana Daerah' });
      opdId = opd.body.id;
      const user = await api('POST', '/api/v1/users', admin, { email: 'op@musirawas.go.id', name: 'Operator BPBD', password: 'password-123456', role: 'operator', opdId });
      assert.equal(user.status, 201);
      operator = await s.login('op@musirawas.go.id', 'password-123456');
    });
    after(() => s.close());

    it('records who changed a rule’s threshold, when, and the threshold before and after', async () => {
      const rule = await api('POST', '/api/v1/rules', admin, { name: 'Tinggi muka air Sungai Kelingi', severity: 'siaga', target: { kind: 'device_type', value: 'river_gauge' }, key: 'waterLevel', condition: { op: 'gt', value: 3 } });
      assert.equal(rule.status, 201, JSON.stringify(rule.body));
      clock.advance(MINUTE);
      const changedAt = clock.now();
      const patched = await api('PATCH', `/api/v1/rules/${rule.body.id}`, admin, { condition: { op: 'gt', value: 3.5 } });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));

      const page = await audit(`entity=rule&entityId=${rule.body.id}`);
      assert.deepEqual(page.items.map((e) => e.action), ['update', 'create']);
      const entry = page.items[0];
      assert.equal(entry.userId, adminId);
      ok(entry.userName.length > 0 && entry.userName !== adminId, 'the name, not the id');
      assert.equal(entry.userRole, 'admin');
      assert.equal(entry.at, changedAt);
      assert.equal(entry.entityLabel, 'Tinggi muka air Sungai Kelingi');
      assert.equal(entry.before.condition.value, 3);
      assert.equal(entry.after.condition.value, 3.5);
      assert.equal(entry.route, 'PATCH /api/v1/rules/:id');
      assert.equal('name' in entry.after, false, 'unchanged fields are left out');
    });

    it('records an incident’s status change and an erasure without the reporter’s data', async () => {
      const regionId = (await s.app.services.identity.listRegions())[0]!.id;
      const { incident } = await s.app.services.incidents.fileReport(regionId, {
        categoryCode: 'roads',
        description: 'Gorong-gorong runtuh di Muara Beliti',
        lon: 102.95,
        lat: -3.23,
        address: 'Jl. Lintas Sumatera km 12',
        reporter: { name: 'Siti Aminah', phone: '081234567890', email: 'siti@example.org' },
        photoIds: [],
        mediaUrl: null,
        attributes: { passable: 'partly' },
        apiKeyId: null,
      });
      assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/assign`, admin, { opdId })).status, 200);
      const status = await api('POST', `/api/v1/incidents/${incident.id}/status`, admin, { status: 'in_progress' });
      assert.equal(status.status, 200, JSON.stringify(status.body));
      assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/erase-reporter`, admin)).status, 204);

      const page = await audit(`entity=incident&entityId=${incident.id}`);
      assert.deepEqual(page.items.map((e) => e.action), ['erase-reporter', 'status', 'assign']);
      const change = page.items[1];
      assert.equal(change.before.status, 'assigned');
      assert.equal(change.after.status, 'in_progress');
      assert.equal(page.items[0].entityLabel !== null, true, 'the erasure names the incident');
      assert.doesNotMatch(JSON.stringify(page.items), /Siti|081234567890|siti@example/);
    });

    it('refuses the audit log to an operator', async () => {
      assert.equal((await api('GET', '/api/v1/audit', operator)).status, 403);
      assert.equal((await s.api('GET', '/api/v1/audit')).status, 401);
    });

    it('records a device token regeneration and revocation without the token; ingest is not recorded', async () => {
      const device = await api('POST', '/api/v1/devices', operator, { name: 'AWLR Kelingi' });
      assert.equal(device.status, 201);
      const fresh = await api('POST', `/api/v1/devices/${device.body.id}/token`, operator);
      assert.equal(fresh.status, 200);
      const token = fresh.body.accessToken as string;
      assert.equal((await s.api('POST', `/api/v1/${token}/telemetry`, { body: { waterLevel: 2.1 } })).status, 200);
      assert.equal((await api('DELETE', `/api/v1/devices/${device.body.id}/token`, operator)).status, 204);

      const page = await audit(`entity=device&entityId=${device.body.id}`);
      assert.deepEqual(page.items.map((e) => e.action), ['token.revoke', 'token.regenerate', 'create']);
      const text = JSON.stringify(page.items);
      assert.equal(text.includes(token), false, 'the new token is not in the log');
      assert.equal(text.includes(device.body.accessToken), false, 'nor the first one');
      assert.equal(page.items[1].after.accessToken, '***');
      assert.equal(page.items[1].entityLabel, 'AWLR Kelingi');
      assert.equal(page.items[1].userName, 'Operator BPBD');
      assert.equal((await audit('entity=telemetry')).items.length, 0);
    });

    it('filters by person, action and time, and pages with a cursor', async () => {
      const start = clock.now() + MINUTE;
      for (let i = 0; i < 5; i++) {
        clock.advance(MINUTE);
        assert.equal((await api('POST', '/api/v1/assets', operator, { type: 'river_gauge', name: `Pos ${i}` })).status, 201);
      }
      const mine = await audit(`userId=${(await api('GET', '/api/v1/auth/me', operator)).body.id}&entity=asset`);
      assert.equal(mine.items.length, 5);
      const first = await audit(`entity=asset&action=create&limit=2&from=${start}`);
      assert.deepEqual(first.items.map((e) => e.entityLabel), ['Pos 4', 'Pos 3']);
      ok(first.nextCursor);
      const second = await audit(`entity=asset&action=create&limit=2&from=${start}&cursor=${encodeURIComponent(first.nextCursor!)}`);
      assert.deepEqual(second.items.map((e) => e.entityLabel), ['Pos 2', 'Pos 1']);
      const third = await audit(`entity=asset&action=create&limit=2&from=${start}&cursor=${encodeURIComponent(second.nextCursor!)}`);
      assert.deepEqual(third.items.map((e) => e.entityLabel), ['Pos 0']);
      assert.equal(third.nextCursor, null);
      const window = await audit(`entity=asset&from=${new Date(start + MINUTE).toISOString()}&to=${start + 3 * MINUTE}`);
      assert.deepEqual(window.items.map((e) => e.entityLabel), ['Pos 2', 'Pos 1']);
      assert.equal((await audit('action=nothing-like-this')).items.length, 0);
      assert.equal((await api('GET', '/api/v1/audit?cursor=garbage', admin)).status, 400);
    });

    it('records an alarm acknowledged by a person, and a master plan change', async () => {
      const regionId = (await s.app.services.identity.listRegions())[0]!.id;
      const device = await api('POST', '/api/v1/devices', admin, { name: 'AWLR Beliti' });
      const { alarm } = await s.app.services.alarms.raise({
        regionId, origin: 'test', ruleId: null, device: { id: device.body.id, assetId: null, opdId: null }, type: 'Siaga', severity: 'siaga', key: 'waterLevel', value: 4, message: 'Siaga', at: clock.now(),
      });
      assert.equal((await api('POST', `/api/v1/alarms/${alarm.id}/ack`, admin, { note: 'Tim menuju lokasi' })).status, 200);
      const ack = (await audit(`entity=alarm&entityId=${alarm.id}`)).items[0];
      assert.equal(ack.action, 'ack');
      assert.equal(ack.before.acknowledged, false);
      assert.equal(ack.after.acknowledged, true);

      const plan = await api('PUT', '/api/v1/masterplan/plan', admin, { title: 'Masterplan Smart City Musi Rawas', vision: 'Musi Rawas cerdas', missions: [], policyDirections: [], periodStart: 2026, periodEnd: 2030 });
      ok(plan.status < 300, JSON.stringify(plan.body));
      const page = await audit('entity=masterplan.plan');
      assert.equal(page.items.length, 1);
      assert.equal(page.items[0].action, 'put');
      assert.equal(page.items[0].after.vision, 'Musi Rawas cerdas');
    });
  });
}
