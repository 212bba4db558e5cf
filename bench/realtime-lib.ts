/**
 * Helpers of the real-time benchmark (bench/realtime.ts) and of its two child
 * processes, bench/realtime-load.ts (the MQTT devices) and
 * bench/realtime-clients.ts (the WebSocket clients): what a reading looks like,
 * a latency histogram, bit sets of readings, and waiting for a child's events.
 */
import fs from 'node:fs';
import { processTimes, type Child } from './lib.ts';

/** The one key every device sends; its value is the reading's sequence number on that device, so a receiver can tell which reading it got. */
export const KEY = 'water_level';
export const DEVICE_TYPE = 'water_level_sensor';
export const TOPIC = 'v1/devices/me/telemetry';

/** Options of bench/realtime-load.ts. */
export interface LoadOptions {
  port: number;
  /** JSON array of device access tokens */
  tokensFile: string;
  /**
   * paced: `rate` readings/s in total, devices in turn, each device sending
   * `warmupSeqs + measuredSeqs` readings; max: every device keeps `inflight`
   * readings awaiting PUBACK, as fast as the broker acknowledges them.
   */
  mode: 'paced' | 'max';
  /** paced: readings/s of all devices together */
  rate?: number;
  /** paced: readings of each device before the measured ones */
  warmupSeqs?: number;
  /** paced: readings of each device that are measured */
  measuredSeqs?: number;
  /** paced: where to write, per device, the bits of the measured readings that were acknowledged */
  ackedFile?: string;
  /** max: ms of load before the measured window */
  warmupMs?: number;
  /** max: ms of the measured window */
  durationMs?: number;
  /** max: readings awaiting PUBACK per device */
  inflight?: number;
  connectConcurrency?: number;
  /** longest wait for the last acknowledgements, ms */
  drainMs?: number;
}

export interface LoadResult {
  devices: number;
  connectMs: number;
  /** readings published (handed to mqtt.js), all of them */
  sent: number;
  acked: number;
  failed: number;
  disconnects: number;
  outstandingAtEnd: number;
  /** paced: measured readings published and acknowledged */
  measuredSent: number;
  measuredAcked: number;
  /** paced: readings/s actually sent over the measured part; max: acknowledged readings/s in the window */
  rate: number;
  windowSeconds: number;
  /** publish → PUBACK, ms, of the measured readings */
  ack: LatencySummary;
  /** CPU share of the generator in the measured part, 1.0 = one core */
  cpu: number;
}

/** Options of bench/realtime-clients.ts. */
export interface ClientsOptions {
  url: string;
  token: string;
  clients: number;
  /** JSON array of device ids, in the order of the load generator's tokens */
  deviceIdsFile: string;
  warmupSeqs: number;
  measuredSeqs: number;
  /** where to write, per client and device, the bits of the measured readings received */
  receivedFile: string;
  /** where to write the ClientsResult */
  resultFile: string;
}

