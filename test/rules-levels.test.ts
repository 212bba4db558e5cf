import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/core/clock.ts';
import type { AlarmChange } from '../src/modules/alarms/index.ts';
import { dialects, startServer, startServerOn, type TestServer } from './helpers.ts';

const MIN = 60_000;

/** Waspada ≥ 3.5 m (clears under 3.3), Siaga ≥ 4 m (falls under 3.8), Awas ≥ 4.5 m (falls under 4.5). */
const RIVER_LEVELS = [
  { severity: 'waspada', condition: { op: 'gte', value: 3.5 }, clearCondition: { op: 'lt', value: 3.3 } },
  { severity: 'siaga', condition: { op: 'gte', value: 4 }, clearCondition: { op: 'lt', value: 3.8 } },
  { severity: 'awas', condition: { op: 'gte', value: 4.5 } },
];

type History = { kind: string; from: string | null; to: string | null; value: number | null; userId: string | null; note: string | null }[];

for (const dialect of await dialects()) {
  describe(`rules with levels on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 1, 0, 0));
    let t = clock.now();
    before(async () => {
      s = await startServer(dialect, {}, { clock, ruleTickMs: null });
      admin = await s.login();
    });
    after(async () => {
      await s.close();
    });

    const device = async (name: string) => (await s.api('POST', '/api/v1/devices', { token: admin, body: { name, type: 'river_gauge' } })).body as { id: string; accessToken: string };
    const send = async (server: TestServer, token: string, waterLevel: number) => {
      t += MIN;
      clock.set(t);
      const res = await server.api('POST', `/api/v1/${token}/telemetry`, { body: { ts: t, values: { waterLevel } } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      await server.app.services.engine.idle();
    };
    const riverRule = async (deviceId: string, extra: Record<string, unknown> = {}) => {
      const res = await s.api('POST', '/api/v1/rules', { token: admin, body: { name: 'Banjir Sungai Kelingi', target: { kind: 'device', value: deviceId }, key: 'waterLevel', levels: RIVER_LEVELS, ...extra } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; levels: unknown[]; severity: string; condition: unknown };
    };
    const alarmsOf = async (server: TestServer, deviceId: string) => (await server.api('GET', `/api/v1/alarms?deviceId=${deviceId}`, { token: admin })).body.items as any[];
    const historyOf = async (server: TestServer, alarmId: string) => (await server.api('GET', `/api/v1/alarms/${alarmId}`, { token: admin })).body.history as History;
    const levelsIn = (history: History) => history.filter((h) => h.kind === 'level_changed').map((h) => `${h.from}→${h.to}@${h.value}`);

    it('accepts and returns levels, served in the OpenAPI document; an old rule of one condition is one level', async () => {
      const gauge = await device('PDA levels api');
      const rule = await riverRule(gauge.id);
      assert.deepEqual(rule.levels, RIVER_LEVELS.map((l) => ({ clearCondition: null, ...l })));
      assert.equal(rule.severity, 'waspada', 'the lowest level, for clients that know no levels');
      const old = await s.api('POST', '/api/v1/rules', { token: admin, body: { name: 'lama', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', condition: { op: 'gt', value: 3 }, severity: 'siaga' } });
      assert.equal(old.status, 201);
      assert.deepEqual(old.body.levels, [{ severity: 'siaga', condition: { op: 'gt', value: 3 }, clearCondition: null }]);
      const edited = await s.api('PATCH', `/api/v1/rules/${old.body.id}`, { token: admin, body: { levels: RIVER_LEVELS.slice(0, 2) } });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.levels.length, 2);
      const onlySeverity = await s.api('PATCH', `/api/v1/rules/${old.body.id}`, { token: admin, body: { severity: 'awas' } });
      assert.equal(onlySeverity.status, 400, 'a rule with levels is edited by its levels');
      assert.match(onlySeverity.body.error.message, /several levels/);
      const docs = (await s.api('GET', '/api/docs/json')).body;
      assert.ok(JSON.stringify(docs).includes('strictly rising in rank'), 'levels are in the OpenAPI document');
      for (const id of [rule.id, old.body.id]) await s.api('DELETE', `/api/v1/rules/${id}`, { token: admin });
    });

    it('refuses levels that do not rise, six levels and a bad condition with a 400 that says which', async () => {
      const gauge = await device('PDA levels bad');
      const refused = async (levels: unknown, pattern: RegExp) => {
        const res = await s.api('POST', '/api/v1/rules', { token: admin, body: { name: 'salah', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', levels } });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.match(res.body.error.message, pattern);
      };
      await refused([RIVER_LEVELS[1], RIVER_LEVELS[0]], /levels must rise in rank: levels\[1\] \(waspada\) is not above levels\[0\] \(siaga\)/);
      await refused(Array.from({ length: 6 }, (_, i) => ({ severity: 'awas', condition: { op: 'gt', value: i } })), /at most 5 levels, 6 given/);
      await refused([{ severity: 'siaga', condition: { op: 'gt', value: 'tinggi' } }], /levels\[0\]\.condition\.value must be a number/);
      await refused([{ severity: 'siaga', condition: { op: 'approx', value: 1 } }], /levels\[0\]\.condition\.op must be one of/);
      const both = await s.api('POST', '/api/v1/rules', { token: admin, body: { name: 'dua', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', levels: RIVER_LEVELS, condition: { op: 'gt', value: 1 }, severity: 'siaga' } });
      assert.equal(both.status, 400);
      assert.match(both.body.error.message, /either levels, or condition and severity/);
      assert.equal((await s.api('GET', '/api/v1/rules', { token: admin })).body.items.filter((r: { name: string }) => r.name === 'salah').length, 0, 'nothing saved');
    });

    it('raises ONE alarm whose level rises Waspada → Siaga → Awas and falls back, with its history and the events in order', async () => {
      const gauge = await device('PDA Kelingi');
      await riverRule(gauge.id);
      const events: string[] = [];
      const unsubscribe = [
        s.app.services.bus.subscribe('alarm.opened', (e) => e.alarm.deviceId === gauge.id && events.push(`opened ${e.alarm.severity}`)),
        s.app.services.bus.subscribe('alarm.level.changed', (e) => e.alarm.deviceId === gauge.id && events.push(`level ${e.from}→${e.to} ${e.rising ? 'rising' : 'falling'} (alarm at ${e.alarm.severity})`)),
        s.app.services.bus.subscribe('alarm.cleared', (e) => e.alarm.deviceId === gauge.id && events.push('cleared')),
      ];
      try {
        for (const level of [3.0, 3.6, 3.7, 4.1, 4.6, 4.7, 4.2, 3.9, 3.6, 3.4, 3.2]) await send(s, gauge.accessToken, level);
        const alarms = await alarmsOf(s, gauge.id);
        assert.equal(alarms.length, 1, 'one alarm for the hazard, not one per threshold');
        const [alarm] = alarms;
        assert.equal(alarm.status, 'cleared');
        assert.equal(alarm.type, 'Banjir Sungai Kelingi');
        const history = await historyOf(s, alarm.id);
        assert.deepEqual(history.map((h) => h.kind), ['opened', 'level_changed', 'level_changed', 'level_changed', 'level_changed', 'cleared']);
        // 3.9 stays Siaga (above its clear 3.8); 3.4 stays Waspada (above 3.3); 3.2 clears it.
        assert.deepEqual(levelsIn(history), ['waspada→siaga@4.1', 'siaga→awas@4.6', 'awas→siaga@4.2', 'siaga→waspada@3.6']);
        assert.deepEqual(events, [
          'opened waspada',
          'level waspada→siaga rising (alarm at siaga)',
          'level siaga→awas rising (alarm at awas)',
          'level awas→siaga falling (alarm at siaga)',
          'level siaga→waspada falling (alarm at waspada)',
          'cleared',
        ]);
      } finally {
        for (const u of unsubscribe) u();
      }
    });

    it('opens straight at the level the reading meets once the duration has held, and clears when no level holds', async () => {
      const gauge = await device('PDA durasi');
      await riverRule(gauge.id, { durationSeconds: 120 });
      await send(s, gauge.accessToken, 4.2);
      await send(s, gauge.accessToken, 4.6);
      assert.deepEqual(await alarmsOf(s, gauge.id), [], 'not yet: held one of two minutes');
      await send(s, gauge.accessToken, 4.7);
      const [alarm] = await alarmsOf(s, gauge.id);
      assert.equal(alarm.severity, 'awas');
      await send(s, gauge.accessToken, 3.0);
      const [cleared] = await alarmsOf(s, gauge.id);
      assert.equal(cleared.status, 'cleared', 'below every level at once: cleared, not stepped down');
      assert.deepEqual(levelsIn(await historyOf(s, alarm.id)), []);
    });

    it('makes an acknowledged alarm unacknowledged again when its level rises, and keeps the acknowledgement when it falls', async () => {
      const gauge = await device('PDA ack');
      await riverRule(gauge.id);
      await send(s, gauge.accessToken, 4.1);
      const [alarm] = await alarmsOf(s, gauge.id);
      assert.equal(alarm.severity, 'siaga');
      assert.equal((await s.api('POST', `/api/v1/alarms/${alarm.id}/ack`, { token: admin, body: { note: 'tim berangkat' } })).status, 200);
      await send(s, gauge.accessToken, 3.6);
      let [now] = await alarmsOf(s, gauge.id);
      assert.equal(now.severity, 'waspada');
      assert.equal(now.acknowledged, true, 'a fall keeps the acknowledgement');
      await send(s, gauge.accessToken, 4.8);
      [now] = await alarmsOf(s, gauge.id);
      assert.equal(now.severity, 'awas');
      assert.equal(now.acknowledged, false, 'someone must take the new level');
      assert.equal(now.acknowledgedBy, null);
      const kinds = (await historyOf(s, alarm.id)).map((h) => h.kind);
      assert.deepEqual(kinds, ['opened', 'acknowledged', 'level_changed', 'level_changed', 'unacknowledged']);
      assert.equal((await s.api('POST', `/api/v1/alarms/${alarm.id}/ack`, { token: admin })).status, 200, 'and it can be acknowledged again');
    });

    it('acknowledges as the person a notification went to, by the same rules, naming the channel', async () => {
      const gauge = await device('PDA ack via');
      await riverRule(gauge.id);
      await send(s, gauge.accessToken, 3.6);
      const [alarm] = await alarmsOf(s, gauge.id);
      const me = { id: ((await s.api('GET', '/api/v1/auth/me', { token: admin })).body as { id: string }).id, regionId: (await s.app.services.identity.authenticate(admin)).regionId };
      const alarms = s.app.services.alarms;
      await assert.rejects(alarms.acknowledgeAsUser({ userId: me.id, regionId: me.regionId, role: 'viewer', opdId: null }, alarm.id, null, 'telegram'), /role admin or operator/);
      await assert.rejects(alarms.acknowledgeAsUser({ userId: me.id, regionId: me.regionId, role: 'operator', opdId: 'another-opd' }, alarm.id, null, 'telegram'), /no alarm/);
      const acked = await alarms.acknowledgeAsUser({ userId: me.id, regionId: me.regionId, role: 'admin', opdId: null }, alarm.id, 'OTW', 'telegram');
      assert.equal(acked.acknowledgedBy, me.id);
      const line = (await historyOf(s, alarm.id)).find((h) => h.kind === 'acknowledged')!;
      assert.equal(line.note, 'via telegram: OTW');
      assert.equal(line.userId, me.id);
    });

    it('runs hooks inside the alarm’s transaction: a failing hook rolls the change back', async () => {
      const gauge = await device('PDA hook');
      await riverRule(gauge.id);
      const alarms = s.app.services.alarms;
      const seen: string[] = [];
      let failOn: AlarmChange['kind'] | null = 'opened';
      const stop = alarms.onChange(async (tx, change) => {
        if (change.alarm.deviceId !== gauge.id) return;
        // The alarm as it is after the change, readable inside the same transaction.
        const row = await tx.selectFrom('alarms').select(['severity', 'acknowledged', 'status']).where('id', '=', change.alarm.id).executeTakeFirstOrThrow();
        if (change.kind === failOn) throw new Error(`outbox down (${change.kind})`);
        seen.push(`${change.kind}${change.kind === 'level_changed' ? ` ${change.from}→${change.to}` : ''}: ${row.status} ${row.severity}${row.acknowledged ? ' acked' : ''}`);
      });
      try {
        await send(s, gauge.accessToken, 3.6);
        assert.deepEqual(await alarmsOf(s, gauge.id), [], 'the hook failed: no alarm was opened');
        failOn = 'level_changed';
        await send(s, gauge.accessToken, 3.7);
        const [alarm] = await alarmsOf(s, gauge.id);
        assert.equal(alarm.severity, 'waspada', 'the next reading opened it');
        await send(s, gauge.accessToken, 4.2);
        assert.equal((await alarmsOf(s, gauge.id))[0].severity, 'waspada', 'the rise was rolled back');
        assert.deepEqual(levelsIn(await historyOf(s, alarm.id)), []);
        failOn = 'acknowledged';
        // The injected failure answers 500, which no route documents.
        s.allowUndocumented(500);
        const ack = await s.api('POST', `/api/v1/alarms/${alarm.id}/ack`, { token: admin });
        assert.equal(ack.status, 500);
        assert.equal((await alarmsOf(s, gauge.id))[0].acknowledged, false, 'the acknowledgement was rolled back');
        failOn = null;
        await send(s, gauge.accessToken, 4.3);
        assert.equal((await s.api('POST', `/api/v1/alarms/${alarm.id}/ack`, { token: admin })).status, 200);
        assert.equal((await s.api('POST', `/api/v1/alarms/${alarm.id}/clear`, { token: admin })).status, 200);
        assert.deepEqual(seen, ['opened: active waspada', 'level_changed waspada→siaga: active siaga', 'acknowledged: active siaga acked', 'cleared: cleared siaga acked']);
      } finally {
        stop();
      }
    });

    it('opens exactly one incident at minSeverity awas, however often the level comes back to it', async () => {
      const opd = await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'BPBD', name: 'Badan Penanggulangan Bencana Daerah' } });
      assert.equal(opd.status, 201, JSON.stringify(opd.body));
      const gauge = await device('PDA insiden');
      await riverRule(gauge.id, { actions: [{ type: 'incident', opdId: opd.body.id, categoryCode: 'flooding', minSeverity: 'awas' }] });
      const incidentsOf = async (alarmId: string) => ((await s.api('GET', '/api/v1/incidents?source=alarm&limit=100', { token: admin })).body.items as { alarmId: string; severity: string }[]).filter((i) => i.alarmId === alarmId);
      const settled = async (alarmId: string, n: number) => {
        for (let i = 0; i < 40 && (await incidentsOf(alarmId)).length < n; i++) await new Promise((r) => setTimeout(r, 25));
        return incidentsOf(alarmId);
      };
      await send(s, gauge.accessToken, 3.6);
      await send(s, gauge.accessToken, 4.1);
      const [alarm] = await alarmsOf(s, gauge.id);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(await incidentsOf(alarm.id), [], 'below Awas: an alarm, no incident');
      await send(s, gauge.accessToken, 4.6);
      const [incident] = await settled(alarm.id, 1);
      assert.equal(incident!.severity, 'critical');
      for (const level of [4.2, 4.7, 4.0, 4.9]) await send(s, gauge.accessToken, level);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal((await incidentsOf(alarm.id)).length, 1, 'one incident for the alarm');
      const bad = await s.api('POST', '/api/v1/rules', { token: admin, body: { name: 'x', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', levels: RIVER_LEVELS, actions: [{ type: 'incident', opdId: opd.body.id, minSeverity: 'merah' }] } });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /minSeverity must be one of/);
    });

    it('refuses an unknown webhook transition, and takes level_changed', async () => {
      const gauge = await device('PDA webhook');
      const hook = (on: unknown) => s.api('POST', '/api/v1/rules', { token: admin, body: { name: 'wh', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', levels: RIVER_LEVELS, actions: [{ type: 'webhook', url: 'https://example.org/hook', on }] } });
      const bad = await hook(['raised']);
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /opened, level_changed, cleared/);
      const good = await hook(['level_changed']);
      assert.equal(good.status, 201, JSON.stringify(good.body));
      assert.deepEqual(good.body.actions[0].on, ['level_changed']);
    });
  });

  describe(`rules with levels across a restart on ${dialect.name}`, () => {
    it('keeps the level: the alarm goes on rising from where it was, with no second alarm', async () => {
      const storage = await dialect.storage();
      const clock = new ManualClock(Date.UTC(2026, 10, 28, 3, 0, 0));
      let t = clock.now();
      const send = async (server: TestServer, token: string, waterLevel: number) => {
        t += MIN;
        clock.set(t);
        assert.equal((await server.api('POST', `/api/v1/${token}/telemetry`, { body: { ts: t, values: { waterLevel } } })).status, 200);
        await server.app.services.engine.idle();
      };
      let s = await startServerOn(storage, {}, { clock, ruleTickMs: null }, true);
      try {
        const admin = await s.login();
        const gauge = (await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 'PDA restart', type: 'river_gauge' } })).body as { id: string; accessToken: string };
        await s.api('POST', '/api/v1/rules', { token: admin, body: { name: 'Banjir', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', levels: RIVER_LEVELS, durationSeconds: 60 } });
        await send(s, gauge.accessToken, 3.6);
        await send(s, gauge.accessToken, 3.7);
        await send(s, gauge.accessToken, 4.1);
        await s.close();
        s = await startServerOn(storage, {}, { clock, ruleTickMs: null }, true);
        const token = await s.login();
        await send(s, gauge.accessToken, 3.9); // in Siaga's band: stays Siaga, a repeat
        await send(s, gauge.accessToken, 4.6);
        const alarms = (await s.api('GET', `/api/v1/alarms?deviceId=${gauge.id}`, { token })).body.items as any[];
        assert.equal(alarms.length, 1);
        assert.equal(alarms[0].severity, 'awas');
        assert.equal(alarms[0].count, 4, 'opened, risen to Siaga, a repeat, risen to Awas');
        const history = (await s.api('GET', `/api/v1/alarms/${alarms[0].id}`, { token })).body.history as History;
        assert.deepEqual(history.filter((h) => h.kind === 'level_changed').map((h) => `${h.from}→${h.to}`), ['waspada→siaga', 'siaga→awas']);
      } finally {
        await s.close();
        await storage.drop();
      }
    });
  });
}
