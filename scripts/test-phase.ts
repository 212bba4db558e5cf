/**
 * One phase of the suite (scripts/test.ts starts it): `node scripts/test-phase.ts <concurrency> <files…>`
 * runs the files with node:test, `concurrency` at a time, in the order given. `node --test` sorts its
 * files by name; here the runner puts the longest first, so that no long file starts last and runs
 * alone on one core while the other idles. What it prints and how it exits are `node --test`'s: its
 * reporter (spec, or TAP where Node 22 writes to a pipe), exit code 1 when a test or a file fails.
 */
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';

const [concurrency, ...files] = process.argv.slice(2);
if (!Number(concurrency) || files.length === 0) throw new Error('usage: node scripts/test-phase.ts <concurrency> <files…>');

// Ctrl-C or the suite's runner stopping: the running files are cancelled and their processes end.
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());

const nodeMajor = Number(process.versions.node.split('.')[0]);
const reporter = nodeMajor >= 23 || process.stdout.isTTY ? new spec() : tap;
const stream = run({ files, concurrency: Number(concurrency), signal: stop.signal });
stream.on('test:fail', (event) => {
  if (!event.todo) process.exitCode = 1;
});
stream.compose(reporter).pipe(process.stdout);
