import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { startDemo } from '../../src/app.ts';
import { ADMIN, dialects, startServer, startServerOn, type TestServer } from '../helpers.ts';
import { demoStorage } from './demo-server.ts';
import { cuttableStream, holdAnswers, launch, NO_CHROMIUM, openSignedIn, screenshot, signedInContext } from './browser.ts';

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);
/** The type of the page's getComputedStyle, for functions that run in the page (the test's own types know no DOM). */
type PageWindow = { getComputedStyle(e: unknown): { backgroundColor: string } };

describe('command center in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let assetsWithLocation = 0;
  let token: string;
  before(async () => {
    // Each page signs in: more than the 10 logins a minute a real client gets.
    s = await startServerOn(await demoStorage(), { loginRateLimit: 100 }, { ruleTickMs: 2000 });
    await startDemo(s.app, { stepMs: 1000 });
    token = await s.login();
    assetsWithLocation = ((await s.api('GET', '/api/v1/assets?limit=1000', { token })).body.items as { location: unknown }[]).filter((a) => a.location).length;
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  const login = async (page: Page) => {
    await page.goto(s.url);
    await page.fill('input[name=email]', ADMIN.email);
    await page.fill('input[name=password]', ADMIN.password);
    await page.click('button[type=submit]');
    await page.waitForFunction(() => (globalThis as unknown as { cerdasReady?: boolean }).cerdasReady === true, null, { timeout: 15_000 });
  };
  /**
   * A new river gauge on a new asset at `lon`, `lat`, watched by a rule on its water level (`rule`: the rule's name and
   * its condition or levels); `send` posts a reading as the gauge.
   */
  const gaugeWithRule = async (name: string, [lon, lat]: [number, number], rule: Record<string, unknown>) => {
    const asset = (await s.api('POST', '/api/v1/assets', { token, body: { type: 'river_gauge', name, geometry: { type: 'Point', coordinates: [lon, lat] } } })).body as { id: string };
    const gauge = (await s.api('POST', '/api/v1/devices', { token, body: { name, type: 'level_gauge_e2e', assetId: asset.id } })).body as { id: string; accessToken: string };
    const made = await s.api('POST', '/api/v1/rules', { token, body: { ...rule, target: { kind: 'device', value: gauge.id }, key: 'waterLevel' } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const send = (waterLevel: number) => fetch(`${s.url}/api/v1/${gauge.accessToken}/telemetry`, { method: 'POST', body: JSON.stringify({ waterLevel }) });
    return { id: gauge.id, send };
  };
  /** A page with the session of the admin's login (the form is tested in the first test; logins are rate limited), its screen drawn. */
  const open = async (options: BrowserContextOptions & { lang?: 'id' | 'en' }): Promise<Page> => {
    const page = await openSignedIn(browser, s.url, token, options);
    await page.waitForFunction(() => (globalThis as unknown as { cerdasReady?: boolean }).cerdasReady === true, null, { timeout: 15_000 });
    return page;
  };

  it('logs in and shows the map with every demo asset, in Bahasa Indonesia', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await login(page);
    assert.equal(await page.evaluate(() => (globalThis as unknown as { cerdasMarkers: number }).cerdasMarkers), assetsWithLocation);
    assert.ok(assetsWithLocation >= 50);
    await page.getByText('Pusat Komando').first().waitFor();
    await page.getByText('Lokasi aset dan alur anak sungai bersifat perkiraan', { exact: false }).waitFor();
    await screenshot(page, 'command-center.png');
    await page.close();
  });

  it('reads its first screen in one request, asked for by the page before its scripts arrive (the policy allows that script)', async () => {
    const context = await signedInContext(browser, s.url, token, { viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const asked: string[] = [];
    const refused: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && refused.push(m.text()));
    try {
      await page.goto(s.url);
      await page.waitForFunction(() => (globalThis as unknown as { cerdasReady?: boolean }).cerdasReady === true, null, { timeout: 15_000 });
      assert.deepEqual(refused, [], 'no script refused by the Content-Security-Policy');
      const early = await page.evaluate(() => {
        const e = (globalThis as unknown as { cerdasEarly?: { answers: Record<string, unknown> } }).cerdasEarly;
        return e ? Object.entries(e.answers).map(([path, answer]) => [path, answer === undefined ? 'taken' : 'left']) : null;
      });
      assert.ok(early, "index.html's inline script ran");
      assert.deepEqual(Object.fromEntries(early), { '/auth/me': 'taken', '/device-profiles?limit=1000': 'taken', '/duty/now': 'taken', '/command-center': 'taken' }, 'the app took every early answer instead of asking again');
      assert.equal(asked.filter((p) => p === '/api/v1/command-center').length, 1, `asked for once: ${asked.join(' ')}`);
      for (const path of ['/api/v1/region/layers', '/api/v1/assets', '/api/v1/devices']) assert.equal(asked.filter((p) => p === path).length, 0, `${path} is in the first screen's answer`);
    } finally {
      await context.close();
    }
  });

  it('shows a value change live, without reloading', async () => {
    const page = await open({ viewport: { width: 1280, height: 800 } });
    const first = await page.textContent('[data-testid=max-pm25]');
    await page.waitForFunction((before) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('[data-testid=max-pm25]')?.textContent !== before, first, { timeout: 10_000 });
    await page.close();
  });

  it('acknowledges an alarm on one screen and shows it on another', async () => {
    const gauge = ((await s.api('GET', '/api/v1/devices?limit=1000', { token })).body.items as { id: string; label: string }[]).find((d) => d.label === 'demo:pda-beliti')!;
    const one = await open({ viewport: { width: 1280, height: 800 } });
    const two = await open({ viewport: { width: 1280, height: 800 } });
    const rule = await s.api('POST', '/api/v1/rules', { token, body: { name: 'Uji e2e', severity: 'awas', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', condition: { op: 'gt', value: 0 } } });
    assert.equal(rule.status, 201);
    const item = (page: Page) => page.locator('li.alarm', { hasText: 'Uji e2e' });
    await item(one).waitFor({ timeout: 10_000 });
    await item(two).waitFor({ timeout: 10_000 });
    await item(one).getByRole('button', { name: 'Tangani' }).click();
    await item(two).locator('[data-testid=acked]').waitFor({ timeout: 10_000 });
    await one.close();
    await two.close();
  });

  it('keeps an alarm that opened while the screen was reading its alarms again after subscribing', async () => {
    const gauge = await gaugeWithRule('PDA uji susul', [103.1, -3.1], { name: 'Banjir uji susul', severity: 'siaga', condition: { op: 'gte', value: 4 } });
    // The catch-up's answer is read from the server at once, before the alarm exists, and handed to the page only after
    // the alarm's live message has drawn it: the order a slow answer on a busy network gives.
    const context = await signedInContext(browser, s.url, token, { viewport: { width: 1280, height: 800 } });
    const held = await holdAnswers(context, /\/api\/v1\/alarms\?status=active/);
    try {
      const page = await context.newPage();
      await page.goto(s.url);
      await held.firstRead();
      const item = page.locator('li.alarm', { hasText: 'Banjir uji susul' });
      await gauge.send(4.2);
      await item.waitFor({ timeout: 10_000 });
      await held.release(page);
      // What the page does with the answer runs after the network has finished with it, and the screen is redrawn at most
      // every 250 ms: a moment, then a redraw, then look.
      await page.waitForTimeout(500);
      const drawn = await page.locator('.cc').getAttribute('data-tick');
      await page.waitForFunction((before) => (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document.querySelector('.cc')?.getAttribute('data-tick') !== before, drawn, { timeout: 10_000 });
      assert.equal(await item.count(), 1, 'the alarm is still listed after the older answer arrived');
      assert.equal(await page.getByTestId('alarm-count').textContent(), String(await page.locator('li.alarm').count()));
    } finally {
      await context.close();
    }
  });

  it("shows on an alarm's page an acknowledgement made while its live connection was down, once it is back", async () => {
    const gauge = await gaugeWithRule('PDA uji putus', [103.2, -3.0], { name: 'Banjir uji putus', severity: 'siaga', condition: { op: 'gte', value: 4 } });
    await gauge.send(4.4);
    const alarmOf = async () => ((await s.api('GET', `/api/v1/alarms?status=active&deviceId=${gauge.id}`, { token })).body.items as { id: string }[])[0];
    for (let i = 0; i < 50 && !(await alarmOf()); i++) await new Promise((r) => setTimeout(r, 100));
    const alarm = await alarmOf();
    assert.ok(alarm, 'the rule opened an alarm');

    // The page's live connection goes through the test: it can be cut, and a new one held back until the test lets it through.
    const context = await signedInContext(browser, s.url, token, { viewport: { width: 1280, height: 800 } });
    const stream = await cuttableStream(context);
    try {
      const page = await context.newPage();
      await page.goto(`${s.url}/#/alarms/${encodeURIComponent(alarm.id)}`);
      const acked = page.getByTestId('alarm-acked');
      await acked.getByText('Belum ditangani').waitFor({ timeout: 10_000 });
      await stream.subscribed(2);
      await stream.cut();
      const ack = await s.api('POST', `/api/v1/alarms/${alarm.id}/ack`, { token });
      assert.equal(ack.status, 200, JSON.stringify(ack.body));
      await page.waitForTimeout(300);
      assert.equal(await acked.getByText('Belum ditangani').count(), 1, 'no live connection: the page cannot know yet');
      stream.reconnect();
      await stream.subscribed(4);
      await acked.getByText('✓', { exact: false }).waitFor({ timeout: 10_000 });
    } finally {
      await context.close();
    }
  });

  it('shows one alarm per hazard with its level as a coloured chip that rises live, and the level history in its detail', async () => {
    const levels = [
      { severity: 'waspada', condition: { op: 'gte', value: 3.5 } },
      { severity: 'siaga', condition: { op: 'gte', value: 4 } },
      { severity: 'awas', condition: { op: 'gte', value: 4.5 } },
    ];
    const { send } = await gaugeWithRule('PDA uji level', [103.0, -3.2], { name: 'Banjir uji e2e', levels });
    const page = await open({ viewport: { width: 1280, height: 900 } });
    await send(3.6);
    const item = page.locator('li.alarm', { hasText: 'Banjir uji e2e' });
    const chip = item.locator('[data-testid=level-chip]');
    await chip.getByText('Waspada').waitFor({ timeout: 10_000 });
    assert.equal(await chip.getAttribute('data-severity'), 'waspada');
    assert.notEqual(await chip.evaluate((el) => (globalThis as unknown as PageWindow).getComputedStyle(el).backgroundColor), await item.locator('..').evaluate((el) => (globalThis as unknown as PageWindow).getComputedStyle(el).backgroundColor), 'the chip has its own colour');
    await send(4.7);
    await chip.getByText('Awas').waitFor({ timeout: 10_000 });
    assert.equal(await chip.evaluate((el) => (globalThis as unknown as PageWindow).getComputedStyle(el).backgroundColor), 'rgb(215, 25, 28)', 'Awas is red, as on the map');
    assert.equal(await page.locator('li.alarm', { hasText: 'Banjir uji e2e' }).count(), 1, 'one alarm for the hazard');
    await item.getByRole('button', { name: /Banjir uji e2e/ }).click();
    const history = page.locator('.detail [data-testid=level-history]');
    await history.getByText('Riwayat level (1)').waitFor({ timeout: 10_000 });
    const line = history.locator('li', { hasText: 'nilai' });
    await line.getByText('Waspada').waitFor();
    await line.getByText('Awas').waitFor();
    assert.match((await line.textContent())!, /Waspada\s*→\s*Awas · nilai 4,7/);
    await screenshot(page, 'command-center-levels.png');
    await page.close();
  });

  it('creates a rule with levels in Pengelolaan → Aturan and edits it', async () => {
    const page = await open({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${s.url}/#/admin/rules`);
    await page.getByTestId('rule-new').click();
    const form = page.getByTestId('rule-editor');
    await form.locator('input[name=name]').fill('Banjir uji admin');
    await form.locator('select[name=type]').selectOption('river_gauge');
    await form.locator('select[name=key]').selectOption('waterLevel');
    await form.locator('input[name=threshold-0]').fill('3,5');
    await form.getByRole('button', { name: '+ Tambah level' }).click();
    await form.locator('input[name=threshold-1]').fill('4');
    await form.locator('input[name=clear-1]').fill('3,8');
    await form.getByRole('button', { name: '+ Tambah level' }).click();
    await form.locator('input[name=threshold-2]').fill('4,5');
    await form.getByRole('button', { name: 'Buat aturan' }).click();
    const row = page.locator('.rule-item', { hasText: 'Banjir uji admin' });
    await row.waitFor({ timeout: 10_000 });
    assert.match((await row.textContent())!, /Waspada\s*Tinggi muka air ≥ 3,5 m\s*Siaga\s*Tinggi muka air ≥ 4 m \(turun bila Tinggi muka air < 3,8 m\)\s*Awas\s*Tinggi muka air ≥ 4,5 m/);
    assert.doesNotMatch((await row.textContent())!, /waterLevel|device_type/, 'no internal keys on screen');
    const saved = ((await s.api('GET', '/api/v1/rules?limit=1000', { token })).body.items as { name: string; levels: unknown[] }[]).find((r) => r.name === 'Banjir uji admin')!;
    assert.deepEqual(saved.levels, [
      { severity: 'waspada', condition: { op: 'gte', value: 3.5 }, clearCondition: null },
      { severity: 'siaga', condition: { op: 'gte', value: 4 }, clearCondition: { op: 'lt', value: 3.8 } },
      { severity: 'awas', condition: { op: 'gte', value: 4.5 }, clearCondition: null },
    ]);
    await screenshot(page, 'admin-rules-levels.png');
    await row.getByRole('button', { name: 'Ubah' }).click();
    await form.locator('[data-level="2"]').getByRole('button', { name: 'Hapus level' }).click();
    await form.getByRole('button', { name: 'Simpan aturan' }).click();
    await page.locator('.rule-item', { hasText: 'Banjir uji admin' }).filter({ hasNotText: 'Awas' }).waitFor({ timeout: 10_000 });
    await page.close();
  });

  it('switches to English', async () => {
    const page = await open({ viewport: { width: 1280, height: 800 } });
    await page.selectOption('select[aria-label=Bahasa]', 'en');
    await page.getByText('Command center').first().waitFor();
    await page.getByText('Active alarms').first().waitFor();
    await page.selectOption('select[aria-label=Language]', 'id');
    await page.close();
  });

  it('names PM2.5 the same way everywhere on an Indonesian screen, its value with a decimal comma', async () => {
    const page = await open({ viewport: { width: 1280, height: 800 } });
    try {
      await page.getByText('PM2.5 tertinggi').waitFor();
      await page.fill('.search input[type=search]', 'Pemantau udara Megang Sakti');
      await page.locator('.search li button').first().click();
      const latest = page.getByTestId('latest');
      const pm = latest.locator('div', { has: page.locator('dd[data-key=pm25]') });
      await pm.waitFor();
      assert.equal((await pm.locator('dt').textContent())!.trim(), 'PM2.5', 'the pollutant\'s name, not a number in Indonesian format');
      assert.match((await pm.locator('dd').textContent())!.trim(), /^\d{1,3}(\.\d{3})*,\d µg\/m³/, 'its value with a decimal comma');
      assert.equal(await page.locator('.detail select[aria-label="Kunci data"] option[value=pm25]').textContent(), 'PM2.5');
      assert.ok(!(await page.locator('body').textContent())!.includes('PM2,5'), 'no PM2,5 anywhere on the screen');
    } finally {
      await page.close();
    }
  });

  it("bounds a street light's brightness chart by its profile's range (0–100 %), in both languages", async () => {
    for (const [lang, top] of [['id', '100 %'], ['en', '100 %']] as const) {
      const page = await open({ viewport: { width: 1280, height: 800 }, lang });
      try {
        await page.fill('.search input[type=search]', 'PJU Jalan Lintas Sumatera 1');
        await page.locator('.search li button').first().click();
        const chart = page.locator('.detail .chart');
        await page.locator('.detail select[aria-label]', { has: page.locator('option[value=dim]') }).selectOption('dim');
        // the demo's lights burn at 100 %: uPlot's own padding went to 200 %
        await page.waitForFunction(() => /%/.test((globalThis as unknown as { document: { querySelector(s: string): { dataset: { valueTicks?: string } } | null } }).document.querySelector('.detail .chart')?.dataset.valueTicks ?? ''), null, { timeout: 20_000 });
        const ticks = (await chart.getAttribute('data-value-ticks'))!.split(' | ');
        const values = ticks.map((t) => Number(t.replace(/\s?%$/, '').replace(',', '.')));
        assert.ok(Math.max(...values) <= 100 && Math.min(...values) >= 0, `the axis stays within 0–100 %: ${ticks.join(', ')}`);
        assert.equal(ticks.at(-1), top, `the axis reaches 100 %: ${ticks.join(', ')}`);
      } finally {
        await page.close();
      }
    }
  });

  it('registers a device, shows its token once, and issues a new one', async () => {
    const page = await open({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${s.url}/#/admin`);
    await page.fill('input[name=name]', 'Sensor uji e2e');
    await page.click('form.inline button[type=submit]');
    const firstToken = (await page.locator('[data-testid=token]').textContent({ timeout: 10_000 }))!.trim();
    assert.match(firstToken, /^[A-Za-z0-9_-]{20,}$/);
    const res = await fetch(`${s.url}/api/v1/${firstToken}/telemetry`, { method: 'POST', body: '{"v":1}' });
    assert.equal(res.status, 200, 'the token shown works');
    await screenshot(page, 'admin-devices.png');
    await page.locator('tr', { hasText: 'Sensor uji e2e' }).getByRole('button', { name: 'Buat token baru' }).click();
    await page.waitForFunction((old) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('[data-testid=token]')?.textContent?.trim() !== old, firstToken);
    const again = await fetch(`${s.url}/api/v1/${firstToken}/telemetry`, { method: 'POST', body: '{"v":2}' });
    assert.equal(again.status, 401, 'the old token stopped working');
    await page.close();
  });

  it('works on a phone-sized screen: the alarms first, then the map, then the rest of the side panel, nothing wider than the screen', async () => {
    const page = await open({ viewport: { width: 390, height: 844 }, isMobile: true });
    await page.getByText('Pusat Komando').first().waitFor();
    type Box = { top: number; bottom: number; left: number; right: number; height: number };
    type PhoneWindow = { innerWidth: number; innerHeight: number; document: { documentElement: { scrollWidth: number }; querySelector(s: string): { getBoundingClientRect(): Box } | null } };
    const layout = await page.evaluate(() => {
      const w = globalThis as unknown as PhoneWindow;
      const box = (selector: string) => w.document.querySelector(selector)?.getBoundingClientRect() ?? null;
      return { width: w.innerWidth, height: w.innerHeight, scrollWidth: w.document.documentElement.scrollWidth, map: box('.map-wrap'), alarms: box('section.alarms'), side: box('section.cc-incidents') };
    });
    assert.ok(layout.map && layout.alarms && layout.side, 'the map, the alarms and the side panel are there');
    assert.ok(layout.scrollWidth <= layout.width, `no sideways scrolling (${layout.scrollWidth} px wide on a ${layout.width} px screen)`);
    assert.ok(layout.alarms.bottom <= layout.map.top + 1, 'the alarms come first, above the map (issue 15)');
    assert.ok(layout.side.top >= layout.map.bottom - 1, 'the rest of the side panel is below the map, not beside it');
    assert.ok(layout.map.left >= 0 && layout.map.right <= layout.width && layout.side.right <= layout.width && layout.alarms.right <= layout.width, 'all fit the width');
    assert.ok(layout.map.height >= layout.height * 0.5, `the map takes at least half the screen (${layout.map.height} px)`);
    // Earlier tests added assets: every one with a location now, not the demo's count.
    const located = ((await s.api('GET', '/api/v1/assets?limit=1000', { token })).body.items as { location: unknown }[]).filter((a) => a.location).length;
    assert.equal(await page.evaluate(() => (globalThis as unknown as { cerdasMarkers: number }).cerdasMarkers), located, 'every asset is on the map');
    await screenshot(page, 'command-center-phone.png', { fullPage: true });
    await page.close();
  });
});

describe('an empty region in Chromium', { skip: NO_CHROMIUM }, () => {
  it('opens with the first-run guide', async () => {
    const [sqlite] = await dialects();
    const s = await startServer(sqlite!, {}, { ruleTickMs: null });
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(s.url);
      await page.fill('input[name=email]', ADMIN.email);
      await page.fill('input[name=password]', ADMIN.password);
      await page.click('button[type=submit]');
      await page.getByText('Selamat datang di Cerdas').waitFor({ timeout: 15_000 });
      await page.getByText('Daftarkan perangkat dan salin token aksesnya ke firmware.').waitFor();
      const wrong = await browser.newPage();
      await wrong.goto(s.url);
      await wrong.fill('input[name=email]', ADMIN.email);
      await wrong.fill('input[name=password]', 'not-the-password');
      await wrong.click('button[type=submit]');
      await wrong.getByRole('alert').getByText('Email atau kata sandi salah').waitFor();
    } finally {
      await browser.close();
      await s.close();
    }
  });
});
