import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import type { Browser } from 'playwright-core';
import { ADMIN, dialects, startServer, type TestServer } from '../helpers.ts';
import { launch, NO_CHROMIUM, screenshot, signIn } from './browser.ts';

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);

/**
 * Pengelolaan → Perangkat as an admin uses it for a gateway: register it with
 * the gateway box ticked, let it bring in a meter over MQTT, and see the meter
 * listed behind its gateway, with no token to issue.
 */
describe('gateways on the devices screen in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  before(async () => {
    const [sqlite] = await dialects();
    s = await startServer(sqlite!, { loginRateLimit: 100 });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  it('registers a gateway and lists the meter it brings in behind it', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(page, s.url, ADMIN.email, ADMIN.password);
    await page.goto(`${s.url}/#/admin`);
    const form = page.locator('form.inline').first();
    await form.locator('input[name=name]').fill('Gateway IPA Tugumulyo');
    await form.locator('input[name=isGateway]').check();
    await form.locator('button[type=submit]').click();
    const token = (await page.locator('[data-testid=token]').textContent())!.trim();
    const gatewayRow = page.locator('tr', { hasText: 'Gateway IPA Tugumulyo' });
    await gatewayRow.locator('.badge', { hasText: 'gateway' }).waitFor();

    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${s.mqttPort}`, { username: token, reconnectPeriod: 0, protocolVersion: 4 });
    try {
      await client.publishAsync('v1/gateway/connect', JSON.stringify({ device: 'Meter air 1', type: 'modbus_meter' }), { qos: 1 });
      await client.publishAsync('v1/gateway/telemetry', JSON.stringify({ 'Meter air 1': [{ flow: 12.5 }] }), { qos: 1 });
    } finally {
      await client.endAsync();
    }
    await page.reload();
    const meterRow = page.locator('tr', { hasText: 'Meter air 1' });
    await meterRow.waitFor();
    assert.match((await meterRow.textContent()) ?? '', /di balik gateway Gateway IPA Tugumulyo/);
    assert.match((await meterRow.textContent()) ?? '', /modbus_meter/);
    assert.match((await meterRow.textContent()) ?? '', /Daring|Online/i);
    assert.equal(await meterRow.getByRole('button', { name: /Buat token baru|New token/i }).count(), 0, 'no token for a device behind a gateway');
    await screenshot(page, 'admin-devices-gateway.png');
  });
});
