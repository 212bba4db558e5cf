/**
 * A fleet of MQTT devices that stay connected and report at a steady total
 * rate (bench/devices-10k.ts starts a few of these, one process per few
 * thousand devices). It connects one mqtt.js client per access token, says
 * `{"event":"connected"}`, waits for SIGUSR2, then publishes one reading at a
 * time at QoS 1 to `v1/devices/me/telemetry`, spread evenly over its devices,
 * for `durationMs`, and prints a last JSON line with the counts.
 *
 *   node bench/devices-load.ts '{"port":1883,"tokensFile":"/tmp/t.json","ratePerS":500,"durationMs":30000}'
 */
import fs from 'node:fs';
import type { MqttClient } from 'mqtt';
import { connectDevice, MQTT_KEYS } from './lib.ts';

interface Options {
  port: number;
  tokensFile: string;
  /** messages a second from this process, all devices together */
  ratePerS: number;
  durationMs: number;
  /** clients connecting at once (the broker admits a bounded number of unauthenticated connections per address) */
  connectConcurrency?: number;
  /** longest wait for outstanding acknowledgements after the window */
  drainMs?: number;
}

const TOPIC = 'v1/devices/me/telemetry';
const TICK_MS = 10;
const o = JSON.parse(process.argv[2] ?? '{}') as Options;
const tokens = JSON.parse(fs.readFileSync(o.tokensFile, 'utf8')) as string[];
if (!(o.port > 0) || tokens.length === 0 || !(o.ratePerS > 0) || !(o.durationMs > 0)) throw new Error('give {"port","tokensFile","ratePerS","durationMs"}');
const say = (message: string) => process.stderr.write(`[devices-load ${process.pid}] ${message}\n`);

let disconnects = 0;
let stopping = false;
const go = new Promise<void>((resolve) => process.once('SIGUSR2', () => resolve()));

const t0 = performance.now();
const clients: MqttClient[] = new Array(tokens.length);
let nextIndex = 0;
await Promise.all(
  Array.from({ length: Math.min(o.connectConcurrency ?? 10, tokens.length) }, async () => {
    while (nextIndex < tokens.length) {
      const i = nextIndex++;
      clients[i] = await connectDevice(o.port, tokens[i]!, `fleet-${process.pid}-${i}`, () => {
        if (!stopping) disconnects++;
      });
    }
  }),
);
const connectMs = performance.now() - t0;
say(`${clients.length} devices connected in ${Math.round(connectMs)} ms`);
console.log(JSON.stringify({ event: 'connected', clients: clients.length }));
await go;

let sent = 0;
let acked = 0;
let failed = 0;
let outstanding = 0;
const base = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
let turn = 0;
const start = performance.now();
const cpu0 = process.cpuUsage();

function publishOne(): void {
  const i = turn++ % clients.length;
  const client = clients[i]!;
  if (!client.connected) return;
  // One reading of two values; its own timestamp, so that every point is a new row.
  const payload = JSON.stringify({ ts: base + sent, values: { [MQTT_KEYS[0]!]: 20 + Math.random() * 15, [MQTT_KEYS[1]!]: 40 + Math.random() * 60 } });
  sent++;
  outstanding++;
  client.publish(TOPIC, payload, { qos: 1 }, (error) => {
    outstanding--;
    if (error) {
      if (!stopping) failed++;
    } else acked++;
  });
}

// Paced by the clock, not by the acknowledgements: a slow server falls behind, it does not slow the fleet down.
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const elapsed = performance.now() - start;
    if (elapsed >= o.durationMs) {
      clearInterval(timer);
      resolve();
      return;
    }
    const due = Math.floor((elapsed / 1000) * o.ratePerS);
    while (sent < due) publishOne();
  }, TICK_MS);
});
const cpu = process.cpuUsage(cpu0);
const seconds = (performance.now() - start) / 1000;
const ackedInWindow = acked;
stopping = true;
const drainUntil = performance.now() + (o.drainMs ?? 10_000);
while (outstanding > 0 && performance.now() < drainUntil) await new Promise<void>((r) => setTimeout(r, 20));
for (const client of clients) client.end(true);
console.log(JSON.stringify({ clients: clients.length, connectMs, sent, acked, ackedInWindow, seconds, failed, disconnects, outstandingAtEnd: outstanding, cpu: (cpu.user + cpu.system) / 1e6 / seconds }));
process.exit(0);
