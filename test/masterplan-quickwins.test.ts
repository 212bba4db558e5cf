/**
 * Quick wins as records and the roadmap per dimension × year, through the API on
 * both dialects: what an operator, a reviewer and a viewer may do, the refusals a
 * person must act on (in both languages), and the matrix the roadmap answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { ok, refused } from './answers.ts';

const PW = 'Rahasia-Pengguna-2026';
const M = 1_000_000;

for (const dialect of await dialects()) {
  describe(`master plan quick wins and roadmap on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    const opd: Record<string, string> = {};
    const tok: Record<string, string> = {};
    const mp = (method: string, path: string, token: string | undefined, body?: unknown) => s.api(method, `/api/v1/masterplan${path}`, { ...(token !== undefined && { token }), ...(body !== undefined && { body }) });
    const base = {
      title: 'Antrean Daring Puskesmas', dimensionKey: 'living', background: 'Pasien mengantre sejak subuh.', output: 'Nomor antrean daring di 19 puskesmas',
      outcome: 'Waktu tunggu di bawah 60 menit', startMonth: '2026-02', endMonth: '2026-09', cost: 320 * M, fundingSource: 'dak_apbn',
    };
    let rme: any;
    let banjir: any;

    before(async () => {
      s = await startServer(dialect);
      admin = await s.login();
      for (const code of ['DINKES', 'DLH', 'BAPPEDA']) opd[code] = ok(await s.api('POST', '/api/v1/opds', { token: admin, body: { code, name: `OPD ${code}` } }), 201).id;
      for (const [name, role, o] of [['dinkes', 'operator', 'DINKES'], ['dlh', 'operator', 'DLH'], ['viewer', 'viewer', null]] as const) {
        ok(await s.api('POST', '/api/v1/users', { token: admin, body: { email: `${name}@musirawas.go.id`, name, password: PW, role, opdId: o ? opd[o] : null } }), 201);
        tok[name] = await s.login(`${name}@musirawas.go.id`, PW);
      }
      ok(await mp('PUT', '/plan', admin, { title: 'Masterplan Smart City Musi Rawas', vision: 'Musi Rawas cerdas', missions: [], policyDirections: [], periodStart: 2022, periodEnd: 2032 }));
      rme = ok(await mp('POST', '/initiatives', admin, { dimensionKey: 'living', elementKey: 'health', name: 'Rekam Medis Elektronik Puskesmas', leadOpdId: opd.DINKES, startYear: 2024, endYear: 2026 }), 201);
      banjir = ok(await mp('POST', '/initiatives', admin, { dimensionKey: 'society', name: 'Peringatan Dini Banjir', startYear: 2023, endYear: 2026 }), 201);
    });
    after(() => s.close());

    it('refuses a quick win without a dimension, with a schedule of 3 or 18 months, or outside the plan\'s period, saying why in both languages', async () => {
      const { dimensionKey: _d, ...noDimension } = base;
      refused(await mp('POST', '/quickwins', admin, noDimension), 400, 'VALIDATION_FAILED');
      refused(await mp('POST', '/quickwins', admin, { ...base, dimensionKey: 'tourism' }), 400, 'VALIDATION_FAILED');
      const short = refused(await mp('POST', '/quickwins', admin, { ...base, startMonth: '2026-02', endMonth: '2026-04' }), 400, 'VALIDATION_FAILED');
      assert.match(short.message, /3 months .* must take 6 to 12 months/);
      assert.match(short.details!.reason!.id, /Jadwal quick win 3 bulan .* 6–12 bulan/);
      assert.match(short.details!.reason!.en, /3 months/);
      const long = refused(await mp('POST', '/quickwins', admin, { ...base, startMonth: '2026-01', endMonth: '2027-06' }), 400, 'VALIDATION_FAILED');
      assert.match(long.details!.reason!.id, /18 bulan/);
      refused(await mp('POST', '/quickwins', admin, { ...base, startMonth: '2026-09', endMonth: '2026-02' }), 400, 'VALIDATION_FAILED');
      refused(await mp('POST', '/quickwins', admin, { ...base, startMonth: '2026-13', endMonth: '2027-06' }), 400, 'VALIDATION_FAILED');
      const outside = refused(await mp('POST', '/quickwins', admin, { ...base, startMonth: '2032-09', endMonth: '2033-04' }), 400, 'VALIDATION_FAILED');
      assert.match(outside.details!.reason!.id, /Bulan selesai \(2033\) di luar periode rencana induk \(2022–2032\)/);
      assert.match(outside.details!.reason!.en, /End month \(2033\) is outside the plan's period \(2022–2032\)/);
      assert.equal(ok(await mp('GET', '/quickwins', admin)).items.length, 0, 'nothing half-written');
    });

    it('refuses a link to an initiative that does not exist, of another region, or of another dimension', async () => {
      refused(await mp('POST', '/quickwins', admin, { ...base, initiativeId: 'nope' }), 404, 'INITIATIVE_NOT_FOUND');
      const { identity, masterplanInitiatives } = s.app.services;
      const other = await identity.ensureRegion('16.13'); // Kabupaten Musi Rawas Utara
      const foreign = await masterplanInitiatives.create({ userId: 'x', regionId: other.id, role: 'admin', opdId: null, email: 'x' }, { dimensionKey: 'living', name: 'RME Muratara' }, { prepare: async () => null, apply: async () => undefined });
      refused(await mp('POST', '/quickwins', admin, { ...base, initiativeId: foreign.id }), 404, 'INITIATIVE_NOT_FOUND');
      const wrong = refused(await mp('POST', '/quickwins', admin, { ...base, initiativeId: banjir.id }), 400, 'VALIDATION_FAILED');
      assert.ok(wrong.details?.reason?.id.includes('dimensi lain'));
      assert.equal(ok(await mp('GET', '/quickwins', admin)).items.length, 0);
    });

    let antrean: any;
    it('lets an operator add and change the quick wins their OPD leads; other OPDs, viewers and anonymous callers may not', async () => {
      antrean = ok(await mp('POST', '/quickwins', tok.dinkes!, { ...base, initiativeId: rme.id }), 201);
      assert.deepEqual(
        [antrean.leadOpdId, antrean.leadOpdCode, antrean.initiativeName, antrean.months, antrean.status, antrean.cost, antrean.fundingSource],
        [opd.DINKES, 'DINKES', 'Rekam Medis Elektronik Puskesmas', 8, 'planned', 320 * M, 'dak_apbn'],
      );
      refused(await mp('POST', '/quickwins', undefined, base), 401, 'UNAUTHENTICATED');
      refused(await mp('GET', '/quickwins', undefined), 401, 'UNAUTHENTICATED');
      refused(await mp('PATCH', `/quickwins/${antrean.id}`, undefined, { status: 'ongoing' }), 401, 'UNAUTHENTICATED');
      refused(await mp('POST', '/quickwins', tok.dinkes!, { ...base, leadOpdId: opd.DLH }), 403, 'FORBIDDEN');
      refused(await mp('POST', '/quickwins', tok.viewer!, base), 403, 'FORBIDDEN');
      refused(await mp('PATCH', `/quickwins/${antrean.id}`, tok.dlh!, { status: 'ongoing' }), 403, 'FORBIDDEN');
      refused(await mp('DELETE', `/quickwins/${antrean.id}`, tok.dlh!), 403, 'FORBIDDEN');
      refused(await mp('PATCH', `/quickwins/${antrean.id}`, tok.viewer!, { status: 'ongoing' }), 403, 'FORBIDDEN');
      refused(await mp('PATCH', `/quickwins/${antrean.id}`, tok.dinkes!, { leadOpdId: opd.DLH }), 403, 'FORBIDDEN');
      refused(await mp('PATCH', `/quickwins/${antrean.id}`, tok.dinkes!, { endMonth: '2027-06' }), 400, 'VALIDATION_FAILED');
      refused(await mp('PATCH', `/quickwins/${antrean.id}`, tok.dinkes!, { dimensionKey: 'economy' }), 400, 'VALIDATION_FAILED');
      antrean = ok(await mp('PATCH', `/quickwins/${antrean.id}`, tok.dinkes!, { status: 'ongoing', endMonth: '2027-01' }));
      assert.deepEqual([antrean.status, antrean.months], ['ongoing', 12]);
      const seen = ok(await mp('GET', `/quickwins/${antrean.id}`, tok.viewer!));
      assert.equal(seen.title, base.title, 'a viewer reads');
      refused(await mp('GET', '/quickwins/nope', tok.viewer!), 404, 'QUICK_WIN_NOT_FOUND');
    });

    it('lists quick wins per dimension with their costs summed per dimension and in all', async () => {
      ok(await mp('POST', '/quickwins', admin, { ...base, title: 'Dasbor Muka Air', dimensionKey: 'society', initiativeId: banjir.id, startMonth: '2025-03', endMonth: '2025-10', cost: 450 * M, status: 'done' }), 201);
      ok(await mp('POST', '/quickwins', tok.dlh!, { ...base, title: 'Lapor Sampah Liar', dimensionKey: 'environment', startMonth: '2026-04', endMonth: '2026-12', cost: 180 * M }), 201);
      const list = ok(await mp('GET', '/quickwins', tok.viewer!));
      assert.deepEqual(list.items.map((q: any) => q.dimensionKey), ['living', 'society', 'environment'], 'in the framework\'s order');
      assert.equal(list.totals.cost, 950 * M);
      assert.equal(list.totals.byDimension.reduce((a: number, d: any) => a + d.cost, 0), list.totals.cost);
      assert.deepEqual(list.totals.byStatus.map((x: any) => [x.key, x.quickWins]), [['planned', 1], ['ongoing', 1], ['done', 1], ['dropped', 0]]);
      assert.equal(ok(await mp('GET', `/quickwins?opdId=${opd.DLH}`, admin)).items.length, 1);
      assert.equal(ok(await mp('GET', '/quickwins?dimension=society', admin)).items[0].title, 'Dasbor Muka Air');
    });

    it('answers the roadmap as a dimension × year matrix of the plan\'s period', async () => {
      const road = ok(await mp('GET', '/roadmap', tok.viewer!));
      assert.deepEqual(road.years, [2022, 2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032]);
      assert.deepEqual(road.dimensions.map((d: any) => d.key), ['governance', 'branding', 'economy', 'living', 'society', 'environment']);
      const cell = (dim: string, year: number) => road.dimensions.find((d: any) => d.key === dim).cells.find((c: any) => c.year === year);
      assert.deepEqual(cell('living', 2023).initiatives, [], 'RME starts in 2024');
      assert.deepEqual(cell('living', 2024).initiatives.map((i: any) => [i.name, i.first, i.last]), [['Rekam Medis Elektronik Puskesmas', true, false]]);
      assert.deepEqual(cell('living', 2026).initiatives.map((i: any) => i.last), [true]);
      assert.deepEqual(cell('living', 2026).quickWins.map((q: any) => q.title), ['Antrean Daring Puskesmas']);
      assert.deepEqual(cell('living', 2027).quickWins.map((q: any) => q.title), ['Antrean Daring Puskesmas'], 'February 2026 to January 2027 runs in both years');
      assert.deepEqual(cell('society', 2025).quickWins.map((q: any) => q.title), ['Dasbor Muka Air']);
      assert.deepEqual(cell('society', 2022).initiatives, []);
      assert.equal(cell('society', 2023).initiatives.length, 1);
    });

    it('keeps milestones per dimension and year for reviewers, refusing a year outside the plan\'s period', async () => {
      const outside = refused(await mp('POST', '/roadmap/milestones', admin, { dimensionKey: 'living', year: 2035, text: 'Semua puskesmas terhubung SATUSEHAT' }), 400, 'VALIDATION_FAILED');
      assert.match(outside.details!.reason!.id, /Tahun tonggak capaian \(2035\) di luar periode rencana induk \(2022–2032\)/);
      assert.match(outside.details!.reason!.en, /Milestone year \(2035\) is outside the plan's period/);
      refused(await mp('POST', '/roadmap/milestones', admin, { dimensionKey: 'living', year: 2021, text: 'x' }), 400, 'VALIDATION_FAILED');
      refused(await mp('POST', '/roadmap/milestones', tok.dinkes!, { dimensionKey: 'living', year: 2026, text: '19 puskesmas dengan RME' }), 403, 'FORBIDDEN');
      refused(await mp('POST', '/roadmap/milestones', tok.viewer!, { dimensionKey: 'living', year: 2026, text: '19 puskesmas dengan RME' }), 403, 'FORBIDDEN');
      refused(await mp('POST', '/roadmap/milestones', undefined, { dimensionKey: 'living', year: 2026, text: '19 puskesmas dengan RME' }), 401, 'UNAUTHENTICATED');
      const m = ok(await mp('POST', '/roadmap/milestones', admin, { dimensionKey: 'living', year: 2026, text: '19 puskesmas dengan RME' }), 201);
      refused(await mp('PATCH', `/roadmap/milestones/${m.id}`, admin, { year: 2040 }), 400, 'VALIDATION_FAILED');
      refused(await mp('PATCH', `/roadmap/milestones/${m.id}`, tok.dinkes!, { text: 'diubah' }), 403, 'FORBIDDEN');
      ok(await mp('PATCH', `/roadmap/milestones/${m.id}`, admin, { year: 2027 }));
      const road = ok(await mp('GET', '/roadmap', admin));
      const living = road.dimensions.find((d: any) => d.key === 'living');
      assert.deepEqual(living.cells.find((c: any) => c.year === 2027).milestones.map((x: any) => x.text), ['19 puskesmas dengan RME']);
      assert.deepEqual(living.cells.find((c: any) => c.year === 2026).milestones, []);
      refused(await mp('DELETE', `/roadmap/milestones/${m.id}`, tok.viewer!), 403, 'FORBIDDEN');
      assert.equal(ok(await mp('DELETE', `/roadmap/milestones/${m.id}`, admin), 204), null);
      refused(await mp('DELETE', `/roadmap/milestones/${m.id}`, admin), 404, 'MILESTONE_NOT_FOUND');
    });

    it('migration 0027 turns each program ticked as a quick win into a record (a kegiatan taking its program\'s dimension); one with no dimension anywhere keeps its old flag', async () => {
      const add = async (body: Record<string, unknown>) => ok(await mp('POST', '/programs', admin, { document: 'RKPD', year: 2025, ...body }), 201);
      const program = await add({ code: '1.05.03', name: 'PROGRAM PENANGGULANGAN BENCANA', budget: 900 * M });
      ok(await mp('PATCH', `/programs/${program.id}`, admin, { dimensionKey: 'society' }));
      const kegiatan = await add({ code: '1.05.03.2.01', name: 'Pencegahan dan Kesiapsiagaan', budget: 900 * M, opdId: opd.BAPPEDA, indicator: 'Pos duga air', target: '4' });
      ok(await mp('PATCH', `/programs/${kegiatan.id}`, admin, { roadmapYear: 2026 }));
      const orphan = await add({ code: '9.99.99', name: 'Tanpa dimensi', budget: 10 * M });
      // the migration again, on a database holding programs ticked before the checkbox was retired (as an existing installation does)
      const db = s.app.services.database.db;
      await db.updateTable('mp_programs').set({ quick_win: 1 }).where('id', 'in', [kegiatan.id, orphan.id]).execute();
      const before = await db.selectFrom('mp_quick_wins').selectAll().execute();
      const milestones = await db.selectFrom('mp_roadmap_milestones').selectAll().execute();
      await db.schema.dropTable('mp_roadmap_milestones').execute();
      await db.schema.dropTable('mp_quick_wins').execute();
      const { up } = await import('../src/platform/db/migrations/0027-masterplan-quick-wins.ts');
      await up(db, dialect.name);
      const made = await db.selectFrom('mp_quick_wins').selectAll().execute();
      assert.deepEqual(made.map((q) => [q.title, q.dimension_key, q.start_month, q.end_month, Number(q.cost), q.lead_opd_id, q.status, q.source_program_id, q.output]), [
        ['Pencegahan dan Kesiapsiagaan', 'society', '2026-01', '2026-12', 900 * M, opd.BAPPEDA, 'planned', kegiatan.id, 'Pos duga air: 4'],
      ]);
      assert.equal((await db.selectFrom('mp_programs').select('quick_win').where('id', '=', orphan.id).executeTakeFirstOrThrow()).quick_win, 1, 'the old flag is left as it was');
      // the rows of the tests before, back in place
      await db.deleteFrom('mp_quick_wins').execute();
      for (const row of before) await db.insertInto('mp_quick_wins').values(row).execute();
      for (const row of milestones) await db.insertInto('mp_roadmap_milestones').values(row).execute();
    });

    it('keeps a quick win when its initiative is deleted, without the link; its lead OPD deletes it', async () => {
      ok(await mp('DELETE', `/initiatives/${rme.id}`, admin), 204);
      const kept = ok(await mp('GET', `/quickwins/${antrean.id}`, admin));
      assert.deepEqual([kept.initiativeId, kept.initiativeName], [null, null]);
      ok(await mp('DELETE', `/quickwins/${antrean.id}`, tok.dinkes!), 204);
      refused(await mp('GET', `/quickwins/${antrean.id}`, admin), 404, 'QUICK_WIN_NOT_FOUND');
    });
  });
}
