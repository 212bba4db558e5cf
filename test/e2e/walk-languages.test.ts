/**
 * Every screen of the app with the Musi Rawas demo, in Bahasa Indonesia and in
 * English, as an operator would walk it in Chromium: no internal key
 * (`waterLevel`, `river_gauge`, `devices_online_share`), no English word on an
 * Indonesian screen nor the reverse, no kecamatan code where its name exists,
 * and Indonesian number, date and time formats (charts included). Then the
 * same screens as a viewer (the Sekda) and an operator of one OPD: no action
 * they cannot take, and a refused action says so in the screen's language.
 *
 * A code shown on purpose next to its name (a device type's key in its profile,
 * a category's Open311 service_code, an API field, a token's last characters) is
 * marked translate="no" (it stays the same in every language), and only there;
 * a text in the other language on purpose (a category's other name in its
 * editor) is marked with its lang.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page, Request } from 'playwright-core';
import { startDemo } from '../../src/app.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { ADMIN, dialects, startServer, type TestServer } from '../helpers.ts';
import { launch, NO_CHROMIUM } from './browser.ts';

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);

type Lang = 'id' | 'en';
type Profiles = { type: string; keys: { key: string }[] }[];
const MIN = 60_000;
/** How long a screen must stay unchanged, with no request open, to count as drawn. */
const QUIET_MS = 150;

const ADMIN_ROUTES = [
  '/',
  '/incidents',
  '/sla',
  '/warnings',
  '/admin',
  '/admin/profiles',
  '/admin/assets',
  '/admin/rules',
  '/admin/opds',
  '/admin/users',
  '/admin/duty',
  '/admin/escalation',
  '/admin/categories',
  '/admin/open311',
  '/admin/lapor',
  '/admin/notifications',
  '/admin/notifications/templates',
  '/admin/notifications/log',
  '/admin/audit',
  '/masterplan',
  '/masterplan/readiness',
  '/masterplan/initiatives',
  '/masterplan/quickwins',
  '/masterplan/roadmap',
  '/masterplan/programs',
  '/masterplan/kpis',
  '/masterplan/collaboration',
  '/masterplan/evaluation',
  '/me/contacts',
];
const PUBLIC_ROUTES = ['/lapor', '/lapor#/peta', '/lapor#/peringatan', '/lapor#/tiket/MR-000005'];

/** Words that give a screen away as untranslated: shown in the other language's mode, each is a defect. */
const ENGLISH_IN_ID = ['Partly', 'Standby', 'Time', 'Save', 'Delete', 'Cancel', 'Edit', 'Add', 'Loading', 'Search', 'Name', 'Phone', 'Danger', 'Warning', 'Passable', 'Impassable', 'condition', 'device stopped reporting', 'cleared', 'this needs the role', 'not found', 'viewer'];
const INDONESIAN_IN_EN = ['Simpan', 'Sebagian', 'Tambah', 'Hapus', 'Ubah', 'Batal', 'Tinggi muka air', 'Bisa dilalui', 'langsung', 'Diisi manual', 'Perangkat', 'Kejadian', 'Pengguna', 'Belum'];
/**
 * Names that are the app's own words, not data a person typed: alone on an English screen they
 * are untranslated (a category, its group, a warning level). Inside a resident's text or a
 * program's name from the RKPD they are the data itself.
 */
const INDONESIAN_NAMES_IN_EN = ['Banjir', 'Lainnya', 'Sampah', 'Jalan / jembatan rusak', 'PJU mati', 'Pohon tumbang', 'infrastruktur', 'bencana', 'lingkungan', 'layanan', 'Waspada', 'Siaga', 'Awas'];

/** Every text of the page a person reads: text nodes, placeholders and labels for screen readers; not what is marked translate="no" or with the other language, scripts or styles. */
const readPage = (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const doc = (globalThis as unknown as { document: any }).document;
    const out: string[] = [];
    const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEXTAREA']);
    const walk = (node: any): void => {
      if (node.nodeType === 3) {
        const text = String(node.textContent).trim();
        if (text) out.push(text);
        return;
      }
      if (node.nodeType !== 1 || skip.has(node.tagName) || node.translate === false) return;
      const lang = node.getAttribute('lang');
      if (lang && node !== doc.documentElement && lang !== doc.documentElement.lang) return;
      for (const attr of ['placeholder', 'aria-label']) {
        const v = node.getAttribute(attr);
        if (v) out.push(v);
      }
      for (const child of node.childNodes) walk(child);
    };
    walk(doc.body);
    // uPlot draws its axes on a canvas: the chart keeps the labels it drew beside it.
    for (const el of doc.querySelectorAll('[data-time-ticks]')) out.push(el.getAttribute('data-time-ticks'));
    return out;
  });

