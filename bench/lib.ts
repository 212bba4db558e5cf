/**
 * Helpers of the benchmarks: child processes that are always cleaned up, free
 * ports, a keep-alive HTTP client, /proc readings, the shape of the rows the
 * load sends, and the table printer. Everything talks to 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const HOST = '127.0.0.1';
export const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const ADMIN = { email: 'bench@musirawas.go.id', password: 'Bench-Rahasia-2026' };

/** Keys of each HTTP load device: 10 keys × 10 timestamps = 100 points a request. */
export const HTTP_KEYS = ['water_level', 'rain_mm', 'air_temp', 'air_humidity', 'pm25', 'pm10', 'no2', 'co', 'battery_v', 'rssi'];
export const HTTP_TS_PER_REQUEST = 10;
export const HTTP_POINTS_PER_REQUEST = HTTP_KEYS.length * HTTP_TS_PER_REQUEST;
/** Keys of each MQTT message: one reading of two values. */
export const MQTT_KEYS = ['suhu', 'kelembapan'];
/** The one key of the 30-day query series. */
export const QUERY_KEY = 'tinggi_muka_air';

/** ms since epoch where the HTTP load's timestamps start: one day back, so they are never "in the future". */
export function httpTsBase(now = Date.now()): number {
  return Math.floor(now / 1000) * 1000 - 86_400_000;
}

/**
 * One HTTP request's worth of rows of one device, as the platform receives them:
 * `[{ts, values:{k:v,…}}, …]`. `seq` numbers the device's requests, so every
 * (series, ts) is new and no write is an upsert of an earlier one.
 */
export function httpPayload(seq: number, base: number): { ts: number; values: Record<string, number> }[] {
  const out: { ts: number; values: Record<string, number> }[] = [];
  for (let j = 0; j < HTTP_TS_PER_REQUEST; j++) {
    const values: Record<string, number> = {};
    for (let k = 0; k < HTTP_KEYS.length; k++) values[HTTP_KEYS[k]!] = Math.round(Math.random() * 100_000) / 100;
    out.push({ ts: base + seq * HTTP_TS_PER_REQUEST + j, values });
  }
  return out;
}

// ---------------------------------------------------------------- processes

const children = new Set<ChildProcess>();

/** Kills every child still running (SIGKILL): used on exit and on errors. */
export function killAllChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}

process.on('exit', killAllChildren);

export interface Child {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** Lines written to stdout, as they come. */
  onLine(listener: (line: string) => void): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` and waits (at most `ms`, then SIGKILL) for the process to end. */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<void>;
}

/** Runs `node [nodeArgs] <script> [args]` in the repository, tracked for cleanup. */
export function spawnNode(script: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []): Child {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  let out = '';
  const listeners: ((line: string) => void)[] = [];
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => {
    const text = d.toString('utf8');
    out += text;
    partial += text;
    let nl: number;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      for (const l of listeners) l(line);
    }
    if (out.length > 1_000_000) out = out.slice(-200_000);
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    if (out.length > 1_000_000) out = out.slice(-200_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    pid: child.pid,
    output: () => out,
    onLine: (listener) => listeners.push(listener),
    exited,
    async stop(signal = 'SIGTERM', ms = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Runs a helper script to its end and returns the JSON object of the last
 * stdout line that is one; fails with its output on a non-zero exit or after `ms`.
 */
export async function runJsonChild<T>(script: string, args: string[], ms: number, env: Record<string, string> = {}): Promise<T & { pid: number }> {
  const c = spawnNode(script, args, env);
  const timer = setTimeout(() => c.child.kill('SIGKILL'), ms);
  const { code, signal } = await c.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${script} ${args.join(' ')} ended with ${code ?? signal}${signal === 'SIGKILL' ? ` (over its ${ms} ms limit)` : ''}:\n${c.output().slice(-4000)}`);
  const lines = c.output().split('\n').filter((l) => l.startsWith('{'));
  const last = lines[lines.length - 1];
  if (!last) throw new Error(`${script} printed no result:\n${c.output().slice(-4000)}`);
  return { ...(JSON.parse(last) as T), pid: c.pid };
}

/** A TCP port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something answers on a TCP port of this machine. */
export function portAnswers(port: number, host = HOST): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- /proc

