/**
 * The real-time benchmark: `npm run bench:realtime` (add `-- --quick` for a short run).
 *
 * It runs the platform as a user does (`node src/main.ts`, a child
 * process on free ports with a fresh DATA_DIR, SQLite; PostgreSQL too with
 * --dialects=sqlite,postgres when 127.0.0.1:5432 answers) and measures:
 *   1. Ingest → WebSocket: 1,000 MQTT devices (mqtt.js clients in a load
 *      generator process of their own) send 5,000 readings/s in total at QoS 1;
 *      50 WebSocket clients (another process) each subscribe to all telemetry.
 *      Each reading carries its send time as ts and its sequence number as
 *      value: latency p50/p99/max is taken at receipt, and every reading the
 *      platform acknowledged (PUBACK) must reach every client. Measured over
 *      the readings of ~10 s of steady load after a warm-up; once with no
 *      rules, once with the 1,000 rules of (2).
 *      When the target misses, lower rates are tried (½, ⅕, 1/10, 1/20) to find
 *      the highest that meets it.
 *   2. Rule-evaluation overhead: the maximum ingest rate with 0 rules and with
 *      1,000 rules (one per device: 950 on a threshold the readings never cross,
 *      50 on one they always cross, so alarms open and count repeats), under
 *      the same load: MQTT (1,000 devices, 4 readings awaiting PUBACK each) and
 *      HTTP (100 points a request, 16 connections, devices in turn). After an
 *      unmeasured warm-up of the database the runs alternate, 0 / 1,000 / 0 /
 *      1,000 / 0 rules (rules disabled and enabled again by API), so that a
 *      drift over the run (the database grows, neighbours on the machine come
 *      and go) falls on both alike; overhead = 1 − mean with / mean without.
 *   3. The server's peak RSS (VmHWM).
 *
 * Flags: --quick, --duration=<s> (measured seconds of each phase),
 * --dialects=sqlite[,postgres], --devices=<n>, --rate=<readings/s>,
 * --ws-clients=<n>, --ws-procs=<n> (processes the WebSocket clients are split
 * over), --rules=<n>, --crossing=<%> (of the rules that the readings cross; 5),
 * --mqtt-inflight=<n> (readings awaiting PUBACK per device in the maximum-rate
 * MQTT runs; 4, so that the server and not the round trips is the limit),
 * --only=latency|overhead, --cpu-prof[=<dir>] (the server writes a V8 CPU
 * profile there; the phases' offsets are logged for bench/profile-top.ts).
 * Progress goes to stderr; stdout holds one table. Exit code 1 if a phase failed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import {
  ADMIN,
  HTTP_KEYS,
  HTTP_POINTS_PER_REQUEST,
  HTTP_TS_PER_REQUEST,
  call,
  closeHttpAgent,
  cpuMeter,
  fmtInt,
  fmtMs,
  formatTable,
  freshStorage,
  killAllChildren,
  log,
  machineMeter,
  pool,
  portAnswers,
  procStatusKb,
  request,
  sleep,
  spawnNode,
  startPlatform,
  tempDir,
  type Child,
  type CpuPicture,
  type Server,
  type Storage,
  cleanUpOnExit,
  numberSetting,
} from './lib.ts';
import { BitRows, DEVICE_TYPE, Histogram, KEY, lastResult, othersMeter, seqsFor, waitForLine, type ClientsOptions, type ClientsResult, type LoadOptions, type LoadResult } from './realtime-lib.ts';

// ---------------------------------------------------------------- settings

const isCpuProf = (a: string) => a === '--cpu-prof' || a.startsWith('--cpu-prof=');
const cpuProfArg = process.argv.slice(2).find(isCpuProf);
const { values: flags } = parseArgs({
  args: process.argv.slice(2).filter((a) => !isCpuProf(a)),
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    dialects: { type: 'string', default: 'sqlite' },
    devices: { type: 'string' },
    rate: { type: 'string' },
    'ws-clients': { type: 'string' },
    'ws-procs': { type: 'string' },
    rules: { type: 'string' },
    only: { type: 'string' },
    crossing: { type: 'string' },
    'mqtt-inflight': { type: 'string' },
  },
  allowPositionals: false,
});

function intSetting(raw: string | undefined, fallback: number, min: number, max: number, name: string): number {
  return numberSetting(raw, fallback, min, max, name);
}

const quick = flags.quick === true;
const settings = {
  /** measured seconds of each phase */
  loadS: intSetting(flags.duration, quick ? 3 : 10, 1, 60, '--duration'),
  /** seconds of load before each measured stretch */
  warmupS: quick ? 1 : 3,
  devices: intSetting(flags.devices, 1000, 1, 5000, '--devices'),
  /** readings/s of all devices together in the latency phases */
  rate: intSetting(flags.rate, 5000, 1, 50_000, '--rate'),
  wsClients: intSetting(flags['ws-clients'], 50, 1, 500, '--ws-clients'),
  wsProcs: intSetting(flags['ws-procs'], 1, 1, 8, '--ws-procs'),
  rules: intSetting(flags.rules, 1000, 1, 10_000, '--rules'),
  /** share of the rules whose threshold the readings cross, in % */
  crossingShare: intSetting(flags.crossing, 5, 0, 100, '--crossing') / 100,
  httpConnections: 16,
  /** readings awaiting PUBACK per device in the maximum-rate MQTT runs */
  mqttInflight: intSetting(flags['mqtt-inflight'], 4, 1, 100, '--mqtt-inflight'),
  dialects: (flags.dialects ?? 'sqlite').split(',').map((d) => d.trim()),
  /** latency: phase 1 only (no rules); overhead: phase 2 only */
  only: flags.only,
  cpuProfDir: cpuProfArg === undefined ? undefined : path.resolve(cpuProfArg.includes('=') && cpuProfArg.split('=')[1] ? cpuProfArg.split('=')[1]! : path.join(os.tmpdir(), `cerdas-bench-realtime-profiles-${Date.now()}`)),
};
for (const d of settings.dialects) if (d !== 'sqlite' && d !== 'postgres') throw new Error('--dialects takes sqlite and/or postgres');
if (settings.only !== undefined && settings.only !== 'latency' && settings.only !== 'overhead') throw new Error('--only takes latency or overhead');
if (settings.rules > settings.devices) throw new Error('--rules may not exceed --devices (one rule per device)');

