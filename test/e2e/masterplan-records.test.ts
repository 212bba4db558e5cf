import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { TestServer } from '../helpers.ts';
import { multipart, TINY_PDF } from '../masterplan-docs-helpers.ts';
import { demoWithViewer } from './demo-server.ts';
import { launch, NO_CHROMIUM, openSignedIn } from './browser.ts';

// Functions passed to page.evaluate run in the page: this name exists there.
declare const document: any;

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);

describe('master plan records in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let admin: string;
  let viewer: string;
  before(async () => {
    // the demo: its records seeded (the Musi Rawas profile, issues, ICT, strategies, development plans, appendices)
    ({ s, admin, viewer } = await demoWithViewer());
    // the Bupati's commitment sheet of the demo, scanned: an appendix can link to it
    const sheet = (await s.api('GET', '/api/v1/masterplan/commitments', { token: admin })).body.find((c: any) => c.position === 'Bupati Musi Rawas');
    const up = multipart('file', 'komitmen-bupati.pdf', TINY_PDF, 'application/pdf');
    assert.equal((await s.api('POST', `/api/v1/masterplan/commitments/${sheet.id}/file`, { token: admin, raw: up.raw, headers: up.headers })).status, 200);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  /** The records screen, signed in with a session of `s.login()` (logins are rate limited; the login form is tested elsewhere). */
  const open = async (token: string, lang: 'id' | 'en', options: BrowserContextOptions): Promise<Page> => {
    const page = await openSignedIn(browser, s.url, token, { ...options, lang, hash: '#/masterplan/records' });
    await page.locator('[data-testid=mp-records]').waitFor({ timeout: 20_000 });
    return page;
  };

  it('shows the demo records in Indonesian and lets a reviewer edit them; a development plan outside the period is refused with its reason (1920 px)', async () => {
    const page = await open(admin, 'id', { viewport: { width: 1920, height: 1080 } });
    assert.equal(await page.locator('.mp .tabs a.active').textContent(), 'Profil & strategi');
    assert.equal(await page.getByTestId('mp-records').getAttribute('data-editable'), 'yes');
    // the reference figures of Musi Rawas, in Indonesian number format with year and source
    const population = page.locator('[data-testid=records-profile] tr[data-indicator=population]');
    assert.match((await population.textContent())!, /Jumlah penduduk.*395\.570 jiwa.*2020.*BPS/);
    assert.match((await page.locator('[data-testid=records-profile] tr[data-indicator=area_km2]').textContent())!, /6\.357 km²/);
    assert.match((await page.locator('[data-testid=records-profile] tr[data-indicator=pdrb]').textContent())!, /Rp\s21\.400\.000\.000\.000.*Contoh demo/);
    // the live count of the platform's own devices and assets
    assert.ok(Number((await page.getByTestId('platform-devices').textContent())!.replace(/\./g, '')) > 0, 'the demo devices are counted');
    assert.match((await page.getByTestId('records-ict').textContent())!, /Command center.*Ruang kendali Musi Rawas.*DISKOMINFO.*Direncanakan/);

    // a profile value changed by the form, in Indonesian format
    await page.getByTestId('profile-edit-ipm').click();
    const pf = page.getByTestId('profile-form');
    await pf.locator('input[name=value]').fill('69,45');
    await pf.locator('input[name=year]').fill('2024');
    await pf.locator('input[name=source]').fill('BPS Kabupaten Musi Rawas');
    await pf.getByTestId('profile-form-save').click();
    await page.locator('tr[data-indicator=ipm]', { hasText: '69,45' }).waitFor();
    assert.match((await page.locator('tr[data-indicator=ipm]').textContent())!, /69,45 indeks.*2024.*BPS Kabupaten Musi Rawas/);

    // a development plan: 2040 is outside 2022–2032, refused with the reason in Indonesian
    const dev = page.getByTestId('records-development');
    await dev.getByTestId('records-development-add').click();
    const form = dev.getByTestId('records-development-form');
    await form.locator('select[name=area]').selectOption('people');
    await form.locator('input[name=what]').fill('Sertifikasi keamanan informasi bagi 10 ASN');
    await form.locator('input[name=year]').fill('2040');
    await form.getByTestId('records-development-form-save').click();
    await form.locator('.error', { hasText: 'Tahun 2040 di luar periode rencana induk (2022–2032)' }).waitFor();
    await form.locator('input[name=year]').fill('2027');
    await form.getByTestId('records-development-form-save').click();
    await dev.locator('tr', { hasText: 'Sertifikasi keamanan informasi bagi 10 ASN' }).waitFor();
    assert.match((await dev.locator('tr', { hasText: 'Sertifikasi keamanan' }).textContent())!, /Sumber daya manusia.*2027.*Direncanakan/);

    // a strategy from the SWOT
    const st = page.getByTestId('records-strategies');
    await st.getByTestId('records-strategies-add').click();
    const sf = st.getByTestId('records-strategies-form');
    await sf.locator('select[name=quadrant]').selectOption('ST');
    await sf.locator('textarea[name=text]').fill('Jaringan cadangan untuk ruang server saat banjir');
    await sf.getByTestId('records-strategies-form-save').click();
    await st.locator('tr', { hasText: 'Jaringan cadangan untuk ruang server' }).waitFor();

    // the adoption status: a Perbup
    await page.getByTestId('adoption-edit').click();
    const af = page.getByTestId('adoption-form');
    await af.locator('select[name=status]').selectOption('perbup');
    await af.locator('input[name=perbupNumber]').fill('12 Tahun 2026');
    await af.locator('input[name=perbupDate]').fill('2026-03-14');
    await af.getByTestId('adoption-form-save').click();
    await page.getByTestId('adoption-status').filter({ hasText: 'Ditetapkan dengan Peraturan Bupati' }).waitFor();

    // an appendix: the scanned commitment sheet, opened from the list
    const ap = page.getByTestId('records-appendices');
    await ap.getByTestId('records-appendices-add').click();
    const apf = ap.getByTestId('records-appendices-form');
    await apf.locator('select[name=kind]').selectOption('commitment_sheet');
    await apf.locator('input[name=title]').fill('Lembar komitmen Bupati (pindaian)');
    await apf.locator('select[name=commitmentId]').selectOption({ label: 'Bupati Musi Rawas (contoh demo) — Bupati Musi Rawas' });
    await apf.getByTestId('records-appendices-form-save').click();
    const row = ap.locator('tr', { hasText: 'Lembar komitmen Bupati (pindaian)' });
    await row.waitFor();
    const [file] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Buka berkas' }).click()]);
    assert.match(file.suggestedFilename(), /\.pdf$/);
    await page.close();
  });

  it('shows a viewer the records in English without edit buttons, on a phone (390 px)', async () => {
    const page = await open(viewer, 'en', { viewport: { width: 390, height: 844 }, isMobile: true });
    assert.equal(await page.getByTestId('mp-records').getAttribute('data-editable'), 'no');
    await page.getByRole('heading', { name: 'Regional profile' }).waitFor();
    assert.match((await page.locator('tr[data-indicator=population]').textContent())!, /Population.*395,570 people.*2020/);
    assert.match((await page.getByTestId('records-development').textContent())!, /Regulation \(Perbup\).*Perbup Masterplan Smart City.*2026.*In progress/);
    assert.match((await page.getByTestId('records-strategies').textContent())!, /S-O strategy/);
    assert.equal(await page.getByRole('button', { name: 'Edit' }).count(), 0, 'no edit buttons');
    assert.equal(await page.getByRole('button', { name: 'Add' }).count(), 0, 'no add buttons');
    assert.equal(await page.getByRole('button', { name: 'Remove' }).count(), 0, 'no delete buttons');
    await page.waitForTimeout(300);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 400, `no sideways scrolling on a phone: ${width}px wide`);
    await page.close();
  });
});
