/**
 * The public reporting page in Chromium on a phone: what a resident without an account sees.
 * Errors (no category, no location, outside the region, offline) keep what was typed; a report
 * with a photo gets a ticket; the ticket page, the public map and erasure; the first load is small.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { dialects, startServer, tempDir, type TestServer } from '../helpers.ts';
import { ROOT } from '../process.ts';
import { launch, NO_CHROMIUM, screenshot } from './browser.ts';

if (NO_CHROMIUM) console.log(`# ${NO_CHROMIUM}`);
const INSIDE = { latitude: -3.217, longitude: 103.033 }; // Muara Beliti, Musi Rawas
const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const PERSON = { name: 'Siti Rahmawati Uji', phone: '081234567890', email: 'siti.uji@example.id' };

/** A camera-sized JPEG (3000×2000) the page must shrink to 1600 px before sending. */
async function photoFixture(): Promise<string> {
  const file = path.join(tempDir('cerdas-e2e-photo-'), 'gorong-gorong.jpg');
  const width = 3000;
  const height = 2000;
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i += 3) {
    const x = (i / 3) % width;
    raw[i] = (x * 7) & 255;
    raw[i + 1] = 120;
    raw[i + 2] = ((i / 3 / width) * 3) & 255;
  }
  await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).toFile(file);
  return file;
}

