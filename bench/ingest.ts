/**
 * The ingest benchmark: `npm run bench:ingest` (add `-- --quick` for a short run).
 *
 * On SQLite, and on PostgreSQL when 127.0.0.1:5432 answers, it runs the
 * platform as `npm start` does (scripts/start.mjs: the server built into
 * dist/ with npm start's memory settings; a child process on free ports with a
 * fresh DATA_DIR or schema) and measures, each figure beside
 * a baseline measured in the same run:
 *   1. HTTP ingest, 100 points a request, 16 connections → points/s;
 *      baseline: raw durable batched inserts of the same rows (100 and 5,000
 *      rows a transaction) in a bare Node process (better-sqlite3 or pg).
 *      The server is SIGKILLed while the load still runs, and every point
 *      acknowledged until then is looked up in the database.
 *   2. MQTT QoS 1 from 1,000 registered devices, each with 200 readings of
 *      history stored first as a platform in service has them (mqtt.js clients in a load
 *      generator process of its own), MQTT 3.1.1 and MQTT 5 in turn →
 *      acknowledged messages/s; baseline: the same generator, same protocol
 *      version, against a bare Aedes broker in its own process. Three short
 *      rounds a version (--mqtt-rounds), bare Aedes and the platform in turn,
 *      the order swapped each round, every one on a fresh process; the share
 *      is the median of the rounds' shares. The same crash check follows each
 *      platform round.
 *   3. Query latency p50/p99: GET /latest, and hourly averages over 30 days of
 *      1-minute data (43,200 points loaded through the HTTP ingest API);
 *      baseline: the same SQL run straight on the database.
 *   4. The server's peak RSS (VmHWM of the server process).
 *   5. Commands (RPC): 1,000 two-way round trips p50/p99 (REST → MQTT device →
 *      answer) while other devices send telemetry over MQTT (bench/rpc.ts).
 *
 * Flags: --quick, --duration=<s> (load phases; env BENCH_DURATION_S),
 * --only=sqlite|postgres, --mqtt-only (phase 2 alone: the MQTT rows, no HTTP, queries
 * or commands), --mqtt-devices=<n>, --mqtt-inflight=<n>, --mqtt-rounds=<n> (default 3;
 * each round's load lasts --duration, 5 s by default),
 * --cpu-prof[=<dir>] (servers write V8 CPU profiles there; they are then stopped
 * cleanly with SIGTERM, so the crash check is skipped).
 * Progress goes to stderr; stdout holds one table. Exit code 1 if a phase failed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { serverEntry } from '../scripts/start.mjs';
import BetterSqlite3 from 'better-sqlite3';
import { openSqlite } from '../src/platform/db/sqlite.ts';
import pg from 'pg';
import {
  HTTP_KEYS,
  HTTP_POINTS_PER_REQUEST,
  HTTP_TS_PER_REQUEST,
  MQTT_KEYS,
  QUERY_KEY,
  ADMIN,
  call,
  closeHttpAgent,
  cpuMeter,
  machineMeter,
  fmtInt,
  fmtMs,
  fmtPct,
  formatTable,
  freshStorage,
  httpPayload,
  httpTsBase,
  killAllChildren,
  log,
  percentile,
  pool,
  portAnswers,
  procStatusKb,
  request,
  runJsonChild,
  sleep,
  spawnNode,
  startPlatform,
  tempDir,
  type CpuPicture,
  type Server,
  type Storage,
  cleanUpOnExit,
  numberSetting,
} from './lib.ts';
import { rpcRoundTrips } from './rpc.ts';

// ---------------------------------------------------------------- settings

// `--cpu-prof` may come bare or as `--cpu-prof=<dir>`: taken apart from parseArgs, which wants one form.
/** What `npm start` runs (built into dist/ here first when stale, so no start waits for it). */
serverEntry();
const SERVER_ENTRY = 'scripts/start.mjs';
const isCpuProf = (a: string) => a === '--cpu-prof' || a.startsWith('--cpu-prof=');
const cpuProfArg = process.argv.slice(2).find(isCpuProf);
const { values: flags } = parseArgs({
  args: process.argv.slice(2).filter((a) => !isCpuProf(a)),
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    only: { type: 'string' },
    'mqtt-only': { type: 'boolean', default: false },
    'mqtt-devices': { type: 'string' },
    'mqtt-inflight': { type: 'string' },
    'mqtt-rounds': { type: 'string' },
  },
  allowPositionals: false,
});

function intSetting(raw: string | undefined, fallback: number, min: number, max: number, name: string): number {
  return numberSetting(raw, fallback, min, max, name, false);
}

