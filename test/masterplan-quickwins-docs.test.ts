/**
 * The Quick Win document and the master plan's Bab V and VI, read back as a
 * reader would check them: the demo's quick wins (made up) exported as DOCX and
 * PDF; the title page, the table of contents, numbered tables, each quick win
 * with its profile, output/outcome and a month table as long as its schedule,
 * the cost total equal to the sum of the rows, and page numbers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import JSZip from 'jszip';
import { ManualClock } from '../src/core/clock.ts';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { makeOpd } from './masterplan-docs-helpers.ts';
import { amounts, captionedTables, docxBlocks, pdfPages, rupiah } from './masterplan-docs-read.ts';

const MP = '/api/v1/masterplan';
const M = 1_000_000;

async function download(server: TestServer, token: string, path: string): Promise<{ bytes: Buffer; disposition: string | null }> {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, path);
  return { bytes: Buffer.from(await res.arrayBuffer()), disposition: res.headers.get('content-disposition') };
}

for (const dialect of await dialects()) {
  describe(`the Quick Win document (${dialect.name})`, () => {
    let server: TestServer;
    let admin: string;
    let xml: string;
    let zip: JSZip;
    let quickWins: any[];

    before(async () => {
      server = await startServer(dialect, {}, { clock: new ManualClock(Date.UTC(2026, 11, 3, 3)) });
      admin = await server.login();
      const region = (await server.api('GET', '/api/v1/region', { token: admin })).body.id as string;
      for (const [code, name] of [['DINKES', 'Dinas Kesehatan'], ['DPUPR', 'Dinas Pekerjaan Umum dan Penataan Ruang'], ['DLH', 'Dinas Lingkungan Hidup'], ['BPBD', 'Badan Penanggulangan Bencana Daerah'], ['DISHUB', 'Dinas Perhubungan'], ['DISDIK', 'Dinas Pendidikan']]) {
        await makeOpd(server, admin, code!, name!);
      }
      const { seedMasterplanDemo } = await import('../src/modules/masterplan/index.ts');
      const { masterplan, masterplanInitiatives, masterplanRoadmap } = server.app.services;
      await seedMasterplanDemo(masterplan, region, { withPrograms: true, initiatives: masterplanInitiatives, roadmap: masterplanRoadmap });
      quickWins = (await server.api('GET', `${MP}/quickwins`, { token: admin })).body.items;
      const file = await download(server, admin, `${MP}/export.docx?book=quickwin`);
      assert.equal(file.disposition, 'attachment; filename="dokumen-quick-win-musi-rawas-2026.docx"');
      zip = await JSZip.loadAsync(file.bytes);
      xml = await zip.file('word/document.xml')!.async('string');
    });
    after(() => server.close());

    test('the demo has quick wins of several dimensions, two from the programs once ticked as quick wins', () => {
      assert.equal(quickWins.length, 5);
      assert.equal(quickWins.filter((q) => q.sourceProgramId !== null).length, 2);
      assert.equal(new Set(quickWins.map((q) => q.dimensionKey)).size, 5);
    });

    test('DOCX: a title page without a number, a table of contents, the chapters, numbered tables, page numbers', async () => {
      const blocks = docxBlocks(xml);
      const texts = blocks.map((b) => (b.kind === 'p' ? b.text : ''));
      assert.ok(texts.includes('DOKUMEN QUICK WIN SMART CITY'), 'the title');
      assert.ok(texts.includes('KABUPATEN MUSI RAWAS 2022–2032'), 'the region and the plan\'s period');
      assert.match(xml, /<w:titlePg\/>|<w:titlePg w:val="(true|1)"\/>/, 'the title page has no number');
      assert.match(xml, /<w:instrText[^>]*>TOC /, 'a table of contents');
      const footers = await Promise.all(Object.keys(zip.files).filter((f) => /^word\/footer\d*\.xml$/.test(f)).map((f) => zip.file(f)!.async('string')));
      assert.ok(footers.some((f) => /Halaman/.test(f) && /PAGE/.test(f)), 'a footer with the PAGE field');
      const h1 = blocks.filter((b) => b.kind === 'p' && b.style === 'Heading1').map((b) => (b.kind === 'p' ? b.text : ''));
      assert.deepEqual(h1, ['BAB I PENDAHULUAN', 'BAB II DAFTAR QUICK WIN', 'BAB III RINCIAN QUICK WIN', 'BAB IV PENUTUP']);
      const h2 = blocks.filter((b) => b.kind === 'p' && b.style === 'Heading2').map((b) => (b.kind === 'p' ? b.text : ''));
      for (const [i, q] of quickWins.entries()) assert.ok(h2.includes(`3.${i + 1} ${q.title}`), `a section for ${q.title}`);
      const tables = captionedTables(blocks);
      const numbers = tables.map((t) => Number(/^Tabel (\d+)\. /.exec(t.caption)?.[1]));
      assert.deepEqual(numbers, numbers.map((_, i) => i + 1), 'every table numbered 1, 2, 3, … in order');
      assert.ok(!xml.includes('Kementerian Komunikasi dan Informatika'), 'Komdigi in December 2026');
    });

    test('DOCX: the cost total is the sum of the rows, per dimension and in the list; each quick win has its profile and a month table as long as its schedule', () => {
      const tables = captionedTables(docxBlocks(xml));
      const list = tables.find((t) => /Daftar quick win$/.test(t.caption))!;
      assert.deepEqual(list.rows[0]!.cells, ['No', 'Quick win', 'Dimensi', 'OPD', 'Jadwal', 'Biaya', 'Status']);
      const body = list.rows.slice(1, -1);
      assert.equal(body.length, 5);
      const total = rupiah(list.rows.at(-1)!.cells[5]!);
      assert.equal(list.rows.at(-1)!.cells[1], 'Jumlah');
      assert.equal(total, body.reduce((a, r) => a + rupiah(r.cells[5]!), 0), 'the total is the sum of its rows');
      assert.equal(total, 2_350 * M);
      const perDimension = tables.find((t) => /Quick win per dimensi$/.test(t.caption))!;
      assert.equal(rupiah(perDimension.rows.at(-1)!.cells[2]!), perDimension.rows.slice(1, -1).reduce((a, r) => a + rupiah(r.cells[2]!), 0));
      assert.equal(rupiah(perDimension.rows.at(-1)!.cells[2]!), total, 'both tables agree');
      const wifi = body.find((r) => r.cells[1] === 'Wi-Fi dan Jaringan Intra di 14 Kantor Kecamatan')!;
      assert.deepEqual(wifi.cells.slice(2), ['Smart Governance', 'DISKOMINFO', 'Januari 2025 – Desember 2025 (12 bulan)', 'Rp 1.250.000.000', 'Selesai']);

      for (const q of quickWins) {
        const profile = tables.find((t) => t.caption.endsWith(`Profil quick win ${q.title}`))!;
        const field = (name: string) => profile.rows.find((r) => r.cells[0] === name)?.cells[1];
        assert.equal(field('Biaya'), `Rp ${(q.cost as number).toLocaleString('id-ID')}`, `${q.title}: its cost`);
        assert.match(field('Jadwal')!, new RegExp(`\\(${q.months} bulan\\)$`));
        const months = tables.find((t) => t.caption.endsWith(`Jadwal pelaksanaan ${q.title} (${q.months} bulan)`))!;
        assert.equal(months.rows.length - 1, q.months, `${q.title}: one row a month`);
        assert.ok(q.months >= 6 && q.months <= 12);
        const outputs = tables.find((t) => t.caption.endsWith(`Keluaran dan hasil ${q.title}`))!;
        assert.deepEqual(outputs.rows[1]!.cells, [q.output, q.outcome]);
      }
      const katalog = tables.find((t) => t.caption.endsWith('Jadwal pelaksanaan Katalog UMKM Desa di Portal Daerah (7 bulan)'))!;
      assert.deepEqual(katalog.rows.slice(1).map((r) => r.cells.join(' ')), ['1 Juli 2026', '2 Agustus 2026', '3 September 2026', '4 Oktober 2026', '5 November 2026', '6 Desember 2026', '7 Januari 2027']);
    });

    test('PDF: the same amounts as the DOCX, a table of contents with the right pages, "Halaman N" on every page but the title', async () => {
      const pages = pdfPages((await download(server, admin, `${MP}/export.pdf?book=quickwin`)).bytes);
      assert.ok(pages.length >= 5, `${pages.length} pages`);
      const docxText = docxBlocks(xml).map((b) => (b.kind === 'p' ? b.text : b.rows.map((r) => r.cells.join('\n')).join('\n'))).join('\n');
      assert.deepEqual(amounts(pages.join('\n')), amounts(docxText), 'every amount of the PDF, in order, is the DOCX\'s');
      assert.ok(!pages[0]!.includes('Halaman'), 'the title page has no number');
      pages.slice(1).forEach((text, i) => assert.ok(text.includes(`Halaman ${i + 2}`), `page ${i + 2} says its number`));
      assert.ok(pages[1]!.includes('DAFTAR ISI'));
      const toc = pages[1]!.split('\n');
      for (const chapter of ['BAB I PENDAHULUAN', 'BAB II DAFTAR QUICK WIN', 'BAB III RINCIAN QUICK WIN', 'BAB IV PENUTUP']) {
        const at = toc.indexOf(chapter);
        assert.ok(at >= 0, `${chapter} in the table of contents`);
        const page = Number(toc[at + 1]);
        assert.ok(pages[page - 1]!.split('\n').includes(chapter), `${chapter} is on page ${page}, as the table of contents says`);
      }
    });

    test('the master plan book: Bab V lists the records with their total, Bab VI the roadmap per dimension and year with its milestones', async () => {
      const book = await JSZip.loadAsync((await download(server, admin, `${MP}/export.docx`)).bytes);
      const tables = captionedTables(docxBlocks(await book.file('word/document.xml')!.async('string')));
      const list = tables.find((t) => /Daftar quick win$/.test(t.caption))!;
      assert.equal(rupiah(list.rows.at(-1)!.cells[5]!), list.rows.slice(1, -1).reduce((a, r) => a + rupiah(r.cells[5]!), 0));
      assert.equal(list.rows.length - 2, 5);
      const matrix = tables.find((t) => /Jumlah inisiatif dan quick win per dimensi dan tahun, 2022–2032$/.test(t.caption))!;
      assert.deepEqual(matrix.rows[0]!.cells, ['Dimensi', '2022', '2023', '2024', '2025', '2026', '2027', '2028', '2029', '2030', '2031', '2032']);
      assert.deepEqual(matrix.rows.find((r) => r.cells[0] === 'Smart Society')!.cells.slice(1, 7), ['-', '1', '1', '2', '1', '-'], 'the flood warning 2023–2026 and its quick win in 2025');
      const society = tables.find((t) => /Roadmap Smart Society$/.test(t.caption))!;
      const y2026 = society.rows.find((r) => r.cells[0] === '2026')!;
      assert.deepEqual(y2026.cells.slice(1), ['• Peringatan Dini Banjir Sungai Kelingi dan Lakitan (berakhir)', '-', '• 12 pos duga air berfungsi']);
      assert.match(society.rows.find((r) => r.cells[0] === '2025')!.cells[2]!, /Dasbor Peringatan Dini Muka Air Sungai Kelingi \(Maret 2025 – Oktober 2025\)/);
    });
  });
}
