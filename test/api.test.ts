import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/core/clock.ts';
import { ADMIN, dialects, startServer, type TestServer } from './helpers.ts';

const HOUR = 3_600_000;

for (const dialect of await dialects()) {
  describe(`platform API on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 5, 0, 0));

    before(async () => {
      s = await startServer(dialect, {}, { clock });
      admin = await s.login();
    });
    after(async () => {
      await s.close();
    });

    const newDevice = async (name = 'Pos duga air Kelingi', token = admin, extra: Record<string, unknown> = {}) => {
      const res = await s.api('POST', '/api/v1/devices', { token, body: { name, type: 'water_level', ...extra } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; accessToken: string };
    };
    const send = (accessToken: string, payload: unknown, kind = 'telemetry') =>
      s.api('POST', `/api/v1/${accessToken}/${kind}`, { raw: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json' } });

    describe('health, docs and errors', () => {
      it('answers health without auth', async () => {
        const res = await s.api('GET', '/api/v1/health');
        assert.equal(res.status, 200);
        assert.equal(res.body.status, 'ok');
        assert.equal(res.body.database, dialect.name);
      });

      it('publishes an OpenAPI document that lists the platform and device routes', async () => {
        const res = await s.api('GET', '/api/docs/json');
        assert.equal(res.status, 200);
        assert.match(res.body.openapi, /^3\./);
        for (const route of ['/api/v1/auth/login', '/api/v1/devices', '/api/v1/devices/{id}/telemetry', '/api/v1/{token}/telemetry', '/api/v1/assets']) {
          assert.ok(res.body.paths[route], `${route} is documented`);
        }
      });

      it('answers an unknown route with a JSON error', async () => {
        const res = await s.api('GET', '/api/v1/nothing-here', { token: admin });
        assert.equal(res.status, 404);
        assert.equal(res.body.error.code, 'ROUTE_NOT_FOUND');
      });

      it('refuses the platform API without a token, or with a bad one', async () => {
        assert.equal((await s.api('GET', '/api/v1/devices')).body.error.code, 'UNAUTHENTICATED');
        const bad = await s.api('GET', '/api/v1/devices', { token: 'not-a-session' });
        assert.equal(bad.status, 401);
        assert.equal(bad.body.error.code, 'UNAUTHENTICATED');
      });
    });

    describe('accounts', () => {
      it('refuses a wrong password with 401 and the same message as an unknown email', async () => {
        const wrong = await s.api('POST', '/api/v1/auth/login', { body: { email: ADMIN.email, password: 'wrong-password' } });
        const unknown = await s.api('POST', '/api/v1/auth/login', { body: { email: 'nobody@example.org', password: 'wrong-password' } });
        assert.equal(wrong.status, 401);
        assert.equal(unknown.status, 401);
        assert.equal(wrong.body.error.message, unknown.body.error.message);
      });

      it('logs in, tells who is logged in, and logs out', async () => {
        const token = await s.login();
        const me = await s.api('GET', '/api/v1/auth/me', { token });
        assert.equal(me.body.email, ADMIN.email);
        assert.equal(me.body.role, 'admin');
        assert.equal('passwordHash' in me.body || 'password_hash' in me.body, false);
        assert.equal((await s.api('POST', '/api/v1/auth/logout', { token })).status, 204);
        assert.equal((await s.api('GET', '/api/v1/auth/me', { token })).status, 401);
      });

      it('expires a session after its lifetime', async () => {
        const token = await s.login();
        clock.advance(s.config.sessionTtlHours * HOUR + 1);
        const res = await s.api('GET', '/api/v1/auth/me', { token });
        assert.equal(res.status, 401);
        assert.match(res.body.error.message, /expired/);
        admin = await s.login();
      });

      it('validates a new user and refuses a second account with the same email', async () => {
        const bad = await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'not-an-email', name: 'X', password: 'short', role: 'viewer' } });
        assert.equal(bad.status, 400);
        assert.equal(bad.body.error.code, 'VALIDATION_FAILED');
        const ok = await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'Viewer@MusiRawas.go.id', name: 'Pimpinan', password: 'viewer-password', role: 'viewer' } });
        assert.equal(ok.status, 201);
        assert.equal(ok.body.email, 'viewer@musirawas.go.id');
        const again = await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'viewer@musirawas.go.id', name: 'Dup', password: 'viewer-password', role: 'viewer' } });
        assert.equal(again.status, 409);
        assert.equal(again.body.error.code, 'EMAIL_TAKEN');
      });

      it('refuses wrong types in a JSON body instead of converting them', async () => {
        const res = await s.api('POST', '/api/v1/devices', { token: admin, body: { name: 123 } });
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, 'VALIDATION_FAILED');
        assert.match(res.body.error.message, /name/);
        const nullable = await s.api('PATCH', '/api/v1/region', { token: admin, body: { retentionDays: false } });
        assert.equal(nullable.status, 400, 'false is not taken as null');
        const malformed = await s.api('POST', '/api/v1/opds', { token: admin, raw: '{"code":', headers: { 'content-type': 'application/json' } });
        assert.equal(malformed.status, 400);
        assert.equal(malformed.body.error.code, 'INVALID_JSON');
      });

      it('rate-limits login attempts from one address', async () => {
        const limited = await startServer(dialect, { loginRateLimit: 3 });
        try {
          const statuses: number[] = [];
          for (let i = 0; i < 4; i++) {
            statuses.push((await limited.api('POST', '/api/v1/auth/login', { body: { email: ADMIN.email, password: 'guess-' + i } })).status);
          }
          assert.deepEqual(statuses, [401, 401, 401, 429]);
          const blocked = await limited.api('POST', '/api/v1/auth/login', { body: ADMIN });
          assert.equal(blocked.status, 429, 'even the right password waits out the window');
          assert.equal(blocked.body.error.code, 'RATE_LIMITED');
        } finally {
          await limited.close();
        }
      });

      it('requires an OPD for an operator, and an existing one', async () => {
        const none = await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'op0@musirawas.go.id', name: 'Op', password: 'operator-password', role: 'operator' } });
        assert.equal(none.status, 400);
        const ghost = await s.api('POST', '/api/v1/users', {
          token: admin,
          body: { email: 'op0@musirawas.go.id', name: 'Op', password: 'operator-password', role: 'operator', opdId: '00000000-0000-4000-8000-000000000000' },
        });
        assert.equal(ghost.status, 404);
        assert.equal(ghost.body.error.code, 'OPD_NOT_FOUND');
      });

      it('keeps viewers from creating devices and non-admins from managing users', async () => {
        const viewer = await s.login('viewer@musirawas.go.id', 'viewer-password');
        const res = await s.api('POST', '/api/v1/devices', { token: viewer, body: { name: 'x' } });
        assert.equal(res.status, 403);
        assert.equal(res.body.error.code, 'FORBIDDEN');
        assert.equal((await s.api('GET', '/api/v1/users', { token: viewer })).status, 403);
      });

      it('ends the sessions of a disabled user', async () => {
        await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'leaver@musirawas.go.id', name: 'Leaver', password: 'leaver-password', role: 'viewer' } });
        const token = await s.login('leaver@musirawas.go.id', 'leaver-password');
        const list = await s.api('GET', '/api/v1/users?limit=100', { token: admin });
        const leaver = list.body.items.find((u: { email: string }) => u.email === 'leaver@musirawas.go.id');
        assert.equal((await s.api('PATCH', `/api/v1/users/${leaver.id}`, { token: admin, body: { disabled: true } })).status, 200);
        assert.equal((await s.api('GET', '/api/v1/auth/me', { token })).status, 401);
        assert.equal((await s.api('POST', '/api/v1/auth/login', { body: { email: 'leaver@musirawas.go.id', password: 'leaver-password' } })).status, 401);
      });
    });

    describe('region and OPDs', () => {
      it('starts with Kabupaten Musi Rawas and its 14 kecamatan from the Kemendagri codes', async () => {
        const region = await s.api('GET', '/api/v1/region', { token: admin });
        assert.equal(region.body.code, '16.05');
        assert.equal(region.body.name, 'Kabupaten Musi Rawas');
        assert.equal(region.body.provinceName, 'Sumatera Selatan');
        assert.equal(region.body.timezone, 'Asia/Jakarta');
        const districts = await s.api('GET', '/api/v1/region/districts', { token: admin });
        assert.equal(districts.body.length, 14);
        assert.ok(districts.body.some((d: { code: string; name: string }) => d.code === '16.05.09' && d.name === 'Muara Beliti'));
      });

      it('creates, renames and deletes an OPD, and refuses a duplicate code', async () => {
        const created = await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'dlh', name: 'Dinas Lingkungan Hidup' } });
        assert.equal(created.status, 201);
        assert.equal(created.body.code, 'DLH');
        assert.equal((await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'DLH', name: 'again' } })).status, 409);
        const renamed = await s.api('PATCH', `/api/v1/opds/${created.body.id}`, { token: admin, body: { name: 'DLH Kabupaten Musi Rawas' } });
        assert.equal(renamed.body.name, 'DLH Kabupaten Musi Rawas');
        assert.equal((await s.api('DELETE', `/api/v1/opds/${created.body.id}`, { token: admin })).status, 204);
        assert.equal((await s.api('GET', `/api/v1/opds/${created.body.id}`, { token: admin })).status, 404);
      });

      it('answers other modules\' reads of users and OPDs by id within the region only', async () => {
        const { identity } = s.app.services;
        const me = (await s.api('GET', '/api/v1/auth/me', { token: admin })).body;
        const opd = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'BAPENDA', name: 'Badan Pendapatan Daerah' } })).body;
        const region = (await s.api('GET', '/api/v1/region', { token: admin })).body;
        const unknown = '00000000-0000-4000-8000-000000000000';
        assert.deepEqual((await identity.usersByIds(region.id, [me.id, unknown, me.id])).map((u) => [u.id, u.email]), [[me.id, me.email]]);
        assert.deepEqual(await identity.opdsByIds(region.id, [opd.id, unknown]), [{ id: opd.id, code: 'BAPENDA', name: 'Badan Pendapatan Daerah' }]);
        assert.deepEqual(await identity.usersByIds(region.id, []), []);
        assert.deepEqual(await identity.usersByIds(unknown, [me.id]), [], 'not a user of another region');
        assert.deepEqual(await identity.opdsByIds(unknown, [opd.id]), [], 'not an OPD of another region');
      });
    });

    describe('assets', () => {
      it('creates an asset with a GeoJSON point and finds it by bounding box, type and name', async () => {
        const res = await s.api('POST', '/api/v1/assets', {
          token: admin,
          body: { type: 'river_gauge', name: 'Pos Duga Air Sungai Kelingi (perkiraan)', geometry: { type: 'Point', coordinates: [103.05, -3.2] }, districtCode: '16.05.09', attributes: { siaga: 3.5 } },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.deepEqual(res.body.location, { lon: 103.05, lat: -3.2 });
        const inBox = await s.api('GET', '/api/v1/assets?bbox=103,-3.3,103.1,-3.1&type=river_gauge&q=kelingi', { token: admin });
        assert.deepEqual(inBox.body.items.map((a: { id: string }) => a.id), [res.body.id]);
        const outside = await s.api('GET', '/api/v1/assets?bbox=100,0,101,1', { token: admin });
        assert.equal(outside.body.items.length, 0);
      });

      it('refuses a bad geometry, a kecamatan of another regency, and a bad bbox', async () => {
        const lat = await s.api('POST', '/api/v1/assets', { token: admin, body: { type: 'bridge', name: 'J', geometry: { type: 'Point', coordinates: [103, -95] } } });
        assert.equal(lat.status, 400);
        assert.equal(lat.body.error.code, 'GEOMETRY_INVALID');
        const ring = await s.api('POST', '/api/v1/assets', {
          token: admin,
          body: { type: 'market', name: 'P', geometry: { type: 'Polygon', coordinates: [[[103, -3], [103.1, -3], [103.1, -3.1]]] } },
        });
        assert.equal(ring.status, 400);
        const district = await s.api('POST', '/api/v1/assets', { token: admin, body: { type: 'school', name: 'S', districtCode: '11.01.01' } });
        assert.equal(district.status, 400);
        assert.equal((await s.api('GET', '/api/v1/assets?bbox=1,2,3', { token: admin })).status, 400);
        const count = await s.api('GET', '/api/v1/assets?limit=1000', { token: admin });
        assert.ok(count.body.items.every((a: { name: string }) => !['J', 'P', 'S'].includes(a.name)), 'nothing of a refused asset is stored');
      });

      it('pages through assets with a cursor, each once', async () => {
        for (let i = 0; i < 7; i++) {
          await s.api('POST', '/api/v1/assets', { token: admin, body: { type: 'street_light', name: `PJU ${i}`, geometry: { type: 'Point', coordinates: [103 + i / 100, -3.2] } } });
        }
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await s.api('GET', `/api/v1/assets?type=street_light&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: admin });
          seen.push(...page.body.items.map((a) => a.id));
          cursor = page.body.nextCursor;
        } while (cursor);
        assert.equal(seen.length, 7);
        assert.equal(new Set(seen).size, 7);
        assert.equal((await s.api('GET', '/api/v1/assets?cursor=garbage', { token: admin })).status, 400);
        const forged = Buffer.from(JSON.stringify([1.5, 'x'])).toString('base64url');
        assert.equal((await s.api('GET', `/api/v1/assets?cursor=${forged}`, { token: admin })).status, 400);
      });
    });

    describe('devices', () => {
      it('registers a device with a token shown once, and never shows it again', async () => {
        const device = await newDevice();
        assert.match(device.accessToken, /^[A-Za-z0-9_-]{20,}$/);
        const fetched = await s.api('GET', `/api/v1/devices/${device.id}`, { token: admin });
        assert.equal(fetched.body.accessToken, undefined);
        assert.equal(fetched.body.tokenHint, device.accessToken.slice(-4));
      });

      it('binds a device to an asset and takes its OPD', async () => {
        const opd = await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'BPBD', name: 'Badan Penanggulangan Bencana Daerah' } });
        const asset = await s.api('POST', '/api/v1/assets', { token: admin, body: { type: 'river_gauge', name: 'PDA Beliti', opdId: opd.body.id } });
        const device = await newDevice('Sensor PDA Beliti', admin, { assetId: asset.body.id });
        const fetched = await s.api('GET', `/api/v1/devices/${device.id}`, { token: admin });
        assert.equal(fetched.body.assetId, asset.body.id);
        assert.equal(fetched.body.opdId, opd.body.id);
        const listed = await s.api('GET', `/api/v1/devices?assetId=${asset.body.id}`, { token: admin });
        assert.deepEqual(listed.body.items.map((d: { id: string }) => d.id), [device.id]);
      });

      it('regenerates a token: the old one stops at once, the new one works', async () => {
        const device = await newDevice();
        assert.equal((await send(device.accessToken, { level: 1 })).status, 200);
        const fresh = await s.api('POST', `/api/v1/devices/${device.id}/token`, { token: admin });
        assert.equal(fresh.status, 200);
        assert.equal((await send(device.accessToken, { level: 2 })).status, 401);
        assert.equal((await send(fresh.body.accessToken, { level: 3 })).status, 200);
      });

      it('revokes a token: 401 for the device, and hasToken false', async () => {
        const device = await newDevice();
        assert.equal((await s.api('DELETE', `/api/v1/devices/${device.id}/token`, { token: admin })).status, 204);
        const res = await send(device.accessToken, { level: 1 });
        assert.equal(res.status, 401);
        assert.equal(res.body.error.code, 'DEVICE_TOKEN_INVALID');
        assert.equal((await s.api('GET', `/api/v1/devices/${device.id}`, { token: admin })).body.hasToken, false);
      });

      it('deletes a device with its telemetry', async () => {
        const device = await newDevice();
        await send(device.accessToken, { level: 1 });
        assert.equal((await s.api('DELETE', `/api/v1/devices/${device.id}`, { token: admin })).status, 204);
        assert.equal((await s.api('GET', `/api/v1/devices/${device.id}/latest`, { token: admin })).status, 404);
        assert.equal((await send(device.accessToken, { level: 1 })).status, 401);
      });

      it('updates a device and refuses an unknown asset', async () => {
        const device = await newDevice();
        const renamed = await s.api('PATCH', `/api/v1/devices/${device.id}`, { token: admin, body: { name: 'Renamed', label: 'PDA-01' } });
        assert.equal(renamed.body.name, 'Renamed');
        assert.equal(renamed.body.label, 'PDA-01');
        const bad = await s.api('PATCH', `/api/v1/devices/${device.id}`, { token: admin, body: { assetId: '00000000-0000-4000-8000-000000000000' } });
        assert.equal(bad.status, 404);
        assert.equal(bad.body.error.code, 'ASSET_NOT_FOUND');
      });
    });

    describe('telemetry in and out', () => {
      it('takes all three payload forms and reads them back', async () => {
        const device = await newDevice();
        const t0 = clock.now() - 10 * 60_000;
        assert.equal((await send(device.accessToken, { waterLevel: 2.5, status: 'normal', pumpOn: false })).status, 200);
        assert.equal((await send(device.accessToken, { ts: t0, values: { waterLevel: 2.1 } })).status, 200);
        assert.equal((await send(device.accessToken, [{ ts: t0 + 60_000, values: { waterLevel: 2.2 } }, { ts: t0 + 120_000, values: { waterLevel: 2.3, meta: { battery: 87 } } }])).status, 200);
        const latest = await s.api('GET', `/api/v1/devices/${device.id}/latest`, { token: admin });
        assert.deepEqual(latest.body.waterLevel, { ts: clock.now(), value: 2.5 });
        assert.deepEqual(latest.body.status, { ts: clock.now(), value: 'normal' });
        assert.deepEqual(latest.body.pumpOn, { ts: clock.now(), value: false });
        assert.deepEqual(latest.body.meta, { ts: t0 + 120_000, value: { battery: 87 } });
        const series = await s.api('GET', `/api/v1/devices/${device.id}/telemetry?keys=waterLevel&from=${t0}&to=${clock.now() + 1}`, { token: admin });
        assert.deepEqual(series.body.waterLevel.map((p: { value: number }) => p.value), [2.1, 2.2, 2.3, 2.5]);
        const activity = await s.api('GET', `/api/v1/devices/${device.id}`, { token: admin });
        assert.equal(activity.body.lastActivityAt, clock.now());
      });

      it('keeps the latest value by timestamp, not by arrival', async () => {
        const device = await newDevice();
        const now = clock.now();
        await send(device.accessToken, { ts: now, values: { level: 5 } });
        await send(device.accessToken, { ts: now - HOUR, values: { level: 1 } });
        const latest = await s.api('GET', `/api/v1/devices/${device.id}/latest?keys=level`, { token: admin });
        assert.deepEqual(latest.body, { level: { ts: now, value: 5 } });
      });

      it('replaces a point sent twice with the same timestamp', async () => {
        const device = await newDevice();
        const ts = clock.now() - 1000;
        await send(device.accessToken, { ts, values: { level: 1 } });
        await send(device.accessToken, { ts, values: { level: 7 } });
        const series = await s.api('GET', `/api/v1/devices/${device.id}/telemetry?keys=level&from=${ts - 1}`, { token: admin });
        assert.deepEqual(series.body.level, [{ ts, value: 7 }]);
      });

      it('aggregates per interval: avg, min, max, sum, count', async () => {
        const device = await newDevice();
        const start = Date.UTC(2026, 10, 27, 0, 0, 0);
        const points = [];
        for (let m = 0; m < 180; m++) points.push({ ts: start + m * 60_000, values: { level: m } });
        assert.equal((await send(device.accessToken, points)).status, 200);
        const q = (agg: string) => s.api('GET', `/api/v1/devices/${device.id}/telemetry?keys=level&from=${start}&to=${start + 3 * HOUR}&interval=1h&agg=${agg}`, { token: admin });
        assert.deepEqual((await q('avg')).body.level, [
          { ts: start, value: 29.5 },
          { ts: start + HOUR, value: 89.5 },
          { ts: start + 2 * HOUR, value: 149.5 },
        ]);
        assert.deepEqual((await q('min')).body.level.map((p: { value: number }) => p.value), [0, 60, 120]);
        assert.deepEqual((await q('max')).body.level.map((p: { value: number }) => p.value), [59, 119, 179]);
        assert.deepEqual((await q('sum')).body.level.map((p: { value: number }) => p.value), [1770, 5370, 8970]);
        assert.deepEqual((await q('count')).body.level.map((p: { value: number }) => p.value), [60, 60, 60]);
      });

      it('aligns daily buckets to midnight in Asia/Jakarta and takes ISO 8601 times', async () => {
        const device = await newDevice();
        // 23:30 WIB on the 26th and 00:30 WIB on the 27th fall on two local days.
        const a = Date.parse('2026-11-26T23:30:00+07:00');
        const b = Date.parse('2026-11-27T00:30:00+07:00');
        await send(device.accessToken, [{ ts: a, values: { rain: 4 } }, { ts: b, values: { rain: 6 } }]);
        const res = await s.api('GET', `/api/v1/devices/${device.id}/telemetry?keys=rain&from=2026-11-26T00:00:00%2B07:00&to=2026-11-28&interval=1d&agg=sum`, { token: admin });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(res.body.rain, [
          { ts: Date.parse('2026-11-26T00:00:00+07:00'), value: 4 },
          { ts: Date.parse('2026-11-27T00:00:00+07:00'), value: 6 },
        ]);
        const utc = await s.api('GET', `/api/v1/devices/${device.id}/telemetry?keys=rain&from=2026-11-26T00:00:00Z&to=2026-11-28T00:00:00Z&interval=1d&agg=sum&tz=UTC`, { token: admin });
        assert.deepEqual(utc.body.rain, [{ ts: Date.parse('2026-11-26T00:00:00Z'), value: 10 }]);
      });

      it('aggregates by calendar month', async () => {
        const device = await newDevice();
        await send(device.accessToken, [
          { ts: Date.parse('2026-09-15T10:00:00+07:00'), values: { pm25: 10 } },
          { ts: Date.parse('2026-10-01T00:10:00+07:00'), values: { pm25: 80 } },
          { ts: Date.parse('2026-10-31T23:50:00+07:00'), values: { pm25: 120 } },
        ]);
        const res = await s.api('GET', `/api/v1/devices/${device.id}/telemetry?keys=pm25&from=2026-09-01&to=2026-11-01&interval=1mo&agg=avg`, { token: admin });
        assert.deepEqual(res.body.pm25, [
          { ts: Date.parse('2026-09-01T00:00:00+07:00'), value: 10 },
          { ts: Date.parse('2026-10-01T00:00:00+07:00'), value: 100 },
        ]);
      });

      it('refuses a raw query past the point limit, and serves it with a limit or an aggregate', async () => {
        const small = await startServer(dialect, { maxQueryPoints: 100 }, { clock });
        try {
          const token = await small.login();
          const device = (await small.api('POST', '/api/v1/devices', { token, body: { name: 'busy' } })).body;
          const start = clock.now() - 3 * HOUR;
          const points = Array.from({ length: 150 }, (_, i) => ({ ts: start + i * 60_000, values: { v: i } }));
          await small.api('POST', `/api/v1/${device.accessToken}/telemetry`, { body: points });
          const tooMany = await small.api('GET', `/api/v1/devices/${device.id}/telemetry?keys=v&from=${start}`, { token });
          assert.equal(tooMany.status, 400);
          assert.equal(tooMany.body.error.code, 'TOO_MANY_POINTS');
          const newest = await small.api('GET', `/api/v1/devices/${device.id}/telemetry?keys=v&from=${start}&limit=3&order=desc`, { token });
          assert.deepEqual(newest.body.v.map((p: { value: number }) => p.value), [149, 148, 147]);
          const agg = await small.api('GET', `/api/v1/devices/${device.id}/telemetry?keys=v&from=${start}&interval=1h&agg=count`, { token });
          assert.deepEqual(agg.body.v.map((p: { value: number }) => p.value), [60, 60, 30]);
        } finally {
          await small.close();
        }
      });

      it('refuses bad query parameters with 400', async () => {
        const device = await newDevice();
        for (const query of ['from=9000000000000000&agg=avg', 'to=1000000000000000000000', 'agg=avg&interval=5x', 'agg=median', 'from=yesterday', 'from=10&to=5', 'agg=avg&interval=1s&from=0&to=9999999999999', 'agg=avg&tz=Mars/Olympus']) {
          const res = await s.api('GET', `/api/v1/devices/${device.id}/telemetry?${query}`, { token: admin });
          assert.equal(res.status, 400, `${query}: ${JSON.stringify(res.body)}`);
          assert.ok(res.body.error.code, query);
        }
      });

      it('stores client attributes and answers a device that reads them with shared ones', async () => {
        const device = await newDevice();
        assert.equal((await send(device.accessToken, { firmware: '1.4.2', model: 'WL-100' }, 'attributes')).status, 200);
        assert.equal((await s.api('POST', `/api/v1/devices/${device.id}/attributes/shared`, { token: admin, body: { siagaLevel: 3.5 } })).status, 204);
        const all = await s.api('GET', `/api/v1/devices/${device.id}/attributes`, { token: admin });
        assert.equal(all.body.client.firmware.value, '1.4.2');
        assert.equal(all.body.shared.siagaLevel.value, 3.5);
        const forDevice = await s.api('GET', `/api/v1/${device.accessToken}/attributes?clientKeys=model&sharedKeys=siagaLevel`);
        assert.deepEqual(forDevice.body, { client: { model: 'WL-100' }, shared: { siagaLevel: 3.5 } });
        assert.equal((await send(device.accessToken, [1, 2], 'attributes')).status, 400);
      });
    });

    describe('bad device input (each refused whole, nothing stored)', () => {
      let device: { id: string; accessToken: string };
      before(async () => {
        device = await newDevice('Target of bad input');
      });
      const stored = async () => (await s.api('GET', `/api/v1/devices/${device.id}/keys`, { token: admin })).body as string[];

      const cases: [string, string, string][] = [
        ['malformed JSON', '{"level": 1,', 'INVALID_JSON'],
        ['an empty body', '', 'INVALID_JSON'],
        ['a bare number', '42', 'TELEMETRY_INVALID'],
        ['a null value', '{"level": null}', 'TELEMETRY_INVALID'],
        ['Infinity written as 1e400', '{"level": 1e400}', 'TELEMETRY_INVALID'],
        ['NaN', '{"level": NaN}', 'INVALID_JSON'],
        ['a timestamp that is a string', '{"ts": "1764300000000", "values": {"level": 1}}', 'TELEMETRY_INVALID'],
        ['a timestamp in seconds', '{"ts": 1764300000, "values": {"level": 1}}', 'TELEMETRY_INVALID'],
        ['values that are not an object', '{"ts": 1764300000000, "values": [1]}', 'TELEMETRY_INVALID'],
        ['a key longer than 255 characters', JSON.stringify({ ['k'.repeat(256)]: 1 }), 'TELEMETRY_INVALID'],
        // An empty object {} is ThingsBoard's HTTP SDK connection check: 200, nothing stored (test/device-http.test.ts).
        ['an object with an empty values', '{"ts":1764300000000,"values":{}}', 'TELEMETRY_INVALID'],
        ['an empty array', '[]', 'TELEMETRY_INVALID'],
        ['a NUL character in a value', '{"note": "a\\u0000b"}', 'TELEMETRY_INVALID'],
      ];
      for (const [what, raw, code] of cases) {
        it(`refuses ${what} with 400 ${code}`, async () => {
          const res = await send(device.accessToken, raw);
          assert.equal(res.status, 400, JSON.stringify(res.body));
          assert.equal(res.body.error.code, code);
          assert.ok(res.body.error.message.length > 0);
          assert.deepEqual(await stored(), []);
        });
      }

      it('refuses a whole batch when one element is bad', async () => {
        const res = await send(device.accessToken, [{ ts: clock.now() - 2000, values: { good: 1 } }, { ts: clock.now() - 1000, values: { bad: null } }]);
        assert.equal(res.status, 400);
        assert.match(res.body.error.message, /element 1/);
        assert.deepEqual(await stored(), []);
      });

      it('refuses a payload over the size limit with 413', async () => {
        const big = JSON.stringify({ blob: 'x'.repeat(s.config.maxPayloadBytes + 10) });
        const res = await send(device.accessToken, big);
        assert.equal(res.status, 413);
        assert.equal(res.body.error.code, 'PAYLOAD_TOO_LARGE');
        assert.deepEqual(await stored(), []);
      });

      it('refuses an unknown token with 401', async () => {
        const res = await send('unknown-token-000000000000', { level: 1 });
        assert.equal(res.status, 401);
        assert.equal(res.body.error.code, 'DEVICE_TOKEN_INVALID');
      });

      it('stores SQL-looking keys and values as plain data', async () => {
        const other = await newDevice('SQL');
        const evil = "'; DROP TABLE telemetry; --";
        assert.equal((await send(other.accessToken, { [evil]: evil, 'level" OR 1=1 --': 3 })).status, 200);
        const latest = await s.api('GET', `/api/v1/devices/${other.id}/latest`, { token: admin });
        assert.equal(latest.body[evil].value, evil);
        assert.equal(latest.body['level" OR 1=1 --'].value, 3);
        assert.equal((await send(other.accessToken, { after: 1 })).status, 200, 'the telemetry table is still there');
      });

      it('refuses a message that would give a device more than 1,000 keys', async () => {
        const other = await newDevice('Many keys');
        const many = Object.fromEntries(Array.from({ length: 999 }, (_, i) => [`k${i}`, i]));
        assert.equal((await send(other.accessToken, many)).status, 200);
        const over = await send(other.accessToken, { a: 1, b: 2 });
        assert.equal(over.status, 400);
        assert.match(over.body.error.message, /at most 1000 different keys/);
        assert.equal((await send(other.accessToken, { k5: 6, last: 1 })).status, 200, 'known keys and one more still fit');
        const keys = (await s.api('GET', `/api/v1/devices/${other.id}/keys`, { token: admin })).body as string[];
        assert.equal(keys.length, 1000);
      });

      it('takes a body sent without a content type (cheap firmware)', async () => {
        const other = await newDevice('No content type');
        const res = await s.api('POST', `/api/v1/${other.accessToken}/telemetry`, { raw: '{"level": 4}' });
        assert.equal(res.status, 200);
      });
    });

    describe('map layers, CSV import and the region-wide latest values', () => {
      it('stores a GeoJSON layer, refuses a broken one, and lists it', async () => {
        const layer = { name: { id: 'Sungai', en: 'Rivers' }, approximate: true, geojson: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Kelingi' }, geometry: { type: 'LineString', coordinates: [[103, -3.2], [103.1, -3.25]] } }] } };
        assert.equal((await s.api('PUT', '/api/v1/region/layers/rivers', { token: admin, body: layer })).status, 204);
        const broken = { ...layer, geojson: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [500, 0] } }] } };
        const refused = await s.api('PUT', '/api/v1/region/layers/rivers', { token: admin, body: broken });
        assert.equal(refused.status, 400);
        assert.match(refused.body.error.message, /features\[0\]/);
        const layers = await s.api('GET', '/api/v1/region/layers', { token: admin });
        assert.deepEqual(layers.body.map((l: { key: string }) => l.key), ['rivers']);
        assert.equal(layers.body[0].geojson.features[0].properties.name, 'Kelingi', 'the refused layer did not replace the good one');
      });

      it('imports assets from CSV only when every row is good, naming the bad rows', async () => {
        const opd = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'DISHUB', name: 'Dinas Perhubungan' } })).body;
        const bad = 'type,name,longitude,latitude,opd,district\nstreet_light,PJU CSV 1,103.01,-3.22,DISHUB,Muara Beliti\nstreet_light,,103.02,-3.22,DISHUB,\nstreet_light,PJU CSV 3,abc,-3.22,NOPE,Atlantis\n';
        const refused = await s.api('POST', '/api/v1/assets/import', { token: admin, raw: bad, headers: { 'content-type': 'text/csv' } });
        assert.equal(refused.status, 400);
        assert.deepEqual(refused.body.errors.map((e: { row: number }) => e.row), [3, 4]);
        assert.match(refused.body.errors[1].message, /longitude/);
        assert.equal((await s.api('GET', '/api/v1/assets?q=PJU CSV', { token: admin })).body.items.length, 0, 'nothing was created');
        const good = 'type,name,longitude,latitude,opd,district\nstreet_light,PJU CSV 1,103.01,-3.22,DISHUB,Muara Beliti\nstreet_light,"PJU CSV 2, Simpang",103.02,-3.22,dishub,16.05.09\n';
        const imported = await s.api('POST', '/api/v1/assets/import', { token: admin, raw: good, headers: { 'content-type': 'text/csv' } });
        assert.equal(imported.status, 200, JSON.stringify(imported.body));
        assert.equal(imported.body.created, 2);
        const listed = (await s.api('GET', '/api/v1/assets?q=PJU CSV', { token: admin })).body.items;
        assert.deepEqual(listed.map((a: { name: string }) => a.name).sort(), ['PJU CSV 1', 'PJU CSV 2, Simpang']);
        assert.ok(listed.every((a: { opdId: string; districtCode: string }) => a.opdId === opd.id && a.districtCode === '16.05.09'));
        assert.equal((await s.api('POST', '/api/v1/assets/import', { token: admin, raw: 'nama,jenis\nx,y\n', headers: { 'content-type': 'text/csv' } })).status, 400);
      });

      it('gives the latest values of every device of the region at once', async () => {
        const a = await newDevice('bulk A');
        const b = await newDevice('bulk B');
        await send(a.accessToken, { waterLevel: 1.1, battery: 90 });
        await send(b.accessToken, { waterLevel: 2.2 });
        const all = await s.api('GET', '/api/v1/telemetry/latest?keys=waterLevel', { token: admin });
        assert.equal(all.body[a.id].waterLevel.value, 1.1);
        assert.equal(all.body[b.id].waterLevel.value, 2.2);
        assert.equal(all.body[a.id].battery, undefined, 'only the keys asked for');
      });
    });

    describe('retention', () => {
      it('deletes telemetry older than the region keeps, and keeps the latest value', async () => {
        const device = await newDevice();
        const now = clock.now();
        await send(device.accessToken, [
          { ts: now - 40 * 24 * HOUR, values: { level: 1 } },
          { ts: now - 10 * 24 * HOUR, values: { level: 2 } },
        ]);
        assert.equal((await s.api('PATCH', '/api/v1/region', { token: admin, body: { retentionDays: 30 } })).body.retentionDays, 30);
        const deleted = await s.app.services.retention.runOnce();
        assert.ok(deleted >= 1);
        const series = await s.api('GET', `/api/v1/devices/${device.id}/telemetry?keys=level&from=${now - 60 * 24 * HOUR}`, { token: admin });
        assert.deepEqual(series.body.level.map((p: { value: number }) => p.value), [2]);
        const latest = await s.api('GET', `/api/v1/devices/${device.id}/latest`, { token: admin });
        assert.equal(latest.body.level.value, 2);
        assert.equal((await s.api('PATCH', '/api/v1/region', { token: admin, body: { retentionDays: 0 } })).status, 400);
        await s.api('PATCH', '/api/v1/region', { token: admin, body: { retentionDays: null } });
      });
    });

    describe('scoping', () => {
      it('keeps an operator to the devices and assets of their own OPD', async () => {
        const dinkes = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'DINKES', name: 'Dinas Kesehatan' } })).body;
        const pupr = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'PUPR', name: 'Dinas PUPR' } })).body;
        await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'op@dinkes.id', name: 'Op Dinkes', password: 'operator-password', role: 'operator', opdId: dinkes.id } });
        const op = await s.login('op@dinkes.id', 'operator-password');
        const mine = await s.api('POST', '/api/v1/assets', { token: op, body: { type: 'puskesmas', name: 'Puskesmas Muara Beliti' } });
        assert.equal(mine.status, 201);
        assert.equal(mine.body.opdId, dinkes.id, 'an operator’s asset belongs to their OPD');
        const theirs = (await s.api('POST', '/api/v1/assets', { token: admin, body: { type: 'bridge', name: 'Jembatan', opdId: pupr.id } })).body;
        assert.equal((await s.api('PATCH', `/api/v1/assets/${theirs.id}`, { token: op, body: { name: 'hijack' } })).status, 403);
        assert.equal((await s.api('POST', '/api/v1/devices', { token: op, body: { name: 'x', assetId: theirs.id } })).status, 403);
        const ownDevice = await s.api('POST', '/api/v1/devices', { token: op, body: { name: 'Sensor suhu vaksin', assetId: mine.body.id } });
        assert.equal(ownDevice.status, 201);
        const puprDevice = await newDevice('PUPR sensor', admin, { assetId: theirs.id });
        assert.equal((await s.api('POST', `/api/v1/devices/${puprDevice.id}/token`, { token: op })).status, 403);
        assert.equal((await s.api('DELETE', `/api/v1/devices/${puprDevice.id}`, { token: op })).status, 403);
        assert.equal((await s.api('GET', `/api/v1/devices/${puprDevice.id}`, { token: op })).status, 200, 'reading is allowed');
      });

      it('keeps region A from seeing region B', async () => {
        const services = s.app.services;
        const other = await services.identity.ensureRegion('16.13'); // Kabupaten Musi Rawas Utara
        const otherAdmin = { userId: 'x', regionId: other.id, role: 'admin' as const, opdId: null, email: 'x' };
        const foreign = await services.devices.create(otherAdmin, { name: 'Muratara gauge' });
        await services.assets.create(otherAdmin, { type: 'bridge', name: 'Jembatan Muratara' });
        assert.equal((await send(foreign.accessToken, { level: 9 })).status, 200);
        assert.equal((await s.api('GET', `/api/v1/devices/${foreign.id}`, { token: admin })).status, 404);
        assert.equal((await s.api('GET', `/api/v1/devices/${foreign.id}/latest`, { token: admin })).status, 404);
        assert.equal((await s.api('GET', `/api/v1/devices/${foreign.id}/telemetry`, { token: admin })).status, 404);
        const list = await s.api('GET', '/api/v1/devices?limit=1000', { token: admin });
        assert.ok(!list.body.items.some((d: { id: string }) => d.id === foreign.id));
        const assets = await s.api('GET', '/api/v1/assets?limit=1000&q=muratara', { token: admin });
        assert.equal(assets.body.items.length, 0);
      });
    });
  });
}
