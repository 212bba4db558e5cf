/**
 * Device profiles and the device import in Chromium: an admin makes a profile
 * with a labelled key and a command, issues provisioning credentials (shown
 * once) that a device then provisions itself with, and imports devices from a
 * CSV, getting their tokens as a downloaded file that works.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { ADMIN, dialects, startServer, tempDir, type TestServer } from '../helpers.ts';
import { launch, NO_CHROMIUM, signIn, screenshot } from './browser.ts';

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);

describe('device profiles and import in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let admin = '';
  before(async () => {
    const [sqlite] = await dialects();
    s = await startServer(sqlite!, {}, { ruleTickMs: null });
    admin = await s.login();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  it('edits a profile, issues provisioning credentials once, and a device provisions with them', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    await signIn(page, s.url, ADMIN.email, ADMIN.password);
    await page.goto(`${s.url}/#/admin/profiles`);
    await page.getByRole('button', { name: 'Profil baru' }).click();
    const editor = page.locator('[data-testid=profile-editor]');
    await editor.locator('input[name=type]').fill('street_light');
    await editor.locator('input[name=nameId]').fill('Lampu jalan');
    await editor.locator('input[name=nameEn]').fill('Street light');
    await editor.locator('input[name=offline]').fill('600');
    await editor.getByRole('button', { name: 'Tambah data' }).click();
    await editor.locator('input[name=key-0]').fill('powerW');
    await editor.locator('input[name=labelId-0]').fill('Daya');
    await editor.locator('input[name=labelEn-0]').fill('Power');
    await editor.locator('input[name=unit-0]').fill('W');
    await editor.locator('input[name=min-0]').fill('0');
    await editor.locator('input[name=max-0]').fill('250');
    await editor.getByRole('button', { name: 'Tambah perintah' }).click();
    await editor.locator('input[name=method-0]').fill('setPower');
    await editor.locator('input[name=cmdLabelId-0]').fill('Nyalakan');
    await editor.locator('input[name=cmdLabelEn-0]').fill('Switch on');
    await editor.locator('input[name=params-0]').fill('{"on":true}');
    await editor.getByTestId('profile-save').click();
    await editor.getByText('Profil tersimpan.').waitFor();
    await page.locator('tr[data-profile=street_light]', { hasText: 'Daya (W)' }).waitFor();

    const [profile] = (await s.api('GET', '/api/v1/device-profiles', { token: admin })).body;
    assert.deepEqual(profile.keys, [{ key: 'powerW', label: { id: 'Daya', en: 'Power' }, unit: 'W', decimals: 0, min: 0, max: 250 }]);
    assert.deepEqual(profile.commands, [{ method: 'setPower', label: { id: 'Nyalakan', en: 'Switch on' }, params: { on: true }, oneway: false }]);
    assert.equal(profile.offlineTimeoutSeconds, 600);

    page.once('dialog', (d) => void d.accept());
    await editor.getByTestId('profile-issue').click();
    const box = page.getByRole('dialog', { name: 'Kunci provisioning' });
    await box.getByText('Simpan rahasia sekarang, tidak akan ditampilkan lagi.').waitFor();
    const key = (await box.getByTestId('provision-key').textContent())!.trim();
    const secret = (await box.getByTestId('provision-secret-value').textContent())!.trim();
    await screenshot(page, 'profiles-editor');
    const provisioned = await s.api('POST', '/api/v1/provision', { body: { deviceName: 'PJU Simpang', provisionDeviceKey: key, provisionDeviceSecret: secret } });
    assert.equal(provisioned.body.status, 'SUCCESS');
    await box.getByRole('button', { name: 'Sudah saya simpan' }).click();
    await context.close();
  });

  it('checks a device CSV, shows a bad line, then imports and downloads the tokens file', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, s.url, ADMIN.email, ADMIN.password);
    await page.goto(`${s.url}/#/admin`);
    const dir = tempDir();
    const bad = path.join(dir, 'buruk.csv');
    fs.writeFileSync(bad, 'name,type\nPJU 1,street_light\n,street_light\n');
    await page.setInputFiles('input[name=devices-csv]', bad);
    await page.getByTestId('import-check').click();
    // The screen is in Bahasa Indonesia, and so are the problems of each line.
    await page.locator('[data-testid=import-preview] tr[data-line="3"]', { hasText: 'nama kosong' }).waitFor();
    assert.equal(await page.getByTestId('import-run').isDisabled(), true, 'a file with a bad line cannot be imported');
    const headless = path.join(dir, 'tanpa-kolom.csv');
    fs.writeFileSync(headless, 'type,label\npump,x\n');
    await page.setInputFiles('input[name=devices-csv]', headless);
    await page.getByTestId('import-check').click();
    await page.getByRole('alert').filter({ hasText: 'Berkas ini bukan CSV perangkat' }).waitFor();

    const good = path.join(dir, 'perangkat.csv');
    fs.writeFileSync(good, 'name,type,label\nPJU 1,street_light,pju-1\nPJU 2,street_light,pju-2\n');
    await page.setInputFiles('input[name=devices-csv]', good);
    await page.getByTestId('import-check').click();
    await page.getByText('2 perangkat siap diimpor, 0 baris bermasalah.').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-run').click()]);
    assert.match(download.suggestedFilename(), /^device-tokens-.*\.csv$/);
    const file = path.join(dir, 'tokens.csv');
    await download.saveAs(file);
    await page.getByTestId('import-done').waitFor();
    const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n');
    assert.equal(lines.length, 3);
    const token = lines[1]!.split(',').at(-1)!;
    assert.equal((await s.api('POST', `/api/v1/${token}/telemetry`, { body: { powerW: 300 } })).status, 200, 'the downloaded token works');
    await context.close();
  });
});
