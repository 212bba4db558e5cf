/**
 * The admin's Open311 screens in Chromium: an API key issued in the UI and shown once works for
 * an app's report and stops working once revoked there; a category's OPD routing changed in the
 * UI routes the next report; SP4N-LAPOR! files go in and out; operators do not get these tabs;
 * a phone can use both screens.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { ADMIN, dialects, startServer, type TestServer } from '../helpers.ts';
import { launch, NO_CHROMIUM, signIn, screenshot } from './browser.ts';

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);
const INSIDE = { lat: -3.217, lon: 103.033 }; // Muara Beliti, Musi Rawas
const OPERATOR = { email: 'operator.dlh@musirawas.go.id', password: 'Operator-DLH-2026', name: 'Andi Operator DLH' };
const APP_NAME = 'Aplikasi Musi Rawas Bersih';

describe('Open311 keys and report categories in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let admin = '';
  let key = '';
  before(async () => {
    const [sqlite] = await dialects();
    s = await startServer(sqlite!, { reportRateLimit: 1000 }, { ruleTickMs: null });
    admin = await s.login();
    const opds = [
      { code: 'PUPR', name: 'Dinas Pekerjaan Umum dan Penataan Ruang' },
      { code: 'DLH', name: 'Dinas Lingkungan Hidup' },
    ];
    const ids: Record<string, string> = {};
    for (const o of opds) {
      const res = await s.api('POST', '/api/v1/opds', { token: admin, body: o });
      assert.equal(res.status, 201);
      ids[o.code] = res.body.id;
    }
    const user = await s.api('POST', '/api/v1/users', { token: admin, body: { ...OPERATOR, role: 'operator', opdId: ids.DLH } });
    assert.equal(user.status, 201, JSON.stringify(user.body));
    // The public page's own key exists once the page has asked for its config.
    const config = await s.api('GET', '/api/v1/public/config');
    assert.equal(config.status, 200);
    const [[south, west], [north, east]] = config.body.bounds as [[number, number], [number, number]];
    assert.ok(INSIDE.lat > south && INSIDE.lat < north && INSIDE.lon > west && INSIDE.lon < east, 'the report spot is inside the region');
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  /** An app files a report as Open311 says: form-encoded, with its key. */
  const file = (apiKey: string, serviceCode: string, description: string) =>
    fetch(`${s.url}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: apiKey, service_code: serviceCode, lat: String(INSIDE.lat), long: String(INSIDE.lon), description }),
    });
  const incidentOf = async (ticket: string) => {
    const res = await s.api('GET', `/api/v1/incidents?q=${encodeURIComponent(ticket)}`, { token: admin });
    assert.equal(res.status, 200);
    return (res.body.items as { ticket: string; opdCode: string | null; categoryCode: string }[]).find((i) => i.ticket === ticket)!;
  };

  it('issues a key shown once, and the key files a report through Open311', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    await signIn(page, s.url, ADMIN.email, ADMIN.password);
    await page.goto(`${s.url}/#/admin/open311`);
    await page.locator('[data-testid=discovery-url]', { hasText: `${s.url}/open311/v2/discovery.json` }).waitFor();
    const discovery = await fetch(`${s.url}/open311/v2/discovery.json`);
    assert.equal(discovery.status, 200, 'the endpoint shown answers');
    // The public page's key is marked as such.
    const publicRow = page.locator('tr[data-kind=public]');
    await publicRow.getByText('jangan dicabut').waitFor();

    await page.fill('input[name=name]', APP_NAME);
    await page.getByRole('button', { name: 'Buat kunci' }).click();
    const box = page.getByRole('dialog', { name: 'Kunci API baru' });
    await box.getByText('Simpan sekarang, tidak akan ditampilkan lagi.').waitFor();
    key = (await box.locator('[data-testid=api-key]').textContent())!.trim();
    assert.match(key, /^o311_\S{20,}$/);
    // "Tersalin ✓" shows for 2 s only: polling for it after the click missed it on a busy machine (the
    // full run's timeout), so the page itself watches the button from before the click.
    const copyButton = box.getByRole('button', { name: 'Salin', exact: true });
    type Watched = { textContent: string | null };
    type Observer = new (callback: () => void) => { observe(node: unknown, options: object): void; disconnect(): void };
    const sawCopied = copyButton.evaluate(
      (button: Watched) =>
        new Promise<boolean>((resolve) => {
          const MutationObserver = (globalThis as unknown as { MutationObserver: Observer }).MutationObserver;
          const observer = new MutationObserver(() => {
            if (button.textContent?.includes('Tersalin')) {
              observer.disconnect();
              resolve(true);
            }
          });
          observer.observe(button, { childList: true, characterData: true, subtree: true });
          setTimeout(() => resolve(false), 15_000);
        }),
    );
    await copyButton.click();
    assert.equal(await sawCopied, true, 'the button said Tersalin');
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), key, 'the copy button copies the key');
    const row = page.locator('tr', { hasText: APP_NAME });
    await row.getByText(`${key.slice(0, 9)}…`).waitFor();
    await screenshot(page, 'admin-open311.png');

    const res = await file(key, 'waste', 'Sampah menumpuk di tepi jalan dekat pasar Muara Beliti, sudah seminggu tidak diangkut.');
    assert.ok(res.status === 200 || res.status === 201, `filed: ${res.status} ${await res.clone().text()}`);
    const [filed] = (await res.json()) as { service_request_id: string }[];
    assert.equal((await incidentOf(filed!.service_request_id)).opdCode, 'DLH', 'routed by the category');
    // Once closed, the box is gone and the key is nowhere on the page.
    await box.getByRole('button', { name: 'Sudah saya simpan' }).click();
    await box.waitFor({ state: 'detached' });
    assert.ok(!(await page.content()).includes(key));
    await page.reload();
    await row.waitFor();
    assert.ok(!(await page.content()).includes(key), 'the key is not shown again');
    await context.close();
  });

  it('revokes the key after a confirmation, and Open311 then refuses it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, s.url, ADMIN.email, ADMIN.password);
    await page.goto(`${s.url}/#/admin/open311`);
    // The public page's key asks a sterner question; cancelled, nothing changes.
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await page.locator('tr[data-kind=public]').getByRole('button', { name: 'Cabut' }).click();
    assert.match(asked, /HALAMAN PUBLIK/);
    await page.locator('tr[data-kind=public]').getByRole('button', { name: 'Cabut' }).waitFor();

    const row = page.locator('tr', { hasText: APP_NAME });
    page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await row.getByRole('button', { name: 'Cabut' }).click();
    assert.match(asked, new RegExp(APP_NAME));
    await page.getByRole('status').getByText('Kunci dicabut.').waitFor();
    await row.getByText('Dicabut').waitFor();
    assert.equal(await row.getByRole('button', { name: 'Cabut' }).count(), 0);

    const res = await file(key, 'waste', 'Sampah menumpuk lagi di tepi jalan dekat pasar Muara Beliti.');
    assert.equal(res.status, 403);
    const body = (await res.json()) as { code: number; description: string }[];
    assert.ok(Array.isArray(body) && body[0]!.code === 403 && /revoked|not valid/.test(body[0]!.description), JSON.stringify(body));
    // The public page's key still works.
    const config = await s.api('GET', '/api/v1/public/config');
    assert.ok([200, 201].includes((await file(config.body.publicApiKey, 'waste', 'Laporan warga dari halaman publik tentang sampah.')).status));
    await page.close();
  });

  it('routes a category to another OPD, and the next report lands there', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, s.url, ADMIN.email, ADMIN.password);
    await page.goto(`${s.url}/#/admin/categories`);
    // DISHUB is not an OPD of this region yet: its category is flagged.
    await page.locator('tr[data-category=street_lights] [data-testid=missing-opd]', { hasText: 'DISHUB' }).waitFor();
    await page.locator('[data-testid=unrouted-summary]').waitFor();

    await page.locator('tr[data-category=waste]').getByRole('button', { name: 'Ubah' }).click();
    const form = page.locator('[data-testid=category-form]');
    await form.getByText('Ubah kategori: waste').waitFor();
    assert.equal(await form.locator('select[name=opdCode]').inputValue(), 'DLH');
    await form.locator('select[name=opdCode]').selectOption('PUPR');
    await form.getByRole('button', { name: 'Simpan' }).click();
    await page.getByRole('status').getByText('Kategori "Sampah" tersimpan.').waitFor();
    await page.locator('tr[data-category=waste] [data-testid=routed]', { hasText: 'PUPR' }).waitFor();

    // SLA days: empty shows the SP4N-LAPOR! default; a value is the category's own; emptied again, the default.
    await page.locator('tr[data-category=waste] [data-testid=sla]', { hasText: '3 / 5 / 10' }).waitFor();
    await page.locator('tr[data-category=waste]').getByRole('button', { name: 'Ubah' }).click();
    assert.equal(await form.locator('input[name=slaRouteDays]').getAttribute('placeholder'), '3 (bawaan)');
    await form.locator('input[name=slaRouteDays]').fill('1');
    await form.locator('input[name=slaCloseDays]').fill('7');
    await form.getByRole('button', { name: 'Simpan' }).click();
    await page.locator('tr[data-category=waste] [data-testid=sla]', { hasText: '1 / 5 / 7' }).waitFor();
    const waste = async () => ((await s.api('GET', '/api/v1/incident-categories', { token: admin })).body as Record<string, unknown>[]).find((c) => c.code === 'waste')!;
    assert.deepEqual([(await waste()).slaRouteDays, (await waste()).slaFollowUpDays, (await waste()).slaCloseDays], [1, null, 7]);
    assert.equal((await waste()).opdCode, 'PUPR', 'saving the SLA left the routing alone');
    await page.locator('tr[data-category=waste]').getByRole('button', { name: 'Ubah' }).click();
    await form.locator('input[name=slaCloseDays]').fill('');
    await form.getByRole('button', { name: 'Simpan' }).click();
    await page.locator('tr[data-category=waste] [data-testid=sla]', { hasText: '1 / 5 / 10' }).waitFor();
    assert.equal((await waste()).slaCloseDays, null);

    const config = await s.api('GET', '/api/v1/public/config');
    const res = await file(config.body.publicApiKey, 'waste', 'Tumpukan sampah menutup saluran air di Jalan Lintas Sumatera.');
    assert.equal(res.status, 201);
    const [filed] = (await res.json()) as { service_request_id: string }[];
    assert.equal((await incidentOf(filed!.service_request_id)).opdCode, 'PUPR', 'the next report follows the new routing');

    // A new category, then deleted: unused, it goes; a used one (waste) is only deactivated.
    await page.getByRole('button', { name: 'Tambah kategori' }).click();
    await form.locator('input[name=code]').fill('drainage');
    await form.locator('input[name=nameId]').fill('Saluran air tersumbat');
    await form.locator('input[name=nameEn]').fill('Blocked drain');
    await form.locator('input[name=group]').fill('infrastruktur');
    await form.locator('select[name=opdCode]').selectOption('PUPR');
    await form.locator('select[name=defaultSeverity]').selectOption('high');
    await form.locator('input[name=slaFollowUpDays]').fill('3');
    await form.getByRole('button', { name: 'Simpan' }).click();
    await page.locator('tr[data-category=drainage]', { hasText: 'Saluran air tersumbat' }).waitFor();
    await page.locator('tr[data-category=drainage] [data-testid=sla]', { hasText: '3 / 3 / 10' }).waitFor();
    const services = (await (await fetch(`${s.url}/open311/v2/services.json`)).json()) as { service_code: string }[];
    assert.ok(services.some((x) => x.service_code === 'drainage'), 'the new category is an Open311 service');

    page.once('dialog', (d) => void d.accept());
    await page.locator('tr[data-category=drainage]').getByRole('button', { name: 'Hapus' }).click();
    await page.getByRole('status').getByText('dihapus').waitFor();
    await page.locator('tr[data-category=drainage]').waitFor({ state: 'detached' });

    page.once('dialog', (d) => void d.accept());
    await page.locator('tr[data-category=waste]').getByRole('button', { name: 'Hapus' }).click();
    await page.getByRole('status').getByText('dinonaktifkan, tidak dihapus').waitFor();
    await page.locator('tr[data-category=waste].off').getByRole('button', { name: 'Aktifkan' }).click();
    await page.locator('tr[data-category=waste]:not(.off)').waitFor();
    await page.close();
  });

  it('imports a SP4N-LAPOR! file (again: nothing doubled, bad lines named) and exports the incidents as a LAPOR! file', async () => {
    const csv = [
      'tracking_id,judul,isi,kategori,lokasi,latitude,longitude,tanggal,status,instansi,tindak_lanjut,nama,email',
      'LAPOR-7001,Sampah pasar,Sampah menumpuk di pasar,Sampah,Pasar Muara Beliti,-3.217,103.033,2026-11-20 08:30:00,Proses,,,Rahmat,rahmat@example.org',
      'LAPOR-7002,Kosong,,Sampah,,,,2026-11-21,Proses,,,,',
    ].join('\n');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await signIn(page, s.url, ADMIN.email, ADMIN.password);
    await page.goto(`${s.url}/#/admin/lapor`);
    const upload = () => page.setInputFiles('input[name=lapor-csv]', { name: 'lapor-november.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await upload();
    const result = page.locator('[data-testid=lapor-result]');
    await result.getByText('1 laporan baru, 0 sudah pernah diimpor, 1 baris bermasalah.').waitFor();
    assert.match((await result.locator('tbody tr').first().textContent())!, /^3/, 'the bad line is named by its number');
    await upload();
    await result.getByText('0 laporan baru, 1 sudah pernah diimpor, 1 baris bermasalah.').waitFor();
    const imported = (await s.api('GET', '/api/v1/incidents?source=lapor', { token: admin })).body.items as any[];
    assert.deepEqual(imported.map((i) => i.laporId), ['LAPOR-7001'], 'filed once');
    assert.equal(imported[0].categoryCode, 'waste');

    await page.setInputFiles('input[name=lapor-csv]', { name: 'foto.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a csv') });
    await page.getByText('Pilih berkas .csv dari LAPOR!.').waitFor();

    await page.selectOption('select[name=which]', 'all');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=lapor-export]')]);
    assert.match(download.suggestedFilename(), /^lapor-.*\.csv$/);
    const exported = (await import('node:fs')).readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const [header, ...lines] = exported.trim().split(/\r?\n/);
    assert.match(header!, /^tracking_id,judul,isi,kategori/);
    assert.ok(lines.some((l) => l.startsWith('LAPOR-7001,')), 'the imported report goes back under its LAPOR! tracking id');
    assert.doesNotMatch(exported, /Rahmat|rahmat@/, 'no personal data in the file');
    await page.close();
  });

  it('an operator gets neither tab, nor the screens by their address', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, s.url, OPERATOR.email, OPERATOR.password);
    // The tabs are drawn before the role is known (admin-only tabs hidden): wait for the answer that tells it, then a frame.
    const me = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/me' && r.request().method() === 'GET');
    await page.goto(`${s.url}/#/admin`);
    assert.equal((await me).status(), 200);
    await page.locator('nav.tabs a', { hasText: 'Perangkat' }).waitFor();
    await page.evaluate(() => new Promise((resolve) => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => resolve(null))));
    assert.equal(await page.locator('nav.tabs a', { hasText: 'Kategori laporan' }).count(), 0);
    assert.equal(await page.locator('nav.tabs a', { hasText: 'Open311' }).count(), 0);
    await page.goto(`${s.url}/#/admin/open311`);
    await page.getByText('Halaman ini hanya untuk admin.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Buat kunci' }).count(), 0);
    await page.goto(`${s.url}/#/admin/categories`);
    await page.getByText('Halaman ini hanya untuk admin.').waitFor();
    await page.close();
  });

  it('both screens fit a phone: nothing wider than the screen but the tables, which scroll', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await signIn(page, s.url, ADMIN.email, ADMIN.password);
    for (const [route, ready] of [
      ['/admin/open311', 'tr[data-kind=public]'],
      ['/admin/categories', 'tr[data-category=roads]'],
    ] as const) {
      await page.goto(`${s.url}/#${route}`);
      await page.locator(ready).waitFor();
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      assert.ok(width <= 390, `${route} is ${width} px wide on a 390 px screen`);
    }
    await page.locator('tr[data-category=roads]').getByRole('button', { name: 'Ubah' }).click();
    await page.locator('[data-testid=category-form] select[name=opdCode]').waitFor();
    assert.ok((await page.evaluate<number>('document.documentElement.scrollWidth')) <= 390, 'the form fits too');
    await page.close();
  });
});
