import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ADMIN, dialects, freePort, startServerOn, tempDir, type Storage, type TestServer } from './helpers.ts';
import { ROOT, childEnv, spawnPlatform, waitForHealth } from './process.ts';

/** Runs `npm run admin -- …` as a user does (node scripts/admin.ts), against the given storage. */
function adminCommand(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/admin.ts', ...args], { cwd: ROOT, env: { ...childEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

const storageEnv = (storage: Storage): Record<string, string> => ({ DATA_DIR: storage.dataDir, ...(storage.databaseUrl && { DATABASE_URL: storage.databaseUrl }) });

for (const dialect of await dialects()) {
  describe(`npm run admin (${dialect.name})`, () => {
    let storage: Storage;
    let s: TestServer;
    before(async () => {
      storage = await dialect.storage();
      s = await startServerOn(storage, {}, {}, true);
    });
    after(async () => {
      await s?.close();
      await storage?.drop();
    });

    it('reset-password prints a new strong password once, ends the sessions, and the old password no longer works', async () => {
      const session = await s.login();
      const run = await adminCommand(['reset-password', ADMIN.email], storageEnv(storage));
      assert.equal(run.code, 0, run.out);
      const password = /new password for \S+: (\S+)/.exec(run.out)?.[1];
      assert.ok(password, run.out);
      assert.ok(password.length >= 20);
      assert.equal((await s.api('POST', '/api/v1/auth/login', { body: ADMIN })).status, 401, 'the old password no longer works');
      assert.equal((await s.api('POST', '/api/v1/auth/login', { body: { email: ADMIN.email, password } })).status, 200);
      const left = await s.app.services.database.db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').select('sessions.token_hash').where('users.email', '=', ADMIN.email).execute();
      assert.equal(left.length, 1, 'only the session just opened with the new password');
      void session;
      // Put the suite's password back for the tests after this one.
      const token = await s.login(ADMIN.email, password);
      assert.equal((await s.api('POST', '/api/v1/auth/password', { token, body: { currentPassword: password, newPassword: ADMIN.password } })).status, 204);
    });

    it('create-admin makes an admin with a generated password; list-admins lists them; mistakes are one clear line', async () => {
      const created = await adminCommand(['create-admin', 'cadangan@musirawas.go.id'], storageEnv(storage));
      assert.equal(created.code, 0, created.out);
      const password = /password: (\S+)/.exec(created.out)?.[1];
      assert.ok(password, created.out);
      const token = await s.login('cadangan@musirawas.go.id', password);
      assert.equal((await s.api('GET', '/api/v1/auth/me', { token })).body.role, 'admin');
      const list = await adminCommand(['list-admins'], storageEnv(storage));
      assert.equal(list.code, 0, list.out);
      assert.match(list.out, new RegExp(`${ADMIN.email}\\t16\\.05\\tactive`));
      assert.match(list.out, /cadangan@musirawas\.go\.id\t16\.05\tactive/);
      assert.doesNotMatch(list.out, /\$scrypt|scrypt\$/, 'no hashes');

      const unknown = await adminCommand(['reset-password', 'nobody@example.org'], storageEnv(storage));
      assert.equal(unknown.code, 1);
      assert.match(unknown.out, /no user with the email nobody@example\.org/);
      const usage = await adminCommand(['reset-password'], storageEnv(storage));
      assert.equal(usage.code, 2);
      assert.match(usage.out, /usage: npm run admin/);
    });
  });
}

describe('npm run admin without a database', () => {
  it('says where it looked instead of creating one', async () => {
    const run = await adminCommand(['list-admins'], { DATA_DIR: tempDir() });
    assert.equal(run.code, 1);
    assert.match(run.out, /no database in/);
  });
});

describe('the first admin password', () => {
  it('is printed again after a first start that failed (a taken MQTT port), on every start until the admin logs in', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const failed = spawnPlatform({ HOST: '127.0.0.1', DATA_DIR: dataDir, PORT: String(port), MQTT_PORT: String(taken) });
      assert.equal(await failed.exited, 1);
      assert.match(failed.output(), /MQTT_PORT \d+ is in use/);
      assert.doesNotMatch(failed.output(), /password/, 'the failed start printed nothing to log in with');
    } finally {
      blocker.close();
    }

    const startAndRead = async () => {
      const p = spawnPlatform({ HOST: '127.0.0.1', DATA_DIR: dataDir, PORT: String(port), MQTT_PORT: '0' });
      await waitForHealth(`http://127.0.0.1:${port}`, p);
      const match = /first admin — email (\S+), password (\S+)/.exec(p.output());
      p.child.kill('SIGTERM');
      assert.equal(await p.exited, 0);
      return { match, output: p.output() };
    };
    const login = (email: string, password: string) =>
      fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) }).then((r) => r.status);

    const second = await startAndRead();
    assert.ok(second.match, second.output);
    const third = spawnPlatform({ HOST: '127.0.0.1', DATA_DIR: dataDir, PORT: String(port), MQTT_PORT: '0' });
    await waitForHealth(`http://127.0.0.1:${port}`, third);
    const printed = /first admin — email (\S+), password (\S+)/.exec(third.output());
    assert.ok(printed, 'printed again: nobody has logged in yet');
    assert.notEqual(printed[2], second.match[2], 'a new password each start, none kept in clear');
    assert.equal(await login(printed[1]!, second.match[2]!), 401, 'the one printed before is replaced');
    assert.equal(await login(printed[1]!, printed[2]!), 200);
    third.child.kill('SIGTERM');
    assert.equal(await third.exited, 0);

    const fourth = await startAndRead();
    assert.equal(fourth.match, null, 'once the admin has logged in, nothing is printed');
    assert.doesNotMatch(fourth.output, /password \S+/);
  });

  it('refuses a weak ADMIN_PASSWORD as a configuration error that says why', async () => {
    const p = spawnPlatform({ HOST: '127.0.0.1', DATA_DIR: tempDir(), PORT: String(await freePort()), MQTT_PORT: '0', ADMIN_EMAIL: 'admin@musirawas.go.id', ADMIN_PASSWORD: 'password123' });
    assert.equal(await p.exited, 2);
    assert.match(p.output(), /cerdas: ADMIN_PASSWORD is too weak: .*commonly used|heavily used|frequently used/);
    assert.match(p.output(), /ADMIN_PASSWORD terlalu lemah/);
    assert.doesNotMatch(p.output(), /\n\s+at /, 'no stack trace');
  });
});