describe('public reporting page on a phone in Chromium', { skip: NO_CHROMIUM }, () => {
  let s: TestServer;
  let browser: Browser;
  let photo: string;
  before(async () => {
    const [sqlite] = await dialects();
    s = await startServer(sqlite!, { reportRateLimit: 1000 }, { ruleTickMs: null });
    const admin = await s.login();
    assert.equal((await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'PUPR', name: 'Dinas Pekerjaan Umum dan Penataan Ruang' } })).status, 201);
    photo = await photoFixture();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  const phone = async (where = INSIDE): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ ...PHONE, geolocation: where, permissions: ['geolocation'], locale: 'id-ID' });
    const page = await context.newPage();
    return { context, page };
  };

  it('is small on the first load and loads the map only when asked', async () => {
    const html = fs.readFileSync(path.join(ROOT, 'web', 'dist', 'lapor.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    assert.ok(assets.length >= 2, 'the page has its script and style');
    // Leaflet is bundled with the region's base-map code (web/src/map-base.ts), shared with the operators' app.
    const mapChunk = /leaflet|map-base|public-map/;
    assert.ok(!assets.some((a) => mapChunk.test(a)), 'Leaflet is not in the first load');
    const gzipped = assets.reduce((sum, a) => sum + zlib.gzipSync(fs.readFileSync(path.join(ROOT, 'web', 'dist', a)), { level: 9 }).length, 0);
    console.log(`# public page first load: ${(gzipped / 1024).toFixed(1)} KB gzipped JS+CSS (${assets.join(', ')})`);
    assert.ok(gzipped < 60 * 1024, `first load ${gzipped} bytes gzipped`);

    const { context, page } = await phone();
    const loaded: string[] = [];
    page.on('request', (r) => loaded.push(r.url()));
    await page.goto(`${s.url}/lapor`);
    await page.locator('button.cat').first().waitFor();
    assert.ok(!loaded.some((u) => mapChunk.test(u)), 'no Leaflet before a map is asked for');
    assert.ok(loaded.every((u) => u.startsWith(s.url) || u.startsWith('data:')), `nothing from the internet: ${loaded.filter((u) => !u.startsWith(s.url)).join(', ')}`);
    await page.getByRole('button', { name: 'Pilih di peta' }).click();
    await page.locator('.pick-map.leaflet-container').waitFor();
    assert.ok(loaded.some((u) => mapChunk.test(u)), 'Leaflet comes when the map is opened');
    assert.ok(loaded.some((u) => u.endsWith('/api/v1/public/layers')), "the region's own layers come with it");
    // A tap on the map sets the spot.
    const box = (await page.locator('.pick-map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator('[data-testid=where]').waitFor();
    await context.close();
  });

  it('says what is missing and keeps what was typed; files once everything is there', async () => {
    const { context, page } = await phone();
    await page.goto(`${s.url}/lapor`);
    await page.fill('textarea[name=description]', 'Gorong-gorong ambruk <b>di depan</b> SD Negeri 3 Muara Beliti');
    await page.click('button.send');
    await page.getByRole('alert').getByText('Pilih jenis masalahnya dulu.').waitFor();
    await page.click('button.cat[data-code=roads]');
    await page.click('button.send');
    await page.getByText('Lokasi belum ada: gunakan lokasi Anda atau pilih di peta.').waitFor();
    await page.click('[data-testid=locate]');
    await page.locator('[data-testid=where]').getByText('3,21700° LS · 103,03300° BT').waitFor();
    await page.click('button.send');
    await page.getByText('Isian wajib belum diisi', { exact: false }).waitFor(); // roads asks whether it is passable
    await page.selectOption('select[name=attribute-passable]', { index: 1 });
    // A file that says it is a JPEG but is not: refused in the browser, before any upload.
    await page.setInputFiles('input[name=photo]', { name: 'foto.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('<script>alert(1)</script> not a photo') });
    await page.getByText('Berkas ini bukan foto yang bisa dibaca', { exact: false }).waitFor();
    await page.setInputFiles('input[name=photo]', photo);
    await page.getByText('Foto siap dikirim').first().waitFor();
    const kb = Number((await page.locator('.photo .small').textContent())!.replace(/\D/g, ''));
    assert.ok(kb > 0 && kb < 1500, `resized photo is ${kb} KB`);
    await page.fill('input[name=name]', PERSON.name);
    await page.fill('input[name=phone]', PERSON.phone);
    await page.fill('input[name=email]', PERSON.email);
    await page.getByText('hanya dilihat oleh OPD yang menangani laporan').waitFor();
    await screenshot(page, 'report-phone.png', { fullPage: true });

    // Offline: a clear message, nothing lost, and a retry once the network is back.
    await context.setOffline(true);
    await page.click('button.send');
    await page.getByText('Tidak tersambung ke server', { exact: false }).waitFor();
    assert.equal(await page.inputValue('textarea[name=description]'), 'Gorong-gorong ambruk <b>di depan</b> SD Negeri 3 Muara Beliti');
    assert.equal(await page.inputValue('input[name=phone]'), PERSON.phone);
    await context.setOffline(false);
    await page.click('button.send');

    const ticket = (await page.locator('[data-testid=ticket]').textContent({ timeout: 30_000 }))!.trim();
    assert.match(ticket, /^[A-Z]+-\d+$/);
    const secret = (await page.locator('[data-testid=erase-secret]').textContent())!.trim();
    assert.match(secret, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/, '8 characters without I, L, O or U, grouped');
    // The code box is a normal size: inside the screen, not a page of its own.
    const box = (await page.locator('[data-testid=code-box]').boundingBox())!;
    assert.ok(box.width <= 375 && box.height <= 260, `code box ${box.width}×${box.height}`);
    const code = (await page.locator('[data-testid=erase-secret]').boundingBox())!;
    assert.ok(code.height <= 48, `the code on one line (${code.height} px high)`);
    // The code is remembered only when asked: a shared phone must not hand it to the next person.
    const codes = () => page.evaluate<string | null>("localStorage.getItem('cerdas.lapor.codes')");
    const remember = page.getByLabel('Ingat kode ini di perangkat ini (jangan pada perangkat bersama)');
    assert.equal(await remember.isChecked(), false, 'off by default');
    assert.equal(await codes(), null, 'nothing stored without asking');
    await remember.check();
    assert.deepEqual(JSON.parse((await codes())!), { [ticket]: secret });
    await remember.uncheck();
    assert.deepEqual(JSON.parse((await codes())!), {}, 'unticked: forgotten');
    await remember.check();

    // The stored photo is the resized one: at most 1600 px.
    const admin = await s.login();
    const list = await s.api('GET', `/api/v1/incidents?q=${encodeURIComponent(ticket)}`, { token: admin });
    const inc = list.body.items[0];
    assert.equal(inc.ticket, ticket);
    assert.equal(inc.photos.length, 1);
    const stored = await sharp(Buffer.from(await (await fetch(s.url + inc.photos[0].url)).arrayBuffer())).metadata();
    assert.ok(Math.max(stored.width!, stored.height!) <= 1600, `stored photo ${stored.width}×${stored.height}`);
    assert.equal(inc.description, 'Gorong-gorong ambruk <b>di depan</b> SD Negeri 3 Muara Beliti', 'HTML is kept as data');

    // The ticket page while the report awaits moderation: its status and deadline, not its text.
    await page.click('a.button');
    const detail = page.locator('[data-testid=ticket-detail]');
    await detail.waitFor();
    await detail.getByTestId('status').getByText('Baru diterima').waitFor();
    await detail.getByTestId('pending').getByText('sedang ditinjau petugas', { exact: false }).waitFor();
    assert.ok(!(await detail.textContent())!.includes('Gorong-gorong ambruk'), 'no text before approval');
    assert.match((await detail.getByTestId('deadline').textContent())!, /^Diteruskan ke OPD paling lambat/);
    // new, not yet routed: no OPD named as handling it (the category's OPD is only a proposal), in both languages
    assert.ok(!(await detail.textContent())!.includes('Ditangani oleh'), 'a new report is handled by no one yet');
    assert.equal((await detail.getByTestId('agency').textContent())!.trim(), 'PenangananMenunggu verifikasi dan penerusan ke OPD');
    await page.locator('button.lang', { hasText: 'English' }).click();
    assert.equal((await detail.getByTestId('agency').textContent())!.trim(), 'HandlingAwaiting verification and routing to the agency (OPD)');
    assert.ok(!(await detail.textContent())!.includes('Handled by'));
    await page.locator('button.lang', { hasText: 'Bahasa Indonesia' }).click();
    assert.ok(!(await detail.textContent())!.includes('Perkiraan selesai'));

    // An operator approves it: the ticket page (and the public map, below) show it.
    const approved = await s.api('POST', `/api/v1/incidents/${inc.id}/publication`, { token: admin, body: { publication: 'published' } });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    await page.reload();
    await detail.getByTestId('status').getByText('Baru diterima').waitFor();
    assert.equal(await detail.getByTestId('pending').count(), 0);
    assert.ok((await detail.textContent())!.includes('Gorong-gorong ambruk <b>di depan</b>'), 'the description is shown as text, tags and all');
    assert.equal(await page.locator('.desc b').count(), 0, 'no HTML from the reporter is rendered');
    const body = (await page.content()) + JSON.stringify(await (await fetch(`${s.url}/api/v1/public/tickets/${ticket}`)).json());
    for (const v of Object.values(PERSON)) assert.ok(!body.includes(v), `${v} is not on the public ticket page`);

    // The reporter answers: this browser was asked to remember the code, so it is filled in; a wrong one is refused in words.
    const reply = page.locator('[data-testid=reply]');
    assert.equal(await reply.locator('input[name=code]').inputValue(), secret, 'the code is remembered by the browser that filed the report, as asked');
    await reply.getByRole('button', { name: 'Kirim tanggapan' }).click();
    await reply.getByText('Tulis tanggapan Anda dulu.').waitFor();
    await reply.locator('textarea[name=reply]').fill('Lubangnya makin lebar setelah hujan semalam <i>tolong</i>.');
    await reply.locator('input[name=code]').fill('bukan-kodenya');
    await reply.getByRole('button', { name: 'Kirim tanggapan' }).click();
    await reply.getByText('Kode pelapor tidak cocok dengan tiket ini, atau', { exact: false }).waitFor();
    // typed as copied from paper: lower case, without the dash
    await reply.locator('input[name=code]').fill(secret.replace('-', '').toLowerCase());
    await reply.getByRole('button', { name: 'Kirim tanggapan' }).click();
    await reply.getByText('Tanggapan Anda terkirim.', { exact: false }).waitFor();
    const answered = detail.locator('[data-testid=updates] li', { hasText: 'Lubangnya makin lebar setelah hujan semalam <i>tolong</i>.' });
    await answered.getByText('Tanggapan pelapor').waitFor();
    assert.equal(await page.locator('[data-testid=updates] i').count(), 0, 'the answer is shown as text');

    // Resolved by the agency: "not fixed yet" puts it back in their hands.
    for (const step of [['assign', {}], ['status', { status: 'in_progress' }], ['status', { status: 'resolved' }]] as const) {
      const res = await s.api('POST', `/api/v1/incidents/${inc.id}/${step[0]}`, { token: admin, body: step[1] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    await page.reload();
    await detail.getByTestId('status').getByText('Selesai ditangani').waitFor();
    const opd = ((await (await fetch(`${s.url}/api/v1/public/tickets/${ticket}`)).json()) as { agency: string | null }).agency;
    assert.ok(opd, 'the report was assigned to an OPD');
    assert.equal((await detail.getByTestId('agency').textContent())!.trim(), `Ditangani oleh${opd}`);
    assert.equal(await detail.getByTestId('deadline').count(), 0, 'resolved: no deadline of the agency left');
    await reply.getByRole('button', { name: 'Masalah sudah beres' }).waitFor();
    await reply.locator('textarea[name=reply]').fill('Belum, airnya masih menggenang.');
    await reply.getByRole('button', { name: 'Belum beres' }).click();
    await reply.getByText('laporan dibuka kembali', { exact: false }).waitFor();
    await detail.getByTestId('status').getByText('Sedang ditangani').waitFor();
    assert.match((await detail.getByTestId('deadline').textContent())!, /^Ditanggapi petugas paling lambat/, 'reopened: the agency answers again by a date');
    assert.equal((await s.api('GET', `/api/v1/incidents/${inc.id}`, { token: admin })).body.status, 'in_progress');

    // Resolved again: "it is fixed" closes the report, and the page says so.
    assert.equal((await s.api('POST', `/api/v1/incidents/${inc.id}/status`, { token: admin, body: { status: 'resolved' } })).status, 200);
    await page.reload();
    await reply.getByText('"Masalah sudah beres" menutup laporan ini', { exact: false }).waitFor();
    await reply.locator('textarea[name=reply]').fill('Sudah beres, terima kasih.');
    await reply.locator('input[name=code]').fill(secret);
    await reply.getByRole('button', { name: 'Masalah sudah beres' }).click();
    await page.getByText('Terima kasih atas konfirmasinya: laporan ini ditutup.').waitFor();
    await detail.getByTestId('status').getByText('Ditutup').waitFor();
    assert.equal((await s.api('GET', `/api/v1/incidents/${inc.id}`, { token: admin })).body.status, 'closed');

    await page.click('.erase summary');
    await page.fill('input[name=secret]', 'not-the-secret');
    await page.click('.erase button[type=submit]');
    await page.getByText('Kode pelapor tidak cocok dengan tiket ini.').waitFor();
    await page.fill('input[name=secret]', secret);
    await page.click('.erase button[type=submit]');
    await page.getByText('Nama, nomor HP dan email Anda tidak lagi tersimpan pada laporan ini', { exact: false }).waitFor();
    assert.equal(await page.evaluate<string | null>("localStorage.getItem('cerdas.lapor.codes')"), '{}', 'the spent code is forgotten');
    const after = await s.api('GET', `/api/v1/incidents/${inc.id}`, { token: admin });
    assert.ok(!after.body.reporter || (after.body.reporter.name === null && after.body.reporter.phone === null && after.body.reporter.email === null), 'the reporter is erased');

    // The public map has the report, without anyone's name.
    await page.goto(`${s.url}/lapor#/peta`);
    await page.locator('.pub-map.leaflet-container').waitFor();
    await page.waitForFunction(() => ((globalThis as unknown as { cerdasPublicMarkers?: number }).cerdasPublicMarkers ?? 0) >= 1);
    await page.locator('.report-list').getByText(ticket).waitFor();
    await page.selectOption('select[name=category]', 'waste');
    await page.getByText('Belum ada laporan dengan lokasi.').waitFor();
    await page.waitForFunction(() => (globalThis as unknown as { cerdasPublicMarkers?: number }).cerdasPublicMarkers === 0);
    const mapText = await page.content();
    for (const v of Object.values(PERSON)) assert.ok(!mapText.includes(v), `${v} is not on the public map`);
    await context.close();
  });

  it('refuses a spot outside the region and an unknown ticket, in both languages', async () => {
    const { context, page } = await phone({ latitude: -6.2, longitude: 106.8 }); // Jakarta
    await page.goto(`${s.url}/lapor`);
    await page.locator('button.cat').first().waitFor();
    await page.click('[data-testid=locate]');
    await page.getByText('Lokasi ini di luar wilayah', { exact: false }).first().waitFor();
    await page.click('button.cat[data-code=waste]');
    await page.fill('textarea[name=description]', 'Sampah menumpuk');
    await page.click('button.send');
    await page.locator('[data-testid=form-error]').getByText('Lokasi ini di luar wilayah', { exact: false }).waitFor();
    await page.locator('button.lang', { hasText: 'English' }).click();
    await page.getByText('Send report').waitFor();
    await page.click('button.send');
    await page.locator('[data-testid=form-error]').getByText('This location is outside', { exact: false }).waitFor();
    await page.goto(`${s.url}/lapor#/tiket/MR-999999`);
    await page.getByText('No such ticket number', { exact: false }).waitFor();
    await page.locator('button.lang', { hasText: 'Bahasa Indonesia' }).click();
    await page.getByText('Nomor tiket tidak ditemukan', { exact: false }).waitFor();
    await context.close();
  });
});
