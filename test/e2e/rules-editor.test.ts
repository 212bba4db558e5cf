/**
 * The rules editor in Chromium, as an operator at a desk (1920 px) and on a
 * phone (390 px): a rule made by choosing a device type and its reading by
 * name and unit, conditions in words, thresholds typed as 3,5, levels, a clear
 * condition, an incident and a confirmed pump command; previewed over the last
 * 7 days of a known series; edited (a typing mistake and a clear condition on
 * the wrong side are refused in Indonesian), turned off and deleted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { dialects, startServer, type TestServer } from '../helpers.ts';
import { launch, NO_CHROMIUM, openSignedIn, screenshot, signIn } from './browser.ts';

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);

const HOUR = 3_600_000;

describe('the rules editor in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let admin = '';
  before(async () => {
    const [sqlite] = await dialects();
    s = await startServer(sqlite!, { loginRateLimit: 100 }, { ruleTickMs: null });
    admin = await s.login();
    const ok = async (path: string, body: unknown) => {
      const res = await s.api('POST', `/api/v1${path}`, { token: admin, body });
      assert.ok(res.status < 300, `${path}: ${JSON.stringify(res.body)}`);
      return res.body;
    };
    await ok('/device-profiles', {
      type: 'river_gauge',
      name: { id: 'Pos duga air', en: 'River gauge' },
      keys: [
        { key: 'waterLevel', label: { id: 'Tinggi muka air', en: 'Water level' }, unit: 'm', decimals: 2, min: 0, max: 8 },
        { key: 'battery', label: { id: 'Baterai', en: 'Battery' }, unit: '%', decimals: 0, min: 0, max: 100 },
      ],
    });
    await ok('/device-profiles', { type: 'pump', name: { id: 'Pompa banjir', en: 'Flood pump' }, keys: [], commands: [{ method: 'setPower', label: { id: 'Nyalakan pompa', en: 'Start the pump' }, params: { on: true }, oneway: false }] });
    await ok('/opds', { code: 'BPBD', name: 'BPBD Musi Rawas' });
    const gauge = await ok('/devices', { name: 'PDA Kelingi', type: 'river_gauge' });
    await ok('/devices', { name: 'Pompa Kelingi 2', type: 'pump' });
    // Three days at 3 m an hour apart, and one flood yesterday: 3,6 m (Waspada) up to 4,2 m (Siaga), then back to 3 m.
    const now = Date.now();
    const points = [];
    const flood = now - 24 * HOUR + 10 * 60_000;
    for (let t = now - 3 * 24 * HOUR; t < now - HOUR; t += HOUR) {
      // No hourly reading inside the flood: it would end it and start another.
      if (t < flood - 60_000 || t > flood + 40 * 60_000) points.push({ ts: Math.round(t), values: { waterLevel: 3 } });
    }
    [3.6, 4.1, 4.2, 3.6].forEach((v, i) => points.push({ ts: Math.round(flood + i * 10 * 60_000), values: { waterLevel: v } }));
    points.sort((a, b) => a.ts - b.ts);
    const sent = await s.api('POST', `/api/v1/${gauge.accessToken}/telemetry`, { body: points });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  const open = async (width: number, height: number) => {
    const page = await openSignedIn(browser, s.url, admin, { viewport: { width, height }, hash: '#/admin/rules' });
    await page.getByRole('heading', { name: 'Aturan alarm' }).waitFor();
    return { page, close: () => page.close() };
  };
  const rules = async () => (await s.api('GET', '/api/v1/rules', { token: admin })).body.items as any[];
  const noSideScroll = async (page: Page) => {
    const widths = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return [d.scrollWidth, d.clientWidth];
    });
    assert.ok(widths[0]! <= widths[1]! + 1, `the page scrolls sideways: ${widths[0]} > ${widths[1]}`);
  };

  /** Fills a new river rule: Waspada at least 3,5 m (falls below 3,3 m), Siaga at least 4 m. */
  const fillRiverRule = async (page: Page, name: string) => {
    await page.getByTestId('rule-new').click();
    const editor = page.getByTestId('rule-editor');
    await editor.locator('input[name=name]').fill(name);
    await editor.locator('select[name=type]').selectOption({ label: 'Pos duga air' });
    const keyOptions = await editor.locator('select[name=key] option').allTextContents();
    assert.deepEqual(keyOptions, ['Tinggi muka air (m)', 'Baterai (%)'], 'readings by name and unit, not by key');
    await editor.locator('select[name=key]').selectOption({ label: 'Tinggi muka air (m)' });
    const ops = await editor.locator('select[name=op-0] option').allTextContents();
    assert.ok(ops.includes('paling sedikit') && ops.includes('naik lebih cepat dari') && ops.includes('lebih dari'), ops.join(', '));
    await editor.locator('select[name=severity-0]').selectOption({ label: 'Waspada' });
    await editor.locator('select[name=op-0]').selectOption({ label: 'paling sedikit' });
    await editor.locator('input[name=threshold-0]').fill('3,5');
    await editor.locator('input[name=clear-0]').fill('3,3');
    await editor.locator('[data-level="0"]').getByText('m', { exact: true }).first().waitFor();
    await editor.getByRole('button', { name: '+ Tambah level' }).click();
    assert.equal(await editor.locator('select[name=severity-1]').inputValue(), 'siaga');
    await editor.locator('input[name=threshold-1]').fill('4');
    return editor;
  };

  it('makes a rule at 1920 px with levels, an incident and a confirmed command, previews it and edits it', async () => {
    const { page, close } = await open(1920, 1080);
    const editor = await fillRiverRule(page, 'Banjir Sungai Kelingi');
    await editor.getByRole('button', { name: '+ Buat kejadian' }).click();
    await editor.locator('select[name=incident-opd-0]').selectOption({ label: 'BPBD Musi Rawas' });
    await editor.locator('select[name=incident-level-0]').selectOption({ label: 'Siaga' });
    await editor.getByRole('button', { name: '+ Kirim perintah ke perangkat' }).click();
    await editor.locator('select[name=command-device-1]').selectOption({ label: 'Pompa Kelingi 2' });
    await editor.locator('select[name=command-method-1]').selectOption({ label: 'Nyalakan pompa' });
    assert.equal(await editor.locator('input[name=command-confirm-1]').isChecked(), true, 'a rule proposes a command unless told otherwise');
    await editor.getByText('kebijakan eskalasi OPD').waitFor();

    await editor.getByRole('button', { name: 'Pratinjau 7 hari terakhir' }).click();
    const result = editor.getByTestId('preview-result');
    await result.getByText('Selama 7 hari terakhir aturan ini akan berbunyi 1 kali.').waitFor();
    const firing = result.getByTestId('preview-firing');
    assert.equal(await firing.count(), 1);
    const row = (await firing.first().textContent())!;
    assert.match(row, /PDA Kelingi/);
    assert.match(row, /Waspada naik ke Siaga/);
    assert.match(row, /3,60 m/, 'the reading in Indonesian format with its unit');
    await screenshot(page, 'rules-editor.png', { fullPage: true });

    await editor.getByRole('button', { name: 'Buat aturan' }).click();
    await page.getByText('Aturan tersimpan.').waitFor();
    const item = page.locator('.rule-item', { hasText: 'Banjir Sungai Kelingi' });
    await item.getByText('Tinggi muka air ≥ 3,5 m').waitFor();
    await item.getByText('Kejadian untuk BPBD Musi Rawas (mulai Siaga)').waitFor();
    const [saved] = (await rules()).filter((r) => r.name === 'Banjir Sungai Kelingi');
    assert.deepEqual(saved.levels[0], { severity: 'waspada', condition: { op: 'gte', value: 3.5 }, clearCondition: { op: 'lt', value: 3.3 } });
    assert.deepEqual(saved.target, { kind: 'device_type', value: 'river_gauge' });
    assert.equal(saved.actions[1].confirm, true);
    assert.equal(saved.actions[1].method, 'setPower');

    // Edit: a word where a number goes is caught here; a clear condition above the threshold by the server, in Indonesian.
    await item.getByRole('button', { name: 'Ubah' }).click();
    const edit = page.getByTestId('rule-editor');
    assert.equal(await edit.locator('input[name=threshold-0]').inputValue(), '3,5', 'thresholds shown as typed in Indonesian');
    await edit.getByText('Mengubah ambang, level, durasi atau tindakan tidak menutup alarm').waitFor();
    await edit.locator('input[name=threshold-0]').fill('tiga koma tujuh');
    await edit.getByRole('button', { name: 'Simpan aturan' }).click();
    await edit.getByTestId('rule-error').getByText('Tulis angka, mis. 3,5').waitFor();
    await edit.locator('input[name=threshold-0]').fill('3,7');
    await edit.locator('input[name=clear-0]').fill('3,9');
    await edit.getByRole('button', { name: 'Simpan aturan' }).click();
    await edit.getByTestId('rule-error').getByText(/ambang turun \(3,9\) harus di bawah ambang \(3,7\)/).waitFor();
    await edit.locator('input[name=clear-0]').fill('3,4');
    await edit.getByRole('button', { name: 'Simpan aturan' }).click();
    await page.getByText('Aturan tersimpan.').waitFor();
    await item.getByText('Tinggi muka air ≥ 3,7 m').waitFor();

    page.once('dialog', (d) => void d.accept());
    await item.getByRole('button', { name: 'Nonaktifkan' }).click();
    await item.getByTestId('rule-status').getByText('Nonaktif').waitFor();
    assert.equal((await rules()).find((r) => r.name === 'Banjir Sungai Kelingi').enabled, false);
    await close();
  });

  it('makes, previews and deletes a rule on a 390 px phone without sideways scrolling', async () => {
    const { page, close } = await open(390, 844);
    const editor = await fillRiverRule(page, 'Banjir Kelingi (HP)');
    await noSideScroll(page);
    await editor.getByRole('button', { name: 'Pratinjau 7 hari terakhir' }).click();
    await editor.getByTestId('preview-result').getByText('akan berbunyi 1 kali', { exact: false }).waitFor();
    await noSideScroll(page);
    await screenshot(page, 'rules-editor-phone.png', { fullPage: true });
    await editor.getByRole('button', { name: 'Buat aturan' }).click();
    const item = page.locator('.rule-item', { hasText: 'Banjir Kelingi (HP)' });
    await item.getByText('Tinggi muka air ≥ 3,5 m').waitFor();
    await noSideScroll(page);

    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await item.getByRole('button', { name: 'Hapus' }).click();
    await item.waitFor({ state: 'detached' });
    assert.match(asked, /Hapus aturan “Banjir Kelingi \(HP\)”\?/);
    assert.equal((await rules()).some((r) => r.name === 'Banjir Kelingi (HP)'), false);

    // In English: the same screen in English words and numbers.
    await page.locator('.topbar .lang select').selectOption('en');
    await page.getByRole('heading', { name: 'Alarm rules' }).waitFor();
    await page.locator('.rule-item', { hasText: 'Banjir Sungai Kelingi' }).getByText('Water level ≥ 3.7 m').waitFor();
    await page.getByTestId('rule-new').click();
    const english = page.getByTestId('rule-editor');
    await english.locator('select[name=key] option').first().waitFor({ state: 'attached' });
    assert.equal(await english.locator('select[name=type]').inputValue(), 'river_gauge', 'a new rule starts on a type that sends readings');
    assert.deepEqual(await english.locator('select[name=key] option').allTextContents(), ['Water level (m)', 'Battery (%)']);
    assert.ok((await english.locator('select[name=op-0] option').allTextContents()).includes('at least'));
    await noSideScroll(page);
    await close();
  });

  it('shows a viewer the rules in words and no action they cannot take', async () => {
    const made = await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'bupati@musirawas.go.id', name: 'Bupati', password: 'Rahasia-Bupati-2026', role: 'viewer' } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await signIn(page, s.url, 'bupati@musirawas.go.id', 'Rahasia-Bupati-2026');
    await page.goto(`${s.url}/#/admin/rules`);
    await page.getByText('Anda hanya dapat melihat aturan.').waitFor();
    await page.locator('.rule-item', { hasText: 'Banjir Sungai Kelingi' }).getByText('Tinggi muka air ≥ 3,7 m').waitFor();
    for (const name of ['+ Aturan baru', 'Ubah', 'Hapus', 'Aktifkan', 'Nonaktifkan']) assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, name);
    await context.close();
  });
});
