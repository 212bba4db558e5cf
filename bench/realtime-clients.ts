/**
 * The WebSocket clients of the real-time benchmark, in a process of their own:
 * `clients` connections to /api/v1/stream, each subscribed to all telemetry.
 * For each reading received it takes the latency (now − the reading's ts, which
 * the device set to its send time; the same machine clock) and marks the
 * reading as received by that client.
 *
 *   node bench/realtime-clients.ts '<ClientsOptions as JSON>'
 *
 * Prints `{"event":"ready"}` once every client is subscribed, then
 * `{"event":"progress","received":N}` every 250 ms; on SIGTERM writes the bits
 * of the received measured readings to `receivedFile` and a ClientsResult (JSON)
 * to `resultFile`.
 */
import fs from 'node:fs';
import { WebSocket } from 'ws';
import { BitRows, Histogram, KEY, type ClientsOptions, type ClientsResult } from './realtime-lib.ts';

const o = JSON.parse(process.argv[2] ?? '{}') as ClientsOptions;
const deviceIds = JSON.parse(fs.readFileSync(o.deviceIdsFile, 'utf8')) as string[];
const N = deviceIds.length;
const W = o.warmupSeqs;
const M = o.measuredSeqs;
if (!(o.clients >= 1 && o.clients <= 1000) || N === 0 || !(M >= 1) || !(W >= 0)) throw new Error('give {"url","token","clients" 1…1000,"deviceIdsFile","warmupSeqs","measuredSeqs","receivedFile"}');
const index = new Map(deviceIds.map((id, i) => [id, i]));
const say = (message: string) => process.stderr.write(`[realtime-clients] ${message}\n`);

const received = new BitRows(o.clients * N, M);
const latency = new Histogram();
let measured = 0;
let duplicates = 0;
let other = 0;
const closed: ClientsResult['closed'] = [];
/** Date.now() of the first and the last measured reading received */
let firstAt = Infinity;
let lastAt = -Infinity;
let seen = 0;

/**
 * Reading a telemetry message without JSON.parse, which would cost this process
 * about twice the CPU (it shares the machine with the platform). The hub writes
 * `{"type":"telemetry","subscription":…,"deviceId":…,"ts":…,"values":{…}}`;
 * anything else goes to JSON.parse.
 */
const PREFIX = '{"type":"telemetry","subscription":"';
function scan(text: string): { subscription: string; deviceId: string; ts: number; seq: number } | null {
  const subEnd = text.indexOf('"', PREFIX.length);
  const dev = text.indexOf('"deviceId":"', subEnd);
  const devEnd = dev < 0 ? -1 : text.indexOf('"', dev + 12);
  const tsAt = text.indexOf('"ts":', devEnd);
  const valueAt = text.indexOf(`"${KEY}":`, tsAt);
  if (subEnd < 0 || devEnd < 0 || tsAt < 0 || valueAt < 0) return null;
  const ts = Number.parseInt(text.slice(tsAt + 5, tsAt + 25), 10);
  const seq = Number.parseFloat(text.slice(valueAt + KEY.length + 3, valueAt + KEY.length + 25));
  if (!Number.isFinite(ts) || !Number.isFinite(seq)) return null;
  return { subscription: text.slice(PREFIX.length, subEnd), deviceId: text.slice(dev + 12, devEnd), ts, seq };
}
const sockets: WebSocket[] = [];
let stopping = false;

function open(c: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${o.url.replace(/^http/, 'ws')}/api/v1/stream?token=${encodeURIComponent(o.token)}`, { perMessageDeflate: false });
    const timer = setTimeout(() => reject(new Error(`client ${c}: not subscribed within 30 s`)), 30_000);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`client ${c}: handshake refused with ${res.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'subscribe', id: 's1', topic: 'telemetry' })));
    ws.on('close', (code, reason) => {
      if (!stopping) closed.push({ client: c, code, reason: reason.toString() });
    });
    const row = c * N;
    ws.on('message', (data: Buffer) => {
      const now = Date.now();
      const text = data.toString('latin1');
      const fast = text.startsWith(PREFIX) ? scan(text) : null;
      // Now and then, the fast reading is checked against JSON.parse.
      if (fast && (++seen & 1023) === 0) {
        const m = JSON.parse(text) as { subscription: string; deviceId: string; ts: number; values: Record<string, unknown> };
        if (m.subscription !== fast.subscription || m.deviceId !== fast.deviceId || m.ts !== fast.ts || m.values[KEY] !== fast.seq) {
          throw new Error(`the fast reading of a message went wrong: ${text}`);
        }
      }
      if (fast) {
        const d = index.get(fast.deviceId);
        const seq = fast.seq;
        if (d === undefined || seq < W || seq >= W + M || fast.subscription !== 's1') {
          other++;
          return;
        }
        if (!received.set(row + d, seq - W)) {
          duplicates++;
          return;
        }
        measured++;
        firstAt = Math.min(firstAt, now);
        lastAt = now;
        latency.add(now - fast.ts);
        return;
      }
      const m = JSON.parse(text) as { type: string };
      if (m.type === 'subscribed') {
        clearTimeout(timer);
        resolve(ws);
      } else if (m.type === 'error') {
        reject(new Error(`client ${c}: ${JSON.stringify(m)}`));
      } else {
        other++;
      }
    });
  });
}

for (let c = 0; c < o.clients; c++) sockets.push(await open(c));
say(`${o.clients} clients subscribed`);
console.log(JSON.stringify({ event: 'ready' }));
const cpuAtStart = process.cpuUsage();
const t0 = performance.now();
const progress = setInterval(() => console.log(JSON.stringify({ event: 'progress', received: measured })), 250);

function finish(): void {
  if (stopping) return;
  stopping = true;
  clearInterval(progress);
  const cpu = process.cpuUsage(cpuAtStart);
  for (const ws of sockets) ws.terminate();
  fs.writeFileSync(o.receivedFile, received.bytes);
  const result: ClientsResult = {
    clients: o.clients,
    received: measured,
    duplicates,
    other,
    latency: { ...latency.summary(), histogram: latency.pairs() },
    closed,
    firstAt: Number.isFinite(firstAt) ? firstAt : null,
    lastAt: Number.isFinite(lastAt) ? lastAt : null,
    cpu: (cpu.user + cpu.system) / 1e6 / ((performance.now() - t0) / 1000),
  };
  // To a file: with long latencies the histogram makes a line too long to pass through a pipe with other output.
  fs.writeFileSync(o.resultFile, JSON.stringify(result));
  process.exit(0);
}
process.on('SIGTERM', finish);
process.on('SIGINT', finish);
// Bounded even if nobody says stop.
setTimeout(finish, 15 * 60_000).unref();
