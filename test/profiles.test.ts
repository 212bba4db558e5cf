import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/core/clock.ts';
import { dialects, startServer, type TestServer } from './helpers.ts';

const MIN = 60_000;

const RIVER_GAUGE = {
  type: 'river_gauge',
  name: { id: 'Pos duga air', en: 'River gauge' },
  keys: [
    { key: 'waterLevel', label: { id: 'Tinggi muka air', en: 'Water level' }, unit: 'm', decimals: 2, min: 0, max: 8 },
    { key: 'battery', label: { id: 'Baterai', en: 'Battery' }, unit: '%', decimals: 0, min: 0, max: 100 },
  ],
  commands: [],
  offlineTimeoutSeconds: 120,
};

for (const dialect of await dialects()) {
  describe(`device profiles on ${dialect.name}`, () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 5, 0, 0));
    let s: TestServer;
    let admin: string;
    let operator: string;
    let viewer: string;
    before(async () => {
      s = await startServer(dialect, {}, { clock, ruleTickMs: null });
      admin = await s.login();
      const opd = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'PUPR', name: 'Dinas PUPR' } })).body;
      for (const [email, role] of [['operator@musirawas.go.id', 'operator'], ['viewer@musirawas.go.id', 'viewer']] as const) {
        const res = await s.api('POST', '/api/v1/users', { token: admin, body: { email, name: role, password: 'Kata-Sandi-Kuat-2026!', role, ...(role === 'operator' && { opdId: opd.id }) } });
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      operator = await s.login('operator@musirawas.go.id', 'Kata-Sandi-Kuat-2026!');
      viewer = await s.login('viewer@musirawas.go.id', 'Kata-Sandi-Kuat-2026!');
    });
    after(async () => s.close());

    const device = async (name: string, type: string) => (await s.api('POST', '/api/v1/devices', { token: admin, body: { name, type } })).body as { id: string; accessToken: string };
    const send = (token: string, body: unknown) => s.api('POST', `/api/v1/${token}/telemetry`, { body });
    const online = async (id: string) => (await s.api('GET', `/api/v1/devices/${id}`, { token: admin })).body.online as boolean | null;
    const waitOnline = async (id: string) => {
      for (let i = 0; i < 100 && (await online(id)) !== true; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(await online(id), true);
    };

    it('lets admins create, read, replace and delete a profile; operators and viewers only read', async () => {
      const created = await s.api('POST', '/api/v1/device-profiles', { token: admin, body: RIVER_GAUGE });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.type, 'river_gauge');
      assert.deepEqual(created.body.keys[0].label, { id: 'Tinggi muka air', en: 'Water level' });
      assert.equal(created.body.provisionKey, null);
      assert.equal(created.body.provisionSecret, null);
      const id = created.body.id as string;

      for (const token of [operator, viewer]) {
        assert.equal((await s.api('GET', '/api/v1/device-profiles', { token })).body.length, 1);
        assert.equal((await s.api('GET', `/api/v1/device-profiles/${id}`, { token })).body.keys[0].unit, 'm');
        assert.equal((await s.api('POST', '/api/v1/device-profiles', { token, body: { ...RIVER_GAUGE, type: 'pump' } })).status, 403);
        assert.equal((await s.api('PUT', `/api/v1/device-profiles/${id}`, { token, body: RIVER_GAUGE })).status, 403);
        assert.equal((await s.api('DELETE', `/api/v1/device-profiles/${id}`, { token })).status, 403);
      }

      const twice = await s.api('POST', '/api/v1/device-profiles', { token: admin, body: RIVER_GAUGE });
      assert.equal(twice.status, 409);
      assert.equal(twice.body.error.code, 'PROFILE_EXISTS');
      const badRange = await s.api('POST', '/api/v1/device-profiles', { token: admin, body: { ...RIVER_GAUGE, type: 'x', keys: [{ ...RIVER_GAUGE.keys[0], min: 9, max: 1 }] } });
      assert.equal(badRange.status, 400);
      assert.match(badRange.body.error.message, /min \(9\) is above max \(1\)/);
      assert.equal((await s.api('POST', '/api/v1/device-profiles', { token: admin, body: { type: 'x' } })).status, 400, 'a name in both languages is required');

      // provisioning:true issues a key and a secret, shown once
      const issued = await s.api('PUT', `/api/v1/device-profiles/${id}`, { token: admin, body: { ...RIVER_GAUGE, provisioning: true } });
      assert.equal(issued.status, 200);
      assert.equal(typeof issued.body.provisionKey, 'string');
      assert.equal(typeof issued.body.provisionSecret, 'string');
      const read = (await s.api('GET', `/api/v1/device-profiles/${id}`, { token: admin })).body;
      assert.equal(read.provisionKey, issued.body.provisionKey);
      assert.equal('provisionSecret' in read, false, 'the secret is never shown again');
      const unchanged = await s.api('PUT', `/api/v1/device-profiles/${id}`, { token: admin, body: RIVER_GAUGE });
      assert.equal(unchanged.body.provisionKey, issued.body.provisionKey, 'leaving provisioning out keeps the pair');
      assert.equal(unchanged.body.provisionSecret, null);

      const temp = await s.api('POST', '/api/v1/device-profiles', { token: admin, body: { type: 'temp', name: { id: 'Sementara', en: 'Temporary' } } });
      assert.equal((await s.api('DELETE', `/api/v1/device-profiles/${temp.body.id}`, { token: admin })).status, 204);
      assert.equal((await s.api('GET', `/api/v1/device-profiles/${temp.body.id}`, { token: admin })).status, 404);
    });

    it('names the profile on the device page', async () => {
      const gauge = await device('PDA Tugumulyo', 'river_gauge');
      const other = await device('Sensor lain', 'no_profile');
      const profile = (await s.api('GET', '/api/v1/device-profiles', { token: admin })).body.find((p: { type: string }) => p.type === 'river_gauge');
      assert.equal((await s.api('GET', `/api/v1/devices/${gauge.id}`, { token: viewer })).body.profileId, profile.id);
      assert.equal((await s.api('GET', `/api/v1/devices/${other.id}`, { token: viewer })).body.profileId, null);
    });

    it("refuses a level out of the command's range in its profile (Redupkan 0–100 %), over the API as in the panel", async () => {
      const created = await s.api('POST', '/api/v1/device-profiles', {
        token: admin,
        body: {
          type: 'street_light',
          name: { id: 'Lampu jalan (PJU)', en: 'Street light' },
          keys: [],
          commands: [
            { method: 'setPower', label: { id: 'Nyalakan', en: 'Switch on' }, params: { on: true }, oneway: false },
            { method: 'setDim', label: { id: 'Redupkan', en: 'Dim' }, input: { min: 0, max: 100, step: 5, unit: '%' }, oneway: false },
          ],
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const light = await device('PJU-LS-09', 'street_light');
      const rpc = (params: unknown, method = 'setDim') => s.api('POST', `/api/v1/devices/${light.id}/rpc`, { token: admin, body: { method, params, persistent: true } });
      assert.equal((await rpc(40)).status, 200, 'a level in range is queued for the device');
      for (const bad of [150, -1, '40', { level: 40 }, null]) {
        const res = await rpc(bad);
        assert.equal(res.status, 400, `params ${JSON.stringify(bad)}`);
        assert.match(res.body.error.message, /from 0 to 100 %/);
      }
      assert.equal((await rpc({ on: false }, 'setPower')).status, 200, "a button's method takes the params it is sent");
    });

    it('stores a value outside the expected range as sent and flags it in the latest values', async () => {
      const gauge = await device('PDA Muara Kelingi', 'river_gauge');
      assert.equal((await send(gauge.accessToken, { waterLevel: 12.5, battery: -3 })).status, 200, 'never refused');
      let latest = (await s.api('GET', `/api/v1/devices/${gauge.id}/latest`, { token: viewer })).body;
      assert.deepEqual(latest.waterLevel, { ts: clock.now(), value: 12.5, outOfRange: 'above' });
      assert.deepEqual(latest.battery, { ts: clock.now(), value: -3, outOfRange: 'below' });
      clock.advance(1000);
      await send(gauge.accessToken, { waterLevel: 4.3, battery: 90 });
      latest = (await s.api('GET', `/api/v1/devices/${gauge.id}/latest`, { token: viewer })).body;
      assert.deepEqual(latest.waterLevel, { ts: clock.now(), value: 4.3 }, 'no flag when in range');
      const series = (await s.api('GET', `/api/v1/devices/${gauge.id}/telemetry?keys=waterLevel&from=0&to=${clock.now() + 1}`, { token: admin })).body;
      assert.deepEqual(series.waterLevel.map((p: { value: number }) => p.value), [12.5, 4.3], 'the out-of-range value is stored unchanged');
    });

    it("marks a device offline after its profile's timeout, others after the region's", async () => {
      await s.api('POST', '/api/v1/device-profiles', { token: admin, body: { type: 'slow_tracker', name: { id: 'Pelacak lambat', en: 'Slow tracker' }, offlineTimeoutSeconds: 3600 } });
      const fast = await device('PDA cepat', 'river_gauge'); // profile: 120 s
      const plain = await device('Tanpa profil', 'no_profile'); // region: 15 min
      const slow = await device('Pelacak', 'slow_tracker'); // profile: 1 h
      for (const d of [fast, plain, slow]) await send(d.accessToken, { v: 1 });
      for (const d of [fast, plain, slow]) await waitOnline(d.id);

      clock.advance(3 * MIN);
      await s.app.services.engine.tick();
      assert.deepEqual([await online(fast.id), await online(plain.id), await online(slow.id)], [false, true, true]);

      clock.advance(15 * MIN);
      await s.app.services.engine.tick();
      assert.deepEqual([await online(plain.id), await online(slow.id)], [false, true]);

      clock.advance(45 * MIN);
      await s.app.services.engine.tick();
      assert.equal(await online(slow.id), false);
    });
  });
}