/** Whether nothing on the page (its nodes, texts, attributes) changes during the next `ms`, seen by a MutationObserver in the page. */
const unchangedFor = (page: Page, ms: number): Promise<boolean> =>
  page.evaluate(
    (ms) =>
      new Promise<boolean>((resolve) => {
        const w = globalThis as unknown as { document: object; MutationObserver: new (f: () => void) => { observe(n: object, o: object): void; disconnect(): void } };
        let changed = false;
        const observer = new w.MutationObserver(() => (changed = true));
        observer.observe(w.document, { subtree: true, childList: true, characterData: true, attributes: true });
        setTimeout(() => {
          observer.disconnect();
          resolve(!changed);
        }, ms);
      }),
    ms,
  );

/** What is wrong with a screen's texts in a language. */
function problems(texts: string[], lang: Lang, districtCodes: string[], keys: Set<string>): string[] {
  const found: string[] = [];
  for (const raw of texts) {
    // Emails, addresses and template placeholders are what they are.
    const text = raw
      .replace(/\S+@\S+/g, ' ')
      .replace(/https?:\/\/\S+/g, ' ')
      .replace(/\{\{\w+\}\}/g, ' ');
    // The platform's own keys (asset and device types, category codes, profile keys, KPI metrics), alone where a name belongs.
    if (keys.has(text.trim())) found.push(`raw key “${text.trim()}”`);
    const camel = text.match(/\b[a-z]+[A-Z][A-Za-z0-9]*\b/g);
    if (camel) found.push(`raw key ${camel.join(', ')} in “${raw}”`);
    const snake = text.match(/\b[a-z][a-z0-9]*_[a-z0-9_]+\b/g);
    if (snake) found.push(`raw key ${snake.join(', ')} in “${raw}”`);
    for (const code of districtCodes) if (text.includes(code)) found.push(`kecamatan code ${code} in “${raw}”`);
    for (const word of lang === 'id' ? ENGLISH_IN_ID : INDONESIAN_IN_EN) {
      if (new RegExp(`(^|[^\\p{L}])${word.replace(/[/]/g, '\\/')}($|[^\\p{L}])`, 'u').test(text)) found.push(`${lang === 'id' ? 'English' : 'Indonesian'} “${word}” in “${raw}”`);
    }
    if (lang === 'en' && INDONESIAN_NAMES_IN_EN.includes(text.trim())) found.push(`Indonesian name “${text.trim()}”`);
    if (/\b\d{1,2}\/\d{1,2}\/\d{2}\b/.test(text) || /\b\d{1,2}(:\d{2})?\s?(am|pm|AM|PM)\b/.test(text)) found.push(`US date or time in “${raw}”`);
    if (lang === 'id') {
      // A decimal point (3.55), not a thousands dot (3.000) nor a time (19.11, 19.11.22) nor a code (1.01.02)
      // nor the classification of a decree's number (SK Nomor 188.45/212/KPTS/2022).
      const usDecimals = [...text.matchAll(/(?<![\w.,])\d+\.\d+(?![\w.\/])/g)].map((m) => m[0]).filter((n) => !/^\d{1,3}(\.\d{3})+$/.test(n) && !/^\d{2}\.\d{2}$/.test(n));
      if (usDecimals.length > 0) found.push(`decimal point ${usDecimals.join(', ')} in “${raw}”`);
      if (/(?<![\d:])\d{1,2}:\d{2}(?![\d])/.test(text)) found.push(`time with a colon in “${raw}”`);
    } else {
      const idDecimals = text.match(/(?<![\w,.])\d+,\d{1,2}(?![\d,])/g);
      if (idDecimals) found.push(`decimal comma ${idDecimals.join(', ')} in “${raw}”`);
    }
  }
  return [...new Set(found)];
}

