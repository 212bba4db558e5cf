/**
 * The test suite's runner (`npm test` after type-checking and building the web app):
 *
 *   node scripts/test.ts [files…] [--test-reporter=… and other node --test flags]
 *
 *   node scripts/test.ts test/e2e      (a folder: its tests)
 *
 * 1. checks the dialects DIALECTS names (a named one whose server does not answer fails the run);
 * 2. migrates a template database once per dialect (each test server gets a copy of it), seeds
 *    the demo once into a copy for the Chromium tests (test/e2e/demo-template.ts), and builds the
 *    server once as `npm start` does, for the tests that start platforms as processes;
 * 3. runs the unit and API tests in groups of a few files, TEST_CONCURRENCY groups at a time, each
 *    group's files one after another in one process (each file has its own databases, ports and temp
 *    folders; TEST_ISOLATION=process gives each file a process of its own instead), then the Chromium
 *    tests (test/e2e) in smaller groups, fewer at a time;
 * 4. prints where the time went: the processes that took the most CPU (their own and their children's:
 *    platforms, Chromium) with their wall time (TEST_TIMES=all lists every one);
 * 5. leaves nothing behind: every temp file of the run (the tests', Chromium's) is
 *    under one folder (in /dev/shm where there is one) removed at the end, and PostgreSQL databases of test
 *    processes that died are dropped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dialects, dropDatabasesOfDeadRuns, ensurePgTemplate, makeSqliteTemplate } from '../test/databases.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const named = args.filter((a) => !a.startsWith('--')).map((f) => path.relative(root, path.resolve(f)));

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join(dir, f))
    .sort();
}
// Named files or folders (`node scripts/test.ts test/e2e`), else every test of src and test.
const all = (named.length > 0 ? named : ['src', 'test']).flatMap((f) => (fs.statSync(path.join(root, f)).isDirectory() ? testFiles(f) : [f]));
const isBrowser = (f: string) => f.startsWith(`test${path.sep}e2e${path.sep}`);
/**
 * A process of its own for every file costs each one the loading of the platform's modules and their
 * libraries (some 2,000 modules, TypeBox's 679 among them): about 3 CPU s a file. Files that share a
 * process pay it once; a group of a few keeps a failure's output together and lets groups even out
 * across the cores as they finish.
 */
const sharedProcess = process.env.TEST_ISOLATION !== 'process';
const FILES_PER_GROUP = 8;
/** Smaller: a Chromium file takes longer, and two groups at a time must still even out at the end. */
const BROWSER_FILES_PER_GROUP = 4;
const phases = [
  {
    name: 'unit and API tests',
    files: all.filter((f) => !isBrowser(f)),
    // One more group than cores: while one waits on PostgreSQL, a timer or a child, the cores stay busy.
    concurrency: Number(process.env.TEST_CONCURRENCY) || (sharedProcess ? os.availableParallelism() + 1 : Math.max(4, os.availableParallelism() * 2)),
    grouped: sharedProcess,
    groupSize: FILES_PER_GROUP,
  },
  // Each Chromium test drives a browser and a server: two at a time keep both cores busy without starving either.
  { name: 'Chromium tests', files: all.filter(isBrowser), concurrency: Number(process.env.TEST_BROWSER_CONCURRENCY) || 2, grouped: sharedProcess, groupSize: BROWSER_FILES_PER_GROUP },
];

