/**
 * Alerts that reach people, in Chromium: an admin sets up email against a real
 * SMTP server and sees a test message sent; a template with an unknown
 * placeholder is refused beside its field; an operator adds and verifies an
 * email contact with the code that reached it; a levelled alarm opens, its page
 * shows the level and the message sent, and acknowledging there stops the
 * escalation. The server runs its escalation and sender every second.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startFakeSmtp, type FakeSmtp } from '../fakes/index.ts';
import { ADMIN, dialects, startServer, type TestServer } from '../helpers.ts';
import { launch, NO_CHROMIUM, signIn } from './browser.ts';

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);

const ANDI = { email: 'andi@musirawas.go.id', password: 'Piket-Rahasia-2026' };

describe('notification screens in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let smtp: FakeSmtp;
  let browser: Browser;
  let admin = '';
  let deviceToken = '';

  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await s.api(method, `/api/v1${path}`, { token: admin, ...(body !== undefined && { body }) });
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  before(async () => {
    smtp = await startFakeSmtp();
    const [sqlite] = await dialects();
    s = await startServer(sqlite!, { loginRateLimit: 100 }, { ruleTickMs: null, notificationPollMs: 1000 });
    admin = await s.login();
    const opd = await ok('POST', '/opds', { code: 'BPBD', name: 'Badan Penanggulangan Bencana Daerah' });
    const andi = await ok('POST', '/users', { ...ANDI, name: 'Andi Piket', role: 'operator', opdId: opd.id, position: 'staf' });
    // Andi is told first and again after 15 minutes, whatever the hour: no roster needed.
    // Budi, told with him, has no verified contact: his line says so in the screen's language.
    const budi = await ok('POST', '/users', { email: 'budi@bpbd.musirawas.go.id', password: 'Rahasia-Budi-2026', name: 'Budi Tanpa Kontak', role: 'operator', opdId: opd.id, position: 'staf' });
    const andiFirst = { targets: [{ kind: 'user', userId: andi.id }, { kind: 'user', userId: budi.id }] };
    await ok('PUT', `/opds/${opd.id}/escalation-policies/any`, { levels: [{ afterMinutes: 0, ...andiFirst }, { afterMinutes: 15, ...andiFirst }] });
    const asset = await ok('POST', '/assets', { type: 'river_gauge', name: 'Pos PDA Kelingi', opdId: opd.id, geometry: { type: 'Point', coordinates: [102.95, -3.05] } });
    const device = await ok('POST', '/devices', { name: 'PDA Sungai Kelingi', type: 'river_gauge', assetId: asset.id });
    deviceToken = device.accessToken;
    await ok('POST', '/rules', {
      name: 'Banjir Sungai Kelingi',
      opdId: opd.id,
      target: { kind: 'device', value: device.id },
      key: 'waterLevel',
      levels: [
        { severity: 'waspada', condition: { op: 'gte', value: 3.5 }, clearCondition: { op: 'lt', value: 3.3 } },
        { severity: 'siaga', condition: { op: 'gte', value: 4 }, clearCondition: { op: 'lt', value: 3.8 } },
      ],
    });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
    await smtp?.close();
  });

  const newPage = (): Promise<Page> => browser.newPage({ viewport: { width: 1400, height: 900 } });

  it('sets up the email channel and sees its test message sent', async () => {
    const page = await newPage();
    await signIn(page, s.url, ADMIN.email, ADMIN.password);
    await page.goto(`${s.url}/#/admin/notifications`);
    const form = page.locator('[data-channel=email]');
    await form.locator('input[name=host]').fill('127.0.0.1');
    await form.locator('input[name=port]').fill(String(smtp.port));
    await form.locator('select[name=security]').selectOption({ label: 'Tanpa enkripsi (relay lokal saja)' });
    await form.locator('input[name=fromAddress]').fill('peringatan@musirawas.go.id');
    await form.locator('input[name=fromName]').fill('Cerdas Musi Rawas');
    await form.locator('input[name=enabled]').check();
    await form.getByRole('button', { name: 'Simpan' }).click();
    await page.locator('nav.seg button[data-kind=email]', { hasText: 'Aktif' }).waitFor();

    const test = page.locator('[data-channel=email] [data-testid=test-box]');
    await test.locator('input[name=to]').fill('uji@musirawas.go.id');
    await test.getByRole('button', { name: 'Kirim uji' }).click();
    await test.locator('[data-testid=state][data-state=sent]', { hasText: 'Terkirim' }).waitFor({ timeout: 15_000 });
    assert.ok(smtp.mails.some((m) => m.envelope.to.includes('uji@musirawas.go.id')));
    await page.close();
  });

  it('refuses a template with a placeholder its event does not have, beside the field', async () => {
    const page = await newPage();
    await signIn(page, s.url, ADMIN.email, ADMIN.password);
    await page.goto(`${s.url}/#/admin/notifications/templates`);
    await page.selectOption('select[name=event]', { label: 'Alarm muncul atau naik level' });
    await page.selectOption('select[name=channel]', { label: 'Email (SMTP)' });
    // The editor of the chosen template replaces the previous one: type only once it shows the email's words.
    await page.waitForFunction(() => ((globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } }).document.querySelector('textarea[name=body]')?.value ?? '').includes('Lokasi:'));
    const body = page.locator('textarea[name=body]');
    await body.fill('Banjir di ');
    await page.locator('[data-placeholder=where]').click();
    assert.equal(await body.inputValue(), 'Banjir di {{where}}');
    await body.fill('Banjir di {{where}}: {{korban}}');
    await page.getByRole('button', { name: 'Simpan' }).click();
    const error = page.locator('[data-testid=template-error]');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /\{\{korban\}\}/);
    await page.close();
  });

  it('lets a user add an email contact and verify it with the code that came', async () => {
    const page = await newPage();
    await signIn(page, s.url, ANDI.email, ANDI.password);
    await page.getByRole('link', { name: 'Kontak saya' }).click();
    const add = page.locator('[data-testid=add-contact]');
    await add.locator('select[name=channel]').selectOption({ label: 'Email' });
    await add.locator('input[name=address]').fill(ANDI.email);
    const mailsBefore = smtp.mails.length;
    await add.getByRole('button', { name: 'Tambah kontak' }).click();
    const contact = page.locator('li.contact[data-channel=email]');
    await contact.getByText('Belum diverifikasi').waitFor();
    await smtp.waitForMails(mailsBefore + 1, 10_000);
    const code = smtp.mails.at(-1)?.text?.match(/\b(\d{6})\b/)?.[1];
    assert.ok(code, 'a code came by email');
    await contact.locator('input[name=code]').fill(code === '000000' ? '111111' : '000000');
    await contact.getByRole('button', { name: 'Verifikasi' }).click();
    await page.getByRole('alert').filter({ hasText: /Kode salah \(sisa \d kali coba\)/ }).waitFor();
    await contact.locator('input[name=code]').fill(code);
    await contact.getByRole('button', { name: 'Verifikasi' }).click();
    await contact.locator('[data-testid=contact-state]', { hasText: 'Terverifikasi' }).waitFor();
    await page.close();
  });

  it('shows a raised alarm on its page with the message sent, and acknowledging there stops the escalation', async () => {
    const reading = await fetch(`${s.url}/api/v1/${deviceToken}/telemetry`, { method: 'POST', body: JSON.stringify({ ts: Date.now(), values: { waterLevel: 4.2 } }) });
    assert.equal(reading.status, 200);
    await s.app.services.engine.idle();
    const alarm = (await ok('GET', '/alarms?status=active')).items[0];
    assert.equal(alarm?.severity, 'siaga');

    const page = await newPage();
    await signIn(page, s.url, ADMIN.email, ADMIN.password);
    // the command center's alarm list leads to the page
    await page.locator(`li.alarm[data-alarm="${alarm.id}"] [data-testid=alarm-page-link]`).click();
    await page.waitForURL(new RegExp(`#/alarms/${alarm.id}$`));
    assert.equal(await page.locator('.alarm-page h1 [data-testid=level-chip]').getAttribute('data-severity'), 'siaga');
    await page.locator('[data-testid=escalation-state]', { hasText: 'Berjalan' }).waitFor({ timeout: 10_000 });
    const sent = page.locator('[data-testid=deliveries] tr', { hasText: 'Andi Piket' }).locator('[data-testid=state][data-state=sent]');
    await sent.waitFor({ timeout: 25_000 });
    assert.match((await page.locator('[data-testid=deliveries]').textContent()) ?? '', /Email \(SMTP\).*Tahap 1/s);
    const budiLine = (await page.locator('[data-testid=deliveries] tr', { hasText: 'Budi Tanpa Kontak' }).first().textContent()) ?? '';
    assert.match(budiLine, /Gagal.*tidak ada kontak terverifikasi/, 'why, in Indonesian');
    assert.doesNotMatch(budiLine, /no verified contact/);

    await page.getByRole('button', { name: 'Tangani' }).click();
    await page.locator('[data-testid=escalation-state]', { hasText: 'Berhenti: sudah ditangani' }).waitFor({ timeout: 10_000 });
    await page.locator('[data-testid=alarm-acked]', { hasText: '✓' }).waitFor();
    assert.equal((await ok('GET', `/notifications/escalations/alarm/${alarm.id}`)).state, 'acknowledged');
    await page.close();
  });
});
