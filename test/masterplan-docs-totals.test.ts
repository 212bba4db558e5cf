/**
 * The master plan document adds up, read back as a reader would check it: the
 * demo's sample RKPD (programs, kegiatan and sub kegiatan, each pagu repeated at
 * every level) exported as DOCX and PDF; every amount of a hierarchy table is the
 * sum of the amounts right below it, every total the sum of its rows, each
 * dimension's total the one its table closes with, no row counted in two
 * dimensions; the readiness items in code order, page numbers, a table of
 * contents, numbered tables and figures, and the ministry as the plan says.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import JSZip from 'jszip';
import { ManualClock } from '../src/core/clock.ts';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { makeOpd } from './masterplan-docs-helpers.ts';
import { amounts, captionedTables, docxBlocks, pdfPages, rupiah, type DocxRow } from './masterplan-docs-read.ts';

const MP = '/api/v1/masterplan';
const INDENT_TWIPS = 220;
const DIMENSION_NAMES = ['Smart Governance', 'Smart Branding', 'Smart Economy', 'Smart Living', 'Smart Society', 'Smart Environment'];

async function download(server: TestServer, token: string, path: string): Promise<Buffer> {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, path);
  return Buffer.from(await res.arrayBuffer());
}

/** Checks one hierarchy table: each row with rows below it is their sum; the closing "Jumlah" is the sum of the top rows. Returns the total. */
function checkHierarchy(caption: string, rows: DocxRow[]): number {
  const body = rows.slice(1, -1);
  const last = rows.at(-1)!;
  assert.equal(last.cells[1], 'Jumlah', `${caption}: closes with a total row`);
  const depth = (r: DocxRow) => Math.round(r.indent / INDENT_TWIPS);
  body.forEach((row, i) => {
    const d = depth(row);
    const children: DocxRow[] = [];
    for (let j = i + 1; j < body.length && depth(body[j]!) > d; j++) if (depth(body[j]!) === d + 1) children.push(body[j]!);
    if (children.length === 0) return;
    assert.ok(row.bold, `${caption}: ${row.cells[0]} has rows below it and is set as a subtotal`);
    assert.equal(rupiah(row.cells[3]!), children.reduce((a, c) => a + rupiah(c.cells[3]!), 0), `${caption}: ${row.cells[0]} ${row.cells[1]} = the sum of ${children.map((c) => c.cells[0]).join(' + ')}`);
  });
  const total = body.filter((r) => depth(r) === 0).reduce((a, r) => a + rupiah(r.cells[3]!), 0);
  assert.equal(rupiah(last.cells[3]!), total, `${caption}: the total is the sum of the top rows`);
  return total;
}

