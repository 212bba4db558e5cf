/**
 * The maps as a person sees them in Chromium: the command center's kecamatan
 * names, legend, scale, credits, search that finds an asset on the map, an
 * offline gauge in grey, the phone layout; the public and incident maps drawn on
 * the region's own layers; the offline PMTiles base map painted from a small
 * generated extract.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemo } from '../../src/app.ts';
import { dialects, startServer, startServerOn, tempDir, type TestServer } from '../helpers.ts';
import { demoStorage } from './demo-server.ts';
import { buildPmtiles } from '../pmtiles-fixture.ts';
import { launch, NO_CHROMIUM, openSignedIn } from './browser.ts';

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);

/** What the command center shows tests of its map (web/src/map.ts, RegionMap.probe). */
type Probe = { fillOf(id: string): string | null; view(): { lat: number; lng: number; zoom: number }; labelsShown(): number };
type PageGlobals = {
  cerdasReady?: boolean;
  cerdasMap: Probe;
  cerdasBasemapTiles?: number;
  cerdasPublicMap?: { layers: number; labelsShown(): number };
  document: { querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): { left: number; right: number; top: number; bottom: number; width: number; height: number }; textContent: string | null; parentElement: { style: { display: string } } | null }> };
};

/** The visible kecamatan names and whether any two of them overlap on screen. */
async function labels(page: Page, scope = ''): Promise<{ names: string[]; overlap: boolean }> {
  return page.evaluate((scope) => {
    const els = Array.from((globalThis as unknown as PageGlobals).document.querySelectorAll(`${scope} .kec-label span`)).filter((e) => e.parentElement?.style.display !== 'none');
    const boxes = els.map((e) => e.getBoundingClientRect());
    const overlap = boxes.some((a, i) => boxes.some((b, j) => j > i && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom));
    return { names: els.map((e) => e.textContent ?? ''), overlap };
  }, scope);
}

