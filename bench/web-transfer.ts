/**
 * What the browser really receives, part of `npm run bench:web` (alone: `npm run bench:web -- --transfer-only`).
 *
 * The platform runs with DEMO=1 (what a visitor of the demo sees); Chromium loads
 *   - the command center's first screen after login (a valid token in localStorage), on the
 *     link the issue names: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip, until
 *     `window.cerdasReady` (map drawn, data in);
 *   - the public reporting page /lapor on "slow 3G" as bench/web-public.ts has it: 400 kbit/s
 *     both ways, 400 ms round trip, 375×812, until the first category button is there to
 *     tap; once more with Brotli and the CPU slowed 4× as well (a cheap phone, as
 *     bench/web-public.ts runs it);
 * each with Accept-Encoding set through the DevTools protocol to `identity` (the uncompressed
 * baseline: what the platform sent before it compressed anything), `gzip`, and `br` (what
 * Chromium asks for by itself), in a new context each time (empty cache). Bytes are the
 * encoded lengths Chromium reports per request (headers included), split into the app's
 * files and the API's answers; the time is read in the page (performance.now() from the
 * navigation). The worst of `loads` loads is kept.
 */
import type { Browser, CDPSession } from 'playwright-core';

export const LINK_1_6M = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
export const SLOW_3G = { offline: false, latency: 400, downloadThroughput: (400 * 1024) / 8, uploadThroughput: (400 * 1024) / 8 };
export const BUDGET_MS = { commandCenter: 1500, lapor: 2000 };
export const ENCODINGS = ['identity', 'gzip', 'br'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export interface TransferSample {
  page: 'command center' | '/lapor';
  encoding: Encoding;
  /** Chromium's CPU slowed this many times (1: as it is) */
  cpuSlowdown: number;
  /** ms from navigation to usable */
  usableMs: number;
  /** bytes on the wire (headers included): the app's files (HTML, JS, CSS, fonts, images) */
  appBytes: number;
  /** bytes on the wire of the API's answers */
  apiBytes: number;
  /** bytes after decoding, all requests */
  decodedBytes: number;
  requests: number;
  /** the largest files on the wire, for the evidence of what is heavy */
  largest: { url: string; bytes: number }[];
}

/** Runs before the page's scripts: the moment the page becomes usable, as performance.now(). */
const USABLE_SCRIPT = `(() => {
  const b = { usableAt: null };
  globalThis.__transfer = b;
  let ready;
  Object.defineProperty(globalThis, 'cerdasReady', {
    configurable: true,
    get() { return ready; },
    set(v) { if (v === true && b.usableAt === null) b.usableAt = performance.now(); ready = v; },
  });
  // /lapor: usable once a category can be tapped.
  const watch = () => {
    if (b.usableAt !== null) return;
    if (location.pathname === '/lapor' && document.querySelector('button.cat')) b.usableAt = performance.now();
  };
  new MutationObserver(watch).observe(document, { childList: true, subtree: true });
})();`;

async function loadOnce(browser: Browser, url: string, token: string, page: TransferSample['page'], encoding: Encoding, cpuSlowdown: number): Promise<TransferSample> {
  const phone = page === '/lapor';
  const context = await browser.newContext({
    viewport: phone ? { width: 375, height: 812 } : { width: 1920, height: 1080 },
    ...(phone && { isMobile: true, hasTouch: true }),
    storageState: { cookies: [], origins: [{ origin: url, localStorage: [{ name: 'cerdas.token', value: token }, { name: 'cerdas.lang', value: 'id' }] }] },
  });
  try {
    const tab = await context.newPage();
    await tab.addInitScript({ content: USABLE_SCRIPT });
    const cdp: CDPSession = await context.newCDPSession(tab);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': encoding } });
    await cdp.send('Network.emulateNetworkConditions', phone ? SLOW_3G : LINK_1_6M);
    if (cpuSlowdown > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
    const urls = new Map<string, string>();
    const decoded = new Map<string, number>();
    const finished: { url: string; bytes: number }[] = [];
    cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.dataReceived', (e: { requestId: string; dataLength: number }) => decoded.set(e.requestId, (decoded.get(e.requestId) ?? 0) + e.dataLength));
    cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => finished.push({ url: urls.get(e.requestId) ?? '?', bytes: e.encodedDataLength }));
    await tab.goto(`${url}${phone ? '/lapor' : '/'}`, { waitUntil: 'commit', timeout: 120_000 });
    await tab.waitForFunction(() => (globalThis as unknown as { __transfer: { usableAt: number | null } }).__transfer.usableAt !== null, null, { timeout: 120_000, polling: 100 });
    const usableMs = (await tab.evaluate(() => (globalThis as unknown as { __transfer: { usableAt: number } }).__transfer.usableAt)) as number;
    if (!phone && (await tab.locator('input[name=password]').count()) > 0) throw new Error('the command center shows the login form: the token was not taken');
    // What arrived up to that moment and just after (the WebSocket is not counted: it is not a load).
    const api = finished.filter((f) => new URL(f.url).pathname.startsWith('/api/'));
    const app = finished.filter((f) => !new URL(f.url).pathname.startsWith('/api/'));
    const sum = (xs: { bytes: number }[]) => xs.reduce((s, x) => s + x.bytes, 0);
    return {
      page,
      encoding,
      cpuSlowdown,
      usableMs,
      appBytes: sum(app),
      apiBytes: sum(api),
      decodedBytes: [...decoded.values()].reduce((s, x) => s + x, 0),
      requests: finished.length,
      largest: [...finished].sort((a, b) => b.bytes - a.bytes).slice(0, 5).map((f) => ({ url: new URL(f.url).pathname, bytes: f.bytes })),
    };
  } finally {
    await context.close();
  }
}

/** Every page × encoding (and /lapor with a slow CPU), `loads` times each (the worst kept), in a fixed order. */
export async function measureTransfer(browser: Browser, url: string, token: string, loads: number, log: (m: string) => void): Promise<TransferSample[]> {
  const out: TransferSample[] = [];
  const runs: [TransferSample['page'], Encoding, number][] = [
    ...ENCODINGS.map((e): [TransferSample['page'], Encoding, number] => ['command center', e, 1]),
    ...ENCODINGS.map((e): [TransferSample['page'], Encoding, number] => ['/lapor', e, 1]),
    ['/lapor', 'br', 4],
  ];
  for (const [page, encoding, cpu] of runs) {
    let worst: TransferSample | null = null;
    for (let i = 0; i < loads; i++) {
      const s = await loadOnce(browser, url, token, page, encoding, cpu);
      log(`  ${page}, ${encoding}${cpu > 1 ? `, CPU ${cpu}×` : ''}: usable at ${(s.usableMs / 1000).toFixed(2)} s, ${(s.appBytes / 1024).toFixed(1)} KB app + ${(s.apiBytes / 1024).toFixed(1)} KB API on the wire, ${s.requests} requests`);
      if (!worst || s.usableMs > worst.usableMs) worst = s;
    }
    out.push(worst!);
  }
  return out;
}
