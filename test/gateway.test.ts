import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import type { MqttClient } from 'mqtt';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { closed, connectDevice as connectAs } from './mqtt-helpers.ts';

/** The next message on `topic` that satisfies `match`. */
function nextOn(client: MqttClient, topic: string, match: (payload: any) => boolean = () => true, ms = 5000): Promise<any> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('message', onMessage);
      reject(new Error(`no message on ${topic}`));
    }, ms);
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic) return;
      const body = JSON.parse(payload.toString());
      if (!match(body)) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(body);
    };
    client.on('message', onMessage);
  });
}

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  let value = await read();
  for (let i = 0; i < 100 && !ok(value); i++) {
    await new Promise((r) => setTimeout(r, 20));
    value = await read();
  }
  assert.ok(ok(value), `${what}: ${JSON.stringify(value)}`);
  return value;
}

const METERS = ['Meter PDAM 1', 'Meter PDAM 2', 'Meter PDAM 3'];

for (const dialect of await dialects()) {
  describe(`gateway API on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    let opdId: string;
    let gateway: { id: string; accessToken: string; opdId: string | null; isGateway: boolean };
    let gw: MqttClient;
    const clients: MqttClient[] = [];
    const ts = Date.now() - 60_000;
    /** Why the platform refused messages (its log). */
    const refusals: string[] = [];
    /** Answers the platform ignored (its log). */
    const ignored: unknown[] = [];
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          const entry = JSON.parse(line);
          if (entry.msg === 'MQTT message refused') refusals.push(entry.reason);
          if (typeof entry.msg === 'string' && entry.msg.startsWith('RPC answer ignored')) ignored.push(entry);
        }
        done();
      },
    });

    before(async () => {
      s = await startServer(dialect, { logLevel: 'warn' }, { gatewayLimits: { devicesPerGateway: 20 }, logStream });
      admin = await s.login();
      opdId = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'PDAM', name: 'Perumda Air Minum' } })).body.id;
      const created = await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'Gateway Modbus Terawas', type: 'modbus_gateway', isGateway: true, opdId } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      gateway = created.body;
      gw = await connectAs(s.mqttPort, gateway.accessToken);
      clients.push(gw);
      await gw.subscribeAsync(['v1/gateway/attributes', 'v1/gateway/attributes/response', 'v1/gateway/rpc'], { qos: 1 });
    });
    after(async () => {
      for (const c of clients) c.end(true);
      await s.close();
    });

    const subDevices = async (gatewayId = gateway.id) =>
      ((await s.api('GET', `/api/v1/devices?gatewayId=${gatewayId}`, { token: admin })).body.items as any[]).sort((a, b) => a.name.localeCompare(b.name));
    const byName = async (name: string, gatewayId = gateway.id) => (await subDevices(gatewayId)).find((d) => d.name === name);
    const latest = async (id: string) => (await s.api('GET', `/api/v1/devices/${id}/latest`, { token: admin })).body;

    it('is marked as a gateway', () => {
      assert.equal(gateway.isGateway, true);
      assert.equal(gateway.opdId, opdId);
    });

    it('brings in three Modbus meters as devices of their own, under its OPD, each online with its readings queryable', async () => {
      const stored: string[] = [];
      const off = s.app.services.bus.subscribe('telemetry.stored', (e) => void stored.push(e.deviceId));
      for (const name of METERS) await gw.publishAsync('v1/gateway/connect', JSON.stringify({ device: name, type: 'modbus_meter' }), { qos: 1 });
      const telemetry = Object.fromEntries(
        METERS.map((name, i) => [name, [{ ts, values: { flow: 10 + i, totalM3: 1000 * (i + 1) } }, { ts: ts + 1000, values: { flow: 11 + i } }]]),
      );
      await gw.publishAsync('v1/gateway/telemetry', JSON.stringify(telemetry), { qos: 1 });
      const meters = await subDevices();
      assert.deepEqual(meters.map((d) => d.name), METERS);
      for (const [i, meter] of meters.entries()) {
        assert.equal(meter.type, 'modbus_meter');
        assert.equal(meter.gatewayId, gateway.id);
        assert.equal(meter.opdId, opdId, 'created under the gateway OPD');
        assert.equal(meter.hasToken, false, 'no access token of its own');
        assert.equal(meter.isGateway, false);
        // PUBACK came after the points were durable: readable now.
        assert.equal((await latest(meter.id)).flow.value, 11 + i);
        const series = (await s.api('GET', `/api/v1/devices/${meter.id}/telemetry?keys=flow,totalM3&from=${ts - 1}&to=${ts + 2000}`, { token: admin })).body;
        assert.deepEqual(series.flow.map((p: any) => p.value), [10 + i, 11 + i]);
        assert.equal(series.totalM3[0].value, 1000 * (i + 1));
        await eventually(async () => (await s.api('GET', `/api/v1/devices/${meter.id}`, { token: admin })).body.online, (v) => v === true, `${meter.name} online`);
      }
      // The same event as a direct device's readings: rules, alarms and the stream see them.
      off();
      for (const meter of meters) assert.ok(stored.includes(meter.id), `telemetry.stored for ${meter.name}`);
      // A meter gets no token of its own: its gateway sends for it.
      const token = await s.api('POST', `/api/v1/devices/${meters[0].id}/token`, { token: admin });
      assert.equal(token.status, 400);
      assert.match(token.body.error.message, /no access token of its own/);
      // A gateway that relays is online itself.
      assert.equal((await s.api('GET', `/api/v1/devices/${gateway.id}`, { token: admin })).body.online, true);
      // The gateway itself stored nothing and was not given the meters' keys.
      assert.deepEqual(await latest(gateway.id), {});
    });

    it("a rule on the meters' type opens an alarm for the one meter past its threshold", async () => {
      const rule = await s.api('POST', '/api/v1/rules', {
        token: admin,
        body: { name: 'Debit meter PDAM tinggi', severity: 'siaga', target: { kind: 'device_type', value: 'modbus_meter' }, key: 'flow', condition: { op: 'gt', value: 100 } },
      });
      assert.equal(rule.status, 201, JSON.stringify(rule.body));
      await gw.publishAsync('v1/gateway/telemetry', JSON.stringify({ 'Meter PDAM 2': [{ ts: ts + 5000, values: { flow: 150 } }], 'Meter PDAM 3': [{ ts: ts + 5000, values: { flow: 20 } }] }), { qos: 1 });
      await s.app.services.engine.idle();
      const m2 = await byName('Meter PDAM 2');
      const m3 = await byName('Meter PDAM 3');
      const alarmsOf = async (id: string) => (await s.api('GET', `/api/v1/alarms?deviceId=${id}`, { token: admin })).body.items as any[];
      const [alarm] = await eventually(() => alarmsOf(m2.id), (a) => a.length === 1, 'alarm of Meter PDAM 2');
      assert.equal(alarm.lastValue, 150);
      assert.equal(alarm.severity, 'siaga');
      assert.deepEqual(await alarmsOf(m3.id), []);
      assert.equal((await s.api('DELETE', `/api/v1/rules/${rule.body.id}`, { token: admin })).status, 204);
    });

    it('a sub-device named in telemetry only is created too, with the gateway type', async () => {
      await gw.publishAsync('v1/gateway/telemetry', JSON.stringify({ 'Meter baru': [{ ts, values: { flow: 1 } }] }), { qos: 1 });
      const meter = await byName('Meter baru');
      assert.equal(meter.type, 'modbus_gateway');
      assert.equal((await latest(meter.id)).flow.value, 1);
    });

    it('stores client attributes per device', async () => {
      await gw.publishAsync('v1/gateway/attributes', JSON.stringify({ 'Meter PDAM 1': { firmware: '1.4.2', slaveId: 1 }, 'Meter PDAM 2': { slaveId: 2 } }), { qos: 1 });
      const m1 = await byName('Meter PDAM 1');
      const m2 = await byName('Meter PDAM 2');
      const a1 = (await s.api('GET', `/api/v1/devices/${m1.id}/attributes`, { token: admin })).body;
      assert.equal(a1.client.firmware.value, '1.4.2');
      assert.equal(a1.client.slaveId.value, 1);
      assert.equal((await s.api('GET', `/api/v1/devices/${m2.id}/attributes`, { token: admin })).body.client.slaveId.value, 2);
    });

    it('pushes shared attributes in the gateway form, answers attribute requests, and tells a deletion', async () => {
      const m1 = await byName('Meter PDAM 1');
      const pushed = nextOn(gw, 'v1/gateway/attributes', (p) => p.device === 'Meter PDAM 1');
      assert.equal((await s.api('POST', `/api/v1/devices/${m1.id}/attributes/shared`, { token: admin, body: { pollSeconds: 30, unit: 'm3' } })).status, 204);
      assert.deepEqual(await pushed, { device: 'Meter PDAM 1', data: { pollSeconds: 30, unit: 'm3' } });

      let answer = nextOn(gw, 'v1/gateway/attributes/response', (p) => p.id === 1);
      await gw.publishAsync('v1/gateway/attributes/request', JSON.stringify({ id: 1, device: 'Meter PDAM 1', client: false, key: 'pollSeconds' }), { qos: 1 });
      assert.deepEqual(await answer, { id: 1, device: 'Meter PDAM 1', value: 30 });
      answer = nextOn(gw, 'v1/gateway/attributes/response', (p) => p.id === 2);
      await gw.publishAsync('v1/gateway/attributes/request', JSON.stringify({ id: 2, device: 'Meter PDAM 1', client: true, key: 'firmware' }), { qos: 1 });
      assert.deepEqual(await answer, { id: 2, device: 'Meter PDAM 1', value: '1.4.2' });
      answer = nextOn(gw, 'v1/gateway/attributes/response', (p) => p.id === 3);
      await gw.publishAsync('v1/gateway/attributes/request', JSON.stringify({ id: 3, device: 'Meter PDAM 1', client: false, keys: ['pollSeconds', 'unit', 'absent'] }), { qos: 1 });
      assert.deepEqual(await answer, { id: 3, device: 'Meter PDAM 1', values: { pollSeconds: 30, unit: 'm3' } });
      answer = nextOn(gw, 'v1/gateway/attributes/response', (p) => p.id === 4);
      await gw.publishAsync('v1/gateway/attributes/request', JSON.stringify({ id: 4, device: 'Meter PDAM 1', client: ['firmware'], shared: ['unit'] }), { qos: 1 });
      assert.deepEqual(await answer, { id: 4, device: 'Meter PDAM 1', values: { firmware: '1.4.2', unit: 'm3' } });
      // Another meter's attributes are not the first one's.
      answer = nextOn(gw, 'v1/gateway/attributes/response', (p) => p.id === 5);
      await gw.publishAsync('v1/gateway/attributes/request', JSON.stringify({ id: 5, device: 'Meter PDAM 2', client: false, key: 'pollSeconds' }), { qos: 1 });
      assert.deepEqual(await answer, { id: 5, device: 'Meter PDAM 2' });

      const deleted = nextOn(gw, 'v1/gateway/attributes', (p) => p.device === 'Meter PDAM 1' && 'deleted' in p.data);
      assert.equal((await s.api('DELETE', `/api/v1/devices/${m1.id}/attributes/shared?keys=unit`, { token: admin })).status, 204);
      assert.deepEqual(await deleted, { device: 'Meter PDAM 1', data: { deleted: ['unit'] } });
    });

    const rpc = (id: string, body: unknown) => s.api('POST', `/api/v1/devices/${id}/rpc`, { token: admin, body });
    const callsOf = async (id: string) => (await s.api('GET', `/api/v1/devices/${id}/rpc`, { token: admin })).body.items as any[];

    it("carries an operator's command to a meter through its gateway and the meter's answer back as the REST answer", async () => {
      const m3 = await byName('Meter PDAM 3');
      const request = nextOn(gw, 'v1/gateway/rpc', (p) => p.device === 'Meter PDAM 3');
      const answered = rpc(m3.id, { method: 'setValve', params: { open: false }, timeout: 5000 });
      const received = await request;
      // ThingsBoard's gateway form: {"device":"<name>","data":{"id","method","params"}}.
      assert.deepEqual(received, { device: 'Meter PDAM 3', data: { id: received.data.id, method: 'setValve', params: { open: false } } });
      assert.ok(Number.isSafeInteger(received.data.id));
      // Handed to the gateway's session: delivered, waiting for the answer.
      await eventually(() => callsOf(m3.id), (calls) => calls[0]?.state === 'delivered', 'the call delivered to the gateway');

      // An answer naming another meter, another id or a device the gateway does not have reaches no call; it is logged.
      const ignoredBefore = ignored.length;
      await gw.publishAsync('v1/gateway/rpc', JSON.stringify({ device: 'Meter PDAM 2', id: received.data.id, data: { wrong: 'device' } }), { qos: 1 });
      await gw.publishAsync('v1/gateway/rpc', JSON.stringify({ device: 'Meter PDAM 3', id: received.data.id + 1000, data: { wrong: 'id' } }), { qos: 1 });
      await gw.publishAsync('v1/gateway/rpc', JSON.stringify({ device: 'Tidak ada', id: received.data.id, data: { wrong: 'name' } }), { qos: 1 });
      assert.equal(ignored.length - ignoredBefore, 3, `three answers ignored and logged: ${JSON.stringify(ignored.slice(ignoredBefore))}`);
      assert.equal((await callsOf(m3.id))[0].state, 'delivered', 'still waiting for its own answer');
      assert.equal(gw.connected, true, "a wrong answer does not cost the gateway its session");

      await gw.publishAsync('v1/gateway/rpc', JSON.stringify({ device: 'Meter PDAM 3', id: received.data.id, data: { valve: 'closed' } }), { qos: 1 });
      const res = await answered;
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { valve: 'closed' });
      const [call] = await callsOf(m3.id);
      assert.equal(call.state, 'successful');
      assert.equal(call.requestId, received.data.id);
      assert.deepEqual(call.response, { valve: 'closed' });
      assert.equal(call.requestedBy.kind, 'user');
      assert.ok(call.sentAt && call.deliveredAt && call.answeredAt, 'sent, delivered and answered times are kept');
      assert.deepEqual(await callsOf((await byName('Meter PDAM 2')).id), [], 'the other meter got no call');
      const audit = (await s.api('GET', `/api/v1/audit?entity=device&entityId=${m3.id}&action=rpc`, { token: admin })).body;
      assert.equal(audit.items.length, 1, 'who pressed it is kept');
    });

    it('a one-way command to a meter is successful once its gateway has it', async () => {
      const m1 = await byName('Meter PDAM 1');
      const request = nextOn(gw, 'v1/gateway/rpc', (p) => p.device === 'Meter PDAM 1');
      const res = await rpc(m1.id, { method: 'resetTotal', oneway: true });
      assert.equal(res.status, 200);
      assert.deepEqual((await request).data.method, 'resetTotal');
      await eventually(() => callsOf(m1.id), (calls) => calls[0]?.state === 'successful', 'the one-way call done');
    });

    it('queues a persistent command for a meter whose gateway is offline and delivers it when the gateway connects', async () => {
      const created = await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'Gateway Modbus Muara Beliti', type: 'modbus_gateway', isGateway: true, opdId } });
      assert.equal(created.status, 201);
      const second = created.body;
      let client = await connectAs(s.mqttPort, second.accessToken);
      await client.publishAsync('v1/gateway/connect', JSON.stringify({ device: 'Meter Beliti 1', type: 'modbus_meter' }), { qos: 1 });
      await client.endAsync();
      const meter = await byName('Meter Beliti 1', second.id);

      // Not persistent: refused at once, and kept in the history.
      const offline = await rpc(meter.id, { method: 'getReading' });
      assert.equal(offline.status, 409);
      assert.equal(offline.body.error.code, 'DEVICE_OFFLINE');
      const queued = await rpc(meter.id, { method: 'setValve', params: { open: true }, persistent: true, timeout: 5000 });
      assert.equal(queued.status, 200, JSON.stringify(queued.body));
      assert.equal(queued.body.state, 'queued');

      // Connected but not yet subscribed to v1/gateway/rpc: it cannot take the call yet.
      client = await connectAs(s.mqttPort, second.accessToken);
      clients.push(client);
      await client.publishAsync('v1/gateway/telemetry', JSON.stringify({ 'Meter Beliti 1': { flow: 5 } }), { qos: 1 });
      assert.equal((await callsOf(meter.id))[0].state, 'queued');
      const request = nextOn(client, 'v1/gateway/rpc');
      await client.subscribeAsync('v1/gateway/rpc', { qos: 1 });
      const received = await request;
      assert.deepEqual(received, { device: 'Meter Beliti 1', data: { id: received.data.id, method: 'setValve', params: { open: true } } });
      await eventually(() => callsOf(meter.id), (calls) => calls[0]?.state === 'delivered', 'the queued call delivered');
      await client.publishAsync('v1/gateway/rpc', JSON.stringify({ device: 'Meter Beliti 1', id: received.data.id, data: { valve: 'open' } }), { qos: 1 });
      const [done] = await eventually(() => callsOf(meter.id), (calls) => calls[0]?.state === 'successful', 'the queued call answered');
      assert.equal(done.id, queued.body.rpcId);
      assert.deepEqual(done.response, { valve: 'open' });
      // The first gateway never saw it.
      assert.deepEqual(await callsOf((await byName('Meter PDAM 1')).id).then((c) => c.map((x) => x.method)), ['resetTotal']);
    });

    it('a gateway on MQTT 5 takes a command for its meter and answers it', async () => {
      const created = await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'Gateway MQTT 5', type: 'modbus_gateway', isGateway: true, opdId } });
      const client = await connectAs(s.mqttPort, created.body.accessToken, 5);
      clients.push(client);
      await client.publishAsync('v1/gateway/connect', JSON.stringify({ device: 'Meter v5', type: 'modbus_meter' }), { qos: 1 });
      const meter = await byName('Meter v5', created.body.id);
      client.on('message', (topic, payload) => {
        const { device, data } = JSON.parse(payload.toString());
        if (topic === 'v1/gateway/rpc') void client.publishAsync(topic, JSON.stringify({ device, id: data.id, data: { echoed: data.params } }), { qos: 1 });
      });
      await client.subscribeAsync('v1/gateway/rpc', { qos: 1 });
      const res = await rpc(meter.id, { method: 'getReading', params: { register: 40001 }, timeout: 5000 });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { echoed: { register: 40001 } });
    });

    it('marks a meter offline when its gateway says it disconnected, and online again on connect', async () => {
      await gw.publishAsync('v1/gateway/disconnect', JSON.stringify({ device: 'Meter PDAM 2' }), { qos: 1 });
      const m2 = await byName('Meter PDAM 2');
      assert.equal(m2.online, false);
      assert.equal((await byName('Meter PDAM 1')).online, true, 'the other meters stay online');
      await gw.publishAsync('v1/gateway/connect', JSON.stringify({ device: 'Meter PDAM 2' }), { qos: 1 });
      assert.equal((await byName('Meter PDAM 2')).online, true);
      // Disconnecting a name the gateway never used creates nothing.
      await gw.publishAsync('v1/gateway/disconnect', JSON.stringify({ device: 'Tidak ada' }), { qos: 1 });
      assert.equal(await byName('Tidak ada'), undefined);
    });

    it('refuses a message naming 10,000 devices, and stores nothing of it', async () => {
      const before = (await subDevices()).length;
      const client = await connectAs(s.mqttPort, gateway.accessToken);
      clients.push(client);
      const names = Array.from({ length: 10_000 }, (_, i) => [`Bulk ${i}`, [{ ts, values: { v: i } }]]);
      let acked = false;
      client.publish('v1/gateway/telemetry', JSON.stringify(Object.fromEntries(names)), { qos: 1 }, (error) => {
        if (!error) acked = true;
      });
      await closed(client);
      assert.equal(acked, false, 'not acknowledged');
      assert.match(refusals.at(-1) ?? '', /at most 1000 devices; this one names 10000/);
      assert.equal((await subDevices()).length, before);
      const found = (await s.api('GET', '/api/v1/devices?q=Bulk', { token: admin })).body.items;
      assert.equal(found.length, 0);
    });

    it('refuses, whole, a message that would take a gateway past its total', async () => {
      const before = (await subDevices()).length;
      const client = await connectAs(s.mqttPort, gateway.accessToken);
      clients.push(client);
      // The suite's limit is 20 devices per gateway; this message alone would make it 4 + 18.
      const names = Array.from({ length: 18 }, (_, i) => [`Extra ${i}`, { v: i }]);
      client.publish('v1/gateway/telemetry', JSON.stringify(Object.fromEntries(names)), { qos: 1 });
      await closed(client);
      assert.match(refusals.at(-1) ?? '', /at most 20 devices; this one has 4 and the message would add 18/);
      assert.equal((await subDevices()).length, before);
    });

    it('checks the names: empty, too long or with a NUL is refused and nothing is stored', async () => {
      const before = (await subDevices()).length;
      for (const bad of ['{"":{"v":1}}', JSON.stringify({ ['x'.repeat(201)]: { v: 1 } }), '{"Meter\\u0000X":{"v":1},"Meter ok":{"v":1}}', JSON.stringify({ device: 5 })]) {
        const client = await connectAs(s.mqttPort, gateway.accessToken);
        clients.push(client);
        client.publish(bad.startsWith('{"device"') ? 'v1/gateway/connect' : 'v1/gateway/telemetry', bad, { qos: 1 });
        await closed(client);
        assert.match(refusals.at(-1) ?? '', /device name/);
      }
      assert.equal((await subDevices()).length, before);
      assert.equal(await byName('Meter ok'), undefined, 'the good name of a refused message is not stored either');
    });

    it('keeps each gateway to its own devices: a name never reaches another gateway\'s device or a direct device', async () => {
      const direct = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'Pompa Tugumulyo' } })).body;
      const second = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'Gateway kedua', isGateway: true } })).body;
      const gw2 = await connectAs(s.mqttPort, second.accessToken);
      clients.push(gw2);
      await gw2.publishAsync('v1/gateway/telemetry', JSON.stringify({ 'Meter PDAM 1': { flow: 999 }, 'Pompa Tugumulyo': { running: true } }), { qos: 1 });
      const mine = await subDevices(second.id);
      assert.deepEqual(mine.map((d) => d.name), ['Meter PDAM 1', 'Pompa Tugumulyo']);
      const first = await byName('Meter PDAM 1');
      assert.notEqual(mine[0].id, first.id);
      assert.equal((await latest(first.id)).flow.value, 11, "the first gateway's meter is untouched");
      assert.deepEqual(await latest(direct.id), {}, 'the direct device is untouched');
      // The second gateway cannot read the first one's meter either.
      const answer = nextOn(gw2, 'v1/gateway/attributes/response', (p) => p.id === 9);
      await gw2.subscribeAsync('v1/gateway/attributes/response', { qos: 1 });
      await gw2.publishAsync('v1/gateway/attributes/request', JSON.stringify({ id: 9, device: 'Meter PDAM 1', client: true, key: 'firmware' }), { qos: 1 });
      assert.deepEqual(await answer, { id: 9, device: 'Meter PDAM 1' });
    });

    it('refuses the gateway API to a device not marked as a gateway', async () => {
      const plain = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'Sensor biasa' } })).body;
      const client = await connectAs(s.mqttPort, plain.accessToken);
      clients.push(client);
      client.publish('v1/gateway/telemetry', JSON.stringify({ Tersembunyi: { v: 1 } }), { qos: 1 });
      await closed(client);
      assert.match(refusals.at(-1) ?? '', /not a gateway/);
      assert.equal((await s.api('GET', '/api/v1/devices?q=Tersembunyi', { token: admin })).body.items.length, 0);
    });

    it('takes an empty {} for a meter as a connection check and stores nothing', async () => {
      await gw.publishAsync('v1/gateway/telemetry', JSON.stringify({ 'Meter PDAM 3': {} }), { qos: 1 });
      assert.equal(gw.connected, true);
      assert.equal(await byName('Meter PDAM 3').then((d) => d.name), 'Meter PDAM 3');
    });

    it('a gateway no longer marked as one is cut off; a deleted gateway leaves its devices and their readings', async () => {
      const third = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'Gateway ketiga', isGateway: true } })).body;
      let client = await connectAs(s.mqttPort, third.accessToken);
      clients.push(client);
      await client.publishAsync('v1/gateway/telemetry', JSON.stringify({ 'Meter lama': { flow: 3 } }), { qos: 1 });
      const meter = await byName('Meter lama', third.id);
      assert.equal((await s.api('PATCH', `/api/v1/devices/${third.id}`, { token: admin, body: { isGateway: false } })).body.isGateway, false);
      await closed(client);
      client = await connectAs(s.mqttPort, third.accessToken);
      clients.push(client);
      client.publish('v1/gateway/telemetry', JSON.stringify({ 'Meter lama': { flow: 4 } }), { qos: 1 });
      await closed(client);
      assert.match(refusals.at(-1) ?? '', /not a gateway/);
      assert.equal((await latest(meter.id)).flow.value, 3);
      assert.equal((await s.api('DELETE', `/api/v1/devices/${third.id}`, { token: admin })).status, 204);
      const kept = (await s.api('GET', `/api/v1/devices/${meter.id}`, { token: admin })).body;
      assert.equal(kept.gatewayId, null);
      assert.equal((await latest(meter.id)).flow.value, 3);
    });
  });
}
