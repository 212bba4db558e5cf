/**
 * Monev computed (issue 16), on SQLite and PostgreSQL: the Baseline computed from the two
 * evaluations before (and set by hand only with a reason), Output and Outcome pre-filled from
 * the initiatives, KPIs, incidents and devices with their figures, the impact survey with one
 * program per element of its dimension, the current year started from the previous one, and
 * the self-assessment pack opened and read.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import JSZip from 'jszip';
import { ManualClock } from '../src/core/clock.ts';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { makeOpd, makePrograms, multipart, TINY_PDF } from './masterplan-docs-helpers.ts';

const MP = '/api/v1/masterplan';
const SLEMAN = { baseline: 10, output: 20, outcome: 30, impact: 30, quickWin: 10 };
const NOW = Date.UTC(2026, 5, 15, 3);
const scored = (score: number) => [
  { dimension: 'baseline', name: 'Dokumen masterplan dan Perbup smart city' },
  { dimension: 'output', name: 'Aplikasi layanan publik berjalan', score, smartDimension: 'governance' },
  { dimension: 'outcome', name: 'Pemanfaatan layanan digital oleh warga', score, smartDimension: 'society' },
  { dimension: 'impact', name: 'Dampak bagi warga', score, smartDimension: 'living' },
  { dimension: 'quickWin', name: 'Quick win terlaksana', score, smartDimension: 'environment' },
];
/** The refusal's reason in both languages. */
const reason = (body: any): { id: string; en: string } => body.error.details.reason;