const quick = flags.quick === true;
const settings = {
  quick,
  /** seconds of measured load in each load phase */
  loadS: intSetting(flags.duration ?? process.env.BENCH_DURATION_S, quick ? 3 : 10, 1, 60, '--duration / BENCH_DURATION_S'),
  /** seconds of load before each measured window (JIT, caches, connection set-up) */
  warmupS: quick ? 1 : 2,
  /** seconds of each raw-insert baseline */
  rawS: quick ? 1 : 3,
  latestRequests: quick ? 300 : 2000,
  aggRequests: quick ? 60 : 300,
  mqttDevices: intSetting(flags['mqtt-devices'], 1000, 1, 5000, '--mqtt-devices'),
  mqttInflight: intSetting(flags['mqtt-inflight'], 1, 1, 100, '--mqtt-inflight'),
  /** rounds of bare Aedes and the platform in turn, per MQTT version: the share reported is their median */
  mqttRounds: intSetting(flags['mqtt-rounds'], 3, 1, 9, '--mqtt-rounds'),
  /** seconds of measured load in each MQTT round (shorter than the other phases: there are six or more of them) */
  mqttRoundS: intSetting(flags.duration ?? process.env.BENCH_DURATION_S, quick ? 3 : 5, 1, 60, '--duration / BENCH_DURATION_S'),
  /** commands sent in the RPC phase */
  rpcCount: quick ? 200 : 1000,
  httpConnections: 16,
  httpDevices: 16,
  only: flags.only,
  /** phase 2 (MQTT) alone: devices are registered, the other phases are skipped */
  mqttOnly: flags['mqtt-only'] === true,
  cpuProfDir: cpuProfArg === undefined ? undefined : path.resolve(cpuProfArg.includes('=') && cpuProfArg.split('=')[1] ? cpuProfArg.split('=')[1]! : path.join(os.tmpdir(), `cerdas-bench-profiles-${Date.now()}`)),
};
if (settings.only !== undefined && settings.only !== 'sqlite' && settings.only !== 'postgres') throw new Error('--only must be sqlite or postgres');

/** The whole run may not last longer than this: children are killed and the process ends. */
const RUN_LIMIT_MS = 15 * 60_000;
const QUERY_DAYS = 30;
const QUERY_POINTS = QUERY_DAYS * 24 * 60;
/** Readings of each MQTT device stored before the MQTT rounds, as a platform in service has them (two keys each). */
const MQTT_HISTORY = 200;
/** Asia/Jakarta is 7 h ahead of UTC: the shift the platform applies to the buckets of the default region. */
const JAKARTA_OFFSET_MS = 7 * 3_600_000;

/** Env SERVER_NODE_OPTIONS: NODE_OPTIONS of the servers (to try V8 flags; a flag given there replaces the same flag of npm start's). */
const serverEnv = (): Record<string, string> => (process.env.SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.SERVER_NODE_OPTIONS } : {});

const TARGET = {
  httpPointsSqlite: 150_000,
  httpShareOfRaw: 0.2,
  mqttShareOfBare: 0.6,
  latestP99Ms: 5,
  aggP99Ms: 50,
  rssMb: 300,
};

// ---------------------------------------------------------------- the table

type Status = 'meets target' | 'misses' | 'n/a' | 'FAILED';
interface Row {
  dialect: string;
  measure: string;
  result: string;
  baseline: string;
  ratio: string;
  target: string;
  status: Status;
  detail: string;
}
const table: Row[] = [];
const status = (ok: boolean): Status => (ok ? 'meets target' : 'misses');
const mb = (kb: number) => (kb * 1024) / 1e6;
/** Where else the machine's CPU went in a window: PostgreSQL, and load nobody here accounts for (a neighbour makes a run noisy). */
const cpuElsewhere = (m: CpuPicture | null) =>
  m ? `${m.postgres >= 0.01 ? `PostgreSQL ${m.postgres.toFixed(2)} cores, ` : ''}unattributed ${m.unattributed.toFixed(2)} cores${m.steal >= 0.05 ? `, steal ${m.steal.toFixed(2)}` : ''}` : 'machine CPU unknown';

// ---------------------------------------------------------------- cleanup

const storages = new Set<Storage>();
let cleaningUp: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    killAllChildren();
    for (const s of storages) {
      await s.drop().catch((error: unknown) => log(`could not drop ${s.schema ?? s.dataDir}: ${(error as Error).message}`));
    }
    storages.clear();
    closeHttpAgent();
  })();
  return cleaningUp;
}
cleanUpOnExit(cleanup, RUN_LIMIT_MS);

// ---------------------------------------------------------------- MQTT load

interface MqttResult {
  clients: number;
  connectMs: number;
  acked: number;
  ackedInWindow: number;
  windowSeconds: number;
  rate: number;
  failed: number;
  disconnects: number;
  outstandingAtEnd: number;
  cpu: number;
  /** PUBACKs received when the window ended (the broker may be killed right then) */
  ackedAtWindowEnd: number;
  /** the points of those messages */
  ackedPoints: AckedPoints;
  /** CPU share of the broker's process in the window, 1.0 = one core */
  brokerCpu: number | null;
  machine: CpuPicture | null;
}

/**
 * Runs bench/mqtt-load.ts against a broker and measures the broker's and the
 * machine's CPU over the same window; `atWindowEnd` runs the moment the
 * generator says its window is over.
 */
