import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { closed, connectWithConnack as connectDevice, nextMessage } from './mqtt-helpers.ts';

/**
 * The embedded broker speaks MQTT 5 (ThingsBoard's own device SDK always
 * connects with it) beside MQTT 3.1.1: the same device API on both, and what
 * MQTT 5 adds (reason codes, a negative PUBACK that keeps the session, topic
 * aliases, user properties, an advertised maximum packet size).
 */

type Version = 4 | 5;
const MB = 1024 * 1024;

/** Runs a command; resolves with its exit code and output (null when the binary is absent). */
function run(command: string, args: string[], ms = 10_000): Promise<{ code: number | null; stdout: string; stderr: string } | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(null);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const mosquittoClients = (await run('mosquitto_pub', ['--help'], 5000)) !== null && (await run('mosquitto_sub', ['--help'], 5000)) !== null;

for (const dialect of await dialects()) {
  describe(`MQTT 5 and 3.1.1 on the embedded broker, ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    const clients: MqttClient[] = [];
    before(async () => {
      s = await startServer(dialect);
      admin = await s.login();
    });
    after(async () => {
      for (const c of clients) c.end(true);
      await s.close();
    });

    const newDevice = async (name = 'Pos duga air') => (await s.api('POST', '/api/v1/devices', { token: admin, body: { name } })).body as { id: string; accessToken: string };
    const connect = async (token: string, version: Version, extra: IClientOptions = {}) => {
      const c = await connectDevice(s.mqttPort, token, version, extra);
      clients.push(c.client);
      return c;
    };
    const latest = async (id: string) => (await s.api('GET', `/api/v1/devices/${id}/latest`, { token: admin })).body as Record<string, { value: unknown }>;

    for (const version of [5, 4] as const) {
      const v = version === 5 ? 'MQTT 5' : 'MQTT 3.1.1';

      it(`${v}: stores telemetry published with QoS 1 before the PUBACK`, async () => {
        const device = await newDevice();
        const { client } = await connect(device.accessToken, version);
        await client.publishAsync('v1/devices/me/telemetry', JSON.stringify({ ts: 1764300000000, values: { waterLevel: 3.2 } }), { qos: 1 });
        assert.equal((await latest(device.id)).waterLevel?.value, 3.2);
      });

      it(`${v}: refuses an empty username and an unknown token with the version's own codes`, async () => {
        const codes = version === 5 ? [0x86, 0x87] : [4, 5];
        await assert.rejects(connectDevice(s.mqttPort, '', version), (error: { code?: number }) => error.code === codes[0]);
        await assert.rejects(connectDevice(s.mqttPort, 'no-such-token-0000000000', version), (error: { code?: number }) => error.code === codes[1]);
      });

      it(`${v}: stores client attributes and answers an attribute request on the device’s own response topic`, async () => {
        const device = await newDevice();
        const { client } = await connect(device.accessToken, version);
        await client.publishAsync('v1/devices/me/attributes', JSON.stringify({ firmware: '2.0.1' }), { qos: 1 });
        await s.api('POST', `/api/v1/devices/${device.id}/attributes/shared`, { token: admin, body: { samplingSeconds: 60 } });
        await client.subscribeAsync('v1/devices/me/attributes/response/+', { qos: 1 });
        const answer = nextMessage(client);
        await client.publishAsync('v1/devices/me/attributes/request/7', JSON.stringify({ clientKeys: 'firmware', sharedKeys: 'samplingSeconds' }), { qos: 1 });
        assert.deepEqual(await answer, { topic: 'v1/devices/me/attributes/response/7', payload: { client: { firmware: '2.0.1' }, shared: { samplingSeconds: 60 } } });
      });

      it(`${v}: pushes shared attributes to the device they are for, and to no other`, async () => {
        const a = await newDevice('A');
        const b = await newDevice('B');
        const { client: clientA } = await connect(a.accessToken, version);
        const { client: clientB } = await connect(b.accessToken, version);
        await clientA.subscribeAsync('v1/devices/me/attributes', { qos: 1 });
        await clientB.subscribeAsync('v1/devices/me/attributes', { qos: 1 });
        let leaked = false;
        clientB.on('message', () => (leaked = true));
        const pushed = nextMessage(clientA);
        await s.api('POST', `/api/v1/devices/${a.id}/attributes/shared`, { token: admin, body: { siagaLevel: 3.5 } });
        assert.deepEqual(await pushed, { topic: 'v1/devices/me/attributes', payload: { siagaLevel: 3.5 } });
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(leaked, false);
      });

      it(`${v}: refuses a packet larger than the limit (10 MB) and stores nothing of it`, async () => {
        const device = await newDevice();
        const { client } = await connect(device.accessToken, version);
        let reason: number | undefined;
        client.on('disconnect', (packet) => (reason = packet.reasonCode));
        const big = JSON.stringify({ catatan: 'x'.repeat(10 * MB) });
        client.publish('v1/devices/me/telemetry', big, { qos: 1 }, () => {});
        await closed(client);
        // MQTT 5 is told why (0x95, packet too large); MQTT 3.1.1 has no DISCONNECT from the broker.
        assert.equal(reason, version === 5 ? 0x95 : undefined);
        assert.deepEqual(await latest(device.id), {});
      });
    }

    it('MQTT 5: the CONNACK advertises the maximum packet size, topic aliases and the receive maximum', async () => {
      const device = await newDevice();
      const { connack } = await connect(device.accessToken, 5);
      assert.equal(connack.reasonCode, 0);
      assert.equal(connack.properties?.maximumPacketSize, 5 + s.config.maxPayloadBytes + 4096);
      assert.equal(connack.properties?.topicAliasMaximum, 10);
      assert.equal(connack.properties?.receiveMaximum, 100);
    });

    it('MQTT 5: answers a bad message with a negative PUBACK (0x87, with the reason) and keeps the session', async () => {
      const device = await newDevice();
      const { client } = await connect(device.accessToken, 5);
      const puback = new Promise<{ reasonCode?: number; properties?: { reasonString?: string } }>((resolve) => {
        client.on('packetreceive', (packet) => {
          if (packet.cmd === 'puback') resolve(packet);
        });
      });
      await assert.rejects(client.publishAsync('v1/devices/me/telemetry', '{"waterLevel": 3.', { qos: 1 }));
      const ack = await puback;
      assert.equal(ack.reasonCode, 0x87);
      assert.match(ack.properties?.reasonString ?? '', /not valid JSON/);
      // A topic no device may publish to: refused the same way.
      await assert.rejects(client.publishAsync('v1/devices/other/telemetry', '{"a":1}', { qos: 1 }));
      assert.equal(client.connected, true);
      await client.publishAsync('v1/devices/me/telemetry', JSON.stringify({ waterLevel: 3.4 }), { qos: 1 });
      assert.deepEqual(Object.keys(await latest(device.id)), ['waterLevel']);
    });

    it('MQTT 3.1.1: a bad message still closes the connection, unacknowledged', async () => {
      const device = await newDevice();
      const { client } = await connect(device.accessToken, 4);
      let acked = false;
      client.publish('v1/devices/me/telemetry', '{"waterLevel": 3.', { qos: 1 }, (error) => (acked = !error));
      await closed(client);
      assert.equal(acked, false);
    });

    it('MQTT 5: takes topic aliases, and user properties (which it ignores)', async () => {
      const device = await newDevice();
      const { client } = await connect(device.accessToken, 5);
      await client.publishAsync('v1/devices/me/telemetry', JSON.stringify({ ts: 1764300000000, values: { a: 1 } }), { qos: 1, properties: { topicAlias: 3 } });
      // The topic by its alias alone.
      await client.publishAsync('', JSON.stringify({ ts: 1764300000001, values: { b: 2 } }), { qos: 1, properties: { topicAlias: 3 } });
      await client.publishAsync('v1/devices/me/attributes', JSON.stringify({ firmware: '1.0' }), { qos: 1, properties: { userProperties: { sdk: 'tb-mqtt-client', batch: ['1', '2'] } } });
      const values = await latest(device.id);
      assert.deepEqual([values.a?.value, values.b?.value], [1, 2]);
      assert.equal(client.connected, true);
    });

    it('MQTT 5: an alias past the advertised maximum ends the connection (0x94)', async () => {
      // mqtt.js will not send one: written by hand (CONNECT, then a QoS 0 PUBLISH with topic alias 11).
      const device = await newDevice();
      const str = (t: string) => Buffer.concat([Buffer.from([0, Buffer.byteLength(t)]), Buffer.from(t)]);
      const packet = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type, body.length]), body]);
      const socket = net.connect(s.mqttPort, '127.0.0.1');
      const received: Buffer[] = [];
      socket.on('data', (d: Buffer) => received.push(d));
      const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(packet(0x10, Buffer.concat([str('MQTT'), Buffer.from([5, 0x82, 0, 60, 0]), str('alias-test'), str(device.accessToken)])));
      socket.write(packet(0x30, Buffer.concat([str('v1/devices/me/telemetry'), Buffer.from([3, 0x23, 0, 11]), Buffer.from('{"a":1}')])));
      await ended;
      const bytes = Buffer.concat(received);
      assert.equal(bytes[0], 0x20, 'a CONNACK first');
      const disconnect = bytes.subarray(2 + bytes[1]!);
      assert.deepEqual([disconnect[0], disconnect[2]], [0xe0, 0x94], 'then DISCONNECT 0x94 (topic alias invalid)');
      assert.deepEqual(await latest(device.id), {});
    });

    it('MQTT 5: refuses a client id held by another device (0x87), lets the same device take it over', async () => {
      const a = await newDevice('A');
      const b = await newDevice('B');
      const { client: first } = await connect(a.accessToken, 5, { clientId: 'pompa-1' });
      await assert.rejects(connectDevice(s.mqttPort, b.accessToken, 5, { clientId: 'pompa-1' }), (error: { code?: number }) => error.code === 0x87);
      assert.equal(first.connected, true);
      const { client: again } = await connect(a.accessToken, 5, { clientId: 'pompa-1' });
      await closed(first);
      assert.equal(again.connected, true);
    });

    it('MQTT 5: a session outlives its connection (an hour at most) and keeps its subscription', async () => {
      const device = await newDevice();
      const options = { clientId: `lampu-5-${device.id.slice(0, 8)}`, clean: false, properties: { sessionExpiryInterval: 0xffffffff } };
      const { client, connack } = await connect(device.accessToken, 5, options);
      assert.equal(connack.properties?.sessionExpiryInterval, 3600);
      await client.subscribeAsync('v1/devices/me/attributes', { qos: 1 });
      await client.endAsync();
      // Pushed while the device is away: kept for it.
      await s.api('POST', `/api/v1/devices/${device.id}/attributes/shared`, { token: admin, body: { dimming: 40 } });
      const resumed = mqtt.connect(`mqtt://127.0.0.1:${s.mqttPort}`, { username: device.accessToken, reconnectPeriod: 0, protocolVersion: 5, ...options });
      clients.push(resumed);
      // Listening before the CONNACK: the queued message may follow it at once.
      const queued = nextMessage(resumed);
      const again = await new Promise<mqtt.IConnackPacket>((resolve) => resumed.once('connect', resolve));
      assert.equal(again.sessionPresent, true);
      assert.deepEqual(await queued, { topic: 'v1/devices/me/attributes', payload: { dimming: 40 } });
      const pushed = nextMessage(resumed);
      await s.api('POST', `/api/v1/devices/${device.id}/attributes/shared`, { token: admin, body: { dimming: 60 } });
      assert.deepEqual(await pushed, { topic: 'v1/devices/me/attributes', payload: { dimming: 60 } });
      assert.equal(resumed.connected, true);
    });

    it('MQTT 3.1.1: a persistent session (clean session 0) keeps its subscription and gets its pushes', async () => {
      const device = await newDevice();
      const options = { clientId: `lampu-4-${device.id.slice(0, 8)}`, clean: false };
      const { client } = await connect(device.accessToken, 4, options);
      // `#` is refused, and must not make the session collect everyone's messages.
      await client.subscribeAsync(['v1/devices/me/attributes', '#'], { qos: 1 }).catch(() => {});
      await client.endAsync();
      const { client: resumed, connack } = await connect(device.accessToken, 4, options);
      assert.equal(connack.sessionPresent, true);
      const pushed = nextMessage(resumed);
      await s.api('POST', `/api/v1/devices/${device.id}/attributes/shared`, { token: admin, body: { dimming: 60 } });
      assert.deepEqual(await pushed, { topic: 'v1/devices/me/attributes', payload: { dimming: 60 } });
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(resumed.connected, true);
    });

    it('mosquitto_pub and mosquitto_sub -V mqttv5: telemetry, shared attributes, a bad token', { skip: mosquittoClients ? false : 'mosquitto_pub / mosquitto_sub are not installed' }, async () => {
      const device = await newDevice();
      const base = ['-h', '127.0.0.1', '-p', String(s.mqttPort), '-V', 'mqttv5', '-u', device.accessToken];
      const pub = await run('mosquitto_pub', [...base, '-q', '1', '-t', 'v1/devices/me/telemetry', '-m', '{"curahHujan":12.5}', '-D', 'publish', 'user-property', 'sdk', 'mosquitto']);
      assert.equal(pub?.code, 0, pub?.stderr);
      assert.equal((await latest(device.id)).curahHujan?.value, 12.5);

      const sub = spawn('mosquitto_sub', [...base, '-q', '1', '-t', 'v1/devices/me/attributes', '-C', '1', '-W', '10']);
      let out = '';
      sub.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const ended = new Promise<number | null>((resolve) => sub.once('close', resolve));
      // Pushed until the subscription is in place (mosquitto_sub says nothing when it is).
      for (let i = 0; i < 50 && out === ''; i++) {
        await s.api('POST', `/api/v1/devices/${device.id}/attributes/shared`, { token: admin, body: { siagaLevel: 3 } });
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(await ended, 0);
      assert.deepEqual(JSON.parse(out.trim()), { siagaLevel: 3 });

      const refused = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(s.mqttPort), '-V', 'mqttv5', '-u', 'no-such-token-0000000000', '-t', 'v1/devices/me/telemetry', '-m', '{"a":1}']);
      assert.notEqual(refused?.code, 0);
      assert.match(refused?.stderr ?? '', /not authori[sz]ed/i);
    });
  });
}
