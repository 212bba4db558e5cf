/**
 * The demo region on SQLite with an admin and a viewer signed in, for the browser tests of the
 * master plan screens, and a page resumed in a session (logins are rate limited; the login form
 * is tested elsewhere).
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startDemo } from '../../src/app.ts';
import { dialects, startServer, type TestServer } from '../helpers.ts';

// Functions passed to page.evaluate run in the page: this name exists there.
declare const localStorage: any;

export interface DemoSession { s: TestServer; admin: string; viewer: string }

/** The demo with its sample RKPD, initiatives and evaluations; the simulator stopped after its first step. */
export async function startDemoSession(): Promise<DemoSession> {
  const [sqlite] = await dialects();
  const s = await startServer(sqlite!, {}, { ruleTickMs: null });
  const simulator = await startDemo(s.app, { stepMs: 60_000 });
  await simulator.stop();
  const admin = await s.login();
  const created = await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'pimpinan@musirawas.go.id', name: 'Pimpinan', password: 'Rahasia-Pimpinan-2026', role: 'viewer' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const viewer = await s.login('pimpinan@musirawas.go.id', 'Rahasia-Pimpinan-2026');
  return { s, admin, viewer };
}

/** Opens `hash` in the session of `token`, in `lang`, and waits for the element `ready`. */
export async function resumeSession(page: Page, url: string, token: string, lang: 'id' | 'en', hash: string, ready: string): Promise<void> {
  await page.goto(url);
  await page.evaluate(([t, l]: string[]) => {
    localStorage.setItem('cerdas.token', t);
    localStorage.setItem('cerdas.lang', l);
  }, [token, lang]);
  await page.goto(`${url}/${hash}`);
  await page.reload();
  await page.locator(ready).waitFor({ timeout: 20_000 });
}
