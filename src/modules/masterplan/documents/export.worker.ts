/**
 * The worker thread that writes the master plan documents (export.writers.ts):
 * the DOCX of 2,000 programs is ~400 ms of CPU that, on the main thread, would
 * hold back telemetry acknowledgements and live alarms. Started by ExportRenderer
 * (export.service.ts); one job at a time, each answered with its id.
 */
import { parentPort } from 'node:worker_threads';
import type { DocumentContent } from './export.content.ts';
import { writeDocx, writePdf, type WriterMeta } from './export.writers.ts';

/** A job posted by ExportRenderer: plain data, structured-cloned. */
export interface RenderJob { id: number; format: 'docx' | 'pdf'; content: DocumentContent; meta: WriterMeta }
/** The answer: the document's bytes (transferred) or the error's message and stack. */
export type RenderResult = { id: number; data: ArrayBuffer; byteLength: number } | { id: number; error: { message: string; stack?: string } };

/** Buffers arrive as plain Uint8Arrays; pdfkit wants a Buffer for an image (a Uint8Array would be read as a path). */
function revive(content: DocumentContent): DocumentContent {
  return { ...content, blocks: content.blocks.map((b) => (b.kind === 'image' ? { ...b, png: { ...b.png, data: Buffer.from(b.png.data.buffer, b.png.data.byteOffset, b.png.data.byteLength) } } : b)) };
}

/** A Buffer's bytes as an ArrayBuffer of their own, which can be transferred (a pooled slice cannot). */
function own(buffer: Buffer): ArrayBuffer {
  if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength && buffer.buffer instanceof ArrayBuffer) return buffer.buffer;
  const copy = new Uint8Array(buffer.byteLength);
  copy.set(buffer);
  return copy.buffer;
}

const port = parentPort;
if (!port) throw new Error('export.worker.ts runs as a worker thread (see ExportRenderer)');
port.on('message', (job: RenderJob) => {
  const content = revive(job.content);
  (job.format === 'docx' ? writeDocx(content, job.meta) : writePdf(content, job.meta)).then(
    (buffer) => {
      const data = own(buffer);
      port.postMessage({ id: job.id, data, byteLength: buffer.byteLength } satisfies RenderResult, [data]);
    },
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ id: job.id, error: { message: e.message, ...(e.stack !== undefined && { stack: e.stack }) } } satisfies RenderResult);
    },
  );
});
