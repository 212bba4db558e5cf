import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startDemo } from '../../src/app.ts';
import { dialects, startServerOn, tempDir, type Storage, type TestServer } from '../helpers.ts';

/**
 * SQLite storage for a demo server: a copy of the run's demo-seeded database where the runner made
 * one (TEST_DEMO_TEMPLATE, test/e2e/demo-template.ts), on which startDemo finds the demo and only
 * refreshes it, as a restart with DEMO=1 does; else a fresh database, which startDemo seeds.
 */
export async function demoStorage(): Promise<Storage> {
  const template = process.env.TEST_DEMO_TEMPLATE;
  if (template && fs.existsSync(template)) {
    const dataDir = tempDir();
    fs.cpSync(template, dataDir, { recursive: true });
    return { dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const [sqlite] = await dialects();
  return sqlite!.storage();
}

/**
 * The demo on SQLite (seeded, its simulator stopped: the screens are read, not
 * watched), signed in as the admin and as a viewer of the leadership.
 */
export async function demoWithViewer(): Promise<{ s: TestServer; admin: string; viewer: string }> {
  const s = await startServerOn(await demoStorage(), {}, { ruleTickMs: null });
  const simulator = await startDemo(s.app, { stepMs: 60_000 });
  await simulator.stop();
  const admin = await s.login();
  const created = await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'pimpinan@musirawas.go.id', name: 'Pimpinan', password: 'Rahasia-Pimpinan-2026', role: 'viewer' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { s, admin, viewer: await s.login('pimpinan@musirawas.go.id', 'Rahasia-Pimpinan-2026') };
}
