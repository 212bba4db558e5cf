/**
 * The MQTT part of the hostile-input benchmark: raw TCP connections that each
 * declare a 200 MB PUBLISH, first before any CONNECT, then after a valid
 * CONNECT with a device token, and go on sending zeros until the broker closes
 * them. Meanwhile the server's RSS (VmRSS of its process) and the latency of
 * GET /api/v1/health are sampled every 10 ms.
 *
 *   node bench/hostile-mqtt.ts [--quick] [--connections=<12…50>] [--send-mb=<n>]
 *
 * `mqttFlood` is what bench/hostile.ts runs against its own server; run alone,
 * this file starts the platform as bench/lib.ts's startPlatform does (SQLite),
 * and prints one table. Progress goes to stderr. Exit code 1 if a target is missed.
 */
import net from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  ADMIN,
  call,
  cleanUpOnExit,
  closeHttpAgent,
  fmtMs,
  formatTable,
  freshStorage,
  killAllChildren,
  log,
  numberSetting,
  percentile,
  procStatusKb,
  request,
  sleep,
  startPlatform,
  type Server,
  type Storage,
} from './lib.ts';

export const TARGET = { rssMb: 400, healthP99Ms: 50 };
const MB = 1024 * 1024;
const DECLARED = 200 * MB;
/** Zeros every flooding socket writes again and again: one buffer for all. */
const ZEROS = Buffer.alloc(MB);

export interface MqttFloodOptions {
  /** The server's process, whose VmRSS is sampled. */
  pid: number;
  /** The server's HTTP base URL, for /api/v1/health. */
  url: string;
  /** A device's access token, for the connections that CONNECT first. */
  token: string;
  /** Connections a phase opens (12–50). */
  connections: number;
  /** MiB each connection tries to send after its header (the declared 200 MB when not cut short). */
  sendMb: number;
  /** Longest a phase waits for its connections to be closed, ms. */
  phaseMs?: number;
}

export interface MqttFloodRow {
  phase: 'before CONNECT' | 'after CONNECT';
  connections: number;
  /** Connections the broker closed before the phase's time was up. */
  closed: number;
  /** ms from the first header written to the last connection closed. */
  closeMs: number;
  /** MiB all connections got written into the socket before it closed (the kernel's buffers take some). */
  writtenMb: number;
  idleRssMb: number;
  peakRssMb: number;
  /** VmRSS 1 s after the phase, MiB: what the closed connections left behind. */
  afterRssMb: number;
  healthP99Ms: number;
  healthFailures: number;
  /** Whether the server process was still the same one, running, at the end of the phase. */
  serverAlive: boolean;
}

const header = (declared: number, topic: string) => {
  const length: number[] = [];
  let n = declared;
  do {
    length.push((n % 128) | (n >= 128 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  const t = Buffer.from(topic);
  return Buffer.concat([Buffer.from([0x32, ...length, t.length >> 8, t.length & 0xff]), t, Buffer.from([0, 1])]);
};

const mqttString = (s: string) => {
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};

function connectPacket(clientId: string, token: string): Buffer {
  const body = Buffer.concat([mqttString('MQTT'), Buffer.from([4, 0x82, 0, 60]), mqttString(clientId), mqttString(token)]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

interface Raw {
  socket: net.Socket;
  closed: Promise<number>;
  isClosed(): boolean;
}

function openRaw(port: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let done = false;
    socket.on('error', () => {});
    const closed = new Promise<number>((r) => socket.once('close', () => ((done = true), r(performance.now()))));
    socket.once('connect', () => resolve({ socket, closed, isClosed: () => done }));
    socket.once('error', reject);
  });
}

/** Opens a raw connection and sends a CONNECT; resolves once the CONNACK accepting it has arrived. */
async function openConnected(port: number, token: string, clientId: string): Promise<Raw> {
  const raw = await openRaw(port);
  const connack = new Promise<void>((resolve, reject) => {
    let got = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length < 4) return;
      raw.socket.off('data', onData);
      if (got[0] === 0x20 && got[3] === 0) resolve();
      else reject(new Error(`CONNACK refused: ${got.toString('hex')}`));
    };
    raw.socket.on('data', onData);
    void raw.closed.then(() => reject(new Error('closed before CONNACK')));
  });
  raw.socket.write(connectPacket(clientId, token));
  await connack;
  return raw;
}

function flood(raw: Raw, head: Buffer, mb: number): Promise<void> {
  return new Promise((resolve) => {
    raw.socket.write(head);
    let left = mb;
    const next = () => {
      while (left > 0 && !raw.isClosed()) {
        left--;
        if (!raw.socket.write(ZEROS)) return void raw.socket.once('drain', next);
      }
      resolve();
    };
    void raw.closed.then(() => resolve());
    next();
  });
}

/** Samples the server's VmRSS and /api/v1/health every 10 ms until stopped. */
function sampler(pid: number, url: string) {
  let running = true;
  let peakKb = 0;
  const latencies: number[] = [];
  let failures = 0;
  const rss = setInterval(() => (peakKb = Math.max(peakKb, procStatusKb(pid, 'VmRSS') ?? 0)), 10);
  const health = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const res = await request(url, 'GET', '/api/v1/health', { timeoutMs: 5000 });
        if (res.status === 200) latencies.push(res.ms);
        else failures++;
      } catch {
        failures++;
      }
      await sleep(Math.max(0, 10 - (performance.now() - t0)));
    }
  })();
  return {
    async stop() {
      running = false;
      clearInterval(rss);
      await health;
      return { peakMb: peakKb / 1024, p99: percentile(latencies, 99), failures };
    },
  };
}

const alive = (pid: number) => procStatusKb(pid, 'VmRSS') !== null;

