import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects, openStream, portAnswers, startServer, startServerOn, type StreamClient, type TestServer } from './helpers.ts';

/**
 * Sessions end when access is taken away — one's own password changed, an
 * admin's reset, disabling, a new role — and the live stream of an ended
 * session closes at once: far sooner than the stream's 30-second re-check, so
 * only the session.revoked event can have done it.
 */
const STRONG = 'Sungai-Beliti-Naik-2026';
const AT_ONCE_MS = 2000;

async function closesAtOnce(stream: StreamClient): Promise<void> {
  const result = await Promise.race([stream.closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), AT_ONCE_MS))]);
  assert.ok(result, `the stream was still open ${AT_ONCE_MS} ms after its session ended`);
  assert.equal(result.code, 4001);
}

async function staysOpen(stream: StreamClient): Promise<void> {
  stream.send({ type: 'ping', id: 'still-there' });
  await stream.next((m) => m.type === 'pong' && m.id === 'still-there');
}

for (const dialect of await dialects()) {
  describe(`sessions and accounts (${dialect.name})`, () => {
    let s: TestServer;
    let admin: string;
    let n = 0;
    before(async () => {
      // Many logins from one address: the limit is not what is tested here.
      s = await startServer(dialect, { loginRateLimit: 1000 });
      admin = await s.login();
    });
    after(() => s?.close());

    const createUser = async (extra: Record<string, unknown> = {}) => {
      const email = `orang${++n}@musirawas.go.id`;
      const res = await s.api('POST', '/api/v1/users', { token: admin, body: { email, name: `Orang ${n}`, password: STRONG, role: 'viewer', ...extra } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; email: string };
    };
    const me = (token: string) => s.api('GET', '/api/v1/auth/me', { token }).then((r) => r.status);
    const login = (email: string, password: string) => s.api('POST', '/api/v1/auth/login', { body: { email, password } }).then((r) => r.status);

    it("changing one's own password ends every other session and closes its stream at once; this session stays", async () => {
      const u = await createUser();
      const here = await s.login(u.email, STRONG);
      const elsewhere = await s.login(u.email, STRONG);
      const hereStream = await openStream(s.url, here, 'subprotocol');
      const otherStream = await openStream(s.url, elsewhere, 'query');
      // Just used, so cached: the cache must not keep it alive.
      assert.equal(await me(elsewhere), 200);
      const changed = await s.api('POST', '/api/v1/auth/password', { token: here, body: { currentPassword: STRONG, newPassword: 'Kopi-Pagi-Di-Lubuklinggau' } });
      assert.equal(changed.status, 204, JSON.stringify(changed.body));
      await closesAtOnce(otherStream);
      assert.equal(await me(elsewhere), 401, 'the old session no longer works');
      assert.equal(await me(here), 200, 'the session that changed it stays');
      await staysOpen(hereStream);
      assert.equal(await login(u.email, STRONG), 401);
      assert.equal(await login(u.email, 'Kopi-Pagi-Di-Lubuklinggau'), 200);
      hereStream.close();
    });

    it("an admin's reset ends all the user's sessions and streams at once; the generated password is answered once", async () => {
      const u = await createUser();
      const token = await s.login(u.email, STRONG);
      const stream = await openStream(s.url, token, 'header');
      assert.equal(await me(token), 200);
      const reset = await s.api('POST', `/api/v1/users/${u.id}/password`, { token: admin, body: {} });
      assert.equal(reset.status, 200, JSON.stringify(reset.body));
      assert.equal(typeof reset.body.generatedPassword, 'string');
      await closesAtOnce(stream);
      assert.equal(await me(token), 401);
      assert.equal(await login(u.email, STRONG), 401);
      assert.equal(await login(u.email, reset.body.generatedPassword), 200);
      assert.equal((await s.api('GET', `/api/v1/users/${u.id}`, { token: admin })).body.generatedPassword, undefined, 'never shown again');

      const again = await s.login(u.email, reset.body.generatedPassword);
      const second = await openStream(s.url, again, 'subprotocol');
      const given = await s.api('POST', `/api/v1/users/${u.id}/password`, { token: admin, body: { password: 'Hujan-Deras-Di-Muara-Beliti' } });
      assert.equal(given.status, 200);
      assert.equal(given.body.generatedPassword, undefined);
      await closesAtOnce(second);
      assert.equal(await login(u.email, 'Hujan-Deras-Di-Muara-Beliti'), 200);
    });

    it('disabling a user, or changing their role, ends their sessions and streams at once; enabling lets them log in again', async () => {
      const u = await createUser();
      const token = await s.login(u.email, STRONG);
      const stream = await openStream(s.url, token, 'subprotocol');
      assert.equal((await s.api('PATCH', `/api/v1/users/${u.id}`, { token: admin, body: { disabled: true } })).status, 200);
      await closesAtOnce(stream);
      assert.equal(await me(token), 401);
      assert.equal(await login(u.email, STRONG), 401);
      const enabled = await s.api('PATCH', `/api/v1/users/${u.id}`, { token: admin, body: { disabled: false } });
      assert.equal(enabled.body.disabled, false);

      const fresh = await s.login(u.email, STRONG);
      const next = await openStream(s.url, fresh, 'subprotocol');
      assert.equal((await s.api('PATCH', `/api/v1/users/${u.id}`, { token: admin, body: { role: 'admin' } })).status, 200);
      await closesAtOnce(next);
      // Only one admin is left for the last-admin test below.
      assert.equal((await s.api('DELETE', `/api/v1/users/${u.id}`, { token: admin })).status, 204);
    });

    it("logging out closes that session's stream only", async () => {
      const u = await createUser();
      const a = await s.login(u.email, STRONG);
      const b = await s.login(u.email, STRONG);
      const streamA = await openStream(s.url, a, 'subprotocol');
      const streamB = await openStream(s.url, b, 'subprotocol');
      assert.equal((await s.api('POST', '/api/v1/auth/logout', { token: a })).status, 204);
      await closesAtOnce(streamA);
      await staysOpen(streamB);
      streamB.close();
    });

    it('takes the stream token in the Authorization header, the subprotocol (answering cerdas.v1, never the token) or ?token=', async () => {
      const viaProtocol = await openStream(s.url, admin, 'subprotocol');
      assert.equal(viaProtocol.ws.protocol, 'cerdas.v1');
      await staysOpen(viaProtocol);
      const viaHeader = await openStream(s.url, admin, 'header');
      await staysOpen(viaHeader);
      const viaQuery = await openStream(s.url, admin, 'query');
      await staysOpen(viaQuery);
      for (const x of [viaProtocol, viaHeader, viaQuery]) x.close();
      await assert.rejects(openStream(s.url, 'not-a-token', 'subprotocol'), /401/);
    });

    it('refuses weak passwords everywhere, saying why in Bahasa Indonesia and English', async () => {
      const refused = (res: { status: number; body: any }) => {
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.error.code, 'PASSWORD_WEAK');
        assert.match(res.body.error.message, /Kata sandi terlalu lemah: .+ \/ Password too weak: .+/);
        assert.ok(res.body.error.details.reason.id.length > 0 && res.body.error.details.reason.en.length > 0);
      };
      for (const password of ['12345678', 'password', 'musirawas2026', 'cerdas123']) {
        refused(await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'lemah@musirawas.go.id', name: 'Lemah', password, role: 'viewer' } }));
      }
      const common = await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'lemah@musirawas.go.id', name: 'Lemah', password: 'password', role: 'viewer' } });
      assert.match(common.body.error.message, /sering digunakan/);
      assert.match(common.body.error.message, /heavily used password/);
      // The person's own name and email count against them.
      refused(await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'suryadi.pratama@musirawas.go.id', name: 'Suryadi Pratama', password: 'suryadipratama1', role: 'viewer' } }));
      assert.equal((await s.api('GET', '/api/v1/users?limit=100', { token: admin })).body.items.some((x: { email: string }) => x.email === 'lemah@musirawas.go.id'), false, 'nothing half-written');

      const u = await createUser();
      const token = await s.login(u.email, STRONG);
      refused(await s.api('POST', '/api/v1/auth/password', { token, body: { currentPassword: STRONG, newPassword: 'qwertyuiop' } }));
      refused(await s.api('POST', `/api/v1/users/${u.id}/password`, { token: admin, body: { password: '11111111' } }));
      refused(await s.api('PATCH', `/api/v1/users/${u.id}`, { token: admin, body: { password: 'iloveyou' } }));
      assert.equal(await login(u.email, STRONG), 200, 'the old password still works after the refusals');
      const short = await s.api('POST', '/api/v1/auth/password', { token, body: { currentPassword: STRONG, newPassword: 'Ab1!' } });
      assert.equal(short.status, 400);
    });

    it('edits name, role, OPD and position; deletes a user', async () => {
      const opds = (await s.api('GET', '/api/v1/opds', { token: admin })).body as { id: string; code: string }[];
      const u = await createUser();
      const edited = await s.api('PATCH', `/api/v1/users/${u.id}`, { token: admin, body: { name: 'Dewi Lestari', role: 'operator', opdId: opds[0]!.id, position: 'kabid' } });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.deepEqual([edited.body.name, edited.body.role, edited.body.opdId, edited.body.position], ['Dewi Lestari', 'operator', opds[0]!.id, 'kabid']);
      const noOpd = await s.api('PATCH', `/api/v1/users/${u.id}`, { token: admin, body: { opdId: null } });
      assert.equal(noOpd.status, 400, 'an operator needs an OPD');
      assert.equal((await s.api('DELETE', `/api/v1/users/${u.id}`, { token: admin })).status, 204);
      assert.equal((await s.api('GET', `/api/v1/users/${u.id}`, { token: admin })).status, 404);
      assert.equal(await login(u.email, STRONG), 401);
    });

    it('keeps the last active admin: it cannot be demoted, disabled or deleted (409 LAST_ADMIN), and two admins disabling each other at once cannot both win', async () => {
      const mine = (await s.api('GET', '/api/v1/auth/me', { token: admin })).body;
      for (const body of [{ role: 'viewer' }, { disabled: true }]) {
        const res = await s.api('PATCH', `/api/v1/users/${mine.id}`, { token: admin, body });
        assert.equal(res.status, 409);
        assert.equal(res.body.error.code, 'LAST_ADMIN');
        assert.match(res.body.error.message, /admin aktif terakhir.*last active admin/);
      }
      const other = await createUser({ role: 'admin' });
      const otherToken = await s.login(other.email, STRONG);
      // Each disables the other in the same instant: one must fail, or the region is left with no admin.
      const [x, y] = await Promise.all([
        s.api('PATCH', `/api/v1/users/${other.id}`, { token: admin, body: { disabled: true } }),
        s.api('PATCH', `/api/v1/users/${mine.id}`, { token: otherToken, body: { disabled: true } }),
      ]);
      const statuses = [x.status, y.status].sort();
      assert.ok(statuses[0] === 200 || statuses[0] === 401, JSON.stringify([x.body, y.body]));
      const users = (await s.api('GET', '/api/v1/users?limit=100', { token: x.status === 200 ? admin : otherToken })).body.items as { role: string; disabled: boolean }[];
      assert.ok(users.filter((u) => u.role === 'admin' && !u.disabled).length >= 1, 'an active admin is left');
      if (x.status !== 200) assert.equal(x.body.error?.code ?? 'UNAUTHENTICATED', x.status === 409 ? 'LAST_ADMIN' : 'UNAUTHENTICATED');
    });
  });
}

