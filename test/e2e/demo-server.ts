import assert from 'node:assert/strict';
import { startDemo } from '../../src/app.ts';
import { dialects, startServer, type TestServer } from '../helpers.ts';

/**
 * The demo on SQLite (seeded, its simulator stopped: the screens are read, not
 * watched), signed in as the admin and as a viewer of the leadership.
 */
export async function demoWithViewer(): Promise<{ s: TestServer; admin: string; viewer: string }> {
  const [sqlite] = await dialects();
  const s = await startServer(sqlite!, {}, { ruleTickMs: null });
  const simulator = await startDemo(s.app, { stepMs: 60_000 });
  await simulator.stop();
  const admin = await s.login();
  const created = await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'pimpinan@musirawas.go.id', name: 'Pimpinan', password: 'Rahasia-Pimpinan-2026', role: 'viewer' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { s, admin, viewer: await s.login('pimpinan@musirawas.go.id', 'Rahasia-Pimpinan-2026') };
}
