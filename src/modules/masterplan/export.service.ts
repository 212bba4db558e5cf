/**
 * The master plan document: the data and the blocks are gathered here, on the
 * main thread (database reads; charts are rendered by sharp off the thread), and
 * written to DOCX or PDF (export.writers.ts) on a worker thread (export.worker.ts),
 * so that a long document does not stall telemetry ingest and live alarms.
 */
import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { Principal } from '../identity/index.ts';
import type { EvaluationService } from './evaluation.service.ts';
import { buildContent, type Book, type DocumentContent } from './export.content.ts';
import { fmtDate, gatherExportData, regionSlug, type ExportData, type ExportIdentity } from './export.data.ts';
import type { RenderJob, RenderResult } from './export.worker.ts';
import type { Records } from './records/records.contract.ts';
import type { WriterMeta } from './export.writers.ts';
import { siblingModule } from '../../core/module-url.ts';


export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const PDF_TYPE = 'application/pdf';

export interface ExportFile { data: Buffer; filename: string; contentType: string }

export function filenameFor(book: Book, data: ExportData, ext: 'docx' | 'pdf'): string {
  return `${book === 'strategic' ? 'buku-1-analisis-strategis' : 'masterplan'}-${regionSlug(data.regionName)}-${data.year}.${ext}`;
}

/** Starts the document worker: Node runs its TypeScript as it runs ours (type stripping). */
function startWorker(): Worker {
  return new Worker(siblingModule('./export.worker', import.meta.url));
}

/**
 * Writes the documents on one long-lived worker thread, one at a time (a queue),
 * so that several people pressing "export" at once do not multiply the CPU the
 * platform shares. The worker starts on the first export; one that dies (or fails
 * to start) fails the export it was writing and is replaced on the next. A failed
 * render rejects with the worker's message, which the error handler answers as a
 * 500 in the platform's error body. close() stops it (app close).
 */
export class ExportRenderer {
  private chain: Promise<unknown> = Promise.resolve();
  private worker: Worker | null = null;
  private pending: { id: number; worker: Worker; resolve: (data: Buffer) => void; reject: (error: Error) => void } | null = null;
  private nextId = 1;
  private queued = 0;
  private closed = false;

  /** `maxQueued`: exports waiting beyond this are refused (each holds its document in memory); `timeoutMs`: a worker writing longer is stopped. */
  private readonly limits: { maxQueued: number; timeoutMs: number };
  constructor(limits: { maxQueued: number; timeoutMs: number } = { maxQueued: 4, timeoutMs: 120_000 }) {
    this.limits = limits;
  }

  render(format: 'docx' | 'pdf', content: DocumentContent, meta: WriterMeta): Promise<Buffer> {
    if (this.closed) return Promise.reject(new AppError('UNAVAILABLE', 'the platform is shutting down'));
    if (this.queued >= this.limits.maxQueued) return Promise.reject(new AppError('UNAVAILABLE', 'several documents are being written already; try again in a minute'));
    this.queued++;
    const run = () => {
      this.queued--;
      return this.run(format, content, meta);
    };
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** Stops the worker now: the export it was writing fails, the next one starts a new worker. */
  async abort(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  /** Stops the worker for good (app close); later exports are refused. */
  async close(): Promise<void> {
    this.closed = true;
    await this.abort();
  }

  private run(format: 'docx' | 'pdf', content: DocumentContent, meta: WriterMeta): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const worker = this.worker ?? this.start();
      const id = this.nextId++;
      // Held open while it writes (an idle worker does not keep the process alive).
      worker.ref();
      // The blocks are copied (structured clone), the chart PNGs with them: small beside the document.
      worker.postMessage({ id, format, content, meta } satisfies RenderJob);
      // a worker stuck on one document would hold every later export: stopped, it is replaced on the next
      const timer = setTimeout(() => {
        if (this.pending?.id !== id) return;
        this.lost(worker, new Error(`the document took longer than ${this.limits.timeoutMs / 1000} s to write`));
        if (this.worker === worker) void this.abort();
        else void worker.terminate();
      }, this.limits.timeoutMs);
      timer.unref();
      const settle = <T>(fn: (v: T) => void) => (v: T) => {
        clearTimeout(timer);
        fn(v);
      };
      this.pending = { id, worker, resolve: settle(resolve), reject: settle(reject) };
    });
  }

  private start(): Worker {
    const worker = startWorker();
    this.worker = worker;
    worker.on('message', (message: RenderResult) => {
      const job = this.pending;
      if (!job || job.id !== message.id) return;
      this.pending = null;
      worker.unref();
      if ('error' in message) {
        const error = new Error(`the document could not be written: ${message.error.message}`);
        if (message.error.stack !== undefined) error.stack = message.error.stack;
        job.reject(error);
      } else {
        job.resolve(Buffer.from(message.data, 0, message.byteLength));
      }
    });
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`the document worker stopped (exit code ${code})`)));
    return worker;
  }

  private lost(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = null;
    const job = this.pending;
    if (job?.worker !== worker) return;
    this.pending = null;
    job.reject(error);
  }
}

export class ExportService {
  readonly renderer: ExportRenderer;

  private readonly db: Kysely<Schema>;
  private readonly identity: ExportIdentity;
  private readonly evaluation: EvaluationService;
  private readonly clock: Clock;
  /** the master plan records (records/), read through their service */
  private readonly records: { view(regionId: string): Promise<Records> } | null;
  constructor(db: Kysely<Schema>, identity: ExportIdentity, evaluation: EvaluationService, clock: Clock, records: { view(regionId: string): Promise<Records> } | null = null) {
    this.db = db;
    this.records = records;
    this.identity = identity;
    this.evaluation = evaluation;
    this.clock = clock;
    this.renderer = new ExportRenderer();
  }

  async content(regionId: string, book: Book, charts = true): Promise<{ data: ExportData; content: DocumentContent }> {
    const data = await gatherExportData(this.db, this.identity, this.evaluation, regionId, this.clock.now());
    if (this.records) data.records = await this.records.view(regionId);
    return { data, content: await buildContent(data, book, { charts }) };
  }

  async docx(p: Principal, book: Book, options: { charts?: boolean } = {}): Promise<ExportFile> {
    const { data, content } = await this.content(p.regionId, book, options.charts ?? true);
    const buffer = await this.renderer.render('docx', content, { region: data.regionName, date: fmtDate(this.clock.now()) });
    return { data: buffer, filename: filenameFor(book, data, 'docx'), contentType: DOCX_TYPE };
  }

  /** Stops the document worker (app close). */
  close(): Promise<void> {
    return this.renderer.close();
  }

  async pdf(p: Principal, book: Book): Promise<ExportFile> {
    const { data, content } = await this.content(p.regionId, book, true);
    const buffer = await this.renderer.render('pdf', content, { region: data.regionName, date: fmtDate(this.clock.now()) });
    return { data: buffer, filename: filenameFor(book, data, 'pdf'), contentType: PDF_TYPE };
  }
}
