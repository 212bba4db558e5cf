import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { PeriodicJob, type JobLog } from './periodic-job.ts';

/** A run that ends when the test says so. */
function gate() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

function recordingLog() {
  const entries: { err: unknown; job: string; message: string }[] = [];
  const log: JobLog = { error: (detail, message) => entries.push({ ...detail, message }) };
  return { log, entries };
}

/** Lets the job's promise callbacks run between fake ticks. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('PeriodicJob', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('runs every interval, and a tick that comes while a run is still going is skipped, not queued', async () => {
    const { log } = recordingLog();
    const runs: ReturnType<typeof gate>[] = [];
    const job = new PeriodicJob({ name: 'slow', everyMs: 1000, log, run: () => (runs.push(gate()), runs.at(-1)!.promise) });
    job.start();
    assert.equal(runs.length, 0, 'nothing runs before the first interval without runAtStart');
    mock.timers.tick(1000);
    assert.equal(runs.length, 1);
    assert.equal(job.running, true);
    // Three more ticks while the first run hangs: none starts a second run beside it.
    mock.timers.tick(3000);
    await settle();
    assert.equal(runs.length, 1);
    runs[0]!.open();
    await settle();
    assert.equal(job.running, false);
    // The backlog is not made up: the next tick runs once.
    mock.timers.tick(1000);
    assert.equal(runs.length, 2);
    runs[1]!.open();
    await job.stop();
  });

  it('logs a failed run with its cause and its name, and runs again at the next tick', async () => {
    const { log, entries } = recordingLog();
    let calls = 0;
    const cause = new Error('database is locked');
    const job = new PeriodicJob({
      name: 'retention',
      everyMs: 500,
      log,
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('retention pass failed', { cause });
      },
    });
    job.start();
    mock.timers.tick(500);
    await settle();
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.job, 'retention');
    assert.equal(entries[0]!.message, 'retention failed');
    assert.equal((entries[0]!.err as Error).cause, cause);
    mock.timers.tick(500);
    await settle();
    assert.equal(calls, 2, 'the failure did not stop the job');
    assert.equal(entries.length, 1);
    await job.stop();
  });

  it('stop() ends the ticks and waits for the run under way', async () => {
    const { log } = recordingLog();
    const run = gate();
    let calls = 0;
    const job = new PeriodicJob({ name: 'purge', everyMs: 100, runAtStart: true, log, run: () => (calls++, run.promise) });
    job.start();
    assert.equal(calls, 1, 'runAtStart runs at once');
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await settle();
    assert.equal(stopped, false, 'stop waits for the run under way');
    run.open();
    await stopping;
    mock.timers.tick(10_000);
    await settle();
    assert.equal(calls, 1, 'no run after stop');
    job.start();
    mock.timers.tick(10_000);
    assert.equal(calls, 1, 'a stopped job does not start again');
  });

  it('runNow() runs after the run under way, and its failure is thrown to the caller, not logged', async () => {
    const { log, entries } = recordingLog();
    const first = gate();
    const order: string[] = [];
    let fail = false;
    const job = new PeriodicJob({
      name: 'sla',
      everyMs: 1000,
      log,
      run: async () => {
        order.push('start');
        if (order.length === 1) await first.promise;
        if (fail) throw new Error('boom');
        order.push('end');
      },
    });
    job.start();
    mock.timers.tick(1000);
    const now = job.runNow();
    await settle();
    assert.deepEqual(order, ['start'], 'runNow waits for the run under way');
    first.open();
    await now;
    assert.deepEqual(order, ['start', 'end', 'start', 'end']);
    fail = true;
    await assert.rejects(job.runNow(), /boom/);
    assert.equal(entries.length, 0);
    await job.stop();
  });

  it('adds up to jitterMs to each wait', async () => {
    const { log } = recordingLog();
    let calls = 0;
    const job = new PeriodicJob({ name: 'jittery', everyMs: 1000, jitterMs: 400, random: () => 0.5, log, run: async () => void calls++ });
    job.start();
    mock.timers.tick(1199);
    assert.equal(calls, 0);
    mock.timers.tick(1);
    assert.equal(calls, 1);
    await job.stop();
  });

  it('refuses an interval that is not above 0', () => {
    const { log } = recordingLog();
    assert.throws(() => new PeriodicJob({ name: 'bad', everyMs: 0, log, run: async () => {} }), /everyMs must be above 0/);
  });
});
