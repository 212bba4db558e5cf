/**
 * Duty rosters (jadwal piket) and escalation policies through the API, on
 * both dialects: who is on duty at chosen instants in WIB (across midnight,
 * across a week boundary, with swaps), policy fallback, target resolution,
 * access by role and OPD, bad input, and regions kept apart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/core/clock.ts';
import { DEFAULT_LEVELS } from '../src/modules/duty/index.ts';
import { dialects, startServer, type TestServer } from './helpers.ts';

/** ms since epoch of a wall-clock time in WIB (UTC+7), e.g. wib('2026-11-30T08:00') */
const wib = (local: string) => Date.parse(`${local}:00+07:00`);
const PASSWORD = 'Piket-Rahasia-2026';

for (const dialect of await dialects()) {
  describe(`duty rosters and escalation on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    const clock = new ManualClock(wib('2026-11-30T08:00'));
    const opd: Record<string, string> = {};
    const user: Record<string, string> = {};
    const token: Record<string, string> = {};

    const call = async (method: string, path: string, as: string, body?: unknown) => s.api(method, `/api/v1${path}`, { token: as, ...(body !== undefined && { body }) });
    const ok = async (method: string, path: string, as: string, body?: unknown, status = method === 'POST' ? 201 : method === 'DELETE' ? 204 : 200) => {
      const res = await call(method, path, as, body);
      assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const onDutyNames = async (opdId: string, at: number) => ((await ok('GET', `/opds/${opdId}/duty/now?at=${at}`, admin)) as { name: string }[]).map((x) => x.name).sort();

    before(async () => {
      s = await startServer(dialect, {}, { clock, ruleTickMs: null });
      admin = await s.login();
      for (const [code, name] of [['BPBD', 'Badan Penanggulangan Bencana Daerah'], ['DLH', 'Dinas Lingkungan Hidup'], ['SETDA', 'Sekretariat Daerah']] as const) {
        opd[code] = (await ok('POST', '/opds', admin, { code, name })).id;
      }
      const people: [string, string, string, string | null, string | null][] = [
        ['andi', 'Andi Piket', 'operator', 'BPBD', 'staf'],
        ['budi', 'Budi Piket', 'operator', 'BPBD', 'staf'],
        ['kabid', 'Kabid Kedaruratan', 'operator', 'BPBD', 'kabid'],
        ['kalaksa', 'Kalaksa BPBD', 'admin', 'BPBD', 'kepala'],
        ['dlh', 'Dewi DLH', 'operator', 'DLH', null],
        ['viewer', 'Vina Pembaca', 'viewer', null, null],
        ['sekda', 'Sekda Musi Rawas', 'viewer', 'SETDA', 'sekda'],
      ];
      for (const [key, name, role, opdCode, position] of people) {
        const email = `${key}@musirawas.go.id`;
        const created = await ok('POST', '/users', admin, { email, name, password: PASSWORD, role, opdId: opdCode ? opd[opdCode] : null, ...(position && { position }) });
        user[key] = created.id;
        token[key] = await s.login(email, PASSWORD);
      }
    });
    after(async () => {
      await s.close();
    });

    it('keeps a position (jabatan) on users, set and changed by an admin', async () => {
      const kabid = await ok('GET', `/users/${user.kabid}`, admin);
      assert.equal(kabid.position, 'kabid');
      assert.equal((await ok('GET', `/users/${user.dlh}`, admin)).position, null);
      assert.equal((await ok('PATCH', `/users/${user.dlh}`, admin, { position: 'kasi' })).position, 'kasi');
      assert.equal((await ok('PATCH', `/users/${user.dlh}`, admin, { position: null })).position, null);
      const bad = await call('PATCH', `/users/${user.dlh}`, admin, { position: 'camat' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /position/);
    });

    it('answers who is on duty at instants in WIB, across midnight and a week boundary', async () => {
      const bpbd = opd.BPBD!;
      await ok('POST', `/opds/${bpbd}/duty/shifts`, admin, { weekday: 1, start: '07:00', end: '15:00', userId: user.andi });
      await ok('POST', `/opds/${bpbd}/duty/shifts`, admin, { weekday: 1, start: '15:00', end: '23:00', userId: user.budi });
      const night = await ok('POST', `/opds/${bpbd}/duty/shifts`, admin, { weekday: 7, start: '22:00', end: '06:00', userId: user.andi, note: 'malam' });
      assert.equal(night.crossesMidnight, true);
      assert.equal(night.userName, 'Andi Piket');

      assert.deepEqual(await onDutyNames(bpbd, wib('2026-11-30T08:00')), ['Andi Piket']);
      assert.deepEqual(await onDutyNames(bpbd, wib('2026-11-30T15:00')), ['Budi Piket'], 'a shift ends before the next begins');
      assert.deepEqual(await onDutyNames(bpbd, wib('2026-11-30T23:30')), [], 'nobody is rostered: nobody is invented');
      // Sunday 22.00 – Monday 06.00: the Sunday of the week before covers Monday night, and this week's Sunday runs into next week.
      assert.deepEqual(await onDutyNames(bpbd, wib('2026-11-30T03:00')), ['Andi Piket']);
      assert.deepEqual(await onDutyNames(bpbd, wib('2026-12-06T23:00')), ['Andi Piket']);
      assert.deepEqual(await onDutyNames(bpbd, wib('2026-12-07T05:59')), ['Andi Piket']);
      assert.deepEqual(await onDutyNames(bpbd, wib('2026-12-07T06:00')), []);
      assert.deepEqual(await onDutyNames(bpbd, wib('2026-12-01T12:00')), [], 'no Tuesday shift');
      // The service answers the same for the engine, with the shift's range.
      const [andi] = await s.app.services.duty.onDuty((await ok('GET', '/region', admin)).id, bpbd, wib('2026-11-30T03:00'));
      assert.equal(andi?.from, wib('2026-11-29T22:00'));
      assert.equal(andi?.until, wib('2026-11-30T06:00'));
    });

    it('applies a swap over a shift, and adds a person by a swap', async () => {
      const bpbd = opd.BPBD!;
      const swap = await ok('POST', `/opds/${bpbd}/duty/swaps`, admin, { startsAt: wib('2026-11-30T10:00'), endsAt: wib('2026-11-30T12:00'), userId: user.budi, replacesUserId: user.andi, note: 'Andi ke dokter' });
      assert.equal(swap.replacesUserName, 'Andi Piket');
      const during = await ok('GET', `/opds/${bpbd}/duty/now?at=${wib('2026-11-30T11:00')}`, admin);
      assert.deepEqual(during.map((x: { name: string; replacedUserName: string | null }) => [x.name, x.replacedUserName]), [['Budi Piket', 'Andi Piket']]);
      assert.deepEqual(await onDutyNames(bpbd, wib('2026-11-30T12:00')), ['Andi Piket']);
      await ok('POST', `/opds/${bpbd}/duty/swaps`, admin, { startsAt: wib('2026-12-01T09:00'), endsAt: wib('2026-12-01T10:00'), userId: user.kabid });
      assert.deepEqual(await onDutyNames(bpbd, wib('2026-12-01T09:30')), ['Kabid Kedaruratan']);

      const week = await ok('GET', `/opds/${bpbd}/duty/week?date=2026-12-02`, token.viewer!);
      assert.equal(week.weekStart, '2026-11-30');
      assert.equal(week.timezone, 'Asia/Jakarta');
      const monday = week.days[0];
      assert.deepEqual(monday.shifts.map((x: { start: string; end: string; userName: string }) => `${x.start}-${x.end} ${x.userName}`), ['07:00-15:00 Andi Piket', '15:00-23:00 Budi Piket']);
      assert.deepEqual(monday.shifts[0].spans.map((x: { name: string }) => x.name), ['Andi Piket', 'Budi Piket', 'Andi Piket']);
      assert.deepEqual(week.days[1].added.map((x: { name: string }) => x.name), ['Kabid Kedaruratan']);
      assert.deepEqual(week.days[6].shifts.map((x: { start: string; end: string }) => `${x.start}-${x.end}`), ['22:00-06:00']);
    });

    it('lists every OPD on duty now, saying so when nobody is', async () => {
      clock.set(wib('2026-11-30T08:00'));
      const now = await ok('GET', '/duty/now', token.dlh!);
      const byCode = Object.fromEntries(now.opds.map((o: { opdCode: string }) => [o.opdCode, o]));
      assert.deepEqual(byCode.BPBD.people.map((x: { name: string }) => x.name), ['Andi Piket']);
      assert.equal(byCode.DLH.hasRoster, false);
      assert.deepEqual(byCode.DLH.people, []);
    });

    it('falls back from the severity to any to the default policy', async () => {
      const { escalationPolicies } = s.app.services;
      const regionId = (await ok('GET', '/region', admin)).id;
      const dlh = opd.DLH!;
      assert.deepEqual(await escalationPolicies.policyFor(regionId, dlh, 'awas'), DEFAULT_LEVELS);
      const listed = await ok('GET', `/opds/${dlh}/escalation-policies`, token.viewer!);
      assert.deepEqual(listed.policies, []);
      assert.equal(listed.defaultLevels.length, 4);
      const any = [{ afterMinutes: 0, targets: [{ kind: 'duty' }] }, { afterMinutes: 10, targets: [{ kind: 'user', userId: user.dlh }] }];
      const saved = await ok('PUT', `/opds/${dlh}/escalation-policies/any`, token.dlh!, { levels: any });
      assert.equal(saved.createdBy, user.dlh, 'attributable to the operator');
      const awas = [{ afterMinutes: 0, targets: [{ kind: 'position', position: 'sekda' }] }];
      await ok('PUT', `/opds/${dlh}/escalation-policies/awas`, admin, { levels: awas });
      assert.deepEqual(await escalationPolicies.policyFor(regionId, dlh, 'awas'), awas);
      assert.deepEqual(await escalationPolicies.policyFor(regionId, dlh, 'siaga'), any);
      assert.deepEqual(await escalationPolicies.policyFor(regionId, opd.BPBD!, 'siaga'), DEFAULT_LEVELS, 'another OPD keeps the default');
      assert.deepEqual((await ok('GET', `/opds/${dlh}/escalation-policies`, admin)).people.map((p: { name: string }) => p.name), ['Dewi DLH']);
      await ok('DELETE', `/opds/${dlh}/escalation-policies/awas`, admin);
      assert.deepEqual(await escalationPolicies.policyFor(regionId, dlh, 'awas'), any);
    });

    it('resolves targets to active users only, deduplicated', async () => {
      const { escalationPolicies } = s.app.services;
      const regionId = (await ok('GET', '/region', admin)).id;
      const bpbd = opd.BPBD!;
      const at = wib('2026-11-30T08:00');
      const all = await escalationPolicies.resolveTargets(regionId, bpbd, [{ kind: 'duty' }, { kind: 'position', position: 'kabid' }, { kind: 'user', userId: user.kabid! }, { kind: 'position', position: 'sekda' }, { kind: 'position', position: 'kepala' }], at);
      assert.deepEqual(all, [user.andi, user.kabid, user.sekda, user.kalaksa]);
      // Nobody on duty at 23.30: the duty target falls back to the OPD's active operators and admins.
      const fallback = await escalationPolicies.resolveTargets(regionId, bpbd, [{ kind: 'duty' }], wib('2026-11-30T23:30'));
      assert.deepEqual(new Set(fallback), new Set([user.andi, user.budi, user.kabid, user.kalaksa]));
      await ok('PATCH', `/users/${user.kabid}`, admin, { disabled: true });
      assert.deepEqual(await escalationPolicies.resolveTargets(regionId, bpbd, [{ kind: 'position', position: 'kabid' }, { kind: 'user', userId: user.kabid! }], at), [], 'disabled users never');
      await ok('PATCH', `/users/${user.kabid}`, admin, { disabled: false });
    });

    it('lets an operator change their own OPD only, and a viewer nothing', async () => {
      const bpbd = opd.BPBD!;
      const shift = { weekday: 2, start: '07:00', end: '15:00', userId: user.budi };
      const other = await call('POST', `/opds/${bpbd}/duty/shifts`, token.dlh!, shift);
      assert.equal(other.status, 403);
      assert.match(other.body.error.message, /own OPD/);
      assert.equal((await call('POST', `/opds/${bpbd}/duty/shifts`, token.viewer!, shift)).status, 403);
      assert.equal((await call('PUT', `/opds/${bpbd}/escalation-policies/any`, token.dlh!, { levels: [{ afterMinutes: 0, targets: [{ kind: 'duty' }] }] })).status, 403);
      assert.equal((await call('PUT', `/opds/${bpbd}/escalation-policies/any`, token.viewer!, { levels: [{ afterMinutes: 0, targets: [{ kind: 'duty' }] }] })).status, 403);
      const own = await ok('POST', `/opds/${bpbd}/duty/shifts`, token.budi!, shift);
      assert.equal(own.createdBy, user.budi);
      const moved = await ok('PATCH', `/opds/${bpbd}/duty/shifts/${own.id}`, token.andi!, { start: '08:00' });
      assert.equal(moved.updatedBy, user.andi);
      assert.equal(moved.start, '08:00');
      assert.equal((await call('DELETE', `/opds/${bpbd}/duty/shifts/${own.id}`, token.dlh!)).status, 403);
      await ok('DELETE', `/opds/${bpbd}/duty/shifts/${own.id}`, token.budi!);
      assert.equal((await ok('GET', `/opds/${bpbd}/duty/shifts`, token.viewer!)).length, 3, 'everybody reads');
    });

    it('refuses bad input with a 400 that says what is wrong', async () => {
      const bpbd = opd.BPBD!;
      const bad = async (method: string, path: string, body: unknown, pattern: RegExp) => {
        const res = await call(method, path, admin, body);
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.match(res.body.error.message, pattern);
      };
      await bad('POST', `/opds/${bpbd}/duty/shifts`, { weekday: 1, start: '07:00', end: '07:00', userId: user.andi }, /end \(07:00\) must differ from its start/);
      await bad('POST', `/opds/${bpbd}/duty/shifts`, { weekday: 8, start: '07:00', end: '15:00', userId: user.andi }, /weekday/);
      await bad('POST', `/opds/${bpbd}/duty/shifts`, { weekday: 1, start: '7 pagi', end: '15:00', userId: user.andi }, /start/);
      await bad('POST', `/opds/${bpbd}/duty/shifts`, { weekday: 1, start: '07:00', end: '15:00', userId: user.dlh }, /does not belong to this OPD/);
      await bad('POST', `/opds/${bpbd}/duty/swaps`, { startsAt: wib('2026-12-01T10:00'), endsAt: wib('2026-12-01T10:00'), userId: user.budi }, /endsAt must be after startsAt/);
      const url = `/opds/${bpbd}/escalation-policies/siaga`;
      await bad('PUT', url, { levels: [{ afterMinutes: 0, targets: [{ kind: 'duty' }] }, { afterMinutes: 30, targets: [{ kind: 'duty' }] }, { afterMinutes: 20, targets: [{ kind: 'duty' }] }] }, /levels\[2\]\.afterMinutes \(20\) must be greater than levels\[1\]\.afterMinutes \(30\)/);
      await bad('PUT', url, { levels: [{ afterMinutes: 5, targets: [{ kind: 'duty' }] }] }, /levels\[0\]\.afterMinutes must be 0/);
      await bad('PUT', url, { levels: Array.from({ length: 7 }, (_, i) => ({ afterMinutes: i * 10, targets: [{ kind: 'duty' }] })) }, /levels.*more than 6/);
      await bad('PUT', url, { levels: [{ afterMinutes: 0, targets: [{ kind: 'user', userId: '00000000-0000-4000-8000-000000000000' }] }] }, /levels\[0\]\.targets\[0\]: .* is not a user of this region/);
      await bad('PUT', url, { levels: [{ afterMinutes: 0, targets: [{ kind: 'position', position: 'camat' }] }] }, /levels/);
    });

    it('keeps region A from seeing region B', async () => {
      const services = s.app.services;
      const other = await services.identity.ensureRegion('16.13');
      const otherAdmin = { userId: 'x', regionId: other.id, role: 'admin' as const, opdId: null, email: 'x' };
      const theirOpd = await services.identity.createOpd(otherAdmin, { code: 'BPBD', name: 'BPBD Muratara' });
      const theirs = await services.identity.createUser(otherAdmin, { email: 'piket@muratara.go.id', name: 'Piket Muratara', password: PASSWORD, role: 'operator', opdId: theirOpd.id, position: 'kabid' });
      await services.duty.createShift(otherAdmin, theirOpd.id, { weekday: 1, start: '00:00', end: '23:59', userId: theirs.id });
      for (const path of [`/opds/${theirOpd.id}/duty/shifts`, `/opds/${theirOpd.id}/duty/week`, `/opds/${theirOpd.id}/duty/now`, `/opds/${theirOpd.id}/escalation-policies`]) {
        assert.equal((await call('GET', path, admin)).status, 404, path);
      }
      assert.equal((await call('POST', `/opds/${theirOpd.id}/duty/shifts`, admin, { weekday: 1, start: '07:00', end: '15:00', userId: theirs.id })).status, 404);
      const now = await ok('GET', `/duty/now?at=${wib('2026-11-30T08:00')}`, admin);
      assert.ok(!now.opds.some((o: { opdId: string }) => o.opdId === theirOpd.id));
      const foreign = await call('POST', `/opds/${opd.BPBD}/duty/shifts`, admin, { weekday: 3, start: '07:00', end: '15:00', userId: theirs.id });
      assert.equal(foreign.status, 400);
      assert.match(foreign.body.error.message, /is not a user of this region/);
      const target = await call('PUT', `/opds/${opd.BPBD}/escalation-policies/any`, admin, { levels: [{ afterMinutes: 0, targets: [{ kind: 'user', userId: theirs.id }] }] });
      assert.equal(target.status, 400);
      assert.match(target.body.error.message, /not a user of this region/);
      const regionId = (await ok('GET', '/region', admin)).id;
      // Region-wide positions stay in their region: A's Sekda, never B's Kabid.
      assert.deepEqual(await services.escalationPolicies.resolveTargets(regionId, opd.BPBD!, [{ kind: 'position', position: 'sekda' }, { kind: 'user', userId: theirs.id }], wib('2026-11-30T08:00')), [user.sekda]);
    });
  });
}
