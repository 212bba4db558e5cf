/**
 * Texts the server writes about an alarm (the incident it opens, the message
 * on duty's phone) word the reading with the device profile's label, unit and
 * decimals in their language — *Tinggi muka air 4,30 m > 4 m* — and fall back
 * to the key for a device without a profile; on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AlarmFacts } from '../src/modules/notifications/facts.ts';
import { defaultTemplate, render } from '../src/modules/notifications/templates.ts';
import { dialects, startServer, type TestServer } from './helpers.ts';

const GAUGE_PROFILE = {
  type: 'river_gauge',
  name: { id: 'Pos duga air', en: 'River gauge' },
  keys: [{ key: 'waterLevel', label: { id: 'Tinggi muka air', en: 'Water level' }, unit: 'm', decimals: 2, min: 0, max: 8 }],
  commands: [],
};

for (const dialect of await dialects()) {
  describe(`alarm texts from device profiles on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    let bpbd: string;
    before(async () => {
      s = await startServer(dialect, {}, { ruleTickMs: null });
      admin = await s.login();
      bpbd = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'bpbd', name: 'BPBD' } })).body.id;
      assert.equal((await s.api('POST', '/api/v1/device-profiles', { token: admin, body: GAUGE_PROFILE })).status, 201);
    });
    after(async () => {
      await s.close();
    });

    /** A device of the type, a rule "> 4" on it opening an incident for BPBD, and a reading of 4.3: the alarm and its incident. */
    const alarmAt = async (type: string) => {
      const device = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name: `PDA ${type}`, type, opdId: bpbd } })).body;
      const rule = await s.api('POST', '/api/v1/rules', {
        token: admin,
        body: { name: `Banjir ${type}`, target: { kind: 'device', value: device.id }, key: 'waterLevel', condition: { op: 'gt', value: 4 }, severity: 'awas', actions: [{ type: 'incident', opdId: bpbd, categoryCode: 'flooding' }] },
      });
      assert.equal(rule.status, 201, JSON.stringify(rule.body));
      assert.equal((await s.api('POST', `/api/v1/${device.accessToken}/telemetry`, { body: { waterLevel: 4.3 } })).status, 200);
      await s.app.services.engine.idle();
      let incidents: any[] = [];
      for (let i = 0; i < 100 && incidents.length === 0; i++) {
        incidents = (await s.api('GET', '/api/v1/incidents?source=alarm&limit=100', { token: admin })).body.items.filter((x: any) => x.deviceId === device.id);
        if (incidents.length === 0) await new Promise((r) => setTimeout(r, 20));
      }
      const alarm = (await s.api('GET', `/api/v1/alarms?deviceId=${device.id}&status=active`, { token: admin })).body.items[0];
      const incident = (await s.api('GET', `/api/v1/incidents/${incidents[0].id}`, { token: admin })).body;
      return { alarm, incident };
    };

    const facts = () => {
      const { alarms, identity, devices, assets, telemetry, profiles } = s.app.services;
      return new AlarmFacts({ byId: (regionId, id) => alarms.byId(regionId, id) }, identity, devices, assets, telemetry, 'https://cerdas.example', profiles);
    };

    it('the incident an alarm opens says Tinggi muka air 4,30 m > 4 m, and in English too', async () => {
      const { incident } = await alarmAt('river_gauge');
      assert.equal(incident.description, 'Tinggi muka air 4,30 m > 4 m\nWater level 4.30 m > 4 m');
    });

    it('the alarm itself says it in both languages with the profile’s label, unit and decimals, never the key', async () => {
      const { alarm } = await alarmAt('river_gauge');
      assert.equal(alarm.message, 'Tinggi muka air 4,30 m > 4 m');
      assert.equal(alarm.messageEn, 'Water level 4.30 m > 4 m');
      const full = (await s.api('GET', `/api/v1/alarms/${alarm.id}`, { token: admin })).body;
      assert.equal(full.history[0].note, 'Tinggi muka air 4,30 m > 4 m', 'the history says it too');
    });

    it('a message on an alarm names the quantity, its value and the condition met with the profile’s words, in its language', async () => {
      const { alarm } = await alarmAt('river_gauge');
      const regionId = (await s.api('GET', '/api/v1/region', { token: admin })).body.id;
      const story = await facts().story(regionId, alarm.id, Date.now(), 0);
      assert.ok(story);
      const id = render(defaultTemplate('alarm.raised', 'email', 'id').body, story.placeholders('id'));
      const en = render(defaultTemplate('alarm.raised', 'email', 'en').body, story.placeholders('en'));
      assert.match(id, /Nilai: 4,30 m,/);
      assert.match(id, /Kondisi: Tinggi muka air 4,30 m > 4 m\n/);
      assert.match(en, /Value: 4\.30 m,/);
      assert.match(en, /Condition: Water level 4\.30 m > 4 m\n/);
      assert.doesNotMatch(id + en, /waterLevel/, 'never the internal key');
      assert.equal(render(defaultTemplate('alarm.raised', 'telegram', 'id').subject, story.placeholders('id')), '[Awas] Tinggi muka air — PDA river_gauge');
    });

    it('a device that stopped reporting is said in words in both languages, in the alarm and in its message', async () => {
      const device = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'PDA diam', type: 'river_gauge', opdId: bpbd } })).body;
      const regionId = (await s.api('GET', '/api/v1/region', { token: admin })).body.id;
      s.app.services.bus.publish('device.status.changed', { regionId, deviceId: device.id, opdId: bpbd, assetId: null, online: false, at: Date.now() });
      let alarm: any;
      for (let i = 0; i < 100 && !alarm; i++) {
        await s.app.services.engine.idle();
        alarm = (await s.api('GET', `/api/v1/alarms?deviceId=${device.id}&status=active`, { token: admin })).body.items[0];
        if (!alarm) await new Promise((r) => setTimeout(r, 20));
      }
      assert.deepEqual([alarm.type, alarm.message, alarm.messageEn], ['device_offline', 'Perangkat berhenti mengirim data', 'Device stopped reporting']);
      const story = await facts().story(regionId, alarm.id, Date.now(), 0);
      assert.equal(story!.placeholders('id').what, 'Perangkat berhenti mengirim data');
      assert.equal(story!.placeholders('en').what, 'Device stopped reporting');
      assert.doesNotMatch(JSON.stringify(story!.placeholders('id')), /device_offline/, 'never the type’s key');
    });

    it('a device without a profile falls back to the key', async () => {
      const { alarm, incident } = await alarmAt('sensor_x');
      assert.equal(incident.description, 'waterLevel 4,3 > 4\nwaterLevel 4.3 > 4');
      assert.deepEqual([alarm.message, alarm.messageEn], ['waterLevel 4,3 > 4', 'waterLevel 4.3 > 4']);
      const regionId = (await s.api('GET', '/api/v1/region', { token: admin })).body.id;
      const story = await facts().story(regionId, alarm.id, Date.now(), 0);
      // The platform's own sensors' keys keep their built-in names (waterLevel is one).
      assert.equal(story!.placeholders('en').condition, 'Water level 4.30 m > 4 m');
    });
  });
}