const RUN_LIMIT_MS = 20 * 60_000;
/** Longest wait, after the load, for the last PUBACKs and then for the last deliveries to the WebSocket clients */
const DRAIN_MS = 120_000;
const TARGET = { p99Ms: 50, lost: 0, overhead: 0.1, rssMb: 300 };

// ---------------------------------------------------------------- the table

type Status = 'meets target' | 'misses' | 'n/a' | 'FAILED';
interface Row {
  db: string;
  measure: string;
  result: string;
  target: string;
  status: Status;
  detail: string;
}
const table: Row[] = [];
const status = (ok: boolean): Status => (ok ? 'meets target' : 'misses');
const mb = (kb: number) => (kb * 1024) / 1e6;
const cores = (n: number | null) => (n === null ? '?' : n.toFixed(2));
/** What else the machine did in a window: other processes (another benchmark skews the figures), the hypervisor's steal, PostgreSQL. */
const elsewhere = (m: CpuPicture | null, others: Others) =>
  (m ? `machine busy ${m.busy.toFixed(2)} cores${m.steal >= 0.05 ? `, steal ${m.steal.toFixed(2)}` : ''}${m.postgres >= 0.01 ? `, PostgreSQL ${m.postgres.toFixed(2)}` : ''}` : 'machine CPU unknown') +
  (others && others.cores >= 0.05 ? `, OTHER PROCESSES ${others.cores.toFixed(2)} cores (${others.top})` : '');
type Others = ReturnType<ReturnType<typeof othersMeter>['stop']>;

// ---------------------------------------------------------------- cleanup

const storages = new Set<Storage>();
const dirs = new Set<string>();
let cleaningUp: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    killAllChildren();
    for (const s of storages) await s.drop().catch((error: unknown) => log(`could not drop ${s.schema ?? s.dataDir}: ${(error as Error).message}`));
    storages.clear();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    dirs.clear();
    closeHttpAgent();
  })();
  return cleaningUp;
}
cleanUpOnExit(cleanup, RUN_LIMIT_MS);

// ---------------------------------------------------------------- the platform's devices and rules

interface Fleet {
  token: string;
  tokens: string[];
  ids: string[];
  tokensFile: string;
  idsFile: string;
  dir: string;
}

async function makeFleet(server: Server): Promise<Fleet> {
  const { token } = await call<{ token: string }>(server.url, 'POST', '/api/v1/auth/login', { body: ADMIN });
  const made = await pool(
    Array.from({ length: settings.devices }, (_, i) => i),
    8,
    (i) => call<{ id: string; accessToken: string }>(server.url, 'POST', '/api/v1/devices', { token, body: { name: `PDA realtime ${i}`, type: DEVICE_TYPE } }, 201),
  );
  const dir = tempDir('cerdas-bench-realtime-');
  dirs.add(dir);
  const tokensFile = path.join(dir, 'tokens.json');
  const idsFile = path.join(dir, 'device-ids.json');
  fs.writeFileSync(tokensFile, JSON.stringify(made.map((d) => d.accessToken)));
  fs.writeFileSync(idsFile, JSON.stringify(made.map((d) => d.id)));
  return { token, tokens: made.map((d) => d.accessToken), ids: made.map((d) => d.id), tokensFile, idsFile, dir };
}