async function phase(port: number, o: MqttFloodOptions, kind: MqttFloodRow['phase']): Promise<MqttFloodRow> {
  // Warm-up: the health route's first calls (compilation, a fresh connection) are not the flood's doing.
  for (let i = 0; i < 50; i++) await request(o.url, 'GET', '/api/v1/health', { timeoutMs: 5000 });
  const idleRssMb = (procStatusKb(o.pid, 'VmRSS') ?? 0) / 1024;
  // After CONNECT: connections authenticate a few at a time, as devices behind one address would.
  const raws: Raw[] = [];
  if (kind === 'before CONNECT') raws.push(...(await Promise.all(Array.from({ length: o.connections }, () => openRaw(port)))));
  else for (let i = 0; i < o.connections; i++) raws.push(await openConnected(port, o.token, `flood-${process.pid}-${i}`));
  const samples = sampler(o.pid, o.url);
  await sleep(50);
  const t0 = performance.now();
  const head = header(DECLARED, 'v1/devices/me/telemetry');
  const floods = raws.map((r) => flood(r, head, o.sendMb));
  const phaseMs = o.phaseMs ?? 10_000;
  const timer = sleep(phaseMs);
  await Promise.race([Promise.all(raws.map((r) => r.closed)), timer]);
  const closed = raws.filter((r) => r.isClosed()).length;
  const lastClose = closed === raws.length ? Math.max(...(await Promise.all(raws.map((r) => r.closed)))) : NaN;
  for (const r of raws) r.socket.destroy();
  await Promise.all(floods);
  await sleep(1000);
  const measured = await samples.stop();
  return {
    phase: kind,
    connections: o.connections,
    closed,
    closeMs: lastClose - t0,
    writtenMb: raws.reduce((sum, r) => sum + r.socket.bytesWritten, 0) / MB,
    idleRssMb,
    peakRssMb: measured.peakMb,
    afterRssMb: (procStatusKb(o.pid, 'VmRSS') ?? 0) / 1024,
    healthP99Ms: measured.p99,
    healthFailures: measured.failures,
    serverAlive: alive(o.pid),
  };
}

/** Both floods, one after the other, against the broker on `port` of the server `options.pid`. */
export async function mqttFlood(port: number, options: MqttFloodOptions): Promise<{ rows: MqttFloodRow[] }> {
  const rows = [await phase(port, options, 'before CONNECT')];
  if (rows[0]!.serverAlive) rows.push(await phase(port, options, 'after CONNECT'));
  return { rows };
}

/** Whether a row meets the targets: RSS, health p99, the server still running, every connection closed. */
export function meetsTargets(row: MqttFloodRow): boolean {
  return row.peakRssMb < TARGET.rssMb && row.healthP99Ms < TARGET.healthP99Ms && row.healthFailures === 0 && row.serverAlive && row.closed === row.connections;
}

export function floodTable(rows: MqttFloodRow[]): string {
  const headers = ['Flood', 'Connections', 'Closed', 'All closed in', 'Written', 'RSS idle → peak → after', 'Health p99', 'Server', 'Target', 'Status'];
  return formatTable(
    headers,
    rows.map((r) => [
      r.phase,
      String(r.connections),
      String(r.closed),
      Number.isFinite(r.closeMs) ? `${fmtMs(r.closeMs)} ms` : '—',
      `${r.writtenMb.toFixed(1)} MiB`,
      `${r.idleRssMb.toFixed(0)} → ${r.peakRssMb.toFixed(0)} → ${r.afterRssMb.toFixed(0)} MB`,
      `${fmtMs(r.healthP99Ms)} ms${r.healthFailures ? `, ${r.healthFailures} failed` : ''}`,
      r.serverAlive ? 'running' : 'GONE',
      `RSS < ${TARGET.rssMb} MB, p99 < ${TARGET.healthP99Ms} ms, no restart`,
      meetsTargets(r) ? 'meets target' : 'misses',
    ]),
  );
}

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, connections: { type: 'string' }, 'send-mb': { type: 'string' } },
  });
  const connections = numberSetting(flags.connections, flags.quick ? 12 : 50, 1, 500, '--connections');
  const sendMb = numberSetting(flags['send-mb'], flags.quick ? 16 : 200, 1, 200, '--send-mb');
  let storage: Storage | undefined;
  let server: Server | undefined;
  const cleanup = async () => {
    await server?.stop();
    await storage?.drop();
    closeHttpAgent();
  };
  cleanUpOnExit(cleanup, 10 * 60_000);
  const startedAt = performance.now();
  let rows: MqttFloodRow[] = [];
  try {
    storage = await freshStorage('sqlite', 'hostile-mqtt');
    server = await startPlatform(storage, { label: 'hostile-mqtt' });
    const { token } = await call<{ token: string }>(server.url, 'POST', '/api/v1/auth/login', { body: ADMIN });
    const device = await call<{ accessToken: string }>(server.url, 'POST', '/api/v1/devices', { token, body: { name: 'Banjir MQTT' } }, 201);
    log(`${connections} connections each declaring 200 MB and sending up to ${sendMb} MiB, before and after CONNECT`);
    ({ rows } = await mqttFlood(server.mqttPort, { pid: server.pid, url: server.url, token: device.accessToken, connections, sendMb }));
  } finally {
    await cleanup();
    killAllChildren();
  }
  console.log(
    `\nCerdas hostile MQTT benchmark — ${flags.quick ? 'quick, ' : ''}${connections} connections × 200 MB declared (up to ${sendMb} MiB sent each), SQLite, Node ${process.versions.node}, ${os.cpus().length} cores, ${Math.round((performance.now() - startedAt) / 1000)} s in all\n`,
  );
  console.log(floodTable(rows));
  process.exitCode = rows.length === 2 && rows.every(meetsTargets) ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
