/**
 * A job that works in rounds, one round at a time: on a timer, and at once
 * when kicked (something was just queued). A kick during a round asks for one
 * more round after it, never a second round beside it; drain() waits until a
 * round finds nothing more to do (tests and benchmarks drive jobs with it).
 */
import { PeriodicJob } from './periodic-job.ts';

export class Rounds {
  private readonly round: () => Promise<boolean>;
  private readonly onError: (error: unknown) => void;
  private timer: PeriodicJob | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  /** `round` does one round and answers whether there is more to do at once. */
  constructor(round: () => Promise<boolean>, onError: (error: unknown) => void) {
    this.round = round;
    this.onError = onError;
  }

  /**
   * Rounds every `everyMs` besides the kicks; the timer does not keep the process
   * alive, and its tick is skipped while rounds are under way (a kick is not).
   */
  start(everyMs: number, name = 'rounds'): void {
    if (this.timer || this.stopped) return;
    this.timer = new PeriodicJob({
      name,
      everyMs,
      run: async () => {
        this.kick();
        await this.running;
      },
      // A round's failure is reported by loop(), which never throws.
      log: { error: ({ err }) => this.onError(err) },
    });
    this.timer.start();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Runs rounds now (through kick, so never beside one already running) until nothing more is due. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    this.kick();
    while (this.running) await this.running;
  }

  /** No more rounds; waits for the one under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.timer?.stop();
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        while ((await this.round()) && !this.stopped);
      } catch (error) {
        this.onError(error);
      }
    } while (this.again && !this.stopped);
  }
}
