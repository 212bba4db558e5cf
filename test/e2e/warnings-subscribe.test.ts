/**
 * The public early-warning subscription in Chromium on a phone: choose a
 * kecamatan and email, get the code by (real, local) SMTP, confirm it; the
 * unsubscribe page from a warning's link; the report form's opt-in is off by
 * default.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startFakeSmtp, type FakeSmtp } from '../fakes/index.ts';
import { dialects, startServer, type TestServer } from '../helpers.ts';
import { launch, NO_CHROMIUM } from './browser.ts';

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);
const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'id-ID' };

describe('early-warning subscription on the public page in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let smtp: FakeSmtp;
  let browser: Browser;
  before(async () => {
    const [sqlite] = await dialects();
    smtp = await startFakeSmtp();
    s = await startServer(sqlite!, { reportRateLimit: 1000 }, { ruleTickMs: null, notificationPollMs: null });
    const admin = await s.login();
    const res = await s.api('PUT', '/api/v1/notifications/channels/email', { token: admin, body: { enabled: true, config: { host: '127.0.0.1', port: smtp.port, security: 'none', fromAddress: 'peringatan@musirawas.go.id', fromName: 'Cerdas Musi Rawas' } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
    await smtp?.close();
  });

  it('subscribes with the code from the email, and unsubscribes from the link', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${s.url}/lapor#/peringatan`);
    await page.getByRole('heading', { name: 'Peringatan dini' }).waitFor();
    const form = page.getByTestId('subscribe-form');
    await form.locator('select[name=district] option[value="16.05.03"]').waitFor({ state: 'attached' });
    await form.getByRole('button', { name: 'Kirim kode konfirmasi' }).click();
    await page.getByRole('alert').filter({ hasText: 'Pilih kecamatan dulu' }).waitFor();
    await form.locator('select[name=district]').selectOption('16.05.03');
    await form.getByLabel('Email').check();
    await form.getByLabel('Alamat email').fill('warga.kelingi@contoh.id');
    await form.getByRole('button', { name: 'Kirim kode konfirmasi' }).click();
    await page.getByRole('status').filter({ hasText: 'Kode konfirmasi sudah dikirim' }).waitFor();

    await s.app.services.notifications.sender.drain();
    await smtp.waitForMails(1);
    const mail = smtp.mails.at(-1)!;
    assert.deepEqual(mail.envelope.to, ['warga.kelingi@contoh.id']);
    assert.match(mail.subject, /Muara Kelingi/);
    const code = mail.text!.match(/Kode konfirmasi: (\d{6})/)![1]!;

    const confirm = page.getByTestId('confirm-form');
    await confirm.getByLabel('Kode konfirmasi').fill(code === '000000' ? '111111' : '000000');
    await confirm.getByRole('button', { name: 'Konfirmasi' }).click();
    await page.getByTestId('warn-error').filter({ hasText: 'Kode tidak cocok' }).waitFor();
    await confirm.getByLabel('Kode konfirmasi').fill(code);
    await confirm.getByRole('button', { name: 'Konfirmasi' }).click();
    await page.getByTestId('subscribed').filter({ hasText: 'Muara Kelingi' }).waitFor();

    // The link in the mail opens the same confirmation (confirming again changes nothing).
    const link = mail.text!.match(/\/lapor#\/peringatan\/konfirmasi\/[^\s]+/)![0]!;
    await page.goto(`${s.url}${link}`);
    await page.getByTestId('confirm-form').getByRole('button', { name: 'Konfirmasi' }).click();
    await page.getByTestId('subscribed').waitFor();

    // A warning's unsubscribe link: a page, then its button.
    const row = await s.app.services.database.db.selectFrom('warning_subscriptions').select(['id', 'state']).where('address', '=', 'warga.kelingi@contoh.id').executeTakeFirstOrThrow();
    assert.equal(row.state, 'confirmed');
    const token = s.app.services.notifications.subscriptions.unsubscribeToken(row.id);
    await page.goto(`${s.url}/lapor#/peringatan/berhenti/${token}`);
    await page.getByText('Berhenti menerima peringatan dini untuk Kec. Muara Kelingi?').waitFor();
    await page.getByRole('button', { name: 'Berhenti berlangganan' }).click();
    await page.getByRole('status').filter({ hasText: 'tidak akan menerima peringatan dini lagi' }).waitFor();
    const after = await s.app.services.database.db.selectFrom('warning_subscriptions').select('state').where('id', '=', row.id).executeTakeFirstOrThrow();
    assert.equal(after.state, 'unsubscribed');
    await context.close();
  });

  it("offers the report form's opt-in, off by default, in both languages", async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${s.url}/lapor`);
    const box = page.getByLabel('Kabari saya tentang laporan ini');
    await box.waitFor();
    assert.equal(await box.isChecked(), false);
    await box.check();
    await page.getByText('Anda akan menerima pesan saat laporan diteruskan').waitFor();
    await page.getByRole('button', { name: 'Bahasa / Language' }).click();
    await page.getByLabel('Tell me about this report').waitFor();
    await context.close();
  });
});