/** One rule per device: most on a threshold no reading crosses, the last `crossingShare` on one every reading crosses (an alarm opens, then counts repeats). */
async function createRules(server: Server, fleet: Fleet): Promise<string[]> {
  const crossingFrom = settings.rules - Math.round(settings.rules * settings.crossingShare);
  return pool(Array.from({ length: settings.rules }, (_, i) => i), 8, async (i) => {
    const crossing = i >= crossingFrom;
    const body = {
      name: crossing ? `Bench crossing ${i}` : `Bench siaga ${i}`,
      severity: 'siaga',
      target: { kind: 'device', value: fleet.ids[i]! },
      key: KEY,
      condition: crossing ? { op: 'gt', value: -1 } : { op: 'gt', value: 1e9 },
      durationSeconds: crossing ? 0 : 600,
    };
    return (await call<{ id: string }>(server.url, 'POST', '/api/v1/rules', { token: fleet.token, body }, 201)).id;
  });
}

async function setRulesEnabled(server: Server, fleet: Fleet, ids: string[], enabled: boolean): Promise<void> {
  await pool(ids, 8, (id) => call(server.url, 'PATCH', `/api/v1/rules/${id}`, { token: fleet.token, body: { enabled } }));
}

async function activeAlarms(server: Server, fleet: Fleet): Promise<number> {
  const page = await call<{ items: unknown[] }>(server.url, 'GET', '/api/v1/alarms?status=active&limit=1000', { token: fleet.token });
  return page.items.length;
}

// ---------------------------------------------------------------- phase 1: ingest → WebSocket

interface LatencyResult {
  load: LoadResult;
  latency: Histogram;
  /** deliveries expected: acknowledged measured readings × clients */
  expected: number;
  received: number;
  /** measured deliveries per second, from the first to the last one received */
  deliveryRate: number;
  lost: number;
  lostPerClient: number[];
  /** received by a client although the device never got its PUBACK */
  unacked: number;
  duplicates: number;
  closed: ClientsResult['closed'];
  cpu: { server: number | null; load: number | null; clients: number | null; machine: CpuPicture | null; others: Others };
}

