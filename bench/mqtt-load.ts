/**
 * The MQTT load generator, in a process of its own so that it does not share
 * an event loop with the broker it measures. It connects one mqtt.js client per
 * access token, then each client publishes readings to `v1/devices/me/telemetry`
 * at QoS 1 (MQTT 3.1.1, or 5 with `"protocolVersion":5`) with `inflight`
 * messages awaiting their PUBACK at any time, and
 * counts the PUBACKs that arrive in the measured window (after a warm-up).
 *
 *   node bench/mqtt-load.ts '{"port":1883,"tokensFile":"/tmp/t.json","warmupMs":2000,"durationMs":10000}'
 *
 * Prints `{"event":"window-end","acked":N}` the moment the window ends (the
 * parent may kill the broker then), and a last JSON line with the counts. Bounded: it publishes only until the
 * window ends, waits at most `drainMs` for the last acknowledgements, then quits.
 */
import fs from 'node:fs';
import type { MqttClient } from 'mqtt';
import { connectDevice, MQTT_KEYS } from './lib.ts';

interface Options {
  port: number;
  tokensFile: string;
  /** where to write, at the end, the numbers of the messages of each client acknowledged when the window ended */
  ackFile?: string;
  warmupMs: number;
  durationMs: number;
  /** messages awaiting PUBACK per client */
  inflight?: number;
  /** clients connecting at once */
  connectConcurrency?: number;
  /** longest wait for outstanding acknowledgements after the window */
  drainMs?: number;
  /** MQTT protocol version of every client: 4 (3.1.1, the default) or 5 */
  protocolVersion?: 4 | 5;
  /** ms timestamp of each client's first reading (the n-th is tsBase + n); by default an hour ago */
  tsBase?: number;
}

const TOPIC = 'v1/devices/me/telemetry';
const o = JSON.parse(process.argv[2] ?? '{}') as Options;
const tokens = JSON.parse(fs.readFileSync(o.tokensFile, 'utf8')) as string[];
const inflight = o.inflight ?? 1;
const protocolVersion = o.protocolVersion ?? 4;
if (!(o.port > 0) || tokens.length === 0 || !(o.durationMs > 0) || !(inflight >= 1 && inflight <= 100) || (protocolVersion !== 4 && protocolVersion !== 5)) {
  throw new Error('give {"port","tokensFile","warmupMs","durationMs","inflight":1…100,"protocolVersion":4|5}');
}
const say = (message: string) => process.stderr.write(`[mqtt-load] ${message}\n`);

let disconnects = 0;
let stopping = false;

function connect(token: string, i: number): Promise<MqttClient> {
  return connectDevice(
    o.port,
    token,
    `bench-${process.pid}-${i}`,
    () => {
      if (!stopping) disconnects++;
    },
    protocolVersion,
  );
}

const t0 = performance.now();
const clients: MqttClient[] = new Array(tokens.length);
let nextIndex = 0;
const concurrency = Math.min(o.connectConcurrency ?? 50, tokens.length);
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (nextIndex < tokens.length) {
      const i = nextIndex++;
      clients[i] = await connect(tokens[i]!, i);
    }
  }),
);
const connectMs = performance.now() - t0;
say(`${clients.length} clients connected (MQTT ${protocolVersion === 5 ? '5' : '3.1.1'}) in ${Math.round(connectMs)} ms`);

let acked = 0;
let ackedInWindow = 0;
let failed = 0;
let outstanding = 0;
const base = o.tsBase ?? Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
const start = performance.now();
const windowStart = start + o.warmupMs;
const windowEnd = windowStart + o.durationMs;
let cpuAtWindow: NodeJS.CpuUsage | null = null;

/** per client, the numbers (seq) of its messages acknowledged; timestamp = base + seq */
const ackedSeqs: number[][] = tokens.map(() => []);

function sender(client: MqttClient, acks: number[]) {
  let seq = 0;
  const send = () => {
    if (stopping || !client.connected) return;
    // One reading a message; its own timestamp, so every point is a new row.
    const mySeq = seq++;
    const payload = JSON.stringify({ ts: base + mySeq, values: { [MQTT_KEYS[0]!]: 20 + Math.random() * 15, [MQTT_KEYS[1]!]: 40 + Math.random() * 60 } });
    outstanding++;
    client.publish(TOPIC, payload, { qos: 1 }, (error) => {
      outstanding--;
      if (error) {
        if (!stopping) failed++;
        return;
      }
      acked++;
      acks.push(mySeq);
      const now = performance.now();
      if (now >= windowStart && now < windowEnd) ackedInWindow++;
      send();
    });
  };
  return send;
}

for (const [i, client] of clients.entries()) {
  const send = sender(client, ackedSeqs[i]!);
  for (let j = 0; j < inflight; j++) send();
}
await new Promise<void>((r) => setTimeout(r, o.warmupMs));
cpuAtWindow = process.cpuUsage();
await new Promise<void>((r) => setTimeout(r, Math.max(0, windowEnd - performance.now())));
const cpu = process.cpuUsage(cpuAtWindow);
stopping = true;
const ackedAtEnd = ackedSeqs.map((a) => a.length);
const windowSeconds = o.durationMs / 1000;
// Said at once (stdout is a pipe: written synchronously), so that the parent can kill
// the broker now and check that every message acknowledged so far was stored.
console.log(JSON.stringify({ event: 'window-end', acked }));

const drainUntil = performance.now() + (o.drainMs ?? 10_000);
while (outstanding > 0 && clients.some((c) => c.connected) && performance.now() < drainUntil) await new Promise<void>((r) => setTimeout(r, 20));
const outstandingAtEnd = outstanding;
for (const client of clients) client.end(true);
if (o.ackFile) fs.writeFileSync(o.ackFile, JSON.stringify({ base, acked: ackedSeqs.map((a, i) => a.slice(0, ackedAtEnd[i])) }));

console.log(
  JSON.stringify({
    clients: clients.length,
    connectMs,
    acked,
    ackedInWindow,
    windowSeconds,
    rate: ackedInWindow / windowSeconds,
    failed,
    disconnects,
    outstandingAtEnd,
    /** CPU share of this process during the window, 1.0 = one core */
    cpu: (cpu.user + cpu.system) / 1e6 / windowSeconds,
  }),
);
process.exit(0);
