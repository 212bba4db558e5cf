/**
 * A citizen report from a phone handled by the routed OPD in Chromium: the inbox (live), the
 * incident page (assign, in progress, public update and internal note, resolve, reject needs a
 * reason, duplicates and merge), the ticket page the resident reads, and the SLA overview.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { ADMIN, dialects, startServer, tempDir, type TestServer } from '../helpers.ts';
import { holdAnswers, launch, NO_CHROMIUM, screenshot, signedInContext } from './browser.ts';

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);
const INSIDE = { latitude: -3.217, longitude: 103.033 };
const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const PERSON = { name: 'Budi Santoso Pelapor', phone: '081298765432', email: 'budi.pelapor@example.id' };
const OPERATOR = { email: 'operator.pupr@musirawas.go.id', password: 'Operator-PUPR-2026', name: 'Rina Operator PUPR' };
const PUBLIC_UPDATE = 'Tim Dinas PUPR sudah di lokasi, gorong-gorong diganti minggu ini.';
const INTERNAL_NOTE = 'Catatan internal: anggaran dari pos pemeliharaan rutin.';

/** In the page: the inbox shows this many rows. */
/** Waits until the inbox shows `n` rows (a function, not a string: the app's CSP allows no eval). */
const rowsAre = (page: Page, n: number) =>
  page.waitForFunction((count) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('table.inc-table tbody tr').length === count, n);

async function photoFixture(): Promise<string> {
  const file = path.join(tempDir('cerdas-e2e-photo-'), 'jalan.jpg');
  await sharp({ create: { width: 2400, height: 1800, channels: 3, background: { r: 120, g: 100, b: 80 } } }).jpeg({ quality: 90 }).toFile(file);
  return file;
}

