/**
 * The books a region delivers (Buku I Analisis Strategis, Buku II Rencana
 * Induk, Buku III Ringkasan Eksekutif), each downloaded as DOCX and PDF and read
 * back as a reader would check them: the chapters, a table of contents whose
 * page numbers are right, "Halaman N" on every page but the title, tables and
 * figures numbered in order, every total the sum of its rows, the same amounts
 * in the PDF as in the DOCX. Buku II lists initiatives, never SIPD lines; a plan
 * of 5,000 lines exports within the worker's limits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import JSZip from 'jszip';
import { ManualClock } from '../src/core/clock.ts';
import { newId } from '../src/core/ids.ts';
import { EXPORT_WORKER_LIMITS } from '../src/modules/masterplan/documents/export.service.ts';
import { insertPlanLines, PLAN_GROUPED, PLAN_LINES, PLAN_PROGRAMS, planInitiatives } from '../bench/masterplan-plan.ts';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { seedDemoPlan } from './masterplan-docs-helpers.ts';
import { amounts, captionedTables, docxBlocks, pdfPages, rupiah, type DocxRow } from './masterplan-docs-read.ts';

const MP = '/api/v1/masterplan';
const INDENT_TWIPS = 220;
const CHAPTERS = {
  analisis: ['BAB I PENDAHULUAN', 'BAB II GAMBARAN UMUM DAERAH', 'BAB III KONDISI SAAT INI PER DIMENSI', 'BAB IV ANALISIS KESIAPAN', 'BAB V ANALISIS STRATEGIS', 'BAB VI STRATEGI DAN TUJUAN'],
  rencana: ['BAB I PENDAHULUAN', 'BAB II INISIATIF PER DIMENSI', 'BAB III QUICK WIN', 'BAB IV ROADMAP', 'BAB V RENCANA PENGEMBANGAN', 'BAB VI PEMBIAYAAN', 'BAB VII IMPLEMENTASI DAN MONITORING', 'BAB VIII PENETAPAN DAN LAMPIRAN'],
  ringkasan: ['BAB I VISI DAN MISI', 'BAB II ENAM DIMENSI DAN INISIATIFNYA', 'BAB III ANGKA UTAMA', 'BAB IV QUICK WIN', 'BAB V INDEKS SMART CITY'],
} as const;
type BookKey = keyof typeof CHAPTERS;
const FILES = { analisis: 'buku-1-analisis-strategis', rencana: 'buku-2-rencana-induk', ringkasan: 'buku-3-ringkasan-eksekutif' } as const;

interface Book { docx: Buffer; xml: string; pdf: Buffer; docxName: string; pdfName: string }

async function download(server: TestServer, token: string, path: string): Promise<{ bytes: Buffer; name: string }> {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return { bytes: Buffer.from(await res.arrayBuffer()), name: /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? '' };
}

async function book(server: TestServer, token: string, key: string): Promise<Book> {
  const docx = await download(server, token, `${MP}/export.docx?book=${key}`);
  const pdf = await download(server, token, `${MP}/export.pdf?book=${key}`);
  const xml = await (await JSZip.loadAsync(docx.bytes)).file('word/document.xml')!.async('string');
  return { docx: docx.bytes, xml, pdf: pdf.bytes, docxName: docx.name, pdfName: pdf.name };
}

const headings = (xml: string, style: string) => docxBlocks(xml).flatMap((b) => (b.kind === 'p' && b.style === style ? [b.text] : []));
const number = (text: string): number | null => (/^Rp /.test(text) ? rupiah(text) : /^-?\d{1,3}(\.\d{3})*$/.test(text) ? Number(text.replace(/\./g, '')) : null);

/** A table closed by "Jumlah": in each column of amounts or counts, the total is the sum of the top rows, and a bold row with rows indented below it their sum. */
function checkTotals(caption: string, rows: DocxRow[]): number {
  const [head, ...rest] = rows;
  const last = rest.at(-1);
  if (!head || !last || last.cells[0] !== 'Jumlah') return 0;
  const body = rest.slice(0, -1);
  const depth = (r: DocxRow) => Math.round(r.indent / INDENT_TWIPS);
  let checked = 0;
  head.cells.forEach((header, c) => {
    if (c === 0 || /Indeks|Capaian/.test(header) || number(last.cells[c]!) === null) return;
    const value = (r: DocxRow) => number(r.cells[c]!) ?? 0;
    assert.equal(value(last), body.filter((r) => depth(r) === 0).reduce((a, r) => a + value(r), 0), `${caption}: "${header}" total is the sum of its rows`);
    body.forEach((row, i) => {
      const children: DocxRow[] = [];
      for (let j = i + 1; j < body.length && depth(body[j]!) > depth(row); j++) if (depth(body[j]!) === depth(row) + 1) children.push(body[j]!);
      if (children.length && row.cells[c] !== '') assert.equal(value(row), children.reduce((a, r) => a + value(r), 0), `${caption}: ${row.cells[0]} "${header}" is the sum of the rows below it`);
    });
    checked++;
  });
  return checked;
}

