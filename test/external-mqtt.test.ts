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
});
