import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { dialects, openStream, portAnswers, startServer, startServerOn, type Dialect, type TestServer } from './helpers.ts';
import { until } from './mqtt-helpers.ts';

/**
 * Commands to devices (ThingsBoard's RPC), server-side and client-side, over
 * the embedded broker, HTTP long polls and an external Mosquitto; through a
 * restart; with who may send what.
 */

interface Device {
  id: string;
  accessToken: string;
}

/** A device on MQTT 3.1.1 that takes commands; `answer` decides its reply (undefined: it stays silent). */
async function mqttDevice(port: number, token: string, answer: (method: string, params: unknown) => unknown = () => ({ ok: true })) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: token, reconnectPeriod: 0, connectTimeout: 5000, protocolVersion: 4 });
  const requests: { id: number; method: string; params: unknown }[] = [];
  const responses = new Map<number, unknown>();
  client.on('message', (topic, payload) => {
    const body = JSON.parse(payload.toString());
    const request = /^v1\/devices\/me\/rpc\/request\/(\d+)$/.exec(topic);
    if (request) {
      const id = Number(request[1]);
      requests.push({ id, ...body });
      const reply = answer(body.method, body.params);
      if (reply !== undefined) client.publishAsync(`v1/devices/me/rpc/response/${id}`, JSON.stringify(reply), { qos: 1 }).catch(() => {});
    }
    const response = /^v1\/devices\/me\/rpc\/response\/(\d+)$/.exec(topic);
    if (response) responses.set(Number(response[1]), body);
  });
  await client.subscribeAsync(['v1/devices/me/rpc/request/+', 'v1/devices/me/rpc/response/+'], { qos: 1 });
  return { client, requests, responses };
}

