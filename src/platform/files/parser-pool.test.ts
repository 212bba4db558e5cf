import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { hogTask, refuseTask, spinTask } from '../../../test/fakes/parsers.ts';
import { mergeBombXlsx } from '../../../test/hostile-files.ts';
import { programFileTask } from '../../modules/masterplan/programs/index.ts';
import { AppError } from '../../core/errors.ts';
import { ParserPool } from './parser-pool.ts';

/** The longest gap between ticks of a 10 ms timer while `work` runs. */
async function longestGap<T>(work: () => Promise<T>): Promise<{ gap: number; result: PromiseSettledResult<T> }> {
  let last = performance.now();
  let gap = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    gap = Math.max(gap, t - last);
    last = t;
  }, 10);
  const [result] = await Promise.allSettled([work()]);
  clearInterval(timer);
  return { gap: Math.max(gap, performance.now() - last), result: result! };
}

const code = (status: number, c: string, message?: RegExp) => (e: unknown) => e instanceof AppError && e.status === status && e.code === c && (!message || message.test(e.message));

describe('the parser pool: users\' files read on a worker thread', () => {
  it('keeps the main thread ticking while a file is read, and brings an AppError back as itself', async () => {
    const pool = new ParserPool();
    try {
      const { gap, result } = await longestGap(() => pool.run(spinTask, new Uint8Array(10), { ms: 400 }));
      assert.deepEqual(result, { status: 'fulfilled', value: 10 });
      // loose on purpose (a busy CI machine): on the main thread the same work holds it 400 ms
      assert.ok(gap < 150, `the event loop stalled for ${gap.toFixed(0)} ms`);
      await assert.rejects(pool.run(refuseTask, new Uint8Array(1), {}), (e: unknown) => code(422, 'IMPORT_LIMIT_EXCEEDED', /too many rows/)(e) && (e as AppError).details !== undefined);
    } finally {
      await pool.close();
    }
  });

  it('refuses a merge bomb XLSX with 422 naming the merge, before exceljs expands it', async () => {
    const pool = new ParserPool();
    try {
      const bomb = await mergeBombXlsx();
      assert.ok(bomb.length < 10_000, `${bomb.length} bytes`);
      const { gap, result } = await longestGap(() => pool.run(programFileTask, bomb, { filename: 'rkpd.xlsx' }));
      assert.equal(result.status, 'rejected');
      assert.ok(code(422, 'IMPORT_LIMIT_EXCEEDED', /merged range A2:XFD1048576 .*17,179,852,800/)((result as PromiseRejectedResult).reason), String((result as PromiseRejectedResult).reason));
      assert.ok(gap < 150, `the event loop stalled for ${gap.toFixed(0)} ms`);
    } finally {
      await pool.close();
    }
  });

  it('stops a file past its deadline with 422, and reads the next one on a fresh worker', async () => {
    // The deadline counts from the worker's start of work, so a fresh worker's slow start on a busy machine is not held against the file.
    const pool = new ParserPool({ timeoutMs: 200 });
    try {
      await assert.rejects(pool.run(spinTask, new Uint8Array(1), { ms: 10_000 }), code(422, 'IMPORT_LIMIT_EXCEEDED', /longer than 0\.2 s/));
      assert.equal(await pool.run(spinTask, new Uint8Array(3), { ms: 0 }), 3);
      assert.equal(pool.started, 2, 'the stuck worker was replaced');
    } finally {
      await pool.close();
    }
  });

  it('refuses a file whose reading runs out of the worker heap with 413, and reads the next one', async () => {
    const pool = new ParserPool({ maxHeapMb: 32 });
    try {
      await assert.rejects(pool.run(hogTask, new Uint8Array(1), {}), code(413, 'IMPORT_FILE_TOO_LARGE', /more than 32 MB of memory/));
      assert.equal(await pool.run(spinTask, new Uint8Array(2), { ms: 0 }), 2);
    } finally {
      await pool.close();
    }
  });

  it('refuses files beyond its wait list with 503, and every file once closed', async () => {
    const pool = new ParserPool({ maxQueued: 1 });
    const first = pool.run(spinTask, new Uint8Array(1), { ms: 300 });
    const second = pool.run(spinTask, new Uint8Array(2), { ms: 0 });
    const third = pool.run(spinTask, new Uint8Array(3), { ms: 0 });
    await assert.rejects(third, code(503, 'UNAVAILABLE', /being read already/));
    assert.deepEqual(await Promise.all([first, second]), [1, 2]);
    await pool.close();
    await assert.rejects(pool.run(spinTask, new Uint8Array(1), { ms: 0 }), code(503, 'UNAVAILABLE'));
  });
});
