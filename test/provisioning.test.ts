import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { ManualClock } from '../src/core/clock.ts';
import { dialects, startServer, type TestServer } from './helpers.ts';

/** Provisions over MQTT as ThingsBoard's firmware does: user name "provision", subscribe to the answer, then ask. */
async function provisionOverMqtt(port: number, request: unknown, topic = '/provision/request', protocolVersion: 4 | 5 = 4): Promise<any> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: 'provision', reconnectPeriod: 0, connectTimeout: 5000, protocolVersion });
  try {
    const answer = new Promise<any>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no provisioning answer')), 10_000);
      client.once('message', (topic, payload) => {
        clearTimeout(timer);
        assert.equal(topic, '/provision/response');
        resolve(JSON.parse(payload.toString()));
      });
    });
    await client.subscribeAsync('/provision/response', { qos: 1 });
    await client.publishAsync(topic, JSON.stringify(request), { qos: 1 });
    return await answer;
  } finally {
    await client.endAsync(true);
  }
}

for (const dialect of await dialects()) {
  describe(`device provisioning and CSV import on ${dialect.name}`, () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 5, 0, 0));
    let s: TestServer;
    let admin: string;
    let dishub: string;
    let key: string;
    let secret: string;
    before(async () => {
      s = await startServer(dialect, {}, { clock, ruleTickMs: null, provisionLimits: { perMinute: 1000, failuresPerMinute: 10 } });
      admin = await s.login();
      dishub = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'DISHUB', name: 'Dinas Perhubungan' } })).body.id;
      const profile = await s.api('POST', '/api/v1/device-profiles', {
        token: admin,
        body: { type: 'street_light', name: { id: 'Lampu jalan (PJU)', en: 'Street light' }, provisioning: true, provisionOpdId: dishub },
      });
      assert.equal(profile.status, 201, JSON.stringify(profile.body));
      key = profile.body.provisionKey;
      secret = profile.body.provisionSecret;
    });
    after(async () => s.close());

    const provision = (body: unknown) => s.api('POST', '/api/v1/provision', { body });
    const deviceNamed = async (name: string) => (await s.api('GET', `/api/v1/devices?q=${encodeURIComponent(name)}`, { token: admin })).body.items.find((d: { name: string }) => d.name === name);
    const deviceCount = async () => (await s.api('GET', '/api/v1/devices?limit=1000', { token: admin })).body.items.length as number;

    it('provisions a batch of 200 street-light controllers at once over HTTP, each with a working token', async () => {
      const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => provision({ deviceName: `PJU-${String(i + 1).padStart(3, '0')}`, provisionDeviceKey: key, provisionDeviceSecret: secret })));
      assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
      assert.ok(answers.every((a) => a.body.status === 'SUCCESS' && a.body.credentialsType === 'ACCESS_TOKEN'), JSON.stringify(answers.find((a) => a.body.status !== 'SUCCESS')?.body));
      const tokens = answers.map((a) => a.body.credentialsValue as string);
      assert.equal(new Set(tokens).size, 200);
      assert.equal((await s.api('POST', `/api/v1/${tokens[17]}/telemetry`, { body: { on: true, powerW: 118 } })).status, 200);
      const d = await deviceNamed('PJU-018');
      assert.equal(d.type, 'street_light');
      assert.equal(d.opdId, dishub, "a provisioned device belongs to the profile's OPD");
    });

    it('provisions over MQTT on /provision/request → /provision/response', async () => {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => provisionOverMqtt(s.mqttPort, { deviceName: `PJU-MQTT-${i}`, provisionDeviceKey: key, provisionDeviceSecret: secret })));
      assert.ok(answers.every((a) => a.status === 'SUCCESS' && a.credentialsType === 'ACCESS_TOKEN'), JSON.stringify(answers));
      const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${s.mqttPort}`, { username: answers[0].credentialsValue, clientId: 'pju-mqtt-0', reconnectPeriod: 0, protocolVersion: 4 });
      await device.publishAsync('v1/devices/me/telemetry', JSON.stringify({ on: false }), { qos: 1 });
      // Provisioning needs no token: it may not take a connected device's client id (and so its session).
      await assert.rejects(mqtt.connectAsync(`mqtt://127.0.0.1:${s.mqttPort}`, { username: 'provision', clientId: 'pju-mqtt-0', reconnectPeriod: 0, protocolVersion: 4 }), /Not authorized|Bad/i);
      assert.equal(device.connected, true);
      await device.endAsync(true);
      const d = await deviceNamed('PJU-MQTT-0');
      assert.deepEqual((await s.api('GET', `/api/v1/devices/${d.id}/latest`, { token: admin })).body.on.value, false);
      // ThingsBoard's earlier topic, which firmware in the field still uses; and MQTT 5, as its SDK connects.
      const older = await provisionOverMqtt(s.mqttPort, { deviceName: 'PJU-MQTT-OLD', provisionDeviceKey: key, provisionDeviceSecret: secret }, '/provision', 5);
      assert.equal(older.status, 'SUCCESS', JSON.stringify(older));
      const wrong = await provisionOverMqtt(s.mqttPort, { deviceName: 'PJU-MQTT-X', provisionDeviceKey: key, provisionDeviceSecret: 'salah' });
      assert.deepEqual(wrong, { status: 'NOT_FOUND', errorMsg: 'Provision data was not found!' });
      // A NUL in the name (JSON \u0000): PostgreSQL cannot store it, so neither database takes it.
      const nul = await provisionOverMqtt(s.mqttPort, { deviceName: 'PJU-\u0000-NUL', provisionDeviceKey: key, provisionDeviceSecret: secret });
      assert.deepEqual(nul, { status: 'NOT_FOUND', errorMsg: 'Provision data was not found!' });
      assert.equal((await s.api('GET', '/api/v1/devices?q=NUL', { token: admin })).body.items.length > 0, false);
    });

    it('refuses a wrong secret, an unknown key and a name that exists, as ThingsBoard does', async () => {
      const before = await deviceCount();
      const wrong = await provision({ deviceName: 'PJU-999', provisionDeviceKey: key, provisionDeviceSecret: `${secret}x` });
      assert.equal(wrong.status, 200);
      assert.deepEqual(wrong.body, { status: 'NOT_FOUND', errorMsg: 'Provision data was not found!' });
      assert.deepEqual((await provision({ deviceName: 'PJU-999', provisionDeviceKey: 'no-such-key', provisionDeviceSecret: secret })).body.status, 'NOT_FOUND');
      const taken = await provision({ deviceName: 'PJU-001', provisionDeviceKey: key, provisionDeviceSecret: secret });
      assert.deepEqual(taken.body, { status: 'FAILURE', errorMsg: 'Failed to provision device!' });
      assert.equal((await s.api('POST', '/api/v1/provision', { raw: 'not json' })).body.status, 'NOT_FOUND');
      assert.equal(await deviceCount(), before, 'nothing was created');
    });

    it('imports devices from CSV and answers a file of their tokens, once', async () => {
      const pumpAsset = (await s.api('POST', '/api/v1/assets', { token: admin, body: { type: 'pump', name: 'Pompa 2 Polder Tugumulyo', opdId: dishub } })).body;
      const csv = 'name,type,label,asset,opd\nPompa 2 Tugumulyo,pump,pompa-2,Pompa 2 Polder Tugumulyo,\n"Lampu, Simpang Beliti",street_light,,,DISHUB\n';
      const preview = await upload(s, admin, csv, '?dryRun=true');
      assert.equal(preview.status, 200);
      assert.deepEqual(JSON.parse(preview.text).errors, []);
      assert.equal(JSON.parse(preview.text).devices[0].assetId, pumpAsset.id);
      assert.equal(await deviceNamed('Pompa 2 Tugumulyo'), undefined, 'a preview creates nothing');

      const res = await upload(s, admin, csv);
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="device-tokens-/);
      const [head, ...lines] = res.text.trim().split('\r\n');
      assert.equal(head, 'name,type,label,asset_id,opd_id,device_id,access_token');
      assert.equal(lines.length, 2);
      assert.ok(lines[1]!.startsWith('"Lampu, Simpang Beliti",street_light,'));
      const token = lines[0]!.split(',').at(-1)!;
      assert.equal((await s.api('POST', `/api/v1/${token}/telemetry`, { body: { running: true } })).status, 200);
      const pump = await deviceNamed('Pompa 2 Tugumulyo');
      assert.equal(pump.assetId, pumpAsset.id);
      assert.equal(pump.opdId, dishub);
      assert.equal('accessToken' in (await s.api('GET', `/api/v1/devices/${pump.id}`, { token: admin })).body, false, 'the token is not retrievable again');
    });

    it('refuses a file with a bad line with a per-line error and creates nothing', async () => {
      const before = await deviceCount();
      const csv = 'name,type,asset\nPJU Baru 1,street_light,\nPJU Baru 2,lampu jalan!,\n,street_light,\nPJU Baru 3,street_light,Aset Tidak Ada\nPJU-001,street_light,\nPJU Baru 1,street_light,\n';
      const res = await upload(s, admin, csv);
      assert.equal(res.status, 400);
      const body = JSON.parse(res.text);
      assert.equal(body.error.code, 'DEVICE_IMPORT_INVALID');
      assert.deepEqual(body.error.details.errors.map((e: { line: number }) => e.line), [3, 4, 5, 6, 7]);
      assert.match(body.error.details.errors[0].message, /type must be/);
      assert.match(body.error.details.errors[1].message, /name is empty/);
      assert.match(body.error.details.errors[2].message, /no asset named "Aset Tidak Ada"/);
      assert.match(body.error.details.errors[3].message, /exists already/);
      assert.match(body.error.details.errors[4].message, /on line 2 already/);
      // A screen in Bahasa Indonesia shows the same problems in its language.
      assert.deepEqual(body.error.details.errors[2].problems, [{ id: 'tidak ada aset bernama "Aset Tidak Ada"', en: 'no asset named "Aset Tidak Ada"' }]);
      assert.match(body.error.details.errors[4].problems[0].id, /sudah ada di baris 2/);
      assert.equal(await deviceCount(), before);
    });

    it('refuses an oversize file, and a file without the name column', async () => {
      const big = `name,type\n${'x'.repeat(100)},street_light\n`.repeat(1).concat(Array.from({ length: 30_000 }, (_, i) => `Perangkat ${i} ${'y'.repeat(60)},street_light`).join('\n'));
      const res = await upload(s, admin, big);
      assert.equal(res.status, 413, res.text);
      const noName = await upload(s, admin, 'type,label\npump,x\n');
      assert.equal(noName.status, 400);
      assert.match(JSON.parse(noName.text).error.message, /"name"/);
      const viewerEmail = 'viewer@musirawas.go.id';
      await s.api('POST', '/api/v1/users', { token: admin, body: { email: viewerEmail, name: 'Viewer', password: 'Kata-Sandi-Kuat-2026!', role: 'viewer' } });
      const viewer = await s.login(viewerEmail, 'Kata-Sandi-Kuat-2026!');
      assert.equal((await upload(s, viewer, 'name\nX\n')).status, 403);
    });

    // Last: it spends this address's allowance of failures.
    it('rate-limits a flood of wrong secrets from one address, then lets it in again a minute later', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 15; i++) statuses.push((await provision({ deviceName: `PJU-F${i}`, provisionDeviceKey: key, provisionDeviceSecret: 'tebak' })).status);
      assert.ok(statuses.includes(429), `statuses: ${statuses.join(',')}`);
      const blocked = await provision({ deviceName: 'PJU-OK', provisionDeviceKey: key, provisionDeviceSecret: secret });
      assert.equal(blocked.status, 429, 'while blocked, even a good request waits');
      assert.equal(blocked.body.status, 'FAILURE');
      clock.advance(61_000);
      assert.equal((await provision({ deviceName: 'PJU-OK', provisionDeviceKey: key, provisionDeviceSecret: secret })).body.status, 'SUCCESS');
    });
  });
}

async function upload(s: TestServer, token: string, csv: string, query = ''): Promise<{ status: number; text: string; headers: Headers }> {
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'perangkat.csv');
  const res = await fetch(`${s.url}/api/v1/devices/import${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
