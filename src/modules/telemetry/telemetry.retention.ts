import type { Clock } from '../../core/clock.ts';
import type { TelemetryRepository } from './telemetry.repository.ts';

const DAY_MS = 86_400_000;
/** Points deleted per statement, so that a large purge never holds the writer for long. */
const CHUNK = 5_000;

/** Deletes telemetry older than each region's retention period; regions without one keep everything. */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  private readonly repo: TelemetryRepository;
  private readonly clock: Clock;
  private readonly onError: (error: unknown) => void;
  constructor(repo: TelemetryRepository, clock: Clock, onError: (error: unknown) => void) {
    this.repo = repo;
    this.clock = clock;
    this.onError = onError;
  }

  /** Runs once now and then every `everyMs`. */
  start(everyMs = 3_600_000): void {
    const tick = () => {
      this.runOnce().catch(this.onError);
    };
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
    tick();
  }

  /** One pass over every series of every region with a retention period; returns the points deleted. */
  runOnce(): Promise<number> {
    this.running ??= this.prune().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => {});
  }

  private async prune(): Promise<number> {
    const now = this.clock.now();
    let deleted = 0;
    for (const s of await this.repo.seriesWithRetention()) {
      const before = now - s.retention_days! * DAY_MS;
      for (;;) {
        const n = await this.repo.deleteOlder(s.id, before, CHUNK);
        deleted += n;
        if (n < CHUNK) break;
      }
    }
    return deleted;
  }
}
