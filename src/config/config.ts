/**
 * Every setting of the platform: its variable, default, and why it exists.
 * Read once at boot by loadConfig(); nothing else reads process.env.
 * Each variable may also be given as a flag: PORT=9000 is `--port 9000` or `--port=9000`.
 */
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';

export interface Config {
  /** HTTP port for the API, WebSocket and web app. */
  port: number;
  /** Address to bind; 0.0.0.0 serves every interface. */
  host: string;
  /** Folder of the SQLite database and uploads; created when missing. */
  dataDir: string;
  /** `postgres://…` selects PostgreSQL; unset keeps the embedded SQLite in DATA_DIR. */
  databaseUrl: string | undefined;
  /** Port of the embedded MQTT broker; MQTT_PORT=0 turns it off (null). Tests set 0 here for a free port. */
  mqttPort: number | null;
  /** An external broker (Mosquitto, EMQX) the platform subscribes to as a client. */
  mqttUrl: string | undefined;
  /** Shared-subscription group of the platform's instances on an external broker: each message goes to one of them. */
  mqttGroup: string;
  /**
   * Connections of one address the embedded broker lets wait for authentication
   * at once (more are closed at once); raise it for a NAT whose many devices
   * reconnect together. Authenticated connections are not counted.
   */
  mqttPendingPerAddress: number;
  /** `nats://host:4222[/prefix]` carries events between instances; unset keeps them in the process. */
  busUrl: string | undefined;
  /** First admin, created on an empty database. */
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  /** Load the Musi Rawas demo region and run the simulator. */
  demo: boolean;
  /** Kemendagri code of the region created on an empty database (16.05 = Kabupaten Musi Rawas). */
  regionCode: string;
  /** How long a login stays valid, in hours. */
  sessionTtlHours: number;
  /** Largest device payload accepted over HTTP or MQTT, in bytes. */
  maxPayloadBytes: number;
  /** Most raw points one telemetry query may return; past it the query asks for a narrower range or an aggregate. */
  maxQueryPoints: number;
  /** Failed-or-not login attempts allowed per minute from one address. */
  loginRateLimit: number;
  /** Public report POSTs (Open311 requests, photos, erasure) allowed per minute from one address. */
  reportRateLimit: number;
  /** Report POSTs allowed per minute for one Open311 app key (the public page's key is limited per address only). */
  reportKeyRateLimit: number;
  /** Largest photo accepted before re-encoding, in bytes; a phone photo is 2–8 MB. */
  photoMaxBytes: number;
  /** A live-stream client with more than this many bytes unsent is disconnected as too slow. */
  streamBufferBytes: number;
  /**
   * Behind a reverse proxy, whose X-Forwarded-For to believe, so that the per-address limits
   * count citizens, not the proxy: the proxies' addresses or CIDRs. Unset: none.
   */
  trustProxy: string | undefined;
  /** Map tiles for installations with internet, e.g. https://tile.example/{z}/{x}/{y}.png; unset: the region's own layers only. */
  tileUrl: string | undefined;
  /**
   * An offline base map: the path of a PMTiles (v3) archive of the regency's area, cut from a
   * Protomaps basemap build with `pmtiles extract`. The platform serves it at /basemap.pmtiles and
   * every map draws it under the region's layers, with no internet. Unset: no base map.
   */
  basemapPmtiles: string | undefined;
  /**
   * The address people reach the platform at, for the links in messages (the alarm, the
   * acknowledgement, a stop link), e.g. https://cerdas.musirawas.go.id. Unset: http://localhost:PORT,
   * which only works on this machine.
   */
  publicUrl: string;
  /**
   * 32 bytes as 64 hex digits: the key that encrypts notification channels' credentials in the
   * database. Unset: a key generated once in DATA_DIR/secrets.key. Instances sharing a database
   * must share the key (this variable, or the same DATA_DIR).
   */
  secretsKey: string | undefined;
  /** Messages one person gets about one alarm in an hour; past it, changes are summarised once the hour is over (flapping). */
  notifyMaxPerHour: number;
  /** fatal | error | warn | info | debug | trace | silent */
  logLevel: string;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.problems = problems;
    this.name = 'ConfigError';
  }
}

type Source = Record<string, string | undefined>;

/** Turns `--data-dir x` and `--data-dir=x` into DATA_DIR=x. */
export function flagsToEnv(argv: string[]): Source {
  const out: Source = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    const name = (eq > 0 ? arg.slice(2, eq) : arg.slice(2)).replace(/-/g, '_').toUpperCase();
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) value = argv[++i];
    else value = '1';
    out[name] = value;
  }
  return out;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks every variable, reporting all bad ones at once. */
