/**
 * The notifications benchmark: `npm run bench:notify` (add `-- --quick` for a short run).
 *
 * On SQLite, and on PostgreSQL when 127.0.0.1:5432 answers, it runs the
 * platform as a user does (`node src/main.ts`, a child process on free ports
 * with a fresh DATA_DIR or schema, PUBLIC_URL set, the escalation and the
 * sender on their default 1 s poll) and sets up, through the API, what a
 * regency has: a WhatsApp channel pointing at a local fake Cloud API (in this
 * process, timestamping each arrival), an SMS gateway channel pointing at a
 * local fake gateway, BPBD with an officer on duty around the clock whose
 * WhatsApp number is verified with the code the fake received, and a levelled
 * rule (Waspada ≥ 3.5 m, Siaga ≥ 4 m) on the river gauges. Then:
 *   1. Alarm → first message handed to the provider, p50/p99: on several
 *      gauges at once, a reading opens an alarm (Waspada), another raises it
 *      (Siaga), a third clears it, again and again; each time from the HTTP 200
 *      of the reading to the message's arrival at the fake. Measured while other
 *      devices post 1,000 readings/s over the HTTP device API (bench/web-load.ts
 *      in its own process; the rate it reached is reported) and, as the
 *      baseline, the same without that load.
 *   2. A public warning to 10,000 subscribers on the SMS gateway channel, on a
 *      restarted server: the time to queue them all, the time until the last is
 *      handed to the gateway, messages/s, and the server's peak RSS (VmHWM) over
 *      its idle RSS. Just after the warning is queued, a gauge opens an alarm
 *      again: how long the officer's WhatsApp waits behind the warning. The
 *      subscribers are seeded confirmed by bench/notify-broadcast.ts while the
 *      server is stopped; the warning is drafted by an Awas and approved
 *      through the API (approvePublicWarning). The sender paces each channel to
 *      the provider's limit the admin sets (messagesPerSecond; SMS 10/s unless
 *      set): --sms-pace=<n>.
 *
 * Flags: --quick, --only=sqlite|postgres, --alarms=<n> (per phase),
 * --subscribers=<n>, --rate=<readings/s>, --sms-pace=<messages/s> (the SMS channel's setting; 10 is the default).
 * Progress goes to stderr; stdout holds one table. Exit code 1 if a phase failed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FakeSmsGateway, FakeWhatsApp, type RecordedRequest } from '../test/fakes/index.ts';
import {
  ADMIN,
  call,
  cleanUpOnExit,
  closeHttpAgent,
  cpuMeter,
  fmtInt,
  fmtMs,
  fmtPct,
  formatTable,
  freshStorage,
  killAllChildren,
  log,
  machineMeter,
  numberSetting,
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
} from './lib.ts';
import type { SeedOptions, SeedResult } from './notify-broadcast.ts';
import type { WebLoadDevice, WebLoadResult } from './web-load.ts';

// ---------------------------------------------------------------- settings

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    alarms: { type: 'string' },
    subscribers: { type: 'string' },
    rate: { type: 'string' },
    'sms-pace': { type: 'string' },
  },
  allowPositionals: false,
});
const quick = flags.quick === true;
const settings = {
  quick,
  only: flags.only,
  /** alarm cycles (open, raise, clear) a phase; each gives two latencies */
  alarms: numberSetting(flags.alarms, quick ? 8 : 50, 1, 1000, '--alarms'),
  /** gauges raising alarms side by side, so that one slow message does not hold up the others */
  gauges: 4,
  /** readings/s of the other devices in the loaded phase */
  rate: numberSetting(flags.rate, 1000, 1, 20_000, '--rate'),
  /** the SMS channel's messagesPerSecond: the provider's limit an admin sets */
  smsPace: numberSetting(flags['sms-pace'], 10, 1, 1000, '--sms-pace'),
  /** devices sharing that load (each posts rate/loadDevices readings/s) */
  loadDevices: 500,
  /** seconds of load before the alarms start */
  warmupS: quick ? 2 : 5,
  subscribers: numberSetting(flags.subscribers, quick ? 200 : 10_000, 1, 100_000, '--subscribers'),
};
if (settings.only !== undefined && settings.only !== 'sqlite' && settings.only !== 'postgres') throw new Error('--only must be sqlite or postgres');

