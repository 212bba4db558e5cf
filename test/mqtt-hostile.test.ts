import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { startServer, dialects, type TestServer } from './helpers.ts';
import { connectDevice } from './mqtt-helpers.ts';

/**
 * The embedded broker under hostile connections: packets that declare 200 MB,
 * sockets that never send CONNECT, one address opening many sockets. Raw TCP
 * (node:net) writes what no MQTT library would.
 */

const MB = 1024 * 1024;
/** The CONNECT deadline of this suite's server, ms. */
const DEADLINE_MS = 1500;
/** Zeros written again and again by every flooding socket: allocated once, so the test's own memory does not grow. */
const ZEROS = Buffer.alloc(MB);

/** MQTT's variable-length integer (the fixed header's remaining length). */
function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

function mqttString(s: string): Buffer {
  const body = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]);
}

/** An MQTT 3.1.1 CONNECT with a clean session and a user name. */
function connectPacket(clientId: string, username: string): Buffer {
  const body = Buffer.concat([mqttString('MQTT'), Buffer.from([4, 0x82, 0, 60]), mqttString(clientId), mqttString(username)]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

/** The start of a QoS 1 PUBLISH to the telemetry topic whose remaining length is `declared`. */
function publishHeader(declared: number): Buffer {
  return Buffer.concat([Buffer.from([0x32]), remainingLength(declared), mqttString('v1/devices/me/telemetry'), Buffer.from([0, 1])]);
}

interface Raw {
  socket: net.Socket;
  /** Resolves once the server has closed the socket. */
  closed: Promise<void>;
  isClosed(): boolean;
  /** Bytes received so far. */
  received(): Buffer;
  /** The pieces they arrived in. */
  chunks: Buffer[];
}

function openRaw(port: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let done = false;
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    // Writing to a socket the server has closed fails: that is what these tests expect.
    socket.on('error', () => {});
    const closed = new Promise<void>((r) => socket.once('close', () => ((done = true), r())));
    socket.once('connect', () => resolve({ socket, closed, isClosed: () => done, received: () => Buffer.concat(chunks), chunks }));
    socket.once('error', reject);
  });
}

/** Whether `promise` settles within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  const result = await Promise.race([promise.then(() => true), late]);
  clearTimeout(timer);
  return result;
}

/** Writes `header` then `mb` MiB of zeros, stopping early when the socket closes; resolves when written or closed. */
function flood(raw: Raw, header: Buffer, mb: number): Promise<void> {
  return new Promise((resolve) => {
    raw.socket.write(header);
    let left = mb;
    const next = () => {
      while (left > 0 && !raw.isClosed()) {
        left--;
        if (!raw.socket.write(ZEROS)) return void raw.socket.once('drain', next);
      }
      if (raw.isClosed()) return resolve();
      raw.socket.write(Buffer.alloc(0), () => resolve());
    };
    raw.closed.then(resolve, resolve);
    next();
  });
}

/** Memory of this process that a buffered payload would show up in, bytes. */
function memory(): { rss: number; arrayBuffers: number } {
  const { rss, arrayBuffers } = process.memoryUsage();
  return { rss, arrayBuffers };
}

const [sqlite] = await dialects();

