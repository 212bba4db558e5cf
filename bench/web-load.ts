/**
 * The devices of the web benchmark, in a process of their own (apart from the
 * platform and from the browser): readings over the HTTP device API
 * (`POST /api/v1/{token}/telemetry`, one `{"ts","values"}` a request, kept-alive
 * connections), `rate` readings/s in total, devices in turn, for `durationMs`.
 *
 *   node bench/web-load.ts '<WebLoadOptions as JSON>'
 *
 * The values the command center shows as "max waterLevel" and "max PM2.5" carry
 * a time code, `100 + seconds since t0` (two decimals): they only grow, so the
 * number on screen tells which reading the page has drawn and when it was sent.
 * Vehicles send a new position each time (the map moves their markers).
 *
 * Prints `{"event":"start","t0":<ms>}` when the first reading goes out and a
 * last line with a WebLoadResult. SIGTERM ends the sending early (bench/notify.ts
 * keeps the load on for as long as its alarms take); the result is printed all the same.
 */
import fs from 'node:fs';
import { closeHttpAgent, percentile, request, sleep } from './lib.ts';

export interface WebLoadDevice {
  token: string;
  kind: string;
}
export interface WebLoadOptions {
  url: string;
  devicesFile: string;
  rate: number;
  durationMs: number;
}
export interface WebLoadResult {
  t0: number;
  /** readings sent, answered 200, refused or failed */
  sent: number;
  ok: number;
  failed: number;
  firstError: string | null;
  /** readings/s actually sent over the run */
  achievedRate: number;
  /** most readings the sender was behind its schedule (inflight limit reached) */
  maxBehind: number;
  httpP50Ms: number;
  httpP99Ms: number;
  /** the last time code sent, per displayed key, and when (ms since epoch) */
  lastCode: { waterLevel: number | null; pm25: number | null };
}

/** The time code of a reading sent at `now`. */
export function timeCode(t0: number, now: number): number {
  return Math.round((100 + (now - t0) / 1000) * 100) / 100;
}
/** When a reading with time code `code` was sent (±5 ms of rounding). */
export function sentAt(t0: number, code: number): number {
  return t0 + (code - 100) * 1000;
}

/** Values of one reading of a device of `kind`; `code` goes to the keys the command center shows. */
export function readingValues(kind: string, code: number | null, i: number): Record<string, number | boolean> {
  const r = (lo: number, hi: number) => Math.round((lo + Math.random() * (hi - lo)) * 100) / 100;
  switch (kind) {
    case 'river_gauge':
      return { waterLevel: code ?? r(0.5, 9), battery: r(3.5, 4.2), rssi: Math.round(r(-110, -60)) };
    case 'rain_gauge':
      return { rainfall: r(0, 40), battery: r(3.5, 4.2), rssi: Math.round(r(-110, -60)) };
    case 'air_quality':
      return { pm25: code ?? r(5, 80), pm10: r(10, 150), temperature: r(24, 35), humidity: r(50, 95) };
    case 'street_light':
      return { power: r(0, 150), voltage: r(210, 235), on: Math.random() < 0.5 };
    case 'pump':
      return { flow: r(0, 300), pressure: r(0, 6), running: Math.random() < 0.7 };
    case 'vehicle': {
      // Around the middle of the region, a little further each time.
      const a = (i * 0.37 + Date.now() / 60_000) % (2 * Math.PI);
      return { latitude: -3.35 + 0.2 * Math.sin(a), longitude: 103.08 + 0.35 * Math.cos(a), speed: r(0, 60) };
    }
    default:
      return { temperature: r(24, 40), uptime: Math.round(r(0, 1e6)) };
  }
}

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2] ?? '{}') as WebLoadOptions;
  const devices = JSON.parse(fs.readFileSync(o.devicesFile, 'utf8')) as WebLoadDevice[];
  const N = devices.length;
  if (!o.url || N === 0 || N > 100_000) throw new Error('give {"url","devicesFile"} with 1 to 100,000 devices');
  if (!(o.rate > 0 && o.rate <= 20_000 && o.durationMs > 0 && o.durationMs <= 600_000)) throw new Error('"rate" 1…20,000 and "durationMs" 1…600,000');
  const MAX_INFLIGHT = 256;
  const latencies: number[] = [];
  const lastCode: WebLoadResult['lastCode'] = { waterLevel: null, pm25: null };
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let inflight = 0;
  let maxBehind = 0;
  let firstError: string | null = null;

  let stopping = false;
  process.once('SIGTERM', () => (stopping = true));
  const t0 = Date.now();
  console.log(JSON.stringify({ event: 'start', t0 }));
  const send = (i: number) => {
    const device = devices[i % N]!;
    const now = Date.now();
    const code = timeCode(t0, now);
    const values = readingValues(device.kind, device.kind === 'river_gauge' || device.kind === 'air_quality' ? code : null, i);
    if (device.kind === 'river_gauge') lastCode.waterLevel = code;
    if (device.kind === 'air_quality') lastCode.pm25 = code;
    sent++;
    inflight++;
    request(o.url, 'POST', `/api/v1/${device.token}/telemetry`, { body: { ts: now, values }, timeoutMs: 30_000 }).then(
      (res) => {
        inflight--;
        if (latencies.length < 200_000) latencies.push(res.ms);
        if (res.status === 200) ok++;
        else {
          failed++;
          firstError ??= `${res.status} ${res.text.slice(0, 200)}`;
        }
      },
      (error: Error) => {
        inflight--;
        failed++;
        firstError ??= error.message;
      },
    );
  };
  // Paced: at each step, every reading that is due (as far as the inflight limit allows).
  const steps = Math.ceil(o.durationMs / 2) + 10_000;
  for (let step = 0; step < steps; step++) {
    const elapsed = Date.now() - t0;
    if (elapsed >= o.durationMs || stopping) break;
    const due = Math.floor((elapsed * o.rate) / 1000);
    while (sent < due && inflight < MAX_INFLIGHT) send(sent);
    maxBehind = Math.max(maxBehind, due - sent);
    await sleep(5);
  }
  const seconds = (Date.now() - t0) / 1000;
  for (let i = 0; i < 3000 && inflight > 0; i++) await sleep(10);
  closeHttpAgent();
  const result: WebLoadResult = {
    t0,
    sent,
    ok,
    failed: failed + inflight,
    firstError,
    achievedRate: sent / seconds,
    maxBehind,
    httpP50Ms: percentile(latencies, 50),
    httpP99Ms: percentile(latencies, 99),
    lastCode,
  };
  console.log(JSON.stringify(result));
}

// Run only as a script: bench/web.ts imports the helpers above.
if (process.argv[1]?.endsWith('web-load.ts')) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  });
}
