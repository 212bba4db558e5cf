/**
 * The rules editor's API: a rule made, read, edited, turned off and on (which
 * stops and starts its alarms) and deleted; what an edit does to an open alarm;
 * the refusals the editor shows beside a field, in both languages; and the
 * preview — how often a rule would have fired over the last 7 days — counted on
 * a known series, with the same answer on each database, within its bounds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/core/clock.ts';
import { PreviewRepository, RulesPreview } from '../src/modules/rules/index.ts';
import type { RuleBody } from '../src/modules/rules/rules.contract.ts';
import { dialects, startServer, type TestServer } from './helpers.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 28, 1, 0, 0);

/** Waspada ≥ 3,5 m (clears below 3,3), Siaga ≥ 4 m (falls below 3,8), Awas ≥ 4,5 m. */
const RIVER_LEVELS: NonNullable<RuleBody['levels']> = [
  { severity: 'waspada', condition: { op: 'gte', value: 3.5 }, clearCondition: { op: 'lt', value: 3.3 } },
  { severity: 'siaga', condition: { op: 'gte', value: 4 }, clearCondition: { op: 'lt', value: 3.8 } },
  { severity: 'awas', condition: { op: 'gte', value: 4.5 } },
];

/**
 * Eight days of a river, one reading an hour at 3 m, with three floods: a
 * Waspada 5 days ago (20 min), a Siaga 3 days ago (falling back to 3,9 m, which
 * keeps it at Siaga, until the hourly 3 m) and an Awas an hour ago that has not
 * drained yet; and a gap of six hours two days ago. A flood 8 days ago lies
 * outside the window.
 */
function riverSeries(): { ts: number; values: { waterLevel: number } }[] {
  const points = new Map<number, number>();
  for (let t = NOW - 8 * DAY; t < NOW - HOUR; t += HOUR) points.set(t, 3);
  points.set(NOW - 8 * DAY + 10 * MIN, 5);
  const flood = (start: number, values: number[]) => values.forEach((v, i) => points.set(start + i * 10 * MIN, v));
  flood(NOW - 5 * DAY + 5 * MIN, [3.6, 3.7, 3.6, 3.2]);
  flood(NOW - 3 * DAY + 5 * MIN, [4.1, 4.2, 4.2, 4.1, 4.0, 3.9]);
  // Six hours without a reading two days ago (for a rule on silence).
  for (let h = 1; h < 6; h++) points.delete(NOW - 2 * DAY + h * HOUR);
  flood(NOW - HOUR, [4.6]);
  return [...points].sort((a, b) => a[0] - b[0]).map(([ts, waterLevel]) => ({ ts, values: { waterLevel } }));
}

