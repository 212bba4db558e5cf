import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { manyRowsCsv, manyRowsXlsx, mergeBombXlsx, zipBombXlsx } from '../../../test/hostile-files.ts';
import { AppError } from '../../core/errors.ts';
import { readCsvRows } from './csv-read.ts';
import { DEFAULT_SHEET_LIMITS } from './limits.ts';
import { rangeArea, scanXlsx } from './zip-scan.ts';

const refused = (status: number, code: string, message: RegExp) => (e: unknown) => {
  assert.ok(e instanceof AppError, String(e));
  assert.equal(e.status, status, e.message);
  assert.equal(e.code, code, e.message);
  assert.match(e.message, message);
  return true;
};

describe('XLSX limits checked from the zip, before exceljs', () => {
  it('counts a range\'s cells', () => {
    assert.deepEqual(rangeArea('A2:XFD1048576'), { rows: 1_048_575, columns: 16_384, lastRow: 1_048_576, lastColumn: 16_384 });
    assert.equal(rangeArea('$B$3')!.rows * rangeArea('$B$3')!.columns, 1);
    assert.equal(rangeArea('nonsense'), null);
  });

  it('passes a plain workbook, and refuses a merged range larger than a sheet may be (422)', async () => {
    const ok = await scanXlsx(await mergeBombXlsx('A1:P2'), DEFAULT_SHEET_LIMITS);
    assert.equal(ok.sheets[0]!.expandedCells, 32);
    await assert.rejects(scanXlsx(await mergeBombXlsx(), DEFAULT_SHEET_LIMITS), refused(422, 'IMPORT_LIMIT_EXCEEDED', /merged range A2:XFD1048576.*17,179,852,800/));
    // within the columns, but a whole column merged: too many cells all the same
    await assert.rejects(scanXlsx(await mergeBombXlsx('A2:A1048576'), DEFAULT_SHEET_LIMITS), refused(422, 'IMPORT_LIMIT_EXCEEDED', /1,048,575, at most 200,000/));
  });

  it('refuses a zip bomb from its directory (413), and one that lies about its size while inflating, without inflating it all', async () => {
    const before = process.memoryUsage().rss;
    const honest = zipBombXlsx(4_200_000_000, true);
    assert.ok(honest.length < 5_000_000, `${honest.length} bytes`);
    await assert.rejects(scanXlsx(honest, DEFAULT_SHEET_LIMITS), refused(413, 'IMPORT_FILE_TOO_LARGE', /declares 4,200,000,\d+ bytes once unzipped; at most 64 MB/));
    const started = performance.now();
    await assert.rejects(scanXlsx(zipBombXlsx(4_200_000_000), DEFAULT_SHEET_LIMITS), refused(422, 'IMPORT_FILE_UNPROCESSABLE', /declares 1,048,576 bytes and unzips to more/));
    assert.ok(performance.now() - started < 2000, 'stopped early, not inflated');
    assert.ok(process.memoryUsage().rss - before < 150 * 1024 * 1024, 'nothing inflated was kept');
  });

  it('refuses more rows or columns than allowed (422)', async () => {
    await assert.rejects(scanXlsx(await manyRowsXlsx(30_000), DEFAULT_SHEET_LIMITS), refused(422, 'IMPORT_LIMIT_EXCEEDED', /too many rows: more than 20,000, at most 20,000/));
    await assert.rejects(scanXlsx(await manyRowsXlsx(10), { ...DEFAULT_SHEET_LIMITS, maxColumns: 1 }), refused(422, 'IMPORT_LIMIT_EXCEEDED', /column B; columns: 2, at most 1/));
  });
});

describe('CSV limits', () => {
  it('refuses a million-row CSV with the number of rows (422), and a line too long', () => {
    assert.throws(() => readCsvRows(manyRowsCsv(1_000_000)), refused(422, 'IMPORT_LIMIT_EXCEEDED', /too many rows .*: 1,000,000, at most 20,000/));
    assert.throws(() => readCsvRows(Buffer.from(`a,b\n${'x'.repeat(2000)}\n`), { limits: { maxRecordChars: 1000 } }), refused(422, 'IMPORT_LIMIT_EXCEEDED', /too long/));
    assert.throws(() => readCsvRows(Buffer.from(`a\n${'1,'.repeat(200)}\n`), { delimiter: ',' }), refused(422, 'IMPORT_LIMIT_EXCEEDED', /line 2 .* too many columns: 201, at most 100/));
    assert.deepEqual(readCsvRows(Buffer.from('\uFEFFkode;nama\n1;Satu\n')), [{ line: 1, cells: ['kode', 'nama'] }, { line: 2, cells: ['1', 'Satu'] }]);
  });
});
