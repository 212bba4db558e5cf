import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { ADMIN, dialects, freePort } from './helpers.ts';
import { spawnPlatform, waitForHealth, type ServerProcess } from './process.ts';

/**
 * Kills the platform with SIGKILL in the middle of ingest (HTTP and MQTT QoS 1)
 * and checks, after a restart on the same storage, that every point whose
 * write was acknowledged is there.
 */
for (const dialect of await dialects()) {
  describe(`durability on ${dialect.name}`, () => {
    const procs: ServerProcess[] = [];
    after(() => {
      for (const p of procs) p.child.kill('SIGKILL');
    });

    it('keeps every acknowledged point after kill -9', async () => {
      const storage = await dialect.storage();
      const port = await freePort();
      const mqttPort = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const env = {
        PORT: String(port),
        MQTT_PORT: String(mqttPort),
        HOST: '127.0.0.1',
        DATA_DIR: storage.dataDir,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        ...(storage.databaseUrl && { DATABASE_URL: storage.databaseUrl }),
      };
      try {
        const first = spawnPlatform(env);
        procs.push(first);
        await waitForHealth(url, first);
        const login = (await (await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) })).json()) as { token: string };
        const auth = { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' };
        const device = (await (await fetch(`${url}/api/v1/devices`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'durability' }) })).json()) as { id: string; accessToken: string };

        const acked = new Set<number>();
        let stop = false;
        const base = Date.now() - 3_600_000;
        let nextTs = base;
        const httpWriter = async () => {
          while (!stop) {
            const batch = Array.from({ length: 50 }, () => nextTs++);
            try {
              const res = await fetch(`${url}/api/v1/${device.accessToken}/telemetry`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(batch.map((ts) => ({ ts, values: { v: ts - base } }))),
              });
              if (res.status === 200) for (const ts of batch) acked.add(ts);
            } catch {
              return; // the server is gone
            }
          }
        };
        const client = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, { username: device.accessToken, reconnectPeriod: 0 });
        let refused: Error | undefined;
        client.on('error', (error) => (refused = error));
        // A connection closed before its CONNACK fails here, with its reason, rather than leave this test waiting on nothing.
        await new Promise<void>((resolve, reject) => {
          client.once('connect', () => resolve());
          client.once('close', () => reject(new Error(`the MQTT connection closed before it was accepted: ${refused?.message ?? 'no reason given'}`)));
        });
        const mqttWriter = async () => {
          while (!stop && client.connected) {
            const ts = nextTs++;
            try {
              await client.publishAsync('v1/devices/me/telemetry', JSON.stringify({ ts, values: { v: ts - base } }), { qos: 1 });
              acked.add(ts);
            } catch {
              return;
            }
          }
        };
        const writers = [httpWriter(), httpWriter(), httpWriter(), httpWriter(), mqttWriter(), mqttWriter()];
        // Kill once enough has been acknowledged that writes are surely in flight.
        const deadline = Date.now() + 20_000;
        while (acked.size < 5_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        first.child.kill('SIGKILL');
        await first.exited;
        stop = true;
        client.end(true);
        // A publish in flight when the server died never settles: wait for the others a moment only.
        await Promise.race([Promise.all(writers), new Promise((r) => setTimeout(r, 2000))]);
        assert.ok(acked.size >= 1_000, `only ${acked.size} points were acknowledged before the kill`);

        const second = spawnPlatform(env);
        procs.push(second);
        await waitForHealth(url, second);
        const login2 = (await (await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) })).json()) as { token: string };
        const res = await fetch(`${url}/api/v1/devices/${device.id}/telemetry?keys=v&from=${base}&to=${nextTs + 1}&limit=1000000`, { headers: { authorization: `Bearer ${login2.token}` } });
        const body = (await res.json()) as { v: { ts: number; value: number }[] };
        const stored = new Set(body.v.map((p) => p.ts));
        const lost = [...acked].filter((ts) => !stored.has(ts));
        assert.deepEqual(lost, [], `${lost.length} of ${acked.size} acknowledged points are missing`);
        for (const p of body.v) assert.equal(p.value, p.ts - base, 'a stored point holds the value that was sent');
        second.child.kill('SIGTERM');
        assert.equal(await second.exited, 0, 'SIGTERM closes the platform cleanly');
      } finally {
        await storage.drop();
      }
    });
  });
}
