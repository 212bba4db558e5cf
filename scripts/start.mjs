// `npm start`: runs the server as plain JavaScript, built into dist/ from src/
// when the sources are newer than the last build (a few seconds; types are not
// checked here, `npm test` does that). Node can run src/main.ts as it is, but
// stripping the types of the whole platform at every start costs the running
// server some 40 MB of memory for as long as it runs. Installed without the
// dev tools (no TypeScript), it runs the sources as they are.
//
// The server then runs with the memory settings below (SERVER_NODE_FLAGS,
// SERVER_ENV): this process replaces itself with `node <flags> dist/main.js`
// (process.execve: the same process id, nothing left running beside it). Where
// that is not possible it runs the server in this process, without them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * V8 flags of the server process. Under MQTT ingest every message in flight
 * survives young collections until its batch is stored: with a young generation
 * (where new objects are made) of 2 × 1 MB, the server made some 190 young
 * collections a second and spent a fifth of its main thread in them
 * (bench:ingest, 1,000 devices, QoS 1); at 2 × 8 MB some 30, a twelfth of it.
 * In memory (bench/devices-10k.ts, 10,000 devices), 2 × 8 MB costs Node.js 24
 * (V8 13) more than 22: its idle server grew with the limit (119, 121, 125 and
 * 127 MB at 1, 2, 4 and 8 MB; target 120), and it kept 2 × 1 MB until the idle
 * server was smaller. Since the bundle no longer loads undici and the start
 * collects after the routes are compiled (src/main.ts), Node.js 24 at 2 × 8 MB
 * measured 117 MB idle on SQLite and 114 on PostgreSQL, peaks 284 and 275 MB;
 * Node.js 22: 110 and 106 MB, peaks 262 and 255 MB.
 * Worker threads keep 2 × 1 MB whatever this says (src/core/worker-heaps.ts).
 *
 * The old generation is collected once it has grown 25% past what survived the
 * last full collection, where V8 would let it grow to up to four times that: a
 * server holding 10,000 device connections keeps some 150 MB live, and would
 * otherwise carry as much again in garbage (bench/devices-10k.ts: 234 against
 * 299 MB with every device connected, peak 294 MB). Full collections come more
 * often; they are mostly concurrent, off the main thread.
 *
 * A flag given in NODE_OPTIONS or on the command line wins (V8 takes
 * --heap-growing-percent on the command line only).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=25', '--expose-gc'];
/**
 * Environment of the server process (a variable already set wins). glibc gives
 * every thread that allocates its own malloc arena and keeps what was freed in
 * it: the password checker's thread (tens of MB of dictionaries, gone after the
 * check) and V8's GC threads would leave some 20 MB behind; two arenas are
 * enough for a server whose JavaScript runs on one thread.
 *
 * glibc also raises its thresholds as the process frees large blocks, after which
 * a freed block of up to 32 MB stays in the heap and what is free at its top is
 * kept: fixed at 128 KB, a large block is mapped and unmapped on its own and the
 * heap's free top goes back to the system (some 4 MB less idle).
 */
export const SERVER_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');
const stamp = path.join(out, '.built');
const config = path.join(root, 'tsconfig.build.json');
const bundler = path.join(root, 'scripts', 'bundle-server.mjs');
const bundled = path.join(out, 'bundle', 'main.js');

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full));
    else latest = Math.max(latest, fs.statSync(full).mtimeMs);
  }
  return latest;
}

function typescriptCompiler() {
  try {
    const manifest = createRequire(import.meta.url).resolve('typescript/package.json');
    return path.join(path.dirname(manifest), 'bin', 'tsc');
  } catch {
    return null;
  }
}

/** What was built: the bundle (scripts/bundle-server.mjs) where the bundler is installed, else dist/main.js. */
function builtEntry() {
  return fs.existsSync(bundled) ? bundled : path.join(out, 'main.js');
}

/** The entry to run: dist/bundle/main.js or dist/main.js, built first if stale; src/main.ts when it cannot be built. */
export function serverEntry() {
  const sources = Math.max(
    newest(path.join(root, 'src')),
    fs.statSync(config).mtimeMs,
    fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs,
    fs.statSync(path.join(root, 'package-lock.json')).mtimeMs,
    fs.statSync(bundler).mtimeMs,
    fs.statSync(path.join(root, 'scripts', 'quiet-debug.cjs')).mtimeMs,
  );
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  if (built >= sources) return builtEntry();
  const tsc = typescriptCompiler();
  if (!tsc) return path.join(root, 'src', 'main.ts');
  // A fresh directory: a source file deleted since the last build leaves nothing behind.
  fs.rmSync(out, { recursive: true, force: true });
  const result = spawnSync(process.execPath, [tsc, '-p', config], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('cerdas: could not build the server into dist/; running src/main.ts as it is');
    fs.rmSync(out, { recursive: true, force: true });
    return path.join(root, 'src', 'main.ts');
  }
  // In a process of its own: the bundler's memory is not the server's. Without the bundler, dist/ as it is.
  spawnSync(process.execPath, [bundler, out], { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(stamp, new Date().toISOString());
  return builtEntry();
}

/** A flag already given to this process, on its command line or in NODE_OPTIONS (by its name, whatever its value). */
function flagGiven(flag) {
  const nameOf = (arg) => arg.split('=')[0].replaceAll('_', '-'); // V8 reads --max_semi_space_size as --max-semi-space-size
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return given.some((arg) => nameOf(arg) === nameOf(flag));
}

/** Runs the server: replaces this process with one that has the flags and environment above, or imports it here. */
function runServer(entry) {
  const flags = SERVER_NODE_FLAGS.filter((flag) => !flagGiven(flag));
  const env = Object.entries(SERVER_ENV).filter(([name]) => process.env[name] === undefined);
  if ((flags.length > 0 || env.length > 0) && typeof process.execve === 'function') {
    try {
      process.execve(process.execPath, [process.execPath, ...process.execArgv, ...flags, entry, ...process.argv.slice(2)], { ...process.env, ...Object.fromEntries(env) });
    } catch (error) {
      console.error(`cerdas: could not restart with the memory settings (${error.message}); running without them`);
    }
  }
  return import(pathToFileURL(entry).href);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runServer(serverEntry());
}
