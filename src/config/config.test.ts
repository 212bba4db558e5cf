import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, flagsToEnv, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.dataDir, path.resolve('./data'));
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.mqttPort, 1883);
    assert.equal(c.mqttUrl, undefined);
    assert.equal(c.busUrl, undefined);
    assert.equal(c.demo, false);
    assert.equal(c.regionCode, '16.05');
  });

  it('turns MQTT_PORT=0 into no broker', () => {
    assert.equal(loadConfig({ MQTT_PORT: '0' }).mqttPort, null);
  });

  it('reads DEMO, DATABASE_URL and BUS_URL', () => {
    const c = loadConfig({ DEMO: '1', DATABASE_URL: 'postgres://u@db:5432/cerdas', BUS_URL: 'nats://127.0.0.1:4222' });
    assert.equal(c.demo, true);
    assert.equal(c.databaseUrl, 'postgres://u@db:5432/cerdas');
    assert.equal(c.busUrl, 'nats://127.0.0.1:4222');
  });

  it('reads TRUST_PROXY as the proxies\' addresses, and refuses anything else, hop counts included', () => {
    assert.equal(loadConfig({}).trustProxy, undefined);
    assert.equal(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,::1,fd00::/8' }).trustProxy, '10.0.0.1,10.1.0.0/16,::1,fd00::/8');
    assert.equal(loadConfig({ TRUST_PROXY: 'loopback,uniquelocal' }).trustProxy, 'loopback,uniquelocal');
    for (const bad of ['1', 'yes', '10.0.0.300', '10.0.0.0/abc', '10.0.0.0/33', '10.0.0.1/08', '::1/200', 'nginx']) {
      assert.throws(() => loadConfig({ TRUST_PROXY: bad }), (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.startsWith('TRUST_PROXY')), bad);
    }
  });

  it('reports every problem at once', () => {
    assert.throws(
      () => loadConfig({ PORT: '-1', DEMO: 'yes', BUS_URL: 'amqp://x', ADMIN_PASSWORD: 'short', REGION_CODE: '1605' }),
      (error: unknown) => error instanceof ConfigError && error.problems.length === 6 && error.problems.some((p) => p.startsWith('BUS_URL')),
    );
  });

  it('lets a flag stand for each variable, and flags win', () => {
    assert.deepEqual(flagsToEnv(['--port', '9000', '--data-dir=/srv/cerdas', '--demo']), { PORT: '9000', DATA_DIR: '/srv/cerdas', DEMO: '1' });
    assert.equal(loadConfig({ PORT: '1' }, ['--port=9000']).port, 9000);
  });
});
