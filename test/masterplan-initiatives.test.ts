import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { ok, refused } from './answers.ts';

const PW = 'Rahasia-Pengguna-2026';
const M = 1_000_000;

for (const dialect of await dialects()) {
  describe(`master plan initiatives on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    const opd: Record<string, string> = {};
    const tok: Record<string, string> = {};
    const line: Record<string, string> = {};
    const mp = (method: string, path: string, token: string, body?: unknown) => s.api(method, `/api/v1/masterplan${path}`, { token, ...(body !== undefined && { body }) });
    const addLine = async (code: string, name: string, budget: number, opdCode: string | null, extra: Record<string, unknown> = {}) => {
      line[code] = ok(await mp('POST', '/programs', admin, { code, name, budget, document: 'RKPD', year: 2025, opdId: opdCode ? opd[opdCode] : null, ...extra }), 201).id;
    };
    const base = { dimensionKey: 'living', elementKey: 'health', name: 'Rekam Medis Elektronik Puskesmas', problem: 'Rekam medis masih di kertas', goal: 'Semua puskesmas memakai RME', target: '19 puskesmas', indicators: ['Puskesmas dengan RME'], startYear: 2024, endYear: 2027, costEstimate: 5_000 * M, fundingSources: ['apbd', 'dak_apbn'] };

    before(async () => {
      s = await startServer(dialect);
      admin = await s.login();
      for (const code of ['DINKES', 'DLH', 'BAPPEDA']) opd[code] = ok(await s.api('POST', '/api/v1/opds', { token: admin, body: { code, name: `OPD ${code}` } }), 201).id;
      for (const [name, role, o] of [['dinkes', 'operator', 'DINKES'], ['dlh', 'operator', 'DLH'], ['bappeda', 'operator', 'BAPPEDA'], ['viewer', 'viewer', null]] as const) {
        ok(await s.api('POST', '/api/v1/users', { token: admin, body: { email: `${name}@musirawas.go.id`, name, password: PW, role, opdId: o ? opd[o] : null } }), 201);
        tok[name] = await s.login(`${name}@musirawas.go.id`, PW);
      }
      ok(await mp('PUT', '/plan', admin, { title: 'Masterplan Smart City Musi Rawas', vision: 'Musi Rawas cerdas', missions: [], policyDirections: [], periodStart: 2022, periodEnd: 2032 }));
      // SIPD repeats a program's pagu as the sum of its kegiatan, a kegiatan's as that of its sub kegiatan
      await addLine('1.02.02', 'PROGRAM PEMENUHAN UPAYA KESEHATAN PERORANGAN DAN UPAYA KESEHATAN MASYARAKAT', 3_400 * M, 'DINKES');
      await addLine('1.02.02.2.02', 'Penyediaan Layanan Kesehatan untuk UKM dan UKP Rujukan Tingkat Daerah', 3_400 * M, 'DINKES');
      await addLine('1.02.02.2.02.0001', 'Pengelolaan Pelayanan Kesehatan Ibu Hamil', 1_100 * M, 'DINKES');
      await addLine('1.02.02.2.02.0033', 'Pengelolaan Sistem Informasi Kesehatan', 2_300 * M, 'DINKES', { indicator: 'Jumlah puskesmas dengan rekam medis elektronik' });
      await addLine('2.11.11', 'PROGRAM PENGELOLAAN PERSAMPAHAN', 1_800 * M, 'DLH');
      await addLine('2.11.11.2.01', 'Pengelolaan Sampah', 1_800 * M, 'DLH');
      await addLine('2.11.11.2.01.0006', 'Penyediaan Sarana dan Prasarana Pengelolaan Sampah', 1_800 * M, 'DLH', { indicator: 'Jumlah bank sampah aktif' });
      await addLine('1.05.03', 'PROGRAM PENANGGULANGAN BENCANA', 1_350 * M, null);
      await addLine('2.15.02', 'PROGRAM PENYELENGGARAAN LALU LINTAS DAN ANGKUTAN JALAN (LLAJ)', 2_000 * M, null);
    });
    after(() => s.close());

    it('refuses an initiative without a dimension, with an element of another dimension, or a timeline outside the plan\'s period', async () => {
      const { dimensionKey: _d, ...noDimension } = base;
      refused(await mp('POST', '/initiatives', admin, noDimension), 400, 'VALIDATION_FAILED');
      refused(await mp('POST', '/initiatives', admin, { ...base, elementKey: 'waste' }), 400, 'VALIDATION_FAILED');
      assert.match(refused(await mp('POST', '/initiatives', admin, { ...base, endYear: 2040 }), 400, 'VALIDATION_FAILED').message, /endYear 2040 is outside the plan's period 2022–2032/);
      refused(await mp('POST', '/initiatives', admin, { ...base, startYear: 2019 }), 400, 'VALIDATION_FAILED');
      refused(await mp('POST', '/initiatives', admin, { ...base, startYear: 2028, endYear: 2026 }), 400, 'VALIDATION_FAILED');
      refused(await mp('POST', '/initiatives', admin, { ...base, fundingSources: ['apbd', 'pinjaman'] }), 400, 'VALIDATION_FAILED');
      assert.equal(ok(await mp('GET', '/initiatives', admin)).items.length, 0, 'nothing half-written');
    });

    let rme: any;
    it('lets an operator add and change the initiatives their OPD leads; reviewers change all; viewers read', async () => {
      rme = ok(await mp('POST', '/initiatives', tok.dinkes!, base), 201);
      assert.equal(rme.leadOpdId, opd.DINKES, 'an operator\'s initiative is led by their OPD');
      assert.equal(rme.leadOpdCode, 'DINKES');
      assert.deepEqual([rme.status, rme.fundingSources, rme.indicators, rme.budget, rme.lines], ['usulan', ['apbd', 'dak_apbn'], ['Puskesmas dengan RME'], 0, []]);
      refused(await mp('POST', '/initiatives', tok.dinkes!, { ...base, leadOpdId: opd.DLH }), 403, 'FORBIDDEN');
      refused(await mp('POST', '/initiatives', tok.viewer!, base), 403, 'FORBIDDEN');
      refused(await mp('PATCH', `/initiatives/${rme.id}`, tok.dlh!, { status: 'berjalan' }), 403, 'FORBIDDEN');
      refused(await mp('PATCH', `/initiatives/${rme.id}`, tok.viewer!, { status: 'berjalan' }), 403, 'FORBIDDEN');
      refused(await mp('PATCH', `/initiatives/${rme.id}`, tok.dinkes!, { leadOpdId: opd.DLH }), 403, 'FORBIDDEN');
      refused(await mp('PATCH', `/initiatives/${rme.id}`, tok.dinkes!, { endYear: 2033 }), 400, 'VALIDATION_FAILED');
      rme = ok(await mp('PATCH', `/initiatives/${rme.id}`, tok.dinkes!, { status: 'berjalan', supportingOpdIds: [opd.BAPPEDA] }));
      assert.deepEqual([rme.status, rme.supportingOpdIds], ['berjalan', [opd.BAPPEDA]]);
      const moved = ok(await mp('PATCH', `/initiatives/${rme.id}`, tok.bappeda!, { dimensionKey: 'governance' }));
      assert.deepEqual([moved.dimensionKey, moved.elementKey], ['governance', null], 'another dimension drops the old element');
      rme = ok(await mp('PATCH', `/initiatives/${rme.id}`, tok.bappeda!, { dimensionKey: 'living', elementKey: 'health' }));
      assert.equal(ok(await mp('GET', `/initiatives/${rme.id}`, tok.viewer!)).name, base.name);
      refused(await mp('GET', '/initiatives/nope', tok.viewer!), 404, 'INITIATIVE_NOT_FOUND');
    });

    it('sums the funding trace once: a program linked with its kegiatan and a sub kegiatan counts its leaves', async () => {
      rme = ok(await mp('POST', `/initiatives/${rme.id}/lines`, tok.dinkes!, { programIds: [line['1.02.02']!, line['1.02.02.2.02']!, line['1.02.02.2.02.0033']!] }));
      assert.equal(rme.budget, 3_400 * M, 'Rp 3,4 M, not 3,4 + 3,4 + 2,3');
      assert.deepEqual(rme.lines.map((l: any) => [l.code, l.share, l.counted]), [['1.02.02', 100, 0], ['1.02.02.2.02', 100, 1_100 * M], ['1.02.02.2.02.0033', 100, 2_300 * M]]);
      assert.equal(rme.lines.reduce((s: number, l: any) => s + l.counted, 0), rme.budget, 'the total is the sum of its rows');
      assert.deepEqual(rme.years, [{ year: 2025, planned: null, realised: null, note: '', fromLines: 3_400 * M }]);
      // an operator links only lines of the OPDs of the initiative; others may not link at all
      refused(await mp('POST', `/initiatives/${rme.id}/lines`, tok.dinkes!, { programIds: [line['2.11.11']!] }), 403, 'FORBIDDEN');
      refused(await mp('POST', `/initiatives/${rme.id}/lines`, tok.dlh!, { programIds: [line['2.11.11']!] }), 403, 'FORBIDDEN');
      refused(await mp('POST', `/initiatives/${rme.id}/lines`, tok.viewer!, { programIds: [line['1.02.02.2.02.0001']!] }), 403, 'FORBIDDEN');
    });

    it('refuses a share outside 1-100 and a line of another region', async () => {
      refused(await mp('POST', `/initiatives/${rme.id}/lines`, admin, { programIds: [line['1.05.03']!], share: 0 }), 400, 'VALIDATION_FAILED');
      refused(await mp('POST', `/initiatives/${rme.id}/lines`, admin, { programIds: [line['1.05.03']!], share: 101 }), 400, 'VALIDATION_FAILED');
      refused(await mp('PUT', `/initiatives/lines/${line['1.05.03']}`, admin, { shares: [{ initiativeId: rme.id, share: 150 }] }), 400, 'VALIDATION_FAILED');
      const { identity, masterplan } = s.app.services;
      const other = await identity.ensureRegion('16.13'); // Kabupaten Musi Rawas Utara
      const foreign = await masterplan.programs.create({ userId: 'x', regionId: other.id, role: 'admin', opdId: null, email: 'x' }, { code: '1.02.02', name: 'PROGRAM KESEHATAN MURATARA', document: 'RKPD', year: 2025, budget: 9_000 * M });
      refused(await mp('POST', `/initiatives/${rme.id}/lines`, admin, { programIds: [line['1.05.03']!, foreign.id] }), 404, 'PROGRAM_NOT_FOUND');
      refused(await mp('PUT', `/initiatives/lines/${foreign.id}`, admin, { shares: [{ initiativeId: rme.id, share: 100 }] }), 404, 'PROGRAM_NOT_FOUND');
      const after = ok(await mp('GET', `/initiatives/${rme.id}`, admin));
      assert.equal(after.lines.length, 3, 'neither line was linked');
      assert.equal(after.budget, 3_400 * M);
    });

    it('refuses a line linked to a second initiative unless the shares sum to 100%, and splits it in one step', async () => {
      const siks = ok(await mp('POST', '/initiatives', admin, { ...base, name: 'Satu Data Kesehatan', leadOpdId: opd.DINKES }), 201);
      const sik = line['1.02.02.2.02.0033']!;
      assert.match(refused(await mp('POST', `/initiatives/${siks.id}/lines`, admin, { programIds: [sik], share: 40 }), 409, 'LINE_SHARES_INVALID').message, /Rekam Medis Elektronik Puskesmas \(100%\).*140%/);
      refused(await mp('PUT', `/initiatives/lines/${sik}`, admin, { shares: [{ initiativeId: rme.id, share: 60 }, { initiativeId: siks.id, share: 50 }] }), 400, 'VALIDATION_FAILED');
      refused(await mp('PUT', `/initiatives/lines/${sik}`, tok.dlh!, { shares: [{ initiativeId: rme.id, share: 60 }, { initiativeId: siks.id, share: 40 }] }), 403, 'FORBIDDEN');
      assert.equal(ok(await mp('GET', `/initiatives/${rme.id}`, admin)).budget, 3_400 * M, 'refused splits change nothing');
      ok(await mp('PUT', `/initiatives/lines/${sik}`, tok.dinkes!, { shares: [{ initiativeId: rme.id, share: 60 }, { initiativeId: siks.id, share: 40 }] }));
      const [a, b] = [ok(await mp('GET', `/initiatives/${rme.id}`, admin)), ok(await mp('GET', `/initiatives/${siks.id}`, admin))];
      assert.equal(a.budget, 1_100 * M + 1_380 * M);
      assert.equal(b.budget, 920 * M);
      assert.equal(a.budget + b.budget, 3_400 * M, 'the program once across both');
      // a third initiative may not take a share of a line split in full
      const third = ok(await mp('POST', '/initiatives', admin, { dimensionKey: 'governance', name: 'Pusat Data Daerah' }), 201);
      refused(await mp('POST', `/initiatives/${third.id}/lines`, admin, { programIds: [sik], share: 1 }), 409, 'LINE_SHARES_INVALID');
      ok(await mp('PUT', `/initiatives/lines/${sik}`, admin, { shares: [{ initiativeId: rme.id, share: 50 }, { initiativeId: siks.id, share: 30 }, { initiativeId: third.id, share: 20 }] }));
      // unlinking one of three would leave two at 70%; unlinking one of two leaves one line at its share
      assert.match(refused(await mp('DELETE', `/initiatives/${third.id}/lines/${sik}`, admin), 409, 'LINE_SHARES_INVALID').message, /2 initiatives at 80%/);
      ok(await mp('PUT', `/initiatives/lines/${sik}`, admin, { shares: [{ initiativeId: rme.id, share: 60 }, { initiativeId: siks.id, share: 40 }] }));
      assert.equal(ok(await mp('GET', `/initiatives/${third.id}`, admin)).lines.length, 0, 'a split replaces every link of the line');
      assert.equal(ok(await mp('DELETE', `/initiatives/${siks.id}/lines/${sik}`, admin)).lines.length, 0);
      assert.equal(ok(await mp('GET', `/initiatives/${rme.id}`, admin)).budget, 1_100 * M + 1_380 * M, 'the rest of the line is no initiative\'s');

      // the other way: a second initiative whose share makes the line's sum exactly 100% is accepted
      const bpbd = line['1.05.03']!;
      const x = ok(await mp('POST', '/initiatives', admin, { dimensionKey: 'society', elementKey: 'security', name: 'Peringatan Dini Banjir' }), 201);
      const y = ok(await mp('POST', '/initiatives', admin, { dimensionKey: 'environment', elementKey: 'protection', name: 'Pemantauan Sungai Kelingi' }), 201);
      ok(await mp('POST', `/initiatives/${x.id}/lines`, admin, { programIds: [bpbd], share: 70 }));
      assert.equal(ok(await mp('POST', `/initiatives/${y.id}/lines`, admin, { programIds: [bpbd], share: 30 })).budget, 405 * M);
      refused(await mp('POST', `/initiatives/${rme.id}/lines`, admin, { programIds: [bpbd], share: 10 }), 409, 'LINE_SHARES_INVALID');
      const listed = ok(await mp('GET', '/initiatives?dimension=society', tok.viewer!));
      assert.deepEqual(listed.items.map((i: any) => [i.name, i.budget]), [['Peringatan Dini Banjir', 945 * M]]);
      ok(await mp('PUT', `/initiatives/lines/${bpbd}`, admin, { shares: [] }));
      assert.equal(ok(await mp('GET', `/initiatives/${x.id}`, admin)).lines.length, 0, 'an empty split unlinks the line everywhere');
      for (const i of [x, y, siks, third]) assert.equal((await mp('DELETE', `/initiatives/${i.id}`, admin)).status, 204);
      assert.equal(ok(await mp('GET', `/programs/${sik}`, admin)).id, sik, 'deleting an initiative keeps its lines');
      const back = ok(await mp('GET', `/initiatives/${rme.id}`, admin));
      assert.equal(back.lines.find((l: any) => l.programId === sik).share, 60, 'the remaining link keeps its share');
      ok(await mp('POST', `/initiatives/${rme.id}/lines`, admin, { programIds: [sik] }));
    });

    it('keeps planned and realised money per year within the plan\'s period and the initiative\'s timeline', async () => {
      refused(await mp('PUT', `/initiatives/${rme.id}/years/2040`, tok.dinkes!, { realised: 1 }), 400, 'VALIDATION_FAILED');
      refused(await mp('PUT', `/initiatives/${rme.id}/years/2029`, tok.dinkes!, { realised: 1 }), 400, 'VALIDATION_FAILED');
      refused(await mp('PUT', `/initiatives/${rme.id}/years/2025`, tok.viewer!, { realised: 1 }), 403, 'FORBIDDEN');
      ok(await mp('PUT', `/initiatives/${rme.id}/years/2025`, tok.dinkes!, { planned: 3_400 * M, realised: 3_100 * M, note: 'Sisa lelang' }));
      const got = ok(await mp('PUT', `/initiatives/${rme.id}/years/2026`, tok.dinkes!, { planned: 3_600 * M }));
      assert.deepEqual(got.years, [
        { year: 2025, planned: 3_400 * M, realised: 3_100 * M, note: 'Sisa lelang', fromLines: 3_400 * M },
        { year: 2026, planned: 3_600 * M, realised: null, note: '', fromLines: 0 },
      ]);
      const kept = ok(await mp('PUT', `/initiatives/${rme.id}/years/2025`, tok.dinkes!, { realised: 3_200 * M }));
      assert.equal(kept.years[0].planned, 3_400 * M, 'a change of the realisation keeps the plan');
    });

    it('suggests an initiative to join for a like line and a new one for a group of lines; accepting links them', async () => {
      await addLine('1.02.02', 'PROGRAM PEMENUHAN UPAYA KESEHATAN', 2_000 * M, 'DINKES', { year: 2026 });
      await addLine('1.02.02.2.02.0033', 'Pengelolaan Sistem Informasi Kesehatan', 2_000 * M, 'DINKES', { year: 2026, indicator: 'Jumlah puskesmas dengan rekam medis elektronik' });
      const got = ok(await mp('GET', '/initiatives/suggestions', tok.viewer!));
      const join = got.join.find((j: any) => j.line.code === '1.02.02' && j.line.year === 2026);
      assert.ok(join, JSON.stringify(got.join));
      assert.equal(join.initiativeId, rme.id);
      assert.ok(join.reasons.includes('dimension') && join.reasons.includes('opd'), join.reasons.join());
      assert.equal(join.line.budget, 2_000 * M);
      assert.ok(!got.join.some((j: any) => j.line.code === '1.02.02.2.02.0033' && j.line.year === 2026), 'a sub kegiatan is offered with its program, not again');
      const waste = got.create.find((c: any) => c.dimensionKey === 'environment');
      assert.ok(waste, JSON.stringify(got.create));
      assert.deepEqual([waste.name, waste.elementKey, waste.leadOpdId, waste.budget], ['Pengelolaan Persampahan', 'waste', opd.DLH, 1_800 * M]);
      assert.deepEqual(waste.lines.map((l: any) => l.code), ['2.11.11']);
      assert.ok(!got.join.concat(got.create.flatMap((c: any) => c.lines)).some((x: any) => (x.line ?? x).programId === line['1.02.02.2.02.0001']), 'a line under a linked program is held already');
      // accepting: the new one created with its lines, the join by linking
      const created = ok(await mp('POST', '/initiatives', tok.dlh!, { name: waste.name, dimensionKey: waste.dimensionKey, elementKey: waste.elementKey, programIds: waste.lines.map((l: any) => l.programId) }), 201);
      assert.equal(created.budget, 1_800 * M);
      ok(await mp('POST', `/initiatives/${rme.id}/lines`, tok.dinkes!, { programIds: [join.line.programId] }));
      const again = ok(await mp('GET', '/initiatives/suggestions', admin));
      assert.ok(!again.create.some((c: any) => c.dimensionKey === 'environment'));
      assert.ok(!again.join.some((j: any) => j.line.programId === join.line.programId));
      const all = ok(await mp('GET', '/initiatives', admin));
      assert.deepEqual(all.items.map((i: any) => i.name), ['Rekam Medis Elektronik Puskesmas', 'Pengelolaan Persampahan'], 'in the framework\'s order of dimensions');
      const living = all.totals.byDimension.find((d: any) => d.key === 'living');
      assert.deepEqual([living.initiatives, living.budget, living.costEstimate], [1, 5_400 * M, 5_000 * M]);
      assert.equal(all.totals.budget, 7_200 * M);
      assert.deepEqual(ok(await mp('GET', `/initiatives?opdId=${opd.BAPPEDA}`, admin)).items.map((i: any) => i.name), ['Rekam Medis Elektronik Puskesmas'], 'a supporting OPD finds it too');
    });

    it('drops a deleted line from the funding trace (foreign key) and documents the routes', async () => {
      assert.equal((await mp('DELETE', `/programs/${line['1.02.02.2.02.0001']}`, admin)).status, 204);
      const after = ok(await mp('GET', `/initiatives/${rme.id}`, admin));
      assert.equal(after.years.find((y: any) => y.year === 2025).fromLines, 2_300 * M, 'the deleted sub kegiatan no longer counts');
      assert.equal((await mp('DELETE', `/programs/${line['1.02.02.2.02.0033']}`, admin)).status, 204);
      assert.ok(!ok(await mp('GET', `/initiatives/${rme.id}`, admin)).lines.some((l: any) => l.programId === line['1.02.02.2.02.0033']));
      const doc = ok((await s.api('GET', '/api/docs/json')) as any);
      for (const path of ['/api/v1/masterplan/initiatives', '/api/v1/masterplan/initiatives/{id}', '/api/v1/masterplan/initiatives/{id}/lines', '/api/v1/masterplan/initiatives/lines/{programId}', '/api/v1/masterplan/initiatives/suggestions', '/api/v1/masterplan/initiatives/{id}/years/{year}']) {
        const ops = Object.values(doc.paths[path] ?? {}) as any[];
        assert.ok(ops.length > 0 && ops.every((o) => o.summary), `${path} is documented`);
      }
    });
  });
}
