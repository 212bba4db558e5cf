import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/core/clock.ts';
import { dialects, openStream, startServer, startServerOn, type TestServer } from './helpers.ts';

const MIN = 60_000;

for (const dialect of await dialects()) {
  describe(`real time on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 1, 0, 0));
    before(async () => {
      s = await startServer(dialect, {}, { clock, ruleTickMs: null, webhookBackoffMs: 20 });
      admin = await s.login();
    });
    after(async () => {
      await s.close();
    });

    const device = async (name: string, extra: Record<string, unknown> = {}) =>
      (await s.api('POST', '/api/v1/devices', { token: admin, body: { name, type: 'water_level', ...extra } })).body as { id: string; accessToken: string };
    const send = async (token: string, payload: unknown) => {
      const res = await s.api('POST', `/api/v1/${token}/telemetry`, { body: payload });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      await s.app.services.engine.idle();
    };
    const rule = async (body: Record<string, unknown>, token = admin) => s.api('POST', '/api/v1/rules', { token, body: { severity: 'siaga', ...body } });
    const alarmsOf = async (deviceId: string, status?: string) =>
      (await s.api('GET', `/api/v1/alarms?deviceId=${deviceId}${status ? `&status=${status}` : ''}`, { token: admin })).body.items as any[];

    it('opens an alarm once the threshold has held for the duration, and shows it live', async () => {
      const gauge = await device('PDA Kelingi');
      const created = await rule({ name: 'Kelingi Siaga', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', condition: { op: 'gt', value: 3.5 }, clearCondition: { op: 'lt', value: 3.3 }, durationSeconds: 600 });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const stream = await openStream(s.url, admin);
      stream.send({ type: 'subscribe', id: 'a', topic: 'alarms' });
      await stream.next((m) => m.type === 'subscribed');
      const t0 = clock.now();
      await send(gauge.accessToken, { ts: t0, values: { waterLevel: 3.6 } });
      await send(gauge.accessToken, { ts: t0 + 5 * MIN, values: { waterLevel: 3.7 } });
      assert.deepEqual(await alarmsOf(gauge.id), [], 'not yet: the level has held 5 of 10 minutes');
      await send(gauge.accessToken, { ts: t0 + 10 * MIN, values: { waterLevel: 3.8 } });
      const live = await stream.next((m) => m.type === 'alarm' && m.alarm.deviceId === gauge.id, 1000);
      assert.equal(live.event, 'opened');
      assert.equal(live.subscription, 'a');
      assert.equal(live.alarm.severity, 'siaga');
      assert.equal(live.alarm.type, 'Kelingi Siaga');
      const [alarm] = await alarmsOf(gauge.id, 'active');
      assert.equal(alarm.lastValue, 3.8);
      assert.equal(alarm.startedAt, t0 + 10 * MIN);

      // A repeat counts on the same alarm; hysteresis keeps it open at 3.4; under 3.3 it clears itself.
      await send(gauge.accessToken, { ts: t0 + 11 * MIN, values: { waterLevel: 3.9 } });
      await send(gauge.accessToken, { ts: t0 + 12 * MIN, values: { waterLevel: 3.4 } });
      const [still] = await alarmsOf(gauge.id);
      assert.equal(still.status, 'active');
      assert.equal(still.count, 2);
      await send(gauge.accessToken, { ts: t0 + 13 * MIN, values: { waterLevel: 3.2 } });
      const cleared = await stream.next((m) => m.type === 'alarm' && m.event === 'cleared', 1000);
      assert.equal(cleared.alarm.clearedBy, null, 'cleared by itself');
      const all = await alarmsOf(gauge.id);
      assert.equal(all.length, 1);
      assert.equal(all[0].status, 'cleared');
      const history = (await s.api('GET', `/api/v1/alarms/${all[0].id}`, { token: admin })).body.history.map((h: { kind: string }) => h.kind);
      assert.deepEqual(history, ['opened', 'cleared']);
      stream.close();
    });

    it('resets the duration when the condition stops holding', async () => {
      const gauge = await device('PDA reset');
      await rule({ name: 'reset', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', condition: { op: 'gt', value: 3.5 }, durationSeconds: 600 });
      const t0 = clock.now();
      await send(gauge.accessToken, { ts: t0, values: { waterLevel: 3.6 } });
      await send(gauge.accessToken, { ts: t0 + 6 * MIN, values: { waterLevel: 3.0 } });
      await send(gauge.accessToken, { ts: t0 + 7 * MIN, values: { waterLevel: 3.6 } });
      await send(gauge.accessToken, { ts: t0 + 12 * MIN, values: { waterLevel: 3.6 } });
      assert.deepEqual(await alarmsOf(gauge.id), [], 'only 5 minutes since it rose again');
      await send(gauge.accessToken, { ts: t0 + 17 * MIN, values: { waterLevel: 3.6 } });
      assert.equal((await alarmsOf(gauge.id)).length, 1);
    });

    it('targets a device type, and watches the rate of change', async () => {
      const a = await device('PDA type A', { type: 'river_gauge_v2' });
      const created = await rule({ name: 'Naik cepat', target: { kind: 'device_type', value: 'river_gauge_v2' }, key: 'waterLevel', condition: { op: 'rate_gt', value: 0.05 }, severity: 'waspada' });
      assert.equal(created.status, 201);
      const t0 = clock.now();
      await send(a.accessToken, { ts: t0, values: { waterLevel: 2.0 } });
      await send(a.accessToken, { ts: t0 + MIN, values: { waterLevel: 2.02 } });
      assert.deepEqual(await alarmsOf(a.id), []);
      await send(a.accessToken, { ts: t0 + 2 * MIN, values: { waterLevel: 2.2 } });
      const [alarm] = await alarmsOf(a.id);
      assert.equal(alarm.severity, 'waspada');
    });

    it('stays silent for a rule on a key the device never sends', async () => {
      const gauge = await device('PDA quiet');
      assert.equal((await rule({ name: 'never', target: { kind: 'device', value: gauge.id }, key: 'noSuchKey', condition: { op: 'gt', value: 0 } })).status, 201);
      await send(gauge.accessToken, { waterLevel: 99 });
      assert.deepEqual(await alarmsOf(gauge.id), []);
    });

    it('refuses a threshold that is not a number, an unknown operator and an unknown device', async () => {
      const gauge = await device('PDA bad rules');
      const notNumber = await rule({ name: 'x', target: { kind: 'device', value: gauge.id }, key: 'k', condition: { op: 'gt', value: 'tinggi' } });
      assert.equal(notNumber.status, 400);
      assert.match(notNumber.body.error.message, /condition.value must be a number/);
      assert.equal((await rule({ name: 'x', target: { kind: 'device', value: gauge.id }, key: 'k', condition: { op: 'about', value: 1 } })).status, 400);
      assert.equal((await rule({ name: 'x', target: { kind: 'device', value: gauge.id }, key: 'k', condition: { op: 'gt', value: 1 }, severity: 'apocalyptic' })).status, 400);
      assert.equal((await rule({ name: 'x', target: { kind: 'device', value: '00000000-0000-4000-8000-000000000000' }, key: 'k', condition: { op: 'gt', value: 1 } })).status, 404);
    });

    it('refuses webhooks that are not http(s) or that aim at private addresses unless an admin allows it', async () => {
      const gauge = await device('PDA hooks');
      const base = { name: 'hook', target: { kind: 'device', value: gauge.id }, key: 'k', condition: { op: 'gt', value: 1 } };
      for (const url of ['ftp://example.org/x', 'http://127.0.0.1:9/x', 'http://localhost/x', 'http://10.1.2.3/x', 'http://169.254.169.254/latest', 'http://[::1]/x', 'not a url']) {
        const res = await rule({ ...base, actions: [{ type: 'webhook', url }] });
        assert.equal(res.status, 400, `${url}: ${JSON.stringify(res.body)}`);
      }
      assert.equal((await rule({ ...base, actions: [{ type: 'webhook', url: 'http://127.0.0.1:9/x', allowPrivateNetwork: true }] })).status, 201);
      assert.equal((await rule({ ...base, actions: [{ type: 'sms' }] })).status, 400);
    });

    it('calls a webhook signed with an HMAC of the body, retrying with backoff until it answers 2xx', async () => {
      const calls: { body: string; signature: string | undefined }[] = [];
      const receiver = http.createServer((req, res) => {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => {
          calls.push({ body, signature: req.headers['x-cerdas-signature'] as string | undefined });
          res.statusCode = calls.length < 3 ? 503 : 200;
          res.end();
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
      try {
        const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/duty-officer`;
        const gauge = await device('PDA webhook');
        const secret = 'rahasia-webhook-bpbd';
        const created = await rule({ name: 'Awas', severity: 'awas', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', condition: { op: 'gte', value: 4 }, actions: [{ type: 'webhook', url, secret, on: ['opened'], allowPrivateNetwork: true }] });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        await send(gauge.accessToken, { waterLevel: 4.2 });
        for (let i = 0; i < 100 && calls.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
        assert.equal(calls.length, 3, 'two failures, then delivered');
        for (const call of calls) {
          assert.equal(call.signature, `sha256=${createHmac('sha256', secret).update(call.body).digest('hex')}`);
        }
        const payload = JSON.parse(calls[2]!.body);
        assert.equal(payload.event, 'alarm.opened');
        assert.equal(payload.alarm.deviceId, gauge.id);
        assert.equal(payload.alarm.severity, 'awas');
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(calls.length, 3, 'no call after a 2xx');
      } finally {
        receiver.close();
      }
    });

    it('never shows a webhook secret, and keeps it when the rule is edited', async () => {
      const gauge = await device('PDA secret');
      const created = await rule({ name: 'rahasia', target: { kind: 'device', value: gauge.id }, key: 'k', condition: { op: 'gt', value: 1 }, actions: [{ type: 'webhook', url: 'https://hooks.example.org/x', secret: 'super-secret-key' }] });
      assert.equal(created.body.actions[0].secret, undefined);
      assert.equal(created.body.actions[0].hasSecret, true);
      const listed = JSON.stringify((await s.api('GET', '/api/v1/rules', { token: admin })).body);
      assert.ok(!listed.includes('super-secret-key'));
      const edited = await s.api('PATCH', `/api/v1/rules/${created.body.id}`, { token: admin, body: { name: 'rahasia 2', actions: created.body.actions } });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.actions[0].hasSecret, true, 'the stored secret was kept');
    });

    it('clears the open alarms of a rule that is deleted', async () => {
      const gauge = await device('PDA rule deleted');
      const created = await rule({ name: 'to delete', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', condition: { op: 'gt', value: 1 } });
      await send(gauge.accessToken, { waterLevel: 2 });
      assert.equal((await alarmsOf(gauge.id, 'active')).length, 1);
      assert.equal((await s.api('DELETE', `/api/v1/rules/${created.body.id}`, { token: admin })).status, 204);
      assert.equal((await alarmsOf(gauge.id, 'active')).length, 0);
    });

    it('after a clear by hand, waits the whole duration again before reopening', async () => {
      const gauge = await device('PDA manual clear');
      await rule({ name: 'manual', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', condition: { op: 'gt', value: 1 }, durationSeconds: 600 });
      const t0 = clock.now();
      await send(gauge.accessToken, { ts: t0, values: { waterLevel: 2 } });
      await send(gauge.accessToken, { ts: t0 + 10 * MIN, values: { waterLevel: 2 } });
      const [alarm] = await alarmsOf(gauge.id, 'active');
      await s.api('POST', `/api/v1/alarms/${alarm.id}/clear`, { token: admin });
      await s.app.services.engine.idle();
      await send(gauge.accessToken, { ts: t0 + 11 * MIN, values: { waterLevel: 2 } });
      assert.equal((await alarmsOf(gauge.id, 'active')).length, 0, 'not at once');
      await send(gauge.accessToken, { ts: t0 + 21 * MIN, values: { waterLevel: 2 } });
      assert.equal((await alarmsOf(gauge.id, 'active')).length, 1);
    });

    it('acknowledges an alarm with who and when, once, and clears it by hand', async () => {
      const gauge = await device('PDA ack');
      await rule({ name: 'ack me', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', condition: { op: 'gt', value: 1 } });
      await send(gauge.accessToken, { waterLevel: 2 });
      const [alarm] = await alarmsOf(gauge.id);
      const me = (await s.api('GET', '/api/v1/auth/me', { token: admin })).body;
      const acked = await s.api('POST', `/api/v1/alarms/${alarm.id}/ack`, { token: admin, body: { note: 'tim menuju lokasi' } });
      assert.equal(acked.status, 200);
      assert.equal(acked.body.acknowledgedBy, me.id);
      assert.equal(acked.body.acknowledgedAt, clock.now());
      assert.equal((await s.api('POST', `/api/v1/alarms/${alarm.id}/ack`, { token: admin })).status, 409);
      const cleared = await s.api('POST', `/api/v1/alarms/${alarm.id}/clear`, { token: admin });
      assert.equal(cleared.body.status, 'cleared');
      assert.equal(cleared.body.clearedBy, me.id);
      assert.equal((await s.api('GET', '/api/v1/alarms?status=active&severity=siaga,awas', { token: admin })).status, 200);
      assert.equal((await s.api('GET', '/api/v1/alarms?severity=huge', { token: admin })).status, 400);
    });

    it('marks a silent device offline with a device_offline alarm, and online again when it reports', async () => {
      const gauge = await device('PDA offline');
      const stream = await openStream(s.url, admin, 'header');
      stream.send({ type: 'subscribe', id: 'd', topic: 'devices', filter: { deviceIds: [gauge.id] } });
      await stream.next((m) => m.type === 'subscribed');
      await send(gauge.accessToken, { waterLevel: 1 });
      assert.equal((await stream.next((m) => m.type === 'device')).device.online, true);
      clock.advance(16 * MIN);
      await s.app.services.engine.tick();
      assert.equal((await stream.next((m) => m.type === 'device')).device.online, false);
      assert.equal((await s.api('GET', `/api/v1/devices/${gauge.id}`, { token: admin })).body.online, false);
      const offline = await alarmsOf(gauge.id, 'active');
      assert.deepEqual(offline.map((a) => a.type), ['device_offline']);
      assert.deepEqual([offline[0].message, offline[0].messageEn], ['Perangkat berhenti mengirim data', 'Device stopped reporting'], 'said in both languages');
      await s.app.services.engine.tick();
      assert.equal((await alarmsOf(gauge.id)).length, 1, 'a second check fires nothing');
      await send(gauge.accessToken, { waterLevel: 1 });
      assert.equal((await stream.next((m) => m.type === 'device')).device.online, true);
      for (let i = 0; i < 50 && (await alarmsOf(gauge.id, 'active')).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(await alarmsOf(gauge.id, 'active'), []);
      stream.close();
    });

    it('raises a silence rule when a key stops arriving, and clears it when it returns', async () => {
      const gauge = await device('PDA silence');
      await rule({ name: 'Data hujan hilang', target: { kind: 'device', value: gauge.id }, key: 'rain', condition: { op: 'silence', minutes: 30 }, severity: 'minor' });
      await send(gauge.accessToken, { rain: 0 });
      clock.advance(20 * MIN);
      await s.app.services.engine.tick();
      assert.equal((await alarmsOf(gauge.id)).filter((a) => a.type === 'Data hujan hilang').length, 0);
      clock.advance(15 * MIN);
      await s.app.services.engine.tick();
      assert.equal((await alarmsOf(gauge.id, 'active')).filter((a) => a.type === 'Data hujan hilang').length, 1);
      await send(gauge.accessToken, { rain: 2 });
      assert.equal((await alarmsOf(gauge.id, 'active')).filter((a) => a.type === 'Data hujan hilang').length, 0);
    });

    describe('stream', () => {
      it('refuses a connection without a valid token', async () => {
        await assert.rejects(openStream(s.url, 'not-a-token'), /401/);
      });

      it('answers a malformed message with an error and keeps the connection', async () => {
        const stream = await openStream(s.url, admin);
        stream.send('{not json');
        assert.equal((await stream.next((m) => m.type === 'error')).code, 'INVALID_JSON');
        stream.send({ type: 'subscribe', id: 's', topic: 'weather' });
        assert.match((await stream.next((m) => m.type === 'error')).message, /topic/);
        stream.send({ type: 'dance' });
        assert.equal((await stream.next((m) => m.type === 'error')).code, 'VALIDATION_FAILED');
        stream.send({ type: 'ping', id: 'p1' });
        assert.deepEqual(await stream.next((m) => m.type === 'pong'), { type: 'pong', id: 'p1' });
        stream.close();
      });

      it('delivers only the keys and devices asked for, and stops after unsubscribe', async () => {
        const a = await device('stream A');
        const b = await device('stream B');
        const stream = await openStream(s.url, admin);
        stream.send({ type: 'subscribe', id: 't', topic: 'telemetry', filter: { deviceIds: [a.id], keys: ['waterLevel'] } });
        await stream.next((m) => m.type === 'subscribed');
        await send(b.accessToken, { waterLevel: 9 });
        await send(a.accessToken, { ts: clock.now(), values: { waterLevel: 1.5, battery: 80 } });
        const m = await stream.next((x) => x.type === 'telemetry');
        assert.deepEqual(m, { type: 'telemetry', subscription: 't', deviceId: a.id, ts: clock.now(), values: { waterLevel: 1.5 } });
        stream.send({ type: 'unsubscribe', id: 't' });
        await stream.next((x) => x.type === 'unsubscribed');
        await send(a.accessToken, { waterLevel: 1.6 });
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(stream.received.filter((x) => x.type === 'telemetry').length, 0);
        stream.close();
      });

      it("keeps an operator to their own OPD's devices", async () => {
        const opdA = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'BPBD-RT', name: 'BPBD' } })).body;
        const opdB = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'DLH-RT', name: 'DLH' } })).body;
        await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'op@bpbd-rt.id', name: 'Op', password: 'operator-password', role: 'operator', opdId: opdA.id } });
        const op = await s.login('op@bpbd-rt.id', 'operator-password');
        const mine = await device('BPBD gauge', { opdId: opdA.id });
        const theirs = await device('DLH monitor', { opdId: opdB.id });
        const stream = await openStream(s.url, op);
        stream.send({ type: 'subscribe', id: 'x', topic: 'telemetry', filter: { deviceIds: [theirs.id] } });
        assert.equal((await stream.next((m) => m.type === 'error')).code, 'FORBIDDEN');
        stream.send({ type: 'subscribe', id: 'y', topic: 'telemetry', filter: { opdId: opdB.id } });
        assert.equal((await stream.next((m) => m.type === 'error')).code, 'FORBIDDEN');
        stream.send({ type: 'subscribe', id: 'all', topic: 'telemetry' });
        await stream.next((m) => m.type === 'subscribed' && m.id === 'all');
        await send(theirs.accessToken, { pm25: 180 });
        await send(mine.accessToken, { waterLevel: 2 });
        const got = await stream.next((m) => m.type === 'telemetry');
        assert.equal(got.deviceId, mine.id);
        await new Promise((r) => setTimeout(r, 100));
        assert.ok(!stream.received.some((m) => m.deviceId === theirs.id));
        stream.close();
      });
    });
  });
}

