import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { startDemo } from '../../src/app.ts';
import { dialects, startServer, tempDir, type TestServer } from '../helpers.ts';
import { ROOT } from '../process.ts';
import { launch, NO_CHROMIUM, openSignedIn, screenshot } from './browser.ts';

// Functions passed to page.evaluate/waitForFunction run in the page: these names exist there.
declare const document: any;
declare const getComputedStyle: (e: unknown) => { paddingLeft: string };

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);
const OPERATOR = { email: 'operator.dinkes@musirawas.go.id', password: 'Operator-Dinkes-2026' };

/** The sample RKPD that ships under examples/ (a made-up SIPD export of Musi Rawas). */
function sampleRkpd(): string {
  const dir = path.join(ROOT, 'examples');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const name = files.find((f) => /rkpd/i.test(f) && f.endsWith('.xlsx')) ?? files.find((f) => /rkpd/i.test(f) && f.endsWith('.csv'));
  assert.ok(name, 'examples/ holds the sample RKPD');
  return path.join(dir, name);
}

describe('master plan workspace in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let token: string;
  before(async () => {
    const [sqlite] = await dialects();
    s = await startServer(sqlite!, {}, { ruleTickMs: null });
    // the demo's OPDs (the sample RKPD names them), its 2021/2022 readiness and draft plan; no simulator needed
    const simulator = await startDemo(s.app, { stepMs: 60_000, masterplanPrograms: false });
    await simulator.stop();
    token = await s.login();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  /** A page at `hash` with the session of a login, as the app keeps it (the login form is tested by the other Chromium files, e.g. signIn in browser.ts; logins are rate limited). */
  const resume = (sessionToken: string, hash: string, options: BrowserContextOptions = { viewport: { width: 1440, height: 900 } }) => openSignedIn(browser, s.url, sessionToken, { ...options, hash });
  const programs = async () => (await s.api('GET', '/api/v1/masterplan/programs?limit=1000', { token })).body.items as { id: string; code: string; name: string; opdId: string | null; opdCode: string | null; dimensionKey: string | null; elementKey: string | null; suggestion: { dimensionKey: string; elementKey: string | null } | null }[];

  it('imports the sample RKPD with a preview, maps a program, adds a KPI, and the dashboard follows', async () => {
    const page = await resume(token, '#/masterplan/programs', { viewport: { width: 1920, height: 1080 } });
    await page.getByRole('link', { name: 'Rencana Induk' }).waitFor();
    await page.getByRole('heading', { name: 'Impor dokumen perencanaan' }).waitFor();

    // the file, the document type, the preview: nothing saved yet
    await page.setInputFiles('.mp-import input[type=file]', sampleRkpd());
    await page.selectOption('.mp-import select[name=document]', 'RKPD');
    await page.click('[data-testid=import-preview]');
    await page.locator('[data-testid=import-result]').waitFor({ timeout: 20_000 });
    const valid = Number((await page.textContent('[data-testid=preview-valid]'))!.replace(/\D/g, ''));
    assert.ok(valid >= 10, `the sample has valid rows (${valid})`);
    assert.equal((await programs()).length, 0, 'the preview saves nothing');

    await page.click('[data-testid=import-confirm]');
    await page.getByText('Impor selesai').waitFor({ timeout: 20_000 });
    const imported = await programs();
    assert.ok(imported.length >= valid - 5 && imported.length > 0, 'the confirmed rows are saved');
    await page.locator('tr[data-program]').first().waitFor();
    assert.equal(await page.locator('tr[data-program]').count(), imported.length, 'the list shows every program');

    // accept a suggested dimension
    const suggested = imported.find((p) => p.suggestion && p.suggestion.dimensionKey !== p.dimensionKey);
    assert.ok(suggested, 'some program has a suggestion to accept');
    const row = page.locator(`tr[data-program="${suggested.code}"]`).first();
    await row.locator('[data-testid=accept-suggestion]').click();
    await page.waitForFunction(
      ({ code, dim }) => document.querySelector(`tr[data-program="${code}"] select[name=dimensionKey]`)?.value === dim,
      { code: suggested.code, dim: suggested.suggestion!.dimensionKey },
    );
    // its unmapped kegiatan say where they are counted: in their program's dimension
    const child = imported.find((p) => p.code.startsWith(`${suggested.code}.`) && p.dimensionKey === null);
    if (child) await page.locator(`tr[data-program="${child.code}"] [data-testid=inherited]`).filter({ hasText: suggested.code }).waitFor();
    const after = (await programs()).find((p) => p.id === suggested.id)!;
    assert.equal(after.dimensionKey, suggested.suggestion!.dimensionKey, 'the accepted dimension is stored');

    // filter by text
    await page.fill('.mp-filters input[name=q]', suggested.name.slice(0, 12));
    await page.waitForFunction((n) => document.querySelectorAll('tr[data-program]').length < n, imported.length);
    await page.fill('.mp-filters input[name=q]', '');
    await page.waitForFunction((n) => document.querySelectorAll('tr[data-program]').length === n, imported.length);
    // the list reads as program → kegiatan → sub kegiatan: each level further in
    const inset = (code: string) => page.locator(`tr[data-program="${code}"] td.mp-level`).first().evaluate((td) => parseFloat(getComputedStyle(td).paddingLeft));
    const [program, kegiatan, sub] = [await inset('2.16.03'), await inset('2.16.03.2.02'), await inset('2.16.03.2.02.0014')];
    assert.ok(program < kegiatan && kegiatan < sub, `indents ${program} < ${kegiatan} < ${sub}`);
    await screenshot(page, 'masterplan-programs.png');

    // roadmap view
    await page.getByRole('button', { name: 'Peta jalan' }).click();
    await page.locator('[data-testid=roadmap]').waitFor();

    // the dashboard before the KPI
    await page.goto(`${s.url}/#/masterplan`);
    await page.locator('[data-testid=mp-dashboard]').waitFor();
    await page.waitForFunction((n) => document.querySelector('[data-testid=dash-programs]')?.textContent === String(n), imported.length, { timeout: 10_000 });
    const onTrackBefore = Number(await page.textContent('[data-testid=dash-ontrack]'));

    // add a KPI by hand, on track this year
    await page.goto(`${s.url}/#/masterplan/kpis`);
    await page.locator('[data-testid=add-kpi]').waitFor();
    await page.fill('input[name=kpiName]', 'Cakupan layanan e-KTP');
    await page.fill('input[name=kpiUnit]', '%');
    await page.fill('input[name=kpiBaseline]', '60');
    await page.fill('input[name=kpiTarget]', '80');
    await page.selectOption('select[name=kpiProgram]', suggested.id);
    await page.click('[data-testid=add-kpi-submit]');
    const kpiRow = page.locator('tr[data-kpi="Cakupan layanan e-KTP"]');
    await kpiRow.waitFor({ timeout: 10_000 });
    await kpiRow.getByLabel('Realisasi Cakupan layanan e-KTP').fill('85');
    await kpiRow.getByRole('button', { name: 'Simpan nilai' }).click();
    await kpiRow.locator('[data-status=on_track]').waitFor({ timeout: 10_000 });

    // a KPI computed from the platform's live data
    await page.check('input[name=kpiSource][value=live]');
    await page.selectOption('select[name=kpiMetric]', 'devices_online_share');
    await page.fill('input[name=kpiName]', 'Perangkat daring');
    await page.click('[data-testid=add-kpi-submit]');
    const liveRow = page.locator('tr[data-kpi="Perangkat daring"]');
    await liveRow.locator('.live-chip').waitFor({ timeout: 10_000 });
    // The live metric by its name, never its key (devices_online_share).
    assert.match((await liveRow.textContent())!, /Persentase perangkat daring/);
    assert.doesNotMatch((await liveRow.textContent())!, /devices_online_share/);
    await page.click('[data-testid=kpi-refresh]');
    await page.getByText('Nilai langsung diperbarui').waitFor({ timeout: 10_000 });

    // A metric's parameters are chosen by name: the reading from the device profiles with its unit, the days typed.
    await page.check('input[name=kpiSource][value=live]');
    await page.selectOption('select[name=kpiMetric]', 'telemetry_mean');
    await page.fill('input[name=kpiName]', 'Rata-rata tinggi muka air');
    await page.fill('input[name=kpiUnit]', '');
    await page.selectOption('select[name=param-key]', { label: 'Tinggi muka air (m)' });
    // The KPI takes the reading's unit when none was typed.
    assert.equal(await page.inputValue('input[name=kpiUnit]'), 'm');
    await page.fill('input[name=param-days]', 'tujuh');
    await page.click('[data-testid=add-kpi-submit]');
    await page.getByText('Jumlah hari harus bilangan bulat 1–3660.').waitFor({ timeout: 10_000 });
    await page.fill('input[name=param-days]', '7');
    await page.click('[data-testid=add-kpi-submit]');
    const meanRow = page.locator('tr[data-kpi="Rata-rata tinggi muka air"]');
    await meanRow.locator('.live-chip').waitFor({ timeout: 10_000 });
    assert.equal((await meanRow.locator('[data-testid=kpi-metric-params]').textContent())!.trim(), 'Tinggi muka air (m) · 7 hari terakhir');
    assert.doesNotMatch((await meanRow.textContent())!, /waterLevel|telemetry_mean/);
    const kpis = (await s.api('GET', '/api/v1/masterplan/kpis', { token })).body as { name: string; unit: string; metric: { kind: string; params: Record<string, unknown> } | null }[];
    const mean = kpis.find((k) => k.name === 'Rata-rata tinggi muka air');
    assert.deepEqual(mean?.metric, { kind: 'telemetry_mean', params: { key: 'waterLevel', days: 7 } });
    assert.equal(mean?.unit, 'm');
    // The alarm level by its name, BNPB's levels first; no internal key on the screen.
    await page.check('input[name=kpiSource][value=live]');
    await page.selectOption('select[name=kpiMetric]', 'alarms_count');
    const levels = await page.locator('select[name=param-severity] option').allTextContents();
    assert.deepEqual(levels, ['— semua —', 'Waspada', 'Siaga', 'Awas', 'Info', 'Ringan', 'Berat', 'Kritis']);
    // In English too.
    await page.evaluate(() => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('cerdas.lang', 'en'));
    await page.reload();
    await meanRow.locator('.live-chip').waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => document.querySelector('tr[data-kpi="Rata-rata tinggi muka air"] [data-testid=kpi-metric-params]')?.textContent.includes('Water level'));
    assert.equal((await meanRow.locator('[data-testid=kpi-metric-params]').textContent())!.trim(), 'Water level (m) · last 7 days');
    await page.check('input[name=kpiSource][value=live]');
    await page.selectOption('select[name=kpiMetric]', 'alarms_count');
    assert.deepEqual(await page.locator('select[name=param-severity] option').allTextContents(), ['— all —', 'Watch', 'Alert', 'Warning', 'Info', 'Minor', 'Major', 'Critical']);
    await page.evaluate(() => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('cerdas.lang', 'id'));
    await page.reload();

    // the rest of the mapping, a few quick wins and two years of monev, through the API, so the dashboard has something to show
    for (const p of await programs()) {
      if (p.dimensionKey || !p.suggestion) continue;
      const res = await s.api('PATCH', `/api/v1/masterplan/programs/${p.id}`, { token, body: { dimensionKey: p.suggestion.dimensionKey, elementKey: p.suggestion.elementKey, horizon: 'short', roadmapYear: 2025 } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    for (const [year, score] of [[2024, 2.5], [2025, 3.4]] as const) {
      const res = await s.api('PUT', `/api/v1/masterplan/evaluation/${year}`, {
        token,
        body: { weights: { baseline: 10, output: 20, outcome: 30, impact: 30, quickWin: 10 }, items: ['baseline', 'output', 'outcome', 'impact', 'quickWin'].map((d) => ({ dimension: d, name: `Butir ${d}`, score: d === 'baseline' ? null : score })) },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }

    // the dashboard counts it
    await page.goto(`${s.url}/#/masterplan`);
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=dash-ontrack]')?.textContent) === n, onTrackBefore + 1, { timeout: 10_000 });
    await page.waitForFunction(() => ((globalThis as unknown as { cerdasCharts?: number }).cerdasCharts ?? 0) > 0, null, { timeout: 10_000 });
    await page.locator('[data-testid=chart-eval-index] canvas').waitFor();
    assert.ok(Number((await page.textContent('[data-testid=dash-programs]'))!.replace(/\D/g, '')) > 1, 'the budget lines are counted');
    // the dashboard lists initiatives per dimension: none grouped yet, and it says where to group them
    await page.locator('[data-testid=dash-no-initiatives]').waitFor();
    assert.deepEqual(await page.locator('[data-testid=dash-dim-initiatives]').allTextContents(), ['0', '0', '0', '0', '0', '0']);
    await page.waitForTimeout(300);
    await screenshot(page, 'masterplan-dashboard.png');
    await page.close();
  });

  it('shows the rows with problems by number and reason, and refuses a file that is not a spreadsheet', async () => {
    const dir = tempDir('cerdas-mp-e2e-');
    const csv = path.join(dir, 'renja-dinkes.csv');
    fs.writeFileSync(
      csv,
      [
        'No;Kode;Program/Kegiatan/Sub Kegiatan;Indikator;Target;Satuan;Pagu (Rp);Lokasi;Perangkat Daerah;Tahun',
        '1;1.02.02.2.02.0099;Pelayanan Posyandu Keliling;Jumlah posyandu aktif;120;posyandu;Rp 1.250.000.000,00;Tugumulyo;Dinas Kesehatan;2026',
        '2;1.2.X;Kode yang salah;;;;Rp 10.000,00;;Dinas Kesehatan;2026',
        '3;1.02.02.2.02.0099;Pelayanan Posyandu Keliling;Jumlah posyandu aktif;120;posyandu;Rp 1.250.000.000,00;Tugumulyo;Dinas Kesehatan;2026',
      ].join('\n'),
    );
    const junk = path.join(dir, 'foto.xlsx');
    fs.writeFileSync(junk, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]));
    const before = (await programs()).length;

    const page = await resume(token, '#/masterplan/programs');
    await page.setInputFiles('.mp-import input[type=file]', csv);
    await page.selectOption('.mp-import select[name=document]', 'RENJA');
    await page.click('[data-testid=import-preview]');
    await page.locator('[data-testid=preview-error-table]').waitFor({ timeout: 10_000 });
    assert.equal(await page.textContent('[data-testid=preview-valid]'), '1');
    const errors = await page.locator('[data-testid=preview-error-table] tbody tr').allTextContents();
    assert.equal(errors.length, 2, errors.join(' | '));
    assert.match(errors[0]!, /^\s*3\s*\D.*nomenclature/, 'the bad code, by its spreadsheet row (the header is row 1)');
    assert.match(errors[1]!, /^\s*4\s*duplicate/i, 'the duplicate, by its spreadsheet row');
    assert.match((await page.textContent('[data-testid=preview-sample]'))!, /Rp\s?1\.250\.000\.000/, 'the Indonesian amount is read right');
    await page.getByRole('button', { name: 'Batal' }).click();
    assert.equal((await programs()).length, before, 'nothing saved without a confirmation');

    await page.setInputFiles('.mp-import input[type=file]', junk);
    await page.click('[data-testid=import-preview]');
    await page.locator('.mp-import [role=alert]', { hasText: 'kirim lembar kerja CSV atau XLSX' }).waitFor({ timeout: 10_000 });
    await page.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the readiness checklist, radar and the 2021/2022 comparison', async () => {
    const page = await resume(token, '#/masterplan/readiness', { viewport: { width: 1920, height: 1080 } });
    await page.locator('[data-testid=mp-readiness]').waitFor();
    await page.locator('[data-testid=chart-radar] canvas').waitFor();
    await page.getByRole('heading', { name: 'Perbandingan antar tahun' }).waitFor();
    await page.getByRole('heading', { name: 'Visi, misi dan arah kebijakan' }).waitFor();
    // the ministry the documents name, by name: by the date unless the plan says otherwise
    const owner = page.locator('select[name=programmeOwner]');
    assert.match((await owner.locator('option').first().textContent()) ?? '', /Menurut tanggal dokumen: Kementerian Komunikasi dan Digital \(Komdigi\)/);
    assert.deepEqual(await owner.locator('option').allTextContents(), ['Menurut tanggal dokumen: Kementerian Komunikasi dan Digital (Komdigi)', 'Kementerian Komunikasi dan Digital (Komdigi)', 'Kementerian Komunikasi dan Informatika (Kominfo)']);
    const scores = page.locator('.mp-element select[aria-label^="Skor"]');
    if ((await scores.count()) > 0) {
      await scores.first().selectOption('3');
      await page.click('[data-testid=save-readiness]');
      await page.getByText('Tersimpan').first().waitFor();
      const saved = (await s.api('GET', '/api/v1/masterplan/readiness?year=2022', { token })).body as { items: { score: number | null }[] };
      assert.equal(saved.items[0]!.score, 3, 'the score chosen in the checklist is stored');
    }
    await screenshot(page, 'masterplan-readiness.png', { fullPage: false });
    await page.close();
  });

  it('validates the monev weights before saving them', async () => {
    const page = await resume(token, '#/masterplan/evaluation');
    await page.locator('[data-testid=mp-evaluation]').waitFor();
    await page.fill('.mp-evaluation input[type=number]', '2026');
    await page.press('.mp-evaluation input[type=number]', 'Enter');
    for (const [k, v] of [['baseline', '10'], ['output', '20'], ['outcome', '30'], ['impact', '20'], ['quickWin', '10']]) await page.fill(`input[name=w-${k}]`, v!);
    await page.getByText('Jumlah bobot: 90 — Jumlah bobot harus 100.').waitFor();
    assert.ok(await page.getByRole('button', { name: 'Simpan', exact: true }).isDisabled(), 'weights that do not sum to 100 cannot be saved');
    await page.fill('input[name=w-impact]', '30');
    await page.getByText('Jumlah bobot: 100').waitFor();
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    await page.getByText('Tersimpan').first().waitFor();
    const stored = (await s.api('GET', '/api/v1/masterplan/evaluation/2026', { token })).body as { weights: Record<string, number> };
    assert.deepEqual(stored.weights, { baseline: 10, output: 20, outcome: 30, impact: 30, quickWin: 10 });
    await page.close();
  });

  it("lets an operator edit only the programs of their own OPD", async () => {
    const list = await programs();
    const byOpd = new Map<string, typeof list>();
    // an OPD that is not a reviewer (BAPPEDA and DISKOMINFO review everything)
    for (const p of list) if (p.opdId && !['BAPPEDA', 'DISKOMINFO'].includes(p.opdCode ?? '')) byOpd.set(p.opdId, [...(byOpd.get(p.opdId) ?? []), p]);
    const [mineId, others] = [...byOpd.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
    const other = list.find((p) => p.opdId && p.opdId !== mineId)!;
    assert.ok(other, 'the sample has programs of more than one OPD');
    const created = await s.api('POST', '/api/v1/users', { token, body: { email: OPERATOR.email, name: 'Operator OPD', password: OPERATOR.password, role: 'operator', opdId: mineId } });
    assert.equal(created.status, 201, JSON.stringify(created.body));

    const opToken = await s.login(OPERATOR.email, OPERATOR.password);
    const page = await resume(opToken, '#/masterplan/programs');
    const own = page.locator(`tr[data-program="${others[0]!.code}"]`).first();
    await own.waitFor({ timeout: 10_000 });
    assert.equal(await own.getAttribute('data-editable'), 'yes');
    assert.equal(await own.locator('select[name=dimensionKey]').count(), 1, 'own program: the dimension can be changed');
    const theirs = page.locator(`tr[data-program="${other.code}"]`).first();
    assert.equal(await theirs.getAttribute('data-editable'), 'no', `operator of ${others[0]!.opdCode}, program ${other.code} of ${other.opdCode}`);
    assert.equal(await theirs.locator('select[name=dimensionKey]').count(), 0, "another OPD's program shows no edit control");
    assert.equal(await theirs.locator('select, input').count(), 0, "nor any other field (horizon, roadmap year)");

    // and the server refuses it all the same
    const res = await s.api('PATCH', `/api/v1/masterplan/programs/${other.id}`, { token: opToken, body: { horizon: 'short' } });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'FORBIDDEN');
    await page.close();
  });

  it('runs the review flow with comments, records an FGD session and downloads the DOCX', async () => {
    const opToken = await s.login(OPERATOR.email, OPERATOR.password);
    const me = (await s.api('GET', '/api/v1/auth/me', { token: opToken })).body as { opdId: string };
    const own = (await programs()).find((p) => p.opdId === me.opdId)!;

    // the operator submits their own program with a comment
    const op = await resume(opToken, '#/masterplan/programs');
    const row = op.locator(`tr[data-program="${own.code}"]`).first();
    await row.getByRole('button', { name: own.code }).click();
    await op.getByLabel('Tulis komentar').fill('Mohon ditelaah, target sudah disesuaikan.');
    await op.getByRole('button', { name: 'Kirim' }).click();
    await op.getByText('Mohon ditelaah, target sudah disesuaikan.').waitFor();
    assert.equal(await op.locator('[data-testid=review-approve]').count(), 0, 'an OPD operator cannot approve');
    await op.click('[data-testid=review-submit]');
    await row.getByText('Diajukan').waitFor({ timeout: 10_000 });
    await op.close();

    // the admin (Diskominfo) reads the comment and approves
    const page = await resume(token, '#/masterplan/programs');
    const adminRow = page.locator(`tr[data-program="${own.code}"]`).first();
    await adminRow.getByRole('button', { name: own.code }).click();
    await page.getByText('Mohon ditelaah, target sudah disesuaikan.').waitFor();
    await page.click('[data-testid=review-approve]');
    await adminRow.getByText('Disetujui').waitFor({ timeout: 10_000 });
    const stored = (await s.api('GET', `/api/v1/masterplan/programs/${own.id}`, { token })).body as { reviewStatus: string };
    assert.equal(stored.reviewStatus, 'approved');

    // an FGD session, then the activity log
    await page.goto(`${s.url}/#/masterplan/collaboration`);
    await page.locator('[data-testid=mp-collab]').waitFor();
    await page.fill('input[name=sessionTitle]', 'FGD Putaran 2: analisis kesenjangan');
    await page.selectOption('select[name=sessionRound]', '2');
    await page.fill('textarea[name=sessionParticipants]', 'Andi — DINKES\nSiti — BAPPEDA');
    await page.fill('textarea[name=sessionDecisions]', 'Quick win: aplikasi layanan kesehatan');
    await page.getByRole('button', { name: 'Catat sesi' }).click();
    await page.getByText('FGD Putaran 2: analisis kesenjangan').waitFor();
    const sessions = (await s.api('GET', '/api/v1/masterplan/sessions', { token })).body as { title: string; round: number; participants: unknown[]; decisions: string[] }[];
    const fgd = sessions.find((x) => x.title === 'FGD Putaran 2: analisis kesenjangan');
    assert.ok(fgd, 'the session is stored');
    assert.equal(fgd.round, 2);
    assert.equal(fgd.participants.length, 2);
    assert.deepEqual(fgd.decisions, ['Quick win: aplikasi layanan kesehatan']);
    await page.locator('.mp-activity tbody tr').first().waitFor();

    // the three books, each as DOCX and PDF, on a 1920 px screen
    for (const [book, file] of [['analisis', 'buku-1-analisis-strategis'], ['rencana', 'buku-2-rencana-induk'], ['ringkasan', 'buku-3-ringkasan-eksekutif']] as const) {
      for (const [format, magic] of [['docx', 'PK'], ['pdf', '%PDF']] as const) {
        const button = page.locator(`[data-testid=export-${book}-${format}]`);
        assert.equal(await button.textContent(), format.toUpperCase());
        const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
        assert.match(download.suggestedFilename(), new RegExp(`^${file}-musi-rawas-\\d{4}\\.${format}$`), 'the name the server gives');
        assert.equal(fs.readFileSync((await download.path())!).subarray(0, magic.length).toString('latin1'), magic, `${file}.${format} arrives`);
      }
    }
    assert.equal(await page.getByRole('button', { name: 'Unduh Buku III Ringkasan Eksekutif (PDF)' }).count(), 1, 'each button says which book it downloads');
    await page.close();
  });

  it('switches to English and works on a phone', async () => {
    const page = await resume(token, '#/masterplan', { viewport: { width: 390, height: 844 }, isMobile: true });
    await page.locator('[data-testid=mp-dashboard]').waitFor();
    await page.getByRole('heading', { name: 'Rencana Induk' }).waitFor();
    await page.selectOption('select[aria-label=Bahasa]', 'en');
    await page.getByRole('heading', { name: 'Master plan' }).waitFor();
    await page.getByRole('link', { name: 'Leadership dashboard' }).waitFor();
    await page.getByText("Initiatives' budget per dimension").waitFor();
    // the books on a phone: labelled in English, every button on screen, and a download works
    for (const label of ['Book I Strategic Analysis', 'Book II Master Plan', 'Book III Executive Summary']) await page.getByText(label, { exact: true }).waitFor();
    for (const b of await page.locator('.mp-export button').all()) {
      const box = (await b.boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= 390, `${await b.getAttribute('aria-label')} is within the screen`);
    }
    const [book] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download Book III Executive Summary (PDF)' }).click()]);
    assert.match(book.suggestedFilename(), /^buku-3-ringkasan-eksekutif-musi-rawas-\d{4}\.pdf$/);
    await page.goto(`${s.url}/#/masterplan/programs`);
    await page.getByRole('heading', { name: 'Import a planning document' }).waitFor();
    for (const tab of ['', '/readiness', '/programs', '/kpis', '/collaboration', '/evaluation']) {
      await page.goto(`${s.url}/#/masterplan${tab}`);
      await page.locator('.mp .tabs a.active').waitFor();
      await page.waitForTimeout(400);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 400, `no sideways scrolling on a phone: #/masterplan${tab} is ${width}px wide`);
    }
    await page.goto(`${s.url}/#/masterplan/programs`);
    await page.selectOption('select[aria-label=Language]', 'id');
    await page.getByRole('heading', { name: 'Impor dokumen perencanaan' }).waitFor();
    await page.close();
  });
});