describe('demo profiles and simulator commands', () => {
  it('gives every demo device type a profile with labels in both languages and units', async () => {
    const { DEMO_DEVICES, DEMO_PROFILES } = await import('../src/modules/demo/index.ts');
    const types = new Set(DEMO_DEVICES.map((d) => d.deviceType));
    assert.deepEqual([...types].sort(), DEMO_PROFILES.map((p) => p.type).sort());
    const river = DEMO_PROFILES.find((p) => p.type === 'river_gauge')!;
    assert.deepEqual(river.keys!.find((k) => k.key === 'waterLevel'), { key: 'waterLevel', label: { id: 'Tinggi muka air', en: 'Water level' }, unit: 'm', decimals: 2, min: 0, max: 8 });
    const light = DEMO_PROFILES.find((p) => p.type === 'street_light')!;
    assert.deepEqual(light.commands!.map((c) => c.label.id), ['Nyalakan', 'Matikan', 'Redupkan']);
    const pump = DEMO_PROFILES.find((p) => p.type === 'pump')!;
    assert.deepEqual(pump.commands!.map((c) => c.label.id), ['Nyalakan pompa', 'Matikan pompa']);
  });

  it('has pumps and street lights answer RPCs over MQTT and follow them (through Mosquitto)', async (t) => {
    const { portAnswers } = await import('./helpers.ts');
    if (!(await portAnswers(1883))) return t.skip('Mosquitto does not answer on 127.0.0.1:1883');
    const mqtt = (await import('mqtt')).default;
    const { DemoSimulator, DEMO_DEVICES } = await import('../src/modules/demo/index.ts');
    const pump = DEMO_DEVICES.find((d) => d.label === 'demo:pompa-tugumulyo-2')!;
    const sim = new DemoSimulator([{ id: 'x', token: 'demo-test', device: pump }], { httpUrl: 'http://127.0.0.1:1', mqttPort: 1883 }, { clock: new ManualClock(Date.parse('2026-11-28T02:00:00+07:00')), onError: () => {} });
    const platform = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { reconnectPeriod: 0 });
    try {
      assert.equal(sim.reading(pump, Date.parse('2026-11-28T02:00:00+07:00'), 0)!.running, false);
      await sim.start().catch(() => {});
      await platform.subscribeAsync('v1/devices/me/rpc/response/+', { qos: 1 });
      const id = 1000 + Math.floor(Math.random() * 1e6);
      const answer = new Promise<{ topic: string; body: unknown }>((resolve) => platform.on('message', (topic, payload) => topic.endsWith(`/${id}`) && resolve({ topic, body: JSON.parse(payload.toString()) })));
      // The simulator subscribes on connect; ask until it is listening.
      const timer = setInterval(() => platform.publish(`v1/devices/me/rpc/request/${id}`, JSON.stringify({ method: 'setPower', params: { on: true } }), { qos: 1 }), 100);
      const got = await answer;
      clearInterval(timer);
      assert.deepEqual(got.body, { ok: true, on: true });
      assert.equal(sim.reading(pump, Date.parse('2026-11-28T02:00:00+07:00'), 0)!.running, true, 'the pump runs once told to');
    } finally {
      await sim.stop();
      await platform.endAsync(true);
    }
  });
});
