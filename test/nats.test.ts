import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects, openStream, portAnswers, startServerOn, type Storage, type TestServer } from './helpers.ts';

/**
 * Two platform instances on one database, sharing events over the NATS server
 * on 127.0.0.1:4222: what one ingests, a client of the other sees; a rule is
 * evaluated once per reading; a revoked token stops working on both.
 */
const nats = await portAnswers(4222);
const all = await dialects();
const dialect = all.find((d) => d.name === 'postgres') ?? all[0]!;

describe(`two instances over NATS (${dialect.name})`, { skip: nats ? false : 'NATS does not answer on 127.0.0.1:4222' }, () => {
  let storage: Storage;
  let a: TestServer;
  let b: TestServer;
  let tokenA: string;
  before(async () => {
    storage = await dialect.storage();
    const busUrl = `nats://127.0.0.1:4222/cerdas_test_${process.pid}_${Date.now()}`;
    a = await startServerOn(storage, { busUrl }, { ruleTickMs: null }, true);
    b = await startServerOn(storage, { busUrl }, { ruleTickMs: null }, true);
    tokenA = await a.login();
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await storage?.drop();
  });

  it('shows on one instance what the other ingested', async () => {
    const device = (await a.api('POST', '/api/v1/devices', { token: tokenA, body: { name: 'via B' } })).body;
    const stream = await openStream(a.url, tokenA);
    stream.send({ type: 'subscribe', id: 't', topic: 'telemetry', filter: { deviceIds: [device.id] } });
    await stream.next((m) => m.type === 'subscribed');
    assert.equal((await b.api('POST', `/api/v1/${device.accessToken}/telemetry`, { body: { waterLevel: 2.7 } })).status, 200);
    const m = await stream.next((x) => x.type === 'telemetry', 3000);
    assert.deepEqual(m.values, { waterLevel: 2.7 });
    stream.close();
  });

  it('evaluates a rule once per reading, whichever instance stores it', async () => {
    const device = (await a.api('POST', '/api/v1/devices', { token: tokenA, body: { name: 'rule once' } })).body;
    const created = await a.api('POST', '/api/v1/rules', { token: tokenA, body: { name: 'Siaga', severity: 'siaga', target: { kind: 'device', value: device.id }, key: 'waterLevel', condition: { op: 'gt', value: 3 } } });
    assert.equal(created.status, 201);
    // B learns of the new rule through the bus.
    await new Promise((r) => setTimeout(r, 200));
    const stream = await openStream(a.url, tokenA);
    stream.send({ type: 'subscribe', id: 'al', topic: 'alarms' });
    await stream.next((m) => m.type === 'subscribed');
    await b.api('POST', `/api/v1/${device.accessToken}/telemetry`, { body: { waterLevel: 3.5 } });
    await b.app.services.engine.idle();
    await a.app.services.engine.idle();
    const opened = await stream.next((m) => m.type === 'alarm' && m.event === 'opened', 3000);
    assert.equal(opened.alarm.deviceId, device.id);
    const list = (await a.api('GET', `/api/v1/alarms?deviceId=${device.id}`, { token: tokenA })).body.items;
    assert.equal(list.length, 1);
    assert.equal(list[0].count, 1, 'one evaluation, not one per instance');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(stream.received.filter((m) => m.type === 'alarm' && m.event === 'opened').length, 0, 'opened once');
    stream.close();
  });

  it('stops a revoked token on the other instance at once', async () => {
    const device = (await a.api('POST', '/api/v1/devices', { token: tokenA, body: { name: 'revoked' } })).body;
    assert.equal((await b.api('POST', `/api/v1/${device.accessToken}/telemetry`, { body: { v: 1 } })).status, 200, 'B has the token cached now');
    await a.api('DELETE', `/api/v1/devices/${device.id}/token`, { token: tokenA });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await b.api('POST', `/api/v1/${device.accessToken}/telemetry`, { body: { v: 2 } })).status, 401);
  });
});