describe('MQTT broker under hostile connections', () => {
  let s: TestServer;
  let admin: string;
  const raws: Raw[] = [];
  const clients: MqttClient[] = [];
  before(async () => {
    s = await startServer(sqlite!, {}, { mqttConnectTimeoutMs: DEADLINE_MS });
    admin = await s.login();
  });
  after(async () => {
    for (const r of raws) r.socket.destroy();
    for (const c of clients) c.end(true);
    await s.close();
  });
  const raw = async () => {
    const r = await openRaw(s.mqttPort);
    raws.push(r);
    return r;
  };
  const newDevice = async (name: string) => (await s.api('POST', '/api/v1/devices', { token: admin, body: { name } })).body as { id: string; accessToken: string };
  const latest = async (id: string) => (await s.api('GET', `/api/v1/devices/${id}/latest`, { token: admin })).body as Record<string, { value: unknown }>;

  it('closes a socket whose first packet declares 200 MB, before buffering it', async () => {
    const sockets = await Promise.all(Array.from({ length: 12 }, raw));
    const start = memory();
    const header = publishHeader(200 * MB);
    const floods = sockets.map((r) => flood(r, header, 16));
    assert.ok(await within(Promise.all(sockets.map((r) => r.closed)), 1000), 'every socket is closed within a second');
    await Promise.all(floods);
    const grown = memory();
    // 12 × 16 MiB were sent: none of it may be held.
    assert.ok(grown.arrayBuffers - start.arrayBuffers < 24 * MB, `array buffers grew by ${((grown.arrayBuffers - start.arrayBuffers) / MB).toFixed(1)} MiB`);
    assert.ok(grown.rss - start.rss < 96 * MB, `RSS grew by ${((grown.rss - start.rss) / MB).toFixed(1)} MiB`);
  });

  it('closes a socket that sends a CONNECT larger than a CONNECT can be', async () => {
    const r = await raw();
    r.socket.write(Buffer.concat([Buffer.from([0x10]), remainingLength(50 * MB)]));
    assert.ok(await within(r.closed, 1000));
  });

  it('closes a signed-in device that declares a 200 MB PUBLISH, before buffering it', async () => {
    const device = await newDevice('Pos duga air');
    const sockets = await Promise.all(Array.from({ length: 4 }, raw));
    for (const [i, r] of sockets.entries()) r.socket.write(connectPacket(`big-${i}`, device.accessToken));
    for (const r of sockets) {
      while (r.received().length < 4 && !r.isClosed()) await new Promise((res) => setTimeout(res, 10));
      assert.deepEqual([...r.received().subarray(0, 4)], [0x20, 2, 0, 0], 'CONNACK 0');
      // Written as one piece: a packet split over TCP segments waits for Nagle's algorithm.
      assert.equal(r.chunks[0]?.length, 4, 'the CONNACK arrives in one piece');
    }
    const start = memory();
    const floods = sockets.map((r) => flood(r, publishHeader(200 * MB), 24));
    assert.ok(await within(Promise.all(sockets.map((r) => r.closed)), 1000), 'every socket is closed within a second');
    await Promise.all(floods);
    const grown = memory();
    assert.ok(grown.arrayBuffers - start.arrayBuffers < 24 * MB, `array buffers grew by ${((grown.arrayBuffers - start.arrayBuffers) / MB).toFixed(1)} MiB`);
    assert.deepEqual(await latest(device.id), {});
  });

  it('still takes a message at the payload limit', async () => {
    const device = await newDevice('Pos besar');
    const client = await connectDevice(s.mqttPort, device.accessToken);
    clients.push(client);
    // One value may hold 64 Ki characters: 16 of them come close to the 1 MiB limit.
    const payload = JSON.stringify(Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`catatan${i}`, 'x'.repeat(65_000)])));
    assert.ok(payload.length > s.config.maxPayloadBytes - 64 * 1024 && payload.length <= s.config.maxPayloadBytes);
    assert.ok(await within(client.publishAsync('v1/devices/me/attributes', payload, { qos: 1 }), 5000), 'acknowledged');
    assert.equal(client.connected, true);
  });

  it('closes a socket that sends no CONNECT, or only part of one, after the deadline', async () => {
    const silent = await raw();
    const slow = await raw();
    slow.socket.write(Buffer.from([0x10, 0x40])); // a CONNECT header, and then nothing
    const t0 = Date.now();
    assert.ok(await within(Promise.all([silent.closed, slow.closed]), DEADLINE_MS + 1500), 'both are closed after the deadline');
    assert.ok(Date.now() - t0 >= DEADLINE_MS - 200, 'not before the deadline');
  });

  it('keeps at most 20 unauthenticated sockets per address open, while a device goes on working', async () => {
    const device = await newDevice('Pos hujan');
    const client = await connectDevice(s.mqttPort, device.accessToken);
    clients.push(client);
    const sockets: Raw[] = [];
    for (let i = 0; i < 30; i++) sockets.push(await raw());
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(sockets.filter((r) => !r.isClosed()).length, 20);
    // The device connected before the flood is not counted, and is still served.
    await client.publishAsync('v1/devices/me/telemetry', JSON.stringify({ curahHujan: 12.5 }), { qos: 1 });
    assert.equal((await latest(device.id)).curahHujan?.value, 12.5);
    // The deadline closes the rest, and gives their places back.
    assert.ok(await within(Promise.all(sockets.map((r) => r.closed)), DEADLINE_MS + 1500));
    const again = await connectDevice(s.mqttPort, device.accessToken);
    clients.push(again);
    await again.publishAsync('v1/devices/me/telemetry', JSON.stringify({ curahHujan: 13 }), { qos: 1 });
    assert.equal((await latest(device.id)).curahHujan?.value, 13);
  });

  it('gives a place back once a connection has authenticated', async () => {
    const device = await newDevice('Gateway');
    // 25 devices behind one address connect one after another: each frees its place when it is in.
    for (let i = 0; i < 25; i++) clients.push(await connectDevice(s.mqttPort, device.accessToken));
    assert.ok(clients.slice(-25).every((c) => c.connected));
  });
});
