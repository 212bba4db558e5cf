import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { keepWorkerYoungGenerations } from './worker-heaps.ts';

// What a process started with --max-semi-space-size=8 gives its own heap and a worker thread's, with and
// without keepWorkerYoungGenerations: each side allocates short-lived objects until its young generation
// has grown to its limit, and reports the young generation's size in MB (two semi-spaces).
const PROBE = `
import { Worker } from 'node:worker_threads';
import { keepWorkerYoungGenerations } from ${JSON.stringify(new URL('./worker-heaps.ts', import.meta.url).href)};
const churn = \`let k = []; for (let i = 0; i < 2e6; i++) { k.push({ a: i, b: [i] }); if (k.length > 100000) k = []; }
  const s = process.getBuiltinModule('node:v8').getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');\`;
if (process.argv.includes('keep')) keepWorkerYoungGenerations();
const worker = await new Promise((resolve) => {
  const w = new Worker(churn + 'process.getBuiltinModule("node:worker_threads").parentPort.postMessage(s.space_size);', { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 48 } });
  w.once('message', resolve);
});
const main = new Function(churn + 'return s.space_size;')();
console.log(JSON.stringify({ main: Math.round(main / 2 ** 20), worker: Math.round(worker / 2 ** 20) }));
`;

function probe(...args: string[]): { main: number; worker: number } {
  const out = execFileSync(process.execPath, ['--max-semi-space-size=8', '--input-type=module', '-e', PROBE, ...args], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { main: number; worker: number };
}

describe('worker threads young generations', () => {
  it('gives workers 2 × 1 MB again while the server keeps the 2 × 8 MB it was started with', () => {
    const without = probe();
    assert.deepEqual(without, { main: 16, worker: 16 }, 'the flag reaches every isolate, over a worker\'s own limits');
    assert.deepEqual(probe('keep'), { main: 16, worker: 2 });
  });

  it('changes nothing where the server was not given a larger young generation', () => {
    assert.equal(keepWorkerYoungGenerations([]), false);
    assert.equal(keepWorkerYoungGenerations(['--max-semi-space-size=1']), false);
    assert.equal(keepWorkerYoungGenerations(['--expose-gc']), false);
  });
});
