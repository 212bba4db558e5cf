/**
 * The master plan's records through the API, on both databases: the regional
 * profile with year and source, strategic issues, the ICT inventory with the
 * platform's own count, strategies from the SWOT, goals, development plans,
 * adoption and appendices; who may change them; the bad input each refuses
 * (nothing half-written); and the DOCX of both books, read back, holding the
 * new chapters.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import JSZip from 'jszip';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { ok, refused } from './answers.ts';
import { multipart, TINY_PDF } from './masterplan-docs-helpers.ts';
import { captionedTables, docxBlocks, pdfPages } from './masterplan-docs-read.ts';

const PW = 'Rahasia-Pengguna-2026';

for (const dialect of await dialects()) {
  describe(`master plan records on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    const opd: Record<string, string> = {};
    const tok: Record<string, string> = {};
    const mp = (method: string, path: string, token: string | null, body?: unknown) => s.api(method, `/api/v1/masterplan${path}`, { ...(token !== null && { token }), ...(body !== undefined && { body }) });

    before(async () => {
      s = await startServer(dialect);
      admin = await s.login();
      for (const code of ['DINKES', 'BAPPEDA', 'DISKOMINFO']) {
        const res = await s.api('POST', '/api/v1/opds', { token: admin, body: { code, name: `OPD ${code}` } });
        opd[code] = res.status === 201 ? res.body.id : (await s.api('GET', '/api/v1/opds', { token: admin })).body.find((o: any) => o.code === code).id;
      }
      for (const [name, role, o] of [['dinkes', 'operator', 'DINKES'], ['bappeda', 'operator', 'BAPPEDA'], ['kominfo', 'operator', 'DISKOMINFO'], ['viewer', 'viewer', null]] as const) {
        ok(await s.api('POST', '/api/v1/users', { token: admin, body: { email: `${name}@musirawas.go.id`, name, password: PW, role, opdId: o ? opd[o] : null } }), 201);
        tok[name] = await s.login(`${name}@musirawas.go.id`, PW);
      }
      ok(await mp('PUT', '/plan', admin, { title: 'Masterplan Smart City Musi Rawas', vision: 'Musi Rawas cerdas', missions: [], policyDirections: [], periodStart: 2022, periodEnd: 2032 }));
    });
    after(() => s.close());

    it('starts empty: every profile indicator without a value, a draft plan, the platform\'s own count', async () => {
      const r = ok(await mp('GET', '/records', tok.viewer!));
      assert.deepEqual(r.period, { start: 2022, end: 2032 });
      assert.equal(r.profile.length, 12);
      assert.ok(r.profile.every((v: any) => v.value === null && v.year === null));
      assert.equal(r.adoption.status, 'draft');
      assert.deepEqual([r.issues, r.ict.items, r.strategies, r.goals, r.developmentPlans, r.appendices], [[], [], [], [], [], []]);
      assert.deepEqual(r.ict.platform, { devices: { total: 0, online: 0 }, assets: [], assetsTotal: 0 });
    });

    it('counts the platform\'s own devices and assets live (through their modules)', async () => {
      const asset = ok(await s.api('POST', '/api/v1/assets', { token: admin, body: { name: 'Pos Duga Air Kelingi', type: 'river_gauge', geometry: { type: 'Point', coordinates: [103.1, -3.1] } } }), 201);
      ok(await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'AWLR Kelingi', assetId: asset.id } }), 201);
      ok(await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'AWLR Lakitan' } }), 201);
      const r = ok(await mp('GET', '/records', tok.dinkes!));
      assert.deepEqual(r.ict.platform.devices, { total: 2, online: 0 });
      assert.deepEqual(r.ict.platform.assets, [{ type: 'river_gauge', nameId: 'Pos duga air sungai', nameEn: 'River gauge', count: 1 }]);
      assert.equal(r.ict.platform.assetsTotal, 1);
    });

    it('lets BAPPEDA and DISKOMINFO edit; another OPD, a viewer and an anonymous caller are refused and nothing is written', async () => {
      const issue = { dimensionKey: 'society', title: 'Banjir tahunan tanpa peringatan dini', description: 'Muara Kelingi banjir setiap tahun.' };
      for (const who of ['dinkes', 'viewer'] as const) {
        const e = refused(await mp('POST', '/records/issues', tok[who]!, issue), 403, 'FORBIDDEN');
        assert.match(e.details.reason.id, /Hanya admin, BAPPEDA\/DISKOMINFO/);
        assert.match(e.details.reason.en, /Only admins, BAPPEDA\/DISKOMINFO/);
        refused(await mp('PUT', '/records/profile/ipm', tok[who]!, { value: 69, year: 2023, source: 'BPS' }), 403, 'FORBIDDEN');
        refused(await mp('PUT', '/records/adoption', tok[who]!, { status: 'draft' }), 403, 'FORBIDDEN');
      }
      refused(await mp('POST', '/records/issues', null, issue), 401, 'UNAUTHENTICATED');
      refused(await mp('GET', '/records', null), 401, 'UNAUTHENTICATED');
      assert.equal(ok(await mp('GET', '/records', admin)).issues.length, 0, 'nothing written');
      const r = ok(await mp('POST', '/records/issues', tok.bappeda!, issue), 201);
      assert.deepEqual(r.issues.map((i: any) => [i.dimensionKey, i.title]), [['society', issue.title]]);
      const id = r.issues[0].id;
      refused(await mp('PATCH', `/records/issues/${id}`, tok.dinkes!, { title: 'Diubah OPD lain' }), 403, 'FORBIDDEN');
      refused(await mp('DELETE', `/records/issues/${id}`, tok.viewer!), 403, 'FORBIDDEN');
      const changed = ok(await mp('PATCH', `/records/issues/${id}`, tok.kominfo!, { dimensionKey: 'environment' }));
      assert.deepEqual(changed.issues.map((i: any) => [i.dimensionKey, i.title, i.description]), [['environment', issue.title, issue.description]], 'a change keeps what it does not name');
      ok(await mp('DELETE', `/records/issues/${id}`, tok.kominfo!), 204);
      refused(await mp('DELETE', `/records/issues/${id}`, tok.kominfo!), 404, 'MP_RECORD_NOT_FOUND');
      refused(await mp('PATCH', `/records/issues/${id}`, tok.kominfo!, { title: 'Sudah dihapus' }), 404, 'MP_RECORD_NOT_FOUND');
    });

    it('keeps each profile value with its year and source; a value without a source is refused', async () => {
      refused(await mp('PUT', '/records/profile/population', admin, { value: 395570, year: 2020 }), 400, 'VALIDATION_FAILED');
      refused(await mp('PUT', '/records/profile/population', admin, { value: 395570, year: 2020, source: '   ' }), 400, 'VALIDATION_FAILED');
      refused(await mp('PUT', '/records/profile/luas', admin, { value: 1, year: 2020, source: 'BPS' }), 400, 'VALIDATION_FAILED');
      refused(await mp('PUT', '/records/profile/population', admin, { value: -5, year: 2020, source: 'BPS' }), 400, 'VALIDATION_FAILED');
      ok(await mp('PUT', '/records/profile/population', tok.bappeda!, { value: 395570, year: 2020, source: 'BPS, Sensus Penduduk 2020' }));
      const r = ok(await mp('PUT', '/records/profile/pdrb', tok.bappeda!, { value: 21_400_000_000_000, year: 2023, source: 'BPS Musi Rawas', note: 'ADHB' }));
      const by = new Map<string, any>(r.profile.map((v: any) => [v.key, v]));
      assert.deepEqual([by.get('population').value, by.get('population').year, by.get('population').source], [395570, 2020, 'BPS, Sensus Penduduk 2020']);
      assert.deepEqual([by.get('pdrb').value, by.get('pdrb').group, by.get('pdrb').note], [21_400_000_000_000, 'economy', 'ADHB']);
      ok(await mp('PUT', '/records/profile/population', tok.bappeda!, { value: 401000, year: 2023, source: 'BPS, proyeksi' }));
      assert.equal(ok(await mp('GET', '/records', admin)).profile.find((v: any) => v.key === 'population').value, 401000, 'a new value replaces the old');
    });

    it('refuses an unknown dimension, a strategy with no SWOT quadrant and over-long text', async () => {
      refused(await mp('POST', '/records/issues', admin, { dimensionKey: 'smart_mobility', title: 'X' }), 400, 'VALIDATION_FAILED');
      refused(await mp('POST', '/records/goals', admin, { dimensionKey: 'smart_mobility', text: 'X' }), 400, 'VALIDATION_FAILED');
      refused(await mp('POST', '/records/strategies', admin, { text: 'Tanpa kuadran' }), 400, 'VALIDATION_FAILED');
      refused(await mp('POST', '/records/strategies', admin, { quadrant: 'XY', text: 'Kuadran tak dikenal' }), 400, 'VALIDATION_FAILED');
      refused(await mp('POST', '/records/strategies', admin, { quadrant: 'SO', text: '   ' }), 400, 'VALIDATION_FAILED');
      refused(await mp('POST', '/records/issues', admin, { dimensionKey: 'governance', title: 'x'.repeat(301) }), 400, 'VALIDATION_FAILED');
      refused(await mp('POST', '/records/strategies', admin, { quadrant: 'WT', text: 'y'.repeat(2001) }), 400, 'VALIDATION_FAILED');
      refused(await mp('POST', '/records/ict', admin, { kind: 'application', name: 'SIMPEG', status: 'active', description: 'z'.repeat(2001) }), 400, 'VALIDATION_FAILED');
      refused(await mp('POST', '/records/ict', admin, { kind: 'application', name: 'SIMPEG', status: 'active', opdId: 'no-such-opd' }), 404, 'OPD_NOT_FOUND');
      const r = ok(await mp('GET', '/records', admin));
      assert.deepEqual([r.issues.length, r.goals.length, r.strategies.length, r.ict.items.length], [0, 0, 0, 0], 'nothing half-written');
      const made = ok(await mp('POST', '/records/strategies', tok.kominfo!, { quadrant: 'WO', element: 'struktur', text: 'Bimtek TIK ASN bersama kampus' }), 201);
      ok(await mp('POST', '/records/strategies', tok.kominfo!, { quadrant: 'SO', dimensionKey: 'governance', text: 'Satu jaringan intra pemerintah' }), 201);
      const after = ok(await mp('GET', '/records', admin));
      assert.deepEqual(after.strategies.map((x: any) => x.quadrant), ['SO', 'WO'], 'in the order SO, ST, WO, WT');
      refused(await mp('PATCH', `/records/strategies/${made.strategies[0].id}`, admin, { quadrant: 'ZZ' }), 400, 'VALIDATION_FAILED');
    });

    it('refuses a development plan outside the plan\'s period, saying why in both languages', async () => {
      const body = { area: 'regulation', what: 'Perbup Masterplan Smart City', year: 2035, opdId: opd.BAPPEDA };
      const e = refused(await mp('POST', '/records/development', tok.bappeda!, body), 400, 'VALIDATION_FAILED');
      assert.equal(e.details.reason.id, 'Tahun 2035 di luar periode rencana induk (2022–2032)');
      assert.equal(e.details.reason.en, 'Year 2035 is outside the plan\'s period (2022–2032)');
      refused(await mp('POST', '/records/development', tok.bappeda!, { ...body, year: 2021 }), 400, 'VALIDATION_FAILED');
      assert.equal(ok(await mp('GET', '/records', admin)).developmentPlans.length, 0);
      const r = ok(await mp('POST', '/records/development', tok.bappeda!, { ...body, year: 2026 }), 201);
      assert.deepEqual(r.developmentPlans.map((d: any) => [d.area, d.year, d.opdCode, d.status]), [['regulation', 2026, 'BAPPEDA', 'planned']]);
      refused(await mp('PATCH', `/records/development/${r.developmentPlans[0].id}`, tok.bappeda!, { year: 2040 }), 400, 'VALIDATION_FAILED');
      const moved = ok(await mp('PATCH', `/records/development/${r.developmentPlans[0].id}`, tok.bappeda!, { year: 2027, status: 'in_progress', opdId: null }));
      assert.deepEqual(moved.developmentPlans.map((d: any) => [d.year, d.status, d.opdCode]), [[2027, 'in_progress', null]]);
    });

    it('records the adoption status (a Perbup needs its number and date) and appendices linked to an uploaded commitment sheet', async () => {
      refused(await mp('PUT', '/records/adoption', admin, { status: 'perbup', perbupNumber: '12 Tahun 2026' }), 400, 'VALIDATION_FAILED');
      refused(await mp('PUT', '/records/adoption', admin, { status: 'perbup', perbupNumber: '12 Tahun 2026', perbupDate: '2026-02-31' }), 400, 'VALIDATION_FAILED');
      refused(await mp('PUT', '/records/adoption', admin, { status: 'perbup', perbupNumber: '12 Tahun 2026', perbupDate: '2026-13-45' }), 400, 'VALIDATION_FAILED');
      refused(await mp('PUT', '/records/adoption', admin, { status: 'rpjmd' }), 400, 'VALIDATION_FAILED');
      const r = ok(await mp('PUT', '/records/adoption', tok.bappeda!, { status: 'perbup', perbupNumber: '12 Tahun 2026', perbupDate: '2026-03-14' }));
      assert.deepEqual(r.adoption, { ...r.adoption, status: 'perbup', perbupNumber: '12 Tahun 2026', perbupDate: '2026-03-14' });

      const sheet = ok(await mp('POST', '/commitments', admin, { signerName: 'Bupati Musi Rawas', position: 'Bupati', opdId: null, signedAt: Date.UTC(2022, 8, 12) }), 201);
      refused(await mp('POST', '/records/appendices', admin, { kind: 'commitment_sheet', title: 'Lembar komitmen Bupati', commitmentId: sheet.id }), 400, 'VALIDATION_FAILED');
      const up = multipart('file', 'komitmen.pdf', TINY_PDF, 'application/pdf');
      ok(await s.api('POST', `/api/v1/masterplan/commitments/${sheet.id}/file`, { token: admin, raw: up.raw, headers: up.headers }));
      const withFile = ok(await mp('POST', '/records/appendices', tok.kominfo!, { kind: 'commitment_sheet', title: 'Lembar komitmen Bupati', commitmentId: sheet.id }), 201);
      assert.equal(withFile.appendices[0].file.url, `/api/v1/masterplan/commitments/${sheet.id}/file`);
      ok(await mp('POST', '/records/appendices', tok.kominfo!, { kind: 'sk', title: 'SK Dewan Smart City' }), 201);
      refused(await mp('POST', '/records/appendices', tok.kominfo!, { kind: 'foto', title: 'Foto' }), 400, 'VALIDATION_FAILED');
      assert.deepEqual(ok(await mp('GET', '/records', tok.viewer!)).appendices.map((a: any) => [a.kind, a.file !== null]), [['commitment_sheet', true], ['sk', false]]);
    });

    it('puts the records into Buku I and Buku II (DOCX and PDF), in chapters of their own', async () => {
      ok(await mp('POST', '/records/issues', admin, { dimensionKey: 'society', title: 'Banjir tahunan tanpa peringatan dini' }), 201);
      ok(await mp('POST', '/records/goals', admin, { dimensionKey: 'society', text: 'Peringatan dini banjir 3 jam sebelumnya', indicator: 'Waktu tunggu', target: '3 jam' }), 201);
      ok(await mp('POST', '/records/ict', admin, { kind: 'command_center', name: 'Ruang kendali Musi Rawas', status: 'planned', opdId: opd.DISKOMINFO }), 201);
      const read = async (book: string) => {
        const res = await fetch(`${s.url}/api/v1/masterplan/export.docx?book=${book}`, { headers: { authorization: `Bearer ${admin}` } });
        assert.equal(res.status, 200);
        const xml = await (await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()))).file('word/document.xml')!.async('string');
        const blocks = docxBlocks(xml);
        return { headings: blocks.filter((b) => b.kind === 'p' && b.style !== null && /Heading/i.test(b.style)).map((b) => (b.kind === 'p' ? b.text : '')), tables: captionedTables(blocks) };
      };
      const strategic = await read('analisis');
      for (const h of ['BAB II GAMBARAN UMUM DAERAH', '2.1 Profil Daerah', '2.2 Kondisi Saat Ini dan Isu Strategis per Dimensi', '2.3 Inventaris TIK yang Ada', 'BAB VI STRATEGI DAN TUJUAN', '6.1 Strategi dari Analisis SWOT', '6.2 Tujuan per Dimensi']) assert.ok(strategic.headings.includes(h), `Buku I has ${h}: ${strategic.headings.join(' | ')}`);
      assert.ok(!strategic.headings.some((h) => /Rencana Pengembangan|Status Penetapan|Daftar Lampiran/.test(h)), 'Buku II material stays out of Buku I');
      const profile = strategic.tables.find((t) => /Profil daerah$/.test(t.caption))!;
      assert.match(profile.caption, /^Tabel \d+\. Profil daerah$/, 'numbered with the book\'s tables');
      assert.deepEqual(profile.rows.find((r) => r.cells[1] === 'Jumlah penduduk')!.cells.slice(2), ['401.000 jiwa', '2023', 'BPS, proyeksi']);
      assert.equal(profile.rows.find((r) => r.cells[1] === 'PDRB atas dasar harga berlaku')!.cells[2], 'Rp 21.400.000.000.000');
      assert.deepEqual(strategic.tables.find((t) => /Inventaris TIK yang ada$/.test(t.caption))!.rows[1]!.cells.slice(0, 4), ['Command center', 'Ruang kendali Musi Rawas', 'DISKOMINFO', 'Direncanakan']);
      const platform = strategic.tables.find((t) => /Aset yang terpantau platform per jenis$/.test(t.caption))!;
      assert.deepEqual(platform.rows.slice(1).map((r) => r.cells), [['Pos duga air sungai', '1'], ['Jumlah', '1']]);
      const strategies = strategic.tables.find((t) => /Strategi dari analisis SWOT$/.test(t.caption))!;
      assert.deepEqual(strategies.rows.slice(1).map((r) => r.cells[0]!.slice(0, 11)), ['Strategi S-', 'Strategi W-']);

      const master = await read('rencana');
      for (const h of ['BAB V RENCANA PENGEMBANGAN', '5.1 Rencana Pengembangan Regulasi, Kelembagaan, SDM dan Infrastruktur', 'BAB VIII PENETAPAN DAN LAMPIRAN', '8.1 Status Penetapan Masterplan', '8.2 Daftar Lampiran']) assert.ok(master.headings.includes(h), `Buku II has ${h}: ${master.headings.join(' | ')}`);
      assert.ok(!master.headings.some((h) => /Profil Daerah|Strategi dari Analisis SWOT/.test(h)), 'Buku I material stays out of Buku II');
      const regulation = master.tables.find((t) => /Rencana pengembangan regulasi \(perbup\)$/.test(t.caption))!;
      assert.deepEqual(regulation.rows[1]!.cells.slice(0, 4), ['Perbup Masterplan Smart City', '2027', '-', 'Berjalan']);
      assert.deepEqual(master.tables.find((t) => /Daftar lampiran$/.test(t.caption))!.rows.slice(1).map((r) => r.cells), [['1', 'Lembar komitmen Bupati', 'Lembar komitmen', 'pindaian terlampir'], ['2', 'SK Dewan Smart City', 'Surat Keputusan (SK)', '-']]);

      // the PDF of Buku I carries the same sections
      const pdf = await fetch(`${s.url}/api/v1/masterplan/export.pdf?book=analisis`, { headers: { authorization: `Bearer ${admin}` } });
      assert.equal(pdf.status, 200);
      const text = pdfPages(Buffer.from(await pdf.arrayBuffer())).join('\n');
      for (const h of ['2.1 Profil Daerah', '2.3 Inventaris TIK yang Ada', '6.1 Strategi dari Analisis SWOT']) assert.ok(text.includes(h), `the PDF has ${h}`);
    });

    it("keeps another region's records out of reach: not listed, not changed, not deleted", async () => {
      const { identity, masterplanRecords } = s.app.services;
      const other = await identity.ensureRegion('16.13'); // Kabupaten Musi Rawas Utara
      const theirs = { userId: 'muratara-admin', regionId: other.id, role: 'admin' as const, opdId: null, email: 'admin@muratarakab.go.id' };
      const made = await masterplanRecords.create(theirs, 'issues', { dimensionKey: 'environment', title: 'Kebakaran lahan gambut Muratara', description: 'Rawan setiap kemarau.' });
      const foreign = made.issues.find((i) => i.title === 'Kebakaran lahan gambut Muratara')!;
      const before = ok(await mp('GET', '/records', admin));
      assert.ok(!before.issues.some((i: any) => i.id === foreign.id), 'not listed here');
      refused(await mp('PATCH', `/records/issues/${foreign.id}`, admin, { title: 'Diubah dari Musi Rawas' }), 404, 'MP_RECORD_NOT_FOUND');
      refused(await mp('DELETE', `/records/issues/${foreign.id}`, admin), 404, 'MP_RECORD_NOT_FOUND');
      const still = await masterplanRecords.view(other.id);
      assert.deepEqual(still.issues.map((i) => i.title), ['Kebakaran lahan gambut Muratara'], 'theirs unchanged');
      assert.deepEqual(ok(await mp('GET', '/records', admin)).issues, before.issues, 'ours unchanged');
    });
  });
}
