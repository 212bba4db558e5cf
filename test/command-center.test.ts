import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects, startServer, type TestServer } from './helpers.ts';

/** GET /api/v1/command-center stands for six list routes: it must answer exactly what they answer, to whoever asks. */
for (const dialect of await dialects()) {
  describe(`the command center's first screen in one answer on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;

    before(async () => {
      s = await startServer(dialect, {}, { ruleTickMs: null });
      admin = await s.login();
      const bpbd = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'bpbd', name: 'BPBD' } })).body.id;
      for (const [i, name] of ['Pos duga air Kelingi', 'Pos duga air Tugumulyo', 'Pompa polder 2'].entries()) {
        const asset = (await s.api('POST', '/api/v1/assets', { token: admin, body: { type: 'river_gauge', name, geometry: { type: 'Point', coordinates: [103 + i / 10, -3.2] } } })).body;
        const device = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name, type: 'river_gauge', opdId: bpbd, assetId: asset.id } })).body;
        assert.equal((await s.api('POST', `/api/v1/${device.accessToken}/telemetry`, { body: { waterLevel: 3 + i } })).status, 200);
        if (i === 2) {
          const rule = await s.api('POST', '/api/v1/rules', { token: admin, body: { name: 'Banjir', target: { kind: 'device', value: device.id }, key: 'waterLevel', condition: { op: 'gt', value: 4 }, severity: 'awas' } });
          assert.equal(rule.status, 201, JSON.stringify(rule.body));
          assert.equal((await s.api('POST', `/api/v1/${device.accessToken}/telemetry`, { body: { waterLevel: 5.2 } })).status, 200);
          await s.app.services.engine.idle();
        }
      }
      // a viewer reads the same screen as the admin
      assert.equal((await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'bupati@musirawas.go.id', name: 'Bupati', password: 'viewer-password-2026', role: 'viewer' } })).status, 201);
    });
    after(async () => {
      await s.close();
    });

    const sixRoutes = async (token: string) => {
      const get = async (path: string) => {
        const res = await s.api('GET', `/api/v1${path}`, { token });
        assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
        return res.body;
      };
      return {
        region: await get('/region'),
        layers: await get('/region/layers'),
        assets: (await get('/assets?limit=1000')).items,
        devices: (await get('/devices?limit=1000')).items,
        latest: await get('/telemetry/latest'),
        alarms: (await get('/alarms?status=active&limit=1000')).items,
      };
    };

    it('answers what the six routes answer, for an admin and for a viewer', async () => {
      const viewer = await s.login('bupati@musirawas.go.id', 'viewer-password-2026');
      for (const token of [admin, viewer]) {
        const one = await s.api('GET', '/api/v1/command-center', { token });
        assert.equal(one.status, 200, JSON.stringify(one.body));
        assert.deepEqual(one.body, await sixRoutes(token));
      }
      const screen = (await s.api('GET', '/api/v1/command-center', { token: admin })).body;
      assert.deepEqual(screen.assets.map((a: { name: string }) => a.name).sort(), ['Pompa polder 2', 'Pos duga air Kelingi', 'Pos duga air Tugumulyo']);
      assert.equal(screen.alarms.length, 1, 'the water level of 5.2 over 4 is one active alarm');
      assert.equal(screen.alarms[0].severity, 'awas');
    });

    it('refuses without a session, as the routes it stands for do', async () => {
      const res = await s.api('GET', '/api/v1/command-center');
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'UNAUTHENTICATED');
    });
  });
}