/** What every book must show, in the DOCX and in the PDF. */
async function checkBook(name: string, b: Book, chapters: readonly string[]): Promise<void> {
  assert.deepEqual(headings(b.xml, 'Heading1'), chapters, `${name}: its chapters in order`);
  const zip = await JSZip.loadAsync(b.docx);
  assert.match(b.xml, /<w:instrText[^>]*>TOC /, `${name}: a table of contents field`);
  const footers = await Promise.all(Object.keys(zip.files).filter((f) => /^word\/footer\d*\.xml$/.test(f)).map((f) => zip.file(f)!.async('string')));
  assert.ok(footers.some((f) => /Halaman/.test(f) && /PAGE/.test(f)), `${name}: page numbers in the footer`);
  assert.match(b.xml, /<w:titlePg\/>|<w:titlePg w:val="(true|1)"\/>/, `${name}: the title page has no number`);
  assert.ok(b.xml.includes('Gerakan Menuju 100 Smart City · Kementerian Komunikasi dan Digital (Komdigi)'), `${name}: the programme and its ministry on the title page`);

  const paragraphs = docxBlocks(b.xml).flatMap((x) => (x.kind === 'p' ? [x.text] : []));
  const tableNumbers = paragraphs.map((c) => /^Tabel (\d+)\. /.exec(c)?.[1]).filter(Boolean).map(Number);
  const figureNumbers = paragraphs.map((c) => /^Gambar (\d+)\. /.exec(c)?.[1]).filter(Boolean).map(Number);
  const tables = captionedTables(docxBlocks(b.xml));
  assert.deepEqual(tableNumbers, tables.map((_, i) => i + 1), `${name}: every table has its number, 1, 2, 3, …`);
  assert.deepEqual(figureNumbers, figureNumbers.map((_, i) => i + 1), `${name}: figures numbered 1, 2, 3, …`);
  assert.ok(figureNumbers.length >= 1, `${name}: at least one figure`);
  const checked = tables.reduce((a, t) => a + checkTotals(t.caption, t.rows), 0);
  assert.ok(checked >= 2, `${name}: ${checked} columns of totals checked`);

  const pages = pdfPages(b.pdf);
  assert.ok(!pages[0]!.includes('Halaman'), `${name}: the PDF's title page has no number`);
  pages.slice(1).forEach((text, i) => assert.ok(text.includes(`Halaman ${i + 2}`), `${name}: PDF page ${i + 2} says its number`));
  assert.ok(pages[1]!.includes('DAFTAR ISI'), `${name}: the PDF's table of contents`);
  const toc = pages.slice(1, 3).join('\n').split('\n');
  for (const chapter of chapters) {
    const at = toc.indexOf(chapter);
    assert.ok(at >= 0, `${name}: ${chapter} in the PDF's table of contents`);
    const page = Number(toc[at + 1]);
    assert.ok(pages[page - 1]!.split('\n').includes(chapter), `${name}: ${chapter} is on page ${page}, as the table of contents says`);
  }
  const docxText = docxBlocks(b.xml).map((x) => (x.kind === 'p' ? x.text : x.rows.map((r) => r.cells.join('\n')).join('\n'))).join('\n');
  assert.deepEqual(amounts(pages.join('\n')), amounts(docxText), `${name}: every amount of the PDF, in order, is the DOCX's`);
}