for (const dialect of await dialects()) {
  describe(`commands to devices (RPC) on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    const clients: MqttClient[] = [];
    before(async () => {
      s = await startServer(dialect);
      admin = await s.login();
    });
    after(async () => {
      for (const c of clients) c.end(true);
      await s.close();
    });

    const newDevice = async (body: Record<string, unknown> = {}): Promise<Device> => {
      const res = await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'Pompa 2 Tugumulyo', type: 'pump', ...body } });
      assert.equal(res.status, 201);
      return res.body;
    };
    const device = async (token: string, answer?: (method: string, params: unknown) => unknown) => {
      const d = await mqttDevice(s.mqttPort, token, answer);
      clients.push(d.client);
      return d;
    };
    const rpc = (id: string, body: unknown, token = admin) => s.api('POST', `/api/v1/devices/${id}/rpc`, { token, body });
    const record = async (rpcId: string) => (await s.api('GET', `/api/v1/rpc/${rpcId}`, { token: admin })).body;

    it('sends a two-way command over MQTT and answers with what the device said; the history says who pressed it', async () => {
      const pump = await newDevice();
      const stream = await openStream(s.url, admin);
      stream.send({ type: 'subscribe', id: 'cmd', topic: 'rpc', filter: { deviceIds: [pump.id] } });
      assert.equal((await stream.next((m) => m.id === 'cmd')).type, 'subscribed');
      const d = await device(pump.accessToken, (method, params) => ({ method, echoed: params, running: true }));
      const res = await fetch(`${s.url}/api/v1/devices/${pump.id}/rpc`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ method: 'setPower', params: { on: true } }),
      });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { method: 'setPower', echoed: { on: true }, running: true });
      const rpcId = res.headers.get('x-rpc-id')!;
      assert.match(rpcId, /^[0-9a-f-]{36}$/);
      assert.deepEqual(d.requests, [{ id: 1, method: 'setPower', params: { on: true } }]);

      const saved = await record(rpcId);
      assert.equal(saved.state, 'successful');
      assert.equal(saved.requestId, 1);
      assert.deepEqual(saved.response, { method: 'setPower', echoed: { on: true }, running: true });
      assert.equal(saved.requestedBy.kind, 'user');
      assert.ok(saved.sentAt && saved.deliveredAt && saved.answeredAt, 'sent, delivered and answered times are kept');
      const states: string[] = [];
      while (!states.includes('successful')) states.push((await stream.next((m) => m.type === 'rpc' && m.subscription === 'cmd')).rpc.state);
      assert.deepEqual(states.filter((x) => x !== 'delivered'), ['sent', 'successful'], 'the panel follows sent → (delivered) → answered');
      stream.close();

      const list = (await s.api('GET', `/api/v1/devices/${pump.id}/rpc`, { token: admin })).body;
      assert.equal(list.items[0].id, rpcId);
      const audit = (await s.api('GET', `/api/v1/audit?entity=device&entityId=${pump.id}&action=rpc`, { token: admin })).body;
      assert.equal(audit.items.length, 1, 'one audit entry per command');
      assert.equal(audit.items[0].after.method, 'setPower');
    });

    it('numbers calls per device and keeps the newest first', async () => {
      const pump = await newDevice();
      await device(pump.accessToken);
      for (const method of ['a', 'b', 'c']) assert.equal((await rpc(pump.id, { method })).status, 200);
      const list = (await s.api('GET', `/api/v1/devices/${pump.id}/rpc?limit=2`, { token: admin })).body;
      assert.deepEqual(list.items.map((r: { method: string; requestId: number }) => [r.method, r.requestId]), [['c', 3], ['b', 2]]);
      const rest = (await s.api('GET', `/api/v1/devices/${pump.id}/rpc?limit=2&cursor=${list.nextCursor}`, { token: admin })).body;
      assert.deepEqual(rest.items.map((r: { method: string }) => r.method), ['a']);
    });

    it('sends a one-way command and answers {rpcId, state} at once; delivered makes it successful', async () => {
      const light = await newDevice({ type: 'street_light' });
      const d = await device(light.accessToken, () => undefined);
      const res = await rpc(light.id, { method: 'setDim', params: 40, oneway: true });
      assert.equal(res.status, 200);
      assert.ok(['sent', 'successful'].includes(res.body.state), `sent, or already delivered: ${res.body.state}`);
      const done = await until(() => record(res.body.rpcId), (r) => r.state === 'successful', 'the one-way command to be delivered');
      assert.equal(done.response, null);
      await until(() => d.requests.map((r) => r.params), (p) => p.length === 1, 'the device to get the command');
      assert.deepEqual(d.requests.map((r) => r.params), [40]);
    });

    it('answers 504 RPC_TIMEOUT when the device does not answer, and keeps the call as timed out', async () => {
      const pump = await newDevice();
      await device(pump.accessToken, () => undefined);
      const res = await rpc(pump.id, { method: 'getStatus', timeout: 300 });
      assert.equal(res.status, 504);
      assert.equal(res.body.error.code, 'RPC_TIMEOUT');
      assert.equal((await record(res.body.error.details.rpcId)).state, 'timeout');
    });

    it('refuses a command to an offline device unless persistent (409 DEVICE_OFFLINE), a revoked one, an unknown one', async () => {
      const pump = await newDevice();
      const offline = await rpc(pump.id, { method: 'setPower', params: { on: true } });
      assert.equal(offline.status, 409);
      assert.equal(offline.body.error.code, 'DEVICE_OFFLINE');
      assert.equal((await record(offline.body.error.details.rpcId)).state, 'failed', 'the press is kept in the history');
      assert.equal((await s.api('DELETE', `/api/v1/devices/${pump.id}/token`, { token: admin })).status, 204);
      const revoked = await rpc(pump.id, { method: 'setPower', persistent: true });
      assert.equal(revoked.status, 409);
      assert.equal(revoked.body.error.code, 'DEVICE_REVOKED');
      const unknown = await rpc('00000000-0000-4000-8000-000000000000', { method: 'setPower' });
      assert.equal(unknown.status, 404);
      assert.equal((await rpc(pump.id, { method: '' })).status, 400);
    });

    it('ignores an answer to an unknown id or to another device’s call, and the session stays up', async () => {
      const a = await newDevice();
      const b = await newDevice();
      const da = await device(a.accessToken, () => undefined);
      const db = await device(b.accessToken, () => undefined);
      const pending = rpc(a.id, { method: 'getStatus', timeout: 5000 });
      await until(() => da.requests.length, (n) => n === 1, 'the call to reach device A');
      const id = da.requests[0]!.id;
      // B answers A's id, and an id nobody sent: both ignored, B keeps its connection.
      await db.client.publishAsync(`v1/devices/me/rpc/response/${id}`, JSON.stringify({ forged: true }), { qos: 1 });
      await db.client.publishAsync('v1/devices/me/rpc/response/999999', JSON.stringify({ stray: true }), { qos: 1 });
      await da.client.publishAsync('v1/devices/me/rpc/response/424242', 'not json', { qos: 1 });
      assert.equal(db.client.connected, true);
      await da.client.publishAsync(`v1/devices/me/rpc/response/${id}`, JSON.stringify({ level: 3 }), { qos: 1 });
      const res = await pending;
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { level: 3 });
      const late = await s.api('POST', `/api/v1/${a.accessToken}/rpc/${id}`, { raw: '{"again":true}' });
      assert.equal(late.status, 404, 'an answer to a call already answered is refused over HTTP');
      assert.equal(late.body.error.code, 'RPC_NOT_FOUND');
    });

    it('round-trips a two-way command through the HTTP long poll; an idle poll ends in 408', async () => {
      const gauge = await newDevice({ type: 'river_gauge' });
      const idle = await s.api('GET', `/api/v1/${gauge.accessToken}/rpc?timeout=100`);
      assert.equal(idle.status, 408);
      const poll = s.api('GET', `/api/v1/${gauge.accessToken}/rpc?timeout=5000`);
      await until(() => s.app.services.commands.delivery.polls.has(gauge.id), Boolean, 'the poll to wait');
      const call = rpc(gauge.id, { method: 'calibrate', params: { zero: 0.12 } });
      const taken = await poll;
      assert.equal(taken.status, 200);
      assert.deepEqual(taken.body, { id: 1, method: 'calibrate', params: { zero: 0.12 } });
      assert.equal((await s.api('POST', `/api/v1/${gauge.accessToken}/rpc/1`, { raw: '{"calibrated":true}' })).status, 200);
      const res = await call;
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { calibrated: true });
      assert.equal((await s.api('GET', `/api/v1/not-a-token/rpc?timeout=100`)).status, 401);
      assert.equal((await s.api('GET', `/api/v1/${gauge.accessToken}/rpc?timeout=600000`)).status, 400, 'a poll longer than 60 s is refused');
    });

    it('keeps a device\u2019s answer only up to 64 KiB, and refuses params past it', async () => {
      const pump = await newDevice();
      await device(pump.accessToken, () => ({ log: 'x'.repeat(200_000) }));
      const big = await rpc(pump.id, { method: 'dumpLog', timeout: 5000 });
      assert.equal(big.status, 200, 'the device answered: the call succeeded');
      assert.equal(big.body, null, 'but its 200 KB answer is not kept');
      const list = await s.api('GET', `/api/v1/devices/${pump.id}/rpc`, { token: admin });
      const saved = list.body.items[0];
      assert.equal(saved.state, 'successful');
      assert.equal(saved.response, null);
      assert.match(saved.error, /more than the 65536/);
      assert.ok(JSON.stringify(list.body).length < 10_000, 'the history stays small');

      const refused = await rpc(pump.id, { method: 'setSchedule', params: { table: 'y'.repeat(70_000) } });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, 'VALIDATION_FAILED');
    });

    it('queues a persistent command for an HTTP device and hands it to its next poll', async () => {
      const gauge = await newDevice({ type: 'river_gauge' });
      const res = await rpc(gauge.id, { method: 'reboot', persistent: true, oneway: true });
      assert.equal(res.status, 200);
      assert.equal(res.body.state, 'queued');
      const taken = await s.api('GET', `/api/v1/${gauge.accessToken}/rpc?timeout=1000`);
      assert.deepEqual(taken.body, { id: 1, method: 'reboot', params: {} });
      assert.equal((await record(res.body.rpcId)).state, 'successful');
    });

    it('bounds the persistent commands waiting for one device', async () => {
      const pump = await newDevice();
      for (let i = 0; i < 100; i++) assert.equal((await rpc(pump.id, { method: 'setLevel', params: i, persistent: true, oneway: true })).body.state, 'queued');
      const refused = await rpc(pump.id, { method: 'setLevel', params: 100, persistent: true, oneway: true });
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, 'RATE_LIMITED');
      // All of them go out together when the device connects, in the order they were made.
      const d = await device(pump.accessToken, () => undefined);
      await until(() => d.requests.length, (n) => n === 100, 'the queued commands');
      assert.deepEqual(d.requests.map((r) => r.params), Array.from({ length: 100 }, (_, i) => i));
    });

    it('expires a persistent command its device never came for', async () => {
      const pump = await newDevice();
      const res = await rpc(pump.id, { method: 'setPower', persistent: true, expirationTime: Date.now() + 150 });
      assert.equal(res.body.state, 'queued');
      await new Promise((r) => setTimeout(r, 200));
      await s.app.services.commands.expiry.drain();
      const expired = await record(res.body.rpcId);
      assert.equal(expired.state, 'expired');
      // Connecting later delivers nothing.
      const d = await device(pump.accessToken);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(d.requests, []);
    });

    it('answers getSessionLimits and getCurrentTime over MQTT, an unknown method with an error, and keeps the connection', async () => {
      const pump = await newDevice();
      const d = await device(pump.accessToken);
      await d.client.publishAsync('v1/devices/me/rpc/request/1', JSON.stringify({ method: 'getSessionLimits', params: { timeout: 5000 } }), { qos: 1 });
      await d.client.publishAsync('v1/devices/me/rpc/request/2', JSON.stringify({ method: 'getCurrentTime', params: {} }), { qos: 1 });
      await d.client.publishAsync('v1/devices/me/rpc/request/3', JSON.stringify({ method: 'getWeather', params: {} }), { qos: 1 });
      await d.client.publishAsync('v1/devices/me/rpc/request/4', '{broken', { qos: 1 });
      await until(() => d.responses.size, (n) => n === 4, 'four answers');
      const limits = d.responses.get(1) as { maxPayloadSize: number; maxInflightMessages: number; rateLimits: Record<string, string> };
      assert.equal(limits.maxPayloadSize, s.config.maxPayloadBytes);
      assert.ok(limits.maxInflightMessages > 0);
      assert.deepEqual(Object.keys(limits.rateLimits).sort(), ['messages', 'telemetryDataPoints', 'telemetryMessages']);
      const time = (d.responses.get(2) as { currentTime: number }).currentTime;
      assert.ok(Math.abs(time - Date.now()) < 5000);
      assert.match((d.responses.get(3) as { error: string }).error, /unknown method "getWeather"/);
      assert.ok((d.responses.get(4) as { error: string }).error);
      assert.equal(d.client.connected, true, 'the session stays up (the SDK no longer reconnects every second)');
      await d.client.publishAsync('v1/devices/me/telemetry', JSON.stringify({ running: 1 }), { qos: 1 });
      assert.equal((await s.api('GET', `/api/v1/devices/${pump.id}/latest`, { token: admin })).body.running.value, 1);
    });

    it('answers getSessionLimits and getCurrentTime over HTTP', async () => {
      const pump = await newDevice();
      const limits = await s.api('POST', `/api/v1/${pump.accessToken}/rpc`, { raw: JSON.stringify({ method: 'getSessionLimits', params: {} }) });
      assert.equal(limits.status, 200);
      assert.equal(limits.body.maxPayloadSize, s.config.maxPayloadBytes);
      const time = await s.api('POST', `/api/v1/${pump.accessToken}/rpc`, { raw: JSON.stringify({ method: 'getCurrentTime' }) });
      assert.equal(typeof time.body.currentTime, 'number');
      const unknown = await s.api('POST', `/api/v1/${pump.accessToken}/rpc`, { raw: JSON.stringify({ method: 'nope' }) });
      assert.equal(unknown.status, 200);
      assert.ok(unknown.body.error);
    });

    it('lets admins and the device’s OPD operators send; refuses viewers and other OPDs’ operators', async () => {
      const bpbd = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'BPBD', name: 'Badan Penanggulangan Bencana Daerah' } })).body;
      const pupr = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'PUPR', name: 'Dinas PUPR' } })).body;
      for (const [email, role, opdId] of [['op@pupr.id', 'operator', pupr.id], ['op@bpbd.id', 'operator', bpbd.id], ['pimpinan@musirawas.go.id', 'viewer', undefined]] as const) {
        const created = await s.api('POST', '/api/v1/users', { token: admin, body: { email, name: email, password: 'operator-password', role, ...(opdId && { opdId }) } });
        assert.equal(created.status, 201);
      }
      const pump = await newDevice({ opdId: pupr.id });
      await device(pump.accessToken);
      const own = await rpc(pump.id, { method: 'setPower' }, await s.login('op@pupr.id', 'operator-password'));
      assert.equal(own.status, 200);
      assert.equal((await s.api('GET', `/api/v1/devices/${pump.id}/rpc`, { token: admin })).body.items[0].requestedBy.name, 'op@pupr.id');
      const other = await rpc(pump.id, { method: 'setPower' }, await s.login('op@bpbd.id', 'operator-password'));
      assert.equal(other.status, 403);
      const viewer = await s.login('pimpinan@musirawas.go.id', 'operator-password');
      assert.equal((await rpc(pump.id, { method: 'setPower' }, viewer)).status, 403);
      assert.equal((await s.api('GET', `/api/v1/devices/${pump.id}/rpc`, { token: viewer })).status, 200, 'the history is operational data: every role reads it');
    });

    it('refuses a method the device type’s profile does not allow; a type without a profile takes any', async () => {
      // A small profile source: pumps accept setPower and getStatus; other types have no profile.
      const profiles = new Map([['pump', new Set(['setPower', 'getStatus'])]]);
      s.app.services.commands.send.useAllowedCommands({ allows: async (_regionId, type, method) => profiles.get(type)?.has(method) ?? null });
      try {
        const pump = await newDevice();
        await device(pump.accessToken);
        const refused = await rpc(pump.id, { method: 'selfDestruct' });
        assert.equal(refused.status, 422);
        assert.equal(refused.body.error.code, 'RPC_METHOD_NOT_ALLOWED');
        assert.equal((await rpc(pump.id, { method: 'setPower' })).status, 200);
        const light = await newDevice({ type: 'street_light' });
        await device(light.accessToken);
        assert.equal((await rpc(light.id, { method: 'anything' })).status, 200);
      } finally {
        s.app.services.commands.send.useAllowedCommands({ allows: async () => null });
      }
    });
  });

  describe(`a persistent command through a restart on ${dialect.name}`, () => {
    it('is delivered when the device connects to the restarted platform', async () => {
      const storage = await dialect.storage();
      let s = await startServerOn(storage, {}, {}, true);
      let client: MqttClient | undefined;
      try {
        const admin = await s.login();
        const pump = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'Pompa 2', type: 'pump' } })).body;
        const queued = await s.api('POST', `/api/v1/devices/${pump.id}/rpc`, { token: admin, body: { method: 'setPower', params: { on: true }, persistent: true, timeout: 5000 } });
        assert.equal(queued.status, 200);
        assert.equal(queued.body.state, 'queued');
        await s.close();
        s = await startServerOn(storage, {}, {}, true);
        const d = await mqttDevice(s.mqttPort, pump.accessToken, () => ({ pump: 'on' }));
        client = d.client;
        const token = await s.login();
        const done = await until(async () => (await s.api('GET', `/api/v1/rpc/${queued.body.rpcId}`, { token })).body, (r) => r.state === 'successful', 'the queued command to be answered');
        assert.deepEqual(done.response, { pump: 'on' });
        assert.deepEqual(d.requests, [{ id: 1, method: 'setPower', params: { on: true } }]);
      } finally {
        client?.end(true);
        await s.close();
        await storage.drop();
      }
    });
  });
}

const mosquitto = await portAnswers(1883);
const [sqlite] = (await dialects()) as [Dialect];

describe('commands through an external broker (Mosquitto)', { skip: mosquitto ? false : 'Mosquitto does not answer on 127.0.0.1:1883' }, () => {
  let s: TestServer;
  let admin: string;
  const clients: MqttClient[] = [];
  before(async () => {
    s = await startServer(sqlite, { mqttUrl: 'mqtt://127.0.0.1:1883', mqttPort: null, mqttGroup: `cerdas-rpc-${process.pid}-${Date.now()}` });
    admin = await s.login();
  });
  after(async () => {
    for (const c of clients) c.end(true);
    const clientId = s?.app.services.mqtt?.clientId;
    await s?.close();
    if (clientId) await (await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId, clean: true, reconnectPeriod: 0 })).endAsync();
  });

  /** A device on Mosquitto, where its topics carry its token. */
  const external = async (token: string, answer: (method: string) => unknown, takesCommands = true) => {
    const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { reconnectPeriod: 0, protocolVersion: 4 });
    clients.push(client);
    const requests: { id: number; method: string }[] = [];
    const responses = new Map<number, unknown>();
    client.on('message', (topic, payload) => {
      const body = JSON.parse(payload.toString());
      const request = new RegExp(`^v1/devices/${token}/rpc/request/(\\d+)$`).exec(topic);
      if (request) {
        requests.push({ id: Number(request[1]), method: body.method });
        client.publishAsync(`v1/devices/${token}/rpc/response/${request[1]}`, JSON.stringify(answer(body.method)), { qos: 1 }).catch(() => {});
      }
      const response = new RegExp(`^v1/devices/${token}/rpc/response/(\\d+)$`).exec(topic);
      if (response) responses.set(Number(response[1]), body);
    });
    // A device that only asks does not subscribe to requests (on MQTT 3.1.1 it would get its own back).
    await client.subscribeAsync([...(takesCommands ? [`v1/devices/${token}/rpc/request/+`] : []), `v1/devices/${token}/rpc/response/+`], { qos: 1 });
    return { client, requests, responses };
  };

  it('queues a persistent command until the device is heard from, then delivers it; two-way calls answer', async () => {
    const pump = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'via Mosquitto', type: 'pump' } })).body;
    const offline = await s.api('POST', `/api/v1/devices/${pump.id}/rpc`, { token: admin, body: { method: 'setPower' } });
    assert.equal(offline.status, 409, 'never heard from: not reachable');
    const queued = await s.api('POST', `/api/v1/devices/${pump.id}/rpc`, { token: admin, body: { method: 'setPower', persistent: true } });
    assert.equal(queued.body.state, 'queued');
    const d = await external(pump.accessToken, (method) => ({ did: method }));
    await d.client.publishAsync(`v1/devices/${pump.accessToken}/telemetry`, JSON.stringify({ running: 0 }), { qos: 1 });
    const done = await until(async () => (await s.api('GET', `/api/v1/rpc/${queued.body.rpcId}`, { token: admin })).body, (r) => r.state === 'successful', 'the queued command');
    assert.deepEqual(done.response, { did: 'setPower' });
    const res = await s.api('POST', `/api/v1/devices/${pump.id}/rpc`, { token: admin, body: { method: 'getStatus', timeout: 5000 } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { did: 'getStatus' });
    assert.deepEqual(d.requests.map((r) => r.method), ['setPower', 'getStatus']);
  });

  it('answers a device’s own calls on v1/devices/<token>/rpc/response/$id', async () => {
    const pump = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'asks the time', type: 'pump' } })).body;
    const d = await external(pump.accessToken, () => null, false);
    await d.client.publishAsync(`v1/devices/${pump.accessToken}/rpc/request/7`, JSON.stringify({ method: 'getCurrentTime', params: {} }), { qos: 1 });
    await d.client.publishAsync(`v1/devices/${pump.accessToken}/rpc/request/8`, JSON.stringify({ method: 'getSessionLimits', params: {} }), { qos: 1 });
    await until(() => d.responses.size, (n) => n === 2, 'two answers');
    assert.equal(typeof (d.responses.get(7) as { currentTime: number }).currentTime, 'number');
    assert.equal((d.responses.get(8) as { maxPayloadSize: number }).maxPayloadSize, s.config.maxPayloadBytes);
    const calls = (await s.api('GET', `/api/v1/devices/${pump.id}/rpc`, { token: admin })).body.items;
    assert.deepEqual(calls, [], 'the device’s own calls are not taken for commands, nor the platform’s answers for answers');
  });
});

describe('commands through an external broker to two platform instances (one group)', { skip: mosquitto ? false : 'Mosquitto does not answer on 127.0.0.1:1883' }, () => {
  it('takes neither instance’s own messages for a device’s: commands are answered with what the device said', async () => {
    const storage = await sqlite.storage();
    const mqttGroup = `cerdas-two-${process.pid}-${Date.now()}`;
    // Each instance its own client id (it is derived from the port a deployment listens on).
    const a = await startServerOn(storage, { mqttUrl: 'mqtt://127.0.0.1:1883', mqttPort: null, mqttGroup, port: 18101 }, {}, true);
    const b = await startServerOn(storage, { mqttUrl: 'mqtt://127.0.0.1:1883', mqttPort: null, mqttGroup, port: 18102 }, {}, true);
    const device = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { reconnectPeriod: 0, protocolVersion: 4 });
    try {
      const admin = await a.login();
      const pump = (await a.api('POST', '/api/v1/devices', { token: admin, body: { name: 'two instances', type: 'pump' } })).body;
      const token = pump.accessToken;
      const requests: string[] = [];
      const responses: number[] = [];
      device.on('message', (topic, payload) => {
        const request = new RegExp(`^v1/devices/${token}/rpc/request/(\\d+)$`).exec(topic);
        const method = request && JSON.parse(payload.toString()).method;
        // Its own calls come back to it too (MQTT 3.1.1 has no "no local"): not commands.
        if (request && method !== 'getCurrentTime') {
          requests.push(method);
          device.publishAsync(`v1/devices/${token}/rpc/response/${request[1]}`, JSON.stringify({ did: method }), { qos: 1 }).catch(() => {});
        }
        const response = new RegExp(`^v1/devices/${token}/rpc/response/(\\d+)$`).exec(topic);
        // Its own answers to commands come back too (MQTT 3.1.1 has no "no local"): only the platform's answers count.
        if (response && 'currentTime' in JSON.parse(payload.toString())) responses.push(Number(response[1]));
      });
      await device.subscribeAsync([`v1/devices/${token}/rpc/request/+`, `v1/devices/${token}/rpc/response/+`], { qos: 1 });
      // Two readings: the shared subscription hands one to each instance, so both have heard from the device.
      await device.publishAsync(`v1/devices/${token}/telemetry`, JSON.stringify({ running: 0 }), { qos: 1 });
      await device.publishAsync(`v1/devices/${token}/telemetry`, JSON.stringify({ running: 0 }), { qos: 1 });
      await until(async () => (await a.api('POST', `/api/v1/devices/${pump.id}/rpc`, { token: admin, body: { method: 'ping', oneway: true, persistent: true } })).status, (st) => st === 200, 'a first command');
      await until(() => requests.length, (n) => n >= 1, 'the device to be reachable', 10_000);
      for (const method of ['setPower', 'getStatus', 'setPower', 'getStatus']) {
        const res = await a.api('POST', `/api/v1/devices/${pump.id}/rpc`, { token: admin, body: { method, timeout: 5000 } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(res.body, { did: method }, 'the device’s answer, not the platform’s answer to its own call taken for it');
      }
      // Also the device's own calls: answered once, and no answer of the platform taken for a command's.
      for (const id of [1, 2, 3, 4]) await device.publishAsync(`v1/devices/${token}/rpc/request/${id}`, JSON.stringify({ method: 'getCurrentTime', params: {} }), { qos: 1 });
      await until(() => responses.length, (n) => n >= 4, 'four answers');
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(responses.sort(), [1, 2, 3, 4], 'each of its calls answered once');
      assert.ok(requests.every((m) => ['ping', 'setPower', 'getStatus'].includes(m)), `the device got only commands: ${requests.join(', ')}`);
      assert.equal(requests.filter((m) => m !== 'ping').length, 4, 'each command once');
      const calls = (await a.api('GET', `/api/v1/devices/${pump.id}/rpc`, { token: admin })).body.items as { method: string; state: string; response: unknown }[];
      for (const call of calls.filter((c) => c.method !== 'ping')) assert.deepEqual(call.response, { did: call.method });
    } finally {
      device.end(true);
      for (const s of [a, b]) {
        const clientId = s.app.services.mqtt?.clientId;
        await s.close();
        if (clientId) await (await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId, clean: true, reconnectPeriod: 0 })).endAsync();
      }
      await storage.drop();
    }
  });
});