async function latencyPhase(server: Server, fleet: Fleet, label: string, t0: number, shape = { rate: settings.rate, warmupS: settings.warmupS, loadS: settings.loadS }): Promise<LatencyResult> {
  const N = settings.devices;
  const W = seqsFor(shape.warmupS, shape.rate, N);
  const M = seqsFor(shape.loadS, shape.rate, N);
  const procs: { child: Child; clients: number; file: string; resultFile: string; progress: number }[] = [];
  const per = Math.ceil(settings.wsClients / settings.wsProcs);
  for (let p = 0, left = settings.wsClients; left > 0; p++, left -= per) {
    const clients = Math.min(per, left);
    const file = path.join(fleet.dir, `received-${label}-${p}.bin`);
    const resultFile = path.join(fleet.dir, `clients-${label}-${p}.json`);
    const options: ClientsOptions = { url: server.url, token: fleet.token, clients, deviceIdsFile: fleet.idsFile, warmupSeqs: W, measuredSeqs: M, receivedFile: file, resultFile };
    const child = spawnNode('bench/realtime-clients.ts', [JSON.stringify(options)], {});
    const entry = { child, clients, file, resultFile, progress: 0 };
    child.onLine((line) => {
      if (line.startsWith('{"event":"progress"')) entry.progress = (JSON.parse(line) as { received: number }).received;
    });
    procs.push(entry);
  }
  await Promise.all(procs.map((p) => waitForLine(p.child, (m) => m.event === 'ready', 60_000, 'the WebSocket clients')));
  log(`${label}: ${settings.wsClients} WebSocket clients subscribed; ${N} devices send ${fmtInt(shape.rate)} readings/s (${W} warm-up + ${M} measured readings each)`);

  const ackedFile = path.join(fleet.dir, `acked-${label}.bin`);
  const loadOptions: LoadOptions = { port: server.mqttPort, tokensFile: fleet.tokensFile, mode: 'paced', rate: shape.rate, warmupSeqs: W, measuredSeqs: M, ackedFile, connectConcurrency: 16, drainMs: DRAIN_MS };
  const gen = spawnNode('bench/realtime-load.ts', [JSON.stringify(loadOptions)], {});
  const bound = 120_000 + (shape.warmupS + shape.loadS) * 3000 + DRAIN_MS;
  const killTimer = setTimeout(() => gen.child.kill('SIGKILL'), bound);
  try {
    await waitForLine(gen, (m) => m.event === 'window-start', bound, 'the load generator (window start)');
    const from = (performance.now() - t0) / 1000;
    const meters = { server: cpuMeter(server.pid), load: cpuMeter(gen.pid), clients: procs.map((p) => cpuMeter(p.child.pid)), machine: machineMeter(), others: othersMeter() };
    await waitForLine(gen, (m) => m.event === 'window-end', bound, 'the load generator (window end)');
    const clientCpu = meters.clients.map((m) => m.stop());
    const cpu = {
      server: meters.server.stop(),
      load: meters.load.stop(),
      clients: clientCpu.some((c) => c === null) ? null : clientCpu.reduce<number>((a, b) => a + b!, 0),
      machine: meters.machine.stop(),
      others: meters.others.stop(),
    };
    log(`${label}: measured window ${from.toFixed(1)}–${((performance.now() - t0) / 1000).toFixed(1)} s after the server started`);
    const { code, signal } = await gen.exited;
    if (code !== 0) throw new Error(`the load generator ended with ${code ?? signal}:\n${gen.output().slice(-3000)}`);
    const load = lastResult<LoadResult>(gen, 'the load generator');
    const acked = new BitRows(N, M, fs.readFileSync(ackedFile));

    // Wait for the last deliveries: until every client has every acknowledged reading, or nothing new arrives for 3 s, or DRAIN_MS.
    // The clients keep reading meanwhile: a platform that is behind gets to deliver all it owes, and is not slowed by writing to closed sockets.
    const expected = load.measuredAcked * settings.wsClients;
    const until = performance.now() + DRAIN_MS;
    let last = -1;
    let still = performance.now();
    for (;;) {
      const now = procs.reduce((a, p) => a + p.progress, 0);
      if (now >= expected || performance.now() > until) break;
      if (now !== last) {
        last = now;
        still = performance.now();
      } else if (performance.now() - still > 3000) break;
      await sleep(100);
    }

    const latency = new Histogram();
    const lostPerClient: number[] = [];
    let received = 0;
    let unacked = 0;
    let duplicates = 0;
    const closed: ClientsResult['closed'] = [];
    let base = 0;
    let firstAt = Infinity;
    let lastAt = -Infinity;
    for (const p of procs) {
      p.child.child.kill('SIGTERM');
      const ended = await Promise.race([p.child.exited, sleep(30_000).then(() => null)]);
      if (!ended || ended.code !== 0) throw new Error(`the WebSocket clients ended with ${ended ? ended.code ?? ended.signal : 'nothing in 30 s'}:\n${p.child.output().slice(-3000)}`);
      const r = JSON.parse(fs.readFileSync(p.resultFile, 'utf8')) as ClientsResult;
      latency.merge(r.latency.histogram, r.latency.max);
      received += r.received;
      if (r.firstAt !== null) firstAt = Math.min(firstAt, r.firstAt);
      if (r.lastAt !== null) lastAt = Math.max(lastAt, r.lastAt);
      duplicates += r.duplicates;
      closed.push(...r.closed.map((c) => ({ ...c, client: c.client + base })));
      const got = new BitRows(p.clients * N, M, fs.readFileSync(p.file));
      for (let c = 0; c < p.clients; c++) {
        let lost = 0;
        for (let d = 0; d < N; d++) {
          const row = c * N + d;
          for (let s = 0; s < M; s++) {
            const a = acked.has(d, s);
            const g = got.has(row, s);
            if (a && !g) lost++;
            else if (g && !a) unacked++;
          }
        }
        lostPerClient.push(lost);
      }
      base += p.clients;
    }
    const deliveryRate = lastAt > firstAt ? received / ((lastAt - firstAt) / 1000) : NaN;
    return { load, latency, expected, received, deliveryRate, lost: lostPerClient.reduce((a, b) => a + b, 0), lostPerClient, unacked, duplicates, closed, cpu };
  } finally {
    clearTimeout(killTimer);
    await gen.stop('SIGKILL', 5000);
    for (const p of procs) await p.child.stop('SIGKILL', 5000);
  }
}

function meetsLatency(r: LatencyResult): boolean {
  return r.latency.count > 0 && r.latency.percentile(99) <= TARGET.p99Ms && r.lost === 0;
}

/**
 * When the target rate misses: the highest of a few lower rates (same devices
 * and clients, shorter phases) at which the latency and loss targets are met,
 * so that the table says how far off the platform is.
 */
async function sweep(server: Server, fleet: Fleet, db: string, t0: number): Promise<void> {
  const measure = `highest rate meeting p99 ≤ ${TARGET.p99Ms} ms and no loss, ${settings.wsClients} clients, no rules`;
  const tried: string[] = [];
  for (const share of [0.5, 0.2, 0.1, 0.05]) {
    const rate = Math.max(1, Math.round(settings.rate * share));
    log(`${db}: ingest → WebSocket at ${fmtInt(rate)} readings/s`);
    const r = await latencyPhase(server, fleet, `sweep-${rate}`, t0, { rate, warmupS: Math.min(2, settings.warmupS), loadS: Math.min(5, settings.loadS) }).catch((e: unknown) => e as Error);
    await settle(server, db);
    if (r instanceof Error) {
      tried.push(`${fmtInt(rate)}/s: failed (${r.message.split('\n')[0]!.slice(0, 80)})`);
      break;
    }
    const s = r.latency.summary();
    tried.push(`${fmtInt(rate)}/s: p99 ${fmtMs(s.p99)} ms, lost ${fmtInt(r.lost)}, ${fmtInt(r.deliveryRate)} deliveries/s`);
    if (meetsLatency(r)) {
      table.push({ db, measure, result: `${fmtInt(rate)} readings/s (${fmtInt(rate * settings.wsClients)} deliveries/s)`, target: `${fmtInt(settings.rate)} readings/s`, status: 'misses', detail: tried.join('; ') });
      return;
    }
  }
  table.push({ db, measure, result: `< ${fmtInt(Math.round(settings.rate * 0.05))} readings/s`, target: `${fmtInt(settings.rate)} readings/s`, status: 'misses', detail: tried.join('; ') });
}

