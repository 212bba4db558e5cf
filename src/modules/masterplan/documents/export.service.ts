/**
 * The master plan document: the data and the blocks are gathered here, on the
 * main thread (database reads; charts are rendered by sharp off the thread), and
 * written to DOCX or PDF (export.writers.ts) on a worker thread (export.worker.ts),
 * so that a long document does not stall telemetry ingest and live alarms.
 */
import { Worker } from 'node:worker_threads';
import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import type { Principal } from '../../identity/index.ts';
import { bookKey, buildContent, type Book, type DocumentContent } from './export.content.ts';
import { fmtDate, gatherExportData, regionSlug, type ExportData, type ExportParts } from './export.data.ts';
import type { BookData } from './book.ts';
import { bookSlug } from './books.ts';
import type { InitiativesService } from '../initiatives/index.ts';
import type { RenderJob, RenderResult } from './export.worker.ts';
import type { Records } from '../records/records.contract.ts';
import type { WriterMeta } from './export.writers.ts';
import type { QuickWinsDoc } from '../quickwins/quickwins.chapters.ts';
import { siblingModule } from '../../../core/module-url.ts';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const PDF_TYPE = 'application/pdf';

interface ExportFile { data: Buffer; filename: string; contentType: string }

/** The records the books read through their own services: quick wins and the roadmap (quickwins/RoadmapService), the plan's records (records/RecordsService). */
interface ExportSources {
  quickwins?: { document(regionId: string): Promise<QuickWinsDoc> };
  records?: { view(regionId: string): Promise<Records> };
}

function filenameFor(book: Book, data: ExportData, ext: 'docx' | 'pdf'): string {
  return `${book === 'quickwin' ? 'dokumen-quick-win' : bookSlug(bookKey(book))}-${regionSlug(data.regionName)}-${data.year}.${ext}`;
}

/**
 * The worker's heap is bounded: a document that would need more fails alone
 * (the worker stops, the export answers 500, the next export starts a new one)
 * instead of growing the platform's process. Buku II of a plan with 5,000 SIPD
 * lines stays well under (test/masterplan-books.test.ts, bench/masterplan-export.ts).
 */
export const EXPORT_WORKER_LIMITS = { maxOldGenerationSizeMb: 384, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 } as const;

/** Starts the document worker: Node runs its TypeScript as it runs ours (type stripping). */
function startWorker(): Worker {
  return new Worker(siblingModule('./export.worker', import.meta.url), { resourceLimits: EXPORT_WORKER_LIMITS });
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

  /** The worker's heap in MB (null before the first export): what the bench and the tests compare with EXPORT_WORKER_LIMITS. */
  async heap(): Promise<{ usedMb: number; totalMb: number; limitMb: number } | null> {
    const worker = this.worker;
    if (!worker) return null;
    // an idle worker is unreferenced: held while it answers, or a process with nothing else to do would exit first
    worker.ref();
    const s = await worker.getHeapStatistics().finally(() => {
      if (this.pending?.worker !== worker) worker.unref();
    });
    const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
    return { usedMb: mb(s.used_heap_size), totalMb: mb(s.total_heap_size), limitMb: mb(s.heap_size_limit) };
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

  private readonly parts: ExportParts;
  private readonly clock: Clock;
  private readonly initiatives: Pick<InitiativesService, 'list'>;
  /** What the books read besides the plan's data and initiatives, each through its service (absent: its chapters say it is not filled in). */
  private readonly sources: ExportSources;
  constructor(parts: ExportParts, initiatives: Pick<InitiativesService, 'list'>, clock: Clock, sources: ExportSources = {}) {
    this.sources = sources;
    this.parts = parts;
    this.initiatives = initiatives;
    this.clock = clock;
    this.renderer = new ExportRenderer();
  }

  /** What the books show: the plan's data (each part from its service), and its initiatives as the initiatives service lists them (budgets counted once, years, funding trace). */
  async data(p: Principal): Promise<BookData> {
    const data = await gatherExportData(this.parts, p.regionId, this.clock.now());
    const initiatives = await this.initiatives.list(p, {});
    const opdIds = [...new Set(initiatives.items.flatMap((i) => [...(i.leadOpdId ? [i.leadOpdId] : []), ...i.supportingOpdIds]))];
    const opdCodes = new Map((opdIds.length ? await this.parts.identity.opdsByIds(p.regionId, opdIds) : []).map((o) => [o.id, o.code]));
    const [quickwins, records] = await Promise.all([this.sources.quickwins?.document(p.regionId), this.sources.records?.view(p.regionId)]);
    return { ...data, initiatives, opdCodes, ...(quickwins && { quickwins }), ...(records && { records }) };
  }

  async content(p: Principal, book: Book, charts = true): Promise<{ data: ExportData; content: DocumentContent }> {
    const data = await this.data(p);
    return { data, content: await buildContent(data, book, { charts }) };
  }

  private meta(data: ExportData) {
    return { region: data.regionName, date: fmtDate(this.clock.now()), programme: `Gerakan Menuju 100 Smart City · ${data.ministry.nameId} (${data.ministry.short})` };
  }

  async docx(p: Principal, book: Book, options: { charts?: boolean } = {}): Promise<ExportFile> {
    const { data, content } = await this.content(p, book, options.charts ?? true);
    const buffer = await this.renderer.render('docx', content, this.meta(data));
    return { data: buffer, filename: filenameFor(book, data, 'docx'), contentType: DOCX_TYPE };
  }

  /** Stops the document worker (app close). */
  close(): Promise<void> {
    return this.renderer.close();
  }

  async pdf(p: Principal, book: Book): Promise<ExportFile> {
    const { data, content } = await this.content(p, book, true);
    const buffer = await this.renderer.render('pdf', content, this.meta(data));
    return { data: buffer, filename: filenameFor(book, data, 'pdf'), contentType: PDF_TYPE };
  }
}
