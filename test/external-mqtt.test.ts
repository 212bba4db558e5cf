import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { dialects, portAnswers, startServer, type TestServer } from './helpers.ts';

/**
 * MQTT_URL: the platform subscribes to an external broker (the Mosquitto on
 * 127.0.0.1:1883) instead of running its own; devices publish there to
 * v1/devices/<token>/telemetry.
 */
const mosquitto = await portAnswers(1883);

/** The next message on `topic` whose JSON body passes `match`. */
function nextOn(client: mqtt.MqttClient, topic: string, match: (body: any) => boolean = () => true): Promise<any> {
  return new Promise((resolve) => {
    const listener = (t: string, payload: Buffer) => {
      if (t !== topic) return;
      const body = JSON.parse(payload.toString());
      if (!match(body)) return;
      client.off('message', listener);
      resolve(body);
    };
    client.on('message', listener);
  });
}

async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean, what: string, ms = 5000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const value = await read();
    if (done(value)) return value;
  }
  assert.fail(`waited ${ms} ms for ${what}`);
}
const [sqlite] = await dialects();

describe('external MQTT broker (Mosquitto)', { skip: mosquitto ? false : 'Mosquitto does not answer on 127.0.0.1:1883' }, () => {
  let s: TestServer;
  let admin: string;
  before(async () => {
    // A group of its own, so that no other subscriber of this broker shares the test's messages.
    s = await startServer(sqlite!, { mqttUrl: 'mqtt://127.0.0.1:1883', mqttPort: null, mqttGroup: `cerdas-test-${process.pid}-${Date.now()}` });
    admin = await s.login();
  });
  after(async () => {
    const clientId = s?.app.services.mqtt?.clientId;
    await s?.close();
    // The platform keeps its session on the broker across restarts; a test leaves none behind.
    if (clientId) await (await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId, clean: true, reconnectPeriod: 0 })).endAsync();
  });

  it('reports no embedded broker in health', async () => {
    assert.equal((await s.api('GET', '/api/v1/health')).body.mqttPort, null);
  });

  it('stores what a device publishes to the external broker', async () => {
    const device = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'via Mosquitto' } })).body;
    const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { reconnectPeriod: 0 });
    try {
      await client.publishAsync(`v1/devices/${device.accessToken}/telemetry`, JSON.stringify({ waterLevel: 4.1 }), { qos: 1 });
      await client.publishAsync(`v1/devices/${device.accessToken}/attributes`, JSON.stringify({ firmware: '3.0' }), { qos: 1 });
      let latest: Record<string, { value: unknown }> = {};
      for (let i = 0; i < 100 && !latest.waterLevel; i++) {
        await new Promise((r) => setTimeout(r, 50));
        latest = (await s.api('GET', `/api/v1/devices/${device.id}/latest`, { token: admin })).body;
      }
      assert.equal(latest.waterLevel?.value, 4.1);
      const attributes = (await s.api('GET', `/api/v1/devices/${device.id}/attributes`, { token: admin })).body;
      assert.equal(attributes.client.firmware.value, '3.0');
    } finally {
      await client.endAsync();
    }
  });

  it('ignores a message with an unknown token and keeps working', async () => {
    const device = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'after a bad one' } })).body;
    const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { reconnectPeriod: 0 });
    try {
      await client.publishAsync('v1/devices/not-a-token/telemetry', JSON.stringify({ x: 1 }), { qos: 1 });
      await client.publishAsync(`v1/devices/${device.accessToken}/telemetry`, '{bad json', { qos: 1 });
      await client.publishAsync(`v1/devices/${device.accessToken}/telemetry`, JSON.stringify({ ok: 1 }), { qos: 1 });
      let latest: Record<string, unknown> = {};
      for (let i = 0; i < 100 && !latest.ok; i++) {
        await new Promise((r) => setTimeout(r, 50));
        latest = (await s.api('GET', `/api/v1/devices/${device.id}/latest`, { token: admin })).body;
      }
      assert.deepEqual(Object.keys(latest), ['ok']);
    } finally {
      await client.endAsync();
    }
  });

  it('takes a gateway on v1/gateway/<token>/…: its meters become devices of their own, and an attribute request is answered', async () => {
    const gateway = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'Gateway via Mosquitto', isGateway: true } })).body;
    const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { reconnectPeriod: 0 });
    try {
      const base = `v1/gateway/${gateway.accessToken}`;
      await client.subscribeAsync(`${base}/attributes/response`, { qos: 1 });
      await client.publishAsync(`${base}/connect`, JSON.stringify({ device: 'Meter Mosquitto', type: 'modbus_meter' }), { qos: 1 });
      await client.publishAsync(`${base}/telemetry`, JSON.stringify({ 'Meter Mosquitto': [{ ts: Date.now() - 1000, values: { flow: 7.5 } }] }), { qos: 1 });
      await client.publishAsync(`${base}/attributes`, JSON.stringify({ 'Meter Mosquitto': { firmware: '2.0' } }), { qos: 1 });
      let meter: any;
      let latest: Record<string, { value: unknown }> = {};
      for (let i = 0; i < 100 && !latest.flow; i++) {
        await new Promise((r) => setTimeout(r, 50));
        meter = (await s.api('GET', `/api/v1/devices?gatewayId=${gateway.id}`, { token: admin })).body.items[0];
        if (meter) latest = (await s.api('GET', `/api/v1/devices/${meter.id}/latest`, { token: admin })).body;
      }
      assert.equal(meter.name, 'Meter Mosquitto');
      assert.equal(meter.type, 'modbus_meter');
      assert.equal(latest.flow?.value, 7.5);
      const answer = new Promise<any>((resolve) => client.once('message', (_t, payload) => resolve(JSON.parse(payload.toString()))));
      await client.publishAsync(`${base}/attributes/request`, JSON.stringify({ id: 7, device: 'Meter Mosquitto', client: true, key: 'firmware' }), { qos: 1 });
      assert.deepEqual(await answer, { id: 7, device: 'Meter Mosquitto', value: '2.0' });

      // Down to the gateway on its token's topics, in ThingsBoard's gateway form: shared attributes and a command.
      await client.subscribeAsync([`${base}/attributes`, `${base}/rpc`], { qos: 1 });
      const pushed = nextOn(client, `${base}/attributes`, (p) => p.device === 'Meter Mosquitto' && p.data !== undefined);
      assert.equal((await s.api('POST', `/api/v1/devices/${meter.id}/attributes/shared`, { token: admin, body: { pollSeconds: 30 } })).status, 204);
      assert.deepEqual(await pushed, { device: 'Meter Mosquitto', data: { pollSeconds: 30 } });
      const request = nextOn(client, `${base}/rpc`, (p) => p.data?.method === 'setValve');
      const call = s.api('POST', `/api/v1/devices/${meter.id}/rpc`, { token: admin, body: { method: 'setValve', params: { open: false }, timeout: 5000 } });
      const received = await request;
      assert.deepEqual(received, { device: 'Meter Mosquitto', data: { id: received.data.id, method: 'setValve', params: { open: false } } });
      await client.publishAsync(`${base}/rpc`, JSON.stringify({ device: 'Meter Mosquitto', id: received.data.id, data: { valve: 'closed' } }), { qos: 1 });
      const answered = await call;
      assert.equal(answered.status, 200, JSON.stringify(answered.body));
      assert.deepEqual(answered.body, { valve: 'closed' }, "the gateway's answer, not the platform's own call taken for it");
    } finally {
      await client.endAsync();
    }
  });

  it('sends shared attributes and their deletion to v1/devices/<token>/attributes once the device was heard from, and answers its attribute request', async () => {
    const device = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'lamp via Mosquitto' } })).body;
    const shared = (body: unknown) => s.api('POST', `/api/v1/devices/${device.id}/attributes/shared`, { token: admin, body });
    // MQTT 5 with "no local": the device does not get back its own client attributes on the topic it also reads.
    const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { reconnectPeriod: 0, protocolVersion: 5 });
    try {
      const topic = `v1/devices/${device.accessToken}/attributes`;
      await client.subscribeAsync(topic, { qos: 1, nl: true });
      const seen: unknown[] = [];
      client.on('message', (t, payload) => t === topic && seen.push(JSON.parse(payload.toString())));
      // Not heard from yet: its token is unknown to the platform, which has only its hash; it reads them over HTTP meanwhile.
      assert.equal((await shared({ dimming: 40 })).status, 204);
      await client.publishAsync(topic, JSON.stringify({ firmware: '1.0' }), { qos: 1 });
      await until(async () => (await s.api('GET', `/api/v1/devices/${device.id}/attributes`, { token: admin })).body.client.firmware?.value, (v) => v === '1.0', 'its client attribute');
      assert.equal((await shared({ dimming: 70 })).status, 204);
      await until(() => seen.length, (n) => n >= 1, 'a shared attribute pushed');
      assert.equal((await s.api('DELETE', `/api/v1/devices/${device.id}/attributes/shared?keys=dimming`, { token: admin })).status, 204);
      await until(() => seen.length, (n) => n >= 2, 'the deletion');
      assert.deepEqual(seen, [{ dimming: 70 }, { deleted: ['dimming'] }]);

      // Its own request for attributes, as ThingsBoard's SDK sends it on connect: answered on …/attributes/response/<id>.
      assert.equal((await shared({ pollSeconds: 30 })).status, 204);
      const response = `v1/devices/${device.accessToken}/attributes/response/3`;
      await client.subscribeAsync(response, { qos: 1 });
      const answer = new Promise<unknown>((resolve) => client.on('message', (t, payload) => t === response && resolve(JSON.parse(payload.toString()))));
      await client.publishAsync(`v1/devices/${device.accessToken}/attributes/request/3`, JSON.stringify({ clientKeys: 'firmware', sharedKeys: 'pollSeconds' }), { qos: 1 });
      assert.deepEqual(await answer, { client: { firmware: '1.0' }, shared: { pollSeconds: 30 } });
    } finally {
      await client.endAsync();
    }
  });
});
