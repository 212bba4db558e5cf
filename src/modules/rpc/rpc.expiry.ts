import type { Clock } from '../../core/clock.ts';
import { Rounds } from '../../core/rounds.ts';
import type { RpcDelivery } from './rpc.delivery.ts';
import type { RpcRepository } from './rpc.repository.ts';

/** Calls changed per round; a full round asks for the next one at once. */
const BATCH = 200;

/**
 * The periodic job of commands (the rpc module runs drain() every few seconds): a queued call whose expiry passed becomes
 * `expired`, a sent one whose answer is overdue `timeout` — also those left
 * waiting when the platform stopped (their in-memory timers died with it).
 */
export class RpcExpiryJob {
  private readonly rounds: Rounds;
  private readonly repo: RpcRepository;
  private readonly delivery: RpcDelivery;
  private readonly clock: Clock;
  constructor(repo: RpcRepository, delivery: RpcDelivery, clock: Clock, onError: (error: unknown) => void) {
    this.repo = repo;
    this.delivery = delivery;
    this.clock = clock;
    this.rounds = new Rounds(() => this.round(), onError);
  }

  /** Runs rounds until nothing is due (tests). */
  drain(): Promise<void> {
    return this.rounds.drain();
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  private async round(): Promise<boolean> {
    const now = this.clock.now();
    const expired = await this.repo.expiredQueued(now, BATCH);
    for (const id of expired) await this.delivery.expired(id);
    const overdue = await this.repo.overdue(now, BATCH);
    for (const id of overdue) await this.delivery.timedOut(id);
    return expired.length === BATCH || overdue.length === BATCH;
  }
}
