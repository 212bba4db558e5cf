import { Worker } from 'node:worker_threads';
import { siblingModule } from '../../core/module-url.ts';
import { seriesKey, type PointRow, type TelemetryBulk } from './database.ts';

export interface TelemetryThreadOptions {
  /** the database file */
  file: string;
  /** its write-ahead log, fsync'd after each batch */
  walFile: string;
}

export type TelemetryRequest =
  | { op: 'ensure'; items: { regionId: string; deviceId: string; key: string }[] }
  | { op: 'write'; points: PackedPoints; activity: [string, number][] };

/**
 * Points as they cross to the thread: series id, ts and number of each point in
 * one Float64Array (moved, not copied; NaN for no number: a stored number is
 * always finite), and the few points of another type beside it. Cloning an
 * object per point cost the main thread a third of what the thread saved it.
 */
export interface PackedPoints {
  numeric: Float64Array<ArrayBuffer>;
  /** [index, str, bool, json] of each point that is not a number */
  other: [number, string | null, number | null, string | null][];
}

export function packPoints(points: PointRow[]): PackedPoints {
  const numeric = new Float64Array(points.length * 3);
  const other: PackedPoints['other'] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    numeric[i * 3] = p.seriesId;
    numeric[i * 3 + 1] = p.ts;
    numeric[i * 3 + 2] = p.num ?? NaN;
    if (p.num === null) other.push([i, p.str, p.bool, p.json]);
  }
  return { numeric, other };
}

export function unpackPoints({ numeric, other }: PackedPoints): PointRow[] {
  const points: PointRow[] = [];
  for (let i = 0; i < numeric.length; i += 3) {
    const num = numeric[i + 2]!;
    points.push({ seriesId: numeric[i]!, ts: numeric[i + 1]!, num: Number.isNaN(num) ? null : num, str: null, bool: null, json: null });
  }
  for (const [i, str, bool, json] of other) {
    const p = points[i]!;
    p.str = str;
    p.bool = bool;
    p.json = json;
  }
  return points;
}
export type TelemetryJob = TelemetryRequest & { id: number };

/** `ids` answers an `ensure` (one id per item, in order); a `write` is answered once its batch is durable. */
export type TelemetryAnswer = { id: number; ids?: number[] } | { id: number; error: string };

/** A telemetry thread with nothing to do for this long ends; the next batch starts one again. */
const IDLE_MS = 30_000;

/**
 * Telemetry batches of SQLite, written on a worker thread
 * (sqlite-telemetry.worker.ts) with a connection of its own: under MQTT load the
 * statements and the commit of each batch took a third of the main thread,
 * which reads the devices' messages and sends their acknowledgements. A batch
 * resolves once its commit is in the fsync'd WAL, as before. The thread starts
 * with the first batch and ends after 30 s without one: while it runs it costs
 * some 25 MB of RSS (its isolate, its heap and its page cache; 200 batches of
 * 2,000 points: 134 MB against 109 MB with the batches on the main thread).
 *
 * Other writes stay on the main connection; SQLite serializes the two writers
 * (busy_timeout on both), and main-thread transactions begin IMMEDIATE
 * (sqlite-statements.ts) so that none has to give up a read snapshot.
 */
export function sqliteTelemetryThread(options: TelemetryThreadOptions): TelemetryBulk & { close(): Promise<void> } {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (answer: TelemetryAnswer) => void; reject: (error: Error) => void }>();
  let idleTimer: NodeJS.Timeout | undefined;
  /** jobs posted and not answered yet, which closing waits for */
  const pending = new Set<Promise<TelemetryAnswer>>();

  const thread = (): Worker => {
    if (worker) return worker;
    // No smaller young generation: tried (4 MB), more of each batch survived into the old one and RSS grew.
    const w = new Worker(siblingModule('./sqlite-telemetry.worker', import.meta.url), { workerData: options });
    worker = w;
    w.on('message', (answer: TelemetryAnswer) => {
      const job = waiting.get(answer.id);
      if (!job) return;
      waiting.delete(answer.id);
      job.resolve(answer);
      if (waiting.size > 0) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        if (worker !== w || waiting.size > 0) return;
        worker = null;
        void w.terminate();
      }, IDLE_MS).unref();
    });
    const lost = (error: Error) => {
      if (worker !== w) return;
      worker = null;
      for (const job of waiting.values()) job.reject(error);
      waiting.clear();
    };
    w.on('error', lost);
    w.on('exit', (code) => lost(new Error(`the telemetry writer thread ended (${code})`)));
    return w;
  };

  let closed = false;
  const ask = (job: TelemetryRequest): Promise<TelemetryAnswer> => {
    if (closed) return Promise.reject(new Error('the database is closed'));
    const asked = new Promise<TelemetryAnswer>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      clearTimeout(idleTimer);
      thread().postMessage({ ...job, id }, job.op === 'write' ? [job.points.numeric.buffer] : []);
    });
    pending.add(asked);
    const forget = () => pending.delete(asked);
    asked.then(forget, forget);
    return asked.then((answer) => {
      if ('error' in answer) throw new Error(answer.error);
      return answer;
    });
  };

  return {
    async ensureSeries(items) {
      const ids = new Map<string, number>();
      if (items.length === 0) return ids;
      const answer = await ask({ op: 'ensure', items });
      const found = 'ids' in answer ? answer.ids ?? [] : [];
      items.forEach((item, i) => ids.set(seriesKey(item.deviceId, item.key), found[i]!));
      return ids;
    },
    async writePoints(points, activity) {
      await ask({ op: 'write', points: packPoints(points), activity: [...activity] });
    },
    async close() {
      closed = true;
      // Batches already handed over are finished (their senders wait for them), then the thread ends.
      await Promise.allSettled([...pending]);
      clearTimeout(idleTimer);
      const w = worker;
      worker = null;
      await w?.terminate();
    },
  };
}
