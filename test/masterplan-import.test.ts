import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { buildCsv, buildXlsx, SAMPLE } from '../examples/sample-rkpd.ts';
import { ManualClock } from '../src/core/clock.ts';
import { dialects, startServer, startServerOn, type Storage, type TestServer } from './helpers.ts';

const OPDS = [
  { code: 'DINKES', name: 'Dinas Kesehatan' },
  { code: 'PUPR', name: 'Dinas Pekerjaan Umum dan Penataan Ruang' },
  { code: 'DLH', name: 'Dinas Lingkungan Hidup' },
  { code: 'BPBD', name: 'Badan Penanggulangan Bencana Daerah' },
  { code: 'DISHUB', name: 'Dinas Perhubungan' },
  { code: 'DISDIK', name: 'Dinas Pendidikan' },
];

/** A preview over real HTTP (multipart, as the web app sends it). */
async function uploadTo(s: TestServer, token: string, file: Buffer | string, filename: string, fields: Record<string, string> = { document: 'RKPD' }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([typeof file === 'string' ? Buffer.from(file) : file]), filename);
  const res = await fetch(`${s.url}/api/v1/masterplan/programs/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}
const confirmOn = (s: TestServer, token: string, importId: string) => s.api('POST', `/api/v1/masterplan/programs/import/${importId}/confirm`, { token });

/** The OPDs of OPDS (and DISKOMINFO, there from the start): code → id. */
async function addOpds(s: TestServer, token: string): Promise<Record<string, string>> {
  const opd: Record<string, string> = {};
  for (const o of OPDS) opd[o.code] = (await s.api('POST', '/api/v1/opds', { token, body: o })).body.id;
  const list = (await s.api('GET', '/api/v1/opds', { token })).body as { id: string; code: string }[];
  opd.DISKOMINFO = list.find((o) => o.code === 'DISKOMINFO')!.id;
  return opd;
}

for (const dialect of await dialects()) {
  describe(`master plan program import on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    let opd: Record<string, string> = {};

    const upload = (file: Buffer | string, filename: string, fields: Record<string, string> = { document: 'RKPD' }, token = admin) => uploadTo(s, token, file, filename, fields);
    const confirm = (importId: string, token = admin) => confirmOn(s, token, importId);
    const allPrograms = async (query = '') => {
      const res = await s.api('GET', `/api/v1/masterplan/programs?limit=1000${query}`, { token: admin });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.items as any[];
    };

    before(async () => {
      s = await startServer(dialect);
      admin = await s.login();
      opd = await addOpds(s, admin);
    });
    after(() => s.close());

    it('previews the sample RKPD (merged header, blank rows) without saving, then imports it; the same file again changes nothing', async () => {
      const xlsx = await buildXlsx(SAMPLE, { blankEvery: 4 });
      const preview = await upload(xlsx, 'rkpd.xlsx');
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
      assert.equal(preview.body.headerRow, 5);
      assert.deepEqual(preview.body.errors, []);
      assert.equal(preview.body.valid, SAMPLE.length);
      assert.equal(preview.body.created, SAMPLE.length);
      assert.equal((await allPrograms()).length, 0, 'a preview saves nothing');

      const done = await confirm(preview.body.importId);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.deepEqual([done.body.created, done.body.updated, done.body.unchanged], [SAMPLE.length, 0, 0]);
      const programs = await allPrograms();
      assert.equal(programs.length, SAMPLE.length);
      const jip = programs.find((p) => p.code === '2.16.03.2.02.0014');
      assert.equal(jip.level, 'sub_kegiatan');
      assert.equal(jip.budget, 1_250_000_000);
      assert.equal(jip.opdCode, 'DISKOMINFO');
      assert.equal(jip.year, 2025);
      assert.equal(jip.location, 'Muara Beliti');
      assert.equal(jip.indicator, 'Jumlah OPD terhubung jaringan intra pemerintah');
      assert.deepEqual([jip.target, jip.unit], ['42', 'OPD']);
      assert.equal(programs.find((p) => p.code === '2.16.03').level, 'program');
      assert.equal(programs.find((p) => p.code === '2.16.03.2.02').level, 'kegiatan');
      assert.equal(jip.suggestion.dimensionKey, 'governance');

      // pages in code order: a program, its kegiatan, their sub kegiatan
      const paged: any[] = [];
      for (let cursor: string | null = null, i = 0; i < 20; i++) {
        const page: any = (await s.api('GET', `/api/v1/masterplan/programs?limit=5${cursor ? `&cursor=${cursor}` : ''}`, { token: admin })).body;
        paged.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      assert.deepEqual(paged.map((p) => p.id), programs.map((p) => p.id));
      assert.deepEqual(paged.map((p) => p.code), SAMPLE.map((r) => r.code).sort());
      assert.equal((await s.api('GET', '/api/v1/masterplan/programs?cursor=bogus', { token: admin })).body.error.code, 'QUERY_INVALID');

      // the same confirm twice: the preview is spent
      assert.equal((await confirm(preview.body.importId)).body.error.code, 'IMPORT_NOT_FOUND');

      const again = await upload(xlsx, 'rkpd.xlsx');
      assert.deepEqual([again.body.created, again.body.updated, again.body.unchanged], [0, 0, SAMPLE.length]);
      const done2 = await confirm(again.body.importId);
      assert.deepEqual([done2.body.created, done2.body.updated, done2.body.unchanged], [0, 0, SAMPLE.length]);
      const after2 = await allPrograms();
      assert.equal(after2.length, SAMPLE.length);
      assert.deepEqual(after2.map((p) => p.updatedAt), programs.map((p) => p.updatedAt), 'nothing was touched');

      // the CSV of the same rows (rupiah as text "Rp 1.250.000.000,00") is the same data
      const csv = await upload(buildCsv(SAMPLE), 'rkpd.csv');
      assert.equal(csv.status, 200, JSON.stringify(csv.body));
      assert.deepEqual([csv.body.created, csv.body.updated, csv.body.unchanged, csv.body.errors.length], [0, 0, SAMPLE.length, 0]);
    });

    it('re-imports changed values as updates, keeps the mapping, and reports which rows changed', async () => {
      const target = (await allPrograms()).find((p) => p.code === '2.11.11.2.01.0006');
      const mapped = await s.api('PATCH', `/api/v1/masterplan/programs/${target.id}`, { token: admin, body: { dimensionKey: 'environment', elementKey: 'waste', horizon: 'short', roadmapYear: 2025 } });
      assert.equal(mapped.status, 200, JSON.stringify(mapped.body));
      const changed = SAMPLE.map((r) => (r.code === '2.11.11.2.01.0006' ? { ...r, budget: 2_000_000_000, target: '30' } : r));
      const preview = await upload(await buildXlsx(changed), 'rkpd-perubahan.xlsx');
      assert.deepEqual([preview.body.created, preview.body.updated, preview.body.unchanged], [0, 1, SAMPLE.length - 1]);
      assert.equal(preview.body.sample.find((r: any) => r.code === '2.11.11.2.01.0006').action, 'update');
      const done = await confirm(preview.body.importId);
      assert.deepEqual([done.body.created, done.body.updated], [0, 1]);
      assert.equal(done.body.updatedRows[0].code, '2.11.11.2.01.0006');
      assert.deepEqual(done.body.updatedRows[0].fields.sort(), ['budget', 'target']);
      const now = (await s.api('GET', `/api/v1/masterplan/programs/${target.id}`, { token: admin })).body;
      assert.equal(now.budget, 2_000_000_000);
      assert.equal(now.target, '30');
      assert.deepEqual([now.dimensionKey, now.elementKey, now.horizon, now.roadmapYear], ['environment', 'waste', 'short', 2025], 'the mapping survives a re-import');
    });

    it('reports bad rows with their spreadsheet row number and imports only the good ones on confirm', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Renja');
      ws.addRow(['RENJA DINAS KESEHATAN 2026']);
      ws.addRow([]);
      ws.addRow(['KODE', 'NAMA PROGRAM/KEGIATAN', 'INDIKATOR', 'PAGU', 'OPD', 'TAHUN']); // row 3
      ws.addRow(['1.02.02.2.02.0040', 'Pelayanan Kesehatan Penyakit Menular', 'Cakupan', 'Rp 1.250.000.000,00', 'DINKES', 2026]); // 4 good
      ws.addRow(['1.02.02.2.2.0040', 'Kode salah', '', '100', 'DINKES', 2026]); // 5 bad code
      ws.addRow(['1.02.02.2.02.0041', 'Pagu ganda arti', '', '1,250', 'DINKES', 2026]); // 6 ambiguous budget
      ws.addRow(['1.02.02.2.02.0040', 'Pelayanan Kesehatan Penyakit Menular', 'Cakupan', 'Rp 1.250.000.000,00', 'DINKES', 2026]); // 7 duplicate of 4
      ws.addRow(['1.02.02.2.02.0042', 'OPD tak dikenal', '', '5.000.000', 'DINAS ANTAH BERANTAH', 2026]); // 8 unknown OPD
      ws.addRow([]);
      ws.addRow(['1.02.02.2.02.0043', 'Posyandu Digital', 'Jumlah posyandu', 350000000, 'Dinas Kesehatan', 2026]); // 10 good, OPD by name
      const preview = await upload(Buffer.from(await wb.xlsx.writeBuffer()), 'renja.xlsx', { document: 'RENJA' });
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
      assert.deepEqual(preview.body.errors.map((e: any) => e.row), [5, 6, 7, 8]);
      assert.match(preview.body.errors[0].reason, /does not fit the Permendagri 90\/2019 nomenclature/);
      assert.match(preview.body.errors[1].reason, /1,250/);
      assert.match(preview.body.errors[2].reason, /duplicate of row 4/);
      assert.match(preview.body.errors[3].reason, /DINAS ANTAH BERANTAH/);
      assert.deepEqual([preview.body.valid, preview.body.duplicates, preview.body.rows], [2, 1, 6]);
      assert.equal(preview.body.sample[0].budget, 1_250_000_000);
      const done = await confirm(preview.body.importId);
      assert.equal(done.body.created, 2);
      const renja = await allPrograms('&document=RENJA');
      assert.deepEqual(renja.map((p) => p.code).sort(), ['1.02.02.2.02.0040', '1.02.02.2.02.0043']);
      assert.ok(renja.every((p) => p.opdId === opd.DINKES && p.year === 2026));
    });

    it('refuses a file that is not a spreadsheet, and a 50 MB file before reading it', async () => {
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.alloc(200)]);
      const bad = await upload(png, 'foto.png');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'IMPORT_FILE_INVALID');
      const letter = await upload('Kepada Yth. Bapak Bupati,\nbersama ini kami sampaikan laporan.\n', 'surat.csv');
      assert.equal(letter.status, 400);
      assert.equal(letter.body.error.code, 'IMPORT_FILE_INVALID');
      const zip = await upload(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100, 1)]), 'rusak.xlsx');
      assert.equal(zip.body.error.code, 'IMPORT_FILE_INVALID');
      const before = (await allPrograms()).length;
      const big = Buffer.alloc(50 * 1024 * 1024, 0x41);
      const res = await upload(big, 'besar.csv').catch((error: Error) => ({ status: 0, body: { error: { code: error.message } } }));
      assert.equal(res.status, 413, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'IMPORT_FILE_TOO_LARGE');
      assert.equal((await allPrograms()).length, before);
    });

    it('imports the same new rows once when two previews are confirmed at the same time', async () => {
      const rows = SAMPLE.map((r) => ({ ...r, year: 2030 }));
      const a = await upload(buildCsv(rows), 'a.csv', { document: 'RPJMD' });
      const b = await upload(await buildXlsx(rows), 'b.xlsx', { document: 'RPJMD' });
      assert.deepEqual([a.body.created, b.body.created], [rows.length, rows.length]);
      const results = await Promise.all([confirm(a.body.importId), confirm(b.body.importId)]);
      for (const r of results) assert.ok(r.status === 200 || (r.status === 409 && r.body.error.code === 'CONFLICT'), JSON.stringify(r.body));
      const created = results.filter((r) => r.status === 200).reduce((sum, r) => sum + r.body.created, 0);
      assert.equal(created, rows.length);
      assert.equal((await allPrograms('&document=RPJMD')).length, rows.length, 'no row twice');
    });

    it('imports a preview once when the same preview is confirmed twice at the same time', async () => {
      const rows = SAMPLE.map((r) => ({ ...r, year: 2031 }));
      const preview = await upload(buildCsv(rows), 'dua-kali.csv', { document: 'RPJMD' });
      assert.equal(preview.body.created, rows.length);
      const results = await Promise.all([confirm(preview.body.importId), confirm(preview.body.importId)]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 404], JSON.stringify(results.map((r) => r.body)));
      assert.equal(results.find((r) => r.status === 200)!.body.created, rows.length);
      assert.equal(results.find((r) => r.status === 404)!.body.error.code, 'IMPORT_NOT_FOUND');
      assert.equal((await allPrograms('&document=RPJMD&year=2031')).length, rows.length, 'no row twice');
    });

    it('keeps an operator to their own OPD, and viewers out', async () => {
      const mk = async (email: string, role: string, opdId: string | null) => {
        const res = await s.api('POST', '/api/v1/users', { token: admin, body: { email, name: email, password: 'Rahasia-Operator-2026', role, opdId } });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return s.login(email, 'Rahasia-Operator-2026');
      };
      const dlh = await mk('dlh@musirawas.go.id', 'operator', opd.DLH!);
      const viewer = await mk('lihat@musirawas.go.id', 'viewer', null);
      const rows = SAMPLE.filter((r) => r.code.startsWith('2.11') || r.code.startsWith('1.05')).map((r) => ({ ...r, year: 2027 }));
      const preview = await upload(buildCsv(rows), 'campur.csv', { document: 'RKPD' }, dlh);
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
      assert.equal(preview.body.valid, 3, 'only the DLH rows');
      assert.equal(preview.body.errors.length, 3);
      assert.ok(preview.body.errors.every((e: any) => /another OPD/.test(e.reason)));
      assert.equal((await confirm(preview.body.importId, viewer)).status, 403, 'someone else may not confirm it');
      assert.equal((await confirm(preview.body.importId, dlh)).body.created, 3);
      assert.equal((await upload(buildCsv(rows), 'x.csv', { document: 'RKPD' }, viewer)).status, 403);

      // A preview waits up to 30 minutes: an operator moved to another OPD, or made a viewer, meanwhile may not confirm it.
      const later = rows.map((r) => ({ ...r, year: 2028 }));
      const moved = await upload(buildCsv(later), 'dlh-2028.csv', { document: 'RKPD' }, dlh);
      assert.equal(moved.body.valid, 3);
      const users = (await s.api('GET', '/api/v1/users?limit=100', { token: admin })).body.items as any[];
      const dlhId = users.find((u) => u.email === 'dlh@musirawas.go.id').id;
      assert.equal((await s.api('PATCH', `/api/v1/users/${dlhId}`, { token: admin, body: { opdId: opd.BPBD } })).status, 200);
      const dlhMoved = await s.login('dlh@musirawas.go.id', 'Rahasia-Operator-2026');
      const refused = await confirm(moved.body.importId, dlhMoved);
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.match(refused.body.error.message, /another OPD/);
      assert.equal((await s.api('PATCH', `/api/v1/users/${dlhId}`, { token: admin, body: { opdId: opd.DLH, role: 'viewer' } })).status, 200);
      const dlhViewer = await s.login('dlh@musirawas.go.id', 'Rahasia-Operator-2026');
      assert.equal((await confirm(moved.body.importId, dlhViewer)).status, 403, 'a viewer now');
      assert.equal((await s.api('GET', '/api/v1/masterplan/programs?year=2028&limit=100', { token: admin })).body.items.length, 0, 'nothing imported');
    });
  });
}