for (const dialect of await dialects()) {
  describe(`real time across a restart on ${dialect.name}`, () => {
    it('keeps a pending duration, marks a device silent across the restart offline, and fires nothing twice', async () => {
      const storage = await dialect.storage();
      const clock = new ManualClock(Date.UTC(2026, 10, 28, 2, 0, 0));
      const first = await startServerOn(storage, {}, { clock, ruleTickMs: null }, true);
      let second: TestServer | undefined;
      try {
        const admin = await first.login();
        const gauge = (await first.api('POST', '/api/v1/devices', { token: admin, body: { name: 'PDA restart' } })).body;
        const quiet = (await first.api('POST', '/api/v1/devices', { token: admin, body: { name: 'PDA quiet' } })).body;
        await first.api('POST', '/api/v1/rules', { token: admin, body: { name: 'Siaga 10 min', severity: 'siaga', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', condition: { op: 'gt', value: 3.5 }, durationSeconds: 600 } });
        const t0 = clock.now();
        await first.api('POST', `/api/v1/${gauge.accessToken}/telemetry`, { body: { ts: t0, values: { waterLevel: 3.7 } } });
        await first.api('POST', `/api/v1/${quiet.accessToken}/telemetry`, { body: { ts: t0, values: { waterLevel: 1 } } });
        await first.app.services.engine.idle();
        await first.close();

        clock.advance(11 * MIN);
        second = await startServerOn(storage, {}, { clock, ruleTickMs: null }, true);
        const token = await second.login();
        await second.api('POST', `/api/v1/${gauge.accessToken}/telemetry`, { body: { ts: t0 + 10 * MIN, values: { waterLevel: 3.8 } } });
        await second.app.services.engine.idle();
        const alarms = async (id: string) => (await second!.api('GET', `/api/v1/alarms?deviceId=${id}`, { token })).body.items as { type: string }[];
        assert.deepEqual((await alarms(gauge.id)).map((a) => a.type), ['Siaga 10 min'], 'the 10 minutes counted from before the restart');

        clock.advance(5 * MIN);
        await second.app.services.engine.tick();
        assert.equal((await second.api('GET', `/api/v1/devices/${quiet.id}`, { token })).body.online, false);
        assert.deepEqual((await alarms(quiet.id)).map((a) => a.type), ['device_offline']);
        await second.app.services.engine.tick();
        assert.equal((await alarms(quiet.id)).length, 1, 'nothing fires twice');
      } finally {
        await second?.close();
        await storage.drop();
      }
    });
  });
}

describe('a slow stream client', () => {
  it('is disconnected with a reason instead of growing the server’s memory', async () => {
    const [sqlite] = await dialects();
    const s = await startServer(sqlite!, { streamBufferBytes: 64 * 1024 });
    try {
      const admin = await s.login();
      const gauge = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'flood' } })).body;
      const stream = await openStream(s.url, admin);
      stream.send({ type: 'subscribe', id: 'all', topic: 'telemetry' });
      await stream.next((m) => m.type === 'subscribed');
      const closed = new Promise<{ code: number; reason: string }>((resolve) => stream.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
      // Stop reading: the socket's buffers fill and the server must give up on this client.
      (stream.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const start = Date.now() - 3_600_000;
      let result: { code: number; reason: string } | undefined;
      closed.then((r) => (result = r));
      for (let batch = 0; batch < 200 && s.app.services.hub.size > 0; batch++) {
        const points = Array.from({ length: 2000 }, (_, i) => ({ ts: start + batch * 2000 + i, values: { waterLevel: i, note: 'x'.repeat(100) } }));
        await s.api('POST', `/api/v1/${gauge.accessToken}/telemetry`, { body: points });
      }
      assert.equal(s.app.services.hub.size, 0, 'the slow client was dropped');
      (stream.ws as unknown as { _socket: { resume(): void } })._socket.resume();
      const outcome = result ?? (await closed);
      assert.equal(outcome.code, 4008);
      assert.match(outcome.reason, /too slow/);
    } finally {
      await s.close();
    }
  });
});