/** A message not at the fake this long after its reading counts as lost (and the run goes on). */
const MESSAGE_TIMEOUT_MS = 30_000;
/** Delivery of the warning must go at least this fast (messages/s), else the wait ends: a bound, not a target. */
const SLOWEST_DELIVERY_PER_S = 5;
/** No message for this long while some are outstanding: delivery has stalled, stop waiting. */
const STALL_MS = 60_000;
const RUN_LIMIT_MS = quick ? 10 * 60_000 : Math.max(30 * 60_000, 2 * (settings.subscribers / SLOWEST_DELIVERY_PER_S) * 1000 + 20 * 60_000);
const TARGET = { alarmP99Ms: 2000 };
const PASSWORD = 'Piket-Rahasia-2026';
const DUTY_NUMBER = '0812-7300-1111';
const DUTY_DIGITS = '6281273001111';
const LEVELS = { waspada: 3.6, siaga: 4.1, awas: 4.7, clear: 3.0 };
/** Muara Kelingi, where the benchmark's gauges stand: the kecamatan the warning is for. */
const WARNING_DISTRICT = '16.05.03';

const epochNow = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- the table

type Status = 'meets target' | 'misses' | 'n/a' | 'FAILED';
interface Row {
  dialect: string;
  measure: string;
  result: string;
  baseline: string;
  target: string;
  status: Status;
  detail: string;
}
const table: Row[] = [];
const status = (ok: boolean): Status => (ok ? 'meets target' : 'misses');
const mb = (kb: number) => (kb * 1024) / 1e6;
const fmtS = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s` : '—');

/**
 * How busy the machine was over a phase, and whose work that was: the
 * benchmark's processes (`pids`, and this one), PostgreSQL (all its clients),
 * and everything else (other people's work on a shared machine makes a run noisy).
 */
function phaseMeter(pids: number[]): { stop(): { text: string; machine: CpuPicture | null; cpu: (number | null)[] } } {
  const machine = machineMeter();
  const meters = pids.map((pid) => cpuMeter(pid));
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  return {
    stop() {
      const seconds = (performance.now() - t0) / 1000;
      const own = process.cpuUsage(own0);
      const cpu = meters.map((m) => m.stop());
      const ours = cpu.reduce<number>((sum, c) => sum + (c ?? 0), 0) + (own.user + own.system) / 1e6 / seconds;
      const m = machine.stop();
      const text = m
        ? `machine ${m.busy.toFixed(2)} cores busy: this benchmark ${ours.toFixed(2)}, PostgreSQL ${m.postgres.toFixed(2)}, everything else ${Math.max(0, m.busy - ours - m.postgres).toFixed(2)}${m.steal >= 0.05 ? `, steal ${m.steal.toFixed(2)}` : ''}`
        : 'machine CPU unknown';
      return { text, machine: m, cpu };
    },
  };
}

// ---------------------------------------------------------------- cleanup

const storages = new Set<Storage>();
const fakes = new Set<{ close(): Promise<void> }>();
const dirs = new Set<string>();
let cleaningUp: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    killAllChildren();
    for (const f of fakes) await f.close().catch(() => {});
    fakes.clear();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    dirs.clear();
    for (const s of storages) {
      await s.drop().catch((error: unknown) => log(`could not drop ${s.schema ?? s.dataDir}: ${(error as Error).message}`));
    }
    storages.clear();
    closeHttpAgent();
  })();
  return cleaningUp;
}
cleanUpOnExit(cleanup, RUN_LIMIT_MS);

// ---------------------------------------------------------------- arrivals at the fake WhatsApp

/**
 * The alarm messages that reached the fake WhatsApp, by gauge (its name is in
 * the text), with the time each arrived (ms since epoch, taken by the fake).
 */
class Arrivals {
  private readonly queued = new Map<string, number[]>();
  private readonly waiters = new Map<string, () => void>();
  /** messages about a gauge that nobody was waiting for (late or repeated) */
  unexpected = 0;

  constructor(whatsapp: FakeWhatsApp) {
    whatsapp.server.listen((r: RecordedRequest) => {
      const tag = /PDA Bench (G\d\d)/.exec(r.body)?.[1];
      if (!tag) return;
      const list = this.queued.get(tag) ?? [];
      list.push(r.receivedAt);
      this.queued.set(tag, list);
      this.waiters.get(tag)?.();
    });
  }

  /** Forgets what arrived about `tag` so far (counted as unexpected). */
  reset(tag: string): void {
    this.unexpected += this.queued.get(tag)?.length ?? 0;
    this.queued.set(tag, []);
  }

  /** The arrival time of the next message about `tag`, or null if none comes within `timeoutMs`. */
  async next(tag: string, timeoutMs: number): Promise<number | null> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const list = this.queued.get(tag) ?? [];
      if (list.length > 0) return list.shift()!;
      const left = deadline - performance.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.set(tag, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters.delete(tag);
    }
  }
}

// ---------------------------------------------------------------- the world, through the API

interface Gauge {
  tag: string;
  token: string;
  lastTs: number;
}

interface World {
  admin: string;
  gauges: Gauge[];
  loadDevices: WebLoadDevice[];
}

/** Channels, BPBD, its officer on duty around the clock with a verified WhatsApp number, the gauges and their levelled rule, the load's devices. */
async function setUp(server: Server, whatsapp: FakeWhatsApp, sms: FakeSmsGateway): Promise<World> {
  const ok = <T>(method: string, pathname: string, token: string, body?: unknown, expect = method === 'POST' ? 201 : 200) =>
    call<T>(server.url, method, `/api/v1${pathname}`, { token, ...(body !== undefined && { body }) }, expect);
  const { token: admin } = await call<{ token: string }>(server.url, 'POST', '/api/v1/auth/login', { body: ADMIN });
  await ok('PUT', '/notifications/channels/whatsapp', admin, {
    enabled: true,
    config: { provider: 'cloud', accessToken: whatsapp.accessToken, phoneNumberId: whatsapp.phoneNumberId, appSecret: 'whatsapp-app-secret-for-bench', verifyToken: 'verify-token-bench', apiBase: whatsapp.url, version: whatsapp.version, language: 'id', templates: {} },
  });
  await ok('PUT', '/notifications/channels/sms', admin, { enabled: true, messagesPerSecond: settings.smsPace, config: { url: `${sms.url}/api/send`, body: '{"phone":"{{to}}","message":"{{text}}"}', messageIdPath: 'data.id' } });
  const opd = (await ok<{ id: string }>('POST', '/opds', admin, { code: 'BPBD', name: 'Badan Penanggulangan Bencana Daerah' })).id;
  const piket = (await ok<{ id: string }>('POST', '/users', admin, { email: 'piket@musirawas.go.id', name: 'Andi Piket', password: PASSWORD, role: 'operator', opdId: opd, position: 'staf' })).id;
  // On duty around the clock (a shift may not end where it starts, so two a day): whenever the benchmark runs.
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (const [start, end] of [['00:00', '12:00'], ['12:00', '00:00']]) await ok('POST', `/opds/${opd}/duty/shifts`, admin, { weekday, start, end, userId: piket });
  }
  const { token: piketToken } = await call<{ token: string }>(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'piket@musirawas.go.id', password: PASSWORD } });
  const before = whatsapp.requests.length;
  const contact = await ok<{ id: string }>('POST', '/me/contacts', piketToken, { channel: 'whatsapp', address: DUTY_NUMBER });
  const code = await waitFor(MESSAGE_TIMEOUT_MS, () => whatsapp.requests.slice(before).map((r) => (r.body.includes(DUTY_DIGITS) ? /\b(\d{6})\b/.exec(r.body)?.[1] : undefined)).find((c) => c !== undefined));
  if (!code) throw new Error(`no verification code reached the fake WhatsApp within ${MESSAGE_TIMEOUT_MS / 1000} s`);
  const verified = await ok<{ verified: boolean }>('POST', `/me/contacts/${contact.id}/verify`, piketToken, { code }, 200);
  if (!verified.verified) throw new Error('the duty officer\'s WhatsApp number did not verify');

  const gauges: Gauge[] = [];
  for (let g = 1; g <= settings.gauges; g++) {
    const tag = `G${String(g).padStart(2, '0')}`;
    const asset = await ok<{ id: string }>('POST', '/assets', admin, { type: 'river_gauge', name: `Pos PDA Bench ${tag}`, opdId: opd, geometry: { type: 'Point', coordinates: [102.9 + g / 100, -3.05] }, districtCode: '16.05.03' });
    const device = await ok<{ accessToken: string }>('POST', '/devices', admin, { name: `PDA Bench ${tag}`, type: 'river_gauge', assetId: asset.id });
    gauges.push({ tag, token: device.accessToken, lastTs: 0 });
  }
  await ok('POST', '/rules', admin, {
    name: 'Banjir (benchmark)',
    opdId: opd,
    target: { kind: 'device_type', value: 'river_gauge' },
    key: 'waterLevel',
    levels: [
      { severity: 'waspada', condition: { op: 'gte', value: 3.5 }, clearCondition: { op: 'lt', value: 3.3 } },
      { severity: 'siaga', condition: { op: 'gte', value: 4 }, clearCondition: { op: 'lt', value: 3.8 } },
      { severity: 'awas', condition: { op: 'gte', value: 4.5 }, clearCondition: { op: 'lt', value: 4.3 } },
    ],
  });
  // The load: devices of other kinds, which no rule watches (the rule engine still sees every reading).
  const kinds = ['rain_gauge', 'air_quality', 'street_light', 'pump'];
  const loadDevices = await pool(Array.from({ length: settings.loadDevices }, (_, i) => i), 8, async (i) => {
    const kind = kinds[i % kinds.length]!;
    const d = await ok<{ accessToken: string }>('POST', '/devices', admin, { name: `Beban ${kind} ${i + 1}`, type: kind });
    return { token: d.accessToken, kind };
  });
  return { admin, gauges, loadDevices };
}

async function waitFor<T>(ms: number, probe: () => T | undefined): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined || Date.now() > deadline) return value;
    await sleep(20);
  }
}

// ---------------------------------------------------------------- alarms

interface AlarmRun {
  /** ms from a reading's HTTP 200 to its message at the fake, opened and raised */
  opened: number[];
  raised: number[];
  /** messages that did not come within MESSAGE_TIMEOUT_MS */
  lost: number;
  seconds: number;
}

/** Posts a gauge reading (its ts after the gauge's last) and returns when its HTTP 200 came, ms since epoch. */
async function reading(server: Server, gauge: Gauge, waterLevel: number): Promise<number> {
  const ts = Math.max(Date.now(), gauge.lastTs + 1);
  gauge.lastTs = ts;
  const res = await request(server.url, 'POST', `/api/v1/${gauge.token}/telemetry`, { body: { ts, values: { waterLevel } } });
  const at = epochNow();
  if (res.status !== 200) throw new Error(`a gauge reading answered ${res.status}: ${res.text.slice(0, 300)}`);
  return at;
}

/**
 * `count` alarm cycles shared by the gauges, each gauge one at a time: open
 * (Waspada), raise (Siaga), clear, then a pause of 0.5–2.5 s, so that the gauges
 * do not keep in step and the alarms spread over the load rather than come in one burst.
 */
async function runAlarms(server: Server, gauges: Gauge[], arrivals: Arrivals, count: number): Promise<AlarmRun> {
  const run: AlarmRun = { opened: [], raised: [], lost: 0, seconds: 0 };
  let started = 0;
  const t0 = performance.now();
  await Promise.all(gauges.map(async (gauge, i) => {
    await sleep(i * 150);
    while (started < count) {
      started++;
      arrivals.reset(gauge.tag);
      for (const [level, into] of [[LEVELS.waspada, run.opened], [LEVELS.siaga, run.raised]] as const) {
        const sentAt = await reading(server, gauge, level);
        const arrived = await arrivals.next(gauge.tag, MESSAGE_TIMEOUT_MS);
        if (arrived === null) run.lost++;
        else into.push(arrived - sentAt);
      }
      await reading(server, gauge, LEVELS.clear);
      await sleep(500 + Math.random() * 2000);
    }
  }));
  run.seconds = (performance.now() - t0) / 1000;
  return run;
}

// ---------------------------------------------------------------- the public warning

/**
 * The public warning as BPBD sends it: an Awas on a gauge in Muara Kelingi
 * drafts a warning for the kecamatan; the benchmark approves it through the API
 * (`POST /api/v1/warnings/{id}/approve`), and the server queues one SMS per
 * confirmed subscriber, page by page, then sends them at the channel's pace.
 * Returns when the approval was asked for and when the last page was queued.
 */
async function approvePublicWarning(server: Server, world: World, subscribers: number): Promise<{ startedAt: number; queuedAt: number; detail: string }> {
  const ok = <T>(method: string, pathname: string, expect = 200) => call<T>(server.url, method, `/api/v1${pathname}`, { token: world.admin }, expect);
  const gauge = world.gauges[world.gauges.length - 1]!;
  await reading(server, gauge, LEVELS.awas);
  let draft: { id: string } | undefined;
  for (const until = performance.now() + 30_000; !draft && performance.now() < until; await sleep(100)) {
    draft = (await ok<{ items: { id: string }[] }>('GET', '/warnings?state=draft')).items[0];
  }
  if (!draft) throw new Error('no draft warning 30 s after the Awas reading');
  const startedAt = epochNow();
  await ok('POST', `/warnings/${draft.id}/approve`);
  let queuedAt = NaN;
  for (const until = performance.now() + 300_000; performance.now() < until; await sleep(50)) {
    const w = await ok<{ queued: number; state: string }>('GET', `/warnings/${draft.id}`);
    if (w.queued >= subscribers || w.state === 'sent') {
      queuedAt = epochNow();
      break;
    }
  }
  if (Number.isNaN(queuedAt)) throw new Error(`the warning did not queue its ${subscribers} messages within 300 s`);
  return { startedAt, queuedAt, detail: `approved with POST /api/v1/warnings/{id}/approve; the server queued one SMS per confirmed subscriber, page by page (the time includes polling GET /warnings/{id} every 50 ms)` };
}

/** The SMS the fake gateway received: each number once, and when the first and last came. */
class GatewayCount {
  readonly numbers = new Set<string>();
  total = 0;
  first = NaN;
  last = NaN;
  constructor(sms: FakeSmsGateway) {
    sms.server.listen((r) => {
      const phone = (r.json as { phone?: unknown } | undefined)?.phone;
      if (typeof phone !== 'string') return;
      this.total++;
      this.numbers.add(phone);
      if (Number.isNaN(this.first)) this.first = r.receivedAt;
      this.last = r.receivedAt;
    });
  }
}

// ---------------------------------------------------------------- one dialect

const pq = (v: number[]) => `${fmtInt(percentile(v, 50))} / ${fmtInt(percentile(v, 99))} ms`;

async function runDialect(dialect: 'sqlite' | 'postgres'): Promise<void> {
  const name = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const add = (row: Omit<Row, 'dialect'>) => table.push({ dialect: name, ...row });
  const whatsapp = await FakeWhatsApp.start();
  fakes.add(whatsapp);
  const sms = await FakeSmsGateway.start();
  fakes.add(sms);
  const arrivals = new Arrivals(whatsapp);
  const storage = await freshStorage(dialect, 'notify');
  storages.add(storage);
  const env = (url: string) => ({ PUBLIC_URL: url });

  log(`${name}: starting the platform`);
  let server = await startPlatform(storage, { label: `${dialect} A`, env });
  log(`${name}: setting up channels, the duty roster, the verified contact, ${settings.gauges} gauges with a levelled rule and ${settings.loadDevices} load devices`);
  const world = await setUp(server, whatsapp, sms);

  // 1a. The baseline: alarms with nothing else going on.
  log(`${name}: ${settings.alarms} alarm cycles without load`);
  const quietMeter = phaseMeter([server.pid]);
  const quiet = await runAlarms(server, world.gauges, arrivals, settings.alarms);
  const quietPhase = quietMeter.stop();

  // 1b. The same under 1,000 readings/s from other devices.
  const dir = tempDir('cerdas-bench-notify-');
  dirs.add(dir);
  const devicesFile = path.join(dir, 'devices.json');
  fs.writeFileSync(devicesFile, JSON.stringify(world.loadDevices));
  log(`${name}: ingest load of ${fmtInt(settings.rate)} readings/s from ${settings.loadDevices} devices (${settings.warmupS} s warm-up), then ${settings.alarms} alarm cycles`);
  const load = spawnNode('bench/web-load.ts', [JSON.stringify({ url: server.url, devicesFile, rate: settings.rate, durationMs: 600_000 })], {});
  await sleep(settings.warmupS * 1000);
  if (load.child.exitCode !== null) throw new Error(`bench/web-load.ts ended early:\n${load.output().slice(-2000)}`);
  const loadedMeter = phaseMeter([server.pid, load.pid]);
  const loaded = await runAlarms(server, world.gauges, arrivals, settings.alarms);
  const loadedPhase = loadedMeter.stop();
  const [serverCpu, loadCpu] = loadedPhase.cpu;
  await load.stop('SIGTERM', 60_000);
  const loadLine = load.output().split('\n').filter((l) => l.startsWith('{') && !l.includes('"event"')).at(-1);
  if (!loadLine) throw new Error(`bench/web-load.ts printed no result:\n${load.output().slice(-2000)}`);
  const ingest = JSON.parse(loadLine) as WebLoadResult;
  const loadSeconds = ingest.sent / ingest.achievedRate;
  const okRate = ingest.ok / loadSeconds;

  const quietAll = [...quiet.opened, ...quiet.raised];
  const loadedAll = [...loaded.opened, ...loaded.raised];
  const p99 = percentile(loadedAll, 99);
  add({
    measure: `alarm → WhatsApp at the provider, p50 / p99, under ${fmtInt(settings.rate)} readings/s`,
    result: pq(loadedAll),
    baseline: `no load: ${pq(quietAll)}`,
    target: `p99 ≤ ${fmtS(TARGET.alarmP99Ms)}`,
    status: status(p99 <= TARGET.alarmP99Ms && loaded.lost === 0 && ingest.failed === 0),
    detail:
      `${loadedAll.length} messages (${loaded.opened.length} opened p50 ${fmtInt(percentile(loaded.opened, 50))} ms, ${loaded.raised.length} raised p50 ${fmtInt(percentile(loaded.raised, 50))} ms; no load: ${fmtInt(percentile(quiet.opened, 50))} / ${fmtInt(percentile(quiet.raised, 50))} ms), ` +
      `max ${fmtInt(Math.max(...loadedAll))} ms (no load ${fmtInt(Math.max(...quietAll))} ms), ${loaded.lost} lost (no load ${quiet.lost}), ${arrivals.unexpected} unexpected; ${settings.gauges} gauges in ${fmtS(loaded.seconds * 1000)}; sender/escalation poll 1 s (default)`,
  });
  add({
    measure: 'ingest load during the alarms',
    result: `${fmtInt(okRate)} readings/s answered 200`,
    baseline: `asked for ${fmtInt(settings.rate)}/s`,
    target: `≈ ${fmtInt(settings.rate)}/s, none refused`,
    status: status(okRate >= 0.95 * settings.rate && ingest.failed === 0),
    detail: `${fmtInt(ingest.ok)} of ${fmtInt(ingest.sent)} readings in ${loadSeconds.toFixed(0)} s (warm-up included), ${fmtInt(ingest.failed)} failed${ingest.firstError ? ` (${ingest.firstError.slice(0, 80)})` : ''}, HTTP p50/p99 ${fmtMs(ingest.httpP50Ms)} / ${fmtMs(ingest.httpP99Ms)} ms, at most ${fmtInt(ingest.maxBehind)} behind; server CPU ${fmtPct(serverCpu ?? NaN)}, load generator ${fmtPct(loadCpu ?? NaN)}; ${loadedPhase.text} (no-load phase: ${quietPhase.text})`,
  });

  // 2. The public warning, on a server restarted on the same storage, so that its peak RSS is the warning's.
  const firstPeakKb = procStatusKb(server.pid, 'VmHWM');
  await server.stop('SIGTERM', 30_000);
  const n = settings.subscribers;
  const seed: SeedOptions = { dataDir: storage.dataDir, ...(storage.databaseUrl && { databaseUrl: storage.databaseUrl }), subscribers: n, districtCode: WARNING_DISTRICT };
  await runJsonChild<SeedResult>('bench/notify-broadcast.ts', [JSON.stringify(seed)], 300_000);
  log(`${name}: ${fmtInt(n)} confirmed subscribers in Muara Kelingi; restarting the platform for the public warning (the first one peaked at ${mb(firstPeakKb ?? NaN).toFixed(0)} MB)`);
  server = await startPlatform(storage, { label: `${dialect} B`, env });
  await sleep(3000);
  const idleKb = procStatusKb(server.pid, 'VmRSS') ?? NaN;
  const gateway = new GatewayCount(sms);
  log(`${name}: public warning to ${fmtInt(n)} subscribers on the SMS gateway channel`);
  const warnMeter = phaseMeter([server.pid]);
  const queued = await approvePublicWarning(server, world, n);
  log(`${name}: ${fmtInt(n)} queued in ${fmtS(queued.queuedAt - queued.startedAt)}; waiting for the sender`);
  // Meanwhile the river rises again: how long does the officer on duty wait behind the warning?
  const gauge = world.gauges[0]!;
  const deadline = performance.now() + Math.max(120_000, (n / SLOWEST_DELIVERY_PER_S) * 1000 + 60_000);
  let during: number | null = null;
  const duringRun = (async () => {
    arrivals.reset(gauge.tag);
    const sentAt = await reading(server, gauge, LEVELS.waspada);
    const arrived = await arrivals.next(gauge.tag, Math.max(0, deadline - performance.now()));
    if (arrived !== null) during = arrived - sentAt;
    await reading(server, gauge, LEVELS.clear);
  })();
  let lastSeen = 0;
  let lastChange = performance.now();
  let stalled = false;
  while (gateway.numbers.size < n && performance.now() < deadline) {
    if (gateway.total !== lastSeen) {
      lastSeen = gateway.total;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > STALL_MS) {
      stalled = true;
      break;
    }
    await sleep(100);
  }
  await duringRun;
  const warnPhase = warnMeter.stop();
  const peakKb = procStatusKb(server.pid, 'VmHWM') ?? NaN;
  const delivered = gateway.numbers.size;
  const allDone = delivered === n;
  const sendSeconds = (gateway.last - gateway.first) / 1000;
  const stop = allDone ? '' : stalled ? `; stalled: nothing for ${STALL_MS / 1000} s` : '; the wait ended at its bound';
  add({
    measure: `public warning: ${fmtInt(n)} SMS queued`,
    result: fmtS(queued.queuedAt - queued.startedAt),
    baseline: '—',
    target: '—',
    status: 'n/a',
    detail: queued.detail,
  });
  add({
    measure: `public warning: last of ${fmtInt(n)} SMS at the gateway`,
    result: allDone ? `${fmtS(gateway.last - queued.startedAt)} after queueing began` : `${fmtInt(delivered)} of ${fmtInt(n)} after ${fmtS(epochNow() - queued.startedAt)}`,
    baseline: `first at ${fmtS(gateway.first - queued.startedAt)}`,
    target: 'all, each once',
    status: status(allDone && gateway.total === n),
    detail: `${fmtInt(gateway.total)} requests for ${fmtInt(delivered)} numbers; server CPU ${fmtPct(warnPhase.cpu[0] ?? NaN)}, ${warnPhase.text} (the queueing process's own CPU is in "everything else")${stop}`,
  });
  add({
    measure: 'public warning: SMS handed over per second',
    result: `${(delivered / ((gateway.last - queued.startedAt) / 1000)).toFixed(1)} msg/s overall`,
    baseline: `first to last: ${sendSeconds > 0 ? ((delivered - 1) / sendSeconds).toFixed(1) : '—'} msg/s`,
    target: '—',
    status: 'n/a',
    detail: `over ${fmtS(gateway.last - queued.startedAt)} from the first queued to the last handed over; the SMS channel paced at ${fmtInt(settings.smsPace)}/s (its messagesPerSecond; 10/s unless an admin sets the provider's limit)`,
  });
  add({
    measure: 'alarm → WhatsApp while the warning goes out',
    result: during === null ? `not there after ${fmtS(epochNow() - queued.queuedAt)}` : fmtS(during),
    baseline: `no warning: p50 ${fmtInt(percentile(quiet.opened, 50))} ms (opened)`,
    target: `≤ ${fmtS(TARGET.alarmP99Ms)}`,
    status: status(during !== null && during <= TARGET.alarmP99Ms),
    detail: `one alarm opened just after the warning was queued, from the HTTP 200 of its reading to the WhatsApp at the fake; each sender round takes a second's worth of each channel, people's alerts before broadcasts`,
  });
  add({
    measure: 'server peak RSS (VmHWM) during the warning',
    result: `${mb(peakKb).toFixed(0)} MB`,
    baseline: `idle after restart: ${mb(idleKb).toFixed(0)} MB`,
    target: '—',
    status: 'n/a',
    detail: `+${mb(peakKb - idleKb).toFixed(0)} MB over idle; the first server (alarms, ingest load) peaked at ${mb(firstPeakKb ?? NaN).toFixed(0)} MB`,
  });

  await server.stop('SIGTERM', 30_000);
  for (const f of [whatsapp, sms]) {
    await f.close();
    fakes.delete(f);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
  await storage.drop();
  storages.delete(storage);
}

