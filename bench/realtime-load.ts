/**
 * The devices of the real-time benchmark, in a process of their own (apart
 * from the platform and from the WebSocket clients): one mqtt.js client per
 * access token, publishing `{"ts":<send time, ms>,"values":{"water_level":<seq>}}`
 * to `v1/devices/me/telemetry` at QoS 1.
 *
 *   node bench/realtime-load.ts '<LoadOptions as JSON>'
 *
 * paced: `rate` readings/s in total, devices in turn (device i % N sends its
 * reading i / N), each device `warmupSeqs + measuredSeqs` readings, then waits
 * (at most `drainMs`) for the last PUBACKs and writes the acknowledged measured
 * readings, one bit each, to `ackedFile`.
 * max: each device keeps `inflight` readings awaiting PUBACK; the PUBACKs of
 * the window after `warmupMs` give the rate.
 *
 * Prints `{"event":"connected"}`, `{"event":"window-start"}`,
 * `{"event":"window-end"}` as they happen, and a last line with a LoadResult.
 */
import fs from 'node:fs';
import type { MqttClient } from 'mqtt';
import { connectDevice } from './lib.ts';
import { BitRows, Histogram, KEY, TOPIC, type LoadOptions, type LoadResult } from './realtime-lib.ts';

const o = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
const tokens = JSON.parse(fs.readFileSync(o.tokensFile, 'utf8')) as string[];
const N = tokens.length;
if (!(o.port > 0) || N === 0 || N > 10_000) throw new Error('give {"port","tokensFile"} with 1 to 10,000 tokens');
if (o.mode === 'paced' && !((o.rate ?? 0) > 0 && (o.rate ?? 0) <= 100_000 && (o.measuredSeqs ?? 0) >= 1 && (o.warmupSeqs ?? -1) >= 0 && o.ackedFile)) {
  throw new Error('paced needs "rate" (1…100,000), "warmupSeqs", "measuredSeqs", "ackedFile"');
}
if (o.mode === 'max' && !((o.durationMs ?? 0) > 0 && (o.inflight ?? 1) >= 1 && (o.inflight ?? 1) <= 100)) throw new Error('max needs "durationMs" and "inflight" 1…100');
const say = (message: string) => process.stderr.write(`[realtime-load] ${message}\n`);
const event = (name: string, extra: Record<string, unknown> = {}) => console.log(JSON.stringify({ event: name, ...extra }));

let disconnects = 0;
let stopping = false;

function connect(token: string, i: number): Promise<MqttClient> {
  return connectDevice(o.port, token, `rt-${process.pid}-${i}`, () => {
    if (!stopping) disconnects++;
  });
}

const t0 = performance.now();
const clients: MqttClient[] = new Array(N);
let nextIndex = 0;
await Promise.all(
  Array.from({ length: Math.min(o.connectConcurrency ?? 50, N) }, async () => {
    while (nextIndex < N) {
      const i = nextIndex++;
      clients[i] = await connect(tokens[i]!, i);
    }
  }),
);
const connectMs = performance.now() - t0;
say(`${N} clients connected in ${Math.round(connectMs)} ms`);
event('connected');

/** The last ts each device sent: a device never sends two readings with the same ts (the second would overwrite the first). */
const lastTs = new Float64Array(N);
function payload(d: number, seq: number): string {
  const ts = Math.max(Date.now(), lastTs[d]! + 1);
  lastTs[d] = ts;
  return `{"ts":${ts},"values":{"${KEY}":${seq}}}`;
}

let sent = 0;
let acked = 0;
let failed = 0;
let outstanding = 0;
const ackLatency = new Histogram();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function drain(): Promise<number> {
  const until = performance.now() + (o.drainMs ?? 10_000);
  while (outstanding > 0 && clients.some((c) => c.connected) && performance.now() < until) await sleep(10);
  return outstanding;
}

