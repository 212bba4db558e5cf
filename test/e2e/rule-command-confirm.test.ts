/**
 * A rule on BPBD's polder gauge proposes starting PUPR's pump 2 at Awas, behind a
 * confirmation. PUPR's operator cannot see BPBD's alarm, yet the command is theirs
 * to decide: the command center shows it under "Perintah menunggu konfirmasi", and
 * confirming there sends it, with who confirmed kept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { DevicesService } from '../../src/modules/devices/index.ts';
import type { CommandRequester, CommandSender, DeviceCommand } from '../../src/modules/rules/index.ts';
import { dialects, startServer, type TestServer } from '../helpers.ts';
import { launch, NO_CHROMIUM, signIn } from './browser.ts';

const PASSWORD = 'Rahasia-Operator-2026';
const START: DeviceCommand = { method: 'setPump', label: { id: 'Nyalakan pompa', en: 'Start the pump' }, params: { on: true } };

/** Knows the pump's one command and keeps what it was asked to send (the device API is tested elsewhere). */
class RecordingSender implements CommandSender {
  readonly sent: { deviceId: string; method: string; requestedBy: CommandRequester }[] = [];
  devices: DevicesService | null = null;
  async commandOf(regionId: string, deviceId: string, method: string) {
    const [device] = await this.devices!.refs(regionId, [deviceId]);
    return device && device.type === 'pump' && method === START.method ? { deviceName: device.id, opdId: device.opdId, command: START } : null;
  }
  async send(_regionId: string, deviceId: string, command: { method: string; params: unknown }, requestedBy: CommandRequester) {
    this.sent.push({ deviceId, method: command.method, requestedBy });
  }
}

describe('a rule command on another OPD’s alarm, confirmed in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let admin: string;
  let pumpId: string;
  const sender = new RecordingSender();

  before(async () => {
    const [sqlite] = await dialects();
    s = await startServer(sqlite!, { loginRateLimit: 100 }, { ruleTickMs: null, commandSender: sender });
    sender.devices = s.app.services.devices;
    admin = await s.login();
    const call = async (method: string, path: string, body: unknown) => {
      const res = await s.api(method, path, { token: admin, body });
      assert.ok(res.status < 300, `${path}: ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const bpbd = await call('POST', '/api/v1/opds', { code: 'BPBD', name: 'Badan Penanggulangan Bencana Daerah' });
    const pupr = await call('POST', '/api/v1/opds', { code: 'PUPR', name: 'Dinas PUPR' });
    await call('POST', '/api/v1/users', { email: 'operator@pupr.id', name: 'Sari PUPR', password: PASSWORD, role: 'operator', opdId: pupr.id });
    const gauge = await call('POST', '/api/v1/devices', { name: 'PDA Polder Tugumulyo', type: 'river_gauge', opdId: bpbd.id });
    pumpId = (await call('POST', '/api/v1/devices', { name: 'Pompa 2 Tugumulyo', type: 'pump', opdId: pupr.id })).id;
    await call('POST', '/api/v1/rules', {
      name: 'Banjir polder Tugumulyo',
      target: { kind: 'device', value: gauge.id },
      key: 'waterLevel',
      levels: [{ severity: 'awas', condition: { op: 'gte', value: 4.5 } }],
      actions: [{ type: 'command', minSeverity: 'awas', deviceId: pumpId, method: 'setPump', confirm: true }],
    });
    assert.equal((await s.api('POST', `/api/v1/${gauge.accessToken}/telemetry`, { body: { ts: Date.now(), values: { waterLevel: 4.7 } } })).status, 200);
    await s.app.services.engine.idle();
    await s.app.services.commandAction.settle();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  it('shows PUPR’s operator the proposal though the alarm is BPBD’s, and confirming sends it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, s.url, 'operator@pupr.id', PASSWORD);
    const waiting = page.locator('[data-testid=commands-waiting]');
    await waiting.waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('[data-testid=alarm-count]').textContent(), '0', 'BPBD’s alarm is not on this operator’s list');
    const text = (await waiting.textContent()) ?? '';
    assert.match(text, /Perintah menunggu konfirmasi/);
    assert.match(text, /Banjir polder Tugumulyo/);
    assert.match(text, /Nyalakan pompa — Pompa 2 Tugumulyo/);
    assert.equal(sender.sent.length, 0, 'nothing sent before someone confirms');
    await waiting.getByRole('button', { name: 'Konfirmasi' }).click();
    for (let i = 0; i < 100 && sender.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(sender.sent.map((c) => [c.deviceId, c.method]), [[pumpId, 'setPump']]);
    const [command] = (await s.api('GET', '/api/v1/rule-commands', { token: admin })).body.items;
    assert.equal(command.state, 'sent');
    assert.equal(command.decidedBy.name, 'Sari PUPR');
    await page.close();
  });
});