for (const dialect of await dialects()) {
  describe(`master plan import previews in the database on ${dialect.name}`, () => {
    const MIN = 60_000;
    const clock = new ManualClock(Date.UTC(2026, 2, 2, 1, 0, 0));
    let storage: Storage;
    let a: TestServer;
    let admin: string;
    const servers: TestServer[] = [];
    /** Another instance on the same database (and DATA_DIR), with the same clock. */
    const instance = async () => {
      const s = await startServerOn(storage, {}, { clock, ruleTickMs: null }, true);
      servers.push(s);
      return s;
    };
    const rowsOf = (year: number) => SAMPLE.map((r) => ({ ...r, year }));

    before(async () => {
      storage = await dialect.storage();
      a = await instance();
      admin = await a.login();
      await addOpds(a, admin);
    });
    after(async () => {
      for (const s of servers) await s.close().catch(() => undefined);
      await storage.drop();
    });

    it('confirms a preview after the server restarted on the same database', async () => {
      const preview = await uploadTo(a, admin, buildCsv(rowsOf(2032)), 'sebelum-restart.csv', { document: 'RENSTRA' });
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
      assert.equal(preview.body.created, SAMPLE.length);
      await a.close();
      clock.advance(5 * MIN);
      a = await instance();
      const done = await confirmOn(a, admin, preview.body.importId);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.deepEqual([done.body.created, done.body.updated, done.body.unchanged], [SAMPLE.length, 0, 0]);
      assert.equal((await confirmOn(a, admin, preview.body.importId)).body.error.code, 'IMPORT_NOT_FOUND', 'spent');
    });

    it('confirms on another instance than the one that made the preview; of two confirms on two instances at once, one imports', async () => {
      const b = await instance();
      const first = await uploadTo(a, admin, buildCsv(rowsOf(2033)), 'instans-a.csv', { document: 'RENSTRA' });
      const done = await confirmOn(b, admin, first.body.importId);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal(done.body.created, SAMPLE.length);
      // two connections to one SQLite file in one process would only wait on each other: at once, on PostgreSQL
      if (dialect.name !== 'postgres') return;
      const second = await uploadTo(b, admin, buildCsv(rowsOf(2034)), 'instans-b.csv', { document: 'RENSTRA' });
      const results = await Promise.all([confirmOn(a, admin, second.body.importId), confirmOn(b, admin, second.body.importId)]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 404], JSON.stringify(results.map((r) => r.body)));
      assert.equal(results.find((r) => r.status === 200)!.body.created, SAMPLE.length);
      const programs = (await a.api('GET', '/api/v1/masterplan/programs?limit=1000&document=RENSTRA&year=2034', { token: admin })).body.items;
      assert.equal(programs.length, SAMPLE.length, 'no row twice');
    });

    it('refuses another user, and keeps the preview for its owner', async () => {
      const res = await a.api('POST', '/api/v1/users', { token: admin, body: { email: 'bappeda@musirawas.go.id', name: 'Admin Bappeda', password: 'Rahasia-Bappeda-2026', role: 'admin', opdId: null } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const other = await a.login('bappeda@musirawas.go.id', 'Rahasia-Bappeda-2026');
      const preview = await uploadTo(a, admin, buildCsv(rowsOf(2035)), 'milik-admin.csv', { document: 'RENSTRA' });
      const refused = await confirmOn(a, other, preview.body.importId);
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'FORBIDDEN');
      assert.equal((await confirmOn(a, admin, preview.body.importId)).body.created, SAMPLE.length);
    });

    it('refuses a preview older than 30 minutes as it refuses an unknown one', async () => {
      const unknown = await confirmOn(a, admin, 'tidak-ada');
      const fresh = await uploadTo(a, admin, buildCsv(rowsOf(2036)), 'segar.csv', { document: 'RENSTRA' });
      const stale = await uploadTo(a, admin, buildCsv(rowsOf(2037)), 'basi.csv', { document: 'RENSTRA' });
      assert.equal(stale.body.expiresAt, clock.now() + 30 * MIN);
      clock.advance(30 * MIN);
      assert.equal((await confirmOn(a, admin, fresh.body.importId)).status, 200, 'still good at 30 minutes');
      clock.advance(1);
      const expired = await confirmOn(a, admin, stale.body.importId);
      assert.equal(expired.status, 404);
      assert.deepEqual(expired.body, unknown.body);
      // the next preview drops the expired one from the database
      await uploadTo(a, admin, buildCsv(rowsOf(2038)), 'berikutnya.csv', { document: 'RENSTRA' });
      const kept = await a.app.services.database.db.selectFrom('mp_import_previews').select('id').execute();
      assert.ok(!kept.some((r) => r.id === stale.body.importId));
    });
  });
}
