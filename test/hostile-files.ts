/**
 * Hostile files, built small and fast, for the upload tests and
 * `npm run bench:hostile`: a 2 KB XLSX with one huge merged range, a zip part that
 * inflates to gigabytes of zeros, a million-row XLSX and CSV, a PNG that declares
 * 100,000 × 100,000 pixels.
 */
import { constants, crc32, deflateRawSync, deflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

/** A valid one-sheet workbook (header Kode | Program) as a JSZip, to change a part of. */
async function template(): Promise<JSZip> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('RKPD');
  sheet.addRow(['Kode', 'Program']);
  sheet.addRow(['2.16.03', 'Program Pengelolaan Aplikasi Informatika']);
  return JSZip.loadAsync(await workbook.xlsx.writeBuffer());
}

/** An XLSX of about 2 KB whose sheet merges `ref` (default A2:XFD1048576: 17 billion cells). */
export async function mergeBombXlsx(ref = 'A2:XFD1048576'): Promise<Buffer> {
  const zip = await template();
  const sheet = (await zip.file('xl/worksheets/sheet1.xml')!.async('string')).replace('</sheetData>', `</sheetData><mergeCells count="1"><mergeCell ref="${ref}"/></mergeCells>`);
  zip.file('xl/worksheets/sheet1.xml', sheet);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/** An XLSX whose sheet has `rows` rows (one code and one name each): about 1 MB deflated per 100,000 rows. */
export async function manyRowsXlsx(rows: number): Promise<Buffer> {
  const zip = await template();
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'];
  parts.push('<row r="1"><c r="A1" t="inlineStr"><is><t>Kode</t></is></c><c r="B1" t="inlineStr"><is><t>Program</t></is></c></row>');
  for (let r = 2; r <= rows + 1; r++) parts.push(`<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>2.16.03</t></is></c><c r="B${r}"><v>${r}</v></c></row>`);
  parts.push('</sheetData></worksheet>');
  zip.file('xl/worksheets/sheet1.xml', parts.join(''));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

/**
 * Raw deflate of `bytes` zeros, made without deflating them: one 16 MB block of
 * zeros deflated once (ending on a sync flush, so at a byte boundary) and repeated
 * (a block of zeros referring back to zeros decodes to zeros wherever it stands),
 * then a final empty block. 4 GB is about 4 MB.
 */
export function deflatedZeros(bytes: number): Buffer {
  const blockSize = 16 * 1024 * 1024;
  const block = deflateRawSync(Buffer.alloc(blockSize), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const count = Math.ceil(bytes / blockSize);
  return Buffer.concat([...Array.from({ length: count }, () => block), deflateRawSync(Buffer.alloc(0))]);
}

/** A zip of parts given already deflated (or stored: method 0), each with the size it declares. */
export function zipOf(parts: { name: string; data: Buffer; method: 0 | 8; declared: number; crc?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(p.method, 8);
    local.writeUInt32LE(p.crc ?? 0, 14);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(p.declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(p.method, 10);
    central.writeUInt32LE(p.crc ?? 0, 16);
    central.writeUInt32LE(p.data.length, 20);
    central.writeUInt32LE(p.declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.data);
    centrals.push(central, name);
    offset += 30 + name.length + p.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * An "XLSX" whose sheet inflates to `bytes` of zeros. `honest`: the directory
 * declares the real size (refused from the directory); otherwise it declares
 * 1 MB, and the counter stops it while inflating.
 */
export function zipBombXlsx(bytes: number, honest = false): Buffer {
  const data = deflatedZeros(bytes);
  const declared = honest ? Math.min(bytes, 0xfffffffe) : 1024 * 1024;
  const types = Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
  return zipOf([
    { name: '[Content_Types].xml', data: types, method: 0, declared: types.length, crc: crc32(types) },
    { name: 'xl/worksheets/sheet1.xml', data, method: 8, declared },
  ]);
}

/** A CSV with a header and `rows` program rows of `lineBytes` bytes each (15 at least: a million rows in 15 MB). */
export function manyRowsCsv(rows: number, lineBytes = 15): Buffer {
  const line = `2.16.03;${'P'.repeat(Math.max(1, lineBytes - 11))};1\n`;
  return Buffer.from(`Kode;Program;Pagu\n${line.repeat(rows)}`);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG of a few KB declaring width × height pixels (default 100,000 × 100,000), its data a run of zeros. */
export function pixelBombPng(width = 100_000, height = 100_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(0, 9); // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024 * 1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
