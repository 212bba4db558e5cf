/**
 * Kominfo's yearly evaluation (weights, items, evidence, impact survey, index)
 * and the master plan document: the DOCX opened again and read, the PDF — on
 * SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import JSZip from 'jszip';
import { ManualClock } from '../src/core/clock.ts';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { makeOpd, makePrograms, makeUser, multipart, seedPlanTables, TINY_PDF } from './masterplan-docs-helpers.ts';

const MP = '/api/v1/masterplan';
const SLEMAN = { baseline: 10, output: 20, outcome: 30, impact: 30, quickWin: 10 };

async function download(server: TestServer, token: string, path: string) {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Every w:t text under a node, in order. */
function texts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) texts(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'w:t') for (const t of Array.isArray(v) ? v : [v]) out.push(typeof t === 'object' && t !== null ? String((t as any)['#text'] ?? '') : String(t));
      else if (!k.startsWith('@_')) texts(v, out);
    }
  }
  return out;
}

/** Tables of a document.xml as rows of cell texts; headings as [style, text]. */
function readDocument(xml: string) {
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['w:p', 'w:tbl', 'w:tr', 'w:tc', 'w:r', 'w:t'].includes(name) });
  const doc = parser.parse(xml);
  const tables: string[][][] = [];
  const headings: [string, string][] = [];
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'w:tbl') for (const tbl of v as any[]) tables.push((tbl['w:tr'] ?? []).map((tr: any) => (tr['w:tc'] ?? []).map((tc: any) => texts(tc).join(''))));
      else if (k === 'w:p') {
        for (const p of v as any[]) {
          const style = p['w:pPr']?.['w:pStyle']?.['@_w:val'];
          if (typeof style === 'string' && /^Heading\d$/.test(style)) headings.push([style, texts(p).join('')]);
          walk(p);
        }
      } else if (!k.startsWith('@_')) walk(v);
    }
  };
  walk(doc);
  return { tables, headings };
}

