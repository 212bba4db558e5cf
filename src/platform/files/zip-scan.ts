/**
 * Checks an XLSX (a zip of XML parts) against its limits before exceljs sees it:
 * exceljs inflates every part into memory and expands each merged range and data
 * validation into one entry per cell, so a 2 KB file with
 * `<mergeCell ref="A2:XFD1048576"/>` or a 4 MB part that inflates to 4 GB takes
 * the process down. Here the central directory is read first (sizes declared),
 * then every entry is inflated as a stream with a byte counter that stops at what
 * it declared and at the budget, and the sheet XML is scanned as it streams for
 * rows, cells, columns, merged ranges, data validations and shared strings.
 * Nothing inflated is kept. Hand-written on node:zlib: no zip reader that counts
 * as it inflates is among our dependencies (exceljs's JSZip inflates whole parts).
 */
import { createInflateRaw } from 'node:zlib';
import { AppError } from '../../core/errors.ts';
import { limitExceeded, unpackedTooLarge, type SheetLimits } from './limits.ts';

export interface SheetScan { entry: string; rows: number; cells: number; maxColumn: number; expandedCells: number }
export interface XlsxScan { entries: number; uncompressedBytes: number; sheets: SheetScan[]; sharedStrings: number }

/** The format's own bound: 16,384 columns (XFD). */
const XLSX_MAX_COLUMNS = 16_384;

interface Entry { name: string; method: number; compressed: number; declared: number; dataStart: number }

const unprocessable = (why: string) => new AppError('IMPORT_FILE_UNPROCESSABLE', `the XLSX cannot be read safely: ${why}`);
const notXlsx = (why: string) => new AppError('IMPORT_FILE_INVALID', `the file is not a readable XLSX workbook: ${why}`);

/** The entries as the central directory lists them, with where each one's data starts. */
export function readCentralDirectory(bytes: Uint8Array, limits: SheetLimits): Entry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  let eocd = -1;
  // the end record is 22 bytes plus a comment of at most 65,535
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65_535); at--) {
    if (u32(at) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw notXlsx('no zip directory at its end (damaged or cut short)');
  const count = u16(eocd + 10);
  const size = u32(eocd + 12);
  const offset = u32(eocd + 16);
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0 || count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw unprocessable('a multi-part or ZIP64 archive; save it again from Excel');
  if (count > limits.maxZipEntries) throw limitExceeded('maxZipEntries', limits.maxZipEntries, count, 'the XLSX has more parts than allowed');
  if (offset + size > eocd) throw notXlsx('its directory points outside the file');
  const entries: Entry[] = [];
  let at = offset;
  let declaredTotal = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || u32(at) !== 0x02014b50) throw notXlsx('its directory is damaged');
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const compressed = u32(at + 20);
    const declared = u32(at + 24);
    const nameLength = u16(at + 28);
    const next = at + 46 + nameLength + u16(at + 30) + u16(at + 32);
    const local = u32(at + 42);
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + at + 46, nameLength).toString('utf8');
    if (flags & 1) throw unprocessable(`part ${name} is encrypted`);
    if (method !== 0 && method !== 8) throw unprocessable(`part ${name} uses compression method ${method} (only stored and deflate are read)`);
    if (compressed === 0xffffffff || declared === 0xffffffff || local === 0xffffffff) throw unprocessable('a ZIP64 archive; save it again from Excel');
    if (local + 30 > offset || u32(local) !== 0x04034b50) throw notXlsx(`part ${name} is not where the directory says`);
    const dataStart = local + 30 + u16(local + 26) + u16(local + 28);
    if (dataStart + compressed > offset) throw notXlsx(`part ${name} runs past the end of the data`);
    if (method === 0 && compressed !== declared) throw unprocessable(`stored part ${name} declares ${declared} bytes but holds ${compressed}`);
    declaredTotal += declared;
    // what the directory declares is refused before anything is inflated
    if (declaredTotal > limits.maxUncompressedBytes) throw unpackedTooLarge(limits.maxUncompressedBytes, `the file declares ${declaredTotal.toLocaleString('en-US')} bytes once unzipped; at most`);
    entries.push({ name, method, compressed, declared, dataStart });
    at = next;
  }
  return entries;
}