export interface ClientsResult {
  clients: number;
  /** measured readings received, all clients together */
  received: number;
  duplicates: number;
  /** telemetry messages outside the measured readings (warm-up, other devices) */
  other: number;
  latency: LatencySummary & { histogram: [number, number][] };
  closed: { client: number; code: number; reason: string }[];
  /** Date.now() of the first and the last measured reading received, null if none */
  firstAt: number | null;
  lastAt: number | null;
  cpu: number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Counts of latencies in whole milliseconds (the readings' ts are whole ms), up to a minute; longer ones are kept as the max. */
export class Histogram {
  private readonly counts = new Uint32Array(60_001);
  count = 0;
  max = 0;

  add(ms: number): void {
    const bucket = Math.max(0, Math.min(60_000, Math.round(ms)));
    this.counts[bucket]!++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  /** Adds counts given as [ms, count] pairs (another process's histogram). */
  merge(pairs: [number, number][], max: number): void {
    for (const [ms, n] of pairs) {
      this.counts[Math.max(0, Math.min(60_000, ms))]! += n;
      this.count += n;
    }
    if (max > this.max) this.max = max;
  }

  /** The p-th percentile (0–100), nearest rank. */
  percentile(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let ms = 0; ms < this.counts.length; ms++) {
      seen += this.counts[ms]!;
      if (seen >= rank) return ms;
    }
    return this.max;
  }

  summary(): LatencySummary {
    return { count: this.count, p50: this.percentile(50), p99: this.percentile(99), max: this.count === 0 ? NaN : this.max };
  }

  pairs(): [number, number][] {
    const out: [number, number][] = [];
    for (let ms = 0; ms < this.counts.length; ms++) if (this.counts[ms]! > 0) out.push([ms, this.counts[ms]!]);
    return out;
  }
}

/** `rows` bit sets of `width` bits each, in one buffer (written to and read from a file as is). */
export class BitRows {
  readonly bytesPerRow: number;
  readonly bytes: Uint8Array;

  readonly rows: number;
  readonly width: number;
  constructor(rows: number, width: number, bytes?: Uint8Array) {
    this.rows = rows;
    this.width = width;
    this.bytesPerRow = Math.ceil(width / 8);
    this.bytes = bytes ?? new Uint8Array(rows * this.bytesPerRow);
    if (this.bytes.length !== rows * this.bytesPerRow) throw new Error(`a bit set of ${rows}×${width} needs ${rows * this.bytesPerRow} bytes, got ${this.bytes.length}`);
  }

  /** Sets the bit; false if it was set already. */
  set(row: number, bit: number): boolean {
    const i = row * this.bytesPerRow + (bit >> 3);
    const mask = 1 << (bit & 7);
    if (this.bytes[i]! & mask) return false;
    this.bytes[i]! |= mask;
    return true;
  }

  has(row: number, bit: number): boolean {
    return (this.bytes[row * this.bytesPerRow + (bit >> 3)]! & (1 << (bit & 7))) !== 0;
  }
}

/** Readings per device for a stretch at a total rate: at least 1. */
export function seqsFor(seconds: number, totalRate: number, devices: number): number {
  return Math.max(1, Math.round((seconds * totalRate) / devices));
}

/** The first JSON line of a child that satisfies `match`, or a rejection after `ms` or when the child exits. */
export function waitForLine<T>(child: Child, match: (message: any) => boolean, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error: Error | null, value?: T) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(value as T);
    };
    const timer = setTimeout(() => finish(new Error(`${what}: nothing within ${ms} ms:\n${child.output().slice(-3000)}`)), ms);
    child.onLine((line) => {
      if (!line.startsWith('{')) return;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      if (match(message)) finish(null, message as T);
    });
    void child.exited.then(({ code, signal }) => finish(new Error(`${what}: the process ended (${code ?? signal}) first:\n${child.output().slice(-3000)}`)));
  });
}

/** The last JSON line of a child's stdout that is not an event. */
export function lastResult<T>(child: Child, what: string): T {
  const line = child
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{') && !l.startsWith('{"event"'))
    .pop();
  if (!line) throw new Error(`${what} printed no result:\n${child.output().slice(-3000)}`);
  return JSON.parse(line) as T;
}

/**
 * CPU used over a stretch by processes that are not this benchmark or its
 * descendants (another benchmark, a build): load that would skew the figures.
 */
export function othersMeter(): { stop(): { cores: number; top: string } | null } {
  const a = processTimes();
  const t0 = performance.now();
  return {
    stop() {
      const b = processTimes();
      if (b.size === 0) return null;
      const mine = new Set<number>([process.pid]);
      // Descendants: repeat until no new ones (bounded by the depth of the tree).
      for (let round = 0, grew = true; grew && round < 20; round++) {
        grew = false;
        for (const [pid, p] of b) if (!mine.has(pid) && mine.has(p.ppid)) grew = mine.add(pid) !== undefined;
      }
      const seconds = (performance.now() - t0) / 1000;
      let total = 0;
      const by = new Map<string, number>();
      for (const [pid, p] of b) {
        if (mine.has(pid)) continue;
        const before = a.get(pid);
        const used = before && before.comm === p.comm ? p.cpu - before.cpu : a.size > 0 && !before ? p.cpu : 0;
        if (used <= 0) continue;
        total += used;
        by.set(p.comm, (by.get(p.comm) ?? 0) + used);
      }
      const top = [...by].sort((x, y) => y[1] - x[1]).slice(0, 3).map(([c, u]) => `${c} ${(u / seconds).toFixed(2)}`).join(', ');
      return { cores: total / seconds, top };
    },
  };
}
