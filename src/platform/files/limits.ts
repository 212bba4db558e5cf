/**
 * The limits a user's file (CSV, XLSX) is read within. They are checked while
 * reading, so a file that breaks one is refused after reading only as much of it
 * as it takes to know, never after building what it describes in memory.
 */
import { AppError } from '../../core/errors.ts';

export interface SheetLimits {
  /** rows of data (a CSV line, an XLSX `<row>`) */
  maxRows: number;
  /** columns of one row; exceljs walks every column up to the last one of a row */
  maxColumns: number;
  /** cells of a sheet (`<c>` elements): exceljs holds an object of a few hundred bytes for each */
  maxCells: number;
  /** cells covered by merged ranges and data validations: exceljs expands both into one entry per cell */
  maxExpandedCells: number;
  /** entries of the shared strings table (`<si>`) */
  maxSharedStrings: number;
  /** bytes once unzipped, all entries together (counted while inflating: a bomb is stopped, not inflated) */
  maxUncompressedBytes: number;
  /** entries of the zip */
  maxZipEntries: number;
  /** characters of one CSV record (csv-parse refuses longer ones before buffering further) */
  maxRecordChars: number;
}

/** Enough for the RKPD of a kabupaten (a few thousand sub kegiatan rows, 15 columns) many times over. */
export const DEFAULT_SHEET_LIMITS: SheetLimits = {
  maxRows: 20_000,
  maxColumns: 100,
  maxCells: 400_000,
  maxExpandedCells: 200_000,
  maxSharedStrings: 400_000,
  maxUncompressedBytes: 64 * 1024 * 1024,
  maxZipEntries: 2_000,
  maxRecordChars: 1_000_000,
};

const fmt = (n: number) => n.toLocaleString('en-US');
const MB = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/** 422: the file says more than a limit allows (rows, columns, merged cells …); `actual` may be a lower bound ("more than"). */
export function limitExceeded(limit: keyof SheetLimits | 'seconds', max: number, actual: number | null, what: string): AppError {
  const found = actual === null ? `more than ${fmt(max)}` : fmt(actual);
  return new AppError('IMPORT_LIMIT_EXCEEDED', `${what}: ${found}, at most ${fmt(max)}`, { limit, max, ...(actual !== null && { actual }) });
}

/** 413: the file is larger than allowed once unzipped (or needs more memory than its reader is given). */
export function unpackedTooLarge(max: number, what = 'the file unzips to more than'): AppError {
  return new AppError('IMPORT_FILE_TOO_LARGE', `${what} ${MB(max)} (the limit)`, { limit: 'maxUncompressedBytes', max });
}