async function mqttLoad(port: number, tokens: string[], brokerPid: number, version: MqttVersion, loadS: number, atWindowEnd?: () => void, tsBase?: number): Promise<MqttResult> {
  const dir = tempDir('cerdas-bench-mqtt-');
  try {
    const tokensFile = path.join(dir, 'tokens.json');
    const ackFile = path.join(dir, 'acked.json');
    fs.writeFileSync(tokensFile, JSON.stringify(tokens));
    const warmupMs = settings.warmupS * 1000;
    const durationMs = loadS * 1000;
    const drainMs = 10_000;
    const gen = spawnNode('bench/mqtt-load.ts', [
      // 16 connecting at once: the platform keeps at most 20 unauthenticated connections per address (MQTT_PENDING_PER_ADDRESS).
      JSON.stringify({ port, tokensFile, ackFile, warmupMs, durationMs, inflight: settings.mqttInflight, connectConcurrency: 16, drainMs, protocolVersion: version, tsBase }),
    ], {});
    let brokerCpu: number | null = null;
    let machine: CpuPicture | null = null;
    let ackedAtWindowEnd = NaN;
    let measuring: Promise<void> | null = null;
    gen.child.stderr!.on('data', (d: Buffer) => {
      if (measuring || !d.toString().includes('clients connected')) return;
      measuring = (async () => {
        await sleep(warmupMs);
        const meter = cpuMeter(brokerPid);
        const whole = machineMeter();
        await sleep(durationMs - 50);
        brokerCpu = meter.stop();
        machine = whole.stop();
      })();
    });
    gen.onLine((line) => {
      if (!line.startsWith('{"event":"window-end"')) return;
      ackedAtWindowEnd = (JSON.parse(line) as { acked: number }).acked;
      atWindowEnd?.();
    });
    const limit = setTimeout(() => gen.child.kill('SIGKILL'), 120_000 + warmupMs + durationMs + drainMs);
    const { code, signal } = await gen.exited;
    clearTimeout(limit);
    if (code !== 0) throw new Error(`the MQTT load generator ended with ${code ?? signal}:\n${gen.output().slice(-3000)}`);
    await measuring;
    const line = gen.output().split('\n').filter((l) => l.startsWith('{') && !l.startsWith('{"event"')).pop();
    if (!line) throw new Error(`the MQTT load generator printed no result:\n${gen.output().slice(-3000)}`);
    const ackedFile = JSON.parse(fs.readFileSync(ackFile, 'utf8')) as { base: number; acked: number[][] };
    const ackedPoints: AckedPoints = { keys: MQTT_KEYS, byDevice: ackedFile.acked.map((seqs, index) => ({ index, ts: seqs.map((seq) => ackedFile.base + seq) })) };
    return { ...(JSON.parse(line) as Omit<MqttResult, 'brokerCpu' | 'machine' | 'ackedAtWindowEnd' | 'ackedPoints'>), ackedAtWindowEnd, ackedPoints, brokerCpu, machine };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type MqttVersion = 4 | 5;
const MQTT_VERSIONS: MqttVersion[] = [4, 5];
/** Broker CPU time per acknowledged message: less swayed than the rate by what else the machine runs. */
const cpuPerMessage = (r: MqttResult) => (r.brokerCpu === null || r.rate === 0 ? '?' : Math.round((r.brokerCpu / r.rate) * 1e6).toString());
const versionName = (v: MqttVersion) => (v === 5 ? 'MQTT 5' : 'MQTT 3.1.1');
/**
 * The bare Aedes baseline for one protocol version, in a broker process of its
 * own, measured right before the platform's run of that version: a neighbour's
 * load on the machine then weighs on both alike.
 */
async function bareAedes(version: MqttVersion): Promise<MqttResult | Error> {
  const broker = spawnNode('bench/aedes-bare.ts', ['0'], {});
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the bare Aedes broker did not start:\n${broker.output()}`)), 30_000);
      broker.onLine((line) => {
        if (!line.startsWith('{')) return;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      });
      void broker.exited.then(() => reject(new Error(`the bare Aedes broker exited:\n${broker.output()}`)));
    });
    const tokens = Array.from({ length: settings.mqttDevices }, (_, i) => `bare-device-${i}`);
    log(`bare Aedes, ${versionName(version)}: ${settings.mqttDevices} clients (${settings.warmupS} s warm-up + ${settings.mqttRoundS} s)`);
    const r = await mqttLoad(port, tokens, broker.pid, version, settings.mqttRoundS);
    log(`bare Aedes, ${versionName(version)}: ${fmtInt(r.rate)} messages/s`);
    return r;
  } catch (error) {
    log(`bare Aedes, ${versionName(version)}: failed: ${(error as Error).message}`);
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    await broker.stop('SIGTERM', 5000);
  }
}

// ---------------------------------------------------------------- HTTP load

interface HttpLoad {
  /** 2xx answers: points acknowledged, 100 each */
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
}

/**
 * 16 keep-alive connections sending 100-point requests, devices in turn, every
 * point a new (series, ts). Each 2xx is recorded as (device, request number),
 * so that the crash check knows exactly which points were acknowledged. With
 * `atEnd`, the load is still running when the time is up: the counts and the
 * acknowledged requests are frozen, `atEnd` runs at once (it kills the server),
 * and only then is the load stopped.
 */
function httpLoader(server: Server, tokens: string[]) {
  const base = httpTsBase();
  const seqs = new Array<number>(tokens.length).fill(0);
  /** per device, the numbers of its requests answered 2xx */
  const acked: number[][] = tokens.map(() => []);
  let frozenAcked: number[][] | null = null;
  let turn = 0;
  const run = (seconds: number, atEnd?: () => void): Promise<HttpLoad> =>
    new Promise((resolve, reject) => {
      const counts = { ok: 0, non2xx: 0, errors: 0 };
      let frozen: HttpLoad | null = null;
      const t0 = performance.now();
      const instance = autocannon(
        {
          url: server.url,
          connections: settings.httpConnections,
          pipelining: 1,
          // With atEnd, autocannon's own end is only a bound: the timer below stops it.
          duration: atEnd ? seconds + 30 : seconds,
          timeout: 30,
          requests: [
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              // autocannon gives each request of a connection a fresh context, and hands
              // the answered request's context to onResponse (one request in flight each).
              setupRequest: (req, context) => {
                const d = turn++ % tokens.length;
                const seq = seqs[d]!++;
                Object.assign(context, { d, seq });
                return { ...req, path: `/api/v1/${tokens[d]}/telemetry`, body: JSON.stringify(httpPayload(seq, base)) };
              },
              onResponse: (status, _body, context) => {
                if (frozen) return;
                const { d, seq } = context as { d?: number; seq?: number };
                if (status >= 200 && status < 300) {
                  counts.ok++;
                  if (d !== undefined && seq !== undefined) acked[d]!.push(seq);
                } else counts.non2xx++;
              },
            },
          ],
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (error) return reject(error instanceof Error ? error : new Error(String(error)));
          resolve(frozen ?? { ...counts, seconds: (performance.now() - t0) / 1000 });
        },
      );
      instance.on('reqError', () => {
        if (!frozen) counts.errors++;
      });
      const timer = setTimeout(() => {
        if (!atEnd) return;
        frozen = { ...counts, seconds: (performance.now() - t0) / 1000 };
        frozenAcked = acked.map((a) => a.slice());
        atEnd();
        instance.stop();
      }, seconds * 1000);
    });
  return {
    run,
    /** The acknowledged points, as the crash check wants them (frozen when the server was killed). */
    ackedPoints: (): AckedPoints => {
      const out: AckedPoints = { keys: HTTP_KEYS, byDevice: [] };
      (frozenAcked ?? acked).forEach((seqList, d) => {
        const ts: number[] = [];
        for (const seq of seqList) for (let j = 0; j < HTTP_TS_PER_REQUEST; j++) ts.push(base + seq * HTTP_TS_PER_REQUEST + j);
        out.byDevice.push({ index: d, ts });
      });
      return out;
    },
  };
}

// ---------------------------------------------------------------- direct database access

/** Points a load had acknowledged: for each device (by its index in the load's list), the timestamps, each under every key. */
interface AckedPoints {
  keys: string[];
  byDevice: { index: number; ts: number[] }[];
}

/**
 * Looks in the database (the server is stopped) for every acknowledged point:
 * returns how many were acknowledged and how many of them are missing.
 */
async function missingPoints(storage: Storage, deviceIds: string[], acked: AckedPoints): Promise<{ acked: number; missing: number }> {
  const p = (i: number) => (storage.dialect === 'sqlite' ? '?' : `$${i}`);
  const text = `SELECT s.device_id AS d, t.ts AS ts, count(*) AS n FROM telemetry t JOIN telemetry_series s ON s.id = t.series_id
    WHERE s.key IN (${acked.keys.map((_, i) => p(i + 1)).join(', ')}) GROUP BY s.device_id, t.ts`;
  let rows: { d: string; ts: number | string; n: number | string }[];
  if (storage.dialect === 'sqlite') {
    // Opened first as the platform opens it after a crash: what the killed server had staged is moved into its table.
    await (await openSqlite(storage.dataDir)).close();
    const db = new BetterSqlite3(path.join(storage.dataDir, 'cerdas.sqlite'));
    try {
      rows = db.prepare(text).all(...acked.keys) as typeof rows;
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: storage.databaseUrl!, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      rows = (await client.query<{ d: string; ts: string; n: string }>(text, acked.keys)).rows;
    } finally {
      await client.end();
    }
  }
  const stored = new Map<string, Map<number, number>>();
  for (const r of rows) {
    let m = stored.get(r.d);
    if (!m) stored.set(r.d, (m = new Map()));
    m.set(Number(r.ts), Number(r.n));
  }
  let total = 0;
  let missing = 0;
  for (const { index, ts } of acked.byDevice) {
    const m = stored.get(deviceIds[index]!);
    for (const t of ts) {
      total += acked.keys.length;
      missing += acked.keys.length - Math.min(acked.keys.length, m?.get(t) ?? 0);
    }
  }
  return { acked: total, missing };
}

/** The SQL of the two queries run straight on the database, N times each: the floor under the API's latency. */
async function rawQueryLatency(storage: Storage, deviceId: string, queryDeviceId: string, from: number, to: number, n: { latest: number; agg: number }) {
  const latestSql = (p: (i: number) => string) => `SELECT * FROM telemetry_series WHERE device_id = ${p(1)} ORDER BY key`;
  const seriesSql = (p: (i: number) => string) => `SELECT id FROM telemetry_series WHERE device_id = ${p(1)} AND key = ${p(2)}`;
  const bucketSql = (p: (i: number) => string) =>
    `SELECT CAST((ts + ${p(1)}) / ${p(2)} AS BIGINT) AS b, SUM(num) AS sum, COUNT(num) AS n_num, COUNT(*) AS n, MIN(num) AS min, MAX(num) AS max
     FROM telemetry WHERE series_id = ${p(3)} AND ts >= ${p(4)} AND ts < ${p(5)} GROUP BY 1 ORDER BY 1`;
  const time = async (count: number, run: () => unknown) => {
    const out: number[] = [];
    for (let i = 0; i < Math.ceil(count / 10); i++) await run();
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await run();
      out.push(performance.now() - t0);
    }
    return out;
  };
  if (storage.dialect === 'sqlite') {
    const db = new BetterSqlite3(path.join(storage.dataDir, 'cerdas.sqlite'), { readonly: true });
    try {
      const q = () => '?';
      const latest = db.prepare(latestSql(q));
      const seriesId = (db.prepare(seriesSql(q)).get(queryDeviceId, QUERY_KEY) as { id: number }).id;
      const buckets = db.prepare(bucketSql(q));
      return {
        latest: await time(n.latest, () => latest.all(deviceId)),
        agg: await time(n.agg, () => buckets.all(JAKARTA_OFFSET_MS, 3_600_000, seriesId, from, to)),
      };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: storage.databaseUrl!, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const q = (i: number) => `$${i}`;
    const seriesId = (await client.query<{ id: string }>(seriesSql(q), [queryDeviceId, QUERY_KEY])).rows[0]!.id;
    return {
      latest: await time(n.latest, () => client.query(latestSql(q), [deviceId])),
      agg: await time(n.agg, () => client.query(bucketSql(q), [JAKARTA_OFFSET_MS, 3_600_000, seriesId, from, to])),
    };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- one dialect

async function stopServer(server: Server): Promise<number | null> {
  const peak = procStatusKb(server.pid, 'VmHWM');
  // SIGKILL: nothing gets the chance to flush, so what is stored is what was committed.
  await server.stop(settings.cpuProfDir ? 'SIGTERM' : 'SIGKILL', 30_000);
  return peak;
}

/** 1a. Raw insert baselines, each in a bare Node process and a fresh database. */
async function rawBaselines(dialect: 'sqlite' | 'postgres', name: string, raw: Record<number, number>): Promise<void> {
  log(`${name}: raw insert baselines (${settings.rawS} s each)`);
  const rawStorage = await freshStorage(dialect, 'raw');
  storages.add(rawStorage);
  try {
    for (const batch of [100, 5000]) {
      const r = await runJsonChild<{ rowsPerSec: number; rows: number }>(
        'bench/baseline-db.ts',
        [JSON.stringify({ dialect, dir: rawStorage.dataDir, url: rawStorage.databaseUrl, batch, durationMs: settings.rawS * 1000, devices: settings.httpDevices })],
        settings.rawS * 1000 + 60_000,
      );
      raw[batch] = r.rowsPerSec;
      log(`${name}: raw ${batch}-row transactions: ${fmtInt(r.rowsPerSec)} rows/s`);
    }
  } finally {
    await rawStorage.drop();
    storages.delete(rawStorage);
  }

}

async function runDialect(dialect: 'sqlite' | 'postgres'): Promise<boolean> {
  const name = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const add = (row: Omit<Row, 'dialect'>) => table.push({ dialect: name, ...row });
  const nodeArgs = settings.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(settings.cpuProfDir, dialect)}`] : [];
  const crashCheck = settings.cpuProfDir === undefined;

  const raw: Record<number, number> = {};
  if (!settings.mqttOnly) await rawBaselines(dialect, name, raw);

  const storage = await freshStorage(dialect, 'platform');
  storages.add(storage);
  let peakKb = 0;
  const notePeak = (kb: number | null) => (peakKb = Math.max(peakKb, kb ?? 0));

  // 1b. HTTP ingest.
  log(`${name}: starting the platform`);
  let server = await startPlatform(storage, { nodeArgs, env: serverEnv, entry: SERVER_ENTRY, label: `${dialect} A` });
  const idleRssKb = procStatusKb(server.pid, 'VmRSS') ?? NaN;
  const { token } = await call<{ token: string }>(server.url, 'POST', '/api/v1/auth/login', { body: ADMIN });
  log(`${name}: registering ${settings.httpDevices + 1 + settings.mqttDevices} devices through the API`);
  const names = [
    ...Array.from({ length: settings.httpDevices }, (_, i) => `Pos HTTP ${i + 1}`),
    'Pos duga air Sungai Kelingi',
    ...Array.from({ length: settings.mqttDevices }, (_, i) => `Sensor MQTT ${i + 1}`),
  ];
  const devices = await pool(names, 8, (deviceName) => call<{ id: string; accessToken: string }>(server.url, 'POST', '/api/v1/devices', { token, body: { name: deviceName } }, 201));
  const httpDevices = devices.slice(0, settings.httpDevices);
  const queryDevice = devices[settings.httpDevices]!;
  const mqttDevices = devices.slice(settings.httpDevices + 1);

  if (!settings.mqttOnly) {
    log(`${name}: HTTP ingest, ${settings.httpConnections} connections × ${HTTP_POINTS_PER_REQUEST} points a request (${settings.warmupS} s warm-up + ${settings.loadS} s)`);
    const load = httpLoader(server, httpDevices.map((d) => d.accessToken));
    const warm = await load.run(settings.warmupS);
    const meter = cpuMeter(server.pid);
    const whole = machineMeter();
    const benchCpu0 = process.cpuUsage();
    let serverCpu: number | null = null;
    let machine: CpuPicture | null = null;
    let benchCpu = NaN;
    let killed: Promise<number | null> | null = null;
    const http = await load.run(settings.loadS, () => {
      serverCpu = meter.stop();
      killed = stopServer(server);
      machine = whole.stop();
      const used = process.cpuUsage(benchCpu0);
      benchCpu = (used.user + used.system) / 1e6 / settings.loadS;
    });
    notePeak(await killed!);
    const httpRate = (http.ok * HTTP_POINTS_PER_REQUEST) / http.seconds;
    const httpCheck = await missingPoints(storage, httpDevices.map((d) => d.id), load.ackedPoints());
    if (httpCheck.acked !== (warm.ok + http.ok) * HTTP_POINTS_PER_REQUEST) throw new Error(`the HTTP load counted ${warm.ok + http.ok} answers but recorded ${httpCheck.acked / HTTP_POINTS_PER_REQUEST}`);
    log(`${name}: ${fmtInt(httpRate)} points/s; ${fmtInt(httpCheck.missing)} of ${fmtInt(httpCheck.acked)} acknowledged points missing after the kill`);
    const share = httpRate / raw[5000]!;
    const shareOk = share >= TARGET.httpShareOfRaw;
    const absoluteOk = dialect !== 'sqlite' || httpRate >= TARGET.httpPointsSqlite;
    const httpOk = shareOk && absoluteOk && http.non2xx === 0 && http.errors === 0;
    const parts = dialect === 'sqlite' ? `≥${fmtInt(TARGET.httpPointsSqlite)}/s ${absoluteOk ? 'met' : 'missed'}, ≥${fmtPct(TARGET.httpShareOfRaw)} of raw ${shareOk ? 'met' : 'missed'}; ` : '';
    add({
      measure: `HTTP ingest (${HTTP_POINTS_PER_REQUEST} pts/req, ${settings.httpConnections} conns)`,
      result: `${fmtInt(httpRate)} points/s`,
      baseline: `raw ${dialect === 'sqlite' ? 'better-sqlite3' : 'pg multi-row INSERT'}: ${fmtInt(raw[5000]!)}/s (5,000-row tx), ${fmtInt(raw[100]!)}/s (100-row tx)`,
      ratio: `${fmtPct(share)} / ${fmtPct(httpRate / raw[100]!)}`,
      target: dialect === 'sqlite' ? `≥${fmtInt(TARGET.httpPointsSqlite)}/s and ≥${fmtPct(TARGET.httpShareOfRaw)} of raw 5,000` : `≥${fmtPct(TARGET.httpShareOfRaw)} of raw 5,000`,
      status: status(httpOk),
      detail: `${parts}server CPU ${fmtPct(serverCpu ?? NaN)}, load CPU ${fmtPct(benchCpu)}, ${cpuElsewhere(machine)}; ${fmtInt(http.non2xx)} non-2xx, ${fmtInt(http.errors)} errors`,
    });
    add({
      measure: 'HTTP acked points lost on kill -9',
      result: crashCheck ? `${fmtInt(httpCheck.missing)} of ${fmtInt(httpCheck.acked)}` : 'not checked',
      baseline: '—',
      ratio: '—',
      target: 'none lost',
      status: crashCheck ? status(httpCheck.missing === 0) : 'n/a',
      detail: crashCheck ? 'server SIGKILLed under load; each acked point looked up in the database' : 'profiling: stopped with SIGTERM',
    });

    // 3. Queries, on a restarted server (which also shows the data survived the kill).
    server = await startPlatform(storage, { nodeArgs, env: serverEnv, entry: SERVER_ENTRY, label: `${dialect} B` });
    const hourMs = 3_600_000;
    const to = Math.floor(Date.now() / hourMs) * hourMs;
    const from = to - QUERY_DAYS * 24 * hourMs;
    log(`${name}: loading ${fmtInt(QUERY_POINTS)} one-minute points through the HTTP ingest API`);
    const chunks = Array.from({ length: Math.ceil(QUERY_POINTS / 1000) }, (_, c) =>
      Array.from({ length: Math.min(1000, QUERY_POINTS - c * 1000) }, (_, i) => ({ ts: from + (c * 1000 + i) * 60_000, values: { [QUERY_KEY]: Math.round((2 + Math.sin((c * 1000 + i) / 500)) * 1000) / 1000 } })),
    );
    await pool(chunks, 4, (chunk) => call(server.url, 'POST', `/api/v1/${queryDevice.accessToken}/telemetry`, { body: chunk }));

    const latestPath = `/api/v1/devices/${httpDevices[0]!.id}/latest`;
    const aggPath = `/api/v1/devices/${queryDevice.id}/telemetry?keys=${QUERY_KEY}&from=${from}&to=${to}&interval=1h&agg=avg`;
    const latestKeys = Object.keys(await call<Record<string, unknown>>(server.url, 'GET', latestPath, { token })).length;
    if (latestKeys !== HTTP_KEYS.length) throw new Error(`GET /latest gave ${latestKeys} keys, expected ${HTTP_KEYS.length}`);
    const bucketsOf = async () => (await call<Record<string, { ts: number; value: number }[]>>(server.url, 'GET', aggPath, { token }))[QUERY_KEY]?.length ?? 0;
    // Every point was acknowledged, so every hour must be there at once; if not, say so and measure anyway.
    const bucketsAtOnce = await bucketsOf();
    if (bucketsAtOnce !== QUERY_DAYS * 24) await sleep(2000);
    const buckets = await bucketsOf();
    const bucketNote = bucketsAtOnce === QUERY_DAYS * 24 ? '' : `; only ${bucketsAtOnce} of ${QUERY_DAYS * 24} hours readable right after the load was acknowledged`;
    const timed = async (pathname: string, count: number) => {
      for (let i = 0; i < Math.ceil(count / 10); i++) await call(server.url, 'GET', pathname, { token });
      const out: number[] = [];
      for (let i = 0; i < count; i++) {
        const res = await request(server.url, 'GET', pathname, { token });
        if (res.status !== 200) throw new Error(`GET ${pathname} answered ${res.status}: ${res.text.slice(0, 300)}`);
        out.push(res.ms);
      }
      return out;
    };
    log(`${name}: query latency (${settings.latestRequests} × /latest, ${settings.aggRequests} × 30-day hourly average)`);
    const latest = await timed(latestPath, settings.latestRequests);
    const agg = await timed(aggPath, settings.aggRequests);
    const rawQ = await rawQueryLatency(storage, httpDevices[0]!.id, queryDevice.id, from, to, { latest: settings.latestRequests, agg: settings.aggRequests });
    const pq = (v: number[]) => `${fmtMs(percentile(v, 50))} / ${fmtMs(percentile(v, 99))} ms`;
    add({
      measure: `GET /latest (${HTTP_KEYS.length} keys) p50 / p99`,
      result: pq(latest),
      baseline: `same SQL on the database: ${pq(rawQ.latest)}`,
      ratio: '—',
      target: `p99 ≤ ${TARGET.latestP99Ms} ms`,
      status: status(percentile(latest, 99) <= TARGET.latestP99Ms),
      detail: `${fmtInt(latest.length)} sequential requests, keep-alive`,
    });
    add({
      measure: `30-day 1 h avg (${fmtInt(QUERY_POINTS)} pts) p50 / p99`,
      result: pq(agg),
      baseline: `same SQL on the database: ${pq(rawQ.agg)}`,
      ratio: '—',
      target: `p99 ≤ ${TARGET.aggP99Ms} ms`,
      status: status(percentile(agg, 99) <= TARGET.aggP99Ms && bucketNote === '' && buckets === QUERY_DAYS * 24),
      detail: `${fmtInt(agg.length)} sequential requests, ${buckets} buckets each${bucketNote}`,
    });
  }

  let bareFailed = false;
  // 2. MQTT: per protocol version, rounds of bare Aedes and the platform in turn (the order swapped each
  // round), each on a fresh process of its own (the platform is killed at the end of its window). The share
  // is the median of the rounds' shares: a neighbour's burst that hits one round does not decide it.
  // A platform in service holds weeks of readings of each device; every new reading then lands on a page of
  // its own series (the table is ordered by series, then time), and a commit writes a page for each device
  // in it. On an empty database the devices share a few pages: the first rounds measured were up to a fifth
  // faster than the later ones, and MQTT 5, measured after MQTT 3.1.1, looked slower than it is.
  log(`${name}: loading ${fmtInt(MQTT_HISTORY)} readings of history for each of the ${fmtInt(mqttDevices.length)} MQTT devices through the HTTP ingest API`);
  const historyFrom = Date.now() - QUERY_DAYS * 24 * 3_600_000;
  const history = (device: number) =>
    Array.from({ length: MQTT_HISTORY }, (_, i) => ({ ts: historyFrom + i * 60_000, values: { [MQTT_KEYS[0]!]: 20 + ((device + i) % 15), [MQTT_KEYS[1]!]: 40 + ((device * 7 + i) % 60) } }));
  await pool(
    mqttDevices.map((d, i) => ({ d, i })),
    8,
    ({ d, i }) => call(server.url, 'POST', `/api/v1/${d.accessToken}/telemetry`, { body: history(i) }),
  );
  notePeak(await stopServer(server));
  for (const [i, version] of MQTT_VERSIONS.entries()) {
    const proto = versionName(version);
    const rounds: { bare: MqttResult; platform: MqttResult }[] = [];
    let bareError: Error | null = null;
    let lost = 0;
    let lookedUp = 0;
    for (let r = 0; r < settings.mqttRounds && bareError === null; r++) {
      const bareFirst = r % 2 === 0;
      let aedes: MqttResult | Error | null = bareFirst ? await bareAedes(version) : null;
      const mqttServer = await startPlatform(storage, { nodeArgs, env: serverEnv, entry: SERVER_ENTRY, label: `${dialect} ${proto}` });
      log(`${name}: ${proto} round ${r + 1}/${settings.mqttRounds}: QoS 1 from ${settings.mqttDevices} devices (${settings.warmupS} s warm-up + ${settings.mqttRoundS} s)`);
      let mqttKilled: Promise<number | null> | null = null;
      // Each version and round gets timestamps of its own (an hour apart), so that the crash check sees only its own readings.
      const tsBase = Math.floor(Date.now() / 1000) * 1000 - 3_600_000 * (1 + i * settings.mqttRounds + r);
      const mqtt = await mqttLoad(mqttServer.mqttPort, mqttDevices.map((d) => d.accessToken), mqttServer.pid, version, settings.mqttRoundS, () => {
        mqttKilled = stopServer(mqttServer);
      }, tsBase);
      notePeak(await (mqttKilled ?? stopServer(mqttServer)));
      const check = await missingPoints(storage, mqttDevices.map((d) => d.id), mqtt.ackedPoints);
      lost += check.missing;
      lookedUp += check.acked;
      log(`${name}: ${proto} round ${r + 1}: ${fmtInt(mqtt.rate)} messages/s; ${fmtInt(check.missing)} of ${fmtInt(check.acked)} acknowledged points missing after the kill`);
      aedes ??= await bareAedes(version);
      if (aedes instanceof Error) bareError = aedes;
      else rounds.push({ bare: aedes, platform: mqtt });
    }
    if (bareError) bareFailed = true;
    const measure = `${proto} QoS 1 from ${fmtInt(settings.mqttDevices)} devices, ${settings.mqttInflight} in flight each, share of bare Aedes`;
    if (bareError || rounds.length === 0) {
      add({ measure, result: '—', baseline: `bare Aedes failed: ${(bareError?.message ?? 'no round').split('\n')[0]}`, ratio: '—', target: `≥${fmtPct(TARGET.mqttShareOfBare)} of bare Aedes`, status: 'FAILED', detail: '' });
    } else {
      const shares = rounds.map((x) => x.platform.rate / x.bare.rate);
      const share = percentile(shares, 50);
      const median = (f: (x: (typeof rounds)[number]) => number) => percentile(rounds.map(f), 50);
      const failures = rounds.reduce((n, x) => n + x.platform.failed + x.platform.disconnects, 0);
      const ok = share >= TARGET.mqttShareOfBare && failures === 0;
      const us = (x: MqttResult) => cpuPerMessage(x);
      add({
        measure,
        result: `${fmtInt(median((x) => x.platform.rate))} acked msg/s (median of ${rounds.length})`,
        baseline: `bare Aedes, ${proto}: ${fmtInt(median((x) => x.bare.rate))} msg/s (median)`,
        ratio: fmtPct(share),
        target: `≥${fmtPct(TARGET.mqttShareOfBare)} of bare Aedes`,
        status: status(ok),
        detail: `median of ${rounds.length} interleaved rounds' shares; rounds (platform / bare msg/s, µs of server CPU a message): ${rounds
          .map((x) => `${fmtInt(x.platform.rate)}/${fmtInt(x.bare.rate)} ${fmtPct(x.platform.rate / x.bare.rate)} ${us(x.platform)}/${us(x.bare)} µs`)
          .join('; ')}; last round: server CPU ${fmtPct(rounds.at(-1)!.platform.brokerCpu ?? NaN)}, generator CPU ${fmtPct(rounds.at(-1)!.platform.cpu)}, ${cpuElsewhere(rounds.at(-1)!.platform.machine)}; ${failures} failures`,
      });
    }
    add({
      measure: `${proto} acked points lost on kill -9`,
      result: crashCheck ? `${fmtInt(lost)} of ${fmtInt(lookedUp)}` : 'not checked',
      baseline: '—',
      ratio: '—',
      target: 'none lost',
      status: crashCheck ? status(lost === 0) : 'n/a',
      detail: crashCheck ? `server SIGKILLed under load at the end of each round; every acked message looked up in the database` : 'profiling: stopped with SIGTERM',
    });
  }

  if (!settings.mqttOnly) {
    // 5. Commands (RPC) with ingest running, on a server of their own (the MQTT phase killed the last one).
    server = await startPlatform(storage, { nodeArgs, env: serverEnv, entry: SERVER_ENTRY, label: `${dialect} C` });
    const rpcSenders = mqttDevices.slice(0, Math.min(200, mqttDevices.length)).map((d) => d.accessToken);
    log(`${name}: ${settings.rpcCount} commands round trip while ${rpcSenders.length} MQTT devices send telemetry`);
    const rpc = await rpcRoundTrips(server.url, server.mqttPort, token, rpcSenders, { count: settings.rpcCount, concurrency: 4 });
    add({
      measure: `${fmtInt(rpc.count)} commands (RPC) round trip p50 / p99`,
      result: `${fmtMs(percentile(rpc.ms, 50))} / ${fmtMs(percentile(rpc.ms, 99))} ms`,
      baseline: '—',
      ratio: '—',
      target: 'all answered',
      status: status(rpc.failures === 0),
      detail: `REST → MQTT device → answer, 4 at once; ingest beside: ${rpc.senders} MQTT devices, ${fmtInt(rpc.ingestPerSec)} acked msg/s; ${rpc.failures} failed`,
    });
    notePeak(await stopServer(server));
  }

  // 4. Memory.
  add({
    measure: 'server peak RSS (VmHWM)',
    result: `${mb(peakKb).toFixed(0)} MB`,
    baseline: `RSS idle after start: ${mb(idleRssKb).toFixed(0)} MB`,
    ratio: '—',
    target: `≤ ${TARGET.rssMb} MB`,
    status: status(mb(peakKb) <= TARGET.rssMb),
    detail: 'highest of the three server processes of this dialect (ingest, MQTT, commands)',
  });

  await storage.drop();
  storages.delete(storage);
  return !bareFailed;
}

// ---------------------------------------------------------------- main

const startedAt = performance.now();
let failed = false;
// Other work on the machine (a test suite, another benchmark) makes every figure noisy: look first, and say so.
const idleCheck = machineMeter();
await sleep(1000);
const before = idleCheck.stop();
if (before && before.busy + before.steal > 0.3) log(`the machine is already busy (${before.busy.toFixed(2)} cores in use, ${before.steal.toFixed(2)} stolen): the figures will be noisy`);
try {
  const dialects: ('sqlite' | 'postgres')[] = [];
  if (settings.only !== 'postgres') dialects.push('sqlite');
  if (settings.only !== 'sqlite') {
    if (await portAnswers(5432)) dialects.push('postgres');
    else log('PostgreSQL does not answer on 127.0.0.1:5432: its rows are skipped');
  }
  if (settings.cpuProfDir) log(`CPU profiles of the servers go to ${settings.cpuProfDir}/<dialect>/`);
  for (const dialect of dialects) {
    try {
      if (!(await runDialect(dialect))) failed = true;
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? error.message : String(error);
      log(`${dialect}: FAILED: ${message}`);
      table.push({ dialect: dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL', measure: 'run', result: message.split('\n')[0]!.slice(0, 120), baseline: '—', ratio: '—', target: '—', status: 'FAILED', detail: 'see stderr' });
      killAllChildren();
    }
  }
} finally {
  await cleanup();
}

const headers = ['Dialect', 'Measure', 'Result', 'Baseline (same run)', 'vs baseline', 'Target', 'Status', 'Detail'];
console.log(
  `\nCerdas ingest benchmark — ${settings.quick ? 'quick, ' : ''}${settings.loadS} s load phases, Node ${process.versions.node}, ${os.cpus().length} cores, ${Math.round((performance.now() - startedAt) / 1000)} s in all; before the run the machine had ${before ? `${before.busy.toFixed(2)} cores busy, ${before.steal.toFixed(2)} stolen` : 'an unknown load'}\n`,
);
console.log(formatTable(headers, table.map((r) => [r.dialect, r.measure, r.result, r.baseline, r.ratio, r.target, r.status, r.detail])));
process.exitCode = failed ? 1 : 0;
