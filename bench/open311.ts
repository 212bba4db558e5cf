/**
 * The Open311 benchmark: `npm run bench:open311` (add `-- --quick` for a short
 * run, `-- --pg` for PostgreSQL instead of SQLite).
 *
 * Runs the platform as a user does (`node src/main.ts`, a child
 * process on free ports with a fresh DATA_DIR; the report rate limits raised
 * so the load is not refused) and measures over kept-alive HTTP from this process:
 *   1. Baseline: GET /api/v1/health round trip (the floor of any request).
 *   2. POST /open311/v2/requests.json form-encoded, no photo: the --reports
 *      reports (default 10,000) that fill the region, --concurrency at once.
 *   3. POST multipart with a 2 MB JPEG `media` (decoded, rotated, scaled to
 *      1600 px, re-encoded and fsync'd per report), 2 at once.
 *   4. GET /open311/v2/requests.json (the last 90 days, at most 1,000 of the
 *      --reports reports), GET with a service_code filter, GET one request.
 * Prints one table on stdout; progress goes to stderr.
 */
import http from 'node:http';
import sharp from 'sharp';
import {
  ADMIN,
  HOST,
  call,
  cleanUpOnExit,
  closeHttpAgent,
  fmtInt,
  fmtMs,
  formatTable,
  freePort,
  freshStorage,
  killAllChildren,
  log,
  numberSetting,
  percentile,
  pool,
  request,
  sleep,
  spawnNode,
  type Storage,
} from './lib.ts';

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? '') : undefined;
};
const quick = argv.includes('--quick');
const dialect = argv.includes('--pg') ? 'postgres' : 'sqlite';
const REPORTS = numberSetting(flag('reports'), quick ? 2000 : 10_000, 100, 1_000_000, '--reports');
const CONCURRENCY = numberSetting(flag('concurrency'), 8, 1, 256, '--concurrency');
const PHOTO_REPORTS = numberSetting(flag('photos'), quick ? 10 : 40, 2, 10_000, '--photos');
const GETS = numberSetting(flag('gets'), quick ? 20 : 60, 5, 10_000, '--gets');
const BASELINE = quick ? 500 : 2000;

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

interface Timed {
  status: number;
  text: string;
  ms: number;
}

function send(base: string, method: string, path: string, body: Buffer | undefined, contentType?: string): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (body) {
      headers['content-type'] = contentType!;
      headers['content-length'] = String(body.length);
    }
    const t0 = performance.now();
    const req = http.request(`${base}${path}`, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
      res.on('error', reject);
    });
    req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path}: no answer in 60 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

const KECAMATAN_POINTS: [number, number][] = [
  [-3.35, 103.1],
  [-3.3, 103.2],
  [-3.25, 102.9],
  [-3.45, 103.3],
  [-3.2, 103.4],
];
const SERVICES = ['waste', 'street_lights', 'fallen_trees', 'clean_water', 'public_facilities'];

function reportForm(key: string, i: number): Buffer {
  const [lat, lon] = KECAMATAN_POINTS[i % KECAMATAN_POINTS.length]!;
  return Buffer.from(
    new URLSearchParams({
      api_key: key,
      service_code: SERVICES[i % SERVICES.length]!,
      lat: String(lat + ((i * 7) % 100) / 10_000),
      long: String(lon + ((i * 13) % 100) / 10_000),
      description: `Laporan uji ${i}: lampu jalan mati sejak kemarin malam di depan balai desa`,
      first_name: 'Warga',
      last_name: `Uji ${i}`,
      email: `warga${i}@contoh.id`,
    }).toString(),
  );
}

function multipart(fields: Record<string, string>, file: { name: string; data: Buffer; type: string }): { body: Buffer; type: string } {
  const boundary = `----cerdas${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="foto.jpg"\r\nContent-Type: ${file.type}\r\n\r\n`), file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

/** A phone-like photo of about 2 MB: 3000×2000 of noise with EXIF orientation. */
async function twoMegabytePhoto(): Promise<Buffer> {
  const width = 3000;
  const height = 2000;
  const raw = Buffer.alloc(width * height * 3);
  let seed = 42;
  for (let i = 0; i < raw.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    raw[i] = (seed >> 16) & 0xff & (i % 3 === 0 ? 0xff : 0x3f);
  }
  for (const quality of [90, 85, 80, 75, 70, 65, 60, 50, 40]) {
    const out = await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality }).withMetadata({ orientation: 6 }).toBuffer();
    if (out.length <= 2.1 * 1024 * 1024) return out;
  }
  throw new Error('could not make a 2 MB photo');
}

interface Row {
  what: string;
  n: number;
  seconds: number;
  ms: number[];
  note: string;
}

async function measure(what: string, n: number, concurrency: number, note: string, one: (i: number) => Promise<Timed>, expect: number): Promise<Row> {
  const ms: number[] = [];
  const t0 = performance.now();
  await pool(Array.from({ length: n }, (_, i) => i), concurrency, async (i) => {
    const r = await one(i);
    if (r.status !== expect) throw new Error(`${what}: answered ${r.status}: ${r.text.slice(0, 300)}`);
    ms.push(r.ms);
  });
  return { what, n, seconds: (performance.now() - t0) / 1000, ms, note };
}

