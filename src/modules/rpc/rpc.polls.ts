import { AppError } from '../../core/errors.ts';
import type { DeviceRpcRequest } from './rpc.contract.ts';

interface Poll {
  /** hands the poll a call (or null: answer 408); false when it had been answered already */
  take(request: DeviceRpcRequest | null): boolean;
}

/**
 * The HTTP long polls of devices waiting for a command
 * (`GET /api/v1/{token}/rpc?timeout=`). One per device — a newer poll of the
 * same device ends the older one (a device that lost its connection is not
 * locked out by its own dead request) — and a bounded number in all, so that
 * tokens holding requests open cannot exhaust the server.
 */
export class RpcPolls {
  private readonly polls = new Map<string, Poll>();
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }

  get size(): number {
    return this.polls.size;
  }

  has(deviceId: string): boolean {
    return this.polls.has(deviceId);
  }

  /**
   * Waits up to `timeoutMs` for a call handed over by `hand`; null when none
   * came. `signal` ends the wait when the device hangs up.
   */
  wait(deviceId: string, timeoutMs: number, signal: AbortSignal): Promise<DeviceRpcRequest | null> {
    const older = this.polls.get(deviceId);
    if (!older && this.polls.size >= this.max) {
      throw new AppError('RATE_LIMITED', `the platform holds ${this.max} long polls already; poll again in a few seconds`);
    }
    older?.take(null);
    return new Promise((resolve) => {
      let done = false;
      const finish = (request: DeviceRpcRequest | null) => {
        if (done) return false;
        done = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', abort);
        if (this.polls.get(deviceId) === poll) this.polls.delete(deviceId);
        resolve(request);
        return true;
      };
      const poll: Poll = { take: finish };
      const abort = () => finish(null);
      const timer = setTimeout(() => finish(null), timeoutMs);
      signal.addEventListener('abort', abort);
      this.polls.set(deviceId, poll);
    });
  }

  /** Gives a call to the device's waiting poll; false when none waits. */
  hand(deviceId: string, request: DeviceRpcRequest): boolean {
    const poll = this.polls.get(deviceId);
    if (!poll) return false;
    this.polls.delete(deviceId);
    return poll.take(request);
  }

  close(): void {
    for (const poll of [...this.polls.values()]) poll.take(null);
    this.polls.clear();
  }
}
