/**
 * Memory with a city's worth of devices: `node bench/devices-10k.ts` (part of
 * `npm run bench:ingest`; `-- --quick` for 1,000 devices and 10 s).
 *
 * On SQLite, and on PostgreSQL when 127.0.0.1:5432 answers, it runs the
 * platform as `npm start` does: scripts/start.mjs (dist/main.js, built first
 * if stale), which replaces itself with the server process and its memory
 * settings (SERVER_NODE_FLAGS, SERVER_ENV; same process id); a child process,
 * so that only the server's memory is counted. It registers 10,000 devices through the API,
 * restarts the server (its idle figure is then that of a server with 10,000
 * devices in its database), connects the 10,000 as MQTT 3.1.1 clients from a
 * few load processes (bench/devices-load.ts, 5,000 each), and has them send
 * 1,000 readings a second in all, at QoS 1, for 30 s. Printed: the server's
 * RSS idle right after start, with every device connected, and its peak
 * (VmHWM) over the run; readings acknowledged per second; and whether every
 * acknowledged reading is in the database.
 *
 * Env SERVER_NODE_OPTIONS: NODE_OPTIONS of the server (to try V8 flags; a flag
 * given there replaces the same flag of SERVER_NODE_FLAGS).
 * Flags: --quick, --devices=<n>, --rate=<readings/s>, --duration=<s>, --only=sqlite|postgres.
 * Progress goes to stderr; stdout holds one table. Exit code 1 if a phase failed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { SERVER_ENV, SERVER_NODE_FLAGS, serverEntry } from '../scripts/start.mjs';
import {
  ADMIN,
  call,
  cleanUpOnExit,
  closeHttpAgent,
  cpuMeter,
  fmtInt,
  fmtPct,
  formatTable,
  freshStorage,
  killAllChildren,
  log,
  numberSetting,
  pool,
  portAnswers,
  procStatusKb,
  sleep,
  spawnNode,
  startPlatform,
  tempDir,
  type Child,
  type Server,
  type Storage,
} from './lib.ts';

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: { quick: { type: 'boolean', default: false }, devices: { type: 'string' }, rate: { type: 'string' }, duration: { type: 'string' }, only: { type: 'string' } },
  allowPositionals: false,
});
const quick = flags.quick === true;
const settings = {
  devices: numberSetting(flags.devices, quick ? 1000 : 10_000, 1, 50_000, '--devices'),
  ratePerS: numberSetting(flags.rate, 1000, 1, 100_000, '--rate'),
  durationS: numberSetting(flags.duration, quick ? 10 : 30, 1, 600, '--duration'),
  /** devices a load process holds: its sockets stay well under the usual limit of open files */
  devicesPerProcess: 5000,
  /** connections each load process opens at once; the server is told to admit that many unauthenticated ones from 127.0.0.1 */
  connectConcurrency: 25,
  only: flags.only,
};
if (settings.only !== undefined && settings.only !== 'sqlite' && settings.only !== 'postgres') throw new Error('--only must be sqlite or postgres');
const TARGET = { idleMb: 120, peakMb: 300 };
/** What `npm start` runs: scripts/start.mjs, which runs the server built into dist/ (built here first when stale, so no start waits for it). */
serverEntry();
const entry = 'scripts/start.mjs';
const RUN_LIMIT_MS = 20 * 60_000;
const mb = (kb: number | null) => (kb === null ? NaN : (kb * 1024) / 1e6);
const fmtMb = (kb: number | null) => (kb === null ? '—' : `${mb(kb).toFixed(0)} MB`);

/** The load processes together need one open file per device, and the server as many again. */
function checkOpenFiles(): void {
  const soft = Number(fs.readFileSync('/proc/self/limits', 'utf8').match(/^Max open files\s+(\d+)/m)?.[1] ?? NaN);
  if (Number.isFinite(soft) && soft < settings.devices + 1000) {
    throw new Error(`the limit of open files is ${soft}; the server needs one per device: run \`ulimit -n ${settings.devices + 1000}\` (or higher) first`);
  }
}

type Status = 'meets target' | 'misses' | 'info' | 'FAILED';
const table: { dialect: string; measure: string; result: string; target: string; status: Status; detail: string }[] = [];

const storages = new Set<Storage>();
let cleaningUp: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    killAllChildren();
    for (const s of storages) await s.drop().catch((error: unknown) => log(`could not drop ${s.schema ?? s.dataDir}: ${(error as Error).message}`));
    storages.clear();
    closeHttpAgent();
  })();
  return cleaningUp;
}
cleanUpOnExit(cleanup, RUN_LIMIT_MS);

