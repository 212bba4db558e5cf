/**
 * Reading RKPD / Renja / Renstra / RPJMD rows from CSV or XLSX as SIPD exports
 * them: a title block above the header, merged header cells (two header rows),
 * blank and column-number rows, codes in the Permendagri 90/2019 nomenclature
 * and budgets in Indonesian number format.
 */
import { createHash } from 'node:crypto';
import type { CellValue } from 'exceljs';
import { AppError } from '../../../core/errors.ts';
import { textProblem } from '../../../core/input.ts';
import { DEFAULT_SHEET_LIMITS, parserTask, readCsvRows, scanXlsx, type SheetLimits } from '../../../platform/files/index.ts';

export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

export type Level = 'program' | 'kegiatan' | 'sub_kegiatan';
type Cell = string | number | null;
/** One line of the sheet with its row number as the spreadsheet shows it (1-based). */
interface SheetRow { row: number; cells: Cell[] }

const FIELDS = ['code', 'name', 'indicator', 'target', 'unit', 'budget', 'opd', 'year', 'location'] as const;
type Field = (typeof FIELDS)[number];

export interface ImportedRow {
  row: number;
  code: string;
  level: Level;
  name: string;
  indicator: string;
  target: string;
  unit: string;
  budget: number;
  /** the OPD as written in the file (code or name); resolved by the service */
  opd: string | null;
  year: number | null;
  location: string;
}

interface ParsedSheet {
  format: 'csv' | 'xlsx'; headerRow: number; columns: Partial<Record<Field, number>>; rows: ImportedRow[]; errors: { row: number; reason: string }[];
  /** heading rows read but not imported: urusan (U) and bidang urusan (U.BB), OPD group rows */
  headings: number;
}

// ---------- file reading ----------

function sniffFormat(bytes: Buffer, filename = ''): 'xlsx' | 'csv' {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    throw new AppError('IMPORT_FILE_INVALID', 'this is an old Excel 97-2003 (.xls) file: save it as .xlsx or CSV and send it again');
  }
  const head = bytes.subarray(0, Math.min(bytes.length, 8192));
  if (head.includes(0)) throw new AppError('IMPORT_FILE_INVALID', `${filename || 'the file'} is not a spreadsheet: send CSV or XLSX`);
  return 'csv';
}

/** Rows of a CSV within the limits (platform/files/csv-read.ts); blank cells are null. */
function readCsv(bytes: Uint8Array, limits: Partial<SheetLimits> = {}): SheetRow[] {
  return readCsvRows(bytes, { relaxQuotes: true, skipEmptyLines: false, invalid: 'IMPORT_FILE_INVALID', limits }).map(({ line, cells }) => ({ row: line, cells: cells.map((c) => (c.trim() === '' ? null : c)) }));
}

function cellValue(v: CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('') || null;
    if ('result' in v) return cellValue((v as { result?: CellValue }).result ?? null);
    if ('text' in v) return String((v as { text: unknown }).text);
    if ('error' in v) return null;
  }
  return String(v);
}

async function readXlsx(bytes: Uint8Array, limits: Partial<SheetLimits> = {}): Promise<SheetRow[]> {
  // The zip's sizes, rows, cells, merged ranges and shared strings are checked before exceljs
  // builds any of them (it expands every merged range into cells).
  await scanXlsx(bytes, { ...DEFAULT_SHEET_LIMITS, ...limits });
  // Loaded here, on the parser worker, on the first spreadsheet: ~13 MB the server does not hold otherwise.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's typings take an ArrayBuffer (its zip reader takes one as it takes a Buffer): the file's bytes, copied out of the view
    await workbook.xlsx.load(bytes.slice().buffer);
  } catch (error) {
    throw new AppError('IMPORT_FILE_INVALID', `the file is not a readable XLSX workbook: ${(error as Error).message}`);
  }
  // The first sheet that has a header row; SIPD puts the table on the first.
  for (const sheet of workbook.worksheets) {
    const rows: SheetRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: Cell[] = [];
      // Merged cells: exceljs gives every cell of the range the master's value.
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        cells[col - 1] = cellValue(cell.value);
      });
      for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
      rows.push({ row: rowNumber, cells });
    });
    if (findHeader(rows)) return rows;
  }
  return [];
}

