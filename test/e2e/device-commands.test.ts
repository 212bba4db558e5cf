/**
 * The command panel in Chromium: an operator of the street light's OPD presses
 * *Nyalakan*; a simulated device (mqtt.js) answers; the panel shows it answered
 * and the history row with who pressed it. A viewer sees no buttons.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { dialects, startServer, type TestServer } from '../helpers.ts';
import { cuttableStream, launch, NO_CHROMIUM, signIn } from './browser.ts';

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);

const PASSWORD = 'password-123456';

describe('command panel in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let device: mqtt.MqttClient;
  const answered: { method: string; params: unknown }[] = [];
  let adminToken: string;
  let lightId: string;

  before(async () => {
    const [sqlite] = await dialects();
    s = await startServer(sqlite!, { loginRateLimit: 100 }, { ruleTickMs: null });
    const admin = await s.login();
    adminToken = admin;
    const call = async (method: string, path: string, body: unknown) => {
      const res = await s.api(method, path, { token: admin, body });
      assert.ok(res.status < 300, `${path}: ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const opd = await call('POST', '/api/v1/opds', { code: 'dishub', name: 'Dinas Perhubungan' });
    await call('POST', '/api/v1/users', { email: 'operator@dishub.id', name: 'Rina Operator', password: PASSWORD, role: 'operator', opdId: opd.id });
    await call('POST', '/api/v1/users', { email: 'bupati@musirawas.go.id', name: 'Bupati', password: PASSWORD, role: 'viewer' });
    await call('POST', '/api/v1/device-profiles', {
      type: 'street_light',
      name: { id: 'Lampu jalan (PJU)', en: 'Street light' },
      keys: [
        { key: 'powerW', label: { id: 'Daya', en: 'Power' }, unit: 'W', decimals: 0, min: 0, max: 250 },
        { key: 'on', label: { id: 'Menyala', en: 'Switched on' }, unit: null, decimals: 0, min: null, max: null },
      ],
      // as the demo's street lights: both buttons are one method, told apart by their params
      commands: [
        { method: 'setPower', label: { id: 'Nyalakan', en: 'Switch on' }, params: { on: true }, oneway: false },
        { method: 'setPower', label: { id: 'Matikan', en: 'Switch off' }, params: { on: false }, oneway: false },
        { method: 'setDim', label: { id: 'Redup', en: 'Dimming' }, input: { min: 0, max: 100, step: 5, unit: '%' }, oneway: false },
      ],
    });
    const asset = await call('POST', '/api/v1/assets', { type: 'street_light', name: 'PJU Jalan Lintas Sumatra 7', opdId: opd.id, geometry: { type: 'Point', coordinates: [102.86, -3.29] } });
    const light = await call('POST', '/api/v1/devices', { name: 'PJU-LS-07', type: 'street_light', assetId: asset.id });
    lightId = light.id;

    // The street light's controller: answers every command it is sent.
    device = mqtt.connect(`mqtt://127.0.0.1:${s.mqttPort}`, { username: light.accessToken, protocolVersion: 4, reconnectPeriod: 0 });
    await new Promise<void>((resolve, reject) => {
      device.once('connect', () => resolve());
      device.once('error', reject);
    });
    device.on('message', (topic, payload) => {
      const id = topic.split('/').pop();
      const request = JSON.parse(payload.toString()) as { method: string; params: unknown };
      answered.push(request);
      const on = request.method === 'setPower' ? (request.params as { on: boolean }).on : true;
      device.publish(`v1/devices/me/rpc/response/${id}`, JSON.stringify({ ok: true, on }), { qos: 1 });
    });
    await device.subscribeAsync('v1/devices/me/rpc/request/+', { qos: 1 });
    await device.publishAsync('v1/devices/me/telemetry', JSON.stringify({ powerW: 120 }), { qos: 1 });
    browser = await launch();
  });
  after(async () => {
    device?.end(true);
    await browser?.close();
    await s?.close();
  });

  const openLight = async (page: Page, email: string) => {
    await signIn(page, s.url, email, PASSWORD);
    await page.waitForFunction(() => (globalThis as unknown as { cerdasReady?: boolean }).cerdasReady === true, null, { timeout: 15_000 });
    await page.fill('input[type=search]', 'PJU Jalan');
    await page.getByRole('button', { name: 'PJU Jalan Lintas Sumatra 7' }).click();
    await page.locator('[data-testid=commands]').waitFor();
  };

  it('an operator presses Nyalakan: the device answers, the panel shows it and the history row', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openLight(page, 'operator@dishub.id');
    await page.locator('[data-testid=latest] [data-key=powerW]').waitFor();
    assert.equal(await page.textContent('[data-testid=latest] dt'), 'Daya', 'the key by its profile’s label');
    assert.match((await page.textContent('[data-testid=latest] [data-key=powerW]')) ?? '', /^120 W/, 'the value with the profile’s unit');
    assert.match((await page.textContent('.detail')) ?? '', /Lampu jalan \(PJU\)/, 'the type by its profile’s name');
    await page.getByRole('button', { name: 'Nyalakan' }).click();
    await page.locator('[data-testid=command-status][data-state=successful]').waitFor({ timeout: 10_000 });
    assert.match((await page.textContent('[data-testid=command-status]')) ?? '', /Dijawab/);
    assert.deepEqual(answered.at(-1), { method: 'setPower', params: { on: true } });
    const row = page.locator('[data-testid=command-history] tbody tr').first();
    await row.locator('text=Rina Operator').waitFor({ timeout: 10_000 });
    assert.match((await row.textContent()) ?? '', /Rina Operator.*Nyalakan.*Dijawab/);

    // Matikan is the same method with other params: shown and kept as Matikan, the answer in words
    await page.getByRole('button', { name: 'Matikan' }).click();
    await page.locator('[data-testid=command-history] tbody tr', { hasText: 'Matikan' }).waitFor({ timeout: 10_000 });
    assert.deepEqual(answered.at(-1), { method: 'setPower', params: { on: false } });
    await page.locator('[data-testid=command-status][data-state=successful]').waitFor({ timeout: 10_000 });
    const status = (await page.textContent('[data-testid=command-status]')) ?? '';
    assert.match(status, /Matikan/);
    assert.doesNotMatch(status, /Nyalakan|\{/, 'no other button’s name, no JSON');
    assert.match(status, /Jawaban: Menyala: tidak/);
    assert.match((await page.locator('[data-testid=command-history] tbody tr').nth(1).textContent()) ?? '', /Nyalakan/, 'the earlier press keeps its name');

    await page.fill('input[name=level-setDim]', '150');
    assert.ok(await page.locator('button[data-method=setDim]').isDisabled(), 'a level out of 0–100 % cannot be sent');
    await page.fill('input[name=level-setDim]', '40');
    await page.click('button[data-method=setDim]');
    await page.locator('[data-testid=command-history] tbody tr', { hasText: '40 %' }).waitFor({ timeout: 10_000 });
    assert.deepEqual(answered.at(-1), { method: 'setDim', params: 40 });
    await page.close();
  });

  it('a viewer sees the history but no buttons', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openLight(page, 'bupati@musirawas.go.id');
    await page.locator('[data-testid=no-commands]').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Nyalakan' }).count(), 0);
    await page.locator('[data-testid=command-history]').waitFor();
    await page.close();
  });
  it('shows in the history a command sent while the panel’s live connection was down, once it is back', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const stream = await cuttableStream(context);
    try {
      const page = await context.newPage();
      await openLight(page, 'operator@dishub.id');
      await page.locator('[data-testid=command-history]').waitFor();
      await stream.subscribed(5);
      await stream.cut();
      const sent = await s.api('POST', `/api/v1/devices/${lightId}/rpc`, { token: adminToken, body: { method: 'setDim', params: 35, timeout: 10_000 } });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const row = page.locator('[data-testid=command-history] tbody tr', { hasText: '35 %' });
      await page.waitForTimeout(300);
      assert.equal(await row.count(), 0, 'no live connection: the panel cannot know yet');
      stream.reconnect();
      await stream.subscribed(10);
      await row.waitFor({ timeout: 10_000 });
      assert.match((await row.textContent()) ?? '', /Redup.*35 %.*Dijawab/);
    } finally {
      await context.close();
    }
  });
});
