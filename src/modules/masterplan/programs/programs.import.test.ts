import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { fieldOf, parseCode, parseProgramFile, parseRupiah } from './programs.import.ts';
import { stem, suggest } from './programs.suggest.ts';

describe('Permendagri 90/2019 codes', () => {
  it('reads the level from the number of segments', () => {
    assert.deepEqual(parseCode('2.16.03'), { code: '2.16.03', level: 'program' });
    assert.deepEqual(parseCode('2.16.03.2.02'), { code: '2.16.03.2.02', level: 'kegiatan' });
    assert.deepEqual(parseCode('2.16.03.2.02.0014'), { code: '2.16.03.2.02.0014', level: 'sub_kegiatan' });
    assert.deepEqual(parseCode(' 2.16.02.1.01.01 '), { code: '2.16.02.1.01.01', level: 'sub_kegiatan' }, 'older two-digit sub kegiatan');
    assert.deepEqual(parseCode('X.XX.01'), { code: 'X.XX.01', level: 'program' }, 'supporting affairs');
  });
  it('refuses codes that do not fit', () => {
    for (const bad of ['2.16', '2.16.3', '2.16.03.2', '2.16.03.2.02.014', '2.16.03.2.02.00014', 'ABC', '2-16-03', '']) {
      assert.ok('error' in parseCode(bad), `${bad} is refused`);
    }
  });
});

describe('budgets in Indonesian format', () => {
  const ok = (raw: string | number, value: number) => assert.deepEqual(parseRupiah(raw), { value }, String(raw));
  it('reads the usual ways of writing rupiah', () => {
    ok('Rp 1.250.000.000,00', 1_250_000_000);
    ok('Rp1.250.000.000', 1_250_000_000);
    ok('1.250.000.000', 1_250_000_000);
    ok('1250000000', 1_250_000_000);
    ok(1250000000, 1_250_000_000);
    ok('Rp 750.000,50', 750_001);
    ok('Rp1,25 M', 1_250_000_000);
    ok('2,5 miliar', 2_500_000_000);
    ok('350 juta', 350_000_000);
    ok('1,250,000,000', 1_250_000_000);
    ok('-', 0);
  });
  it('refuses what could be read two ways, or is not money', () => {
    for (const bad of ['1,250', '1.25 M', '1.2.3', 'Rp abc', '-5.000', '12 kg']) assert.ok('error' in parseRupiah(bad), `${bad} is refused`);
  });
});