for (const dialect of await dialects()) {
  describe(`monev computed (${dialect.name})`, () => {
    let server: TestServer;
    let admin: string;
    let programs: string[];
    let i2024: number;
    let i2025: number;

    before(async () => {
      server = await startServer(dialect, {}, { clock: new ManualClock(NOW) });
      admin = await server.login();
      const kominfo = await makeOpd(server, admin, 'DISKOMINFO', 'Dinas Komunikasi dan Informatika');
      const dinkes = await makeOpd(server, admin, 'DINKES', 'Dinas Kesehatan');
      programs = await makePrograms(server, admin, [
        { opdId: kominfo, code: '2.16.03.2.02.0014', name: 'Penyelenggaraan Jaringan Intra Pemerintah Daerah', budget: 1_250_000_000, year: 2026, dimensionKey: 'governance', elementKey: 'service' },
        { opdId: kominfo, code: '2.16.03.2.02.0015', name: 'Pengembangan Aplikasi Layanan Publik Terpadu', budget: 980_500_000, year: 2026, dimensionKey: 'governance', elementKey: 'bureaucracy' },
        { opdId: dinkes, code: '1.02.02.2.01.0001', name: 'Telemedisin Puskesmas', budget: 450_000_000, year: 2026, dimensionKey: 'living', elementKey: 'health' },
      ]);
      // What the platform knows in 2026: two initiatives due (one under way, one completed) with money planned and realised,
      // two KPIs (one on track, one off track), two devices (none online yet).
      const a = await server.api('POST', `${MP}/initiatives`, { token: admin, body: { dimensionKey: 'governance', elementKey: 'service', name: 'Jaringan intra pemerintah', startYear: 2026, endYear: 2027, status: 'berjalan' } });
      assert.equal(a.status, 201, JSON.stringify(a.body));
      const b = await server.api('POST', `${MP}/initiatives`, { token: admin, body: { dimensionKey: 'living', elementKey: 'health', name: 'Telemedisin', startYear: 2025, endYear: 2026, status: 'selesai' } });
      assert.equal(b.status, 201, JSON.stringify(b.body));
      assert.equal((await server.api('PUT', `${MP}/initiatives/${a.body.id}/years/2026`, { token: admin, body: { planned: 100_000_000, realised: 60_000_000 } })).status, 200);
      assert.equal((await server.api('PUT', `${MP}/initiatives/${b.body.id}/years/2026`, { token: admin, body: { planned: 100_000_000, realised: 100_000_000 } })).status, 200);
      for (const [name, actual] of [['OPD terhubung jaringan intra', 100], ['Puskesmas dengan telemedisin', 40]] as const) {
        const k = await server.api('POST', `${MP}/kpis`, { token: admin, body: { name, unit: '%', dimensionKey: 'governance', values: [{ year: 2026, target: 100, actual }] } });
        assert.equal(k.status, 201, JSON.stringify(k.body));
      }
      for (const name of ['PJU-01', 'PJU-02']) assert.equal((await server.api('POST', '/api/v1/devices', { token: admin, body: { name, type: 'street_light' } })).status, 201);
    });
    after(() => server.close());

    test('weights that do not sum to 100 are refused, saying so in both languages', async () => {
      const bad = await server.api('PUT', `${MP}/evaluation/2024`, { token: admin, body: { weights: { ...SLEMAN, impact: 20 } } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'EVALUATION_WEIGHTS_INVALID');
      assert.match(reason(bad.body).id, /harus 100; sekarang 90/);
      assert.match(reason(bad.body).en, /must sum to 100; they sum to 90/);
      assert.equal((await server.api('GET', `${MP}/evaluation`, { token: admin })).body.length, 0, 'nothing saved');
    });

    test('the Baseline: none for a first evaluation, set by hand only with a reason, then computed from the two years before', async () => {
      const first = await server.api('PUT', `${MP}/evaluation/2024`, { token: admin, body: { weights: SLEMAN, items: scored(3) } });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.baseline.source, 'none');
      assert.deepEqual(first.body.missing, ['baseline']);

      const scoredBaseline = await server.api('PUT', `${MP}/evaluation/2024`, { token: admin, body: { items: [{ dimension: 'baseline', name: 'x', score: 4 }] } });
      assert.equal(scoredBaseline.status, 400, 'the Baseline is not scored on an item');
      assert.match(reason(scoredBaseline.body).id, /Baseline dihitung dari evaluasi sebelumnya/);

      for (const body of [{ score: 2 }, { score: 2, reason: '   ' }]) {
        const refused = await server.api('PUT', `${MP}/evaluation/2024/baseline`, { token: admin, body });
        assert.equal(refused.status, 400);
        assert.equal(reason(refused.body).id, 'Baseline yang diubah manual wajib disertai alasannya');
        assert.equal(reason(refused.body).en, 'A Baseline set by hand needs its reason');
      }
      assert.equal((await server.api('GET', `${MP}/evaluation/2024`, { token: admin })).body.baseline.override, null, 'nothing saved');
      const set = await server.api('PUT', `${MP}/evaluation/2024/baseline`, { token: admin, body: { score: 2, reason: 'Evaluasi pertama: dinilai tim evaluasi' } });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.baseline.source, 'override');
      assert.equal(set.body.baseline.override.reason, 'Evaluasi pertama: dinilai tim evaluasi');
      assert.ok(set.body.baseline.override.by.length > 0, 'who set it');
      // 10 × 2 + (20 + 30 + 30 + 10) × 3 = 290 → 2,9
      i2024 = set.body.index;
      assert.equal(i2024, 2.9);

      const second = await server.api('PUT', `${MP}/evaluation/2025`, { token: admin, body: { weights: SLEMAN, items: scored(4) } });
      assert.equal(second.status, 200);
      // one evaluation before: Baseline = P = 2,9
      assert.equal(second.body.baseline.source, 'computed');
      assert.equal(second.body.baseline.computed, i2024);
      i2025 = second.body.index;
      assert.equal(i2025, Math.round((10 * i2024 + 90 * 4) * 100) / 100 / 100);

      // an override on 2025 and back: null returns to the computed one
      const over = await server.api('PUT', `${MP}/evaluation/2025/baseline`, { token: admin, body: { score: 1, reason: 'uji' } });
      assert.equal(over.body.scores.baseline, 1);
      const back = await server.api('PUT', `${MP}/evaluation/2025/baseline`, { token: admin, body: { score: null } });
      assert.equal(back.body.baseline.source, 'computed');
      assert.equal(back.body.index, i2025);
    });

    test('the 2026 evaluation opens started from 2025: weights and items copied, the Baseline computed, Output and Outcome pre-filled with their evidence', async () => {
      const e = (await server.api('GET', `${MP}/evaluation/2026`, { token: admin })).body;
      assert.equal(e.startedFrom, 2025);
      assert.deepEqual(e.weights, SLEMAN);
      // Baseline = P + (P − Q) with P = 2025's index and Q = 2024's
      const expected = Math.round(Math.min(5, Math.max(0, i2025 + (i2025 - i2024))) * 100) / 100;
      assert.equal(e.baseline.computed, expected);
      assert.equal(e.scores.baseline, expected);
      assert.deepEqual([e.baseline.previous, e.baseline.beforePrevious], [{ year: 2025, index: i2025 }, { year: 2024, index: i2024 }]);
      const copied = e.items.filter((i: any) => i.auto === null);
      assert.deepEqual(copied.map((i: any) => i.name), scored(0).map((i) => i.name), "2025's items");
      assert.ok(copied.every((i: any) => i.score === null), 'without their scores');

      const auto = Object.fromEntries(e.items.filter((i: any) => i.auto).map((i: any) => [i.auto.key, i]));
      assert.deepEqual(Object.keys(auto).sort(), ['outcome.devices', 'outcome.kpis', 'outcome.sla', 'output.initiatives', 'output.realisation']);
      for (const it of Object.values<any>(auto)) {
        assert.equal(it.auto.computedAt, NOW, 'the date computed');
        assert.ok(it.auto.figures.length > 0 && it.auto.figures.every((f: any) => f.sourceId.length > 0 && f.sourceEn.length > 0), `${it.auto.key}: its figures and where they came from`);
      }
      // two due, both started, one finished: 5 × (2 + 1) / 4
      assert.equal(auto['output.initiatives'].score, 3.75);
      // Rp 160 juta of Rp 200 juta: 5 × 0,8
      assert.equal(auto['output.realisation'].score, 4);
      assert.deepEqual(auto['output.realisation'].auto.figures.map((f: any) => f.value), [200_000_000, 160_000_000, 80]);
      // one KPI of two on track
      assert.equal(auto['outcome.kpis'].score, 2.5);
      // no device online of two
      assert.equal(auto['outcome.devices'].score, 0);
      assert.deepEqual(auto['outcome.devices'].auto.figures.map((f: any) => f.value), [2, 0, 0]);
      // no report yet: nothing to score, said in the figures
      assert.equal(auto['outcome.sla'].score, null);
      assert.equal(e.scores.output, Math.round(((3.75 + 4) / 2) * 100) / 100);
      // opened again it is the same evaluation, not started twice
      assert.equal((await server.api('GET', `${MP}/evaluation/2026`, { token: admin })).body.items.length, e.items.length);
      // started by opening it: the log says so and names the platform, not whoever happened to open it (a viewer, perhaps)
      const log = (await server.api('GET', `${MP}/activity?entity=evaluation&entityId=2026`, { token: admin })).body.items;
      assert.deepEqual(log.map((a: any) => [a.action, a.userId, a.userName]), [['evaluation.started', null, null]]);
      assert.match(log[0].summary, /^Evaluasi 2026 dimulai dari evaluasi 2025 saat pertama dibuka/);
    });

    test('a pre-filled score changed by hand needs its reason; recomputing keeps it and updates the rest', async () => {
      const e = (await server.api('GET', `${MP}/evaluation/2026`, { token: admin })).body;
      const body = (kpisScore: number, why?: string) => ({
        items: e.items.map((i: any) => ({ id: i.id, dimension: i.dimension, name: i.name, smartDimension: i.smartDimension, score: i.auto?.key === 'outcome.kpis' ? kpisScore : i.score, note: i.note, ...(i.auto?.key === 'outcome.kpis' && why !== undefined && { reason: why }) })),
      });
      const refused = await server.api('PUT', `${MP}/evaluation/2026`, { token: admin, body: body(3) });
      assert.equal(refused.status, 400);
      assert.match(reason(refused.body).id, /berbeda dari hasil hitungan \(2,5\): tuliskan alasannya/);
      assert.match(reason(refused.body).en, /differs from the computed one \(2.5\): give the reason/);
      const ok = await server.api('PUT', `${MP}/evaluation/2026`, { token: admin, body: body(3, 'KPI kedua diganti target baru di Perbup 2026') });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const kpis = ok.body.items.find((i: any) => i.auto?.key === 'outcome.kpis');
      assert.deepEqual([kpis.score, kpis.auto.computedScore, kpis.auto.overridden, kpis.auto.reason], [3, 2.5, true, 'KPI kedua diganti target baru di Perbup 2026']);
      assert.ok(kpis.auto.changedBy);

      // a third KPI on track, then recompute: KPIs' computed value follows (2 of 3), the score set by hand stays
      await server.api('POST', `${MP}/kpis`, { token: admin, body: { name: 'Layanan daring', unit: '%', values: [{ year: 2026, target: 50, actual: 60 }] } });
      const again = await server.api('POST', `${MP}/evaluation/2026/prefill`, { token: admin });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      const k2 = again.body.items.find((i: any) => i.auto?.key === 'outcome.kpis');
      assert.deepEqual([k2.score, k2.auto.computedScore, k2.auto.overridden], [3, 3.33, true]);
      assert.equal(again.body.items.filter((i: any) => i.auto).length, 5, 'no item added twice');
    });

    test('the impact survey: one program per element, of that element\'s dimension; two for one element or another dimension refused in both languages', async () => {
      const two = await server.api('PUT', `${MP}/evaluation/2026/survey/programs`, {
        token: admin,
        body: { programs: [{ dimensionKey: 'governance', elementKey: 'service', programId: programs[0] }, { dimensionKey: 'governance', elementKey: 'service', programId: programs[1] }] },
      });
      assert.equal(two.status, 400);
      assert.match(reason(two.body).id, /satu program per elemen; elemen Pelayanan publik/);
      assert.match(reason(two.body).en, /one program per element; the element Public service/);
      const other = await server.api('PUT', `${MP}/evaluation/2026/survey/programs`, { token: admin, body: { programs: [{ dimensionKey: 'governance', elementKey: 'policy', programId: programs[2] }] } });
      assert.equal(other.status, 400);
      assert.match(reason(other.body).id, /Telemedisin Puskesmas termasuk Smart Living .*bukan Smart Governance/);
      assert.match(reason(other.body).en, /belongs to Smart Living, not Smart Governance/);
      const notElement = await server.api('PUT', `${MP}/evaluation/2026/survey/programs`, { token: admin, body: { programs: [{ dimensionKey: 'governance', elementKey: 'health', programId: programs[0] }] } });
      assert.equal(notElement.status, 400);
      assert.equal((await server.api('GET', `${MP}/evaluation/2026/survey`, { token: admin })).body.programs.length, 0, 'nothing saved');

      const ok = await server.api('PUT', `${MP}/evaluation/2026/survey/programs`, {
        token: admin,
        body: { programs: [{ dimensionKey: 'living', elementKey: 'health', programId: programs[2] }, { dimensionKey: 'governance', elementKey: 'bureaucracy', programId: programs[1] }, { dimensionKey: 'governance', elementKey: 'service', programId: programs[0] }] },
      });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body.survey.programs.map((p: any) => [p.dimensionKey, p.elementKey]), [['governance', 'service'], ['governance', 'bureaucracy'], ['living', 'health']], 'in the framework\'s order');
    });

    test('the self-assessment pack: one ZIP with the evaluation as DOCX, the evidence as CSV and JSON, and the files', async () => {
      const e = (await server.api('GET', `${MP}/evaluation/2026`, { token: admin })).body;
      const item = e.items.find((i: any) => i.dimension === 'output' && !i.auto);
      const file = multipart('file', 'Laporan capaian aplikasi.pdf', TINY_PDF, 'application/pdf');
      assert.equal((await server.api('POST', `${MP}/evaluation/2026/items/${item.id}/evidence`, { token: admin, raw: file.raw, headers: file.headers })).status, 201);

      const res = await fetch(`${server.url}${MP}/evaluation/2026/pack.zip`, { headers: { authorization: `Bearer ${admin}` } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/zip');
      assert.match(res.headers.get('content-disposition') ?? '', /paket-evaluasi-.*-2026\.zip/);
      const raw = Buffer.from(await res.arrayBuffer());
      assert.ok(raw.includes(TINY_PDF), 'a PDF is stored in the pack as it is, not deflated again');
      const zip = await JSZip.loadAsync(raw);
      const names = Object.keys(zip.files).sort();
      const docxName = names.find((n) => n.endsWith('.docx'));
      assert.ok(docxName, names.join(', '));
      assert.ok(names.includes('bukti/bukti-2026.csv') && names.includes('bukti/bukti-2026.json'), names.join(', '));
      const stored = names.find((n) => n.startsWith('bukti/berkas/') && n.endsWith('Laporan capaian aplikasi.pdf'));
      assert.ok(stored, 'the uploaded file');
      assert.deepEqual(await zip.file(stored)!.async('nodebuffer'), TINY_PDF);

      const docx = await JSZip.loadAsync(await zip.file(docxName)!.async('nodebuffer'));
      const xml = (await docx.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
      assert.match(xml, /Evaluasi Mandiri Smart City 2026/);
      assert.ok(xml.includes(`Indeks evaluasi 2026: ${String(e.index).replace('.', ',')}`), 'the index, the Indonesian way');
      assert.match(xml, /P \+ \(P − Q\)/, 'the Baseline formula');
      assert.match(xml, /diubah manual oleh .*KPI kedua diganti target baru/, 'a score changed by hand says who and why');
      assert.match(xml, /Bukti dari data platform/);
      assert.match(xml, /Anggaran terealisasi 2026/);

      const csv = (await zip.file('bukti/bukti-2026.csv')!.async('string')).replace(/^\uFEFF/, '');
      const lines = csv.trim().split('\r\n');
      assert.equal(lines[0], 'butir;dimensi_evaluasi;jenis;keterangan;keterangan_en;nilai;satuan;sumber;sumber_en;waktu;berkas');
      assert.ok(lines.some((l) => l.startsWith('Realisasi anggaran inisiatif;Output;angka;Anggaran terealisasi 2026;Budget realised in 2026;160000000;Rp;Inisiatif: anggaran rencana dan realisasi 2026;Initiatives: budget planned and realised in 2026;')), 'a figure with its source');
      assert.ok(lines.some((l) => l.includes(';berkas;Laporan capaian aplikasi.pdf;') && l.endsWith(stored)), 'the file and where it is in the pack');
      const json = JSON.parse(await zip.file('bukti/bukti-2026.json')!.async('string'));
      assert.equal(json.year, 2026);
      assert.equal(json.index, e.index);
      assert.equal(json.evidence.length, lines.length - 1, 'the CSV and the JSON list the same evidence');
      assert.equal(json.evidence.find((l: any) => l.kind === 'angka').at, new Date(NOW).toISOString(), 'when it was computed');

      // the evaluation as PDF instead, on request; a viewer without a session gets nothing
      const pdf = await fetch(`${server.url}${MP}/evaluation/2026/pack.zip?format=pdf`, { headers: { authorization: `Bearer ${admin}` } });
      const pdfZip = await JSZip.loadAsync(Buffer.from(await pdf.arrayBuffer()));
      const pdfName = Object.keys(pdfZip.files).find((n) => n.endsWith('.pdf') && !n.startsWith('bukti/'));
      assert.ok(pdfName);
      assert.equal((await pdfZip.file(pdfName)!.async('nodebuffer')).subarray(0, 5).toString(), '%PDF-');
      assert.equal((await fetch(`${server.url}${MP}/evaluation/2026/pack.zip`)).status, 401);

      // A file listed but gone from storage (a disk restored without it): the pack still opens, and says so in both languages.
      const lost = multipart('file', 'Notulen FGD.pdf', TINY_PDF, 'application/pdf');
      const uploaded = await server.api('POST', `${MP}/evaluation/2026/items/${item.id}/evidence`, { token: admin, raw: lost.raw, headers: lost.headers });
      assert.equal(uploaded.status, 201);
      const onDisk = (fs.readdirSync(server.config.dataDir, { recursive: true, encoding: 'utf8' }) as string[]).find((f) => f.includes(uploaded.body.id));
      assert.ok(onDisk, 'the upload is a file in the data folder');
      fs.rmSync(path.join(server.config.dataDir, onDisk));
      const partial = await fetch(`${server.url}${MP}/evaluation/2026/pack.zip`, { headers: { authorization: `Bearer ${admin}` } });
      assert.equal(partial.status, 200);
      const partialZip = await JSZip.loadAsync(Buffer.from(await partial.arrayBuffer()));
      const missing = Object.keys(partialZip.files).find((n) => n.endsWith('Notulen FGD.pdf'));
      assert.ok(missing);
      assert.match(await partialZip.file(missing)!.async('string'), /tidak ditemukan di penyimpanan platform\.\r\nThe file "Notulen FGD\.pdf" is missing/);
      assert.deepEqual(await partialZip.file(stored)!.async('nodebuffer'), TINY_PDF, 'the other files are whole');
    });
  });
}