// ---------------------------------------------------------------- main

const startedAt = performance.now();
let failed = false;
// Other work on the machine makes every figure noisy: look first, and say so.
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
  for (const dialect of dialects) {
    try {
      await runDialect(dialect);
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? error.message : String(error);
      log(`${dialect}: FAILED: ${message}`);
      table.push({ dialect: dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL', measure: 'run', result: message.split('\n')[0]!.slice(0, 120), baseline: '—', target: '—', status: 'FAILED', detail: 'see stderr' });
      killAllChildren();
    }
  }
} finally {
  await cleanup();
}

const headers = ['Dialect', 'Measure', 'Result', 'Baseline (same run)', 'Target', 'Status', 'Detail'];
console.log(
  `\nCerdas notifications benchmark — ${settings.quick ? 'quick, ' : ''}${settings.alarms} alarm cycles a phase on ${settings.gauges} gauges, ${fmtInt(settings.subscribers)} subscribers, Node ${process.versions.node}, ${os.cpus().length} cores, ${Math.round((performance.now() - startedAt) / 1000)} s in all; before the run the machine had ${before ? `${before.busy.toFixed(2)} cores busy, ${before.steal.toFixed(2)} stolen` : 'an unknown load'}\n`,
);
console.log(formatTable(headers, table.map((r) => [r.dialect, r.measure, r.result, r.baseline, r.target, r.status, r.detail])));
process.exitCode = failed ? 1 : 0;