/** A `kB` field of /proc/<pid>/status (VmHWM = peak RSS, VmRSS = now), or null once the process is gone. */
export function procStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in seconds (Linux clock ticks are 1/100 s). */
export function procCpuSeconds(pid: number): number | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Measures a process's CPU share (1.0 = one core) over a stretch of work. */
export function cpuMeter(pid: number): { stop(): number | null } {
  const cpu0 = procCpuSeconds(pid);
  const t0 = performance.now();
  return {
    stop() {
      const cpu1 = procCpuSeconds(pid);
      if (cpu0 === null || cpu1 === null) return null;
      return (cpu1 - cpu0) / ((performance.now() - t0) / 1000);
    },
  };
}

/** CPU seconds so far, parent and command name of every process this machine lets us see. */
export function processTimes(): Map<number, { ppid: number; comm: string; cpu: number }> {
  const out = new Map<number, { ppid: number; comm: string; cpu: number }>();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return out;
  }
  for (const e of entries.slice(0, 100_000)) {
    try {
      const text = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      out.set(Number(e), { ppid: Number(fields[1]), comm, cpu: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

export interface CpuPicture {
  /** cores busy on the whole machine */
  busy: number;
  /** cores the hypervisor took away */
  steal: number;
  /** cores used by the PostgreSQL server's processes */
  postgres: number;
  /** cores busy that no process visible here accounts for: a neighbour on the same machine, or interrupts */
  unattributed: number;
}

/** Where the machine's CPU went over a stretch of work: PostgreSQL, and what nobody visible here used. */
export function machineMeter(): { stop(): CpuPicture | null } {
  const read = () => {
    try {
      const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
      // user nice system idle iowait irq softirq steal …
      const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
      return { busy: user + nice + system + irq + softirq, steal };
    } catch {
      return null;
    }
  };
  const a = read();
  const procsA = processTimes();
  const t0 = performance.now();
  return {
    stop() {
      const b = read();
      const procsB = processTimes();
      if (!a || !b) return null;
      const seconds = (performance.now() - t0) / 1000;
      let visible = 0;
      let postgres = 0;
      for (const [pid, p] of procsB) {
        const before = procsA.get(pid);
        const used = before && before.comm === p.comm ? p.cpu - before.cpu : p.cpu;
        visible += used;
        if (p.comm === 'postgres') postgres += used;
      }
      const busy = (b.busy - a.busy) / 100 / seconds;
      return { busy, steal: (b.steal - a.steal) / 100 / seconds, postgres: postgres / seconds, unattributed: Math.max(0, busy - visible / seconds) };
    },
  };
}

// ---------------------------------------------------------------- the platform

export interface Storage {
  dialect: 'sqlite' | 'postgres';
  dataDir: string;
  /** PostgreSQL only: the URL with the run's own schema as search_path. */
  databaseUrl?: string;
  schema?: string;
  drop(): Promise<void>;
}

/** A fresh database: a temp DATA_DIR for SQLite; for PostgreSQL a schema of its own (dropped by drop()). */
export async function freshStorage(dialect: 'sqlite' | 'postgres', label: string): Promise<Storage> {
  const dataDir = tempDir(`cerdas-bench-${label}-`);
  if (dialect === 'sqlite') return { dialect, dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  const schema = `cerdas_bench_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await pgAdmin(`CREATE SCHEMA ${schema}`);
  return {
    dialect,
    dataDir,
    schema,
    databaseUrl: pgSchemaUrl(schema),
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await pgAdmin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}

export function pgSchemaUrl(schema: string): string {
  return `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

async function pgAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface Server extends Child {
  url: string;
  mqttPort: number;
}

/** Starts `node src/main.ts` with the storage and free ports (plus `env`, given the server's URL, e.g. PUBLIC_URL), and waits for /api/v1/health. */
export async function startPlatform(
  storage: Storage,
  options: { nodeArgs?: string[]; label: string; env?: (url: string) => Record<string, string>; /** the script to run instead of src/main.ts (dist/main.js: what `npm start` runs) */ entry?: string },
): Promise<Server> {
  const port = await freePort();
  const mqttPort = await freePort();
  const env: Record<string, string> = {
    PORT: String(port),
    HOST,
    DATA_DIR: storage.dataDir,
    MQTT_PORT: String(mqttPort),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
  };
  if (storage.databaseUrl) env.DATABASE_URL = storage.databaseUrl;
  const url = `http://${HOST}:${port}`;
  Object.assign(env, options.env?.(url));
  const child = spawnNode(options.entry ?? 'src/main.ts', [], env, options.nodeArgs ?? []);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.child.exitCode !== null) throw new Error(`the platform (${options.label}) exited at start:\n${child.output().slice(-4000)}`);
    if (Date.now() > deadline) {
      await child.stop('SIGKILL');
      throw new Error(`the platform (${options.label}) did not answer /api/v1/health within 60 s:\n${child.output().slice(-4000)}`);
    }
    try {
      const res = await request(url, 'GET', '/api/v1/health', { timeoutMs: 2000 });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return { ...child, url, mqttPort };
}

// ---------------------------------------------------------------- HTTP client

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

export interface Response {
  status: number;
  text: string;
  /** ms from sending to the last byte of the body */
  ms: number;
}

/** One HTTP request over a kept-alive connection. */
export function request(
  base: string,
  method: string,
  pathname: string,
  options: { token?: string; body?: unknown; raw?: string; timeoutMs?: number } = {},
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    let payload: string | undefined;
    if (options.raw !== undefined) payload = options.raw;
    else if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const t0 = performance.now();
    const req = http.request(`${base}${pathname}`, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
      res.on('error', reject);
    });
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${pathname}: no answer in ${options.timeoutMs ?? 30_000} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A request that must answer `expect`; returns the parsed JSON body. */
export async function call<T>(base: string, method: string, pathname: string, options: { token?: string; body?: unknown; raw?: string } = {}, expect = 200): Promise<T> {
  const res = await request(base, method, pathname, options);
  if (res.status !== expect) throw new Error(`${method} ${pathname} answered ${res.status} (expected ${expect}): ${res.text.slice(0, 500)}`);
  return (res.text === '' ? null : JSON.parse(res.text)) as T;
}

export function closeHttpAgent(): void {
  agent.destroy();
}

/** Runs `work` over `items` with at most `concurrency` at once. */
export async function pool<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!, i);
    }
  });
  await Promise.all(runners);
  return out;
}

// ---------------------------------------------------------------- numbers and the table

/** The p-th percentile (0–100) of values, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—';
}

export function fmtMs(n: number): string {
  if (!Number.isFinite(n)) return '—';
  return n < 1 ? n.toFixed(2) : n < 10 ? n.toFixed(1) : n.toFixed(0);
}

export function fmtPct(n: number): string {
  return Number.isFinite(n) ? `${Math.round(n * 100)}%` : '—';
}

/** A markdown table with padded, aligned columns. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Progress goes to stderr, so that stdout holds only the table. */
export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** A numeric flag, or its fallback; a bad value stops the run saying which flag and why. */
export function numberSetting(raw: string | undefined, fallback: number, min: number, max: number, name: string, whole = true): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!(whole ? Number.isInteger(n) : Number.isFinite(n)) || n < min || n > max) {
    throw new Error(`${name} must be a ${whole ? 'whole ' : ''}number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

/** Runs `cleanup` on SIGINT or SIGTERM and, when a limit is given, once the run has lasted that long. */
export function cleanUpOnExit(cleanup: () => Promise<void>, limitMs?: number): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  if (limitMs === undefined) return;
  setTimeout(() => {
    log(`the run passed its limit of ${limitMs / 60_000} min: stopping`);
    void cleanup().finally(() => process.exit(3));
  }, limitMs).unref();
}

/**
 * Connects one load-generator device to the broker on 127.0.0.1 (MQTT 3.1.1,
 * no reconnect); `onLost` is called if the connection closes later.
 */
/** Connects an MQTT device client: MQTT 3.1.1 (protocol version 4) unless told 5. */
export function connectDevice(port: number, token: string, clientId: string, onLost: () => void, protocolVersion: 4 | 5 = 4): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect({
      host: '127.0.0.1',
      port,
      protocol: 'mqtt',
      protocolVersion,
      clientId,
      username: token,
      clean: true,
      keepalive: 300,
      reconnectPeriod: 0,
      connectTimeout: 60_000,
    });
    const fail = (error: Error) => {
      client.end(true);
      reject(error);
    };
    client.once('error', fail);
    client.once('connect', () => {
      client.off('error', fail);
      client.on('error', () => {});
      client.on('close', onLost);
      resolve(client);
    });
  });
}