describe('a session ended on one instance closes its stream on the other (NATS)', { skip: (await portAnswers(4222)) ? false : 'NATS does not answer on 127.0.0.1:4222' }, () => {
  it('closes the stream at once', async () => {
    const dialect = (await dialects())[0]!;
    const storage = await dialect.storage();
    const busUrl = `nats://127.0.0.1:4222/cerdas_sessions_${process.pid}_${Date.now()}`;
    const a = await startServerOn(storage, { busUrl }, { ruleTickMs: null }, true);
    const b = await startServerOn(storage, { busUrl }, { ruleTickMs: null }, true);
    try {
      const adminA = await a.login();
      const u = (await a.api('POST', '/api/v1/users', { token: adminA, body: { email: 'jauh@musirawas.go.id', name: 'Jauh', password: STRONG, role: 'viewer' } })).body;
      const tokenOnB = await b.login(u.email, STRONG);
      const stream = await openStream(b.url, tokenOnB, 'subprotocol');
      assert.equal((await b.api('GET', '/api/v1/auth/me', { token: tokenOnB })).status, 200);
      assert.equal((await a.api('PATCH', `/api/v1/users/${u.id}`, { token: adminA, body: { disabled: true } })).status, 200);
      await closesAtOnce(stream);
      assert.equal((await b.api('GET', '/api/v1/auth/me', { token: tokenOnB })).status, 401, "B's cache forgot it too");
    } finally {
      await a.close();
      await b.close();
      await storage.drop();
    }
  });
});
