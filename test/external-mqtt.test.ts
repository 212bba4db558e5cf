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
    } finally {
      await client.endAsync();
    }
  });
});
