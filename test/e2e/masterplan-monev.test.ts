/**
 * Monev computed, in Chromium with the demo (evaluations 2021 and 2022): the current year opens
 * started from 2022 with the Baseline computed and Output and Outcome pre-filled with their
 * figures; a Baseline or a pre-filled score changed without a reason is refused in the screen's
 * language; the pack is downloaded and opened — at 1920 px, and read by a viewer on a phone (390 px).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import JSZip from 'jszip';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { TestServer } from '../helpers.ts';
import { launch, NO_CHROMIUM, openSignedIn, screenshot } from './browser.ts';
import { demoWithViewer } from './demo-server.ts';

// Functions passed to page.evaluate run in the page: these names exist there.
declare const document: any;
declare const window: any;

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);

const YEAR = new Date().getFullYear();

describe('monev computed in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let admin: string;
  let viewer: string;
  before(async () => {
    ({ s, admin, viewer } = await demoWithViewer());
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  /** The evaluation screen, signed in with a session of `s.login()` (logins are rate limited; the login form is tested elsewhere). */
  const open = async (token: string, lang: 'id' | 'en', options: BrowserContextOptions): Promise<Page> => {
    const page = await openSignedIn(browser, s.url, token, { ...options, lang, hash: '#/masterplan/evaluation' });
    await page.locator('[data-testid=mp-evaluation]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid=eval-baseline]').waitFor({ timeout: 20_000 });
    return page;
  };

  it('the current year opens from 2022 with the Baseline computed and pre-filled scores; changes need a reason; the pack downloads (1920 px)', async () => {
    const page = await open(admin, 'id', { viewport: { width: 1920, height: 1080 }, acceptDownloads: true });
    try {
      await page.locator('[data-testid=eval-started-from]').waitFor();
      assert.match((await page.locator('[data-testid=eval-started-from]').textContent())!, new RegExp(`Dimulai dari evaluasi 2022`));
      // 2022: 3,31, 2021: 2,77 → 3,31 + 0,54
      assert.equal((await page.locator('[data-testid=baseline-score]').textContent())!.trim(), '3,85');
      assert.equal((await page.locator('[data-testid=baseline-source]').textContent())!.trim(), 'dihitung');

      // a pre-filled item: its name in the screen's language, computed on a date, its figures and sources
      const kpis = page.locator('tr[data-auto="outcome.kpis"]');
      assert.match((await kpis.textContent())!, /KPI masterplan mencapai target/);
      assert.match((await kpis.getByTestId('item-source').textContent())!, /^dihitung \d{1,2} \w+ \d{4}$/);
      await kpis.locator('summary').click();
      assert.match((await kpis.locator('.mp-figures').textContent())!, /Sesuai target: .*\(KPI masterplan: target dan capaian/);
      const devices = page.locator('tr[data-auto="outcome.devices"] .mp-figures');
      await page.locator('tr[data-auto="outcome.devices"] summary').click();
      assert.match((await devices.textContent())!, /Perangkat terdaftar: \d+/);

      // the Baseline set by hand without a reason: refused, in Indonesian
      await page.fill('input[name=baselineOverride]', '3.5');
      await page.locator('[data-testid=eval-baseline] button[type=submit]').click();
      await page.locator('[data-testid=eval-baseline]').getByText('Baseline yang diubah manual wajib disertai alasannya').waitFor();
      await page.fill('input[name=baselineReason]', 'Perbup smart city belum ditetapkan');
      await page.locator('[data-testid=eval-baseline] button[type=submit]').click();
      await page.waitForFunction(() => /diubah manual oleh .*: Perbup smart city belum ditetapkan/.test(document.querySelector('[data-testid=baseline-source]')?.textContent ?? ''));
      assert.equal((await page.locator('[data-testid=baseline-score]').textContent())!.trim(), '3,5');
      // typed with a dot, shown back in the screen's language (a text input, not the browser's locale of <input type=number>)
      assert.equal(await page.inputValue('input[name=baselineOverride]'), '3,5');
      assert.equal(await page.locator('input[name=baselineOverride]').getAttribute('inputmode'), 'decimal');

      // a pre-filled score changed without a reason: refused; with one, saved with who and why
      const computed = (await s.api('GET', `/api/v1/masterplan/evaluation/${YEAR}`, { token: admin })).body.items.find((i: any) => i.auto?.key === 'outcome.kpis').auto.computedScore;
      const changedTo = computed === 1.25 ? '2,5' : '1,25';
      // not a number: refused in the screen's language, nothing sent
      await kpis.locator('input.num-in').fill('1,2x');
      await page.getByTestId('eval-save-items').click();
      await page.getByText(/Skor KPI masterplan mencapai target: “1,2x” bukan angka/).waitFor();
      assert.equal(await kpis.locator('input.num-in').getAttribute('type'), null, 'a text input, not type=number');
      await kpis.locator('input.num-in').fill(changedTo);
      assert.match((await kpis.getByTestId('item-source').textContent())!, /^diubah manual oleh/);
      await page.getByTestId('eval-save-items').click();
      await page.getByText(/berbeda dari hasil hitungan .*: tuliskan alasannya/).waitFor();
      await kpis.locator('input[name=itemReason]').fill('Dua KPI diganti target baru');
      // Awaited by its answer: the item's source line already shows the typed reason before the save (the Baseline card
      // above still says "Tersimpan" from its own), so neither tells that the save is done.
      const [put] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === `/api/v1/masterplan/evaluation/${YEAR}`),
        page.getByTestId('eval-save-items').click(),
      ]);
      assert.equal(put.status(), 200, await put.text());
      await page.waitForFunction(() => /^diubah manual oleh .*: Dua KPI diganti target baru/.test(document.querySelector('tr[data-auto="outcome.kpis"] [data-testid=item-source]')?.textContent ?? ''));
      const saved = (await s.api('GET', `/api/v1/masterplan/evaluation/${YEAR}`, { token: admin })).body.items.find((i: any) => i.auto?.key === 'outcome.kpis');
      assert.deepEqual([saved.score, saved.auto.overridden, saved.auto.reason], [Number(changedTo.replace(',', '.')), true, 'Dua KPI diganti target baru']);
      assert.equal(await kpis.locator('input.num-in').inputValue(), changedTo, 'the saved score read back with a decimal comma');
      await screenshot(page, 'masterplan-monev.png');

      // the pack, as a person downloads it
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('eval-pack').click()]);
      assert.match(download.suggestedFilename(), new RegExp(`^paket-evaluasi-musi-rawas-${YEAR}\\.zip$`));
      const zip = await JSZip.loadAsync(await readFile((await download.path())!));
      const names = Object.keys(zip.files);
      assert.ok(names.includes(`evaluasi-musi-rawas-${YEAR}.docx`) && names.includes(`bukti/bukti-${YEAR}.csv`) && names.includes(`bukti/bukti-${YEAR}.json`), names.join(', '));
      const csv = await zip.file(`bukti/bukti-${YEAR}.csv`)!.async('string');
      assert.match(csv, /KPI masterplan mencapai target;Outcome;angka;Sesuai target;On track;\d+;KPI;KPI masterplan/);
    } finally {
      await page.close();
    }
  });

  it('a viewer reads the Baseline, the pre-filled scores and the survey per element on a phone, in English (390 px)', async () => {
    const page = await open(viewer, 'en', { viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      await page.waitForFunction(() => /overridden by .*: Perbup smart city/.test(document.querySelector('[data-testid=baseline-source]')?.textContent ?? ''));
      assert.equal(await page.locator('[data-testid=eval-baseline] form').count(), 0, 'a viewer cannot override');
      assert.match((await page.locator('tr[data-auto="output.realisation"]').textContent())!, /Realisation of the initiatives' budget/);
      assert.match((await page.locator('tr[data-auto="outcome.kpis"] [data-testid=item-source]').textContent())!, /^overridden by .*: Dua KPI diganti target baru/);
      // the survey lists the eighteen elements, none with a select for a viewer
      const survey = page.getByTestId('eval-survey');
      assert.equal(await survey.locator('tbody tr').count(), 18);
      assert.equal(await survey.locator('select').count(), 0);
      assert.match((await survey.textContent())!, /Public service/);
      assert.ok(await page.getByTestId('eval-pack').isVisible(), 'the pack is there for a viewer too');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow} px`);
      await screenshot(page, 'masterplan-monev-phone.png');
    } finally {
      await page.close();
    }
  });

  it('the score inputs show and accept English numbers on an English screen', async () => {
    const page = await open(admin, 'en', { viewport: { width: 1280, height: 900 } });
    try {
      await page.waitForFunction(() => /overridden by/.test(document.querySelector('[data-testid=baseline-source]')?.textContent ?? ''));
      assert.equal(await page.inputValue('input[name=baselineOverride]'), '3.5');
      const kpis = page.locator('tr[data-auto="outcome.kpis"]');
      assert.match(await kpis.locator('input.num-in').inputValue(), /^(1\.25|2\.5)$/);
      await page.fill('input[name=baselineOverride]', 'abc');
      await page.locator('[data-testid=eval-baseline] button[type=submit]').click();
      await page.locator('[data-testid=eval-baseline]').getByText('Override: “abc” is not a number').waitFor();
    } finally {
      await page.close();
    }
  });
});
