/**
 * The hostile input benchmark: `npm run bench:hostile` (add `-- --quick` for a
 * short run, `-- --pg` for PostgreSQL instead of SQLite).
 *
 * Runs the platform as a user does (`node src/main.ts`, a child process on free
 * ports with a fresh DATA_DIR) and sends it, one after the other, the files that
 * took it down before uploads were read on the parser worker:
 *   - merge bomb: a ~6 KB XLSX with `<mergeCell ref="A2:XFD1048576"/>`;
 *   - zip bomb: a ~4 MB XLSX whose sheet inflates to 4.2 GB of zeros;
 *   - 1M rows XLSX (--quick: 200,000 rows);
 *   - 20 MB CSV of 351,474 rows;
 *   - pixel bomb: a PNG declaring 100,000 × 100,000 pixels, as a report photo.
 * For each: the answer, the server's peak RSS during it (VmRSS of the child
 * sampled every 10 ms, and its VmHWM after), and health p99/max measured by a
 * client sending GET /api/v1/health every 10 ms while it runs. Targets: RSS
 * under 400 MB, health p99 under 50 ms, the server never restarts (same pid,
 * alive at the end). Then the MQTT flood of bench/hostile-mqtt.ts against the same server.
 * Progress goes to stderr; stdout holds one table. Exit code 1 if a target is missed.
 */
import { ADMIN, call, cleanUpOnExit, closeHttpAgent, fmtMs, formatTable, freshStorage, killAllChildren, log, percentile, procStatusKb, request, sleep, startPlatform, type Server } from './lib.ts';
import { manyRowsCsv, manyRowsXlsx, mergeBombXlsx, pixelBombPng, zipBombXlsx } from '../test/hostile-files.ts';
import { floodTable, meetsTargets, mqttFlood, type MqttFloodRow } from './hostile-mqtt.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const dialect = args.includes('--pg') ? 'postgres' : 'sqlite';
const RSS_TARGET_MB = 400;
const P99_TARGET_MS = 50;

interface Case { name: string; file: () => Promise<Buffer> | Buffer; send: (server: Server, token: string, file: Buffer) => Promise<{ status: number; text: string }> }
interface Row { name: string; bytes: number; answer: string; peakRssMb: number; hwmMb: number; p99: number; max: number; failed: number; ok: boolean }

async function upload(url: string, path: string, field: string, file: Buffer, filename: string, token: string | null, fields: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append(field, new Blob([file]), filename);
  const res = await fetch(url + path, { method: 'POST', body: form, ...(token && { headers: { authorization: `Bearer ${token}` } }) });
  return { status: res.status, text: await res.text() };
}
const importProgram = (filename: string) => (server: Server, token: string, file: Buffer) => upload(server.url, '/api/v1/masterplan/programs/import', 'file', file, filename, token, { document: 'RKPD' });

const CASES: Case[] = [
  { name: 'merge bomb XLSX', file: () => mergeBombXlsx(), send: importProgram('rkpd.xlsx') },
  { name: 'zip bomb XLSX (4.2 GB)', file: () => zipBombXlsx(4_200_000_000, true), send: importProgram('rkpd.xlsx') },
  { name: 'zip bomb XLSX, lying size', file: () => zipBombXlsx(4_200_000_000), send: importProgram('rkpd.xlsx') },
  { name: `${quick ? '200k' : '1M'} rows XLSX`, file: () => manyRowsXlsx(quick ? 200_000 : 1_000_000), send: importProgram('rkpd.xlsx') },
  { name: '20 MB CSV (351,474 rows)', file: () => manyRowsCsv(351_474, 59), send: importProgram('rkpd.csv') },
  { name: 'pixel bomb PNG photo', file: () => pixelBombPng(), send: (server, _token, file) => upload(server.url, '/api/v1/photos', 'photo', file, 'foto.png', null) },
];

/**
 * The MQTT pre-authentication flood (bench/hostile-mqtt.ts): raw connections
 * each declaring a 200 MB PUBLISH, before and after CONNECT, against the
 * platform's own broker, with its RSS and health sampled meanwhile.
 */
async function mqttPreAuthFlood(server: Server, token: string): Promise<MqttFloodRow[]> {
  const device = await call<{ accessToken: string }>(server.url, 'POST', '/api/v1/devices', { token, body: { name: 'Flood probe', type: 'probe' } }, 201);
  return (await mqttFlood(server.mqttPort, { pid: server.pid, url: server.url, token: device.accessToken, connections: quick ? 12 : 50, sendMb: quick ? 16 : 64 })).rows;
}

/**
 * Runs `work` while a client asks /api/v1/health every 10 ms and the child's RSS is
 * sampled every 10 ms, from 300 ms before it until at least WATCH_MS after it
 * started (most answers take a few ms: the window still has ~150 probes in it).
 */