describe('maps in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let token: string;
  before(async () => {
    s = await startServerOn(await demoStorage(), { loginRateLimit: 100 }, { ruleTickMs: 1000 });
    await startDemo(s.app, { stepMs: 1000 });
    token = await s.login();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  /** The map, with the session of the admin's login (the login form is tested elsewhere). */
  const open = async (viewport: { width: number; height: number }, isMobile = false) => {
    const page = await openSignedIn(browser, s.url, token, { viewport, isMobile });
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).cerdasReady === true, null, { timeout: 15_000 });
    return page;
  };

  it('names the kecamatan without clutter, with a legend, a metric scale and the data’s credits', async () => {
    const page = await open({ width: 1920, height: 1080 });
    const wide = await labels(page);
    assert.ok(wide.names.length >= 10, `names shown: ${wide.names.join(', ')}`);
    assert.ok(wide.names.includes('Muara Beliti') && wide.names.includes('Selangit'));
    assert.equal(wide.overlap, false, 'no two names overlap');

    const legend = page.getByTestId('map-legend');
    for (const text of ['Melapor', 'Luring (tidak melapor)', 'Fasilitas tanpa sensor', 'Alarm Waspada', 'Alarm Siaga', 'Alarm Awas', 'Kendaraan', 'Batas kabupaten', 'Batas kecamatan', 'Sungai Musi', 'Anak sungai (perkiraan)', 'Titik panas']) {
      await legend.getByText(text, { exact: false }).first().waitFor({ timeout: 10_000 });
    }
    const offlineSwatch = await legend.locator('li', { hasText: 'Luring' }).locator('.sym').evaluate((e) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(e).backgroundColor);
    assert.equal(offlineSwatch, 'rgb(138, 138, 138)', 'offline is grey in the legend, as the README says');

    assert.match((await page.locator('.leaflet-control-scale-line').textContent()) ?? '', /^\d+ (km|m)$/);
    const credit = page.locator('.leaflet-control-attribution');
    assert.match((await credit.textContent()) ?? '', /© OpenStreetMap contributors \(ODbL\) · sungai: Natural Earth/);
    assert.equal(await credit.getByRole('link', { name: 'OpenStreetMap contributors' }).getAttribute('href'), 'https://www.openstreetmap.org/copyright');

    // In English the legend and the credit follow, on the same map.
    await page.selectOption('select[aria-label=Bahasa]', 'en');
    await legend.getByText('Offline (not reporting)').waitFor({ timeout: 10_000 });
    assert.match((await credit.textContent()) ?? '', /rivers: Natural Earth/);
    await page.selectOption('select[aria-label=Language]', 'id');
    await page.close();
  });

  it('finds an asset by name: the map flies to it, rings it and opens its popup', async () => {
    const page = await open({ width: 1280, height: 800 });
    const assets = (await s.api('GET', '/api/v1/assets?limit=1000', { token })).body.items as { id: string; name: string; location: { lat: number; lon: number } }[];
    const pump = assets.find((a) => a.name === 'Pompa 2 Polder Tugumulyo')!;
    await page.fill('.search input', 'Pompa 2');
    await page.locator('.search li button', { hasText: 'Pompa 2 Polder Tugumulyo' }).click();
    await page.getByTestId('asset-highlight').waitFor({ timeout: 10_000 });
    await page.locator('.leaflet-popup-content', { hasText: 'Pompa 2 Polder Tugumulyo' }).waitFor({ timeout: 10_000 });
    await page.waitForFunction((at) => {
      const v = (globalThis as unknown as PageGlobals).cerdasMap.view();
      return Math.abs(v.lat - at.lat) < 0.01 && Math.abs(v.lng - at.lon) < 0.01 && v.zoom >= 13;
    }, pump.location, { timeout: 10_000 });
    // The ring sits on the asset: its centre is where the asset's marker is drawn.
    const ring = await page.getByTestId('asset-highlight').boundingBox();
    const mapBox = await page.locator('.map').boundingBox();
    assert.ok(ring && mapBox);
    assert.ok(Math.abs(ring.x + ring.width / 2 - (mapBox.x + mapBox.width / 2)) < 30, 'the ring is at the centre the map flew to');
    await page.close();
  });

  it('draws a silent gauge grey, not in an alarm colour, though it has a device-offline alarm', async () => {
    const asset = (await s.api('POST', '/api/v1/assets', { token, body: { type: 'river_gauge', name: 'PDA uji luring', geometry: { type: 'Point', coordinates: [103.03, -3.24] } } })).body as { id: string };
    const device = (await s.api('POST', '/api/v1/devices', { token, body: { name: 'PDA uji luring', type: 'river_gauge', assetId: asset.id } })).body as { id: string; accessToken: string };
    assert.equal((await s.api('POST', `/api/v1/${device.accessToken}/telemetry`, { body: { waterLevel: 1.2 } })).status, 200);
    const page = await open({ width: 1280, height: 800 });
    await page.waitForFunction((id) => (globalThis as unknown as PageGlobals).cerdasMap.fillOf(id) === '#1a9641', asset.id, { timeout: 10_000 });
    const regionId = (await s.api('GET', '/api/v1/region', { token })).body.id as string;
    await s.app.services.deviceStatus.disconnected({ id: device.id, regionId, opdId: null, assetId: asset.id });
    await page.waitForFunction((id) => (globalThis as unknown as PageGlobals).cerdasMap.fillOf(id) === '#8a8a8a', asset.id, { timeout: 10_000 });
    const alarms = (await s.api('GET', '/api/v1/alarms?status=active', { token })).body.items as { type: string; deviceId: string }[];
    assert.ok(alarms.some((a) => a.type === 'device_offline' && a.deviceId === device.id), 'the offline alarm is there, and still the marker is grey');
    await page.close();
  });

  it('gives the map a usable height on a phone, with fewer names and no overlap', async () => {
    const page = await open({ width: 390, height: 844 }, true);
    const box = await page.locator('.map').boundingBox();
    assert.ok(box && box.height >= 844 * 0.55, `map height ${box?.height}`);
    assert.ok(box.width >= 360);
    const phone = await labels(page);
    assert.ok(phone.names.length >= 2 && phone.names.length < 14, `names on a phone: ${phone.names.join(', ')}`);
    assert.equal(phone.overlap, false);
    // Folded on a phone so that it does not cover the map, and opens with a tap.
    const legend = page.getByTestId('map-legend');
    assert.equal(await legend.getAttribute('open'), null);
    await legend.locator('summary').click();
    await legend.getByText('Melapor', { exact: true }).waitFor();
    // Zooming in names more kecamatan.
    await page.locator('.leaflet-control-zoom-in').click();
    await page.waitForTimeout(500);
    assert.ok((await labels(page)).names.length >= phone.names.length);
    await page.close();
  });

  it('draws the region on the public maps and the incident page: kecamatan with names, rivers, credits', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await page.goto(`${s.url}/lapor`);
    await page.getByRole('button', { name: 'Pilih di peta' }).click();
    await page.waitForFunction(() => ((globalThis as unknown as PageGlobals).cerdasPublicMap?.layers ?? 0) >= 3, null, { timeout: 10_000 });
    const pick = await labels(page, '.pick-map');
    assert.ok(pick.names.length >= 2, `names on the picker: ${pick.names.join(', ')}`);
    assert.match((await page.locator('.pick-map .leaflet-control-attribution').textContent()) ?? '', /OpenStreetMap contributors/);
    assert.ok((await page.locator('.pick-map .leaflet-regionBase-pane path').count()) > 0, 'shapes are drawn');
    assert.equal(await page.locator('.pick-map path[stroke-dasharray="4 4"]').count(), 0, 'no stand-in rectangle');

    await page.goto(`${s.url}/lapor#/peta`);
    await page.waitForFunction(() => ((globalThis as unknown as PageGlobals).cerdasPublicMap?.labelsShown() ?? 0) >= 2, null, { timeout: 10_000 });
    assert.match((await page.locator('.pub-map .leaflet-control-attribution').textContent()) ?? '', /sungai: Natural Earth/);
    await page.close();

    const incident = ((await s.api('GET', '/api/v1/incidents?limit=10', { token })).body.items as { id: string; lat: number | null }[]).find((i) => i.lat !== null)!;
    const ops = await open({ width: 1280, height: 800 });
    await ops.goto(`${s.url}/#/incidents/${incident.id}`);
    await ops.locator('.spot-map .leaflet-control-attribution', { hasText: 'OpenStreetMap contributors' }).waitFor({ timeout: 10_000 });
    assert.ok((await labels(ops, '.spot-map')).names.length >= 1, 'the kecamatan around the spot is named');
    await ops.close();
  });
});