let result: LoadResult;
if (o.mode === 'paced') {
  const rate = o.rate!;
  const W = o.warmupSeqs!;
  const M = o.measuredSeqs!;
  const total = N * (W + M);
  const ackedBits = new BitRows(N, M);
  let measuredSent = 0;
  let measuredAcked = 0;
  let k = 0;
  let windowStart = NaN;
  let windowEnd = NaN;
  let cpuAtStart: NodeJS.CpuUsage | null = null;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    // Every 5 ms, send what is due by now; at most 1 s of readings at once, so a stall does not turn into an unbounded burst.
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate), k + rate);
      for (; k < due; k++) {
        const d = k % N;
        const seq = Math.floor(k / N);
        const measured = seq >= W;
        if (measured && Number.isNaN(windowStart)) {
          windowStart = performance.now();
          cpuAtStart = process.cpuUsage();
          event('window-start');
        }
        const client = clients[d]!;
        if (!client.connected) continue;
        sent++;
        if (measured) measuredSent++;
        outstanding++;
        const t = performance.now();
        client.publish(TOPIC, payload(d, seq), { qos: 1 }, (error) => {
          outstanding--;
          if (error) {
            failed++;
            return;
          }
          acked++;
          if (measured) {
            measuredAcked++;
            ackedBits.set(d, seq - W);
            ackLatency.add(performance.now() - t);
          }
        });
      }
      if (k >= total) {
        clearInterval(timer);
        windowEnd = performance.now();
        resolve();
      }
    }, 5);
  });
  const cpu = process.cpuUsage(cpuAtStart ?? undefined);
  event('window-end');
  const windowSeconds = (windowEnd - windowStart) / 1000;
  const outstandingAtEnd = await drain();
  fs.writeFileSync(o.ackedFile!, ackedBits.bytes);
  result = {
    devices: N,
    connectMs,
    sent,
    acked,
    failed,
    disconnects,
    outstandingAtEnd,
    measuredSent,
    measuredAcked,
    // The window runs from the first measured reading to the last one sent: N·M − 1 intervals.
    rate: windowSeconds > 0 ? (N * M - 1) / windowSeconds : NaN,
    windowSeconds,
    ack: ackLatency.summary(),
    cpu: (cpu.user + cpu.system) / 1e6 / windowSeconds,
  };
} else {
  const inflight = o.inflight ?? 1;
  const warmupMs = o.warmupMs ?? 2000;
  const durationMs = o.durationMs!;
  const start = performance.now();
  const windowStart = start + warmupMs;
  const windowEnd = windowStart + durationMs;
  let ackedInWindow = 0;
  const seqs = new Uint32Array(N);
  const send = (d: number) => {
    const client = clients[d]!;
    if (stopping || !client.connected) return;
    sent++;
    outstanding++;
    const t = performance.now();
    client.publish(TOPIC, payload(d, seqs[d]!++), { qos: 1 }, (error) => {
      outstanding--;
      if (error) {
        if (!stopping) failed++;
        return;
      }
      acked++;
      const now = performance.now();
      if (now >= windowStart && now < windowEnd) {
        ackedInWindow++;
        ackLatency.add(now - t);
      }
      send(d);
    });
  };
  for (let d = 0; d < N; d++) for (let j = 0; j < inflight; j++) send(d);
  await sleep(warmupMs);
  event('window-start');
  const cpuAtStart = process.cpuUsage();
  await sleep(Math.max(0, windowEnd - performance.now()));
  const cpu = process.cpuUsage(cpuAtStart);
  stopping = true;
  event('window-end');
  const outstandingAtEnd = await drain();
  result = {
    devices: N,
    connectMs,
    sent,
    acked,
    failed,
    disconnects,
    outstandingAtEnd,
    measuredSent: NaN,
    measuredAcked: ackedInWindow,
    rate: ackedInWindow / (durationMs / 1000),
    windowSeconds: durationMs / 1000,
    ack: ackLatency.summary(),
    cpu: (cpu.user + cpu.system) / 1e6 / (durationMs / 1000),
  };
}
stopping = true;
for (const client of clients) client.end(true);
console.log(JSON.stringify(result));
process.exit(0);
