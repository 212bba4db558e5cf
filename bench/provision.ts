/**
 * Provisioning benchmark: `node bench/provision.ts` (`--batch=<n>`, default 200).
 *
 * On SQLite, and on PostgreSQL when 127.0.0.1:5432 answers: a street-light
 * profile with provisioning on, then a batch of controllers provisioning
 * themselves at the same moment over HTTP (`POST /api/v1/provision`, all at
 * once) and over MQTT (user name `provision`, 20 connecting at a time: the
 * broker's pending-per-address limit, all from 127.0.0.1). Prints the wall time
 * of each batch and the p50/p99 of one request. The server runs in this process.
 */
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { dialects, startServer } from '../test/helpers.ts';

const { values } = parseArgs({ options: { batch: { type: 'string', default: '200' } } });
const batch = Number(values.batch);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const rows: string[][] = [];

for (const dialect of await dialects()) {
  const s = await startServer(dialect, {}, { ruleTickMs: null, provisionLimits: { perMinute: 100_000, failuresPerMinute: 20 } });
  try {
    const admin = await s.login();
    const profile = (await s.api('POST', '/api/v1/device-profiles', { token: admin, body: { type: 'street_light', name: { id: 'Lampu jalan', en: 'Street light' }, provisioning: true } })).body;
    const request = (name: string) => ({ deviceName: name, provisionDeviceKey: profile.provisionKey, provisionDeviceSecret: profile.provisionSecret });

    let started = performance.now();
    const httpTimes = await Promise.all(
      Array.from({ length: batch }, async (_, i) => {
        const t0 = performance.now();
        const res = await fetch(`${s.url}/api/v1/provision`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request(`PJU-HTTP-${i}`)) });
        const body = (await res.json()) as { status: string };
        if (body.status !== 'SUCCESS') throw new Error(`HTTP provisioning failed: ${JSON.stringify(body)}`);
        return performance.now() - t0;
      }),
    );
    const httpWall = performance.now() - started;

    started = performance.now();
    const mqttTimes: number[] = [];
    for (let at = 0; at < batch; at += 20) {
      mqttTimes.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(20, batch - at) }, async (_, j) => {
            const t0 = performance.now();
            const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${s.mqttPort}`, { username: 'provision', reconnectPeriod: 0, protocolVersion: 4 });
            const answer = new Promise<{ status: string }>((resolve) => client.once('message', (_t, p) => resolve(JSON.parse(p.toString()))));
            await client.subscribeAsync('/provision/response', { qos: 1 });
            await client.publishAsync('/provision/request', JSON.stringify(request(`PJU-MQTT-${at + j}`)), { qos: 1 });
            const body = await answer;
            await client.endAsync(true);
            if (body.status !== 'SUCCESS') throw new Error(`MQTT provisioning failed: ${JSON.stringify(body)}`);
            return performance.now() - t0;
          }),
        )),
      );
    }
    const mqttWall = performance.now() - started;
    const f = (ms: number) => ms.toFixed(0);
    rows.push([dialect.name, 'HTTP, all at once', String(batch), f(httpWall), f(pct(httpTimes, 50)), f(pct(httpTimes, 99))]);
    rows.push([dialect.name, 'MQTT, 20 at a time', String(batch), f(mqttWall), f(pct(mqttTimes, 50)), f(pct(mqttTimes, 99))]);
  } finally {
    await s.close();
  }
}

const head = ['database', 'provisioning', 'devices', 'wall ms', 'p50 ms', 'p99 ms'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(line(head));
for (const r of rows) console.log(line(r));
