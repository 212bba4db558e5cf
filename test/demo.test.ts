import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startDemo } from '../src/app.ts';
import { ManualClock } from '../src/core/clock.ts';
import { dialects, startServer } from './helpers.ts';

const MIN = 60_000;
const [sqlite] = await dialects();

describe('the Musi Rawas demo', () => {
  it('loads the region and, within minutes, the flood rise, the haze and a silent gauge raise alarms', async () => {
    const clock = new ManualClock(Date.parse('2026-11-28T09:00:00+07:00'));
    const s = await startServer(sqlite!, {}, { clock, ruleTickMs: null });
    try {
      const simulator = await startDemo(s.app, { clock, stepMs: 3_600_000 });
      const token = await s.login();
      const get = async (path: string) => (await s.api('GET', path, { token })).body;

      const opds = (await get('/api/v1/opds')).map((o: { code: string }) => o.code);
      for (const code of ['DISKOMINFO', 'BPBD', 'PUPR', 'DINKES', 'DLH', 'DISHUB', 'BAPPEDA', 'DISDIK', 'SATPOLPP']) assert.ok(opds.includes(code), code);
      // Round the clock at BPBD, and the people the default escalation reaches.
      const onDuty = Object.fromEntries((await get('/api/v1/duty/now')).opds.map((o: { opdCode: string; people: { name: string }[] }) => [o.opdCode, o.people.map((p) => p.name)]));
      assert.equal(onDuty.BPBD.length, 1, 'one BPBD officer on duty at 09.00 WIB');
      assert.deepEqual(onDuty.DLH, [], 'DLH keeps office hours; 2026-11-28 is a Saturday');
      const bpbd = (await get('/api/v1/opds')).find((o: { code: string }) => o.code === 'BPBD');
      const regionId = (await get('/api/v1/region')).id as string;
      const { escalationPolicies } = s.app.services;
      const levels = await escalationPolicies.policyFor(regionId, bpbd.id, 'awas');
      const reached = await Promise.all(levels.map((l) => escalationPolicies.resolveTargets(regionId, bpbd.id, l.targets, clock.now())));
      assert.ok(reached.every((ids) => ids.length > 0), 'every level of the default reaches someone');
      const layers = await get('/api/v1/region/layers');
      const kecamatan = layers.find((l: { key: string }) => l.key === 'kecamatan');
      assert.equal(kecamatan.geojson.features.length, 14);
      assert.equal(kecamatan.approximate, false, 'real boundaries (OpenStreetMap)');
      assert.equal(kecamatan.geojson.attribution, '© OpenStreetMap contributors (ODbL)', 'the credit the licence asks for travels with the layer');
      assert.deepEqual(layers.map((l: { key: string }) => l.key).sort(), ['hotspots', 'kecamatan', 'regency', 'rivers', 'tributaries']);
      assert.equal(layers.find((l: { key: string }) => l.key === 'tributaries').approximate, true, 'the hand-drawn rivers say so');
      // Every asset lies inside the polygon of the kecamatan it names.
      const { pointInPolygon, polygonsOf } = await import('../src/core/geo.ts');
      const shapes = new Map<string, ReturnType<typeof polygonsOf>>(kecamatan.geojson.features.map((f: { properties: { code: string }; geometry: unknown }) => [f.properties.code, polygonsOf(f.geometry)]));
      const placed = (await get('/api/v1/assets?limit=1000')).items as { name: string; districtCode: string | null; location: { lat: number; lon: number } | null }[];
      assert.ok(placed.length > 50);
      const misplaced = placed.filter((a) => !a.location || !a.districtCode || !shapes.get(a.districtCode)?.some((p) => pointInPolygon(a.location!.lon, a.location!.lat, p))).map((a) => a.name);
      assert.deepEqual(misplaced, []);
      // The demo's citizen reports carry only a spot: each kecamatan comes from the polygon holding it.
      const reports = (await get('/api/v1/incidents?source=report&limit=100')).items as { address: string; districtCode: string | null }[];
      const districtOf = Object.fromEntries(reports.map((r) => [r.address, r.districtCode]));
      assert.deepEqual(districtOf, {
        'Jl. Lintas Sumatera, Muara Beliti': '16.05.09',
        'Jl. Poros Tugumulyo': '16.05.01',
        'Pasar Muara Kelingi': '16.05.03',
        'Desa Megang Sakti': '16.05.12',
        'Kelurahan Muara Kelingi': '16.05.03',
        'Desa Selangit': '16.05.11',
      });
      // The handled reports were approved for the public map; the two new ones wait for moderation.
      const pending = (await get('/api/v1/incidents?publication=pending&limit=100')).items as { address: string }[];
      assert.deepEqual(pending.map((r) => r.address).sort(), ['Desa Selangit', 'Jl. Lintas Sumatera, Muara Beliti']);
      const gauges = await get('/api/v1/assets?type=river_gauge');
      assert.equal(gauges.items.length, 5);
      assert.ok(gauges.items.every((a: { attributes: { approximateLocation?: boolean } }) => a.attributes.approximateLocation === true));

      // Level Awas at the Tugumulyo polder starts pump 2, once someone confirms.
      const { POLDER_RULE_NAME, seedDemo } = await import('../src/modules/demo/index.ts');
      const seededDevices = (await get('/api/v1/devices?limit=1000')).items as { label: string; id: string }[];
      const idOf = (label: string) => seededDevices.find((d) => d.label === label)!.id;
      const polderRules = async () => ((await get('/api/v1/rules?limit=200')).items as { id: string; name: string; target: unknown; levels: { severity: string }[]; actions: unknown[] }[]).filter((r) => r.name === POLDER_RULE_NAME);
      const [polder] = await polderRules();
      assert.ok(polder, 'the polder rule is seeded');
      assert.deepEqual(polder.target, { kind: 'device', value: idOf('demo:pda-kelingi-tugumulyo') });
      assert.deepEqual(polder.levels.map((l) => l.severity), ['awas']);
      assert.deepEqual(polder.actions, [{ type: 'command', deviceId: idOf('demo:pompa-tugumulyo-2'), method: 'setPower', params: { on: true }, confirm: true, minSeverity: 'awas' }]);

      const start = clock.now();
      for (let m = 0.5; m <= 9; m += 0.5) {
        clock.set(start + m * MIN);
        await simulator.tick();
        await s.app.services.engine.tick();
      }
      const active = (await get('/api/v1/alarms?status=active&limit=1000')).items as { id: string; type: string; severity: string; deviceId: string }[];
      const devices = (await get('/api/v1/devices?limit=1000')).items as { label: string; id: string; online: boolean }[];
      const labelOf = (id: string) => devices.find((d) => d.id === id)!.label;
      // One alarm per hazard and device, its level the severity (three thresholds of the river once raised three): the flood, the haze, the silent gauge.
      assert.deepEqual(active.map((a) => `${a.type} @ ${labelOf(a.deviceId)}`).sort(), ['Banjir sungai @ demo:pda-kelingi-muara', 'Kabut asap (PM2.5) @ demo:aqm-megang-sakti', 'device_offline @ demo:pda-lakitan']);
      const flood = active.find((a) => a.type === 'Banjir sungai')!;
      assert.equal(flood.severity, 'awas');
      const history = (await get(`/api/v1/alarms/${flood.id}`)).history as { kind: string; from: string | null; to: string | null }[];
      assert.deepEqual(
        history.filter((h) => h.kind === 'level_changed').map((h) => `${h.from}→${h.to}`),
        ['waspada→siaga', 'siaga→awas'],
        'it opened at Waspada and rose',
      );
      // The incident action runs after the alarm's change, off the rule engine's queue.
      let fromAlarms: { alarmId: string; categoryCode: string; title: string; status: string; publication: string }[] = [];
      for (let i = 0; i < 50 && fromAlarms.length === 0; i++) {
        fromAlarms = (await get('/api/v1/incidents?source=alarm&limit=100')).items;
        if (fromAlarms.length === 0) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(fromAlarms.length, 1, 'at Awas the flood opened one incident');
      assert.equal(fromAlarms[0]!.alarmId, flood.id);
      assert.equal(fromAlarms[0]!.categoryCode, 'flooding');
      const alarmIncident = fromAlarms[0]!;
      assert.match(alarmIncident.title, /^Tinggi muka air \d+,\d{2} m di .+ — Awas$/, 'titled in words');
      assert.deepEqual([alarmIncident.status, alarmIncident.publication], ['assigned', 'private']);

      // Later the Kelingi rises at the Tugumulyo polder: its rule proposes starting pump 2, and the pump starts once confirmed.
      const pumpId = idOf('demo:pompa-tugumulyo-2');
      const proposals = async () => (await get(`/api/v1/rule-commands?state=pending`)).items as { id: string; deviceId: string; method: string; alarmId: string }[];
      assert.deepEqual(await proposals(), [], 'nothing proposed while the polder is below Awas');
      for (let m = 9.5; m <= 15; m += 0.5) {
        clock.set(start + m * MIN);
        await simulator.tick();
        await s.app.services.engine.tick();
      }
      const polderAlarms = ((await get('/api/v1/alarms?status=active&limit=1000')).items as { id: string; severity: string; deviceId: string; ruleId: string }[]).filter((a) => a.ruleId === polder!.id);
      assert.equal(polderAlarms.length, 1, 'the polder rule raised its alarm');
      assert.equal(polderAlarms[0]!.severity, 'awas');
      assert.equal(polderAlarms[0]!.deviceId, idOf('demo:pda-kelingi-tugumulyo'));
      const [proposal] = await proposals();
      assert.ok(proposal, 'starting pump 2 waits for a confirmation');
      assert.equal(proposal.deviceId, pumpId);
      assert.equal(proposal.alarmId, polderAlarms[0]!.id);
      assert.equal((await get(`/api/v1/devices/${pumpId}/latest?keys=running`)).running.value, false, 'pump 2 stands still until then');
      const confirmed = await s.api('POST', `/api/v1/rule-commands/${proposal.id}/confirm`, { token });
      assert.equal(confirmed.status, 200);
      let answered: { state: string } | undefined;
      for (let i = 0; i < 100 && answered?.state !== 'successful'; i++) {
        answered = ((await get(`/api/v1/devices/${pumpId}/rpc?limit=10`)).items as { state: string }[])[0];
        if (answered?.state !== 'successful') await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(answered?.state, 'successful', 'the pump answered the command');
      clock.set(start + 15.5 * MIN);
      await simulator.tick();
      assert.equal((await get(`/api/v1/devices/${pumpId}/latest?keys=running`)).running.value, true, 'and its next reading shows it running');

      const tracker = devices.find((d) => d.label === 'demo:trc-bpbd-1')!;
      const position = await get(`/api/v1/devices/${tracker.id}/latest?keys=latitude,longitude`);
      assert.ok(position.latitude.value < -3.0 && position.longitude.value > 102.5, 'vehicles report where they are');
      assert.equal(devices.find((d) => d.label === 'demo:pda-lakitan')!.online, false);

      // Seeding again (as every start of an existing database does; the simulator's tokens change) adds nothing.
      const { identity, assets, devices: deviceService, rules, incidents, duty, profiles } = s.app.services;
      const demoAdmin = { userId: 'demo', regionId, role: 'admin' as const, opdId: null, email: 'demo' };
      // an older demo database wrote the pollutant as PM2,5: the next start names it PM2.5 (ISPU's name, not a number)
      const air = (await profiles.forType(regionId, 'air_quality'))!;
      await profiles.update(demoAdmin, air.id, { type: air.type, name: air.name, keys: air.keys.map((k) => (k.key === 'pm25' ? { ...k, label: { id: 'PM2,5', en: 'PM2.5' } } : k)) });
      await seedDemo({ identity, assets, devices: deviceService, rules, incidents, duty, profiles }, demoAdmin);
      assert.deepEqual((await profiles.forType(regionId, 'air_quality'))!.keys.find((k) => k.key === 'pm25')!.label, { id: 'PM2.5', en: 'PM2.5' });
      assert.equal((await polderRules()).length, 1, 'a second start seeds no second rule');
      assert.equal(((await get('/api/v1/devices?limit=1000')).items as unknown[]).length, seededDevices.length, 'nor a second device');
    } finally {
      await s.close();
    }
  });

  it('is deterministic from its seed', async () => {
    const { DemoSimulator, DEMO_DEVICES } = await import('../src/modules/demo/index.ts');
    const run = () => {
      const sim = new DemoSimulator([], { httpUrl: 'http://127.0.0.1:1', mqttPort: null }, { clock: new ManualClock(0), seed: 'x' });
      return DEMO_DEVICES.map((d) => sim.reading(d, Date.parse('2026-11-28T09:00:00+07:00'), 3));
    };
    assert.deepEqual(run(), run());
  });
});