/** The server's RSS every 200 ms while `work` runs: the highest seen (VmHWM covers the whole life of the process). */
async function sampled<T>(pid: number, work: () => Promise<T>): Promise<{ value: T; maxKb: number }> {
  let maxKb = 0;
  const timer = setInterval(() => (maxKb = Math.max(maxKb, procStatusKb(pid, 'VmRSS') ?? 0)), 200);
  try {
    return { value: await work(), maxKb };
  } finally {
    clearInterval(timer);
  }
}

async function storedRows(storage: Storage): Promise<number> {
  const text = `SELECT count(*) AS n FROM telemetry`;
  if (storage.dialect === 'sqlite') {
    const db = new BetterSqlite3(path.join(storage.dataDir, 'cerdas.sqlite'), { readonly: true });
    try {
      return Number((db.prepare(text).get() as { n: number }).n);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: storage.databaseUrl!, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(text)).rows[0]!.n);
  } finally {
    await client.end();
  }
}

interface FleetResult { clients: number; connectMs: number; sent: number; acked: number; ackedInWindow: number; seconds: number; failed: number; disconnects: number; outstandingAtEnd: number; cpu: number }

async function runDialect(dialect: 'sqlite' | 'postgres'): Promise<void> {
  const name = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const add = (row: Omit<(typeof table)[number], 'dialect'>) => table.push({ dialect: name, ...row });
  const storage = await freshStorage(dialect, 'fleet');
  storages.add(storage);
  const env = () => ({
    MQTT_PENDING_PER_ADDRESS: String(settings.connectConcurrency * Math.ceil(settings.devices / settings.devicesPerProcess)),
    ...(process.env.SERVER_NODE_OPTIONS && { NODE_OPTIONS: process.env.SERVER_NODE_OPTIONS }),
  });

  log(`${name}: starting the platform and registering ${fmtInt(settings.devices)} devices through the API`);
  let server: Server = await startPlatform(storage, { label: `${dialect} register`, env, entry });
  const emptyIdleKb = procStatusKb(server.pid, 'VmRSS');
  const { token } = await call<{ token: string }>(server.url, 'POST', '/api/v1/auth/login', { body: ADMIN });
  const t0 = performance.now();
  const devices = await pool(
    Array.from({ length: settings.devices }, (_, i) => `Lampu jalan ${i + 1}`),
    8,
    (deviceName) => call<{ id: string; accessToken: string }>(server.url, 'POST', '/api/v1/devices', { token, body: { name: deviceName } }, 201),
  );
  log(`${name}: registered in ${Math.round((performance.now() - t0) / 1000)} s; restarting the server`);
  await server.stop('SIGTERM', 30_000);

  server = await startPlatform(storage, { label: `${dialect} fleet`, env, entry });
  const idleKb = procStatusKb(server.pid, 'VmRSS');
  const dir = tempDir('cerdas-bench-fleet-');
  const generators: Child[] = [];
  try {
    const processes = Math.ceil(settings.devices / settings.devicesPerProcess);
    const connected: Promise<void>[] = [];
    for (let p = 0; p < processes; p++) {
      const share = devices.slice(p * settings.devicesPerProcess, (p + 1) * settings.devicesPerProcess);
      const tokensFile = path.join(dir, `tokens-${p}.json`);
      fs.writeFileSync(tokensFile, JSON.stringify(share.map((d) => d.accessToken)));
      const gen = spawnNode('bench/devices-load.ts', [
        JSON.stringify({ port: server.mqttPort, tokensFile, ratePerS: (settings.ratePerS * share.length) / settings.devices, durationMs: settings.durationS * 1000, connectConcurrency: settings.connectConcurrency, drainMs: 10_000 }),
      ], {});
      generators.push(gen);
      connected.push(
        new Promise<void>((resolve, reject) => {
          gen.onLine((line) => line.startsWith('{"event":"connected"') && resolve());
          void gen.exited.then(({ code, signal }) => reject(new Error(`a load process ended with ${code ?? signal} before connecting:\n${gen.output().slice(-3000)}`)));
        }),
      );
    }
    log(`${name}: connecting ${fmtInt(settings.devices)} devices from ${processes} load process(es)`);
    const t1 = performance.now();
    const connecting = await sampled(server.pid, () => Promise.all(connected));
    const connectS = (performance.now() - t1) / 1000;
    await sleep(2000);
    const connectedKb = procStatusKb(server.pid, 'VmRSS');
    log(`${name}: all connected in ${Math.round(connectS)} s (server RSS ${fmtMb(connectedKb)}); ${fmtInt(settings.ratePerS)} readings/s for ${settings.durationS} s`);
    const meter = cpuMeter(server.pid);
    for (const gen of generators) gen.child.kill('SIGUSR2');
    const loading = await sampled(server.pid, () => Promise.all(generators.map((g) => g.exited)));
    const serverCpu = meter.stop();
    const peakKb = procStatusKb(server.pid, 'VmHWM');
    for (const [i, { code, signal }] of loading.value.entries()) if (code !== 0) throw new Error(`load process ${i} ended with ${code ?? signal}:\n${generators[i]!.output().slice(-3000)}`);
    const results = generators.map((g) => JSON.parse(g.output().split('\n').filter((l) => l.startsWith('{') && !l.startsWith('{"event"')).pop() ?? '{}') as FleetResult);
    await server.stop('SIGTERM', 30_000);
    const sum = (f: (r: FleetResult) => number) => results.reduce((a, r) => a + f(r), 0);
    const acked = sum((r) => r.acked);
    const rate = sum((r) => r.ackedInWindow) / Math.max(...results.map((r) => r.seconds));
    const rows = await storedRows(storage);
    const failures = sum((r) => r.failed + r.disconnects);

    add({ measure: 'server RSS idle right after start', result: fmtMb(idleKb), target: `≤ ${TARGET.idleMb} MB`, status: mb(idleKb) <= TARGET.idleMb ? 'meets target' : 'misses', detail: `${fmtInt(settings.devices)} devices in the database (with none: ${fmtMb(emptyIdleKb)})` });
    add({ measure: `server RSS, ${fmtInt(settings.devices)} devices connected, idle`, result: fmtMb(connectedKb), target: '—', status: 'info', detail: `connected in ${connectS.toFixed(0)} s; highest while connecting ${fmtMb(connecting.maxKb)}` });
    add({
      measure: `server peak RSS (VmHWM), ${fmtInt(settings.devices)} devices, ${fmtInt(settings.ratePerS)} readings/s`,
      result: fmtMb(peakKb),
      target: `≤ ${TARGET.peakMb} MB`,
      status: mb(peakKb) <= TARGET.peakMb ? 'meets target' : 'misses',
      detail: `highest sampled under load ${fmtMb(loading.maxKb)}; server CPU ${fmtPct(serverCpu ?? NaN)}`,
    });
    add({
      measure: 'readings acknowledged/s (QoS 1)',
      result: `${fmtInt(rate)}/s`,
      target: `${fmtInt(settings.ratePerS)}/s offered`,
      status: rate >= settings.ratePerS * 0.95 && failures === 0 ? 'meets target' : 'misses',
      detail: `${fmtInt(sum((r) => r.sent))} sent, ${fmtInt(acked)} acknowledged, ${fmtInt(failures)} failures or disconnects, ${fmtInt(sum((r) => r.outstandingAtEnd))} unanswered`,
    });
    add({
      measure: 'acknowledged readings in the database',
      result: `${fmtInt(rows / 2)} of ${fmtInt(acked)}`,
      target: 'all',
      status: rows / 2 >= acked ? 'meets target' : 'misses',
      detail: 'rows of both values of each reading, counted after a clean stop',
    });
  } finally {
    for (const gen of generators) await gen.stop('SIGKILL');
    await server.stop('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    await storage.drop();
    storages.delete(storage);
  }
}

const startedAt = performance.now();
let failed = false;
try {
  checkOpenFiles();
  const dialects: ('sqlite' | 'postgres')[] = [];
  if (settings.only !== 'postgres') dialects.push('sqlite');
  if (settings.only !== 'sqlite') {
    if (await portAnswers(5432)) dialects.push('postgres');
    else log('PostgreSQL does not answer on 127.0.0.1:5432: its rows are skipped');
  }
  for (const dialect of dialects) {
    try {
      await runDialect(dialect);
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? error.message : String(error);
      log(`${dialect}: FAILED: ${message}`);
      table.push({ dialect: dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL', measure: 'run', result: message.split('\n')[0]!.slice(0, 120), target: '—', status: 'FAILED', detail: 'see stderr' });
      killAllChildren();
    }
  }
} catch (error) {
  failed = true;
  log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await cleanup();
}

console.log(
  `\nCerdas fleet memory benchmark — ${fmtInt(settings.devices)} MQTT devices, ${fmtInt(settings.ratePerS)} readings/s for ${settings.durationS} s, Node ${process.versions.node}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, ${Math.round((performance.now() - startedAt) / 1000)} s in all\n` +
    `Server: npm start (${[...SERVER_NODE_FLAGS, ...Object.entries(SERVER_ENV).map(([k, v]) => `${k}=${v}`)].join(' ')}${process.env.SERVER_NODE_OPTIONS ? `; NODE_OPTIONS=${process.env.SERVER_NODE_OPTIONS}` : ''})\n`,
);
console.log(formatTable(['Dialect', 'Measure', 'Result', 'Target', 'Status', 'Detail'], table.map((r) => [r.dialect, r.measure, r.result, r.target, r.status, r.detail])));
process.exitCode = failed ? 1 : 0;
