/**
 * The README's gallery: every main screen of the demo at 1920×1080 (a control-room screen) and
 * 390×844 (a phone), in Bahasa Indonesia, into docs/screenshots/screens/<screen>-1920.png and
 * -390.png. `npm run screenshots` runs it after building the web app; `npm test` never does.
 *
 * Runs the platform as `DEMO=1 npm start` would (node src/main.ts, a fresh DATA_DIR, SQLite, the
 * demo's simulator sending), signs in as its admin, and opens each screen in Debian's headless
 * Chromium. PNGs are stored with a 256-colour palette (sharp): a screen of text and flat
 * colours loses nothing a reader sees, at a third of the size.
 *
 *   node scripts/screenshots.ts [--only=<screen>,…]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { launch, NO_CHROMIUM } from '../test/e2e/browser.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'docs', 'screenshots', 'screens');
const ADMIN = { email: 'admin@demo.musirawas.go.id', password: 'Tangkapan-Layar-Demo-2026' };
const SIZES = [
  { suffix: '1920', viewport: { width: 1920, height: 1080 }, mobile: false },
  { suffix: '390', viewport: { width: 390, height: 844 }, mobile: true },
];

/** The main screens: name, path (with the hash route), and what shows that the screen has its data. */
interface Screen {
  name: string;
  path: (ids: DemoIds) => string | null;
  ready?: string;
}
interface DemoIds {
  incident: string | null;
  ticket: string | null;
}
const SCREENS: Screen[] = [
  { name: 'command-center', path: () => '/#/', ready: '.leaflet-container' },
  { name: 'incidents', path: () => '/#/incidents' },
  { name: 'incident', path: (ids) => (ids.incident ? `/#/incidents/${encodeURIComponent(ids.incident)}` : null) },
  { name: 'sla', path: () => '/#/sla' },
  { name: 'warnings', path: () => '/#/warnings' },
  { name: 'admin-devices', path: () => '/#/admin' },
  { name: 'admin-rules', path: () => '/#/admin/rules' },
  { name: 'admin-users', path: () => '/#/admin/users' },
  { name: 'masterplan-dashboard', path: () => '/#/masterplan', ready: 'canvas' },
  { name: 'masterplan-readiness', path: () => '/#/masterplan/readiness' },
  { name: 'masterplan-initiatives', path: () => '/#/masterplan/initiatives' },
  { name: 'masterplan-quickwins', path: () => '/#/masterplan/quickwins', ready: '[data-quickwin]' },
  { name: 'masterplan-roadmap', path: () => '/#/masterplan/roadmap', ready: '[data-testid=roadmap-grid]' },
  { name: 'masterplan-programs', path: () => '/#/masterplan/programs' },
  { name: 'masterplan-kpis', path: () => '/#/masterplan/kpis' },
  { name: 'masterplan-collaboration', path: () => '/#/masterplan/collaboration', ready: '[data-testid=mp-member]' },
  { name: 'masterplan-evaluation', path: () => '/#/masterplan/evaluation', ready: '.mp-survey-cell' },
  { name: 'lapor', path: () => '/lapor#/', ready: 'button.cat' },
  { name: 'lapor-map', path: () => '/lapor#/peta', ready: '.leaflet-container' },
  { name: 'lapor-ticket', path: (ids) => (ids.ticket ? `/lapor#/tiket/${encodeURIComponent(ids.ticket)}` : null) },
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function api<T>(url: string, method: string, pathname: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(url + pathname, { method, headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) }, body: body === undefined ? null : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${pathname} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return (await res.json()) as T;
}

async function shoot(page: Page, url: string, screen: Screen, target: string, file: string): Promise<void> {
  await page.goto(url + target, { waitUntil: 'load', timeout: 60_000 });
  await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => {});
  if (screen.ready) await page.locator(screen.ready).first().waitFor({ timeout: 30_000 });
  // Map tiles, charts and transitions settle.
  await page.waitForTimeout(1500);
  const png = await page.screenshot({ fullPage: false });
  await sharp(png).png({ palette: true, colours: 256, compressionLevel: 9, effort: 10 }).toFile(file);
}

async function main(): Promise<void> {
  if (NO_CHROMIUM) throw new Error(NO_CHROMIUM);
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  const only = values.only ? new Set(values.only.split(',')) : null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cerdas-screenshots-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [path.join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, DEMO: '1', PORT: String(port), HOST: '127.0.0.1', MQTT_PORT: '0', DATA_DIR: dataDir, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const browser = await launch();
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`the platform exited at start:\n${output.slice(-3000)}`);
      if (i > 600) throw new Error(`the platform did not answer within 60 s:\n${output.slice(-3000)}`);
      const ok = await fetch(`${url}/api/v1/health`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const { token } = await api<{ token: string }>(url, 'POST', '/api/v1/auth/login', undefined, ADMIN);
    // The simulator's first readings in, so the screens show live numbers rather than "—" (at most 60 s).
    for (let i = 0; i < 120; i++) {
      const latest = await api<Record<string, unknown>>(url, 'GET', '/api/v1/telemetry/latest', token);
      if (Object.keys(latest).length >= 20) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const incidents = await api<{ items: { id: string; ticket?: string }[] }>(url, 'GET', '/api/v1/incidents?limit=20', token);
    const ids: DemoIds = { incident: incidents.items[0]?.id ?? null, ticket: incidents.items.find((x) => x.ticket)?.ticket ?? null };
    fs.mkdirSync(OUT, { recursive: true });
    for (const size of SIZES) {
      const context = await browser.newContext({
        viewport: size.viewport,
        ...(size.mobile && { isMobile: true, hasTouch: true, deviceScaleFactor: 1 }),
        storageState: { cookies: [], origins: [{ origin: url, localStorage: [{ name: 'cerdas.token', value: token }, { name: 'cerdas.lang', value: 'id' }] }] },
      });
      const page = await context.newPage();
      for (const screen of SCREENS) {
        if (only && !only.has(screen.name)) continue;
        const target = screen.path(ids);
        if (target === null) {
          console.log(`${screen.name}: the demo has nothing to show here, skipped`);
          continue;
        }
        const file = path.join(OUT, `${screen.name}-${size.suffix}.png`);
        await shoot(page, url, screen, target, file);
        console.log(`${path.relative(ROOT, file)} (${(fs.statSync(file).size / 1024).toFixed(0)} KB)`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    // An exited child fires no second 'exit': waiting for one would leave nothing to run, and Node would end silently.
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`screenshots: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
