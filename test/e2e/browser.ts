import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type WebSocketRoute } from 'playwright-core';

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

/** Where a signed-in page opens and in which language, with its context's options (viewport, a phone …). */
export interface SignedInOptions extends BrowserContextOptions {
  /** the screen, e.g. `#/masterplan/programs` (default: the first screen) */
  hash?: string;
  lang?: 'id' | 'en';
}

/**
 * A browser context whose pages are signed in: the session (a token of `s.login()`) and the
 * language kept in localStorage as the app keeps them, there before the app's first load.
 */
export function signedInContext(browser: Browser, url: string, token: string, { hash: _hash, lang = 'id', ...options }: SignedInOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    ...options,
    storageState: { cookies: [], origins: [{ origin: url, localStorage: [{ name: 'cerdas.token', value: token }, { name: 'cerdas.lang', value: lang }] }] },
  });
}

/**
 * A page signed in with `token` at the screen `hash`: the app loads once, already signed in
 * (the login form itself is tested with signIn; logins are rate limited). Waits for the top bar,
 * which only a session shows. Closing the page closes its context.
 */
export async function openSignedIn(browser: Browser, url: string, token: string, options: SignedInOptions = {}): Promise<Page> {
  const context = await signedInContext(browser, url, token, options);
  const page = await context.newPage();
  page.once('close', () => void context.close().catch(() => {}));
  await page.goto(`${url}/${options.hash ?? ''}`);
  await page.locator('.topbar').waitFor({ timeout: 20_000 });
  return page;
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

/** Answers held back from the page: see holdAnswers. */
export interface HeldAnswers {
  /** Settles once the first held answer has been read from the server; fails after `ms` if none was asked for. */
  firstRead(ms?: number): Promise<void>;
  /** Hands the held answers to the page, and every later one at once; settles when the first has finished loading. */
  release(page: Page): Promise<void>;
}

/**
 * Holds back the answers to the requests of `context` matching `url`: each is read from the server at once and
 * handed to the page only on release(), the order a slow answer on a busy network gives. A test makes something
 * change in between, and sees whether the older answer undoes it.
 */
export async function holdAnswers(context: BrowserContext, url: RegExp): Promise<HeldAnswers> {
  let readOne!: () => void;
  const read = new Promise<void>((resolve) => (readOne = resolve));
  let letGo!: () => void;
  const released = new Promise<void>((resolve) => (letGo = resolve));
  await context.route(url, async (route) => {
    const answer = await route.fetch();
    readOne();
    await released;
    await route.fulfill({ response: answer });
  });
  return {
    firstRead: (ms = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no request to ${url} was answered within ${ms} ms`)), ms);
        void read.then(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
    release: async (page) => {
      const answered = page.waitForResponse(url);
      letGo();
      await (await answered).finished();
    },
  };
}

/** The live connection of a page, run through the test: see cuttableStream. */
export interface CuttableStream {
  /** Settles once the server has confirmed `count` subscriptions in all, over every connection so far. */
  subscribed(count: number, ms?: number): Promise<void>;
  /** Cuts the open connection; the page's next one waits until reconnect(). */
  cut(): Promise<void>;
  /** Lets the page's waiting connection through to the server. */
  reconnect(): void;
}

/** Runs the WebSocket stream of every page of `context` through the test, so that it can be cut and held back. */
export async function cuttableStream(context: BrowserContext): Promise<CuttableStream> {
  const connections: WebSocketRoute[] = [];
  let subscriptions = 0;
  let letThrough = () => {};
  let held: Promise<void> = Promise.resolve();
  await context.routeWebSocket(/\/api\/v1\/stream/, async (ws) => {
    connections.push(ws);
    await held;
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (String(message).includes('"type":"subscribed"')) subscriptions++;
      ws.send(message);
    });
  });
  return {
    subscribed: async (count, ms = 10_000) => {
      for (const start = Date.now(); subscriptions < count && Date.now() - start < ms; ) await new Promise((r) => setTimeout(r, 100));
      if (subscriptions < count) throw new Error(`${count} subscriptions confirmed expected, ${subscriptions} seen`);
    },
    cut: async () => {
      held = new Promise<void>((resolve) => (letThrough = resolve));
      await connections.at(-1)?.close({ code: 1012, reason: 'cut by the test' });
    },
    reconnect: () => letThrough(),
  };
}
