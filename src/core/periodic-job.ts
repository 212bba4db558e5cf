/** Where a job says that a run failed: pino's `error(detail, message)` fits. */
export interface JobLog {
  error(detail: { err: unknown; job: string }, message: string): void;
}

export interface PeriodicJobOptions {
  /** Says which job failed, in the log. */
  name: string;
  everyMs: number;
  /** Each wait is everyMs plus up to this much more, so that instances started together do not run together. */
  jitterMs?: number;
  /** Runs once at start() too, not only after the first wait (retention, SLA: a restart should not wait an hour). */
  runAtStart?: boolean;
  run: () => Promise<unknown>;
  log: JobLog;
  /** A number in [0, 1) (tests fix it). */
  random?: () => number;
}

/**
 * A job that runs every so often: on its own timer (which never keeps the
 * process alive), one run at a time — a tick that comes while a run is still
 * going is skipped, not queued —, a failed run logged with its cause and the
 * next tick as usual, and stop() ending the ticks and waiting for the run
 * under way. runNow() runs it at once (tests, an operator's button).
 */
export class PeriodicJob {
  readonly name: string;
  private readonly options: PeriodicJobOptions;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | null = null;
  private started = false;
  private stopped = false;

  constructor(options: PeriodicJobOptions) {
    if (!(options.everyMs > 0)) throw new Error(`job ${options.name}: everyMs must be above 0`);
    this.name = options.name;
    this.options = options;
  }

  /** A run is under way. */
  get running(): boolean {
    return this.current !== null;
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    if (this.options.runAtStart) this.tick();
    this.schedule();
  }

  /**
   * Runs once now, after the run under way if there is one; its failure is
   * the caller's (thrown, not logged). Ticks that come meanwhile are skipped.
   */
  async runNow(): Promise<void> {
    while (this.current) await this.current;
    let failed = false;
    let cause: unknown;
    await this.track(
      this.options.run().then(
        () => undefined,
        (error: unknown) => {
          failed = true;
          cause = error;
        },
      ),
    );
    if (failed) throw cause;
  }

  /** No more ticks; waits for the run under way (its failure is logged, not thrown). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.current) await this.current;
  }

  private schedule(): void {
    if (this.stopped) return;
    const jitter = this.options.jitterMs ? Math.floor((this.options.random ?? Math.random)() * this.options.jitterMs) : 0;
    this.timer = setTimeout(() => {
      this.tick();
      this.schedule();
    }, this.options.everyMs + jitter);
    this.timer.unref();
  }

  private tick(): void {
    if (this.current || this.stopped) return;
    void this.track(
      this.options.run().then(
        () => undefined,
        (error: unknown) => this.options.log.error({ err: error, job: this.name }, `${this.name} failed`),
      ),
    );
  }

  /** The run under way is `run` until it settles. */
  private track(run: Promise<void>): Promise<void> {
    const tracked: Promise<void> = run.finally(() => {
      if (this.current === tracked) this.current = null;
    });
    this.current = tracked;
    return tracked;
  }
}