describe('headers', () => {
  it('names the SIPD columns in their variants', () => {
    assert.equal(fieldOf('Kode'), 'code');
    assert.equal(fieldOf('KODE REKENING'), 'code');
    assert.equal(fieldOf('Program/Kegiatan/Sub Kegiatan'), 'name');
    assert.equal(fieldOf('Uraian'), 'name');
    assert.equal(fieldOf('Indikator Program/Kegiatan'), 'indicator');
    assert.equal(fieldOf('Tolok Ukur'), 'indicator');
    assert.equal(fieldOf('Target'), 'target');
    assert.equal(fieldOf('Satuan'), 'unit');
    assert.equal(fieldOf('Pagu Indikatif (Rp)'), 'budget');
    assert.equal(fieldOf('Perangkat Daerah'), 'opd');
    assert.equal(fieldOf('Kode OPD'), 'opd');
    assert.equal(fieldOf('Tahun'), 'year');
    assert.equal(fieldOf('Lokasi'), 'location');
    assert.equal(fieldOf('Sumber Dana'), null);
  });

  it('finds the header under a title block, across merged cells, skipping blank and column-number rows', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('RKPD');
    ws.addRow(['RENCANA KERJA PEMERINTAH DAERAH']);
    ws.addRow(['KABUPATEN MUSI RAWAS TAHUN 2025']);
    ws.addRow([]);
    ws.addRow(['Kode', 'Program/Kegiatan/Sub Kegiatan', 'Indikator Kinerja', null, null, 'Pagu Indikatif', 'Perangkat Daerah']);
    ws.addRow([null, null, 'Tolok Ukur', 'Target', 'Satuan', null, null]);
    ws.mergeCells('A4:A5');
    ws.mergeCells('B4:B5');
    ws.mergeCells('C4:E4');
    ws.mergeCells('F4:F5');
    ws.mergeCells('G4:G5');
    ws.addRow([1, 2, 3, 4, 5, 6, 7]);
    ws.addRow(['2.16.03', 'PROGRAM PENGELOLAAN APLIKASI INFORMATIKA', 'Persentase layanan terintegrasi', '60', '%', 'Rp 1.250.000.000,00', 'DISKOMINFO']);
    ws.addRow([]);
    ws.addRow(['2.16.03.2.02.0014', 'Penyelenggaraan Jaringan Intra Pemerintah Daerah', 'Jumlah OPD terhubung', 40, 'OPD', 850000000, 'DISKOMINFO']);
    const parsed = await parseProgramFile(Buffer.from(await wb.xlsx.writeBuffer()), 'rkpd.xlsx');
    assert.equal(parsed.headerRow, 4);
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.rows.map((r) => [r.row, r.code, r.level, r.indicator, r.target, r.unit, r.budget, r.opd]), [
      [7, '2.16.03', 'program', 'Persentase layanan terintegrasi', '60', '%', 1_250_000_000, 'DISKOMINFO'],
      [9, '2.16.03.2.02.0014', 'sub_kegiatan', 'Jumlah OPD terhubung', '40', 'OPD', 850_000_000, 'DISKOMINFO'],
    ]);
  });

  it('reads a semicolon CSV and reports bad rows by their line', async () => {
    const csv = 'RKPD Kabupaten Musi Rawas;;;\n;;;\nKODE;NAMA PROGRAM;PAGU;TAHUN\n2.16.03;Program A;"1.000.000";2025\n2.16.3;Program B;5;2025\n2.16.03.2.02;Kegiatan C;Rp 1,5 T;2025\n2.16.03.2.01;Kegiatan D;1,250;2025\n';
    const parsed = await parseProgramFile(Buffer.from(csv), 'a.csv');
    assert.equal(parsed.headerRow, 3);
    assert.deepEqual(parsed.rows.map((r) => [r.row, r.code, r.budget, r.year]), [[4, '2.16.03', 1_000_000, 2025], [6, '2.16.03.2.02', 1_500_000_000_000, 2025]]);
    assert.deepEqual(parsed.errors.map((e) => e.row), [5, 7]);
    assert.match(parsed.errors[0]!.reason, /does not fit/);
    assert.match(parsed.errors[1]!.reason, /Indonesian format/);
  });

  it('takes urusan and bidang headings as headings, and the OPD from SIPD group rows when there is no OPD column', async () => {
    const csv = [
      'Kode,Uraian,Pagu',
      '1,URUSAN PEMERINTAHAN WAJIB YANG BERKAITAN DENGAN PELAYANAN DASAR,',
      '1.02,URUSAN PEMERINTAHAN BIDANG KESEHATAN,',
      '1.02.0.00.0.00.01.0000,DINAS KESEHATAN,',
      '1.02.02,PROGRAM PEMENUHAN UPAYA KESEHATAN,"3.400.000.000"',
      '2.16.0.00.0.00.01.0000,Dinas Komunikasi dan Informatika,',
      '2.16.03,PROGRAM PENGELOLAAN APLIKASI INFORMATIKA,"2.150.000.000"',
    ].join('\n');
    const parsed = await parseProgramFile(Buffer.from(csv), 'sipd.csv');
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.headings, 4);
    assert.deepEqual(parsed.rows.map((r) => [r.code, r.opd, r.budget]), [['1.02.02', 'DINAS KESEHATAN', 3_400_000_000], ['2.16.03', 'Dinas Komunikasi dan Informatika', 2_150_000_000]]);
  });

  it('joins a code split over merged columns (urusan | bidang | program | kegiatan | sub kegiatan), zeros restored', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('RKPD');
    ws.addRow(['Kode', null, null, null, null, 'Program/Kegiatan/Sub Kegiatan', 'Pagu']);
    ws.addRow(['Urusan', 'Bidang', 'Program', 'Kegiatan', 'Sub Kegiatan', null, null]);
    ws.mergeCells('A1:E1');
    ws.mergeCells('F1:F2');
    ws.mergeCells('G1:G2');
    ws.addRow([2, 16, 3, null, null, 'PROGRAM PENGELOLAAN APLIKASI INFORMATIKA', 1000]);
    ws.addRow([2, 16, 3, '2.02', null, 'Pengelolaan E-Government', 1000]);
    ws.addRow(['2', '16', '03', '2.02', 14, 'Penyelenggaraan Jaringan Intra Pemerintah Daerah', 1000]);
    const parsed = await parseProgramFile(Buffer.from(await wb.xlsx.writeBuffer()), 'split.xlsx');
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.rows.map((r) => [r.row, r.code, r.level]), [[3, '2.16.03', 'program'], [4, '2.16.03.2.02', 'kegiatan'], [5, '2.16.03.2.02.0014', 'sub_kegiatan']]);
  });

  it('refuses what is not a spreadsheet', async () => {
    await assert.rejects(parseProgramFile(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]), 'x.png'), { code: 'IMPORT_FILE_INVALID' });
    await assert.rejects(parseProgramFile(Buffer.from('PK\u0003\u0004garbage'), 'x.xlsx'), { code: 'IMPORT_FILE_INVALID' });
    await assert.rejects(parseProgramFile(Buffer.from('hello world, this is a letter\nnot a table'), 'x.csv'), { code: 'IMPORT_FILE_INVALID' });
  });
});

describe('dimension suggestions', () => {
  it('stems Indonesian affixes lightly', () => {
    assert.equal(stem('pelayanan'), stem('layanan'));
    assert.equal(stem('perumahan'), stem('rumah'));
  });
  it('suggests the element from the words of the program', () => {
    const cases: [string, string, string][] = [
      ['Penyelenggaraan Jaringan Intra Pemerintah Daerah', 'governance', 'bureaucracy'],
      ['Pengembangan Aplikasi Pelayanan Publik', 'governance', 'service'],
      ['Promosi Pariwisata Danau Aur', 'branding', 'tourism'],
      ['Pembinaan UMKM dan Pasar Rakyat', 'economy', 'industry'],
      ['Penyediaan Air Minum Perdesaan', 'living', 'harmony'],
      ['Pelayanan Kesehatan Ibu dan Anak di Puskesmas', 'living', 'health'],
      ['Peningkatan Literasi dan Minat Baca', 'society', 'learning'],
      ['Pengelolaan Sampah Rumah Tangga', 'environment', 'waste'],
      ['Pengendalian Banjir Sungai Kelingi', 'environment', 'protection'],
    ];
    for (const [text, dim, el] of cases) {
      const s = suggest(text);
      assert.ok(s, text);
      assert.deepEqual([s.dimensionKey, s.elementKey], [dim, el], text);
      assert.ok(s.score > 0 && s.score <= 1 && s.words.length > 0);
    }
    assert.equal(suggest('Rapat Koordinasi'), null);
  });
});
