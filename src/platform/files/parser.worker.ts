/**
 * The worker thread that reads users' files (parser-pool.ts): a job names a
 * function of one of our modules, which is loaded here once and called with the
 * file's bytes. Its own heap is bounded (resourceLimits) and the pool terminates
 * it past a deadline, so a file that costs too much costs this thread, not the
 * server.
 */
import { parentPort } from 'node:worker_threads';
import { isAppError } from '../../core/errors.ts';

/** A job posted by ParserPool: the module's file URL and the exported function's name, and plain (cloneable) data. */
export interface ParseJob { id: number; module: string; fn: string; bytes: Uint8Array; options: unknown }
/** The answer: the function's result (structured-cloned), an AppError's parts, or another error's message. */
/** Posted when the job's module is loaded and its function is called: the pool's deadline for the job starts then. */
export interface JobStarted { id: number; started: true }
export type ParseResult =
  | { id: number; value: unknown }
  | { id: number; appError: { code: string; message: string; details?: unknown } }
  | { id: number; error: { message: string; stack?: string } };

type ParseFn = (bytes: Uint8Array, options: unknown) => unknown;
const loaded = new Map<string, Promise<Record<string, unknown>>>();

async function run(job: ParseJob): Promise<unknown> {
  let mod = loaded.get(job.module);
  if (!mod) {
    mod = import(job.module) as Promise<Record<string, unknown>>;
    loaded.set(job.module, mod);
  }
  const fn = (await mod)[job.fn];
  if (typeof fn !== 'function') throw new Error(`${job.module} exports no function ${job.fn}`);
  port!.postMessage({ id: job.id, started: true } satisfies JobStarted);
  return (fn as ParseFn)(job.bytes, job.options);
}

const port = parentPort;
if (!port) throw new Error('parser.worker.ts runs as a worker thread (see ParserPool)');
port.on('message', (job: ParseJob) => {
  run(job).then(
    (value) => port.postMessage({ id: job.id, value } satisfies ParseResult),
    (error: unknown) => {
      if (isAppError(error)) {
        port.postMessage({ id: job.id, appError: { code: error.code, message: error.message, ...(error.details !== undefined && { details: error.details }) } } satisfies ParseResult);
        return;
      }
      const e = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ id: job.id, error: { message: e.message, ...(e.stack !== undefined && { stack: e.stack }) } } satisfies ParseResult);
    },
  );
});
