/**
 * The public reporting page on a slow 3G phone (Chromium, network throttled through the
 * DevTools protocol: 400 kbit/s down and up, 400 ms round trip, 375×812, CPU slowed 4×):
 * bytes on the wire and time until the categories can be tapped (cold and warm cache), then
 * the time to file a report with a camera-sized photo (resized in the page first).
 *   node bench/web-public.ts   (builds the web app first when stale)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { launch } from '../test/e2e/browser.ts';
import { dialects, startServer, tempDir } from '../test/helpers.ts';
import { ROOT } from '../test/process.ts';

const SLOW_3G = { offline: false, latency: 400, downloadThroughput: (400 * 1024) / 8, uploadThroughput: (400 * 1024) / 8 };

async function main() {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-web.mjs')], { stdio: 'inherit' });
  const [sqlite] = await dialects();
  const s = await startServer(sqlite!, { reportRateLimit: 1000 }, { ruleTickMs: null });
  const admin = await s.login();
  await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'PUPR', name: 'Dinas PUPR' } });
  const photo = path.join(tempDir('cerdas-bench-photo-'), 'photo.jpg');
  const raw = Buffer.alloc(4000 * 3000 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24; // noisy, like a real photo
  await sharp(raw, { raw: { width: 4000, height: 3000, channels: 3 } }).jpeg({ quality: 90 }).toFile(photo);
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, geolocation: { latitude: -3.217, longitude: 103.033 }, permissions: ['geolocation'] });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (bytes += e.encodedDataLength));

    for (const run of ['cold', 'warm']) {
      bytes = 0;
      const t0 = performance.now();
      await page.goto(`${s.url}/lapor`);
      await page.locator('button.cat').first().waitFor({ timeout: 120_000 });
      const ms = performance.now() - t0;
      console.log(`first load (${run} cache): categories tappable after ${(ms / 1000).toFixed(2)} s, ${(bytes / 1024).toFixed(1)} KB on the wire`);
    }

    await page.click('button.cat[data-code=roads]');
    bytes = 0;
    let t0 = performance.now();
    await page.setInputFiles('input[name=photo]', photo);
    await page.getByText('Foto siap dikirim').first().waitFor({ timeout: 120_000 });
    const kb = (await page.locator('.photo .small').textContent())!.trim();
    console.log(`photo 4000×3000 (${(fs.statSync(photo).size / 1024 / 1024).toFixed(1)} MB) resized in the page to ${kb} in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    await page.click('[data-testid=locate]');
    await page.locator('[data-testid=where]').waitFor();
    await page.fill('textarea[name=description]', 'Gorong-gorong ambruk di depan SD Negeri 3');
    await page.selectOption('select[name=attribute-passable]', { index: 1 });
    bytes = 0;
    t0 = performance.now();
    await page.click('button.send');
    const ticket = (await page.locator('[data-testid=ticket]').textContent({ timeout: 180_000 }))!.trim();
    console.log(`report with photo filed on slow 3G in ${((performance.now() - t0) / 1000).toFixed(2)} s (ticket ${ticket})`);

    bytes = 0;
    t0 = performance.now();
    await page.getByRole('link', { name: 'Peta laporan' }).click();
    await page.locator('.pub-map.leaflet-container').waitFor({ timeout: 120_000 });
    console.log(`public map (Leaflet loaded lazily) shown after ${((performance.now() - t0) / 1000).toFixed(2)} s, ${(bytes / 1024).toFixed(1)} KB more on the wire`);
  } finally {
    await browser.close();
    await s.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