for (const dialect of await dialects()) {
  describe(`master plan demo data of the collaboration and evaluation (${dialect.name})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(dialect);
    });
    after(() => server.close());

    test('the four bimtek rounds, the Bupati\'s commitment and the 2021/2022 evaluations, written once', async () => {
      const { seedCollaborationDemo } = await import('../src/modules/masterplan/index.ts');
      const admin = await server.login();
      const region = (await server.api('GET', '/api/v1/region', { token: admin })).body.id;
      const { masterplanCollaboration, masterplanDiscussion, masterplanEvaluation } = server.app.services;
      await seedCollaborationDemo(masterplanCollaboration, masterplanDiscussion, masterplanEvaluation, region);
      await seedCollaborationDemo(masterplanCollaboration, masterplanDiscussion, masterplanEvaluation, region);
      const sessions = await server.api('GET', `${MP}/sessions`, { token: admin });
      assert.deepEqual(sessions.body.map((x: any) => x.round), [1, 2, 3, 4]);
      assert.equal((await server.api('GET', `${MP}/commitments`, { token: admin })).body.length, 1);
      assert.deepEqual((await server.api('GET', `${MP}/evaluation`, { token: admin })).body, [{ year: 2021, index: 2.77 }, { year: 2022, index: 3.31 }]);
      const dashboard = await server.api('GET', `${MP}/dashboard?year=2022`, { token: admin });
      assert.equal(dashboard.status, 200, JSON.stringify(dashboard.body));
      assert.deepEqual(dashboard.body.evaluationIndex, [{ year: 2021, index: 2.77 }, { year: 2022, index: 3.31 }], 'the dashboard shows the index');
    });
  });

  describe(`master plan evaluation and document (${dialect.name})`, () => {
    let server: TestServer;
    let admin: string;
    let operator: { id: string; token: string };
    let viewer: { id: string; token: string };
    let programs: string[];
    let dinkes: string;

    before(async () => {
      server = await startServer(dialect, {}, { clock: new ManualClock(Date.UTC(2026, 10, 29, 3)) });
      admin = await server.login();
      dinkes = await makeOpd(server, admin, 'DINKES', 'Dinas Kesehatan');
      const dishub = await makeOpd(server, admin, 'DISHUB', 'Dinas Perhubungan');
      const kominfo = await makeOpd(server, admin, 'DISKOMINFO', 'Dinas Komunikasi dan Informatika');
      operator = await makeUser(server, admin, 'operator@musirawas.go.id', 'operator', dinkes);
      viewer = await makeUser(server, admin, 'pimpinan@musirawas.go.id', 'viewer', null);
      programs = await makePrograms(server, admin, [
        { opdId: kominfo, code: '2.16.03.2.02.0014', name: 'Penyelenggaraan Jaringan Intra Pemerintah Daerah', budget: 1_250_000_000, year: 2026, dimensionKey: 'governance', elementKey: 'service', horizon: 'short', roadmapYear: 2026, indicator: 'OPD terhubung jaringan intra', target: '100', unit: '%' },
        { opdId: kominfo, code: '2.16.03.2.02.0015', name: 'Pengembangan Aplikasi Layanan Publik Terpadu', budget: 980_500_000, year: 2027, dimensionKey: 'governance', elementKey: 'bureaucracy', horizon: 'medium', roadmapYear: 2027 },
        { opdId: dinkes, code: '1.02.02.2.01.0001', name: 'Telemedisin Puskesmas', budget: 450_000_000, year: 2026, dimensionKey: 'living', elementKey: 'health', horizon: 'short', roadmapYear: 2026 },
        { opdId: dishub, code: '2.15.02.2.01.0003', name: 'Penerangan Jalan Umum Cerdas', budget: 3_000_000_000, year: 2028, dimensionKey: 'environment', elementKey: 'energy', horizon: 'long', roadmapYear: 2030 },
        { opdId: dinkes, code: '1.02.02.2.02.0007', name: 'Posyandu Digital', budget: 120_000_000, year: 2026, dimensionKey: 'society', elementKey: 'community' },
        { opdId: dishub, code: '2.15.02.2.01.0009', name: 'Program Belum Dipetakan Contoh', budget: 75_000_000, year: 2026 },
      ]);
    });
    after(() => server.close());

    test('weights: set by the admin, the five must sum to 100 (400 otherwise), nothing half-written', async () => {
      const bad = await server.api('PUT', `${MP}/evaluation/2022`, { token: admin, body: { weights: { ...SLEMAN, impact: 20 } } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'EVALUATION_WEIGHTS_INVALID');
      assert.match(bad.body.error.message, /sum to 100; they sum to 90/);
      const over = await server.api('PUT', `${MP}/evaluation/2022`, { token: admin, body: { weights: { ...SLEMAN, impact: 40 }, items: [{ dimension: 'baseline', name: 'x', score: 3 }] } });
      assert.equal(over.status, 400);
      assert.equal((await server.api('GET', `${MP}/evaluation/2022`, { token: admin })).body.items.length, 0, 'the items of a refused request are not saved');
      const missing = await server.api('PUT', `${MP}/evaluation/2022`, { token: admin, body: { weights: { baseline: 50, output: 50 } } });
      assert.equal(missing.status, 400);
      const byOperator = await server.api('PUT', `${MP}/evaluation/2022`, { token: operator.token, body: { weights: SLEMAN } });
      assert.equal(byOperator.status, 403);
      const ok = await server.api('PUT', `${MP}/evaluation/2022`, { token: admin, body: { weights: SLEMAN } });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body.weights, SLEMAN);
      assert.equal(ok.body.index, null, 'no score yet');
      const badScore = await server.api('PUT', `${MP}/evaluation/2022`, { token: admin, body: { items: [{ dimension: 'output', name: 'Aplikasi', score: 6 }] } });
      assert.equal(badScore.status, 400);
    });

    test('index: weighted average of the five (Kota Kediri 2022 got 3,31), Impact from the citizens\' survey, per smart city dimension', async () => {
      const items = [
        { dimension: 'baseline', name: 'Dokumen masterplan dan Perbup', smartDimension: 'governance' },
        { dimension: 'output', name: 'Aplikasi layanan berjalan', score: 3.5, smartDimension: 'governance' },
        { dimension: 'outcome', name: 'Pemanfaatan layanan', score: 3.2, smartDimension: 'governance' },
        { dimension: 'quickWin', name: 'Quick win terlaksana', score: 3.6, smartDimension: 'governance' },
        { dimension: 'impact', name: 'Survei kepuasan (dari survei dampak)', score: null },
      ];
      const put = await server.api('PUT', `${MP}/evaluation/2022`, { token: admin, body: { items } });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.equal(put.body.items.length, 5);
      assert.deepEqual(put.body.missing, ['baseline', 'impact'], 'a first evaluation has no Baseline to compute');
      // the first evaluation's Baseline is set by hand, with its reason
      const baseline = await server.api('PUT', `${MP}/evaluation/2022/baseline`, { token: admin, body: { score: 3, reason: 'Evaluasi pertama: dinilai tim evaluasi' } });
      assert.equal(baseline.status, 200, JSON.stringify(baseline.body));
      assert.equal(baseline.body.baseline.source, 'override');

      const twoForOne = await server.api('PUT', `${MP}/evaluation/2022/survey/programs`, { token: admin, body: { programs: programs.slice(0, 2).map((programId) => ({ dimensionKey: 'governance', elementKey: 'service', programId })) } });
      assert.equal(twoForOne.status, 400, 'one program per element');
      assert.equal((await server.api('PUT', `${MP}/evaluation/2022/survey/programs`, { token: operator.token, body: { programs: [] } })).status, 403);
      const chosen = await server.api('PUT', `${MP}/evaluation/2022/survey/programs`, {
        token: admin,
        body: { programs: [{ dimensionKey: 'governance', elementKey: 'service', programId: programs[0] }, { dimensionKey: 'governance', elementKey: 'bureaucracy', programId: programs[1] }, { dimensionKey: 'society', elementKey: 'community', programId: programs[4] }] },
      });
      assert.equal(chosen.status, 200, JSON.stringify(chosen.body));

      // The operator enters five answers for governance (mean 3,6) …
      const answers = [4, 4, 4, 3, 3].map((score, i) => ({ programId: programs[i % 2], score, respondent: `Warga ${i + 1}` }));
      const entered = await server.api('POST', `${MP}/evaluation/2022/survey`, { token: operator.token, body: { answers } });
      assert.equal(entered.status, 201, JSON.stringify(entered.body));
      assert.equal(entered.body.added, 5);
      assert.equal((await server.api('POST', `${MP}/evaluation/2022/survey`, { token: operator.token, body: { answers: [{ programId: programs[0], score: 6 }] } })).status, 400);
      assert.equal((await server.api('POST', `${MP}/evaluation/2022/survey`, { token: viewer.token, body: { answers: [{ programId: programs[0], score: 3 }] } })).status, 403);
      assert.equal((await server.api('POST', `${MP}/evaluation/2022/survey`, { token: operator.token, body: { answers: [{ programId: programs[3], score: 3 }] } })).status, 400, 'not a survey program');

      // … and imports three for society from CSV (mean 3,0); a bad CSV saves nothing and names its rows.
      const badCsv = 'program_code;score;respondent\n1.02.02.2.02.0007;3;A\n1.02.02.2.02.0007;9;B\n9.99.99;3;C\n';
      const refused = await server.api('POST', `${MP}/evaluation/2022/survey`, { token: operator.token, raw: badCsv, headers: { 'content-type': 'text/csv' } });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, 'CSV_INVALID');
      assert.deepEqual(refused.body.error.details.errors.map((e: any) => e.row), [3, 4]);
      const csv = 'program_code;score;respondent\n1.02.02.2.02.0007;3;A\n1.02.02.2.02.0007;3;B\n1.02.02.2.02.0007;3;C\n';
      const imported = await server.api('POST', `${MP}/evaluation/2022/survey`, { token: operator.token, raw: csv, headers: { 'content-type': 'text/csv' } });
      assert.equal(imported.status, 201, JSON.stringify(imported.body));
      assert.equal(imported.body.added, 3);

      const e = (await server.api('GET', `${MP}/evaluation/2022`, { token: viewer.token })).body;
      assert.equal(e.survey.answers, 8);
      assert.deepEqual(e.survey.byDimension.filter((d: any) => d.mean !== null).map((d: any) => [d.key, d.mean]), [['governance', 3.6], ['society', 3]]);
      assert.deepEqual(e.scores, { baseline: 3, output: 3.5, outcome: 3.2, impact: 3.3, quickWin: 3.6 });
      // 10×3 + 20×3,5 + 30×3,2 + 30×3,3 + 10×3,6 = 331 → 3,31
      assert.equal(e.index, 3.31);
      assert.deepEqual(e.missing, []);
      const gov = e.byDimension.find((d: any) => d.key === 'governance');
      // the governance items and its own survey mean 3,6 for Impact (the Baseline is the region's, not a dimension's): (70 + 96 + 108 + 36) / 90
      assert.equal(gov.index, 3.44);
      assert.equal(gov.weightShare, 90);
      assert.equal(gov.surveyMean, 3.6);
      // society has only the survey (Impact 3,0): its index is 3 on the 0–5 scale, over 30% of the weighting (not 3,0 × 30% = 0,9)
      const society = e.byDimension.find((d: any) => d.key === 'society');
      assert.deepEqual([society.index, society.weightShare], [3, 30]);
      assert.equal(e.byDimension.find((d: any) => d.key === 'branding').index, null);

      const weights2023 = { baseline: 20, output: 20, outcome: 20, impact: 20, quickWin: 20 };
      await server.api('PUT', `${MP}/evaluation/2023`, { token: admin, body: { weights: weights2023, items: [{ dimension: 'baseline', name: 'b' }, { dimension: 'output', name: 'o', score: 4 }, { dimension: 'outcome', name: 'c', score: 4 }, { dimension: 'impact', name: 'i', score: 4 }, { dimension: 'quickWin', name: 'q', score: 5 }] } });
      const byYear = await server.api('GET', `${MP}/evaluation`, { token: viewer.token });
      // 2023's Baseline is computed from 2022 (the only evaluation before it): 3,31; (20 × 3,31 + 20 × 4 × 3 + 20 × 5) / 100 = 4,06
      assert.deepEqual(byYear.body, [{ year: 2022, index: 3.31 }, { year: 2023, index: 4.06 }]);
      const dashboard = await server.api('GET', `${MP}/dashboard`, { token: viewer.token });
      assert.deepEqual(dashboard.body.evaluationIndex, byYear.body, 'the leadership dashboard shows the same index over the years');
    });

    test('evidence per item: a real file is stored; a fake type and an oversized file are refused and nothing is stored', async () => {
      const item = (await server.api('GET', `${MP}/evaluation/2022`, { token: admin })).body.items[0];
      const good = multipart('file', 'SK Tim Smart City.pdf', TINY_PDF, 'application/pdf');
      const stored = await server.api('POST', `${MP}/evaluation/2022/items/${item.id}/evidence`, { token: operator.token, raw: good.raw, headers: good.headers });
      assert.equal(stored.status, 201, JSON.stringify(stored.body));
      assert.equal(stored.body.contentType, 'application/pdf');
      assert.equal(stored.body.filename, 'SK Tim Smart City.pdf');
      const back = await download(server, viewer.token, stored.body.url);
      assert.equal(back.status, 200);
      assert.deepEqual(back.bytes, TINY_PDF);

      const fake = multipart('file', 'bukti.pdf', Buffer.from('MZ\x90\x00 this is an executable, not a PDF'), 'application/pdf');
      const refused = await server.api('POST', `${MP}/evaluation/2022/items/${item.id}/evidence`, { token: operator.token, raw: fake.raw, headers: fake.headers });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, 'UPLOAD_INVALID');
      const big = Buffer.alloc(10 * 1024 * 1024 + 10, 0x20);
      TINY_PDF.copy(big);
      const huge = multipart('file', 'besar.pdf', big, 'application/pdf');
      const tooLarge = await server.api('POST', `${MP}/evaluation/2022/items/${item.id}/evidence`, { token: operator.token, raw: huge.raw, headers: huge.headers });
      assert.equal(tooLarge.status, 413);
      assert.equal(tooLarge.body.error.code, 'UPLOAD_TOO_LARGE');
      const notMultipart = await server.api('POST', `${MP}/evaluation/2022/items/${item.id}/evidence`, { token: operator.token, body: { file: 'x' } });
      assert.equal(notMultipart.status, 415);
      assert.equal((await server.api('POST', `${MP}/evaluation/2022/items/${item.id}/evidence`, { token: viewer.token, raw: good.raw, headers: good.headers })).status, 403);
      assert.equal((await server.api('POST', `${MP}/evaluation/2022/items/00000000-0000-4000-8000-000000000000/evidence`, { token: operator.token, raw: good.raw, headers: good.headers })).status, 404);
      const after = (await server.api('GET', `${MP}/evaluation/2022`, { token: admin })).body.items[0];
      assert.equal(after.evidence.length, 1, 'only the good file is stored');
      const second = await server.api('POST', `${MP}/evaluation/2022/items/${item.id}/evidence`, { token: admin, raw: good.raw, headers: good.headers });
      assert.equal((await server.api('DELETE', `${MP}/evaluation/evidence/${second.body.id}`, { token: operator.token })).status, 403, "not the operator's upload");
      assert.equal((await server.api('DELETE', `${MP}/evaluation/evidence/${second.body.id}`, { token: admin })).status, 204);
      assert.equal((await download(server, admin, second.body.url)).status, 404);
      assert.equal((await server.api('GET', `${MP}/evaluation/2022`, { token: admin })).body.items[0].evidence.length, 1);
    });

    test('export round trip: Buku I and II opened again hold the plan, budgets the Indonesian way, the chapters as Word headings, a table of contents and charts', async () => {
      const region = (await server.api('GET', '/api/v1/region', { token: admin })).body.id;
      await seedPlanTables(server, region, programs[2]!);
      // Bab V and VI print the quick win records and the roadmap (the checkbox of a program no longer makes a quick win)
      assert.equal((await server.api('POST', `${MP}/quickwins`, { token: admin, body: { title: 'Telemedisin 10 Puskesmas', dimensionKey: 'living', startMonth: '2026-03', endMonth: '2026-10', cost: 450_000_000, output: '10 puskesmas melayani telekonsultasi' } })).status, 201);
      assert.equal((await server.api('POST', `${MP}/roadmap/milestones`, { token: admin, body: { dimensionKey: 'environment', year: 2030, text: 'PJU cerdas di seluruh ibu kota kecamatan' } })).status, 201);
      await server.api('POST', `${MP}/sessions`, { token: admin, body: { round: 1, date: Date.UTC(2026, 2, 10), title: 'Bimtek I', place: 'Aula Bappeda', participants: [{ name: 'Rina', opd: 'BAPPEDA' }], decisions: ['Tim dibentuk'] } });
      await server.api('POST', `${MP}/commitments`, { token: admin, body: { signerName: 'H. Ratna Machmud', position: 'Bupati Musi Rawas', opdId: null, signedAt: Date.UTC(2026, 5, 1) } });
      const res = await download(server, admin, `${MP}/export.docx`);
      assert.equal(res.status, 200, res.bytes.toString().slice(0, 300));
      assert.equal(res.type, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      assert.equal(res.disposition, 'attachment; filename="buku-2-rencana-induk-musi-rawas-2026.docx"');
      const zip = await JSZip.loadAsync(res.bytes);
      const xml = await zip.file('word/document.xml')!.async('string');
      const two = readDocument(xml);
      const xmlOne = await (await JSZip.loadAsync((await download(server, admin, `${MP}/export.docx?book=analisis`)).bytes)).file('word/document.xml')!.async('string');
      const one = readDocument(xmlOne);

      const h1 = two.headings.filter(([s]) => s === 'Heading1').map(([, t]) => t);
      assert.deepEqual(h1, ['BAB I PENDAHULUAN', 'BAB II INISIATIF PER DIMENSI', 'BAB III QUICK WIN', 'BAB IV ROADMAP', 'BAB V RENCANA PENGEMBANGAN', 'BAB VI PEMBIAYAAN', 'BAB VII IMPLEMENTASI DAN MONITORING', 'BAB VIII PENETAPAN DAN LAMPIRAN']);
      const h2 = [...one.headings, ...two.headings].filter(([s]) => s === 'Heading2').map(([, t]) => t);
      for (const h of ['1.1 Latar Belakang', '1.2 Maksud dan Tujuan', '1.3 Dasar Hukum', '1.4 Sistematika Penulisan', '5.1 Visi', '5.2 Misi', '5.3 Arah Kebijakan', '2.1 Smart Governance', '2.6 Smart Environment', '3.1 Smart Governance', '7.1 Lembar Komitmen', '7.2 FGD dan Bimbingan Teknis', '7.3 Monitoring dan Evaluasi']) assert.ok(h2.includes(h), `heading ${h}`);
      assert.ok(/<w:instrText[^>]*>TOC [^<]*\\o &quot;1-2&quot;/.test(xml), 'a table of contents field over the headings');
      const styles = await zip.file('word/styles.xml')!.async('string');
      assert.match(styles, /w:styleId="Heading1"/);

      // The lines mapped per dimension in Buku I, each rupiah once: governance 1.250.000.000 + 980.500.000.
      const condition = one.tables.find((t) => t[0]?.[0] === 'Dimensi' && t[0]?.[1] === 'Baris anggaran')!;
      assert.deepEqual(condition.find((r) => r[0] === 'Smart Governance')?.slice(0, 3), ['Smart Governance', '2', 'Rp 2.230.500.000']);
      assert.deepEqual(condition.find((r) => r[0] === 'Belum dipetakan')?.slice(0, 3), ['Belum dipetakan', '1', 'Rp 75.000.000']);
      assert.deepEqual(condition.at(-1)?.slice(0, 3), ['Jumlah', '6', 'Rp 5.875.500.000']);
      // No initiative yet: Buku II says so per dimension and counts the lines not yet grouped.
      const summary = two.tables.find((t) => t[0]?.[0] === 'Dimensi' && t[0]?.[1] === 'Inisiatif')!;
      assert.deepEqual(summary.at(-1), ['Jumlah', '0', 'Rp 0', 'Rp 0', '6', 'Rp 5.875.500.000']);
      // Quick wins, the roadmap, the commitments, the FGD and the evaluation with its index 3,31.
      const rows = [...one.tables, ...two.tables].flat();
      const quick = two.tables.find((t) => t[0]?.[1] === 'Quick win' && t[0]?.[0] === 'No')!;
      assert.deepEqual(quick.slice(1).map((r) => [r[1], r[5]]), [['Telemedisin 10 Puskesmas', 'Rp 450.000.000'], ['Jumlah', 'Rp 450.000.000']]);
      assert.ok(rows.some((r) => r[0] === '2030' && r[3] === '• PJU cerdas di seluruh ibu kota kecamatan'), 'the roadmap\'s milestone of 2030');
      assert.ok(rows.some((r) => r[0] === 'H. Ratna Machmud' && r[1] === 'Bupati Musi Rawas' && r[3] === '1 Juni 2026'));
      assert.ok(rows.some((r) => r[0] === '1' && r[2] === 'Bimtek I' && r[5] === '1. Tim dibentuk'));
      assert.ok(rows.some((r) => r[0] === '2022' && r[1] === '10' && r[3] === '30' && r[6] === '3,31'), 'weights and index of 2022');
      // Buku I from the plan, the readiness assessment and its SWOT.
      assert.ok(rows.some((r) => r[0] === 'Struktur' && r[1] === 'Rata-rata elemen' && r[2] === '1,5' && r[3] === '3,5' && r[4] === '2' && r[5] === '37,5%'), 'readiness per element');
      assert.ok(rows.some((r) => r[1] === 'SU-01' && r[2] === 'Peraturan Bupati tentang smart city' && r[3] === '4'), 'readiness items');
      assert.ok(rows.some((r) => r[1] === 'Anggaran TIK terhadap APBD' && r[4] === '2'), 'the gap table');
      assert.ok(rows.some((r) => r[0] === '• Komitmen Bupati' && r[1] === '• SDM TIK terbatas'), 'SWOT');
      assert.ok(xmlOne.includes('Musi Rawas Cerdas, Melayani dan Sejahtera') && xmlOne.includes('Penerapan SPBE di seluruh OPD'), 'vision and policy direction');
      assert.ok(one.headings.some(([, t]) => t === '4.1 Kesiapan per Elemen'));
      // Charts embedded as PNG images.
      const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
      assert.ok(media.length >= 2, `charts embedded (budget, index): ${media.join(', ')}`);
      const png = await zip.file(media[0]!)!.async('nodebuffer');
      assert.equal(png.subarray(1, 4).toString(), 'PNG');
    });

    test('Buku I (book=analisis, or strategic as before) is the strategic analysis on its own; the PDF starts with %PDF and carries the title', async () => {
      const res = await download(server, viewer.token, `${MP}/export.docx?book=strategic`);
      assert.equal(res.status, 200);
      assert.equal(res.disposition, 'attachment; filename="buku-1-analisis-strategis-musi-rawas-2026.docx"');
      const xml = await (await JSZip.loadAsync(res.bytes)).file('word/document.xml')!.async('string');
      const h1 = readDocument(xml).headings.filter(([s]) => s === 'Heading1').map(([, t]) => t);
      assert.deepEqual(h1, ['BAB I PENDAHULUAN', 'BAB II GAMBARAN UMUM DAERAH', 'BAB III KONDISI SAAT INI PER DIMENSI', 'BAB IV ANALISIS KESIAPAN', 'BAB V ANALISIS STRATEGIS', 'BAB VI STRATEGI DAN TUJUAN']);
      assert.ok(!xml.includes('Penerangan Jalan Umum Cerdas'), 'no program tables in Buku I');
      assert.equal((await download(server, admin, `${MP}/export.docx?book=other`)).status, 400);
      assert.equal((await fetch(`${server.url}${MP}/export.docx`)).status, 401);

      const pdf = await download(server, admin, `${MP}/export.pdf`);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.type, 'application/pdf');
      assert.equal(pdf.disposition, 'attachment; filename="buku-2-rencana-induk-musi-rawas-2026.pdf"');
      assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.ok(pdf.bytes.toString('latin1').includes('BUKU II RENCANA INDUK'), 'the title is in the document information');
      assert.ok(!/https?:\/\/(?!www\.w3\.org|ns\.adobe\.com|purl\.org)/.test(pdf.bytes.toString('latin1')), 'nothing fetched from the network');
      const strategicPdf = await download(server, admin, `${MP}/export.pdf?book=strategic`);
      assert.ok(strategicPdf.bytes.toString('latin1').includes('BUKU I ANALISIS STRATEGIS'));
    });

    test("a wrong survey import is cleared by a reviewer; the index follows", async () => {
      assert.equal((await server.api('DELETE', `${MP}/evaluation/2022/survey/answers`, { token: operator.token })).status, 403);
      const cleared = await server.api('DELETE', `${MP}/evaluation/2022/survey/answers`, { token: admin });
      assert.deepEqual(cleared.body, { deleted: 8 });
      const e = (await server.api('GET', `${MP}/evaluation/2022`, { token: viewer.token })).body;
      assert.equal(e.survey.answers, 0);
      assert.deepEqual(e.missing, ['impact']);
      assert.equal(e.index, 2.32, 'Impact counts 0 without answers: 3,31 − 0,3 × 3,3');
    });
  });
}