const WATCH_MS = 1500;
async function underWatch<T>(server: Server, work: () => Promise<T>): Promise<{ value: T; latencies: number[]; failed: number; peakRssMb: number }> {
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  let failed = 0;
  let peakKb = procStatusKb(server.pid, 'VmRSS') ?? 0;
  const probe = setInterval(() => {
    const t0 = performance.now();
    const p = request(server.url, 'GET', '/api/v1/health', { timeoutMs: 10_000 }).then(
      (res) => {
        if (res.status === 200) latencies.push(performance.now() - t0);
        else failed++;
      },
      () => void failed++,
    );
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    peakKb = Math.max(peakKb, procStatusKb(server.pid, 'VmRSS') ?? 0);
  }, 10);
  try {
    await sleep(300);
    const started = performance.now();
    const value = await work();
    await sleep(Math.max(0, WATCH_MS - (performance.now() - started)));
    return { value, latencies, failed, peakRssMb: peakKb / 1024 };
  } finally {
    clearInterval(probe);
    await Promise.all([...inFlight]);
  }
}

function answerOf(res: { status: number; text: string }): string {
  try {
    const body = JSON.parse(res.text) as { error?: { code: string; message: string } };
    if (body.error) return `${res.status} ${body.error.code}: ${body.error.message.slice(0, 90)}`;
  } catch {
    // not JSON
  }
  return `${res.status}`;
}

const storage = await freshStorage(dialect, 'hostile');
let server: Server | null = null;
cleanUpOnExit(async () => {
  killAllChildren();
  await storage.drop();
});
let failedTargets = false;
try {
  server = await startPlatform(storage, { label: dialect });
  const pid = server.pid;
  const token = (await call<{ token: string }>(server.url, 'POST', '/api/v1/auth/login', { body: ADMIN })).token;
  log(`platform on ${dialect} at ${server.url} (pid ${pid}), RSS ${Math.round((procStatusKb(pid, 'VmRSS') ?? 0) / 1024)} MB`);
  const rows: Row[] = [];
  for (const c of CASES) {
    log(`${c.name}: building the file`);
    const file = await c.file();
    log(`${c.name}: ${file.length.toLocaleString('en-US')} bytes, sending`);
    const watched = await underWatch(server, () => c.send(server!, token, file).catch((error: Error) => ({ status: 0, text: error.message })));
    const hwmMb = (procStatusKb(pid, 'VmHWM') ?? 0) / 1024;
    const p99 = percentile(watched.latencies, 99);
    const alive = server.child.exitCode === null && server.child.signalCode === null;
    const ok = alive && watched.value.status >= 400 && watched.value.status < 500 && watched.peakRssMb < RSS_TARGET_MB && p99 < P99_TARGET_MS && watched.failed === 0;
    rows.push({ name: c.name, bytes: file.length, answer: answerOf(watched.value), peakRssMb: watched.peakRssMb, hwmMb, p99, max: Math.max(...watched.latencies), failed: watched.failed, ok });
    log(`${c.name}: ${answerOf(watched.value)}; peak RSS ${Math.round(watched.peakRssMb)} MB, health p99 ${fmtMs(p99)} ms`);
    if (!alive) {
      log('the server died');
      break;
    }
  }
  log('MQTT: connections declaring 200 MB, before and after CONNECT');
  const flood = await mqttPreAuthFlood(server, token);
  const alive = server.child.exitCode === null && server.child.signalCode === null && server.pid === pid;
  failedTargets = !alive || rows.some((r) => !r.ok) || flood.some((r) => !meetsTargets(r));
  process.stdout.write(
    `${formatTable(
      ['case', 'file', 'answer', 'peak RSS', 'VmHWM', 'health p99', 'health max', 'failed', 'target'],
      rows.map((r) => [r.name, `${(r.bytes / 1024).toFixed(0)} KB`, r.answer, `${Math.round(r.peakRssMb)} MB`, `${Math.round(r.hwmMb)} MB`, `${fmtMs(r.p99)} ms`, `${fmtMs(r.max)} ms`, String(r.failed), r.ok ? 'met' : 'MISSED']),
    )}\n`,
  );
  process.stdout.write(`\n${floodTable(flood)}\n`);
  process.stdout.write(`server ${alive ? 'alive, never restarted' : 'DIED or restarted'} (pid ${pid}); targets: RSS < ${RSS_TARGET_MB} MB, health p99 < ${P99_TARGET_MS} ms, a 4xx answer\n`);
} finally {
  await server?.stop('SIGTERM').catch(() => undefined);
  closeHttpAgent();
  await storage.drop();
}
process.exit(failedTargets ? 1 : 0);
