import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import assert from 'node:assert/strict';
import { createApp, type AppOptions } from '../src/app.ts';
import type { ResponseMismatch } from '../src/platform/http/response-check.ts';
import { loadConfig, type Config } from '../src/config/config.ts';
import { lowerHashCostForTests } from '../src/modules/identity/password.ts';
import { judgePasswordsForTests, keepPasswordCheckerForTests, type StrengthVerdict } from '../src/modules/identity/password-strength.ts';
import { tempDir, type Dialect } from './databases.ts';

export { dialectNames, dialects, pgAnswers, portAnswers, PG_URL, tempDir, type Dialect, type DialectName } from './databases.ts';

export const ADMIN = { email: 'admin@musirawas.go.id', password: 'Rahasia-Admin-2026' };

// Hundreds of passwords are hashed in the suite: at the production cost that is most of its time.
lowerHashCostForTests();
// Each server of a test file judges ADMIN_PASSWORD: the dictionaries are loaded once a file, not once a server.
keepPasswordCheckerForTests();
// A verdict is given once a run (the runner's folder, TEST_TEMPLATE_DIR): the other test files read it rather than load the dictionaries for it.
judgePasswordsForTests(async (password, userInputs, judge) => {
  const folder = process.env.TEST_TEMPLATE_DIR && path.join(process.env.TEST_TEMPLATE_DIR, 'password-verdicts');
  if (!folder) return judge(password, userInputs);
  const file = path.join(folder, `${createHash('sha256').update(JSON.stringify([password, userInputs])).digest('hex')}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as StrengthVerdict;
  } catch {
    const verdict = await judge(password, userInputs);
    fs.mkdirSync(folder, { recursive: true });
    // Written whole, then renamed: a file read at the same time is never half written.
    const part = `${file}.${process.pid}`;
    fs.writeFileSync(part, JSON.stringify(verdict));
    fs.renameSync(part, file);
    return verdict;
  }
});

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'silent' }),
    port: 0,
    host: '127.0.0.1',
    mqttPort: 0,
    ...overrides,
  };
}

export interface TestServer {
  app: FastifyInstance;
  url: string;
  mqttPort: number;
  config: Config;
  /** Calls the API over real HTTP; JSON in, JSON out. */
  api(method: string, pathname: string, options?: { token?: string; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  login(email?: string, password?: string): Promise<string>;
  /** A test that injects a fault expects this undocumented status (a 500): the response check lets it pass from now on. */
  allowUndocumented(status: number): void;
  close(): Promise<void>;
}

export type Storage = Awaited<ReturnType<Dialect['storage']>>;

export async function startServer(dialect: Dialect, overrides: Partial<Config> = {}, options: AppOptions = {}): Promise<TestServer> {
  return startServerOn(await dialect.storage(), overrides, options);
}

/** A server on given storage; `keepStorage` leaves it for another server (a second instance, a restart). */
export async function startServerOn(storage: Storage, overrides: Partial<Config> = {}, options: AppOptions = {}, keepStorage = false): Promise<TestServer> {
  const config = testConfig({ dataDir: storage.dataDir, databaseUrl: storage.databaseUrl, ...overrides });
  // Every answer a test receives is checked against the OpenAPI document; close() fails on any mismatch.
  const mismatches: string[] = [];
  const allowed = new Set<number>();
  const responseCheck = (m: ResponseMismatch) => {
    if (allowed.has(m.status) && m.problem.endsWith('is not documented')) return;
    const line = `${m.method} ${m.route} → ${m.status} ${m.contentType}: ${m.problem}`;
    mismatches.push(line);
    // RESPONSE_CHECK_LOG=file collects every mismatch of a run (all test files) in one place.
    if (process.env.RESPONSE_CHECK_LOG) fs.appendFileSync(process.env.RESPONSE_CHECK_LOG, `${line}\n`);
  };
  const app = await createApp(config, { backgroundJobs: false, responseCheck, ...options });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as net.AddressInfo;
  const url = `http://127.0.0.1:${address.port}`;
  const api: TestServer['api'] = async (method, pathname, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | Buffer | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(url + pathname, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  };
  return {
    app,
    url,
    mqttPort: app.services.mqtt?.port ?? 0,
    config,
    api,
    async login(email = ADMIN.email, password = ADMIN.password) {
      const res = await api('POST', '/api/v1/auth/login', { body: { email, password } });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
    allowUndocumented: (status) => void allowed.add(status),
    async close() {
      await app.close();
      if (!keepStorage) await storage.drop();
      if (mismatches.length > 0) {
        // Node 22 reports a failed after() hook of a suite but exits 0 (its runner sets the exit code late):
        // set it on exit, so that the run fails too.
        process.once('exit', () => (process.exitCode = 1));
        assert.deepEqual([...new Set(mismatches)], [], 'answers that do not match the OpenAPI document');
      }
    },
  };
}

/** A TCP port free right now on 127.0.0.1 (for child processes that need a number). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface StreamClient {
  ws: import('ws').WebSocket;
  send(message: unknown): void;
  /** The next message that satisfies `match`, or a rejection after `ms`. */
  next(match?: (m: any) => boolean, ms?: number): Promise<any>;
  /** Every message received so far. */
  received: any[];
  /** Resolves when the server (or the client) closes the connection, with its code. */
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/**
 * A WebSocket client of /api/v1/stream: with the token as the web app sends it
 * (subprotocol), in the Authorization header, or in ?token= as old clients do.
 */
export async function openStream(baseUrl: string, token: string, how: 'header' | 'query' | 'subprotocol' = 'query'): Promise<StreamClient> {
  const { WebSocket } = await import('ws');
  const url = `${baseUrl.replace(/^http/, 'ws')}/api/v1/stream${how === 'query' ? `?token=${encodeURIComponent(token)}` : ''}`;
  const ws =
    how === 'subprotocol'
      ? new WebSocket(url, ['cerdas.v1', `cerdas.bearer.${token}`])
      : new WebSocket(url, how === 'header' ? { headers: { authorization: `Bearer ${token}` } } : {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const received: any[] = [];
  const waiters: { match: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    received.push(message);
    for (const w of [...waiters]) {
      if (w.match(message)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(message);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  return {
    ws,
    received,
    closed,
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next(match = () => true, ms = 5000) {
      const seen = received.find(match);
      if (seen) {
        received.splice(received.indexOf(seen), 1);
        return Promise.resolve(seen);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching message arrived')), ms);
        waiters.push({
          match,
          resolve: (m) => {
            clearTimeout(timer);
            received.splice(received.indexOf(m), 1);
            resolve(m);
          },
        });
      });
    },
    close: () => ws.close(),
  };
}