describe('incident handling in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let photo: string;
  let ticket = '';
  /** the duplicate, merged into `ticket` */
  let second = '';
  let operatorPage: Page;
  before(async () => {
    const [sqlite] = await dialects();
    s = await startServer(sqlite!, { reportRateLimit: 1000 }, { ruleTickMs: null });
    const admin = await s.login();
    const opd = await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'PUPR', name: 'Dinas Pekerjaan Umum dan Penataan Ruang' } });
    assert.equal(opd.status, 201);
    const user = await s.api('POST', '/api/v1/users', { token: admin, body: { ...OPERATOR, role: 'operator', opdId: opd.body.id } });
    assert.equal(user.status, 201, JSON.stringify(user.body));
    // Two kecamatan: the reports at INSIDE fall in Muara Beliti.
    const square = (west: number, south: number) => ({ type: 'Polygon', coordinates: [[[west, south], [west + 0.1, south], [west + 0.1, south + 0.1], [west, south + 0.1], [west, south]]] });
    const layer = await s.api('PUT', '/api/v1/region/layers/kecamatan', {
      token: admin,
      body: {
        name: { id: 'Batas kecamatan', en: 'Kecamatan boundaries' },
        approximate: true,
        geojson: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '16.05.09' }, geometry: square(103.0, -3.25) }, { type: 'Feature', properties: { code: '16.05.01' }, geometry: square(102.9, -3.25) }] },
      },
    });
    assert.equal(layer.status, 204, JSON.stringify(layer.body));
    photo = await photoFixture();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  const fileOnPhone = async (description: string): Promise<string> => {
    const context = await browser.newContext({ ...PHONE, geolocation: INSIDE, permissions: ['geolocation'] });
    const page = await context.newPage();
    await page.goto(`${s.url}/lapor`);
    await page.click('button.cat[data-code=roads]');
    await page.setInputFiles('input[name=photo]', photo);
    await page.getByText('Foto siap dikirim').first().waitFor();
    await page.click('[data-testid=locate]');
    await page.locator('[data-testid=where]').waitFor();
    await page.fill('textarea[name=description]', description);
    await page.selectOption('select[name=attribute-passable]', { index: 1 });
    await page.fill('input[name=name]', PERSON.name);
    await page.fill('input[name=phone]', PERSON.phone);
    await page.fill('input[name=email]', PERSON.email);
    await page.click('button.send');
    const t = (await page.locator('[data-testid=ticket]').textContent({ timeout: 30_000 }))!.trim();
    await context.close();
    return t;
  };

  const signIn = async (page: Page, email: string, password: string) => {
    await page.goto(s.url);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
    await page.locator('.topbar').waitFor();
  };

  it('a resident files a report with a photo from a phone and gets a ticket', async () => {
    ticket = await fileOnPhone('Gorong-gorong ambruk di depan SD Negeri 3 Muara Beliti, motor tidak bisa lewat.');
    assert.match(ticket, /^[A-Z]+-\d+$/);
  });

  it("the PUPR operator sees it in the inbox, and a new one arrives live", async () => {
    operatorPage = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await signIn(operatorPage, OPERATOR.email, OPERATOR.password);
    await operatorPage.goto(`${s.url}/#/incidents`);
    const row = operatorPage.locator('tr', { hasText: ticket });
    await row.waitFor();
    await row.locator('[data-sla=green]').waitFor();
    await operatorPage.locator('.live.on').waitFor();
    // A second report at the same spot, filed while the inbox is open, shows up without a reload.
    second = await fileOnPhone('Jalan amblas dekat SD Negeri 3, sama seperti laporan tetangga.');
    await operatorPage.locator('tr', { hasText: second }).waitFor({ timeout: 10_000 });
    // Filters: a search that matches nothing, then back.
    await operatorPage.fill('input[name=q]', 'tidak-ada-yang-cocok');
    await operatorPage.getByText('Tidak ada kejadian yang cocok.').waitFor();
    await operatorPage.fill('input[name=q]', '');
    await row.waitFor();
    // By kecamatan: both reports lie in Muara Beliti, none in Tugumulyo.
    await row.getByText('Muara Beliti', { exact: false }).waitFor();
    await operatorPage.selectOption('select[name=districtCode]', { label: 'Tugumulyo' });
    await operatorPage.getByText('Tidak ada kejadian yang cocok.').waitFor();
    await operatorPage.selectOption('select[name=districtCode]', { label: 'Muara Beliti' });
    await row.waitFor();
    await screenshot(operatorPage, 'inbox.png');
    await operatorPage.selectOption('select[name=districtCode]', '');
    await operatorPage.selectOption('select[aria-label=Bahasa]', 'en');
    await operatorPage.getByRole('heading', { name: 'Incident inbox' }).waitFor();
    await operatorPage.locator('tr', { hasText: ticket }).getByText('Green').waitFor();
    await operatorPage.selectOption('select[aria-label=Language]', 'id');
    await operatorPage.getByRole('heading', { name: 'Kotak masuk kejadian' }).waitFor();

    // The duplicate: reject needs a reason; then merge it into the first.
    await operatorPage.locator('tr', { hasText: second }).getByRole('link', { name: second }).click();
    await operatorPage.locator('[data-testid=incident]').getByText(second).first().waitFor();
    await operatorPage.selectOption('select[name=status]', 'rejected');
    await operatorPage.getByRole('button', { name: 'Ubah status' }).click();
    await operatorPage.getByText('Penolakan membutuhkan alasan.').waitFor();
    await operatorPage.selectOption('select[name=status]', '');
    const dup = operatorPage.locator('ul.dups li', { hasText: ticket });
    await dup.waitFor();
    operatorPage.once('dialog', (d) => void d.accept());
    await dup.getByRole('button', { name: `Gabungkan kejadian ini ke ${ticket}` }).click();
    await operatorPage.locator('.inc-head .ticket-no', { hasText: ticket }).waitFor();
    await operatorPage.locator('[data-testid=timeline]').getByText(`${second} digabung ke kejadian ini`).waitFor();
  });

  it('the operator assigns it, works on it, answers the resident and resolves it', async () => {
    const page = operatorPage;
    await page.goto(`${s.url}/#/incidents`);
    await page.locator('tr', { hasText: ticket }).getByRole('link', { name: ticket }).click();
    const incident = page.locator('[data-testid=incident]');
    await incident.locator('.ticket-no', { hasText: ticket }).waitFor();
    // The reporter is visible to the routed OPD, marked as personal data.
    await page.locator('[data-testid=reporter]').getByText(PERSON.phone).waitFor();
    await incident.locator('.photos img').first().waitFor();
    await incident.getByText('Apakah jalan masih bisa dilalui?').waitFor(); // the category's attribute, in words
    await incident.locator('.spot-map.leaflet-container').waitFor();
    await incident.locator('[data-testid=district]', { hasText: 'Muara Beliti' }).waitFor();
    // Moderation: the resident's text and photo go public once the operator approves them.
    const publication = page.locator('[data-testid=publication]');
    await publication.getByTestId('publication-state').getByText('Menunggu moderasi').waitFor();
    assert.equal(await page.locator('[data-testid=incident-title]').textContent(), 'Gorong-gorong ambruk di depan SD Negeri 3 Muara Beliti, motor tidak bisa lewat', "the reporter's words are its title");
    await publication.getByTestId('approve').click();
    await publication.getByTestId('publication-state').getByText('Dipublikasikan').waitFor();
    await page.locator('[data-testid=timeline]').getByText('dipublikasikan').first().waitFor();

    await page.selectOption('select[name=assign-person]', { label: `${OPERATOR.name} (Saya)` });
    await page.getByRole('button', { name: 'Tugaskan' }).click();
    await incident.locator('[data-testid=status]', { hasText: 'Ditugaskan' }).waitFor();
    await page.locator('.facts').getByText(OPERATOR.name).waitFor();

    await page.selectOption('select[name=status]', 'in_progress');
    await page.getByRole('button', { name: 'Ubah status' }).click();
    await incident.locator('[data-testid=status]', { hasText: 'Dikerjakan' }).waitFor();

    await page.fill('textarea[name=update]', PUBLIC_UPDATE);
    await page.getByRole('button', { name: 'Kirim' }).click();
    await page.locator('[data-testid=timeline]').getByText(PUBLIC_UPDATE).waitFor();
    await page.check('input[value=internal]');
    await page.fill('textarea[name=update]', INTERNAL_NOTE);
    await page.getByRole('button', { name: 'Kirim' }).click();
    await page.locator('[data-testid=timeline]').getByText(INTERNAL_NOTE).waitFor();

    await page.selectOption('select[name=status]', 'resolved');
    await page.getByRole('button', { name: 'Ubah status' }).click();
    await incident.locator('[data-testid=status]', { hasText: 'Selesai' }).waitFor();
    await screenshot(page, 'incident.png', { fullPage: true });
  });

  it('the resident sees the status and the public update on the ticket page, and nothing personal or internal', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    // the merged duplicate was approved too (the first one by the operator, on its page)
    const admin = await s.login();
    const dupId = (await s.api('GET', `/api/v1/incidents?q=${second}`, { token: admin })).body.items[0].id;
    assert.equal((await s.api('POST', `/api/v1/incidents/${dupId}/publication`, { token: admin, body: { publication: 'published' } })).status, 200);
    await page.goto(`${s.url}/lapor#/tiket`);
    await page.fill('input[name=ticket]', ticket.toLowerCase());
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    const detail = page.locator('[data-testid=ticket-detail]');
    await detail.locator('[data-testid=status]', { hasText: 'Selesai ditangani' }).waitFor();
    await detail.locator('[data-testid=updates]').getByText(PUBLIC_UPDATE).waitFor();
    await detail.locator('[data-testid=updates]').getByText(`${second} digabung ke laporan ini`).waitFor();
    await detail.locator('img.ticket-photo').waitFor();
    await screenshot(page, 'ticket.png', { fullPage: true });
    const seen = [await page.content()];
    await page.locator('button.lang', { hasText: 'English' }).click();
    await detail.locator('[data-testid=updates]').getByText(`${second} was merged into this report`).waitFor();
    await detail.locator('[data-testid=updates]').getByText("The agency's answer").waitFor();
    await page.locator('button.lang', { hasText: 'Bahasa Indonesia' }).click();
    await page.goto(`${s.url}/lapor#/peta`);
    await page.locator('.report-list').getByText(ticket).waitFor();
    seen.push(await page.content());
    // The merged report: its own record, closed, and the way to the ticket it now follows.
    await page.goto(`${s.url}/lapor#/tiket/${second}`);
    await detail.locator('[data-testid=status]', { hasText: 'Ditutup' }).waitFor();
    await detail.getByText('Jalan amblas dekat SD Negeri 3').waitFor();
    await detail.locator('[data-testid=updates]').getByText(`Laporan ini duplikat dari ${ticket}, pantau tiket itu`).waitFor();
    assert.equal(await page.locator('[data-testid=reply]').count(), 0, 'a merged report takes no answer');
    await detail.getByTestId('merged').getByRole('link', { name: `Pantau ${ticket}` }).click();
    await detail.locator('h1.ticket', { hasText: ticket }).waitFor();
    await detail.locator('[data-testid=status]', { hasText: 'Selesai ditangani' }).waitFor();
    for (const url of [`/api/v1/public/tickets/${ticket}`, '/open311/v2/requests.json', `/open311/v2/requests/${ticket}.json`, '/open311/v2/requests.xml']) seen.push(await (await fetch(s.url + url)).text());
    const all = seen.join('\n');
    for (const v of [...Object.values(PERSON), INTERNAL_NOTE, OPERATOR.email]) assert.ok(!all.includes(v), `"${v}" appears on a public page or response`);
    await context.close();
  });

  it('leadership sees the SLA overview; the screens fit a phone', async () => {
    const admin = await s.login();
    for (const [categoryCode, description] of [
      ['roads', 'Jembatan gantung di Desa Lubuk Rumbai miring'],
      ['roads', 'Lubang besar di jalan lintas Sumatera km 12'],
      ['street_lights', 'Lampu jalan mati di simpang Muara Beliti'],
      ['waste', 'Sampah menumpuk di pasar'],
    ] as const) {
      const res = await s.api('POST', '/api/v1/incidents', { token: admin, body: { categoryCode, description, lat: -3.2, lon: 103.05 } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    const page = operatorPage;
    await page.goto(`${s.url}/#/sla`);
    await page.locator('[data-testid=sla-open]', { hasText: /^[1-9]/ }).waitFor();
    await page.locator('[data-testid=sla]').getByText('Per OPD').waitFor();
    await page.locator('.sla-table').first().getByText('PUPR', { exact: false }).waitFor();
    await page.locator('[data-testid=sla-district]').getByText('Muara Beliti').waitFor();
    await screenshot(page, 'sla.png', { fullPage: true });
    await page.close();

    // Paging: the admin sees every OPD's incidents, 50 at a time.
    for (let i = 0; i < 50; i++) {
      const res = await s.api('POST', '/api/v1/incidents', { token: admin, body: { categoryCode: 'other', description: `Laporan operator nomor ${i}` } });
      assert.equal(res.status, 201);
    }
    const adminPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(adminPage, ADMIN.email, ADMIN.password);
    await adminPage.goto(`${s.url}/#/incidents`);
    await adminPage.selectOption('select[name=status]', '');
    await adminPage.locator('select[name=opdId]').getByText('PUPR', { exact: false }).waitFor({ state: 'attached' });
    await rowsAre(adminPage, 50);
    await adminPage.getByRole('button', { name: 'Muat lebih banyak' }).click();
    const total = (await s.api('GET', '/api/v1/incidents?limit=1000', { token: admin })).body.items.length as number;
    assert.ok(total > 50);
    await rowsAre(adminPage, total);
    const pupr = (await adminPage.locator('select[name=opdId] option', { hasText: 'PUPR' }).getAttribute('value'))!;
    const ofPupr = (await s.api('GET', `/api/v1/incidents?limit=1000&opdId=${pupr}`, { token: admin })).body.items.length as number;
    assert.ok(ofPupr >= 3 && ofPupr < total);
    await adminPage.selectOption('select[name=opdId]', pupr);
    await rowsAre(adminPage, ofPupr);
    await adminPage.close();

    const phone = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true });
    await signIn(phone, OPERATOR.email, OPERATOR.password);
    await phone.goto(`${s.url}/#/incidents`);
    await phone.locator('.filters').waitFor();
    await phone.getByText('Tidak ada kejadian yang cocok.').or(phone.locator('table.inc-table')).first().waitFor();
    const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.ok(overflow <= 1, `the inbox page does not scroll sideways on a phone (${overflow}px)`);
    await phone.close();
  });

  /** the admin's session for the last tests (logins are rate limited: 10 a minute) */
  let adminToken: string | undefined;

  it('shows the answer to the last search typed, though an earlier search answers after it', async () => {
    const admin = (adminToken ??= await s.login());
    const context = await signedInContext(browser, s.url, admin, { viewport: { width: 1280, height: 900 } });
    // The first search's answer is held until the second search's answer is on screen.
    const held = await holdAnswers(context, /\/api\/v1\/incidents\?.*q=Jembatan/);
    try {
      const page = await context.newPage();
      await page.goto(`${s.url}/#/incidents`);
      const search = page.locator('input[name=q]');
      await search.waitFor();
      const rows = page.locator('table.inc-table tbody tr');
      await search.fill('Jembatan');
      await held.firstRead();
      await search.fill('Lampu jalan');
      await rows.filter({ hasText: 'Lampu jalan mati' }).first().waitFor({ timeout: 10_000 });
      await held.release(page);
      await page.waitForTimeout(500);
      assert.equal(await rows.filter({ hasText: 'Jembatan gantung' }).count(), 0, 'the earlier search did not replace the later one');
      assert.ok((await rows.filter({ hasText: 'Lampu jalan mati' }).count()) >= 1);
    } finally {
      await context.close();
    }
  });

  it('keeps a change the stream told while the inbox was loading, though its answer was read before the change', async () => {
    const admin = (adminToken ??= await s.login());
    const lamp = ((await s.api('GET', `/api/v1/incidents?limit=10&q=${encodeURIComponent('Lampu jalan mati')}`, { token: admin })).body.items as { id: string; ticket: string; severity: string }[])[0]!;
    const raised = lamp.severity === 'critical' ? 'low' : 'critical';
    const context = await signedInContext(browser, s.url, admin, { viewport: { width: 1280, height: 900 } });
    const held = await holdAnswers(context, /\/api\/v1\/incidents\?.*q=Lampu/);
    try {
      const page = await context.newPage();
      await page.goto(`${s.url}/#/incidents`);
      await page.locator('input[name=q]').fill('Lampu jalan mati');
      await held.firstRead();
      const row = page.locator('table.inc-table tbody tr', { hasText: lamp.ticket });
      const changed = await s.api('PATCH', `/api/v1/incidents/${lamp.id}`, { token: admin, body: { severity: raised } });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      await row.locator(`.sev-${raised}`).waitFor({ timeout: 10_000 });
      await held.release(page);
      await page.waitForTimeout(500);
      assert.equal(await row.locator(`.sev-${raised}`).count(), 1, 'the severity the stream told is still shown after the older answer');
    } finally {
      await context.close();
    }
  });
});
