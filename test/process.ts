import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/**
 * The environment a child process of a test starts from (the platform, an admin script): PATH, and the
 * test run's own variables — TMPDIR (the runner removes that folder at the end), TS_CACHE_DIR and
 * NODE_OPTIONS (TypeScript stripped once per run, test/ts-cache.mjs). Nothing else of this process leaks in.
 */
export function childEnv(): Record<string, string> {
  const names = ['TMPDIR', 'TS_CACHE_DIR', 'NODE_OPTIONS'];
  return { PATH: process.env.PATH ?? '', ...Object.fromEntries(names.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]!]]))) };
}

/**
 * The platform's entry a test runs: the server the runner built once for the run as `npm start` builds it
 * (TEST_SERVER_ENTRY, one bundled module: less CPU at each start), else the sources (`src/main.ts`).
 */
export const PLATFORM_ENTRY = process.env.TEST_SERVER_ENTRY ?? 'src/main.ts';

/** Runs the platform as a user does (PLATFORM_ENTRY; `scripts/start.mjs` is what `npm start` runs), with the given environment. */
export function spawnPlatform(env: Record<string, string>, args: string[] = [], script = PLATFORM_ENTRY): ServerProcess {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: ROOT,
    // TMPDIR too: the test runner keeps every temporary file of the run under one folder it removes.
    env: { ...childEnv(), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/**
 * Polls /api/v1/health until it answers 200, or fails after `ms`: a deadline, not a wait
 * (a start on a machine busy with other test files can take half a minute).
 */
export async function waitForHealth(url: string, proc: ServerProcess, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`the platform exited: ${proc.output()}`);
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // Not left running: a live child keeps the test file from ever ending.
  proc.child.kill('SIGKILL');
  throw new Error(`the platform did not answer within ${ms} ms: ${proc.output()}`);
}