describe('the offline base map in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  before(async () => {
    const [sqlite] = await dialects();
    const file = path.join(tempDir('basemap-e2e'), 'musi-rawas.pmtiles');
    fs.writeFileSync(file, buildPmtiles(10).bytes);
    s = await startServer(sqlite!, { basemapPmtiles: file });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  it('paints the extract’s land from its tiles under the public map', async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 700 } });
    const ranges: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/basemap.pmtiles')) ranges.push(r.headers().range ?? 'none');
    });
    await page.goto(`${s.url}/lapor#/peta`);
    await page.waitForFunction(() => ((globalThis as unknown as PageGlobals).cerdasBasemapTiles ?? 0) > 0, null, { timeout: 15_000 });
    assert.ok(ranges.length > 0 && ranges.every((r) => /^bytes=\d+-\d+$/.test(r)), `asked by ranges: ${ranges.join(' ')}`);
    // The Protomaps "light" style paints the earth layer #e2dfda; only tiles of the archive carry it (painted a moment after they load).
    const landPixels = () => {
      type Canvas = { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
      const canvases = Array.from((globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<Canvas> } }).document.querySelectorAll('.leaflet-tile-pane canvas'));
      let n = 0;
      for (const c of canvases) {
        const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
        if (!data) continue;
        for (let i = 0; i < data.length; i += 4) if (data[i] === 226 && data[i + 1] === 223 && data[i + 2] === 218) n++;
      }
      return n;
    };
    await page.waitForFunction(landPixels, null, { timeout: 10_000, polling: 250 }).catch(() => {});
    const n = await page.evaluate(landPixels);
    assert.ok(n > 1000, `land pixels from the extract: ${n}`);
    assert.match((await page.locator('.leaflet-control-attribution').textContent()) ?? '', /Protomaps/);
    await page.close();
  });
});
