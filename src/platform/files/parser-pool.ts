/**
 * Every parser of a user's file (spreadsheets, CSV) runs here, on one
 * long-lived worker thread, never on the main thread: a 20 MB CSV is 5 s of CSV
 * parsing and a crafted XLSX can ask exceljs for gigabytes, and on the main
 * thread either stops telemetry, the stream and the health check with it. The
 * pattern is the one of the document writer (masterplan/export.service.ts): a
 * queue, one job at a time, a bounded wait list, a deadline past which the worker
 * is terminated and the next job gets a fresh one; in addition the worker's heap
 * is bounded, and running out of it answers 413 for that file.
 */
import { Worker } from 'node:worker_threads';
import { AppError, ERROR_CODES, type ErrorCode } from '../../core/errors.ts';
import type { JobStarted, ParseJob, ParseResult } from './parser.worker.ts';
import { siblingModule } from '../../core/module-url.ts';

/**
 * A function of one of our modules that reads a file: `fn(bytes, options)`,
 * exported by the module at `module` (a file URL), returning plain data (it is
 * structured-cloned back) or throwing an AppError (its code and message come back).
 */
export interface ParserTask<O, R> {
  readonly module: string;
  readonly fn: string;
  /** type only: the options and the result */
  readonly types?: (options: O) => R;
}

/** `parserTask<O, R>(new URL('./x.read.ts', import.meta.url), 'readX')`: `readX(bytes: Uint8Array, options: O): R | Promise<R>`. */
export function parserTask<O, R>(module: URL, fn: string): ParserTask<O, R> {
  return { module: module.href, fn };
}

export interface ParserPoolOptions {
  /** ms a file may take to read; past it the worker is terminated (422) */
  timeoutMs: number;
  /** jobs waiting behind the one being read; more are refused (503): each holds its file in memory */
  maxQueued: number;
  /** MB of the worker's old-generation heap; past it the worker dies and the file is refused (413) */
  maxHeapMb: number;
}

export const DEFAULT_PARSER_POOL: ParserPoolOptions = { timeoutMs: 30_000, maxQueued: 3, maxHeapMb: 160 };

interface Pending { id: number; worker: Worker; startDeadline: () => void; resolve: (value: unknown) => void; reject: (error: Error) => void }

const isCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_CODES, code);

export class ParserPool {
  readonly options: ParserPoolOptions;
  private chain: Promise<unknown> = Promise.resolve();
  private worker: Worker | null = null;
  private pending: Pending | null = null;
  private nextId = 1;
  private inPool = 0;
  private closed = false;
  /** workers started so far (tests: a timeout or a crash leads to a fresh one) */
  started = 0;

  constructor(options: Partial<ParserPoolOptions> = {}) {
    this.options = { ...DEFAULT_PARSER_POOL, ...options };
  }

  /**
   * Reads `bytes` with the task on the worker. The bytes are copied to it, or with
   * `transfer` moved (a 20 MB upload is then not held twice): the caller's bytes
   * are then empty, unless they share their memory with others (a pooled Buffer).
   */
  run<O, R>(task: ParserTask<O, R>, bytes: Uint8Array, options: O, transfer = false): Promise<R> {
    if (this.closed) return Promise.reject(new AppError('UNAVAILABLE', 'the platform is shutting down'));
    // the one being read and those waiting behind it
    if (this.inPool > this.options.maxQueued) return Promise.reject(new AppError('UNAVAILABLE', 'several files are being read already; try again in a minute'));
    this.inPool++;
    const go = () => this.exec(task, bytes, options, transfer) as Promise<R>;
    const result = this.chain.then(go, go).finally(() => this.inPool--);
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** Stops the worker for good (app close); later files are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private exec(task: { module: string; fn: string }, bytes: Uint8Array, options: unknown, transfer: boolean): Promise<unknown> {
    if (this.closed) return Promise.reject(new AppError('UNAVAILABLE', 'the platform is shutting down'));
    return new Promise((resolve, reject) => {
      let worker: Worker;
      try {
        worker = this.worker ?? this.start();
      } catch (error) {
        reject(error as Error);
        return;
      }
      const id = this.nextId++;
      worker.ref();
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
      worker.postMessage({ id, module: task.module, fn: task.fn, bytes, options } satisfies ParseJob, transfer && whole ? [bytes.buffer] : []);
      const seconds = Math.round(this.options.timeoutMs / 100) / 10;
      // The deadline is the reading's: it starts when the worker calls the function (JobStarted), not
      // while a fresh worker starts or loads the module, which on a busy machine can take longer than a
      // small file's whole allowance.
      let timer: NodeJS.Timeout | undefined;
      const startDeadline = () => {
        timer = setTimeout(() => {
          if (this.pending?.id !== id) return;
          this.lost(worker, new AppError('IMPORT_LIMIT_EXCEEDED', `reading the file took longer than ${seconds} s (the limit); it was stopped`, { limit: 'seconds', max: seconds }));
          void worker.terminate();
        }, this.options.timeoutMs);
        timer.unref();
      };
      const settle =
        <T>(fn: (v: T) => void) =>
        (v: T) => {
          clearTimeout(timer);
          fn(v);
        };
      this.pending = { id, worker, startDeadline, resolve: settle(resolve), reject: settle(reject) };
    });
  }

  private start(): Worker {
    const worker = new Worker(siblingModule('./parser.worker', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    this.started++;
    this.worker = worker;
    worker.unref();
    worker.on('message', (message: ParseResult | JobStarted) => {
      const job = this.pending;
      if (!job || job.id !== message.id) return;
      if ('started' in message) return job.startDeadline();
      this.pending = null;
      worker.unref();
      if ('value' in message) job.resolve(message.value);
      else if ('appError' in message) {
        const { code, message: text, details } = message.appError;
        job.reject(isCode(code) ? new AppError(code, text, details) : new Error(text));
      } else {
        const error = new Error(`the file could not be read: ${message.error.message}`);
        if (message.error.stack !== undefined) error.stack = message.error.stack;
        job.reject(error);
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        this.lost(worker, new AppError('IMPORT_FILE_TOO_LARGE', `reading the file needs more than ${this.options.maxHeapMb} MB of memory (the limit)`, { limit: 'maxHeapMb', max: this.options.maxHeapMb }));
      } else this.lost(worker, error);
    });
    worker.on('exit', (code) => this.lost(worker, new Error(`the file reader stopped (exit code ${code})`)));
    return worker;
  }

  /** The worker is gone (terminated, crashed, out of memory): its job fails, the next job starts a new one. */
  private lost(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = null;
    const job = this.pending;
    if (job?.worker !== worker) return;
    this.pending = null;
    job.reject(error);
  }
}
