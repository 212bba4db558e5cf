/**
 * CSV rows read within limits: csv-parse stops after one record more than the
 * limit (`to`), refuses a record longer than `maxRecordChars` before buffering
 * further, and a row wider than `maxColumns` is refused. Meant to run on the
 * file parser worker (parser-pool.ts), like every parser of a user's file.
 */
import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse/sync';
import { AppError, type ErrorCode } from '../../core/errors.ts';
import { DEFAULT_SHEET_LIMITS, limitExceeded, type SheetLimits } from './limits.ts';

export interface CsvRow {
  /** the line of the file the record ends on (1-based), as a spreadsheet shows it */
  line: number;
  cells: string[];
}

export interface CsvOptions {
  /** a fixed delimiter; unset: the most frequent of ; , tab | in the first 40 lines */
  delimiter?: string;
  trim?: boolean;
  skipEmptyLines?: boolean;
  relaxQuotes?: boolean;
  /** the code of the error when the CSV cannot be read at all (each import names its own) */
  invalid?: ErrorCode;
  limits?: Partial<SheetLimits>;
}

export function sniffDelimiter(text: string): string {
  const sample = text.slice(0, 64 * 1024).split(/\r?\n/).slice(0, 40).join('\n');
  const count = (ch: string) => sample.split(ch).length - 1;
  return [';', ',', '\t', '|'].sort((a, b) => count(b) - count(a))[0]!;
}

/** Lines of a text (a fast count for the message of a file over the row limit). */
function countLines(text: string | Buffer): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return text.length > 0 && text[text.length - 1] !== '\n' && text[text.length - 1] !== 10 ? n + 1 : n;
}

/**
 * What csv-parse reads: UTF-8 bytes as they are (no 20 MB string beside them; the BOM
 * dropped), or the text of a file that is not UTF-8, read as Windows-1252 (as Excel on
 * Windows saves CSV).
 */
function csvInput(input: Uint8Array | string): Buffer | string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (!isUtf8(bytes)) return bytes.toString('latin1');
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

/** The first line is a row like the others (the header, when there is one): at most `maxRows` + 1 rows are returned. */
export function readCsvRows(input: Uint8Array | string, options: CsvOptions = {}): CsvRow[] {
  const limits = { ...DEFAULT_SHEET_LIMITS, ...options.limits };
  const text = csvInput(input);
  // Far more lines than rows allowed (a cell may hold a line break, so twice the limit): refused before a record is built.
  const lines = countLines(text);
  if (lines - 1 > 2 * limits.maxRows) throw limitExceeded('maxRows', limits.maxRows, lines - 1, 'the CSV has too many rows (lines after the first)');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter: options.delimiter ?? sniffDelimiter(typeof text === 'string' ? text : text.subarray(0, 64 * 1024).toString('utf8')),
      relax_column_count: true,
      relax_quotes: options.relaxQuotes ?? false,
      skip_empty_lines: options.skipEmptyLines ?? true,
      trim: options.trim ?? false,
      info: true,
      to: limits.maxRows + 2,
      max_record_size: limits.maxRecordChars,
    }) as unknown as typeof records; // with `info`, each record comes with its info (the typings do not say so)
  } catch (error) {
    if ((error as { code?: string }).code === 'CSV_MAX_RECORD_SIZE') throw limitExceeded('maxRecordChars', limits.maxRecordChars, null, 'a line of the CSV is too long; characters');
    throw new AppError(options.invalid ?? 'CSV_INVALID', `the CSV cannot be read: ${(error as Error).message}`);
  }
  if (records.length > limits.maxRows + 1) throw limitExceeded('maxRows', limits.maxRows, lines - 1, 'the CSV has too many rows (lines after the first)');
  const rows: CsvRow[] = [];
  for (const { record, info } of records) {
    if (record.length > limits.maxColumns) throw limitExceeded('maxColumns', limits.maxColumns, record.length, `line ${info.lines} of the CSV has too many columns`);
    rows.push({ line: info.lines, cells: record });
  }
  return rows;
}

/** Header + records as objects keyed by the header's names (normalised by `key`); `line` is the record's line in the file. */
export function csvObjects(rows: CsvRow[], key: (header: string) => string): { line: number; record: Record<string, string> }[] {
  const [head, ...rest] = rows;
  if (!head) return [];
  const names = head.cells.map(key);
  return rest.map(({ line, cells }) => {
    const record: Record<string, string> = {};
    names.forEach((name, i) => {
      if (cells[i] !== undefined) record[name] = cells[i]!;
    });
    return { line, record };
  });
}
