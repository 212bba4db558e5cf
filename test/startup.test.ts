import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort, tempDir } from './helpers.ts';
import { ROOT, spawnPlatform, waitForHealth } from './process.ts';
import { SERVER_NODE_FLAGS } from '../scripts/start.mjs';

/** Start-up as a newcomer sees it: one clear line for every mistake, no stack trace. */
describe('start-up', () => {
  const base = () => ({ HOST: '127.0.0.1', DATA_DIR: tempDir() });

  it('reports every bad variable at once and exits with code 2', async () => {
    const p = spawnPlatform({ ...base(), PORT: 'eighty', MQTT_PORT: '70000', DATABASE_URL: 'mysql://x', ADMIN_EMAIL: 'a@b.id' });
    assert.equal(await p.exited, 2);
    const out = p.output();
    assert.match(out, /PORT must be a whole number/);
    assert.match(out, /MQTT_PORT must be a whole number from 0 to 65535/);
    assert.match(out, /DATABASE_URL must start with postgres:\/\//);
    assert.match(out, /ADMIN_EMAIL and ADMIN_PASSWORD go together/);
    assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
  });

  it('says in one line that the HTTP port is taken', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const p = spawnPlatform({ ...base(), PORT: String(port), MQTT_PORT: '0' });
      assert.equal(await p.exited, 1);
      assert.match(p.output(), new RegExp(`cerdas: cannot start: PORT ${port} is in use`));
      assert.doesNotMatch(p.output(), /\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('says in one line that the MQTT port is taken', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const p = spawnPlatform({ ...base(), PORT: String(await freePort()), MQTT_PORT: String(port) });
      assert.equal(await p.exited, 1);
      assert.match(p.output(), new RegExp(`MQTT_PORT ${port} is in use`));
    } finally {
      blocker.close();
    }
  });

  it('says in one line that PostgreSQL cannot be reached', async () => {
    const p = spawnPlatform({ ...base(), PORT: String(await freePort()), MQTT_PORT: '0', DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/none` });
    assert.equal(await p.exited, 1);
    assert.match(p.output(), /cerdas: cannot start: cannot connect to PostgreSQL at 127\.0\.0\.1:\d+/);
    assert.doesNotMatch(p.output(), /\n\s+at /);
  });

  it('prints a generated admin password, and it logs in; after that login, no more', async () => {
    const port = await freePort();
    const env = { ...base(), PORT: String(port), MQTT_PORT: '0' };
    const p = spawnPlatform(env);
    await waitForHealth(`http://127.0.0.1:${port}`, p);
    const match = /first admin — email (\S+), password (\S+)/.exec(p.output());
    assert.ok(match, p.output());
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: match[1], password: match[2] }),
    });
    assert.equal(res.status, 200);
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
    const again = spawnPlatform(env);
    await waitForHealth(`http://127.0.0.1:${port}`, again);
    assert.doesNotMatch(again.output(), /password/, 'once the admin has logged in, no password is printed');
    again.child.kill('SIGTERM');
    await again.exited;
  });

  it('npm start runs the server built into plain JavaScript, worker threads included', async () => {
    const port = await freePort();
    // ADMIN_PASSWORD is judged on the password checker's thread, which must load from dist/ too.
    const p = spawnPlatform({ ...base(), PORT: String(port), MQTT_PORT: '0', ADMIN_EMAIL: 'start@example.org', ADMIN_PASSWORD: 'Sungai-Kelingi-Meluap-2026' }, [], 'scripts/start.mjs');
    await waitForHealth(`http://127.0.0.1:${port}`, p, 90_000);
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'main.js')), 'the server was built into dist/');
    // The process npm started is the server itself (same pid, so signals and supervisors reach it), with its memory settings.
    const procDir = `/proc/${p.child.pid}`;
    if (fs.existsSync(procDir)) {
      const argv = fs.readFileSync(`${procDir}/cmdline`, 'utf8').split('\0');
      assert.ok(SERVER_NODE_FLAGS.every((flag) => argv.includes(flag)) && argv.some((arg) => arg.startsWith('--max-semi-space-size=')), `the server runs with its V8 memory flags: ${argv.join(' ')}`);
      // dist/bundle/main.js: the build folded into one module (scripts/bundle-server.mjs), the bundler being installed here.
      assert.ok(argv.some((arg) => arg.endsWith(path.join('dist', 'bundle', 'main.js'))), `the server process runs the bundle of dist/: ${argv.join(' ')}`);
      assert.ok(fs.readFileSync(`${procDir}/environ`, 'utf8').split('\0').includes('MALLOC_ARENA_MAX=2'), 'and with two malloc arenas');
    }
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'start@example.org', password: 'Sungai-Kelingi-Meluap-2026' }),
    });
    assert.equal(res.status, 200);
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
  });

  it('takes flags as well as variables', async () => {
    const port = await freePort();
    const p = spawnPlatform({ ...base(), ADMIN_EMAIL: 'flag@example.org', ADMIN_PASSWORD: 'Bendera-Merah-Putih-2026' }, ['--port', String(port), '--mqtt-port=0']);
    await waitForHealth(`http://127.0.0.1:${port}`, p);
    const health = (await (await fetch(`http://127.0.0.1:${port}/api/v1/health`)).json()) as { mqttPort: number | null };
    assert.equal(health.mqttPort, null);
    p.child.kill('SIGTERM');
    await p.exited;
  });
});