async function readSheet(bytes: Uint8Array, filename = '', limits: Partial<SheetLimits> = {}): Promise<{ format: 'csv' | 'xlsx'; rows: SheetRow[] }> {
  if (bytes.length === 0) throw new AppError('IMPORT_FILE_INVALID', 'the file is empty');
  const format = sniffFormat(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), filename);
  return { format, rows: format === 'xlsx' ? await readXlsx(bytes, limits) : readCsv(bytes, limits) };
}

// ---------- header ----------

const norm = (s: Cell): string => (s === null ? '' : String(s)).toLowerCase().replace(/[\s_\-/().:]+/g, ' ').trim();

/** Which field a header text names; the order matters ("indikator program" is an indicator, "kode opd" the OPD). */
export function fieldOf(header: string): Field | null {
  const h = norm(header);
  if (h === '' || /^no\b|^nomor$|^\d+$/.test(h)) return null;
  if (/sumber dana|keterangan|catatan|prioritas|realisasi/.test(h)) return null;
  if (/satuan/.test(h)) return 'unit';
  if (/\btarget\b|\bvolume\b/.test(h)) return 'target';
  if (/pagu|anggaran|alokasi|\bdana\b|nilai|biaya|\brp\b/.test(h)) return 'budget';
  if (/perangkat daerah|\bopd\b|\bskpd\b|unit kerja|\bpd\b|instansi|dinas pelaksana/.test(h)) return 'opd';
  if (/^tahun|\btahun anggaran\b|^ta$/.test(h)) return 'year';
  if (/lokasi|kecamatan|desa/.test(h)) return 'location';
  if (/indikator|tolok ukur|kinerja|keluaran|output/.test(h)) return 'indicator';
  if (/\bkode\b|kode rekening|nomenklatur/.test(h)) return 'code';
  if (/program|kegiatan|uraian|\bnama\b|urusan/.test(h)) return 'name';
  return null;
}

function mapColumns(texts: string[]): Partial<Record<Field, number>> {
  const columns: Partial<Record<Field, number>> = {};
  texts.forEach((t, i) => {
    const f = fieldOf(t);
    if (f && columns[f] === undefined) columns[f] = i;
  });
  return columns;
}

const looksLikeCode = (c: Cell) => typeof c === 'string' && /^\s*[\dX]\.[\dX]{2}(\.|\s*$)/i.test(c);

/**
 * The header: the first row naming at least a code and a name column. When
 * the next row is a second header line (cells under a merged "Indikator
 * Kinerja" such as "Tolok Ukur | Target | Satuan"), both lines are read together.
 */
interface Header { index: number; lines: number; columns: Partial<Record<Field, number>>; codeParts: number[] }