/** A1-style column letters → 1-based column number. */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

const REF = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?$/;
/** The cells a range such as A2:XFD1048576 covers (a single cell: 1); null when it is not a range. */
export function rangeArea(ref: string): { rows: number; columns: number; lastRow: number; lastColumn: number } | null {
  const m = REF.exec(ref);
  if (!m) return null;
  const c1 = columnNumber(m[1]!);
  const r1 = Number(m[2]);
  const c2 = m[3] ? columnNumber(m[3]) : c1;
  const r2 = m[4] ? Number(m[4]) : r1;
  return { rows: Math.abs(r2 - r1) + 1, columns: Math.abs(c2 - c1) + 1, lastRow: Math.max(r1, r2), lastColumn: Math.max(c1, c2) };
}

/**
 * The tags that cost exceljs memory, found in XML as it streams in. A tag split
 * across two chunks is found on the next one (the last 4 KB are kept); a tag
 * longer than that is missed, and the worker's heap and time limits are the
 * backstop for it.
 */
const TAG = /<(?:[A-Za-z_][\w.-]*:)?(row|c|mergeCell|dataValidation|col|si)(?=[\s>/])([^<>]{0,2048})>/g;
const ATTR = (name: string) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`);
const R_ATTR = ATTR('r');
const REF_ATTR = ATTR('ref');
const SQREF_ATTR = ATTR('sqref');
const MAX_ATTR = ATTR('max');

class TagScanner {
  private tail = '';
  private tailStart = 0;
  private seenUpTo = 0;
  private readonly onTag: (name: string, attrs: string) => void;
  constructor(onTag: (name: string, attrs: string) => void) {
    this.onTag = onTag;
  }

  feed(chunk: Buffer): void {
    const text = this.tail + chunk.toString('latin1');
    const base = this.tailStart;
    TAG.lastIndex = 0;
    for (let m = TAG.exec(text); m !== null; m = TAG.exec(text)) {
      const at = base + m.index;
      if (at < this.seenUpTo) continue; // found in the kept tail last time
      this.seenUpTo = at + 1;
      this.onTag(m[1]!, m[2]!);
    }
    const keep = Math.min(4096, text.length);
    this.tail = text.slice(text.length - keep);
    this.tailStart = base + text.length - keep;
  }
}

function sheetScanner(entry: string, limits: SheetLimits): { scan: SheetScan; scanner: TagScanner } {
  const scan: SheetScan = { entry, rows: 0, cells: 0, maxColumn: 0, expandedCells: 0 };
  const expand = (ref: string, what: string) => {
    for (const part of ref.trim().split(/\s+/)) {
      const area = rangeArea(part);
      if (!area) continue;
      const cells = area.rows * area.columns;
      if (area.lastColumn > limits.maxColumns || cells > limits.maxExpandedCells) {
        throw limitExceeded('maxExpandedCells', limits.maxExpandedCells, cells, `${what} ${part} is larger than a sheet may be (${limits.maxColumns} columns, ${limits.maxExpandedCells.toLocaleString('en-US')} merged cells); cells covered`);
      }
      scan.expandedCells += cells;
      if (scan.expandedCells > limits.maxExpandedCells) throw limitExceeded('maxExpandedCells', limits.maxExpandedCells, scan.expandedCells, `merged ranges and data validations cover too many cells (last: ${what} ${part}); cells covered`);
    }
  };
  const scanner = new TagScanner((name, attrs) => {
    if (name === 'row') {
      if (++scan.rows > limits.maxRows) throw limitExceeded('maxRows', limits.maxRows, null, 'the sheet has too many rows');
    } else if (name === 'c') {
      if (++scan.cells > limits.maxCells) throw limitExceeded('maxCells', limits.maxCells, null, 'the sheet has too many cells');
      const r = R_ATTR.exec(attrs)?.[1];
      const letters = r ? /^\$?([A-Za-z]{1,3})/.exec(r)?.[1] : undefined;
      if (letters) {
        const column = columnNumber(letters);
        scan.maxColumn = Math.max(scan.maxColumn, column);
        if (column > limits.maxColumns) throw limitExceeded('maxColumns', limits.maxColumns, column, `the sheet has a cell in column ${letters.toUpperCase()}; columns`);
      }
    } else if (name === 'mergeCell') {
      expand(REF_ATTR.exec(attrs)?.[1] ?? '', 'the merged range');
    } else if (name === 'dataValidation') {
      expand(SQREF_ATTR.exec(attrs)?.[1] ?? '', 'the data validation');
    } else if (name === 'col') {
      // exceljs makes one object per column from min to max: the format stops at 16,384
      const max = Number(MAX_ATTR.exec(attrs)?.[1] ?? 0);
      if (max > XLSX_MAX_COLUMNS) throw unprocessable(`a column definition reaches column ${max}, past the format's ${XLSX_MAX_COLUMNS}`);
    }
  });
  return { scan, scanner };
}