for (const dialect of await dialects()) {
  describe(`the rules editor's API on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    let opdId: string;
    const clock = new ManualClock(NOW);
    let t = NOW;
    before(async () => {
      s = await startServer(dialect, {}, { clock, ruleTickMs: null });
      admin = await s.login();
      const profile = await s.api('POST', '/api/v1/device-profiles', {
        token: admin,
        body: { type: 'river_gauge', name: { id: 'Pos duga air', en: 'River gauge' }, keys: [{ key: 'waterLevel', label: { id: 'Tinggi muka air', en: 'Water level' }, unit: 'm', decimals: 2, min: 0, max: 8 }] },
      });
      assert.equal(profile.status, 201, JSON.stringify(profile.body));
      const opd = await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'BPBD', name: 'Badan Penanggulangan Bencana Daerah' } });
      assert.equal(opd.status, 201, JSON.stringify(opd.body));
      opdId = opd.body.id;
    });
    after(async () => {
      await s.close();
    });

    const device = async (name: string, type = 'river_gauge') => (await s.api('POST', '/api/v1/devices', { token: admin, body: { name, type } })).body as { id: string; accessToken: string };
    const send = async (token: string, waterLevel: number) => {
      t += MIN;
      clock.set(t);
      const res = await s.api('POST', `/api/v1/${token}/telemetry`, { body: { ts: t, values: { waterLevel } } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      await s.app.services.engine.idle();
    };
    const rule = async (body: Record<string, unknown>) => {
      const res = await s.api('POST', '/api/v1/rules', { token: admin, body: { name: 'Banjir Sungai Kelingi', key: 'waterLevel', levels: RIVER_LEVELS, ...body } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; enabled: boolean; levels: unknown[]; actions: Record<string, unknown>[] };
    };
    const patch = async (id: string, body: Record<string, unknown>) => {
      const res = await s.api('PATCH', `/api/v1/rules/${id}`, { token: admin, body });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const openAlarms = async (deviceId: string) => ((await s.api('GET', `/api/v1/alarms?deviceId=${deviceId}`, { token: admin })).body.items as any[]).filter((a) => a.status !== 'cleared');

    it('creates a rule with levels, a clear condition, a duration and actions, reads, edits and deletes it', async () => {
      const gauge = await device('PDA CRUD');
      const created = await rule({
        target: { kind: 'device_type', value: 'river_gauge' },
        durationSeconds: 300,
        actions: [
          { type: 'incident', opdId, minSeverity: 'siaga' },
          { type: 'webhook', url: 'http://127.0.0.1:9/banjir', secret: 'rahasia-webhook', on: ['opened', 'cleared'], allowPrivateNetwork: true },
        ],
      });
      assert.equal(created.enabled, true);
      assert.deepEqual(created.actions[0], { type: 'incident', opdId, categoryCode: null, severity: null, minSeverity: 'siaga' });
      assert.equal(created.actions[1]!.hasSecret, true, 'a webhook secret is never sent back');
      assert.equal(created.actions[1]!.secret, undefined);

      const listed = (await s.api('GET', '/api/v1/rules', { token: admin })).body.items as { id: string }[];
      assert.ok(listed.some((r) => r.id === created.id));
      const edited = await patch(created.id, { name: 'Banjir Kelingi (hulu)', durationSeconds: 600, levels: RIVER_LEVELS.slice(0, 2), actions: created.actions });
      assert.equal(edited.name, 'Banjir Kelingi (hulu)');
      assert.equal(edited.durationSeconds, 600);
      assert.equal(edited.levels.length, 2);
      assert.equal(edited.actions[1].hasSecret, true, 'an action sent back without its secret keeps it');
      const read = await s.api('GET', `/api/v1/rules/${created.id}`, { token: admin });
      assert.equal(read.body.name, 'Banjir Kelingi (hulu)');

      assert.equal((await s.api('DELETE', `/api/v1/rules/${created.id}`, { token: admin })).status, 204);
      assert.equal((await s.api('GET', `/api/v1/rules/${created.id}`, { token: admin })).status, 404);
      void gauge;
    });

    it('a disabled rule opens no alarm and clears its open one; enabled again, it fires again', async () => {
      const gauge = await device('PDA on/off');
      const r = await rule({ target: { kind: 'device', value: gauge.id } });
      await send(gauge.accessToken, 4.1);
      const [first] = await openAlarms(gauge.id);
      assert.equal(first?.severity, 'siaga');

      const off = await patch(r.id, { enabled: false });
      assert.equal(off.enabled, false);
      assert.deepEqual(await openAlarms(gauge.id), [], 'turning the rule off clears its alarm');
      const history = (await s.api('GET', `/api/v1/alarms/${first.id}`, { token: admin })).body.history as { kind: string; note: string | null }[];
      assert.ok(history.some((h) => h.kind === 'cleared' && h.note === 'rule disabled'), JSON.stringify(history));
      await send(gauge.accessToken, 4.6);
      assert.deepEqual(await openAlarms(gauge.id), [], 'a disabled rule does not fire');

      await patch(r.id, { enabled: true });
      await send(gauge.accessToken, 4.7);
      const [again] = await openAlarms(gauge.id);
      assert.equal(again?.severity, 'awas', 'enabled again, the next reading fires it');
      assert.notEqual(again.id, first.id);
    });

    it('an edit of the levels keeps the open alarm, which follows the new levels; a new target clears it', async () => {
      const gauge = await device('PDA edit open');
      const other = await device('PDA edit other');
      const r = await rule({ target: { kind: 'device', value: gauge.id } });
      await send(gauge.accessToken, 3.6);
      const [open] = await openAlarms(gauge.id);
      assert.equal(open?.severity, 'waspada');

      await patch(r.id, { levels: [{ severity: 'waspada', condition: { op: 'gte', value: 3 } }, { severity: 'siaga', condition: { op: 'gte', value: 3.5 } }] });
      assert.equal((await openAlarms(gauge.id))[0]?.id, open.id, 'the acknowledged-or-not alarm stays');
      await send(gauge.accessToken, 3.6);
      const [moved] = await openAlarms(gauge.id);
      assert.equal(moved.id, open.id);
      assert.equal(moved.severity, 'siaga', 'the next reading puts it at the new level');

      await patch(r.id, { target: { kind: 'device', value: other.id } });
      assert.deepEqual(await openAlarms(gauge.id), [], 'a rule that now watches another device clears the alarm of this one');
    });

    it('refuses what would not work, naming the field, in both languages', async () => {
      const gauge = await device('PDA salah');
      const refused = async (body: Record<string, unknown>, field: string, pattern: RegExp, status = 400) => {
        const res = await s.api('POST', '/api/v1/rules', { token: admin, body: { name: 'salah', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', levels: RIVER_LEVELS, ...body } });
        assert.equal(res.status, status, JSON.stringify(res.body));
        assert.equal(res.body.error.details?.field, field, JSON.stringify(res.body));
        assert.match(res.body.error.message, pattern);
        return res.body.error.details as { field: string; text?: { id: string; en: string } };
      };
      const key = await refused({ key: 'rainfall' }, 'key', /sends no “rainfall”; choose one of waterLevel/);
      assert.match(key.text!.id, /Pos duga air tidak mengirim data “rainfall”/);
      const typeKey = await refused({ target: { kind: 'device_type', value: 'river_gauge' }, key: 'waterlevel' }, 'key', /choose one of waterLevel/);
      assert.ok(typeKey.text);
      const nan = await refused({ levels: [{ severity: 'waspada', condition: { op: 'gte', value: '3,5' } }] }, 'levels[0].condition.value', /levels\[0\]\.condition\.value must be a number/);
      assert.match(nan.text!.id, /harus berupa angka/);
      const side = await refused(
        { levels: [{ severity: 'waspada', condition: { op: 'gte', value: 3.5 }, clearCondition: { op: 'lt', value: 3.8 } }] },
        'levels[0].clearCondition',
        /clear threshold \(3\.8\) must be below the threshold \(3\.5\)/,
      );
      assert.match(side.text!.id, /harus di bawah ambang/);
      await refused({ levels: [{ severity: 'waspada', condition: { op: 'lt', value: 20 }, clearCondition: { op: 'lt', value: 25 } }] }, 'levels[0].clearCondition', /a rule “below” a threshold clears above it/);
      await refused({ actions: [{ type: 'incident', opdId: '00000000-0000-4000-8000-000000000000' }] }, 'actions[0]', /is not an OPD of this region/);
      const ssrf = await refused({ actions: [{ type: 'webhook', url: 'http://127.0.0.1/x' }] }, 'actions[0]', /webhook url points to a loopback, link-local or private address/);
      assert.match(ssrf.text!.id, /jaringan lokal atau internal \(127\.0\.0\.1\)/);
      const command = await refused({ actions: [{ type: 'command', deviceId: gauge.id, method: 'openGate' }] }, 'actions[0]', /has no command openGate/);
      assert.match(command.text!.id, /tidak punya perintah openGate/);
      await refused({ actions: [{ type: 'sms' }] }, 'actions[0].type', /must be one of webhook, incident, command/);
      await refused({ key: '*' }, 'key', /silence rules only/);
      const unknown = await s.api('POST', '/api/v1/rules', { token: admin, body: { name: 'x', target: { kind: 'device', value: '00000000-0000-4000-8000-000000000000' }, key: 'waterLevel', levels: RIVER_LEVELS } });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.details.field, 'target.value');
      // A type without a profile takes any key: rules can come before profiles.
      const other = await device('Sensor tanpa profil', 'soil_probe');
      const early = await s.api('POST', '/api/v1/rules', { token: admin, body: { name: 'bebas', target: { kind: 'device', value: other.id }, key: 'moisture', condition: { op: 'lt', value: 20 }, severity: 'minor' } });
      assert.equal(early.status, 201);
      // A profile that came later names other keys: the rule is refused when edited, but can still be switched off.
      await s.api('POST', '/api/v1/device-profiles', { token: admin, body: { type: 'soil_probe', name: { id: 'Sensor tanah', en: 'Soil probe' }, keys: [{ key: 'soilMoisture', label: { id: 'Kelembapan tanah', en: 'Soil moisture' }, unit: '%', decimals: 0, min: 0, max: 100 }] } });
      const renamed = await s.api('PATCH', `/api/v1/rules/${early.body.id}`, { token: admin, body: { name: 'bebas 2' } });
      assert.equal(renamed.status, 400);
      assert.equal(renamed.body.error.details.field, 'key');
      assert.equal((await patch(early.body.id, { enabled: false })).enabled, false);
    });

    it('previews a rule on a known week of readings: how many times, when, at which level', async () => {
      const gauge = await device('PDA pratinjau', 'river_gauge_preview');
      const flat = await device('PDA datar', 'river_gauge_preview');
      const series = riverSeries();
      for (let i = 0; i < series.length; i += 100) {
        const res = await s.api('POST', `/api/v1/${gauge.accessToken}/telemetry`, { body: series.slice(i, i + 100) });
        assert.equal(res.status, 200, JSON.stringify(res.body));
      }
      const flatSeries = series.map((p) => ({ ts: p.ts, values: { waterLevel: 2 } }));
      for (let i = 0; i < flatSeries.length; i += 100) await s.api('POST', `/api/v1/${flat.accessToken}/telemetry`, { body: flatSeries.slice(i, i + 100) });
      clock.set(NOW);
      const target = { kind: 'device_type', value: 'river_gauge_preview' };
      const preview = async (extra: Record<string, unknown> = {}, days?: number) => {
        const res = await s.api('POST', '/api/v1/rules/preview', { token: admin, body: { rule: { name: 'pratinjau', target, key: 'waterLevel', levels: RIVER_LEVELS, ...extra }, ...(days && { days }) } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body;
      };
      const inWindow = series.filter((p) => p.ts >= NOW - 7 * DAY).length;

      const week = await preview();
      assert.equal(week.from, NOW - 7 * DAY);
      assert.equal(week.to, NOW);
      assert.equal(week.devices, 2);
      assert.equal(week.readings, inWindow * 2);
      assert.equal(week.stoppedBy, null);
      assert.equal(week.fired, 3, JSON.stringify(week.firings));
      assert.deepEqual(
        week.firings.map((f: any) => [f.deviceName, f.openedAt, f.severity, f.highestSeverity, f.value, f.clearedAt]),
        [
          ['PDA pratinjau', NOW - 5 * DAY + 5 * MIN, 'waspada', 'waspada', 3.6, NOW - 5 * DAY + 35 * MIN],
          ['PDA pratinjau', NOW - 3 * DAY + 5 * MIN, 'siaga', 'siaga', 4.1, NOW - 3 * DAY + 60 * MIN],
          ['PDA pratinjau', NOW - HOUR, 'awas', 'awas', 4.6, null],
        ],
      );
      // 30 minutes before it opens: the short Waspada never does; the Siaga opens on the reading half an hour in;
      // the Awas, with no reading since, when the engine's timer would have found it held that long.
      const held = await preview({ durationSeconds: 1800 });
      assert.deepEqual(
        held.firings.map((f: any) => [f.openedAt, f.severity]),
        [
          [NOW - 3 * DAY + 35 * MIN, 'siaga'],
          [NOW - 30 * MIN, 'awas'],
        ],
      );
      const lastDays = await preview({}, 2);
      assert.equal(lastDays.fired, 1, 'two days back: the Awas only');
      const silence = await preview({ levels: undefined, condition: { op: 'silence', minutes: 120 }, severity: 'major' });
      assert.deepEqual(
        silence.firings.map((f: any) => [f.openedAt, f.clearedAt, f.value]),
        [
          [NOW - 2 * DAY + 2 * HOUR, NOW - 2 * DAY + 6 * HOUR, null],
          [NOW - 2 * DAY + 2 * HOUR, NOW - 2 * DAY + 6 * HOUR, null],
        ],
        'the six hours without a reading, on each gauge',
      );

      const bad = await s.api('POST', '/api/v1/rules/preview', { token: admin, body: { rule: { name: 'x', target, key: 'waterLevel', levels: [{ severity: 'siaga', condition: { op: 'gte', value: 'empat' } }] } } });
      assert.equal(bad.status, 400, 'the preview checks the rule as saving does');
      assert.equal(bad.body.error.details.field, 'levels[0].condition.value');
      const tooFar = await s.api('POST', '/api/v1/rules/preview', { token: admin, body: { rule: { name: 'x', target, key: 'waterLevel', levels: RIVER_LEVELS }, days: 30 } });
      assert.equal(tooFar.status, 400);
      assert.equal((await s.api('GET', '/api/v1/rules', { token: admin })).body.items.filter((r: any) => r.name === 'pratinjau').length, 0, 'a preview saves nothing');
      const docs = (await s.api('GET', '/api/docs/json')).body;
      assert.ok(docs.paths['/api/v1/rules/preview']?.post, 'the preview is in the OpenAPI document');
    });

    it('tells what the engine does: the same readings through a live rule open the alarms the preview counts', async () => {
      const gauge = await device('PDA kembar', 'river_gauge_twin');
      const start = t + MIN;
      // Rises to Waspada, Siaga, falls back through the hysteresis, clears; then rises again, to Awas by a rise of 0,8 m in a minute.
      const values = [3.0, 3.4, 3.6, 4.1, 3.9, 3.7, 3.4, 3.2, 3.0, 3.5, 3.8, 4.6, 4.4, 3.9, 3.1];
      const points = values.map((waterLevel, i) => ({ ts: start + i * MIN, values: { waterLevel } }));
      const levels = [...RIVER_LEVELS.slice(0, 2), { severity: 'awas', condition: { op: 'rate_gt', value: 0.5 } }];
      const live = await rule({ name: 'kembar', target: { kind: 'device', value: gauge.id }, levels });
      for (const p of points) {
        t = p.ts;
        clock.set(t);
        assert.equal((await s.api('POST', `/api/v1/${gauge.accessToken}/telemetry`, { body: p })).status, 200);
        await s.app.services.engine.idle();
      }
      const alarms = ((await s.api('GET', `/api/v1/alarms?deviceId=${gauge.id}`, { token: admin })).body.items as any[]).sort((a, b) => a.startedAt - b.startedAt);
      await patch(live.id, { enabled: false });
      const res = await s.api('POST', '/api/v1/rules/preview', { token: admin, body: { rule: { name: 'kembar', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', levels } } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(alarms.length, 2, JSON.stringify(alarms));
      assert.deepEqual(res.body.firings.map((f: any) => f.highestSeverity), ['siaga', 'awas']);
      assert.deepEqual(
        res.body.firings.map((f: any) => [f.openedAt, f.clearedAt]),
        alarms.map((a) => [a.startedAt, a.clearedAt]),
        'opened and cleared at the same readings',
      );
    });

    it("previews for an operator on their OPD's devices only, and not for a viewer", async () => {
      const user = async (email: string, role: string, opd: string | null) => {
        const res = await s.api('POST', '/api/v1/users', { token: admin, body: { email, name: email.split('@')[0], password: 'password-123456', role, ...(opd && { opdId: opd }) } });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return s.login(email, 'password-123456');
      };
      const operator = await user('piket.bpbd@musirawas.go.id', 'operator', opdId);
      const viewer = await user('bupati@musirawas.go.id', 'viewer', null);
      const body = { rule: { name: 'pratinjau', target: { kind: 'device_type', value: 'river_gauge_preview' }, key: 'waterLevel', levels: RIVER_LEVELS } };
      const asOperator = await s.api('POST', '/api/v1/rules/preview', { token: operator, body });
      assert.equal(asOperator.status, 200, JSON.stringify(asOperator.body));
      assert.equal(asOperator.body.devices, 0, "the gauges belong to no OPD: not this operator's");
      assert.equal((await s.api('POST', '/api/v1/rules/preview', { token: viewer, body })).status, 403);
    });

    it('stops at its bounds and says which: points, devices, time', async () => {
      const services = s.app.services;
      const { region_id: regionId } = await services.database.db.selectFrom('devices').select('region_id').where('name', '=', 'PDA pratinjau').executeTakeFirstOrThrow();
      const p = { userId: 'x', regionId, role: 'admin' as const, opdId: null, email: 'admin@musirawas.go.id' };
      const body = { rule: { name: 'batas', target: { kind: 'device_type' as const, value: 'river_gauge_preview' }, key: 'waterLevel', levels: RIVER_LEVELS } };
      const bounded = (limits: ConstructorParameters<typeof RulesPreview>[3], elapsed?: () => number) => new RulesPreview(new PreviewRepository(services.database), services.rules, clock, limits, elapsed);
      const rows = await bounded({ maxRows: 50 }).preview(p, body);
      assert.equal(rows.stoppedBy, 'rows');
      assert.equal(rows.readings, 50);
      assert.equal(rows.devices, 0, 'a device read in part is not counted');
      const devices = await bounded({ maxDevices: 1 }).preview(p, body);
      assert.equal(devices.stoppedBy, 'devices');
      assert.equal(devices.devices, 1);
      let now = 0;
      const time = await bounded({ budgetMs: 100 }, () => (now += 60)).preview(p, body);
      assert.equal(time.stoppedBy, 'time');
    });
  });
}