function findHeader(rows: SheetRow[]): Header | null {
  for (let i = 0; i < Math.min(rows.length, 60); i++) {
    const texts = rows[i]!.cells.map((c) => (c === null ? '' : String(c)));
    const one = mapColumns(texts);
    if (one.code === undefined || one.name === undefined) continue;
    // SIPD sometimes splits the code over adjacent columns (urusan | bidang | program | kegiatan | sub kegiatan)
    const codeParts = [one.code];
    while (codeParts.length < 6 && fieldOf(texts[codeParts[codeParts.length - 1]! + 1] ?? '') === 'code') codeParts.push(codeParts[codeParts.length - 1]! + 1);
    const split = codeParts.length > 1;
    const next = rows[i + 1];
    // a second header line says nothing of its own under "Kode" (empty, the merged cell's same text, or the part names of a split code)
    const underCode = next?.cells[one.code] ?? null;
    const secondLine =
      next && next.row === rows[i]!.row + 1 && (underCode === null || String(underCode) === texts[one.code] || (split && typeof underCode === 'string' && !/\d/.test(underCode)));
    if (secondLine && !next.cells.some(looksLikeCode) && next.cells.some((c) => typeof c === 'string' && fieldOf(c) !== null)) {
      const width = Math.max(texts.length, next.cells.length);
      const combined: string[] = [];
      for (let c = 0; c < width; c++) {
        const top = texts[c] ?? '';
        const bottom = next.cells[c] === null || next.cells[c] === undefined ? '' : String(next.cells[c]);
        // The bottom line names the column when it says something; the merged top cell otherwise (always for code parts).
        combined.push(!codeParts.includes(c) && bottom !== '' && bottom !== top && fieldOf(bottom) !== null ? bottom : top);
      }
      const two = mapColumns(combined);
      if (two.code !== undefined && two.name !== undefined) return { index: i, lines: 2, columns: two, codeParts };
    }
    return { index: i, lines: 1, columns: one, codeParts };
  }
  return null;
}

const PART_WIDTH = [1, 2, 2, 1, 2, 4];
/** The parts of a split code joined: number cells padded to their width (Excel drops the leading zeros). */
function joinCode(parts: Cell[]): Cell {
  const out: string[] = [];
  for (let k = 0; k < parts.length; k++) {
    const v = parts[k];
    if (v === null || v === undefined || String(v).trim() === '') break;
    // the width of the segment this part starts (a "Kegiatan" column may hold L.KK, two segments)
    const segment = out.length === 0 ? 0 : out.join('.').split('.').length;
    out.push(typeof v === 'number' && Number.isInteger(v) ? String(v).padStart(PART_WIDTH[segment] ?? 1, '0') : String(v).trim());
  }
  return out.length ? out.join('.') : null;
}

// ---------- values ----------

/** Urusan "1" and bidang urusan "1.02": headings above the programs. */
const HEADING = /^[\dX](\.[\dX]{2})?$/i;
/** An SKPD unit code as SIPD prints it on an OPD's group row, e.g. 1.02.0.00.0.00.01.0000 */
const UNIT = /^[\dX]\.[\dX]{2}\.\d\.\d{2}\.\d\.\d{2}\.\d{2}\.\d{4}$/i;
const CODE = /^([\dX])\.([\dX]{2})\.(\d{2})(?:\.(\d)\.(\d{2})(?:\.(\d{4}|\d{2}))?)?$/i;

/** A Permendagri 90/2019 code and its level: U.BB.PP program, U.BB.PP.L.KK kegiatan, U.BB.PP.L.KK.SSSS sub kegiatan (older: SS). */
export function parseCode(raw: Cell): { code: string; level: Level } | { error: string } {
  const text = raw === null ? '' : String(raw).replace(/\s+/g, '').replace(/\.$/, '');
  if (text === '') return { error: 'the code is empty' };
  const m = CODE.exec(text);
  if (!m) return { error: `code "${String(raw).trim()}" does not fit the Permendagri 90/2019 nomenclature U.BB.PP[.L.KK[.SSSS]] (e.g. 2.16.03.2.02.0014)` };
  const level: Level = m[6] !== undefined ? 'sub_kegiatan' : m[4] !== undefined ? 'kegiatan' : 'program';
  return { code: text.toUpperCase(), level };
}

const SCALE: [RegExp, number][] = [
  [/^(t|triliun|trilyun)$/, 1e12],
  [/^(m|miliar|milyar|mlyr)$/, 1e9],
  [/^(jt|juta)$/, 1e6],
  [/^(rb|ribu)$/, 1e3],
];