function addLatencyRows(db: string, label: string, r: LatencyResult | Error, busyAfterS: number): void {
  const measure = `ingest → WebSocket latency p50 / p99 / max, ${label}`;
  const lossMeasure = `readings lost (acknowledged, not received), ${label}`;
  if (r instanceof Error) {
    table.push({ db, measure, result: '—', target: `p99 ≤ ${TARGET.p99Ms} ms`, status: 'FAILED', detail: r.message.split('\n')[0]!.slice(0, 200) });
    table.push({ db, measure: lossMeasure, result: '—', target: 'none', status: 'FAILED', detail: 'see above' });
    return;
  }
  const s = r.latency.summary();
  const l = r.load;
  table.push({
    db,
    measure,
    result: `${fmtMs(s.p50)} / ${fmtMs(s.p99)} / ${fmtMs(s.max)} ms`,
    target: `p99 ≤ ${TARGET.p99Ms} ms`,
    status: s.count === 0 ? 'FAILED' : status(s.p99 <= TARGET.p99Ms),
    detail:
      `${fmtInt(l.devices)} MQTT devices at ${fmtInt(l.rate)} readings/s for ${l.windowSeconds.toFixed(1)} s → ${settings.wsClients} clients (${fmtInt(l.rate * settings.wsClients)} deliveries/s due), ${fmtInt(s.count)} deliveries timed at ${fmtInt(r.deliveryRate)}/s; ` +
      `PUBACK p50/p99 ${fmtMs(l.ack.p50)}/${fmtMs(l.ack.p99)} ms${busyAfterS > 1 ? `; busy ${busyAfterS.toFixed(0)} s after the load working off its backlog` : ''}; CPU cores: server ${cores(r.cpu.server)}, devices ${cores(r.cpu.load)}, clients ${cores(r.cpu.clients)}, ${elsewhere(r.cpu.machine, r.cpu.others)}`,
  });
  const worst = Math.max(0, ...r.lostPerClient);
  const withLoss = r.lostPerClient.filter((n) => n > 0).length;
  const trouble = [
    l.failed > 0 ? `${fmtInt(l.failed)} publishes failed` : '',
    l.disconnects > 0 ? `${l.disconnects} devices disconnected` : '',
    l.outstandingAtEnd > 0 ? `${fmtInt(l.outstandingAtEnd)} PUBACKs never came` : '',
    r.closed.length > 0 ? `${r.closed.length} clients closed by the server (${[...new Set(r.closed.map((c) => `${c.code} ${c.reason}`))].join('; ').slice(0, 120)})` : '',
    r.duplicates > 0 ? `${fmtInt(r.duplicates)} duplicates` : '',
    r.unacked > 0 ? `${fmtInt(r.unacked)} received without PUBACK` : '',
  ].filter(Boolean);
  table.push({
    db,
    measure: lossMeasure,
    result: `${fmtInt(r.lost)} of ${fmtInt(r.expected)}`,
    target: 'none',
    status: r.expected === 0 ? 'FAILED' : status(r.lost <= TARGET.lost && l.measuredAcked === l.measuredSent),
    detail:
      `per client: ${fmtInt(l.measuredAcked)} acknowledged of ${fmtInt(l.measuredSent)} sent, worst client lost ${fmtInt(worst)}, ${withLoss} of ${settings.wsClients} clients lost any` +
      (trouble.length > 0 ? `; ${trouble.join(', ')}` : ''),
  });
}

// ---------------------------------------------------------------- phase 2: maximum ingest rate

interface RateResult {
  /** readings/s (MQTT) or points/s (HTTP) acknowledged in the window */
  rate: number;
  serverCpu: number | null;
  machine: CpuPicture | null;
  errors: number;
  detail: string;
}