/** Inflates one entry as a stream, handing each chunk on; stops at `max` bytes (returns more than `max` then). */
async function inflateCounting(data: Uint8Array, max: number, onChunk: (chunk: Buffer) => void): Promise<number> {
  const inflate = createInflateRaw({ chunkSize: 64 * 1024 });
  inflate.end(data);
  let out = 0;
  for await (const chunk of inflate as AsyncIterable<Buffer>) {
    out += chunk.length;
    if (out > max) return out; // leaving the loop destroys the stream: nothing more is inflated
    onChunk(chunk);
  }
  return out;
}

/** Reads the whole zip within the limits (see the file's comment); throws the limit's AppError. */
export async function scanXlsx(bytes: Uint8Array, limits: SheetLimits): Promise<XlsxScan> {
  const entries = readCentralDirectory(bytes, limits);
  const result: XlsxScan = { entries: entries.length, uncompressedBytes: 0, sheets: [], sharedStrings: 0 };
  for (const entry of entries) {
    const data = bytes.subarray(entry.dataStart, entry.dataStart + entry.compressed);
    const isSheet = /^xl\/worksheets\/[^/]+\.xml$/i.test(entry.name);
    const isStrings = /^xl\/sharedStrings\.xml$/i.test(entry.name);
    let scanner: TagScanner | null = null;
    if (isSheet) {
      const s = sheetScanner(entry.name, limits);
      result.sheets.push(s.scan);
      scanner = s.scanner;
    } else if (isStrings) {
      scanner = new TagScanner((name) => {
        if (name === 'si' && ++result.sharedStrings > limits.maxSharedStrings) throw limitExceeded('maxSharedStrings', limits.maxSharedStrings, null, 'the shared strings table has too many entries');
      });
    }
    const budget = limits.maxUncompressedBytes - result.uncompressedBytes;
    let size: number;
    if (entry.method === 0) {
      size = data.length;
      scanner?.feed(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    } else {
      try {
        size = await inflateCounting(data, Math.min(entry.declared, budget), (chunk) => scanner?.feed(chunk));
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw notXlsx(`part ${entry.name} is damaged (${(error as Error).message})`);
      }
      if (size > budget) throw unpackedTooLarge(limits.maxUncompressedBytes);
      if (size > entry.declared) throw unprocessable(`part ${entry.name} declares ${entry.declared.toLocaleString('en-US')} bytes and unzips to more`);
    }
    result.uncompressedBytes += size;
  }
  return result;
}