export function loadConfig(env: Source = process.env, argv: string[] = []): Config {
  const source: Source = { ...env, ...flagsToEnv(argv) };
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const v = source[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const url = (name: string, schemes: string[]): string | undefined => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!schemes.includes(parsed.protocol.replace(/:$/, ''))) {
        problems.push(`${name} must start with ${schemes.map((s) => `${s}://`).join(' or ')}, got "${parsed.protocol}//…"`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const adminEmail = text('ADMIN_EMAIL');
  const adminPassword = text('ADMIN_PASSWORD');
  if (adminEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) problems.push(`ADMIN_EMAIL is not an email address`);
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither');
  }
  if (adminPassword !== undefined && adminPassword.length < 8) problems.push('ADMIN_PASSWORD must have at least 8 characters');

  const demo = text('DEMO');
  if (demo !== undefined && !['0', '1', 'true', 'false'].includes(demo)) problems.push(`DEMO must be 1 or 0, got "${demo}"`);
  const regionCode = text('REGION_CODE') ?? '16.05';
  if (!/^\d{2}\.\d{2}$/.test(regionCode)) problems.push(`REGION_CODE must be a Kemendagri regency code like 16.05, got "${regionCode}"`);
  const group = text('MQTT_GROUP');
  if (group !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(group)) problems.push('MQTT_GROUP must be letters, digits, _ or -');
  const logLevel = text('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const secretsKey = text('SECRETS_KEY');
  if (secretsKey !== undefined && !/^[0-9a-fA-F]{64}$/.test(secretsKey)) problems.push('SECRETS_KEY must be 64 hex digits (32 bytes), e.g. from `openssl rand -hex 32`');

  // Only named proxies are believed: a hop count would also believe a client that reaches the server directly.
  const trustProxyRaw = text('TRUST_PROXY');
  let trustProxy: string | undefined;
  if (trustProxyRaw !== undefined) {
    const parts = trustProxyRaw.split(',').map((x) => x.trim());
    const bad = parts.filter((x) => !isProxyAddress(x));
    if (bad.length > 0) problems.push(`TRUST_PROXY must list the proxies' addresses or CIDRs (10.0.0.5,10.1.0.0/16) or loopback, linklocal, uniquelocal; got "${bad.join(', ')}"`);
    trustProxy = parts.join(',');
  }

  const basemapRaw = text('BASEMAP_PMTILES');
  const basemapPmtiles = basemapRaw === undefined ? undefined : path.resolve(basemapRaw);
  if (basemapPmtiles !== undefined) {
    const problem = pmtilesProblem(basemapPmtiles);
    if (problem) problems.push(`BASEMAP_PMTILES ${problem}`);
  }

  const port = int('PORT', 8080, 0, 65535);
  const config: Config = {
    port,
    host: text('HOST') ?? '0.0.0.0',
    dataDir: path.resolve(text('DATA_DIR') ?? './data'),
    databaseUrl: url('DATABASE_URL', ['postgres', 'postgresql']),
    mqttPort: int('MQTT_PORT', 1883, 0, 65535) || null,
    mqttUrl: url('MQTT_URL', ['mqtt', 'mqtts', 'tcp', 'ssl', 'ws', 'wss']),
    busUrl: url('BUS_URL', ['nats']),
    mqttGroup: text('MQTT_GROUP') ?? 'cerdas',
    mqttPendingPerAddress: int('MQTT_PENDING_PER_ADDRESS', 20, 1, 100_000),
    adminEmail: adminEmail?.toLowerCase(),
    adminPassword,
    demo: demo === '1' || demo === 'true',
    regionCode,
    sessionTtlHours: int('SESSION_TTL_HOURS', 12, 1, 24 * 90),
    maxPayloadBytes: int('MAX_PAYLOAD_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    maxQueryPoints: int('MAX_QUERY_POINTS', 100_000, 100, 10_000_000),
    loginRateLimit: int('LOGIN_RATE_LIMIT', 10, 1, 100_000),
    reportRateLimit: int('REPORT_RATE_LIMIT', 20, 1, 1_000_000),
    reportKeyRateLimit: int('REPORT_KEY_RATE_LIMIT', 600, 1, 10_000_000),
    photoMaxBytes: int('PHOTO_MAX_BYTES', 10 * 1024 * 1024, 64 * 1024, 100 * 1024 * 1024),
    tileUrl: url('TILE_URL', ['http', 'https']),
    basemapPmtiles,
    publicUrl: (url('PUBLIC_URL', ['http', 'https']) ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    secretsKey,
    notifyMaxPerHour: int('NOTIFY_MAX_PER_HOUR', 6, 1, 1000),
    trustProxy,
    streamBufferBytes: int('STREAM_BUFFER_BYTES', 1024 * 1024, 1024, 256 * 1024 * 1024),
    logLevel,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Why the file is not a PMTiles v3 archive we can serve, or null: read once at boot, so a wrong path stops the start. */
function pmtilesProblem(file: string): string | null {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(8);
    const read = fs.readSync(fd, head, 0, 8, 0);
    if (read < 8 || head.subarray(0, 7).toString('latin1') !== 'PMTiles') return `is not a PMTiles archive: ${file}`;
    if (head[7] !== 3) return `is PMTiles version ${head[7]}; convert it to version 3 (pmtiles convert): ${file}`;
    return null;
  } catch (error) {
    return `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} ${file}`;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** An address, a CIDR with a prefix its family allows, or one of proxy-addr's named ranges. */
function isProxyAddress(value: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(value)) return true;
  const [ip, bits, extra] = value.split('/');
  const family = isIP(ip ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^(0|[1-9]\d{0,2})$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
