/**
 * The master plan documents add up, read back as a reader would check them: the
 * demo's sample RKPD (programs, kegiatan and sub kegiatan, each pagu repeated at
 * every level) exported as Buku I and II, DOCX and PDF; each rupiah counted once
 * and in one dimension, the readiness items in code order, page numbers, a table
 * of contents, numbered tables and figures, and the ministry as the plan says.
 * Every book's totals row by row: test/masterplan-books.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import JSZip from 'jszip';
import { ManualClock } from '../src/core/clock.ts';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { seedDemoPlan } from './masterplan-docs-helpers.ts';
import { amounts, captionedTables, docxBlocks, pdfPages, rupiah } from './masterplan-docs-read.ts';

const MP = '/api/v1/masterplan';
const DIMENSION_NAMES = ['Smart Governance', 'Smart Branding', 'Smart Economy', 'Smart Living', 'Smart Society', 'Smart Environment'];

async function download(server: TestServer, token: string, path: string): Promise<Buffer> {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, path);
  return Buffer.from(await res.arrayBuffer());
}

for (const dialect of await dialects()) {
  describe(`the master plan document adds up (${dialect.name})`, () => {
    let server: TestServer;
    let admin: string;
    let docx: Buffer;
    let xml: string;
    let docxOne: Buffer;
    let xmlOne: string;

    before(async () => {
      // 3 December 2026: the document is dated after Kominfo became Komdigi
      server = await startServer(dialect, {}, { clock: new ManualClock(Date.UTC(2026, 11, 3, 3)) });
      admin = await server.login();
      await seedDemoPlan(server, admin, { initiatives: false });
      docx = await download(server, admin, `${MP}/export.docx`);
      xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
      docxOne = await download(server, admin, `${MP}/export.docx?book=analisis`);
      xmlOne = await (await JSZip.loadAsync(docxOne)).file('word/document.xml')!.async('string');
    });
    after(() => server.close());

    test('Buku I counts each rupiah of the sample RKPD once, in one dimension; Buku II\'s roadmap shares out the same total', () => {
      const tables = captionedTables(docxBlocks(xmlOne));
      const condition = tables.find((t) => /Kondisi per dimensi smart city/.test(t.caption));
      assert.ok(condition, 'the condition per dimension');
      assert.deepEqual(condition.rows.slice(1, -1).map((r) => r.cells[0]).slice(0, 6), DIMENSION_NAMES);
      const grand = rupiah(condition.rows.at(-1)!.cells[2]!);
      // The sample RKPD's sub kegiatan add up to Rp 20.800.000.000 (each pagu is repeated at program and kegiatan level).
      assert.equal(grand, 20_800_000_000);
      assert.equal(condition.rows.slice(1, -1).reduce((a, r) => a + rupiah(r.cells[2]!), 0), grand, 'the dimensions add up to the total');
      // The water supply program and its SPAM pipes are in one dimension, with Rp 5,6 M counted once.
      assert.ok(rupiah(condition.rows.find((r) => r.cells[0] === 'Smart Living')!.cells[2]!) >= 5_600_000_000);
    });

    test('DOCX: readiness items in code order, page numbers in the footer, a table of contents, numbered tables and figures, Komdigi', async () => {
      const zip = await JSZip.loadAsync(docxOne);
      const tables = captionedTables(docxBlocks(xmlOne));
      const items = tables.find((t) => /Butir asesmen kesiapan/.test(t.caption))!;
      const codes = items.rows.slice(1).map((r) => r.cells[1]!);
      assert.equal(codes.length, 24);
      const sorted = [...codes].sort((a, b) => 'SIP'.indexOf(a[0]!) - 'SIP'.indexOf(b[0]!) || a.localeCompare(b, 'en', { numeric: true }));
      assert.deepEqual(codes, sorted, 'Struktur, Infrastruktur, Suprastruktur, each in code order');
      assert.ok(codes.indexOf('I.1.1') < codes.indexOf('I.2.1'), 'I.1 before I.2');

      const footers = await Promise.all(Object.keys(zip.files).filter((f) => /^word\/footer\d*\.xml$/.test(f)).map((f) => zip.file(f)!.async('string')));
      assert.ok(footers.some((f) => /Halaman/.test(f) && /<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>|w:fldSimple w:instr="\s*PAGE/.test(f)), 'a footer with the PAGE field');
      assert.match(xmlOne, /<w:titlePg\/>|<w:titlePg w:val="(true|1)"\/>/, 'the title page has no number');
      assert.match(xmlOne, /<w:instrText[^>]*>TOC /, 'a table of contents');

      const captions = docxBlocks(xmlOne).filter((b) => b.kind === 'p').map((b) => (b.kind === 'p' ? b.text : ''));
      const tableNumbers = captions.map((c) => /^Tabel (\d+)\. /.exec(c)?.[1]).filter(Boolean).map(Number);
      const figureNumbers = captions.map((c) => /^Gambar (\d+)\. /.exec(c)?.[1]).filter(Boolean).map(Number);
      assert.deepEqual(tableNumbers, tableNumbers.map((_, i) => i + 1), 'tables numbered 1, 2, 3, …');
      assert.ok(figureNumbers.length >= 1);
      assert.deepEqual(figureNumbers, figureNumbers.map((_, i) => i + 1), 'figures numbered 1, 2, 3, …');
      assert.equal(tableNumbers.length, tables.length, 'every table has its numbered caption');

      for (const doc of [xmlOne, xml]) {
        assert.ok(doc.includes('Kementerian Komunikasi dan Digital (Komdigi)'), 'a document of December 2026 names Komdigi');
        assert.ok(!doc.includes('Kementerian Komunikasi dan Informatika'));
      }
    });

    test('DOCX: the index per smart city dimension is on the 0–5 scale of the overall index', () => {
      const tables = captionedTables(docxBlocks(xml));
      const byDimension = tables.find((t) => /Indeks per dimensi smart city, 2022/.test(t.caption))!;
      const index = new Map(byDimension.rows.slice(1).map((r) => [r.cells[0]!, r.cells[1]!]));
      // The demo's 2022 Smart Governance item: Output 3,5 (the Baseline is the region's, computed or set once for the year, not a dimension's)
      assert.equal(index.get('Smart Governance'), '3,5');
      assert.equal(index.get('Smart Environment'), '3,6', 'its one Quick Win item, 3,6');
      assert.equal(index.get('Smart Branding'), '-', 'no data');
      const overall = tables.find((t) => /Bobot evaluasi/.test(t.caption))!.rows.find((r) => r.cells[0] === '2022')!.cells.at(-1);
      assert.equal(overall, '3,31');
    });

    test('PDF: the same amounts as the DOCX, a table of contents with the right pages, "Halaman N" on every page but the title', async () => {
      const pdf = await download(server, admin, `${MP}/export.pdf`);
      const pages = pdfPages(pdf);
      assert.ok(pages.length > 8, `${pages.length} pages`);
      const docxText = docxBlocks(xml).map((b) => (b.kind === 'p' ? b.text : b.rows.map((r) => r.cells.join('\n')).join('\n'))).join('\n');
      assert.deepEqual(amounts(pages.join('\n')), amounts(docxText), 'every amount of the PDF, in order, is the DOCX\'s');
      assert.ok(!pages[0]!.includes('Halaman'), 'the title page has no number');
      pages.slice(1).forEach((text, i) => assert.ok(text.includes(`Halaman ${i + 2}`), `page ${i + 2} says its number`));
      assert.ok(pages[1]!.includes('DAFTAR ISI'));
      const toc = pages[1]!.split('\n');
      for (const chapter of ['BAB I PENDAHULUAN', 'BAB II INISIATIF PER DIMENSI', 'BAB VII IMPLEMENTASI DAN MONITORING']) {
        const at = toc.indexOf(chapter);
        assert.ok(at >= 0, `${chapter} in the table of contents`);
        const page = Number(toc[at + 1]);
        assert.ok(pages[page - 1]!.split('\n').includes(chapter), `${chapter} is on page ${page}, as the table of contents says`);
      }
      // justified lines keep no spaces
      assert.ok(pages.join('').replace(/\s/g, '').includes('KementerianKomunikasidanDigital'), 'the PDF names Komdigi too');
    });

    test('the programme owner is a setting of the plan: Kominfo when set, back to the date when cleared, anything else refused', async () => {
      const plan = (await server.api('GET', `${MP}/plan`, { token: admin })).body;
      assert.equal(plan.programmeOwner, null, 'by the date until set');
      const bad = await server.api('PUT', `${MP}/plan`, { token: admin, body: { ...plan, updatedAt: undefined, programmeOwner: 'kemenkominfo' } });
      assert.equal(bad.status, 400);
      const set = await server.api('PUT', `${MP}/plan`, { token: admin, body: { title: plan.title, vision: plan.vision, missions: plan.missions, policyDirections: plan.policyDirections, periodStart: plan.periodStart, periodEnd: plan.periodEnd, programmeOwner: 'kominfo' } });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.programmeOwner, 'kominfo');
      // a save that does not name it keeps it
      const kept = await server.api('PUT', `${MP}/plan`, { token: admin, body: { title: plan.title, vision: 'Musi Rawas cerdas', missions: plan.missions, policyDirections: plan.policyDirections, periodStart: plan.periodStart, periodEnd: plan.periodEnd } });
      assert.equal(kept.body.programmeOwner, 'kominfo');
      const old = await (await JSZip.loadAsync(await download(server, admin, `${MP}/export.docx`))).file('word/document.xml')!.async('string');
      assert.ok(old.includes('Kementerian Komunikasi dan Informatika (Kominfo)'));
      assert.ok(!old.includes('Kementerian Komunikasi dan Digital'));
      const cleared = await server.api('PUT', `${MP}/plan`, { token: admin, body: { title: plan.title, vision: plan.vision, missions: plan.missions, policyDirections: plan.policyDirections, periodStart: plan.periodStart, periodEnd: plan.periodEnd, programmeOwner: null } });
      assert.equal(cleared.body.programmeOwner, null);
    });

    test('the dashboard counts a kegiatan in its program\'s dimension and each rupiah once', async () => {
      const d = (await server.api('GET', `${MP}/dashboard?year=2025`, { token: admin })).body;
      assert.equal(d.totals.budget, 20_800_000_000);
      assert.equal(d.byDimension.reduce((a: number, x: any) => a + x.budget, 0), d.totals.budget);
      assert.equal(d.byDimension.find((x: any) => x.key === 'living').budget >= 5_600_000_000, true, 'the water supply in Smart Living');
    });
  });
}
