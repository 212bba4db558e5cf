/**
 * Backup and restore with the platform running as a user runs it: readings
 * go in over HTTP while `npm run backup` copies the database; the backup is
 * restored into a fresh DATA_DIR and a server started there has every reading
 * acknowledged before the backup began, its users and its files byte for byte.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import sharp from 'sharp';
import { ADMIN, freePort, tempDir } from './helpers.ts';
import { ROOT, childEnv, spawnPlatform, waitForHealth, type ServerProcess } from './process.ts';

const ok = (value: unknown, message = 'expected a truthy value') => assert.ok(value, message);

/** Runs one of the scripts as `npm run …` would; resolves with its exit code and output. */
function runScript(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join('scripts', script), ...args], { cwd: ROOT, env: { ...childEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const d of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (d.isFile()) out.set(path.relative(dir, path.join(d.parentPath, d.name)), fs.readFileSync(path.join(d.parentPath, d.name)));
  }
  return out;
}

describe('backup and restore (SQLite)', () => {
  const procs: ServerProcess[] = [];
  after(() => {
    for (const p of procs) p.child.kill('SIGKILL');
  });

  it('round-trips a running platform under ingest, and refuses a damaged backup or a running server', async () => {
    const dataDir = tempDir('cerdas-backup-data-');
    const backups = tempDir('cerdas-backups-');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), HOST: '127.0.0.1', MQTT_PORT: '0', DATA_DIR: dataDir, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
    const first = spawnPlatform(env);
    procs.push(first);
    await waitForHealth(url, first);
    const json = { 'content-type': 'application/json' };
    const login = async (base: string, email: string, password: string) => {
      const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
      return { status: res.status, token: ((await res.json()) as { token?: string }).token ?? '' };
    };
    const admin = (await login(url, ADMIN.email, ADMIN.password)).token;
    const auth = { ...json, authorization: `Bearer ${admin}` };
    const device = (await (await fetch(`${url}/api/v1/devices`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'AWLR Kelingi' }) })).json()) as { id: string; accessToken: string };
    assert.equal((await fetch(`${url}/api/v1/users`, { method: 'POST', headers: auth, body: JSON.stringify({ email: 'op@musirawas.go.id', name: 'Pimpinan', password: 'password-123456', role: 'viewer' }) })).status, 201);
    // A report photo: stored under DATA_DIR/uploads.
    const fd = new FormData();
    fd.append('photo', new Blob([await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 10, g: 120, b: 200 } } }).jpeg().toBuffer()], { type: 'image/jpeg' }), 'foto.jpg');
    const photo = (await (await fetch(`${url}/api/v1/photos`, { method: 'POST', body: fd })).json()) as { id: string };
    const photoBytes = Buffer.from(await (await fetch(`${url}/api/v1/photos/${photo.id}`)).arrayBuffer());
    ok(photoBytes.length > 0, 'the photo is served');

    // Readings go in continuously; `acked` holds every timestamp the server answered 200 for.
    const acked: number[] = [];
    let stop = false;
    const base = Date.now() - 3_600_000;
    let nextTs = base;
    const writer = async () => {
      while (!stop) {
        const batch = Array.from({ length: 20 }, () => nextTs++);
        const res = await fetch(`${url}/api/v1/${device.accessToken}/telemetry`, { method: 'POST', headers: json, body: JSON.stringify(batch.map((ts) => ({ ts, values: { v: ts - base } }))) });
        if (res.status === 200) acked.push(...batch);
      }
    };
    const writers = [writer(), writer(), writer()];
    while (acked.length < 1000) await new Promise((r) => setTimeout(r, 20));

    const ackedBefore = [...acked];
    const made = await runScript('backup.ts', ['--out', backups], env);
    assert.equal(made.code, 0, made.output);
    const countAtEnd = acked.length;
    ok(countAtEnd > ackedBefore.length, 'ingest went on during the backup');
    const [name] = fs.readdirSync(backups);
    ok(name && !name.endsWith('.partial'), made.output);
    const dir = path.join(backups, name!);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.dialect, 'sqlite');
    assert.match(manifest.migration, /^00\d\d-/);
    ok(manifest.files.some((f: { path: string }) => f.path === 'files/secrets.key'), 'secrets.key is kept');
    ok(manifest.files.some((f: { path: string }) => f.path.startsWith('files/uploads/')), 'uploads are kept');

    // Not over a running server's DATA_DIR.
    const overRunning = await runScript('restore.ts', [dir], env);
    assert.equal(overRunning.code, 1);
    assert.match(overRunning.output, /refused: a server answers/);

    stop = true;
    await Promise.all(writers);
    first.child.kill('SIGTERM');
    await first.exited;

    // A damaged copy is refused before anything is written.
    const damaged = path.join(tempDir('cerdas-damaged-'), 'backup');
    fs.cpSync(dir, damaged, { recursive: true });
    const db = path.join(damaged, 'database.sqlite');
    const bytes = fs.readFileSync(db);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    fs.writeFileSync(db, bytes);
    const freshForDamaged = tempDir('cerdas-restore-damaged-');
    const refused = await runScript('restore.ts', [damaged], { ...env, DATA_DIR: freshForDamaged });
    assert.equal(refused.code, 1);
    assert.match(refused.output, /refused: the backup is damaged: database.sqlite does not match its checksum/);
    assert.deepEqual(fs.readdirSync(freshForDamaged), [], 'nothing written');

    // Restored into a fresh DATA_DIR, a new server has it all.
    const fresh = path.join(tempDir('cerdas-restore-'), 'data');
    const port2 = await freePort();
    const env2 = { ...env, DATA_DIR: fresh, PORT: String(port2) };
    const restored = await runScript('restore.ts', [dir], env2);
    assert.equal(restored.code, 0, restored.output);
    const before = filesUnder(dataDir);
    const after = filesUnder(fresh);
    for (const [file, content] of before) {
      if (file.startsWith('cerdas.sqlite')) continue;
      ok(after.get(file)?.equals(content), `${file} is back byte for byte`);
    }
    assert.equal((fs.statSync(path.join(fresh, 'secrets.key')).mode & 0o777).toString(8), (fs.statSync(path.join(dataDir, 'secrets.key')).mode & 0o777).toString(8));

    const second = spawnPlatform(env2);
    procs.push(second);
    const url2 = `http://127.0.0.1:${port2}`;
    await waitForHealth(url2, second);
    const admin2 = await login(url2, ADMIN.email, ADMIN.password);
    assert.equal(admin2.status, 200);
    assert.equal((await login(url2, 'op@musirawas.go.id', 'password-123456')).status, 200);
    const series = (await (await fetch(`${url2}/api/v1/devices/${device.id}/telemetry?keys=v&from=${base}&to=${nextTs + 1}&agg=none`, { headers: { authorization: `Bearer ${admin2.token}` } })).json()) as { v: { ts: number }[] };
    const stored = new Set(series.v.map((p) => p.ts));
    const missing = ackedBefore.filter((ts) => !stored.has(ts));
    assert.equal(missing.length, 0, `${missing.length} of ${ackedBefore.length} readings acknowledged before the backup are missing`);
    const served = Buffer.from(await (await fetch(`${url2}/api/v1/photos/${photo.id}`)).arrayBuffer());
    ok(served.equals(photoBytes), 'the photo is served byte for byte');
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
