import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { dialects, freePort, PG_URL, startServerOn, testConfig, type Dialect } from './helpers.ts';

/**
 * createApp opens the modules in order; when one fails to open, or something
 * fails after they all opened, what was opened is closed again: the database
 * and the broker's port are not left held by a platform that never started.
 */
// The dialects are read at the top, not in an async describe: where files share a process
// (scripts/test.ts), the next file's suites would be cancelled once an async describe ended.
for (const dialect of await dialects()) {
  describe(`the app assembled from its modules (${dialect.name})`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups) await c();
    });

    it('a module that fails to open (the MQTT port is taken) closes the modules opened before it: the database is closed', async () => {
      const storage = await openedStorage(dialect, cleanups);
      const blocker = net.createServer().listen(0, '127.0.0.1');
      await new Promise((resolve) => blocker.once('listening', resolve));
      const taken = (blocker.address() as net.AddressInfo).port;
      try {
        await assert.rejects(createApp(testConfig({ ...storage.config, mqttPort: taken }), { backgroundJobs: false, ruleTickMs: null }), new RegExp(`MQTT_PORT ${taken} is in use`));
      } finally {
        blocker.close();
      }
      assert.equal(await storage.connections(), 0, 'the database was closed');
    });

    it("starts the modules' periodic jobs unless backgroundJobs is false: a restart prunes telemetry past the region's retention at once", async () => {
      const storage = await dialect.storage();
      cleanups.push(() => storage.drop());
      const DAY = 86_400_000;
      const first = await startServerOn(storage, { mqttPort: null }, {}, true);
      const admin = await first.login();
      const device = (await first.api('POST', '/api/v1/devices', { token: admin, body: { name: 'Pos duga air', type: 'water_level' } })).body as { id: string; accessToken: string };
      const now = Date.now();
      const sent = await first.api('POST', `/api/v1/${device.accessToken}/telemetry`, { body: [{ ts: now - 40 * DAY, values: { level: 1 } }, { ts: now - DAY, values: { level: 2 } }] });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      assert.equal((await first.api('PATCH', '/api/v1/region', { token: admin, body: { retentionDays: 30 } })).status, 200);
      await first.close();
      const levels = async (s: typeof first) =>
        (await s.api('GET', `/api/v1/devices/${device.id}/telemetry?keys=level&from=${now - 60 * DAY}`, { token: await s.login() })).body.level.map((p: { value: number }) => p.value);

      const withoutJobs = await startServerOn(storage, { mqttPort: null }, { backgroundJobs: false }, true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(await levels(withoutJobs), [1, 2], 'no job ran');
      await withoutJobs.close();

      const withJobs = await startServerOn(storage, { mqttPort: null }, { backgroundJobs: true }, true);
      try {
        let seen: number[] = [];
        for (let i = 0; i < 50 && (seen = await levels(withJobs)).length !== 1; i++) await new Promise((resolve) => setTimeout(resolve, 100));
        assert.deepEqual(seen, [2], 'the retention job ran at start');
      } finally {
        await withJobs.close();
      }
    });

    it('a failure after every module opened (seeding a region that does not exist) closes them all: the broker port is free and the database closed', async () => {
      const storage = await openedStorage(dialect, cleanups);
      const mqttPort = await freePort();
      await assert.rejects(createApp(testConfig({ ...storage.config, mqttPort, regionCode: '99.99' }), { backgroundJobs: false, ruleTickMs: null }), /no regency or city has the Kemendagri code 99\.99/);
      assert.equal(await storage.connections(), 0, 'the database was closed');
      // The broker had listened on it: a new listener gets it only if the broker let it go.
      const probe = net.createServer();
      await new Promise<void>((resolve, reject) => {
        probe.once('error', reject);
        probe.listen(mqttPort, '127.0.0.1', resolve);
      });
      await new Promise((resolve) => probe.close(resolve));
    });
  });
}

/**
 * Fresh storage, with a way to count the platform's connections to it. A
 * platform started and closed on it first shows that the count sees an open
 * database (the count is not 0 whatever happens), and seeds the region.
 */
async function openedStorage(dialect: Dialect, cleanups: (() => Promise<void>)[]) {
  const storage = await dialect.storage();
  cleanups.push(() => storage.drop());
  const applicationName = `cerdas-assembly-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  // The URL may or may not carry a query already (a schema's search_path, or none for a database of its own).
  const databaseUrl = storage.databaseUrl && withParam(storage.databaseUrl, 'application_name', applicationName);
  const config = { dataDir: storage.dataDir, databaseUrl };
  const connections = async (): Promise<number> => {
    if (!databaseUrl) return openFilesUnder(storage.dataDir);
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      // A closed pool's backends end a moment after it: wait a little for them.
      for (let i = 0; ; i++) {
        const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
        const n = Number(rows[0]!.n);
        if (n === 0 || i === 20) return n;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await client.end();
    }
  };
  const app = await createApp(testConfig({ ...config, mqttPort: null }), { backgroundJobs: false, ruleTickMs: null });
  assert.ok((await connections()) > 0, 'an open platform holds the database');
  await app.close();
  assert.equal(await connections(), 0, 'a closed platform does not');
  return { config, connections };
}

/** Files of DATA_DIR (the SQLite database, its WAL) this process holds open. */
function openFilesUnder(dir: string): number {
  const real = fs.realpathSync(dir);
  let n = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(path.join('/proc/self/fd', fd)).startsWith(real + path.sep)) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

function withParam(url: string, name: string, value: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set(name, value);
  return parsed.toString();
}