/** An Indonesian number: "1.250.000" (dots group thousands), "1.250.000,50" (comma decimal), "1250000". */
function indonesianNumber(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(text)) return Number(text.replace(/\./g, '').replace(',', '.'));
  if (/^\d+,\d{1,2}$/.test(text)) return Number(text.replace(',', '.'));
  // "1,250,000,000": several comma groups can only be thousands (one decimal comma at most)
  if (/^\d{1,3}(,\d{3}){2,}(\.\d{1,2})?$/.test(text)) return Number(text.replace(/,/g, ''));
  return null;
}

/**
 * A budget in rupiah: "Rp 1.250.000.000,00" = 1250000000; "1.250.000.000",
 * "1250000000", a number cell, "Rp1,25 M" (miliar). What could be read two
 * ways ("1,250" or "1.25 M") is an error, not a guess.
 */
export function parseRupiah(raw: Cell): { value: number } | { error: string } {
  if (raw === null) return { value: 0 };
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 0) return { error: `budget ${raw} is not a positive amount` };
    return { value: Math.round(raw) };
  }
  const original = raw.trim();
  let text = original.toLowerCase().replace(/\u00a0/g, ' ').replace(/^(rp\.?|idr)\s*/, '').trim();
  if (text === '' || text === '-') return { value: 0 };
  let scale = 1;
  const suffix = /^([\d.,]+)\s*([a-z]+)\.?$/.exec(text);
  if (suffix) {
    const found = SCALE.find(([re]) => re.test(suffix[2]!));
    if (!found) return { error: `budget "${original}" has an unknown unit "${suffix[2]}"` };
    scale = found[1];
    text = suffix[1]!;
  }
  text = text.replace(/\s+/g, '');
  if (text.startsWith('-')) return { error: `budget "${original}" is negative` };
  const n = indonesianNumber(text);
  if (n === null) return { error: `budget "${original}" is not a number in Indonesian format (e.g. Rp 1.250.000.000,00)` };
  const value = n * scale;
  if (scale > 1 && Math.abs(value - Math.round(value)) > 1e-6) return { error: `budget "${original}" is not a whole rupiah amount` };
  if (!Number.isSafeInteger(Math.round(value))) return { error: `budget "${original}" is too large` };
  return { value: Math.round(value) };
}

function parseYear(raw: Cell): number | null | 'bad' {
  if (raw === null) return null;
  const n = typeof raw === 'number' ? raw : /^\s*\d{4}\s*$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= 2000 && n <= 2100 ? n : 'bad';
}

const text = (c: Cell | undefined): string => (c === null || c === undefined ? '' : typeof c === 'number' ? String(c) : c.replace(/\s+/g, ' ').trim());

