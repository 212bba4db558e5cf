import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { dialects, startServer, type TestServer } from './helpers.ts';

/**
 * The device API over HTTP as ThingsBoard's SDKs use it: the connection check
 * (an empty {}), the long poll of shared attributes and the delete notice.
 */
for (const dialect of await dialects()) {
  describe(`HTTP device API (ThingsBoard completeness) on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    before(async () => {
      // Small bounds so that the test reaches them: 2 polls a device, 3 in all. The longest wait is
      // lowered only in the test of that limit: at 300 ms for all, a change sent on a busy machine came after it.
      s = await startServer(dialect, {}, { attributePollLimits: { perDevice: 2, total: 3, maxTimeoutMs: 60_000 } });
      admin = await s.login();
    });
    after(async () => {
      await s.close();
    });

    const newDevice = async (name: string) => (await s.api('POST', '/api/v1/devices', { token: admin, body: { name } })).body as { id: string; accessToken: string };
    const latest = async (id: string) => (await s.api('GET', `/api/v1/devices/${id}/latest`, { token: admin })).body;
    const keys = async (id: string) => (await s.api('GET', `/api/v1/devices/${id}/keys`, { token: admin })).body;
    /** Waits until the server holds `n` polls open (the poll has reached it before the change is made). */
    const pollsOpen = async (n: number) => {
      for (let i = 0; i < 200 && s.app.services.attributePolls.open !== n; i++) await new Promise((r) => setTimeout(r, 5));
      assert.equal(s.app.services.attributePolls.open, n);
    };

    it('answers an empty {} on telemetry with 200 and stores nothing (the HTTP SDK connection check)', async () => {
      const device = await newDevice('Lampu jalan 1');
      const res = await s.api('POST', `/api/v1/${device.accessToken}/telemetry`, { raw: '{}', headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 200);
      assert.deepEqual(await latest(device.id), {});
      assert.deepEqual(await keys(device.id), []);
      // Still a bad token for a bad token, and still a 400 for an empty list or nothing at all.
      assert.equal((await s.api('POST', '/api/v1/not-a-token/telemetry', { raw: '{}' })).status, 401);
      assert.equal((await s.api('POST', `/api/v1/${device.accessToken}/telemetry`, { raw: '[]' })).status, 400);
      assert.equal((await s.api('POST', `/api/v1/${device.accessToken}/telemetry`, { raw: '' })).status, 400);
    });

    it('takes an empty {} over MQTT too: acknowledged, nothing stored, the session stays', async () => {
      const device = await newDevice('Lampu jalan 2');
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${s.mqttPort}`, { username: device.accessToken, reconnectPeriod: 0, protocolVersion: 4 });
      try {
        await client.publishAsync('v1/devices/me/telemetry', '{}', { qos: 1 });
        assert.equal(client.connected, true);
        assert.deepEqual(await latest(device.id), {});
        await client.publishAsync('v1/devices/me/telemetry', '{"dim":40}', { qos: 1 });
        assert.equal((await latest(device.id)).dim.value, 40);
      } finally {
        await client.endAsync();
      }
    });

    it('long poll: answers the next change of the shared attributes', async () => {
      const device = await newDevice('Lampu jalan 3');
      const poll = s.api('GET', `/api/v1/${device.accessToken}/attributes/updates?timeout=20000`);
      await pollsOpen(1);
      // A server attribute is not for the device: the poll keeps waiting.
      assert.equal((await s.api('POST', `/api/v1/devices/${device.id}/attributes/server`, { token: admin, body: { note: 'x' } })).status, 204);
      assert.equal((await s.api('POST', `/api/v1/devices/${device.id}/attributes/shared`, { token: admin, body: { dimLevel: 70 } })).status, 204);
      const res = await poll;
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { dimLevel: 70 });
      assert.equal(s.app.services.attributePolls.open, 0);
    });

    it('long poll and MQTT both tell a deleted shared attribute as {"deleted":[keys]}', async () => {
      const device = await newDevice('Lampu jalan 4');
      await s.api('POST', `/api/v1/devices/${device.id}/attributes/shared`, { token: admin, body: { dimLevel: 70, schedule: 'malam' } });
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${s.mqttPort}`, { username: device.accessToken, reconnectPeriod: 0, protocolVersion: 4 });
      try {
        await client.subscribeAsync('v1/devices/me/attributes', { qos: 1 });
        const pushed = new Promise<any>((resolve) => client.once('message', (_t, payload) => resolve(JSON.parse(payload.toString()))));
        const poll = s.api('GET', `/api/v1/${device.accessToken}/attributes/updates?timeout=20000`);
        await pollsOpen(1);
        assert.equal((await s.api('DELETE', `/api/v1/devices/${device.id}/attributes/shared?keys=dimLevel,schedule`, { token: admin })).status, 204);
        assert.deepEqual((await poll).body, { deleted: ['dimLevel', 'schedule'] });
        assert.deepEqual(await pushed, { deleted: ['dimLevel', 'schedule'] });
        const left = await s.api('GET', `/api/v1/${device.accessToken}/attributes`);
        assert.deepEqual(left.body.shared, {});
      } finally {
        await client.endAsync();
      }
    });

    it('long poll: 408 with no body after its timeout, and a longer timeout is shortened to the limit', async () => {
      const device = await newDevice('Lampu jalan 5');
      const short = await s.api('GET', `/api/v1/${device.accessToken}/attributes/updates?timeout=20`);
      assert.equal(short.status, 408);
      assert.equal(short.body, null);
      // An hour asked: the limit of this server (300 ms here) answers it.
      const limits = s.app.services.attributePolls.limits;
      limits.maxTimeoutMs = 300;
      try {
        const asked = Date.now();
        const long = await s.api('GET', `/api/v1/${device.accessToken}/attributes/updates?timeout=3600000`);
        assert.equal(long.status, 408);
        assert.ok(Date.now() - asked < 60_000, 'answered at the limit, not after the hour');
      } finally {
        limits.maxTimeoutMs = 60_000;
      }
      assert.equal((await s.api('GET', '/api/v1/not-a-token/attributes/updates?timeout=20')).status, 401);
      assert.equal((await s.api('GET', `/api/v1/${device.accessToken}/attributes/updates?timeout=-1`)).status, 400);
    });

    it('long poll: bounded per device and in total; a client that goes away frees its place', async () => {
      const a = await newDevice('Lampu jalan 6');
      const b = await newDevice('Lampu jalan 7');
      const controllers = [new AbortController(), new AbortController(), new AbortController()];
      const held = [
        fetch(`${s.url}/api/v1/${a.accessToken}/attributes/updates?timeout=20000`, { signal: controllers[0]!.signal }).catch(() => null),
        fetch(`${s.url}/api/v1/${a.accessToken}/attributes/updates?timeout=20000`, { signal: controllers[1]!.signal }).catch(() => null),
      ];
      await pollsOpen(2);
      const third = await s.api('GET', `/api/v1/${a.accessToken}/attributes/updates?timeout=20000`);
      assert.equal(third.status, 429);
      assert.equal(third.body.error.code, 'RATE_LIMITED');
      held.push(fetch(`${s.url}/api/v1/${b.accessToken}/attributes/updates?timeout=20000`, { signal: controllers[2]!.signal }).catch(() => null));
      await pollsOpen(3);
      const full = await s.api('GET', `/api/v1/${b.accessToken}/attributes/updates?timeout=20000`);
      assert.equal(full.status, 503);
      for (const c of controllers) c.abort();
      await Promise.all(held);
      await pollsOpen(0);
      const again = s.api('GET', `/api/v1/${b.accessToken}/attributes/updates?timeout=20000`);
      await pollsOpen(1);
      await s.api('POST', `/api/v1/devices/${b.id}/attributes/shared`, { token: admin, body: { on: true } });
      assert.deepEqual((await again).body, { on: true });
    });
  });
}