for (const dialect of await dialects()) {
  describe(`the books: Buku I, II and III as DOCX and PDF (${dialect.name})`, () => {
    let server: TestServer;
    let admin: string;
    const books = {} as Record<BookKey, Book>;
    let initiatives: { items: { name: string; budget: number; lines: { code: string }[] }[]; totals: { budget: number; initiatives: number } };

    before(async () => {
      server = await startServer(dialect, {}, { clock: new ManualClock(Date.UTC(2026, 11, 3, 3)) });
      admin = await server.login();
      await seedDemoPlan(server, admin, { initiatives: true });
      initiatives = (await server.api('GET', `${MP}/initiatives`, { token: admin })).body;
      for (const key of ['analisis', 'rencana', 'ringkasan'] as const) books[key] = await book(server, admin, key);
    });
    after(() => server.close());

    for (const key of ['analisis', 'rencana', 'ringkasan'] as const) {
      test(`${FILES[key]}: chapters, table of contents, page numbers, numbered tables and figures, totals that add up, the PDF as the DOCX`, async () => {
        await checkBook(key, books[key], CHAPTERS[key]);
        assert.equal(books[key].docxName, `${FILES[key]}-musi-rawas-2026.docx`);
        assert.equal(books[key].pdfName, `${FILES[key]}-musi-rawas-2026.pdf`);
      });
    }

    test('Buku II lists the initiatives with their funding trace summarised, not the SIPD lines; its totals are the initiatives service\'s', () => {
      assert.ok(initiatives.items.length >= 5, 'the demo\'s initiatives');
      const tables = captionedTables(docxBlocks(books.rencana.xml));
      // the initiatives and the financing chapters
      const text = docxBlocks(books.rencana.xml).map((x) => (x.kind === 'p' ? x.text : x.rows.map((r) => r.cells.join('\n')).join('\n'))).join('\n');
      const initiativeChapters = text.slice(text.indexOf('BAB II INISIATIF PER DIMENSI'), text.indexOf('BAB III QUICK WIN')) + text.slice(text.indexOf('BAB VI PEMBIAYAAN'), text.indexOf('BAB VII '));
      const summary = tables.find((t) => t.caption.endsWith('Ringkasan inisiatif per dimensi'))!;
      assert.equal(summary.rows.at(-1)!.cells[1], String(initiatives.totals.initiatives));
      assert.equal(rupiah(summary.rows.at(-1)!.cells[3]!), initiatives.totals.budget, 'the budget the initiatives screen shows');
      for (const i of initiatives.items) {
        const detail = tables.find((t) => t.caption.endsWith(`Rincian inisiatif ${i.name}`));
        assert.ok(detail, `${i.name} has its details`);
        const cell = (label: string) => detail.rows.find((r) => r.cells[0] === label)!.cells[1]!;
        assert.equal(rupiah(cell('Anggaran (jejak SIPD)')), i.budget);
        assert.equal(amounts(cell('Jejak pendanaan')).reduce((a, b) => a + b, 0), i.budget, `${i.name}: its trace adds up to its budget`);
        for (const l of i.lines) assert.ok(!initiativeChapters.includes(l.code), `${i.name}: line ${l.code} is summarised, not listed`);
      }
      const bySource = tables.find((t) => t.caption.endsWith('Rencana dan realisasi pendanaan per sumber'))!;
      assert.deepEqual(bySource.rows.slice(1, 7).map((r) => r.cells[0]), ['APBD', 'DAK/APBN', 'Dana Desa', 'CSR', 'KPBU', 'Hibah'], 'a row per funding source');
      const byYear = tables.find((t) => t.caption.endsWith('Rencana dan realisasi pendanaan per tahun dan sumber'))!;
      assert.deepEqual(byYear.rows.at(-1)!.cells.slice(0, 3), bySource.rows.at(-1)!.cells.slice(0, 3), 'both tables add up to the same money');
      const y2025 = byYear.rows.find((r) => r.cells[0] === '2025')!;
      assert.ok(rupiah(y2025.cells[2]!) > 0 && y2025.bold, 'the demo\'s 2025 realisation, the sum of its sources');
    });

    test('Buku III: the six dimensions with their initiatives and budget, totals equal to Buku II\'s; Buku I\'s current condition per dimension', () => {
      const three = captionedTables(docxBlocks(books.ringkasan.xml));
      const perDim = three.find((t) => t.caption.endsWith('Inisiatif dan anggaran per dimensi'))!;
      assert.deepEqual(perDim.rows.slice(1, -1).map((r) => r.cells[0]), ['Smart Governance', 'Smart Branding', 'Smart Economy', 'Smart Living', 'Smart Society', 'Smart Environment']);
      assert.equal(rupiah(perDim.rows.at(-1)!.cells[2]!), initiatives.totals.budget);
      const headline = three.find((t) => t.caption.endsWith('Angka utama masterplan'))!;
      assert.equal(headline.rows.find((r) => r.cells[0] === 'Inisiatif')!.cells[1], String(initiatives.totals.initiatives));
      const one = captionedTables(docxBlocks(books.analisis.xml));
      const condition = one.find((t) => t.caption.endsWith('Kondisi per dimensi smart city'))!;
      // the sample RKPD's sub kegiatan add up to Rp 20.800.000.000, each pagu counted once
      assert.equal(rupiah(condition.rows.at(-1)!.cells[2]!), 20_800_000_000);
      assert.ok(headings(books.analisis.xml, 'Heading2').includes('3.1 Smart Governance'));
    });

    test('the dashboard lists the initiatives per dimension, how many and their budget, for the plan and for one year', async () => {
      const all = (await server.api('GET', `${MP}/dashboard`, { token: admin })).body;
      assert.equal(all.totals.initiatives, initiatives.totals.initiatives);
      assert.equal(all.totals.initiativeBudget, initiatives.totals.budget);
      assert.equal(all.byDimension.reduce((a: number, d: { initiatives: number }) => a + d.initiatives, 0), all.totals.initiatives);
      const list = (await server.api('GET', `${MP}/initiatives?dimension=living`, { token: admin })).body;
      const living = all.byDimension.find((d: { key: string }) => d.key === 'living');
      assert.deepEqual([living.initiatives, living.initiativeBudget], [list.items.length, list.totals.budget]);
      // 2025: the initiatives running that year, with that year's money
      const y = (await server.api('GET', `${MP}/dashboard?year=2025`, { token: admin })).body;
      const items = (await server.api('GET', `${MP}/initiatives`, { token: admin })).body.items as { startYear: number | null; endYear: number | null; years: { year: number; fromLines: number }[] }[];
      const running = items.filter((i) => (i.startYear ?? 0) <= 2025 && 2025 <= (i.endYear ?? 9999));
      assert.equal(y.totals.initiatives, running.length);
      assert.equal(y.totals.initiativeBudget, running.reduce((a, i) => a + (i.years.find((x) => x.year === 2025)?.fromLines ?? 0), 0));
      assert.ok(y.totals.initiatives < all.totals.initiatives || y.totals.initiativeBudget <= all.totals.initiativeBudget);
    });

    test('the earlier links still answer: no book is Buku II, book=masterplan Buku II, book=strategic Buku I; an unknown book is refused', async () => {
      const plain = await download(server, admin, `${MP}/export.docx`);
      assert.equal(plain.name, 'buku-2-rencana-induk-musi-rawas-2026.docx');
      const legacy = await download(server, admin, `${MP}/export.docx?book=masterplan`);
      assert.deepEqual(headings(await (await JSZip.loadAsync(legacy.bytes)).file('word/document.xml')!.async('string'), 'Heading1'), CHAPTERS.rencana);
      assert.equal((await download(server, admin, `${MP}/export.pdf?book=strategic`)).name, 'buku-1-analisis-strategis-musi-rawas-2026.pdf');
      const bad = await fetch(`${server.url}${MP}/export.docx?book=buku-4`, { headers: { authorization: `Bearer ${admin}` } });
      assert.equal(bad.status, 400);
    });
  });

  describe(`Buku II of a plan with ${PLAN_LINES.toLocaleString('en')} SIPD lines (${dialect.name})`, () => {
    let server: TestServer;
    let admin: string;
    before(async () => {
      server = await startServer(dialect);
      admin = await server.login();
      const region = (await server.api('GET', '/api/v1/region', { token: admin })).body.id as string;
      const now = Date.now();
      const opdIds: string[] = [];
      for (let i = 0; i < 10; i++) {
        opdIds.push(newId());
        await server.app.services.database.db.insertInto('opds').values({ id: opdIds[i]!, region_id: region, code: `OPD${i + 1}`, name: `Perangkat Daerah Contoh ${i + 1}`, created_at: now, updated_at: now }).execute();
      }
      const programs = await insertPlanLines(server.app.services.database.db, region, opdIds, now);
      for (const body of planInitiatives(programs)) assert.equal((await server.api('POST', `${MP}/initiatives`, { token: admin, body })).status, 201);
    });
    after(() => server.close());

    test('finishes within the worker\'s heap limit and lists the initiatives, not the lines', async () => {
      const started = Date.now();
      const docx = await download(server, admin, `${MP}/export.docx?book=rencana`);
      const pdf = await download(server, admin, `${MP}/export.pdf?book=rencana`);
      const ms = Date.now() - started;
      const heap = await server.app.services.masterplanExport.renderer.heap();
      assert.ok(heap, 'the worker wrote them');
      const { maxOldGenerationSizeMb: old, maxYoungGenerationSizeMb: young } = EXPORT_WORKER_LIMITS;
      assert.ok(heap.limitMb >= old && heap.limitMb <= old + 3 * young, `the worker runs under its limits (${heap.limitMb} MB)`);
      assert.ok(heap.totalMb < heap.limitMb, `heap ${heap.totalMb} MB of ${heap.limitMb} MB`);
      assert.ok(ms < 60_000, `${ms} ms`);

      const xml = await (await JSZip.loadAsync(docx.bytes)).file('word/document.xml')!.async('string');
      const tables = captionedTables(docxBlocks(xml));
      const rows = tables.reduce((a, t) => a + t.rows.length, 0);
      assert.ok(rows < 1_000, `${rows} table rows for ${PLAN_LINES} lines`);
      assert.ok(!/\d\.\d{2}\.\d{2}\.2\.\d{2}\.\d{4}/.test(xml), 'no sub kegiatan code in the document');
      const summary = tables.find((t) => t.caption.endsWith('Ringkasan inisiatif per dimensi'))!;
      assert.equal(summary.rows.at(-1)!.cells[1], String(PLAN_GROUPED), 'the initiatives');
      // the 10 ungrouped programs: their program, kegiatan and sub kegiatan rows, counted, with their sub kegiatan's money once
      assert.equal(summary.rows.at(-1)!.cells[4], ((PLAN_PROGRAMS - PLAN_GROUPED) * (PLAN_LINES / PLAN_PROGRAMS)).toLocaleString('de-DE'));
      const list = (await server.api('GET', `${MP}/initiatives`, { token: admin })).body;
      assert.equal(rupiah(summary.rows.at(-1)!.cells[3]!), list.totals.budget);
      for (const t of tables) checkTotals(t.caption, t.rows);
      assert.equal(pdfPages(pdf.bytes)[1]!.includes('DAFTAR ISI'), true);
    });
  });
}