/** The rows of a sheet as programs, with the errors per spreadsheet row number. */
function rowsToPrograms(rows: SheetRow[], format: 'csv' | 'xlsx'): ParsedSheet {
  const header = findHeader(rows);
  if (!header) throw new AppError('IMPORT_FILE_INVALID', 'no header row found: the sheet needs at least a "Kode" and a "Program/Kegiatan/Sub Kegiatan" (or "Uraian") column');
  const { columns } = header;
  const headerRow = rows[header.index]!.row;
  const out: ImportedRow[] = [];
  const errors: { row: number; reason: string }[] = [];
  const at = (r: SheetRow, f: Field): Cell => (columns[f] === undefined ? null : r.cells[columns[f]!] ?? null);
  let headings = 0;
  /** the OPD of the group row above, when the sheet has no OPD column */
  let groupOpd: string | null = null;
  for (const r of rows.slice(header.index + header.lines)) {
    if (r.cells.every((c) => c === null)) continue; // blank row
    // The platform's input rule (core/input.ts) per row: a cell PostgreSQL cannot store refuses its row on both databases.
    const unstorable = r.cells.map((c) => (typeof c === 'string' ? textProblem(c) : null)).find((problem) => problem !== null);
    if (unstorable) {
      errors.push({ row: r.row, reason: `a cell ${unstorable}` });
      continue;
    }
    // the column-number line under SIPD headers: "1 2 3 4 …"
    if (r.cells.every((c) => c === null || (/^\(?\d{1,2}\)?$/.test(String(c).trim())))) continue;
    const rawCode = header.codeParts.length > 1 ? joinCode(header.codeParts.map((c) => r.cells[c] ?? null)) : at(r, 'code');
    const name = text(at(r, 'name'));
    if (rawCode === null && (/^(jumlah|total|sub ?total)\b/i.test(name) || name === '')) continue; // sums, group labels
    const compact = rawCode === null ? '' : String(rawCode).replace(/\s+/g, '').replace(/\.$/, '');
    if (HEADING.test(compact)) {
      headings++;
      continue;
    }
    if (UNIT.test(compact)) {
      headings++;
      if (columns.opd === undefined) groupOpd = name || null;
      continue;
    }
    const code = parseCode(rawCode);
    if ('error' in code) {
      errors.push({ row: r.row, reason: code.error });
      continue;
    }
    if (name === '') {
      errors.push({ row: r.row, reason: `code ${code.code} has no name` });
      continue;
    }
    const budget = parseRupiah(at(r, 'budget'));
    if ('error' in budget) {
      errors.push({ row: r.row, reason: budget.error });
      continue;
    }
    const year = parseYear(at(r, 'year'));
    if (year === 'bad') {
      errors.push({ row: r.row, reason: `year "${text(at(r, 'year'))}" is not a year` });
      continue;
    }
    out.push({
      row: r.row,
      code: code.code,
      level: code.level,
      name: name.slice(0, 1000),
      indicator: text(at(r, 'indicator')).slice(0, 2000),
      target: text(at(r, 'target')).slice(0, 200),
      unit: text(at(r, 'unit')).slice(0, 100),
      budget: budget.value,
      opd: text(at(r, 'opd')) || groupOpd,
      year,
      location: text(at(r, 'location')).slice(0, 500),
    });
  }
  return { format, headerRow, columns, rows: out, errors, headings };
}

/**
 * An RKPD of a kabupaten has a few thousand rows; a province's Renstra can have
 * tens of thousands. 50,000 rows of 10 cells read in ~150 MB of the worker's heap
 * (exceljs); a file that needs more is refused for memory (413).
 */
const PROGRAM_FILE_LIMITS: Partial<SheetLimits> = { maxRows: 50_000, maxCells: 600_000 };

export async function parseProgramFile(bytes: Uint8Array, filename = '', limits: Partial<SheetLimits> = PROGRAM_FILE_LIMITS): Promise<ParsedSheet> {
  const { format, rows } = await readSheet(bytes, filename, limits);
  return rowsToPrograms(rows, format);
}

interface ProgramFileOptions { filename: string; limits?: Partial<SheetLimits> }
/** The entry of the parser worker (platform/files/parser-pool.ts). */
export function parseProgramUpload(bytes: Uint8Array, options: ProgramFileOptions): Promise<ParsedSheet> {
  return parseProgramFile(bytes, options.filename, options.limits);
}
/** An RKPD/Renja/… file read on the parser worker: `parsers.run(programFileTask, bytes, { filename })`. */
export const programFileTask = parserTask<ProgramFileOptions, ParsedSheet>(new URL(import.meta.url), 'parseProgramUpload');

/** The hash of what the file says about a row: re-importing an unchanged row changes nothing. */
export function rowHash(r: { level: string; name: string; indicator: string; target: string; unit: string; budget: number; location: string }): string {
  return createHash('sha256').update(JSON.stringify([r.level, r.name, r.indicator, r.target, r.unit, r.budget, r.location])).digest('hex').slice(0, 32);
}

export function naturalKey(document: string, year: number, code: string, opdId: string | null): string {
  return `${document}|${year}|${code}|${opdId ?? ''}`;
}
