/** The duty roster in Chromium: an admin adds a shift, sees it in the week grid, and on the command center's Piket sekarang card. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { ManualClock } from '../../src/core/clock.ts';
import { ADMIN, dialects, startServer, type TestServer } from '../helpers.ts';
import { launch, NO_CHROMIUM, signIn } from './browser.ts';

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);

describe('duty roster in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  // Monday 30 November 2026, 08.00 WIB: the server's "now" and "this week".
  const clock = new ManualClock(Date.parse('2026-11-30T08:00:00+07:00'));
  before(async () => {
    const [sqlite] = await dialects();
    s = await startServer(sqlite!, {}, { clock, ruleTickMs: null });
    const admin = await s.login();
    const opd = await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'BPBD', name: 'Badan Penanggulangan Bencana Daerah' } });
    assert.equal(opd.status, 201);
    const user = await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'andi@musirawas.go.id', name: 'Andi Piket', password: 'Piket-Rahasia-2026', role: 'operator', opdId: opd.body.id, position: 'staf' } });
    assert.equal(user.status, 201, JSON.stringify(user.body));
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  it('adds a shift, shows it in the week grid and on the command center card', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(page, s.url, ADMIN.email, ADMIN.password);
    await page.goto(`${s.url}/#/admin/duty`);
    await page.getByText('Jadwal piket').first().waitFor();
    await page.selectOption('select[name=opd]', { label: 'BPBD — Badan Penanggulangan Bencana Daerah' });
    const form = page.locator('[data-testid=add-shift]');
    await form.locator('select[name=userId] option', { hasText: 'Andi Piket' }).waitFor({ state: 'attached' });
    await form.locator('select[name=weekday]').selectOption({ label: 'Senin' });
    await form.locator('input[name=start]').fill('07:00');
    await form.locator('input[name=end]').fill('15:00');
    await form.locator('select[name=userId]').selectOption({ label: 'Andi Piket' });
    await form.getByRole('button', { name: 'Tambah shift' }).click();
    const monday = page.locator('[data-testid=week-grid] td[data-date="2026-11-30"]');
    await monday.getByText('Andi Piket').waitFor();
    assert.match((await monday.textContent()) ?? '', /07\.00–15\.00/);

    await page.goto(`${s.url}/#/`);
    const card = page.locator('[data-testid=on-duty] li[data-opd=BPBD]');
    await card.getByText('Andi Piket').waitFor();
    assert.match((await card.textContent()) ?? '', /s\.d\. 15[.:]00/);
    await page.close();
  });
});
