import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ADMIN, dialects, startServer, type TestServer } from '../helpers.ts';
import { launch, NO_CHROMIUM, screenshot, signIn } from './browser.ts';

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);

/**
 * Pengelolaan → Pengguna as an admin uses it: create a user with a generated
 * password (shown once), refuse a weak one with the reason, edit, reset,
 * disable — and the disabled user's open app goes back to the login page at
 * once, because its stream is closed.
 */
describe('user management in Chromium', { skip: NO_CHROMIUM }, () => {
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

  const row = (page: Page, email: string) => page.locator(`tr[data-user="${email}"]`);

  it('creates, edits, resets, disables and deletes users; a disabled user is sent to the login page at once', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('dialog', (d) => void d.accept());
    await signIn(page, s.url, ADMIN.email, ADMIN.password);
    await page.goto(`${s.url}/#/admin/users`);
    const users = page.locator('[data-testid=users]');
    await users.waitFor();

    // A weak password is refused, and the page says why in Bahasa Indonesia.
    const create = users.locator('form[aria-label]').first();
    await create.locator('input[name=email]').fill('sari@musirawas.go.id');
    await create.locator('input[name=name]').fill('Sari Operator');
    await create.locator('input[name=password]').fill('password123');
    await create.locator('button[type=submit]').click();
    await page.getByRole('alert').getByText(/Kata sandi terlalu lemah: .*kata sandi/).waitFor();

    // Without a password, one is generated and shown once.
    await create.locator('input[name=password]').fill('');
    await create.locator('button[type=submit]').click();
    const generated = (await page.locator('[data-testid=generated-password]').textContent())!.trim();
    assert.ok(generated.length >= 20);
    await row(page, 'sari@musirawas.go.id').waitFor();

    // The user logs in elsewhere and keeps the app open.
    const other = await browser.newPage();
    await signIn(other, s.url, 'sari@musirawas.go.id', generated);

    // Edit: name, role, OPD, position.
    await row(page, 'sari@musirawas.go.id').getByRole('button', { name: 'Ubah' }).click();
    const edit = page.locator('tr.editing form');
    await edit.locator('input[name=name]').fill('Sari Wulandari');
    await edit.locator('select[name=role]').selectOption('operator');
    await edit.locator('select[name=opdId]').selectOption({ label: 'DISKOMINFO' });
    await edit.locator('select[name=position]').selectOption('kasi');
    await screenshot(page, 'users-edit.png');
    await edit.getByRole('button', { name: 'Simpan' }).click();
    await row(page, 'sari@musirawas.go.id').getByText('Sari Wulandari').waitFor();
    const token = await s.login();
    const sari = ((await s.api('GET', '/api/v1/users?limit=100', { token })).body.items as { email: string; role: string; position: string }[]).find((u) => u.email === 'sari@musirawas.go.id')!;
    assert.deepEqual([sari.role, sari.position], ['operator', 'kasi']);
    // A new role ends the session: her open app is back at the login page.
    await other.locator('input[name=password]').waitFor({ timeout: 10_000 });
    await signIn(other, s.url, 'sari@musirawas.go.id', generated);

    // Reset: a new generated password, shown once; the old one stops working.
    await row(page, 'sari@musirawas.go.id').getByRole('button', { name: 'Atur ulang kata sandi' }).click();
    await page.locator('form[aria-label="Atur ulang kata sandi"] button[type=submit]').click();
    await page.getByText('Semua sesi pengguna ini telah diakhiri.').waitFor();
    const renewed = (await page.locator('[data-testid=generated-password]').textContent())!.trim();
    assert.notEqual(renewed, generated);
    await other.locator('input[name=password]').waitFor({ timeout: 10_000 });
    const old = await s.api('POST', '/api/v1/auth/login', { body: { email: 'sari@musirawas.go.id', password: generated } });
    assert.equal(old.status, 401);
    await signIn(other, s.url, 'sari@musirawas.go.id', renewed);

    // Disable: her open app goes to the login page at once; enable again; delete.
    await row(page, 'sari@musirawas.go.id').getByRole('button', { name: 'Nonaktifkan' }).click();
    await row(page, 'sari@musirawas.go.id').getByText('Nonaktif', { exact: true }).waitFor();
    await other.locator('input[name=password]').waitFor({ timeout: 10_000 });
    await row(page, 'sari@musirawas.go.id').getByRole('button', { name: 'Aktifkan' }).click();
    await row(page, 'sari@musirawas.go.id').getByText('Aktif', { exact: true }).waitFor();
    await screenshot(page, 'users.png');

    // The admin's own row cannot be disabled or deleted from here.
    assert.equal(await row(page, ADMIN.email).getByRole('button', { name: 'Nonaktifkan' }).count(), 0);

    await row(page, 'sari@musirawas.go.id').getByRole('button', { name: 'Hapus' }).click();
    await row(page, 'sari@musirawas.go.id').waitFor({ state: 'detached' });
    await other.close();
    await page.close();
  });
});