// In memory where Linux offers it: the tests' SQLite files commit with a full fsync each, which a
// test does not need (durability.test kills the process, not the machine), and which a busy disk makes slow.
const runDir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'cerdas-test-run-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  TMPDIR: runDir,
  TEST_TEMPLATE_DIR: runDir,
  // Every node process of the run (test files, the platforms they start) strips each TypeScript file's types once for all (test/ts-cache.mjs).
  TS_CACHE_DIR: path.join(runDir, 'ts-cache'),
  // Each test file's process writes its wall and CPU time there as it exits (test/cpu-meter.mjs).
  TEST_CPU_DIR: path.join(runDir, 'cpu'),
  NODE_OPTIONS: [process.env.NODE_OPTIONS ?? '', ...['ts-cache.mjs', 'cpu-meter.mjs'].map((f) => `--import=${JSON.stringify(path.join(root, 'test', f))}`)].join(' ').trim(),
};
fs.mkdirSync(env.TEST_CPU_DIR!);
let failed = false;
const started = Date.now();
// Ctrl-C or a kill: the tests stop, and the run's folder and databases still go.
let running: ChildProcess | null = null;
/** The run's own helper processes (runNode) still going: a run that stops early ends them. */
const helpers = new Set<ChildProcess>();
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted = true;
    running?.kill(signal);
    for (const child of helpers) child.kill(signal);
  });
}
try {
  // Built while the databases are prepared; the tests that start platforms (unit and API files) need it from their first second.
  const server = phases[0]!.files.length > 0 ? buildServer() : null;
  // Fails here, once, with the reason, when DIALECTS names a server that does not answer.
  const chosen = await dialects();
  console.log(`# dialects: ${chosen.map((d) => d.name).join(', ')}`);
  if (chosen.some((d) => d.name === 'postgres')) {
    await dropDatabasesOfDeadRuns();
    await ensurePgTemplate();
  }
  await makeSqliteTemplate(runDir);
  const entry = await server;
  if (entry) env.TEST_SERVER_ENTRY = entry;
  env.DIALECTS = chosen.map((d) => d.name).join(',');
  env.TEST_DIALECTS_CHECKED = '1';
  // The demo-seeded database the Chromium tests copy (test/e2e/demo-template.ts), made while the unit and API tests run.
  const demoTemplate = phases[1]!.files.length > 0 ? makeDemoTemplate() : null;

  for (const phase of phases) {
    if (phase.files.length === 0) continue;
    if (phase === phases[1] && demoTemplate) await demoTemplate;
    const t = Date.now();
    let code: number;
    if (phase.grouped) {
      const groups = groupsOf(phase.files, phase.groupSize);
      console.log(`# ${phase.name}: ${phase.files.length} files in ${groups.length} groups of up to ${phase.groupSize}, each group in one process, ${phase.concurrency} at a time`);
      code = await runGroups(groups, phase.concurrency);
    } else {
      console.log(`# ${phase.name}: ${phase.files.length} files, ${phase.concurrency} at a time`);
      code = await run(process.execPath, ['--test', `--test-concurrency=${phase.concurrency}`, ...flags, ...phase.files]);
    }
    console.log(`# ${phase.name}: ${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    if (code !== 0) failed = true;
    if (interrupted) break;
  }
} catch (error) {
  console.error(`# ${error instanceof Error ? error.message : String(error)}`);
  failed = true;
} finally {
  // A run that stopped early (interrupted, or without reaching the Chromium tests) leaves none of them running.
  for (const child of helpers) child.kill('SIGKILL');
  printTimes();
  fs.rmSync(runDir, { recursive: true, force: true });
  await dropDatabasesOfDeadRuns().catch(() => {});
}
console.log(`# the suite ${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);

/** The files that cost the most CPU (own + reaped children), with their wall time; the run's total CPU from this process's reaped children. */
function printTimes(): void {
  let records: { file: string; wall: number; cpu: number; children: number }[];
  try {
    records = fs.readdirSync(env.TEST_CPU_DIR!).map((f) => JSON.parse(fs.readFileSync(path.join(env.TEST_CPU_DIR!, f), 'utf8')));
  } catch {
    return;
  }
  if (records.length === 0) return;
  records.sort((a, b) => b.cpu + b.children - (a.cpu + a.children));
  const shown = process.env.TEST_TIMES === 'all' ? records : records.slice(0, 12);
  const s = (n: number) => n.toFixed(1).padStart(6);
  console.log(`# CPU s (process + children)   wall s   test process${shown.length < records.length ? ` (top ${shown.length} of ${records.length}; TEST_TIMES=all for every one)` : ''}`);
  // A file's process is named by its file; a group's by the runner (its label, then its files).
  for (const r of shown) console.log(`# ${s(r.cpu + r.children)} (${s(r.cpu)} + ${s(r.children)})  ${s(r.wall)}   ${path.isAbsolute(r.file) ? path.relative(root, r.file) : r.file}`);
  const total = records.reduce((sum, r) => sum + r.cpu + r.children, 0);
  const own = process.cpuUsage();
  const all = cpuOfChildren();
  console.log(`# ${s(total)} CPU s in ${records.length} test processes${all === null ? '' : `; ${(all + (own.user + own.system) / 1e6).toFixed(1)} s in the whole run`}`);
}

/** CPU seconds (user + system) of the child processes this one has reaped (Linux), else null. */
function cpuOfChildren(): number | null {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

/** Runs a node script of the checkout; answers its exit code and what it printed. */
function runNode(argv: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    helpers.add(child);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => {
      helpers.delete(child);
      resolve({ code, out });
    });
  });
}