async function mqttMax(server: Server, fleet: Fleet, warmupS = settings.warmupS, loadS = settings.loadS): Promise<RateResult> {
  const options: LoadOptions = { port: server.mqttPort, tokensFile: fleet.tokensFile, mode: 'max', inflight: settings.mqttInflight, warmupMs: warmupS * 1000, durationMs: loadS * 1000, connectConcurrency: 16, drainMs: 10_000 };
  const gen = spawnNode('bench/realtime-load.ts', [JSON.stringify(options)], {});
  const bound = 120_000 + (warmupS + loadS) * 1000 + 10_000;
  const killTimer = setTimeout(() => gen.child.kill('SIGKILL'), bound);
  try {
    await waitForLine(gen, (m) => m.event === 'window-start', bound, 'the MQTT load (window start)');
    const server0 = cpuMeter(server.pid);
    const machine0 = machineMeter();
    const others0 = othersMeter();
    await waitForLine(gen, (m) => m.event === 'window-end', bound, 'the MQTT load (window end)');
    const serverCpu = server0.stop();
    const machine = machine0.stop();
    const others = others0.stop();
    const { code, signal } = await gen.exited;
    if (code !== 0) throw new Error(`the MQTT load ended with ${code ?? signal}:\n${gen.output().slice(-3000)}`);
    const r = lastResult<LoadResult>(gen, 'the MQTT load');
    return {
      rate: r.rate,
      serverCpu,
      machine,
      errors: r.failed + r.disconnects,
      detail: `PUBACK p50/p99 ${fmtMs(r.ack.p50)}/${fmtMs(r.ack.p99)} ms, server ${cores(serverCpu)} cores, devices ${cores(r.cpu)} cores, ${elsewhere(machine, others)}`,
    };
  } finally {
    clearTimeout(killTimer);
    await gen.stop('SIGKILL', 5000);
  }
}

/** HTTP batched ingest: 16 keep-alive connections, devices in turn, 10 timestamps × 10 keys a request, every point a new (series, ts). */
function httpLoader(server: Server, fleet: Fleet) {
  const lastTs = new Float64Array(fleet.tokens.length);
  let turn = 0;
  const body = (d: number) => {
    const first = Math.max(Date.now(), lastTs[d]! + 1);
    lastTs[d] = first + HTTP_TS_PER_REQUEST - 1;
    const rows: { ts: number; values: Record<string, number> }[] = [];
    for (let j = 0; j < HTTP_TS_PER_REQUEST; j++) {
      const values: Record<string, number> = {};
      for (const k of HTTP_KEYS) values[k] = Math.round(Math.random() * 100_000) / 100;
      rows.push({ ts: first + j, values });
    }
    return JSON.stringify(rows);
  };
  return (warmupS = settings.warmupS, loadS = settings.loadS): Promise<RateResult> =>
    new Promise((resolve, reject) => {
      const counts = { ok: 0, non2xx: 0, errors: 0 };
      let windowCounts: typeof counts | null = null;
      let meters: { server: ReturnType<typeof cpuMeter>; machine: ReturnType<typeof machineMeter>; others: ReturnType<typeof othersMeter>; at: number } | null = null;
      const warmup = setTimeout(() => {
        windowCounts = { ...counts };
        meters = { server: cpuMeter(server.pid), machine: machineMeter(), others: othersMeter(), at: performance.now() };
      }, warmupS * 1000);
      let result: RateResult | null = null;
      const end = setTimeout(() => {
        if (!meters || !windowCounts) return;
        const seconds = (performance.now() - meters.at) / 1000;
        const serverCpu = meters.server.stop();
        const machine = meters.machine.stop();
        const others = meters.others.stop();
        result = {
          rate: ((counts.ok - windowCounts.ok) * HTTP_POINTS_PER_REQUEST) / seconds,
          serverCpu,
          machine,
          errors: counts.non2xx - windowCounts.non2xx + counts.errors - windowCounts.errors,
          detail: `${fmtInt((counts.ok - windowCounts.ok) / seconds)} requests/s, server ${cores(serverCpu)} cores, ${elsewhere(machine, others)}`,
        };
        instance.stop();
      }, (warmupS + loadS) * 1000);
      const instance = autocannon(
        {
          url: server.url,
          connections: settings.httpConnections,
          pipelining: 1,
          // Only a bound: the timer above stops it.
          duration: warmupS + loadS + 30,
          timeout: 30,
          requests: [
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              setupRequest: (req) => {
                const d = turn++ % fleet.tokens.length;
                return { ...req, path: `/api/v1/${fleet.tokens[d]}/telemetry`, body: body(d) };
              },
            },
          ],
        },
        (error: unknown) => {
          clearTimeout(warmup);
          clearTimeout(end);
          if (error) return reject(error instanceof Error ? error : new Error(String(error)));
          if (!result) return reject(new Error('the HTTP load ended before its window did'));
          resolve(result);
        },
      );
      instance.on('response', (_client, statusCode) => {
        if (statusCode >= 200 && statusCode < 300) counts.ok++;
        else counts.non2xx++;
      });
      instance.on('reqError', () => counts.errors++);
    });
}

