import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { closed, connectDevice, nextMessage } from './mqtt-helpers.ts';

for (const dialect of await dialects()) {
  describe(`MQTT device API on ${dialect.name}`, () => {
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

    const newDevice = async (name = 'Pos duga air') => (await s.api('POST', '/api/v1/devices', { token: admin, body: { name } })).body as { id: string; accessToken: string };
    const connect = async (token: string) => {
      const client = await connectDevice(s.mqttPort, token);
      clients.push(client);
      return client;
    };
    const latest = async (id: string) => (await s.api('GET', `/api/v1/devices/${id}/latest`, { token: admin })).body;

    it('stores telemetry published with QoS 1 before the PUBACK', async () => {
      const device = await newDevice();
      const client = await connect(device.accessToken);
      await client.publishAsync('v1/devices/me/telemetry', JSON.stringify({ waterLevel: 3.2 }), { qos: 1 });
      // The PUBACK came back: the value must be readable now, without waiting.
      assert.equal((await latest(device.id)).waterLevel.value, 3.2);
    });

    it('writes packet ids without mqtt-packet’s table of all 65,536 (7 MB of heap)', async () => {
      const device = await newDevice();
      const client = await connect(device.accessToken);
      for (let i = 0; i < 3; i++) await client.publishAsync('v1/devices/me/telemetry', JSON.stringify({ waterLevel: i }), { qos: 1 });
      assert.equal((await latest(device.id)).waterLevel.value, 2, 'every PUBACK came back, with its packet id');
      const { cache } = createRequire(import.meta.url)('mqtt-packet/numbers.js') as { cache: Record<number, Buffer> };
      assert.equal(Object.keys(cache).length, 0, 'the table was never filled');
    });

    it('takes all three payload forms over MQTT, QoS 0 too', async () => {
      const device = await newDevice();
      const client = await connect(device.accessToken);
      const ts = Date.now() - 60_000;
      await client.publishAsync('v1/devices/me/telemetry', JSON.stringify({ ts, values: { a: 1 } }), { qos: 1 });
      await client.publishAsync('v1/devices/me/telemetry', JSON.stringify([{ ts: ts + 1, values: { b: 'x' } }, { ts: ts + 2, values: { c: true } }]), { qos: 1 });
      await client.publishAsync('v1/devices/me/telemetry', JSON.stringify({ d: 4 }), { qos: 0 });
      let body: Record<string, { value: unknown }> = {};
      for (let i = 0; i < 50 && !body.d; i++) {
        body = await latest(device.id);
        if (!body.d) await new Promise((r) => setTimeout(r, 20));
      }
      assert.deepEqual(Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v.value])), { a: 1, b: 'x', c: true, d: 4 });
    });

    it('refuses an empty username with CONNACK 4 and an unknown token with CONNACK 5', async () => {
      await assert.rejects(connectDevice(s.mqttPort, ''), (error: { code?: number }) => error.code === 4);
      await assert.rejects(connectDevice(s.mqttPort, 'no-such-token-0000000000'), (error: { code?: number }) => error.code === 5);
    });

    it('closes the connection on a bad message, without acknowledging or storing it', async () => {
      const device = await newDevice();
      const client = await connect(device.accessToken);
      let acked = false;
      client.publish('v1/devices/me/telemetry', '[{"ts":1764300000000,"values":{"ok":1}},{"values":{"bad":2}}]', { qos: 1 }, (error) => {
        if (!error) acked = true;
      });
      await closed(client);
      assert.equal(acked, false);
      assert.deepEqual(await latest(device.id), {});
    });

    it('closes the session of a device whose token is revoked', async () => {
      const device = await newDevice();
      const client = await connect(device.accessToken);
      await s.api('DELETE', `/api/v1/devices/${device.id}/token`, { token: admin });
      await closed(client);
      await assert.rejects(connectDevice(s.mqttPort, device.accessToken), (error: { code?: number }) => error.code === 5);
    });

    it('answers an attribute request on the device’s own response topic', async () => {
      const device = await newDevice();
      const client = await connect(device.accessToken);
      await client.publishAsync('v1/devices/me/attributes', JSON.stringify({ firmware: '2.0.1' }), { qos: 1 });
      await s.api('POST', `/api/v1/devices/${device.id}/attributes/shared`, { token: admin, body: { samplingSeconds: 60 } });
      await client.subscribeAsync('v1/devices/me/attributes/response/+', { qos: 1 });
      const answer = nextMessage(client);
      await client.publishAsync('v1/devices/me/attributes/request/7', JSON.stringify({ clientKeys: 'firmware', sharedKeys: 'samplingSeconds' }), { qos: 1 });
      const message = await answer;
      assert.equal(message.topic, 'v1/devices/me/attributes/response/7');
      assert.deepEqual(message.payload, { client: { firmware: '2.0.1' }, shared: { samplingSeconds: 60 } });
    });

    it('pushes shared attributes to the device they are for, and to no other', async () => {
      const a = await newDevice('A');
      const b = await newDevice('B');
      const clientA = await connect(a.accessToken);
      const clientB = await connect(b.accessToken);
      await clientA.subscribeAsync('v1/devices/me/attributes', { qos: 1 });
      await clientB.subscribeAsync('v1/devices/me/attributes', { qos: 1 });
      let leaked = false;
      clientB.on('message', () => {
        leaked = true;
      });
      const pushed = nextMessage(clientA);
      await s.api('POST', `/api/v1/devices/${a.id}/attributes/shared`, { token: admin, body: { siagaLevel: 3.5 } });
      assert.deepEqual(await pushed, { topic: 'v1/devices/me/attributes', payload: { siagaLevel: 3.5 } });
      // B also publishes client attributes on the same topic name: A must not receive them either.
      await clientB.publishAsync('v1/devices/me/attributes', JSON.stringify({ secret: 'b' }), { qos: 1 });
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(leaked, false);
    });

    it('refuses subscriptions outside the device’s own topics', async () => {
      const device = await newDevice();
      const client = await connect(device.accessToken);
      await assert.rejects(client.subscribeAsync(['#', 'v1/devices/me/telemetry'], { qos: 1 }), (error: { packet?: { granted?: number[] } }) => {
        assert.deepEqual(error.packet?.granted, [128, 128]);
        return true;
      });
    });
  });
}
