import { AppError } from '../../core/errors.ts';
import type { EventBus } from '../../platform/bus/index.ts';

/** What a device is told of its shared attributes: the changed values, or `{"deleted":[keys]}` (ThingsBoard's forms). */
export type AttributeNotice = Record<string, unknown>;

export interface PollLimits {
  /** long polls one device may hold open at once (firmware holds one; a few more tolerate a reconnect) */
  perDevice: number;
  /** long polls held open on this instance at once, over all devices */
  total: number;
  /** longest wait, ms: a longer `timeout` is shortened to it */
  maxTimeoutMs: number;
}
export const POLL_LIMITS: PollLimits = { perDevice: 4, total: 10_000, maxTimeoutMs: 60_000 };

interface Waiter {
  resolve: (notice: AttributeNotice | null) => void;
  timer: NodeJS.Timeout;
}

/**
 * The HTTP long poll of shared attributes (`GET /api/v1/$TOKEN/attributes/updates`):
 * a request waits for the next change of its device's shared attributes, or
 * its timeout. Changes come over the bus, so a change made on any instance
 * answers the polls held on this one. Bounded per device and in total.
 */
export class AttributeUpdatesPoll {
  private readonly waiting = new Map<string, Set<Waiter>>();
  private count = 0;
  readonly limits: PollLimits;
  constructor(bus: EventBus, limits: Partial<PollLimits> = {}) {
    this.limits = { ...POLL_LIMITS, ...limits };
    bus.subscribe('attributes.updated', ({ deviceId, scope, values }) => scope === 'shared' && this.notify(deviceId, values));
    bus.subscribe('attributes.deleted', ({ deviceId, scope, keys }) => scope === 'shared' && this.notify(deviceId, { deleted: keys }));
  }

  /**
   * The next notice for the device, or null after `timeoutMs` (shortened to
   * the limit). `cancelled` ends the wait early (the client went away).
   */
  wait(deviceId: string, timeoutMs: number, cancelled: AbortSignal): Promise<AttributeNotice | null> {
    let set = this.waiting.get(deviceId);
    if ((set?.size ?? 0) >= this.limits.perDevice) {
      return Promise.reject(new AppError('RATE_LIMITED', `a device may hold at most ${this.limits.perDevice} attribute long polls at once`));
    }
    if (this.count >= this.limits.total) return Promise.reject(new AppError('UNAVAILABLE', 'too many attribute long polls are open; poll again shortly'));
    if (!set) this.waiting.set(deviceId, (set = new Set()));
    const own = set;
    this.count++;
    return new Promise((resolve) => {
      const done = (notice: AttributeNotice | null) => {
        clearTimeout(waiter.timer);
        cancelled.removeEventListener('abort', onAbort);
        if (own.delete(waiter)) this.count--;
        if (own.size === 0 && this.waiting.get(deviceId) === own) this.waiting.delete(deviceId);
        resolve(notice);
      };
      const onAbort = () => done(null);
      const waiter: Waiter = { resolve: done, timer: setTimeout(() => done(null), Math.max(0, Math.min(timeoutMs, this.limits.maxTimeoutMs))) };
      own.add(waiter);
      if (cancelled.aborted) return done(null);
      cancelled.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Polls open now (for tests and health). */
  get open(): number {
    return this.count;
  }

  private notify(deviceId: string, notice: AttributeNotice): void {
    const set = this.waiting.get(deviceId);
    if (!set) return;
    for (const waiter of [...set]) waiter.resolve(notice);
  }
}
