import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

// Functions passed to page.evaluate run in the page: this name exists there.
declare const localStorage: { setItem(key: string, value: string): void };

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
export const NO_CHROMIUM = hasChromium ? false : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium): browser tests skipped`;

/** Debian's Chromium, headless, with nothing that reaches the internet. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Signs in on the app at `url` with the login form and waits for the top bar. */
export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.locator('.topbar').waitFor();
}

/**
 * Opens a screen of the app at `url` in the session of a login, as the app keeps it (logins are
 * rate limited; the login form is tested elsewhere), in `lang`, and waits for `ready` (a selector).
 */
export async function resumeSession(page: Page, url: string, token: string, lang: 'id' | 'en', hash: string, ready: string): Promise<void> {
  await page.goto(url);
  await page.evaluate(([t, l]: string[]) => {
    localStorage.setItem('cerdas.token', t!);
    localStorage.setItem('cerdas.lang', l!);
  }, [token, lang]);
  await page.goto(`${url}/#${hash}`);
  await page.reload();
  await page.locator(ready).waitFor({ timeout: 20_000 });
}

const SHOTS = fileURLToPath(new URL('../../docs/screenshots', import.meta.url));

/**
 * The README's pictures: taken only by `npm run screenshots` (SCREENSHOTS=1), so
 * that `npm test` leaves a clean checkout clean.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  // Map tiles, markers and transitions settle before the picture (a test waits for what it checks, not for this).
  await page.waitForTimeout(1000);
  await page.screenshot({ path: path.join(SHOTS, name), ...options });
}
