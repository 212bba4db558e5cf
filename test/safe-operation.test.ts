/**
 * Safe operation on both dialects: a database that stops answering gives 503
 * ("try again"), not 500; health says when the disk is full; every answer
 * carries the browser's rules (CSP, no framing); an operator naming another
 * OPD for a device is refused rather than quietly given one of their own.
 */
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects, startServer, type TestServer } from './helpers.ts';

for (const dialect of await dialects()) {
  describe(`safe operation on ${dialect.name}`, () => {
    let s: TestServer;
    let freeBytes = 10 * 1024 ** 3;
    before(async () => {
      s = await startServer(dialect, {}, { ruleTickMs: null, diskFree: async () => freeBytes });
    });
    after(async () => {
      await s.close().catch(() => {});
    });

    it('says in health when the disk is nearly full', async () => {
      const fine = await s.api('GET', '/api/v1/health');
      assert.equal(fine.status, 200);
      assert.equal(fine.body.disk, 'ok');
      assert.equal(fine.body.diskFreeBytes, freeBytes);
      freeBytes = 10 * 1024 ** 2;
      const full = await s.api('GET', '/api/v1/health');
      assert.equal(full.status, 503);
      assert.equal(full.body.status, 'error');
      assert.equal(full.body.disk, 'full');
      freeBytes = 10 * 1024 ** 3;
    });

    it('sends the browser rules with every answer, and the API documentation keeps its own', async () => {
      for (const path of ['/', '/api/v1/health', '/api/v1/nothing-here']) {
        const res = await fetch(s.url + path);
        const csp = res.headers.get('content-security-policy') ?? '';
        assert.match(csp, /default-src 'self'/, path);
        assert.match(csp, /frame-ancestors 'none'/, path);
        // scripts of this platform only: its files, and the pages' own inline scripts by their hash (never 'unsafe-inline')
        assert.match(csp, /script-src 'self'( 'sha256-[A-Za-z0-9+/]+=*')*(;|$)/, path);
        assert.doesNotMatch(csp, /unsafe-inline'[^;]*;\s*style-src|script-src[^;]*unsafe/, path);
        assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
        assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
      }
      // the one inline script of the operators' page is allowed by its own hash, and only it
      const page = await fetch(`${s.url}/`);
      const inline = [...(await page.text()).matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
      assert.equal(inline.length, 1, 'index.html has its early-fetch script');
      assert.deepEqual(/script-src ([^;]*)/.exec(page.headers.get('content-security-policy') ?? '')![1]!.split(' '), ["'self'", ...inline]);
      const docs = await fetch(`${s.url}/api/docs/static/index.html`);
      assert.equal(docs.headers.get('x-frame-options'), 'DENY');
      assert.doesNotMatch(docs.headers.get('content-security-policy') ?? '', /script-src 'self'(;|$)/, 'the docs page runs its own inline script');
    });

    it("refuses an operator's device for another OPD instead of making it their own", async () => {
      const admin = await s.login();
      const opd = async (code: string) => (await s.api('POST', '/api/v1/opds', { token: admin, body: { code, name: `Dinas ${code}` } })).body.id as string;
      const [pupr, dlh] = [await opd('PUPR'), await opd('DLH')];
      await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'op@pupr.id', name: 'Op PUPR', password: 'Sungai-Kelingi-2026!', role: 'operator', opdId: pupr } });
      const op = await s.login('op@pupr.id', 'Sungai-Kelingi-2026!');
      const refused = await s.api('POST', '/api/v1/devices', { token: op, body: { name: 'Lampu', type: 'street_light', opdId: dlh } });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'FORBIDDEN');
      const devices = await s.api('GET', '/api/v1/devices', { token: admin });
      assert.equal(devices.body.items.some((d: { name: string }) => d.name === 'Lampu'), false, 'nothing created');
      const own = await s.api('POST', '/api/v1/devices', { token: op, body: { name: 'Lampu', type: 'street_light', opdId: pupr } });
      assert.equal(own.status, 201);
      assert.equal(own.body.opdId, pupr);
    });

    it('answers 503 "try again", not 500, when the database stops answering', async () => {
      const admin = await s.login();
      await s.app.services.database.close();
      const login = await s.api('POST', '/api/v1/auth/login', { body: { email: 'admin@musirawas.go.id', password: 'whatever-it-is' } });
      assert.equal(login.status, 503, JSON.stringify(login.body));
      assert.equal(login.body.error.code, 'UNAVAILABLE');
      const me = await s.api('GET', '/api/v1/auth/me', { token: admin });
      assert.equal(me.status, 503);
      const health = await s.api('GET', '/api/v1/health');
      assert.equal(health.status, 503);
    });
  });
}