describe('every screen in both languages in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let districtCodes: string[];
  let rawKeys: Set<string>;
  let extraRoutes: string[] = [];
  const viewer = { email: 'sekda@demo.musirawas.go.id', password: 'Lihat-Saja-Sekda-2026' };
  const operator = { email: 'piket1.dlh@demo.musirawas.go.id', password: 'Piket-Sampah-DLH-2026' };

  before(async () => {
    const [sqlite] = await dialects();
    // Nine minutes of the demo on a clock the test moves: the river rises to Awas, the haze, a gauge goes silent.
    const clock = new ManualClock(Date.now() - 10 * MIN);
    s = await startServer(sqlite!, { loginRateLimit: 100 }, { clock, ruleTickMs: null });
    const simulator = await startDemo(s.app, { clock, stepMs: 3_600_000 });
    const start = clock.now();
    for (let m = 0.5; m <= 9; m += 0.5) {
      clock.set(start + m * MIN);
      await simulator.tick();
      await s.app.services.engine.tick();
    }
    const token = await s.login();
    districtCodes = ((await s.api('GET', '/api/v1/region/districts', { token })).body as { code: string }[]).map((d) => d.code);
    assert.ok(districtCodes.includes('16.05.10'));
    const answer = (await s.api('GET', '/api/v1/device-profiles?limit=1000', { token })).body as Profiles | { items: Profiles };
    const profiles = Array.isArray(answer) ? answer : answer.items;
    rawKeys = new Set([
      ...((await s.api('GET', '/api/v1/assets?limit=1000', { token })).body.items as { type: string }[]).map((a) => a.type),
      ...profiles.flatMap((p) => [p.type, ...p.keys.map((k) => k.key)]),
      ...((await s.api('GET', '/api/v1/incident-categories', { token })).body as { code: string }[]).map((c) => c.code),
      ...((await s.api('GET', '/api/v1/masterplan/metrics', { token })).body as { kind: string }[]).map((m) => m.kind),
    ]);
    // A KPI's unit is what the planners typed (*puskesmas*, *siswa*): data, even where it spells a key.
    for (const k of (await s.api('GET', '/api/v1/masterplan/kpis', { token })).body as { unit: string | null }[]) if (k.unit) rawKeys.delete(k.unit);
    assert.ok(rawKeys.has('school') && rawKeys.has('waterLevel') && rawKeys.has('flooding'));
    const alarms = (await s.api('GET', '/api/v1/alarms?status=active&limit=100', { token })).body.items as { id: string; type: string }[];
    assert.ok(alarms.some((a) => a.type === 'device_offline') && alarms.length >= 3, 'the demo raised its alarms');
    const incidents = (await s.api('GET', '/api/v1/incidents?limit=100', { token })).body.items as { id: string; source: string }[];
    extraRoutes = [...alarms.map((a) => `/alarms/${a.id}`), ...incidents.slice(0, 6).map((i) => `/incidents/${i.id}`)];
    const users = (await s.api('GET', '/api/v1/users?limit=1000', { token })).body.items as { id: string; email: string }[];
    for (const who of [viewer, operator]) {
      const id = users.find((u) => u.email === who.email)!.id;
      assert.equal((await s.api('POST', `/api/v1/users/${id}/password`, { token, body: { password: who.password } })).status, 200);
    }
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  /** A page signed in as someone, in a language. */
  const open = async (lang: Lang, who: { email: string; password: string } = ADMIN): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: lang === 'id' ? 'id-ID' : 'en-GB', timezoneId: 'Asia/Jakarta' });
    const page = await context.newPage();
    await page.goto(`${s.url}/lapor`);
    await page.evaluate((l) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('cerdas.lang', l), lang);
    await page.goto(s.url);
    await page.fill('input[name=email]', who.email);
    await page.fill('input[name=password]', who.password);
    await page.click('button[type=submit]');
    await page.locator('.topbar').waitFor();
    return page;
  };

  /**
   * Goes to a screen and waits until it has settled: no request of the page open, nothing loading,
   * and nothing on it changed for a while. A screen asks for its data as it opens and draws each
   * answer; one answer may lead to another request, which the next round sees.
   */
  const visit = async (page: Page, url: string): Promise<void> => {
    // The requests the screen makes from now on (not those of the screen before, still finishing).
    const inFlight = new Set<Request>();
    const up = (r: Request) => void inFlight.add(r);
    const down = (r: Request) => void inFlight.delete(r);
    page.on('request', up);
    page.on('requestfinished', down);
    page.on('requestfailed', down);
    // A screen says "Memuat …" while its data or its code is on the way: read half drawn, it would hide its defects.
    const loading = page.getByText(/^(Memuat|Loading) …$/);
    await page.goto(url);
    for (let round = 0; round < 100; round++) {
      const quiet = await unchangedFor(page, QUIET_MS);
      if (quiet && inFlight.size === 0 && (await loading.count()) === 0) break;
    }
    page.off('request', up);
    page.off('requestfinished', down);
    page.off('requestfailed', down);
    // Still loading after 100 rounds: the screen never finished.
    assert.equal(await loading.count(), 0, `${url} is still loading`);
  };

  for (const lang of ['id', 'en'] as const) {
    it(`shows names, units and ${lang === 'id' ? 'Indonesian' : 'English'} words and formats on every screen (${lang})`, async () => {
      const page = await open(lang);
      const found: string[] = [];
      for (const route of [...ADMIN_ROUTES, ...extraRoutes]) {
        await visit(page, `${s.url}/#${route}`);
        for (const p of problems(await readPage(page), lang, districtCodes, rawKeys)) found.push(`#${route}: ${p}`);
      }
      // A gauge's chart: the time axis and the legend.
      await visit(page, `${s.url}/#/`);
      await page.fill('.search input', 'PDA Sungai Beliti');
      await page.locator('.search li button').first().click();
      await page.locator('.chart .u-legend').waitFor({ timeout: 10_000 });
      await page.waitForTimeout(500);
      if ((await page.locator('.chart[data-time-ticks]').count()) === 0) found.push('chart: the time axis labels are not known (drawn by uPlot itself)');
      for (const p of problems(await readPage(page), lang, districtCodes, rawKeys)) found.push(`chart: ${p}`);
      assert.match(await page.locator('.chart .u-legend').innerText(), lang === 'id' ? /Waktu/ : /Time/);
      for (const route of PUBLIC_ROUTES) {
        await visit(page, `${s.url}${route}`);
        for (const p of problems(await readPage(page), lang, districtCodes, rawKeys)) found.push(`${route}: ${p}`);
      }
      await page.context().close();
      assert.deepEqual(found, [], `defects in ${lang} mode:\n${found.join('\n')}`);
    });
  }

  /** The buttons of a screen that change something, by their words. */
  const ACTIONS: Record<Lang, RegExp> = {
    id: /^(Tambah|Hapus|Ubah|Buat token baru|Cabut token|Nonaktifkan|Atur ulang kata sandi|Buat kunci|Cabut|Profil baru|Tambah kategori|Tambah shift|Catat tukar piket|Impor & unduh token|Periksa|Unduh CSV|Tangani|Selesaikan|Simpan)$/,
    en: /^(Add|Delete|Edit|New token|Revoke token|Deactivate|Reset password|Create key|Revoke|New profile|Add category|Add shift|Record swap|Import & download tokens|Check|Download CSV|Acknowledge|Clear|Save)$/,
  };
  const actionButtons = async (page: Page, lang: Lang): Promise<string[]> =>
    (await page.locator('main button:visible, main label.file:visible').allInnerTexts()).map((x) => x.trim()).filter((x) => ACTIONS[lang].test(x));

  it('shows a viewer (the Sekda) no action on the command center, the incidents and the administration', async () => {
    const page = await open('id', viewer);
    const found: string[] = [];
    for (const route of ['/', '/admin', '/admin/assets', '/admin/rules', '/admin/opds', '/admin/users', '/admin/duty', '/admin/escalation', ...extraRoutes]) {
      await visit(page, `${s.url}/#${route}`);
      const buttons = await actionButtons(page, 'id');
      if (buttons.length > 0) found.push(`#${route}: ${buttons.join(', ')}`);
    }
    // early warnings are prepared by admins and operators: no tab leading a viewer to a refusal
    assert.equal(await page.locator('nav[aria-label=main] a[href="#/warnings"]').count(), 0, 'no Peringatan dini tab for a viewer');
    await page.context().close();
    assert.deepEqual(found, [], `actions a viewer cannot take:\n${found.join('\n')}`);
  });

  it('shows an operator of DLH the actions of DLH only, and a refused action in the screen’s language', async () => {
    const token = await s.login();
    const devices = (await s.api('GET', '/api/v1/devices?limit=1000', { token })).body.items as { id: string; name: string; opdId: string | null }[];
    const opds = (await s.api('GET', '/api/v1/opds', { token })).body as { id: string; code: string }[];
    const dlh = opds.find((o) => o.code === 'DLH')!.id;
    const page = await open('id', operator);
    await visit(page, `${s.url}/#/admin`);
    // Tokens and deletion are for the device's own OPD (and admins): not on another OPD's rows.
    for (const d of devices) {
      const row = page.locator(`tr[data-device="${d.id}"]`);
      if ((await row.count()) === 0) continue;
      const buttons = (await row.locator('button').allInnerTexts()).map((x) => x.trim());
      if (d.opdId !== dlh) assert.deepEqual(buttons, [], `${d.name} is not DLH's: ${buttons.join(', ')}`);
    }
    await visit(page, `${s.url}/#/admin/opds`);
    assert.deepEqual(await actionButtons(page, 'id'), [], 'OPDs are kept by admins');
    await visit(page, `${s.url}/#/admin/users`);
    assert.deepEqual(await actionButtons(page, 'id'), [], 'users are kept by admins');

    // A refusal the screen could not foresee (the right was taken away meanwhile): the server's own answer, in Bahasa Indonesia on screen.
    await visit(page, `${s.url}/#/admin`);
    await page.route('**/api/v1/devices', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ error: { code: 'FORBIDDEN', message: 'this needs the role admin or operator' } }) })
        : route.continue(),
    );
    await page.fill('input[name=name]', 'Sensor uji DLH');
    await page.locator('main form button[type=submit]').first().click();
    const alert = page.locator('main [role=alert]').first();
    await alert.waitFor({ timeout: 10_000 });
    const text = await alert.innerText();
    assert.doesNotMatch(text, /needs|role|forbidden|operator/i, `an English server message: ${text}`);
    assert.match(text, /tidak|berhak|izin/i, text);
    await page.context().close();
  });
});
