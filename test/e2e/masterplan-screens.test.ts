/**
 * The master plan's Kolaborasi and Evaluasi screens as a person sees them, on a control-room
 * screen (1920×1080) and a phone (390×844), with the demo's data: fields as wide as what they
 * hold, tables inside their cards, the SK's council and team filled in, who did each thing in
 * the activity log, the evaluation opening on a year that has data (and offering to start an
 * empty year from the previous one), the survey's selects all of one width. Sizes are measured
 * with getBoundingClientRect.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemo } from '../../src/app.ts';
import { startServerOn, type TestServer } from '../helpers.ts';
import { demoStorage } from './demo-server.ts';
import { launch, NO_CHROMIUM, openSignedIn } from './browser.ts';

// Functions passed to page.evaluate run in the page: these names exist there.
declare const document: any;
declare const window: any;

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);

const SIZES = [
  { name: '1920 px', viewport: { width: 1920, height: 1080 } },
  { name: '390 px', viewport: { width: 390, height: 844 } },
];

interface Box {
  left: number;
  right: number;
  width: number;
}
const box = (page: Page, selector: string): Promise<Box> =>
  page.locator(selector).first().evaluate((el: any) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, width: r.width };
  });

/** Nothing on the page is wider than the window (no sideways scrolling of the whole page). */
const pageOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('master plan screens at 1920 and 390 px', { skip: NO_CHROMIUM }, () => {
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

  const open = (viewport: { width: number; height: number }, hash: string): Promise<Page> => openSignedIn(browser, s.url, token, { viewport, hash });

  it('Kolaborasi: a chosen date is also written in the screen\'s language under the picker (which shows the browser\'s locale)', async () => {
    for (const [lang, field, expected] of [['id', 'sessionDate', '3 Desember 2026'], ['en', 'signedAt', '3 December 2026']] as const) {
      const page = await openSignedIn(browser, s.url, token, { viewport: { width: 1280, height: 900 }, lang, hash: '#/masterplan/collaboration' });
      try {
        const input = page.locator(`input[name=${field}]`);
        await input.waitFor({ timeout: 20_000 });
        assert.equal(await input.getAttribute('type'), 'date', 'the native picker stays');
        await input.fill('2026-12-03');
        assert.equal((await input.locator('xpath=..').getByTestId('date-text').textContent())?.trim(), expected);
      } finally {
        await page.close();
      }
    }
  });

  for (const size of SIZES) {
    it(`Kolaborasi at ${size.name}: the title field, the commitments table, the SK's members, who did what`, async () => {
      const page = await open(size.viewport, '#/masterplan/collaboration');
      try {
        await page.locator('[data-testid=mp-member]').first().waitFor({ timeout: 20_000 });
        await page.locator('[data-testid=mp-activity] tbody tr').first().waitFor();

        // "Judul" is as wide as a title needs, not a sliver under its label.
        const title = await box(page, 'input[name=sessionTitle]');
        const form = await box(page, '.mp-form');
        if (size.viewport.width >= 1920) assert.ok(title.width >= 250, `Judul is ${title.width.toFixed(0)} px wide`);
        else assert.ok(title.width >= 0.8 * form.width, `Judul is ${title.width.toFixed(0)} of ${form.width.toFixed(0)} px`);
        assert.ok(title.right <= form.right + 1, 'Judul stays inside its form');

        // The commitments table fits its card: no cell sticks out, nothing to scroll sideways.
        const wrap = page.locator('[data-testid=mp-commitments]');
        const card = await wrap.evaluate((el: any) => el.closest('.card').getBoundingClientRect().right);
        const table = await box(page, '[data-testid=mp-commitments] table');
        assert.ok(table.right <= card + 1, `the table ends at ${table.right.toFixed(0)}, its card at ${card.toFixed(0)}`);
        const scroll = await wrap.evaluate((el: any) => el.scrollWidth - el.clientWidth);
        assert.ok(scroll <= 1, `the commitments table scrolls sideways by ${scroll} px`);
        const upload = await box(page, '[data-testid=mp-commitments] .mp-upload');
        assert.ok(upload.right <= table.right + 1, 'the upload button stays inside the table');

        // Dewan Smart City and Tim Pelaksana of the demo's SK, the Bupati first.
        const members = page.locator('[data-testid=mp-members]');
        const council = members.locator('h3:has-text("Dewan Smart City") + ul li');
        const team = members.locator('h3:has-text("Tim Pelaksana") + ul li');
        assert.ok((await council.count()) >= 4, `${await council.count()} council members`);
        assert.ok((await team.count()) >= 4, `${await team.count()} team members`);
        assert.match((await council.first().textContent()) ?? '', /Bupati/);
        const all = (await members.textContent()) ?? '';
        for (const who of ['Sekretaris Daerah', 'BAPPEDA', 'DISKOMINFO']) assert.ok(all.includes(who), `the members name ${who}`);
        assert.doesNotMatch(all, /Belum ada anggota/);

        // Every line of the activity log says who.
        const who = await page.locator('[data-testid=mp-activity] tbody tr td:nth-child(2)').allTextContents();
        assert.ok(who.length >= 5, `${who.length} lines in the log`);
        assert.deepEqual(who.filter((w) => w.trim() === '' || w.trim() === '—'), [], 'no line without a name');
        assert.ok(who.some((w) => w.includes('Rina Marlina')));

        assert.ok((await pageOverflow(page)) <= 1, 'the page does not scroll sideways');
      } finally {
        await page.close();
      }
    });

    it(`Evaluasi at ${size.name}: opens on the current year started from the demo's last evaluation, no red sum, survey selects of one width`, async () => {
      const page = await open(size.viewport, '#/masterplan/evaluation');
      try {
        await page.locator('input[name=evalYear]').waitFor({ timeout: 20_000 });
        await page.waitForFunction(() => document.querySelector('[data-testid=eval-index]')?.textContent.trim() !== '—', null, { timeout: 20_000 });
        assert.equal(await page.inputValue('input[name=evalYear]'), String(new Date().getFullYear()), 'the current year');
        assert.match((await page.locator('[data-testid=eval-started-from]').textContent()) ?? '', /2022/, 'started from the latest year the demo assessed');
        assert.equal(await page.locator('.mp-evaluation .error').count(), 0, 'no error on a year with data');
        assert.match((await page.locator('[data-testid=weights-sum]').textContent()) ?? '', /100/);

        // The survey: three selects per dimension, each as wide as the others and inside its cell.
        await page.locator('.mp-survey-cell select').first().waitFor();
        const widths = await page.locator('.mp-survey-cell select').evaluateAll((els: any[]) =>
          els.map((el) => {
            const r = el.getBoundingClientRect();
            const c = el.closest('td').getBoundingClientRect();
            return { width: r.width, inside: r.left >= c.left - 1 && r.right <= c.right + 1 };
          }),
        );
        assert.equal(widths.length, 18, 'one for each of the three elements of the six dimensions');
        const spread = Math.max(...widths.map((w) => w.width)) - Math.min(...widths.map((w) => w.width));
        assert.ok(spread <= 1, `survey selects differ in width by ${spread.toFixed(0)} px`);
        assert.ok(widths.every((w) => w.inside), 'every select stays inside its cell');
        assert.ok(widths[0]!.width >= 150, `a select is ${widths[0]!.width.toFixed(0)} px wide`);
        assert.ok((await pageOverflow(page)) <= 1, 'the page does not scroll sideways');
      } finally {
        await page.close();
      }
    });
  }

  it('Evaluasi: an untouched past year shows no red sum and starts from the previous year', async () => {
    const page = await open(SIZES[0]!.viewport, '#/masterplan/evaluation');
    try {
      await page.locator('input[name=evalYear]').waitFor({ timeout: 20_000 });
      await page.fill('input[name=evalYear]', '2023');
      await page.press('input[name=evalYear]', 'Enter');
      await page.locator('[data-testid=eval-empty-year]').waitFor();
      assert.equal(await page.locator('.mp-evaluation .error').count(), 0, 'an untouched year is not an error');
      assert.doesNotMatch((await page.locator('.mp-evaluation').textContent()) ?? '', /Jumlah bobot: 0/);
      // Typing a weight that does not add up is an error, as before.
      await page.fill('input[name=w-baseline]', '10');
      assert.match((await page.locator('[data-testid=weights-sum].error').textContent()) ?? '', /Jumlah bobot: 10/);
      await page.fill('input[name=w-baseline]', '');

      await page.locator('[data-testid=eval-start-from]').click();
      await page.locator('[data-testid=eval-empty-year]').waitFor({ state: 'detached' });
      assert.equal(await page.locator('.mp-evaluation table').first().locator('tbody tr:not([data-auto^=o])').count(), 5, "the previous year's five items");
      assert.equal(await page.locator('.mp-evaluation table').first().locator('tbody tr[data-auto^=o]').count(), 5, 'and five pre-filled from the platform');
      assert.match((await page.locator('[data-testid=weights-sum]').textContent()) ?? '', /Jumlah bobot: 100/);
      const year = Number(await page.inputValue('input[name=evalYear]'));
      const saved = await s.api('GET', `/api/v1/masterplan/evaluation/${year}`, { token });
      assert.deepEqual(saved.body.weights, { baseline: 10, output: 20, outcome: 30, impact: 30, quickWin: 10 });
      assert.ok(saved.body.items.filter((i: { auto: unknown }) => i.auto === null).every((i: { score: number | null }) => i.score === null), 'copied scores start blank');
    } finally {
      await page.close();
    }
  });
});
