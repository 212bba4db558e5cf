/**
 * Uploaded documents of the master plan (scanned commitment sheets, evaluation
 * evidence): the type is read from the bytes, never from the name or the
 * client's Content-Type, and the size is capped.
 */
import { AppError } from '../../../core/errors.ts';

export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

interface Sniffed {
  contentType: string;
  ext: string;
}

const OFFICE: Record<string, Sniffed> = {
  'word/': { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx' },
  'xl/': { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' },
  'ppt/': { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ext: 'pptx' },
};

/** PDF, JPEG, PNG, WebP, or an Office Open XML file (DOCX/XLSX/PPTX); null for anything else. */
export function sniff(bytes: Buffer): Sniffed | null {
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return { contentType: 'application/pdf', ext: 'pdf' };
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { contentType: 'image/jpeg', ext: 'jpg' };
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { contentType: 'image/png', ext: 'png' };
  if (bytes.length >= 12 && bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return { contentType: 'image/webp', ext: 'webp' };
  if (bytes.length >= 30 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    // A zip: an Office file names its part folders near the start (first entries) — look in the first 64 KB.
    const head = bytes.subarray(0, Math.min(bytes.length, 65536)).toString('latin1');
    if (head.includes('[Content_Types].xml')) {
      for (const [folder, type] of Object.entries(OFFICE)) if (head.includes(folder)) return type;
    }
  }
  return null;
}

/** Checks an upload: not empty, within the cap, and of a known type read from its bytes. */
export function acceptUpload(bytes: Buffer, maxBytes: number, what: string): Sniffed {
  if (bytes.length === 0) throw new AppError('UPLOAD_INVALID', `the ${what} is empty`);
  if (bytes.length > maxBytes) throw new AppError('UPLOAD_TOO_LARGE', `the ${what} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
  const type = sniff(bytes);
  if (!type) throw new AppError('UPLOAD_INVALID', `the ${what} is not a PDF, JPEG, PNG, WebP or Office (DOCX/XLSX/PPTX) file (its content was checked, not its name)`);
  return type;
}

/** A file name safe for a Content-Disposition header and a log line. */
export function safeFilename(name: string | undefined, fallback: string): string {
  const cleaned = (name ?? '').normalize('NFKD').replace(/[^A-Za-z0-9._ -]+/g, '').trim().slice(0, 120);
  return cleaned === '' ? fallback : cleaned;
}
