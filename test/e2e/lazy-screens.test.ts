/**
 * The command center's first load carries only what it shows: administration, the incident
 * screens, the master plan and the chart library come in their own chunks when first needed,
 * and then work (the chart of a chosen asset is drawn; Pengelolaan and Laporan open). Every
 * file arrives compressed as Chromium asks (Brotli). /lapor's categories come with the page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startDemo } from '../../src/app.ts';
import { startServerOn, type TestServer } from '../helpers.ts';
import { demoStorage } from './demo-server.ts';
import { launch, NO_CHROMIUM, signedInContext } from './browser.ts';

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);

describe('screens loaded when opened', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let token: string;
  before(async () => {
    s = await startServerOn(await demoStorage(), {}, { ruleTickMs: null });
    const simulator = await startDemo(s.app, { stepMs: 60_000 });
    await simulator.stop();
    token = await s.login();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  it('the first screen fetches no admin, incident, master plan or chart code; each comes when opened', async () => {
    const context = await signedInContext(browser, s.url, token, { viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const scripts: { name: string; encoding: string | undefined }[] = [];
    page.on('response', (res) => {
      const name = /\/assets\/([^/?]+\.js)$/.exec(res.url())?.[1];
      if (name) scripts.push({ name, encoding: res.headers()['content-encoding'] });
    });
    try {
      await page.goto(s.url);
      await page.waitForFunction(() => (globalThis as unknown as { cerdasReady?: boolean }).cerdasReady === true, null, { timeout: 30_000 });
      const first = scripts.map((x) => x.name);
      assert.ok(first.some((n) => n.startsWith('index-')), `the entry is loaded: ${first.join(', ')}`);
      for (const lazy of ['admin-', 'incidents-', 'masterplan-', 'chart-', 'auto-']) assert.ok(!first.some((n) => n.startsWith(lazy)), `${lazy}… is not part of the first load: ${first.join(', ')}`);
      assert.deepEqual(scripts.filter((x) => x.encoding !== 'br'), [], 'every script came with Brotli');

      // A river gauge chosen by name: its chart is drawn once uPlot has come.
      await page.fill('.search input[type=search]', 'PDA Sungai Beliti');
      await page.locator('.search li button').first().click();
      await page.locator('.detail .chart .uplot').waitFor({ timeout: 20_000 });
      assert.ok(scripts.some((x) => x.name.startsWith('chart-')), 'the chart chunk came when needed');

      await page.goto(`${s.url}/#/admin`);
      await page.locator('.admin').first().waitFor({ timeout: 20_000 });
      assert.ok(scripts.some((x) => x.name.startsWith('admin-')), 'the admin chunk came when Pengelolaan opened');
      await page.goto(`${s.url}/#/incidents`);
      await page.getByRole('heading').first().waitFor();
      await page.waitForFunction(() => !(globalThis as unknown as { document: { body: { textContent: string } } }).document.body.textContent.includes('Memuat …'), null, { timeout: 20_000 });
      assert.ok(scripts.some((x) => x.name.startsWith('incidents-')), 'the incidents chunk came when Laporan opened');
      assert.equal(await page.locator('.error[role=alert]').count(), 0);
    } finally {
      await context.close();
    }
  });

  it('/lapor asks for its categories once, with the page (the preload is the one the page uses)', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } });
    const asked: string[] = [];
    const warnings: string[] = [];
    page.on('request', (r) => r.url().includes('/open311/v2/services.json') && asked.push(r.url()));
    page.on('console', (m) => /preload/i.test(m.text()) && warnings.push(m.text()));
    try {
      await page.goto(`${s.url}/lapor`);
      await page.locator('button.cat').first().waitFor({ timeout: 20_000 });
      await page.waitForTimeout(3500); // Chromium warns of an unused preload about 3 s after the load
      assert.equal(asked.length, 1, `services.json asked ${asked.length}×: ${asked.join(', ')}`);
      assert.deepEqual(warnings, [], 'no preload left unused');
    } finally {
      await page.close();
    }
  });
});