for (const dialect of await dialects()) {
  describe(`the master plan document adds up (${dialect.name})`, () => {
    let server: TestServer;
    let admin: string;
    let docx: Buffer;
    let xml: string;

    before(async () => {
      // 3 December 2026: the document is dated after Kominfo became Komdigi
      server = await startServer(dialect, {}, { clock: new ManualClock(Date.UTC(2026, 11, 3, 3)) });
      admin = await server.login();
      const region = (await server.api('GET', '/api/v1/region', { token: admin })).body.id as string;
      // the OPDs the sample RKPD names (the Diskominfo comes with the region)
      for (const [code, name] of [['DINKES', 'Dinas Kesehatan'], ['DPUPR', 'Dinas Pekerjaan Umum dan Penataan Ruang'], ['DLH', 'Dinas Lingkungan Hidup'], ['BPBD', 'Badan Penanggulangan Bencana Daerah'], ['DISHUB', 'Dinas Perhubungan'], ['DISDIK', 'Dinas Pendidikan']]) {
        await makeOpd(server, admin, code!, name!);
      }
      const { seedMasterplanDemo, seedCollaborationDemo } = await import('../src/modules/masterplan/index.ts');
      const { masterplan, masterplanCollaboration, masterplanEvaluation } = server.app.services;
      await seedMasterplanDemo(masterplan, region, { withPrograms: true });
      await seedCollaborationDemo(masterplanCollaboration, masterplanEvaluation, region);
      docx = await download(server, admin, `${MP}/export.docx`);
      xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
    });
    after(() => server.close());

    test('DOCX: every amount of Bab IV is the sum of its rows, each dimension total is its table\'s, and no row counts in two dimensions', () => {
      const tables = captionedTables(docxBlocks(xml));
      const summary = tables.find((t) => /Ringkasan program per dimensi/.test(t.caption));
      assert.ok(summary, 'the summary per dimension');
      const perDimension = new Map(summary.rows.slice(1, -1).map((r) => [r.cells[0]!, rupiah(r.cells[3]!)]));
      const grand = rupiah(summary.rows.at(-1)!.cells[3]!);
      assert.equal(summary.rows.at(-1)!.cells[0], 'Jumlah');
      assert.equal([...perDimension.values()].reduce((a, b) => a + b, 0), grand, 'the dimensions add up to the total');
      // The sample RKPD's sub kegiatan add up to Rp 20.800.000.000 (each pagu is repeated at program and kegiatan level).
      assert.equal(grand, 20_800_000_000);

      const seen = new Map<string, string>();
      for (const name of DIMENSION_NAMES) {
        const table = tables.find((t) => t.caption.endsWith(`Program ${name}`));
        if (!table) {
          assert.equal(perDimension.get(name), 0, `${name} has no table and no budget`);
          continue;
        }
        assert.deepEqual(table.rows[0]!.cells, ['Kode', 'Program/Kegiatan/Sub Kegiatan', 'OPD', 'Anggaran', 'Tahun', 'Target KPI']);
        const total = checkHierarchy(name, table.rows);
        assert.equal(total, perDimension.get(name), `${name}: the summary says what its table adds up to`);
        for (const r of table.rows.slice(1, -1)) {
          assert.ok(rupiah(r.cells[3]!) <= total, `${name}: no row (${r.cells[0]}) is larger than the dimension`);
          assert.ok(!r.cells[1]!.includes('dimensi lain'), `${name}: ${r.cells[0]} is listed with its own program (kegiatan follow their program)`);
          assert.equal(seen.get(r.cells[0]!), undefined, `${r.cells[0]} is listed in ${seen.get(r.cells[0]!)} and ${name}`);
          seen.set(r.cells[0]!, name);
        }
      }
      // The water supply program and its SPAM pipes are in one dimension, with Rp 5,6 M counted once.
      assert.equal(seen.get('1.03.03'), seen.get('1.03.03.2.01.0006'));
      assert.equal(seen.get('1.03.03'), 'Smart Living');
      // The roadmap's horizons share out the same total.
      const horizons = tables.find((t) => /Program per jangka waktu/.test(t.caption))!;
      assert.equal(horizons.rows.slice(1).reduce((a, r) => a + rupiah(r.cells[2]!), 0), grand);
    });

    test('DOCX: readiness items in code order, page numbers in the footer, a table of contents, numbered tables and figures, Komdigi', async () => {
      const zip = await JSZip.loadAsync(docx);
      const tables = captionedTables(docxBlocks(xml));
      const items = tables.find((t) => /Butir asesmen kesiapan/.test(t.caption))!;
      const codes = items.rows.slice(1).map((r) => r.cells[1]!);
      assert.equal(codes.length, 24);
      const sorted = [...codes].sort((a, b) => 'SIP'.indexOf(a[0]!) - 'SIP'.indexOf(b[0]!) || a.localeCompare(b, 'en', { numeric: true }));
      assert.deepEqual(codes, sorted, 'Struktur, Infrastruktur, Suprastruktur, each in code order');
      assert.ok(codes.indexOf('I.1.1') < codes.indexOf('I.2.1'), 'I.1 before I.2');

      const footers = await Promise.all(Object.keys(zip.files).filter((f) => /^word\/footer\d*\.xml$/.test(f)).map((f) => zip.file(f)!.async('string')));
      assert.ok(footers.some((f) => /Halaman/.test(f) && /<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>|w:fldSimple w:instr="\s*PAGE/.test(f)), 'a footer with the PAGE field');
      assert.match(xml, /<w:titlePg\/>|<w:titlePg w:val="(true|1)"\/>/, 'the title page has no number');
      assert.match(xml, /<w:instrText[^>]*>TOC /, 'a table of contents');

      const captions = docxBlocks(xml).filter((b) => b.kind === 'p').map((b) => (b.kind === 'p' ? b.text : ''));
      const tableNumbers = captions.map((c) => /^Tabel (\d+)\. /.exec(c)?.[1]).filter(Boolean).map(Number);
      const figureNumbers = captions.map((c) => /^Gambar (\d+)\. /.exec(c)?.[1]).filter(Boolean).map(Number);
      assert.deepEqual(tableNumbers, tableNumbers.map((_, i) => i + 1), 'tables numbered 1, 2, 3, …');
      assert.ok(figureNumbers.length >= 3);
      assert.deepEqual(figureNumbers, figureNumbers.map((_, i) => i + 1), 'figures numbered 1, 2, 3, …');
      assert.equal(tableNumbers.length, tables.length, 'every table has its numbered caption');

      assert.ok(xml.includes('Kementerian Komunikasi dan Digital (Komdigi)'), 'a document of December 2026 names Komdigi');
      assert.ok(!xml.includes('Kementerian Komunikasi dan Informatika'));
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
      for (const chapter of ['BAB I PENDAHULUAN', 'BAB IV RENCANA PER DIMENSI', 'BAB VII IMPLEMENTASI DAN MONITORING']) {
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
