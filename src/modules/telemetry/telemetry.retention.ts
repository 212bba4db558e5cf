import type { Clock } from '../../core/clock.ts';
import type { TelemetryRepository } from './telemetry.repository.ts';

const DAY_MS = 86_400_000;
/** Points deleted per statement, so that a large purge never holds the writer for long. */
const CHUNK = 5_000;

/**
 * Deletes telemetry older than each region's retention period; regions without
 * one keep everything. The telemetry module runs it hourly (a PeriodicJob).
 */
export class RetentionJob {
  private running: Promise<number> | undefined;

  private readonly repo: TelemetryRepository;
  private readonly clock: Clock;
  constructor(repo: TelemetryRepository, clock: Clock) {
    this.repo = repo;
    this.clock = clock;
  }

  /** One pass over every series of every region with a retention period; returns the points deleted. */
  runOnce(): Promise<number> {
    this.running ??= this.prune().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Waits for the pass under way (closing), whatever its outcome. */
  async settled(): Promise<void> {
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