interface OverheadRuns {
  /** in the order they ran: 0 rules, then again after each run with rules */
  without: RateResult[];
  with: RateResult[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function addOverheadRow(db: string, what: string, unit: string, runs: OverheadRuns | Error, alarms: number | null): void {
  const measure = `rule overhead, ${what}: 0 → ${fmtInt(settings.rules)} rules`;
  const target = `≤ ${Math.round(TARGET.overhead * 100)}%`;
  if (runs instanceof Error || runs.with.length === 0 || runs.without.length === 0) {
    table.push({ db, measure, result: '—', target, status: 'FAILED', detail: runs instanceof Error ? runs.message.split('\n')[0]!.slice(0, 200) : 'a run is missing' });
    return;
  }
  const base = mean(runs.without.map((r) => r.rate));
  const withRules = mean(runs.with.map((r) => r.rate));
  const overhead = 1 - withRules / base;
  // Server CPU per reading: less sensitive than the rate to CPU the hypervisor or a neighbour takes away, blind to time spent waiting (fsync).
  const cpuPer = (r: RateResult) => (r.serverCpu === null || !(r.rate > 0) ? NaN : (r.serverCpu / r.rate) * 1e6);
  const perUnit = unit.split('/')[0]!.replace(/s$/, '');
  const errors = [...runs.without, ...runs.with].reduce((a, r) => a + r.errors, 0);
  // Each run in the order it ran: 0, 1,000, 0, 1,000, 0 rules.
  const order: string[] = [];
  for (let i = 0; i < Math.max(runs.without.length, runs.with.length); i++) {
    const a = runs.without[i];
    const b = runs.with[i];
    if (a) order.push(`[0 rules] ${fmtInt(a.rate)}: ${a.detail}`);
    if (b) order.push(`[${fmtInt(settings.rules)} rules] ${fmtInt(b.rate)}: ${b.detail}`);
  }
  table.push({
    db,
    measure,
    result: `${(overhead * 100).toFixed(1)}% (${fmtInt(base)} → ${fmtInt(withRules)} ${unit})`,
    target,
    status: errors > 0 ? 'FAILED' : status(overhead <= TARGET.overhead),
    detail:
      `means of ${runs.without.length} runs without and ${runs.with.length} with rules (${Math.round(settings.rules * settings.crossingShare)} crossed${alarms !== null ? `, ${alarms} alarms active` : ''}); ` +
      `server CPU per ${perUnit}: ${mean(runs.without.map(cpuPer)).toFixed(0)} → ${mean(runs.with.map(cpuPer)).toFixed(0)} µs; ` +
      order.join('; ') +
      (errors > 0 ? `; ${errors} errors` : ''),
  });
}

// ---------------------------------------------------------------- one dialect

/**
 * Waits until the platform answers /api/v1/health within 200 ms three times in
 * a row (the backlog of the last phase is worked off), at most 120 s; returns
 * the seconds it took.
 */
async function settle(server: Server, db: string): Promise<number> {
  const t = performance.now();
  let good = 0;
  while (good < 3) {
    if (performance.now() - t > 120_000) throw new Error('the platform did not become responsive again within 120 s');
    const r = await request(server.url, 'GET', '/api/v1/health', { timeoutMs: 120_000 }).catch(() => null);
    good = r && r.status === 200 && r.ms < 200 ? good + 1 : 0;
    if (good < 3) await sleep(100);
  }
  const seconds = (performance.now() - t) / 1000;
  if (seconds > 1) log(`${db}: the platform was busy for ${seconds.toFixed(1)} s after the phase`);
  return seconds;
}

async function runDialect(dialect: 'sqlite' | 'postgres'): Promise<void> {
  const db = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const storage = await freshStorage(dialect, 'realtime');
  storages.add(storage);
  const nodeArgs = settings.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(settings.cpuProfDir, dialect)}`] : [];
  const t0 = performance.now();
  const server = await startPlatform(storage, { nodeArgs, label: db });
  log(`${db}: platform up (pid ${server.pid}) at ${server.url}, MQTT ${server.mqttPort}`);
  try {
    const fleet = await makeFleet(server);
    log(`${db}: ${fleet.ids.length} devices registered`);

    // 1. Real time with no rules.
    if (settings.only !== 'overhead') {
      log(`${db}: ingest → WebSocket, no rules`);
      const r = await latencyPhase(server, fleet, 'no-rules', t0).catch((e: unknown) => e as Error);
      addLatencyRows(db, 'no rules', r, await settle(server, db));
      if (!(r instanceof Error) && !meetsLatency(r)) await sweep(server, fleet, db, t0);
    }
    if (settings.only === 'latency') return;

    // 2. Maximum ingest without and with rules, alternating (0, 1,000, 0, 1,000, 0), so that a drift
    //    (the database grows, the machine's neighbours come and go) falls on both alike.
    const mqttRuns: OverheadRuns = { without: [], with: [] };
    const httpRuns: OverheadRuns = { without: [], with: [] };
    let mqttError: Error | null = null;
    let httpError: Error | null = null;
    const http = httpLoader(server, fleet);
    const at = () => ((performance.now() - t0) / 1000).toFixed(1);
    const rateRuns = async (into: 'without' | 'with', label: string) => {
      log(`${db}: maximum HTTP ingest, ${label} (from ${at()} s)`);
      try {
        const r = await http();
        httpRuns[into].push(r);
        log(`${db}:   ${fmtInt(r.rate)} points/s (until ${at()} s)`);
      } catch (error) {
        httpError ??= error as Error;
      }
      await settle(server, db);
      log(`${db}: maximum MQTT ingest, ${label} (from ${at()} s)`);
      try {
        const r = await mqttMax(server, fleet);
        mqttRuns[into].push(r);
        log(`${db}:   ${fmtInt(r.rate)} readings/s (until ${at()} s)`);
      } catch (error) {
        mqttError ??= error as Error;
      }
      await settle(server, db);
    };
    const toggle = async (ids: string[], enabled: boolean) => {
      log(`${db}: ${enabled ? 'enabling' : 'disabling'} the rules`);
      await setRulesEnabled(server, fleet, ids, enabled);
      await settle(server, db);
    };
    // A fresh database takes points faster than one that already holds some: a first, unmeasured run.
    log(`${db}: warming the database up (unmeasured)`);
    await http(1, Math.min(5, settings.loadS)).catch(() => null);
    await mqttMax(server, fleet, 1, Math.min(5, settings.loadS)).catch(() => null);
    await settle(server, db);
    await rateRuns('without', 'no rules');
    log(`${db}: creating ${settings.rules} rules`);
    const ruleIds = await createRules(server, fleet);
    await settle(server, db);
    await rateRuns('with', `${settings.rules} rules`);
    await toggle(ruleIds, false);
    await rateRuns('without', 'rules disabled');
    await toggle(ruleIds, true);
    await rateRuns('with', `${settings.rules} rules again`);

    // 1 again, with the rules.
    if (settings.only !== 'overhead') {
      log(`${db}: ingest → WebSocket, ${settings.rules} rules`);
      const r = await latencyPhase(server, fleet, 'rules', t0).catch((e: unknown) => e as Error);
      addLatencyRows(db, `${fmtInt(settings.rules)} rules`, r, await settle(server, db));
    }
    const alarms = await activeAlarms(server, fleet).catch(() => null);

    await toggle(ruleIds, false);
    await rateRuns('without', 'rules disabled again');
    addOverheadRow(db, `MQTT QoS 1, ${fmtInt(settings.devices)} devices × ${settings.mqttInflight} in flight`, 'readings/s', mqttError ?? mqttRuns, alarms);
    addOverheadRow(db, `HTTP, ${HTTP_POINTS_PER_REQUEST} points a request`, 'points/s', httpError ?? httpRuns, alarms);
  } finally {
    const peak = procStatusKb(server.pid, 'VmHWM');
    table.push({
      db,
      measure: 'server peak RSS (VmHWM)',
      result: peak === null ? '—' : `${fmtInt(mb(peak))} MB`,
      target: `≤ ${TARGET.rssMb} MB`,
      status: peak === null ? 'FAILED' : status(mb(peak) <= TARGET.rssMb),
      detail: `over the whole run: ${fmtInt(settings.devices)} MQTT devices${settings.only === 'overhead' ? '' : `, ${settings.wsClients} WebSocket clients`}${settings.only === 'latency' ? '' : `, ${fmtInt(settings.rules)} rules`}`,
    });
    // SIGTERM: a clean stop, so that a CPU profile gets written.
    await server.stop('SIGTERM', 30_000);
    if (settings.cpuProfDir) log(`${db}: CPU profile in ${path.join(settings.cpuProfDir, dialect)} (node bench/profile-top.ts <file> 25 <from_s> <to_s>)`);
  }
}

// ---------------------------------------------------------------- main

let failed = false;
try {
  for (const dialect of settings.dialects as ('sqlite' | 'postgres')[]) {
    if (dialect === 'postgres' && !(await portAnswers(5432))) {
      log('PostgreSQL does not answer on 127.0.0.1:5432: skipped');
      table.push({ db: 'PostgreSQL', measure: 'all', result: '—', target: '—', status: 'n/a', detail: 'nothing answers on 127.0.0.1:5432' });
      continue;
    }
    try {
      await runDialect(dialect);
    } catch (error) {
      failed = true;
      log(`${dialect}: ${(error as Error).stack ?? String(error)}`);
      table.push({ db: dialect, measure: 'run', result: '—', target: '—', status: 'FAILED', detail: (error as Error).message.split('\n')[0]!.slice(0, 200) });
    }
  }
} finally {
  await cleanup();
}
if (table.some((r) => r.status === 'FAILED')) failed = true;
console.log(
  `\nCerdas real-time benchmark — ${os.cpus().length} cores, Node ${process.version}, ${quick ? 'quick run' : 'full run'}: ` +
    `${fmtInt(settings.devices)} devices, ${fmtInt(settings.rate)} readings/s, ${settings.wsClients} WebSocket clients, ${settings.loadS} s measured after ${settings.warmupS} s warm-up\n`,
);
console.log(formatTable(['db', 'measure', 'result', 'target', 'status', 'detail'], table.map((r) => [r.db, r.measure, r.result, r.target, r.status, r.detail])));
process.exit(failed ? 1 : 0);
