import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { TestServer } from '../helpers.ts';
import { launch, NO_CHROMIUM, openSignedIn, screenshot } from './browser.ts';
import { demoWithViewer } from './demo-server.ts';

// Functions passed to page.evaluate run in the page: these names exist there.
declare const document: any;

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);

describe('master plan initiatives in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let admin: string;
  let viewer: string;
  before(async () => {
    // the demo with the sample RKPD imported and its initiatives funded by its lines
    ({ s, admin, viewer } = await demoWithViewer());
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  /** The Initiatives screen, signed in with a session of `s.login()` (logins are rate limited; the login form is tested elsewhere). */
  const open = async (token: string, lang: 'id' | 'en', options: BrowserContextOptions): Promise<Page> => {
    const page = await openSignedIn(browser, s.url, token, { ...options, lang, hash: '#/masterplan/initiatives' });
    await page.locator('[data-testid=mp-initiatives]').waitFor({ timeout: 20_000 });
    return page;
  };

  it('lists the demo initiatives per dimension with Indonesian totals; a reviewer creates one from a suggestion and by the form (1920 px)', async () => {
    const page = await open(admin, 'id', { viewport: { width: 1920, height: 1080 } });
    await page.getByRole('link', { name: 'Inisiatif' }).waitFor();
    assert.equal(await page.locator('.mp .tabs a.active').textContent(), 'Inisiatif');
    await page.getByRole('heading', { name: 'Inisiatif smart city' }).waitFor();
    const health = page.locator('[data-initiative="Rekam Medis Elektronik Puskesmas"]');
    await health.waitFor();
    // the six demo initiatives hold Rp 9,6 miliar of the sample RKPD, each rupiah once
    assert.match((await page.locator('[data-testid=total-budget]').textContent())!, /^Rp\s9\.600\.000\.000$/);
    assert.match((await page.locator('[data-testid=dimension-total-environment]').textContent())!, /2 inisiatif · Pagu tertaut Rp\s3\.800\.000\.000/);
    assert.ok(await page.locator('[data-dimension=living] [data-initiative="Rekam Medis Elektronik Puskesmas"]').isVisible(), 'listed under Smart Living');
    await health.getByRole('button', { name: 'Rekam Medis Elektronik Puskesmas' }).click();
    const lines = health.locator('[data-testid=initiative-lines]');
    await lines.waitFor();
    assert.match((await lines.textContent())!, /1\.02\.02\.2\.02\.0033.*Pengelolaan Sistem Informasi Kesehatan/);
    assert.match((await health.locator('[data-testid=initiative-years]').textContent())!, /2025.*Rp\s2\.300\.000\.000/);
    await screenshot(page, 'masterplan-initiatives.png');
    // a line suggested for this initiative (same dimension, element and OPD), linked from its details
    const suggested = health.getByTestId('initiative-suggested').locator('li', { hasText: '1.02.02.2.02.0001' });
    await suggested.getByRole('button', { name: 'Tautkan' }).click();
    await lines.locator('tr', { hasText: 'Pengelolaan Pelayanan Kesehatan Ibu Hamil' }).waitFor();
    assert.match((await health.locator('[data-testid=initiative-budget]').textContent())!, /Rp\s3\.400\.000\.000/);

    // a suggestion: the education lines nobody holds become an initiative
    const suggestion = page.locator('[data-testid=suggest-create]', { hasText: 'Pengelolaan Pendidikan' });
    await suggestion.waitFor();
    await suggestion.getByRole('button', { name: 'Buat inisiatif' }).click();
    const education = page.locator('[data-dimension=society] [data-initiative="Pengelolaan Pendidikan"]');
    await education.waitFor();
    assert.match((await education.locator('[data-testid=initiative-budget]').textContent())!, /Rp\s4\.500\.000\.000/);
    await page.locator('[data-testid=suggest-create]', { hasText: 'Pengelolaan Pendidikan' }).waitFor({ state: 'detached' });

    // the form: a dimension is required, then the initiative is listed under it
    await page.getByTestId('initiative-add').click();
    const form = page.getByTestId('initiative-form');
    await form.locator('input[name=name]').fill('Command Center Kabupaten');
    await form.locator('select[name=dimensionKey]').selectOption('governance');
    await form.locator('select[name=elementKey]').selectOption('service');
    await form.locator('input[name=startYear]').fill('2026');
    await form.locator('input[name=endYear]').fill('2040');
    await form.getByTestId('initiative-save').click();
    await form.locator('.error', { hasText: 'Tahun selesai 2040 di luar periode rencana induk' }).waitFor();
    await form.locator('input[name=endYear]').fill('2028');
    await form.getByTestId('initiative-save').click();
    await page.locator('[data-dimension=governance] [data-initiative="Command Center Kabupaten"]').waitFor();
    await page.close();
  });

  it('shows a viewer the list without edit actions, in English, on a phone (390 px)', async () => {
    const page = await open(viewer, 'en', { viewport: { width: 390, height: 844 }, isMobile: true });
    await page.getByRole('heading', { name: 'Smart city initiatives' }).waitFor();
    const flood = page.locator('[data-initiative="Peringatan Dini Banjir Sungai Kelingi dan Lakitan"]');
    await flood.waitFor();
    assert.equal(await flood.getAttribute('data-editable'), 'no');
    assert.equal(await page.getByTestId('initiative-add').count(), 0);
    assert.equal(await page.getByTestId('initiative-suggestions').count(), 0);
    await flood.getByRole('button', { name: 'Peringatan Dini Banjir Sungai Kelingi dan Lakitan' }).click();
    await flood.locator('[data-testid=initiative-lines]').waitFor();
    assert.equal(await flood.getByTestId('initiative-edit').count(), 0);
    assert.equal(await flood.getByRole('button', { name: 'Unlink' }).count(), 0);
    assert.match((await flood.textContent())!, /Under way/);
    assert.match((await flood.textContent())!, /Regional budget \(APBD\), Grant \(hibah\)/);
    await page.waitForTimeout(300);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 400, `no sideways scrolling on a phone: ${width}px wide`);
    await page.close();
  });
});
