/**
 * Commands to devices under load, a phase of `npm run bench:ingest`: a pump
 * on MQTT answers 1,000 two-way commands sent through the REST API, while
 * other devices keep sending telemetry over MQTT (QoS 1, one message in flight
 * each). Measured: each command's round trip as the caller sees it (POST
 * /devices/{id}/rpc until the device's answer is the body), and the telemetry
 * acknowledged meanwhile.
 */
import type { MqttClient } from 'mqtt';
import { call, connectDevice, pool, request } from './lib.ts';

export interface RpcBenchResult {
  count: number;
  /** round trips in ms, in the order sent */
  ms: number[];
  failures: number;
  /** telemetry messages acknowledged per second while the commands ran */
  ingestPerSec: number;
  senders: number;
}

export async function rpcRoundTrips(
  base: string,
  mqttPort: number,
  token: string,
  senderTokens: string[],
  options: { count: number; concurrency: number },
): Promise<RpcBenchResult> {
  const pump = await call<{ id: string; accessToken: string }>(base, 'POST', '/api/v1/devices', { token, body: { name: 'Pompa bench RPC', type: 'pump' } }, 201);
  const clients: MqttClient[] = [];
  let running = true;
  let acked = 0;
  try {
    const device = await connectDevice(mqttPort, pump.accessToken, `bench-rpc-pump-${process.pid}`, () => {});
    clients.push(device);
    device.on('message', (topic, payload) => {
      const id = topic.slice('v1/devices/me/rpc/request/'.length);
      const { method } = JSON.parse(payload.toString()) as { method: string };
      device.publish(`v1/devices/me/rpc/response/${id}`, JSON.stringify({ method, done: true }), { qos: 1 });
    });
    await device.subscribeAsync('v1/devices/me/rpc/request/+', { qos: 1 });

    // The ingest running beside: each sender keeps one QoS 1 message in flight.
    // Fewer at once than the broker lets one address wait to authenticate (MQTT_PENDING_PER_ADDRESS, 20).
    const senders = await pool(senderTokens, 10, (t, i) => connectDevice(mqttPort, t, `bench-rpc-sender-${process.pid}-${i}`, () => {}));
    clients.push(...senders);
    const loops = senders.map(async (client) => {
      let seq = 0;
      while (running) {
        await client.publishAsync('v1/devices/me/telemetry', JSON.stringify({ suhu: 20 + (seq++ % 10), kelembapan: 70 }), { qos: 1 });
        acked++;
      }
    });

    const started = performance.now();
    const ackedAtStart = acked;
    let failures = 0;
    const ms = await pool(Array.from({ length: options.count }, (_, i) => i), options.concurrency, async (i) => {
      const res = await request(base, 'POST', `/api/v1/devices/${pump.id}/rpc`, { token, body: { method: 'setPower', params: { on: i % 2 === 0 }, timeout: 10_000 } });
      if (res.status !== 200) failures++;
      return res.ms;
    });
    const seconds = (performance.now() - started) / 1000;
    const ingestPerSec = (acked - ackedAtStart) / seconds;
    running = false;
    await Promise.race([Promise.allSettled(loops), new Promise((r) => setTimeout(r, 5000))]);
    return { count: options.count, ms, failures, ingestPerSec, senders: senders.length };
  } finally {
    running = false;
    for (const client of clients) client.end(true);
  }
}