let storage: Storage | null = null;
let stopServer: (() => Promise<void>) | null = null;
const cleanup = async () => {
  closeHttpAgent();
  agent.destroy();
  await stopServer?.().catch(() => undefined);
  killAllChildren();
  await storage?.drop().catch(() => undefined);
};
cleanUpOnExit(cleanup, 20 * 60_000);

try {
  storage = await freshStorage(dialect, 'open311');
  const port = await freePort();
  const env: Record<string, string> = {
    PORT: String(port),
    HOST,
    DATA_DIR: storage.dataDir,
    MQTT_PORT: '0',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
    REPORT_RATE_LIMIT: '1000000',
    REPORT_KEY_RATE_LIMIT: '10000000',
  };
  if (storage.databaseUrl) env.DATABASE_URL = storage.databaseUrl;
  const child = spawnNode('src/main.ts', [], env);
  stopServer = () => child.stop('SIGTERM');
  const base = `http://${HOST}:${port}`;
  for (let waited = 0; ; waited += 100) {
    if (child.child.exitCode !== null) throw new Error(`the platform exited at start:\n${child.output().slice(-3000)}`);
    if (waited > 60_000) throw new Error('the platform did not answer within 60 s');
    try {
      if ((await request(base, 'GET', '/api/v1/health', { timeoutMs: 2000 })).status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  log(`platform up on ${base} (${dialect})`);
  const { token } = await call<{ token: string }>(base, 'POST', '/api/v1/auth/login', { body: ADMIN });
  const { key } = await call<{ key: string }>(base, 'POST', '/api/v1/open311/keys', { token, body: { name: 'bench' } }, 201);

  const rows: Row[] = [];
  // Warm-up: the code paths and the database, not measured.
  await pool(Array.from({ length: 50 }, (_, i) => i), 4, (i) => send(base, 'POST', '/open311/v2/requests.json', reportForm(key, i), 'application/x-www-form-urlencoded'));
  rows.push(await measure('GET /api/v1/health (floor)', BASELINE, CONCURRENCY, 'one SELECT 1', () => send(base, 'GET', '/api/v1/health', undefined), 200));

  log(`filing ${REPORTS} reports, ${CONCURRENCY} at once`);
  const filing = await measure(`POST requests.json form, no photo`, REPORTS - 50, CONCURRENCY, `fills the region to ${fmtInt(REPORTS)} reports`, (i) =>
    send(base, 'POST', '/open311/v2/requests.json', reportForm(key, i + 50), 'application/x-www-form-urlencoded'), 201);
  rows.push(filing);

  const photo = await twoMegabytePhoto();
  log(`${PHOTO_REPORTS} reports with a ${(photo.length / 1024 / 1024).toFixed(1)} MB photo, 2 at once`);
  const [lat, lon] = KECAMATAN_POINTS[0]!;
  rows.push(
    await measure(`POST requests.json multipart, ${(photo.length / 1024 / 1024).toFixed(1)} MB photo`, PHOTO_REPORTS, 2, 're-encoded to ≤1600 px JPEG, EXIF stripped', () => {
      const m = multipart({ api_key: key, service_code: 'waste', lat: String(lat), long: String(lon), description: 'Sampah menumpuk' }, { name: 'media', data: photo, type: 'image/jpeg' });
      return send(base, 'POST', '/open311/v2/requests.json', m.body, m.type);
    }, 201),
  );

  const all = await send(base, 'GET', '/open311/v2/requests.json', undefined);
  const count = (JSON.parse(all.text) as unknown[]).length;
  rows.push(await measure('GET requests.json (last 90 days)', GETS, 1, `${fmtInt(count)} requests per answer, ${(all.text.length / 1024).toFixed(0)} kB`, () => send(base, 'GET', '/open311/v2/requests.json', undefined), 200));
  const filtered = JSON.parse((await send(base, 'GET', '/open311/v2/requests.json?service_code=street_lights&status=open', undefined)).text) as { service_request_id: string }[];
  rows.push(await measure('GET requests.json?service_code=…&status=open', GETS, 1, `${fmtInt(filtered.length)} per answer`, () => send(base, 'GET', '/open311/v2/requests.json?service_code=street_lights&status=open', undefined), 200));
  const id = filtered[0]?.service_request_id ?? 'MR-000001';
  rows.push(await measure('GET requests/{id}.json', GETS * 5, 4, 'one request', () => send(base, 'GET', `/open311/v2/requests/${id}.json`, undefined), 200));

  console.log(`\nOpen311 benchmark, ${dialect}, ${fmtInt(REPORTS)} reports in the region, client and server on this machine (${(await import('node:os')).cpus().length} cores)\n`);
  console.log(
    formatTable(
      ['what', 'n', 'req/s', 'p50 ms', 'p99 ms', 'note'],
      rows.map((r) => [r.what, fmtInt(r.n), fmtInt(r.n / r.seconds), fmtMs(percentile(r.ms, 50)), fmtMs(percentile(r.ms, 99)), r.note]),
    ),
  );
  await cleanup();
} catch (error) {
  log(`failed: ${(error as Error).stack ?? error}`);
  await cleanup();
  process.exit(1);
}