/**
 * The server as `npm start` runs it (scripts/start.mjs: compiled by tsc, then folded into one module by
 * scripts/bundle-server.mjs), built once per run into the run's folder, not into the checkout. The
 * platforms the tests start (spawnPlatform, test/process.ts) run it: `node src/main.ts` loads and strips
 * hundreds of TypeScript modules, some 1 s of CPU more at each start. Its modules find web/, geodata/,
 * examples/ and node_modules/ beside dist/ as in the checkout (symbolic links). Answers the entry, or
 * null (the platforms then run src/main.ts) when it cannot be built here.
 */
async function buildServer(): Promise<string | null> {
  const folder = path.join(runDir, 'server');
  const dist = path.join(folder, 'dist');
  let tsc: string;
  try {
    tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  } catch {
    return null;
  }
  fs.mkdirSync(folder);
  for (const name of ['node_modules', 'web', 'geodata', 'examples']) fs.symlinkSync(path.join(root, name), path.join(folder, name));
  const built = await runNode([tsc, '-p', 'tsconfig.build.json', '--outDir', dist]);
  const bundled = built.code === 0 ? await runNode([path.join('scripts', 'bundle-server.mjs'), dist]) : built;
  const entry = path.join(dist, 'bundle', 'main.js');
  if (bundled.code === 0 && fs.existsSync(entry)) return entry;
  console.log(`# the server could not be built (the tests' platforms run src/main.ts):\n${bundled.out.replace(/^/gm, '#   ')}`);
  return null;
}

/**
 * Seeds the demo once into the run's folder (TEST_DEMO_TEMPLATE), for the Chromium tests to copy. If it
 * fails, its output is printed and the tests seed the demo each for itself, as they would without it.
 */
async function makeDemoTemplate(): Promise<void> {
  const folder = path.join(runDir, 'demo-template');
  const made = await runNode([path.join('test', 'e2e', 'demo-template.ts'), folder]);
  if (made.code === 0 && fs.existsSync(folder)) env.TEST_DEMO_TEMPLATE = folder;
  else if (made.code !== 0 && !interrupted) console.log(`# the demo template could not be made (the Chromium tests seed the demo themselves):\n${made.out.replace(/^/gm, '#   ')}`);
}

/** The files dealt round into groups of at most `size`: the long files (alphabetical neighbours, often) spread across groups. */
function groupsOf(files: string[], size: number): string[][] {
  const count = Math.ceil(files.length / size);
  const groups: string[][] = Array.from({ length: count }, () => []);
  files.forEach((file, i) => groups[i % count]!.push(file));
  return groups;
}

/**
 * Runs each group's files in one `node --test` process (test isolation none: one after another, one
 * module cache), `concurrency` groups at a time, each group's report printed whole when it ends, then
 * the count of tests of all groups. Answers 0 when every group passed.
 */
async function runGroups(groups: string[][], concurrency: number): Promise<number> {
  const queue = groups.map((files, i) => ({ files, label: `group ${i + 1}/${groups.length}` }));
  const totals = new Map<string, number>();
  let failedGroups = 0;
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next && !interrupted; next = queue.shift()) {
      const { files, label } = next;
      const started = Date.now();
      // The group's name for the CPU table (test/cpu-meter.mjs): the process runs many files.
      const { code, out } = await runNode(['--test', '--experimental-test-isolation=none', ...flags, ...files], { TEST_CPU_LABEL: `${label}: ${files.join(' ')}` });
      // A report of its own, whole: groups running side by side do not mix their lines.
      process.stdout.write(`# ${label}: ${files.join(' ')}\n${out}`);
      // The summary's lines: `# pass 12` (TAP, Node.js 22's default where output is not a terminal) or `ℹ pass 12` (spec).
      for (const m of out.matchAll(/^(?:#|ℹ) (tests|pass|fail|cancelled|skipped|todo) (\d+)$/gm)) totals.set(m[1]!, (totals.get(m[1]!) ?? 0) + Number(m[2]));
      const ok = code === 0;
      if (!ok) failedGroups++;
      console.log(`# ${label}: ${ok ? 'passed' : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, groups.length) }, worker));
  console.log(`# ${[...totals].map(([k, v]) => `${k} ${v}`).join(', ')}${failedGroups > 0 ? `; ${failedGroups} of ${groups.length} groups FAILED` : ''}`);
  return failedGroups === 0 && queue.length === 0 ? 0 : 1;
}

function run(command: string, argv: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd: root, env, stdio: 'inherit' });
    running = child;
    child.once('exit', (code, signal) => {
      running = null;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
