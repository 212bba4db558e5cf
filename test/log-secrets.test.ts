import assert from 'node:assert/strict';
import net from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../src/app.ts';
import { redactUrl } from '../src/core/redact.ts';
import { ADMIN, dialects, openStream, testConfig, type Storage } from './helpers.ts';

/**
 * No token or secret reaches the log: the log of failing requests, at the
 * default level and at the most verbose, is read back and searched for every
 * credential those requests carried in their URLs and headers.
 */
describe('logs', () => {
  it('redacts credentials in URLs', () => {
    assert.equal(redactUrl('/api/v1/AbC123/telemetry'), '/api/v1/[REDACTED]/telemetry');
    assert.equal(redactUrl('/api/v1/AbC123/attributes?sharedKeys=a'), '/api/v1/[REDACTED]/attributes?sharedKeys=a');
    assert.equal(redactUrl('/api/v1/devices/42/telemetry?keys=a'), '/api/v1/devices/42/telemetry?keys=a', 'a device id is no secret');
    assert.equal(redactUrl('/api/v1/stream?token=s3cr3t&x=1'), '/api/v1/stream?token=[REDACTED]&x=1');
    assert.equal(redactUrl('/ack/T0k3n'), '/ack/[REDACTED]');
    assert.equal(redactUrl('/api/v1/notifications/ack/T0k3n'), '/api/v1/notifications/ack/[REDACTED]');
    assert.equal(redactUrl('/open311/v2/requests.json?api_key=K3y&jurisdiction_id=16.05'), '/open311/v2/requests.json?api_key=[REDACTED]&jurisdiction_id=16.05');
    assert.equal(redactUrl('/api/v1/notifications/callbacks/whatsapp/r1?hub.verify_token=V&hub.mode=subscribe'), '/api/v1/notifications/callbacks/whatsapp/[REDACTED]?hub.verify_token=[REDACTED]&hub.mode=subscribe');
  });

  for (const level of ['info', 'trace']) {
    describe(`failing requests at log level ${level}`, () => {
      let storage: Storage;
      let lines = '';
      let url: string;
      let app: Awaited<ReturnType<typeof createApp>>;
      before(async () => {
        storage = await (await dialects())[0]!.storage();
        const logStream = new Writable({
          write(chunk, _encoding, done) {
            lines += chunk.toString();
            done();
          },
        });
        app = await createApp(testConfig({ dataDir: storage.dataDir, logLevel: level }), { backgroundJobs: false, ruleTickMs: null, logStream });
        // A request marked so fails inside the platform (500): the path every unexpected failure takes to the log.
        app.addHook('onRequest', async (request) => {
          if (request.headers['x-test-fail'] === '1') throw new Error('simulated failure');
        });
        await app.listen({ port: 0, host: '127.0.0.1' });
        url = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
      });
      after(async () => {
        await app.close();
        await storage.drop();
      });

      it('logs none of the tokens that failing requests carried', async () => {
        const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
        const session = ((await login.json()) as { token: string }).token;
        const device = (await (
          await fetch(`${url}/api/v1/devices`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session}` }, body: JSON.stringify({ name: 'Pos duga air' }) })
        ).json()) as { accessToken: string };
        const ackToken = 'AckTokenRahasiaXyz123';
        const apiKey = 'ApiKeyRahasiaXyz456';
        const verify = 'VerifyRahasiaXyz789';
        const fail = { 'x-test-fail': '1' };

        const answers = [
          await fetch(`${url}/api/v1/${device.accessToken}/telemetry`, { method: 'POST', headers: { ...fail, 'content-type': 'application/json' }, body: '{"t":1}' }),
          await fetch(`${url}/api/v1/stream?token=${session}`, { headers: fail }),
          await fetch(`${url}/ack/${ackToken}`, { headers: fail }),
          await fetch(`${url}/api/v1/notifications/ack/${ackToken}`, { method: 'POST', headers: fail }),
          await fetch(`${url}/open311/v2/requests.json?api_key=${apiKey}`, { headers: fail }),
          await fetch(`${url}/api/v1/notifications/callbacks/whatsapp/x?hub.verify_token=${verify}&hub.challenge=1`, { headers: fail }),
          await fetch(`${url}/api/v1/auth/me`, { headers: { ...fail, authorization: `Bearer ${session}` } }),
        ];
        assert.deepEqual(
          answers.map((a) => a.status),
          answers.map(() => 500),
        );
        // The device's real failure path too: its token checked against a broken store.
        const original = app.services.ingest.authenticate.bind(app.services.ingest);
        app.services.ingest.authenticate = async () => {
          throw new Error('database is on fire');
        };
        try {
          assert.equal((await fetch(`${url}/api/v1/${device.accessToken}/telemetry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"t":1}' })).status, 500);
        } finally {
          app.services.ingest.authenticate = original;
        }
        // A WebSocket asked of a path that is not one (the plugin logs the path) and a stream whose session check fails.
        await openStream(url, device.accessToken).catch(() => {});
        const { WebSocket } = await import('ws');
        await new Promise<void>((resolve) => {
          const ws = new WebSocket(`${url.replace('http', 'ws')}/ack/${ackToken}`);
          ws.on('error', () => resolve());
          ws.on('close', () => resolve());
        });

        await new Promise((r) => setTimeout(r, 100));
        assert.match(lines, /request failed/, 'the failures were logged');
        assert.match(lines, /\[REDACTED\]/);
        for (const [name, secret] of Object.entries({ session, device: device.accessToken, ackToken, apiKey, verify, password: ADMIN.password })) {
          assert.equal(lines.includes(secret), false, `the ${name} token is in the log`);
        }
      });
    });
  }
});
