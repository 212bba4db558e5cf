/**
 * The Quick Win tab and the Roadmap grid in Chromium, as Bappeda (1920 px, in
 * Indonesian) and as a viewer on a phone (390 px, in English): the demo's quick
 * wins with Indonesian totals, a schedule of 3 months refused with its reason,
 * the roadmap per dimension × year with a milestone added, the Quick Win
 * document downloaded; a viewer sees no edit action and no sideways scrolling.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import JSZip from 'jszip';
import type { Browser, Page } from 'playwright-core';
import { startDemo } from '../../src/app.ts';
import { startServerOn, type TestServer } from '../helpers.ts';
import { demoStorage } from './demo-server.ts';
import { launch, NO_CHROMIUM, screenshot } from './browser.ts';

// Functions passed to page.evaluate run in the page: these names exist there.
declare const document: any;
declare const localStorage: any;

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);

describe('master plan quick wins and roadmap in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let admin: string;
  let viewer: string;
  before(async () => {
    s = await startServerOn(await demoStorage(), {}, { ruleTickMs: null });
    // the demo with its initiatives, quick wins and roadmap milestones
    const simulator = await startDemo(s.app, { stepMs: 60_000 });
    await simulator.stop();
    admin = await s.login();
    const created = await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'pimpinan@musirawas.go.id', name: 'Pimpinan', password: 'Rahasia-Pimpinan-2026', role: 'viewer' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    viewer = await s.login('pimpinan@musirawas.go.id', 'Rahasia-Pimpinan-2026');
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  /** The session of a login, as the app keeps it (logins are rate limited; the login form is tested elsewhere). */
  const resume = async (page: Page, token: string, lang: 'id' | 'en', tab: 'quickwins' | 'roadmap') => {
    await page.goto(s.url);
    await page.evaluate(([t, l]: string[]) => {
      localStorage.setItem('cerdas.token', t);
      localStorage.setItem('cerdas.lang', l);
    }, [token, lang]);
    await page.goto(`${s.url}/#/masterplan/${tab}`);
    await page.reload();
    await page.locator(`[data-testid=mp-${tab}]`).waitFor({ timeout: 20_000 });
  };

  it('lists the demo quick wins with Indonesian totals, refuses a 3-month schedule with its reason, adds one, shows the roadmap grid and downloads the Quick Win document (1920 px)', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await resume(page, admin, 'id', 'quickwins');
    assert.equal(await page.locator('.mp .tabs a.active').textContent(), 'Quick win');
    const wifi = page.locator('[data-dimension=governance] [data-quickwin="Wi-Fi dan Jaringan Intra di 14 Kantor Kecamatan"]');
    await wifi.waitFor();
    assert.match((await page.getByTestId('quickwin-total-cost').textContent())!, /^Rp\s2\.350\.000\.000$/);
    assert.match((await wifi.getByTestId('quickwin-schedule').textContent())!, /^Januari 2025 – Desember 2025 \(12 bulan\)$/);
    assert.match((await wifi.getByTestId('quickwin-cost').textContent())!, /^Rp\s1\.250\.000\.000$/);
    assert.match((await wifi.textContent())!, /Selesai/);
    await wifi.getByRole('button', { name: 'Wi-Fi dan Jaringan Intra di 14 Kantor Kecamatan' }).click();
    await wifi.getByText('14 kantor kecamatan terhubung jaringan intra pemerintah').waitFor();
    await screenshot(page, 'masterplan-quickwins-1920.png');

    await page.getByTestId('quickwin-add').click();
    const form = page.getByTestId('quickwin-form');
    await form.locator('input[name=title]').fill('Papan Informasi Digital Pasar Induk');
    await form.locator('select[name=dimensionKey]').selectOption('economy');
    await form.locator('input[name=startMonth]').fill('2026-03');
    await form.locator('input[name=endMonth]').fill('2026-05');
    // the month pickers show the browser's locale: the chosen month is also written in Indonesian under each
    assert.deepEqual(await form.getByTestId('date-text').allTextContents(), ['Maret 2026', 'Mei 2026']);
    await form.locator('input[name=cost]').fill('275000000');
    await form.getByTestId('quickwin-save').click();
    await form.locator('.error', { hasText: 'Jadwal quick win 3 bulan (2026-03 s.d. 2026-05) ditolak: quick win harus selesai dalam 6–12 bulan' }).waitFor();
    await form.locator('input[name=endMonth]').fill('2026-08');
    await form.getByTestId('quickwin-save').click();
    const added = page.locator('[data-dimension=economy] [data-quickwin="Papan Informasi Digital Pasar Induk"]');
    await added.waitFor();
    assert.match((await added.getByTestId('quickwin-schedule').textContent())!, /^Maret 2026 – Agustus 2026 \(6 bulan\)$/);
    await page.getByTestId('quickwin-total-cost').getByText(/Rp\s2\.625\.000\.000/).waitFor();

    // the roadmap: every year of the plan's period, initiatives, quick wins and milestones per dimension
    await page.getByRole('link', { name: 'Roadmap' }).click();
    const grid = page.getByTestId('roadmap-grid');
    await grid.waitFor();
    assert.deepEqual(await grid.locator('thead th').allTextContents(), ['Dimensi', '2022', '2023', '2024', '2025', '2026', '2027', '2028', '2029', '2030', '2031', '2032']);
    const society2025 = grid.locator('tr[data-dimension=society] td[data-year="2025"]');
    assert.match((await society2025.textContent())!, /▶ Peringatan Dini Banjir Sungai Kelingi dan Lakitan/);
    assert.match((await society2025.textContent())!, /★ Dasbor Peringatan Dini Muka Air Sungai Kelingi/);
    assert.match((await grid.locator('tr[data-dimension=economy] td[data-year="2026"]').textContent())!, /★ Papan Informasi Digital Pasar Induk/);
    const milestones = page.getByTestId('milestone-form');
    await milestones.locator('select[name=milestoneDimension]').selectOption('economy');
    await milestones.locator('select[name=milestoneYear]').selectOption('2027');
    await milestones.locator('input[name=milestoneText]').fill('150 UMKM desa di katalog daerah');
    await milestones.getByTestId('milestone-add').click();
    await grid.locator('tr[data-dimension=economy] td[data-year="2027"] [data-milestone="150 UMKM desa di katalog daerah"]').waitFor();
    await screenshot(page, 'masterplan-roadmap-1920.png');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-quickwin-docx]')]);
    assert.match(download.suggestedFilename(), /^dokumen-quick-win-musi-rawas-\d{4}\.docx$/);
    const xml = await (await JSZip.loadAsync(fs.readFileSync((await download.path())!))).file('word/document.xml')!.async('string');
    assert.ok(xml.includes('DOKUMEN QUICK WIN SMART CITY') && xml.includes('Papan Informasi Digital Pasar Induk'), 'the document holds the quick win just added');

    // the leadership dashboard counts the records (five of the demo and the one added)
    await page.getByRole('link', { name: 'Dasbor pimpinan' }).click();
    await page.locator('.stat', { hasText: 'Quick win' }).locator('strong', { hasText: /^6$/ }).waitFor();
    assert.equal(await page.locator('tr[data-dimension=economy] [data-testid=dash-dim-quickwins]').textContent(), '2');
    await page.close();
  });

  it('shows a viewer the quick wins and the roadmap without edit actions, in English, on a phone (390 px)', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await resume(page, viewer, 'en', 'quickwins');
    await page.getByRole('heading', { name: 'Quick wins', exact: true }).waitFor();
    const flood = page.locator('[data-quickwin="Dasbor Peringatan Dini Muka Air Sungai Kelingi"]');
    await flood.waitFor();
    assert.equal(await flood.getAttribute('data-editable'), 'no');
    assert.equal(await page.getByTestId('quickwin-add').count(), 0);
    assert.match((await flood.getByTestId('quickwin-schedule').textContent())!, /^March 2025 – October 2025 \(8 months\)$/);
    await flood.getByRole('button', { name: 'Dasbor Peringatan Dini Muka Air Sungai Kelingi' }).click();
    await flood.getByText('Warga bantaran menerima peringatan').waitFor();
    assert.equal(await flood.getByTestId('quickwin-edit').count(), 0);
    await page.waitForTimeout(300);
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 400, 'no sideways scrolling on the quick wins');
    await screenshot(page, 'masterplan-quickwins-390.png', { fullPage: true });

    await page.getByRole('link', { name: 'Roadmap' }).click();
    const grid = page.getByTestId('roadmap-grid');
    await grid.waitFor();
    assert.equal(await page.getByTestId('milestone-form').count(), 0, 'a viewer adds no milestone');
    assert.equal(await grid.getByRole('button', { name: /Remove/ }).count(), 0);
    const society2026 = grid.locator('tr[data-dimension=society] td[data-year="2026"]');
    assert.ok(await society2026.isVisible());
    assert.match((await society2026.textContent())!, /◆ 12 pos duga air berfungsi/);
    assert.equal(await grid.locator('tr[data-dimension=society] td[data-year="2022"]').isVisible(), false, 'an empty year is not shown on a phone');
    await page.waitForTimeout(300);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 400, `no sideways scrolling on the roadmap: ${width}px wide`);
    await screenshot(page, 'masterplan-roadmap-390.png', { fullPage: true });
    await page.close();
  });
});
