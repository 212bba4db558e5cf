/**
 * Rules that send a command, end to end with the platform's own sender (the
 * RPC module): level Awas at the polder → pump 2, a device on MQTT (mqtt.js),
 * gets `setPower {"on":true}` on `v1/devices/me/rpc/request/$id`, at once or
 * after an operator confirms; an offline pump gets it when it connects; the
 * RPC history and the audit log name the rule (and who confirmed); on SQLite
 * and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { until } from './mqtt-helpers.ts';

const GAUGE_PROFILE = {
  type: 'river_gauge',
  name: { id: 'Pos duga air', en: 'River gauge' },
  keys: [{ key: 'waterLevel', label: { id: 'Tinggi muka air', en: 'Water level' }, unit: 'm', decimals: 2, min: 0, max: 8 }],
  commands: [],
};
const PUMP_PROFILE = {
  type: 'pump',
  name: { id: 'Pompa air', en: 'Water pump' },
  keys: [],
  commands: [
    { method: 'setPower', label: { id: 'Nyalakan pompa', en: 'Start pump' }, params: { on: true }, oneway: false },
    { method: 'setPower', label: { id: 'Matikan pompa', en: 'Stop pump' }, params: { on: false }, oneway: false },
    { method: 'setSpeed', label: { id: 'Kecepatan', en: 'Speed' }, input: { min: 0, max: 100, step: 5, unit: '%' }, oneway: false },
  ],
};

/** A pump on MQTT that answers every command it is sent, keeping what it got. */
async function mqttPump(port: number, token: string, protocolVersion: 4 | 5) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: token, reconnectPeriod: 0, connectTimeout: 5000, protocolVersion });
  const requests: { topic: string; method: string; params: unknown }[] = [];
  client.on('message', (topic, payload) => {
    const id = /^v1\/devices\/me\/rpc\/request\/(\d+)$/.exec(topic)?.[1];
    if (id === undefined) return;
    const body = JSON.parse(payload.toString());
    requests.push({ topic, method: body.method, params: body.params });
    client.publishAsync(`v1/devices/me/rpc/response/${id}`, JSON.stringify({ running: true }), { qos: 1 }).catch(() => {});
  });
  await client.subscribeAsync('v1/devices/me/rpc/request/+', { qos: 1 });
  return { client, requests };
}

for (const dialect of await dialects()) {
  describe(`rules that command a pump over MQTT on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    let operator: string;
    let opdId: string;
    const clients: MqttClient[] = [];

    before(async () => {
      s = await startServer(dialect);
      admin = await s.login();
      opdId = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'pupr', name: 'Dinas PUPR' } })).body.id;
      for (const profile of [GAUGE_PROFILE, PUMP_PROFILE]) assert.equal((await s.api('POST', '/api/v1/device-profiles', { token: admin, body: profile })).status, 201);
      const created = await s.api('POST', '/api/v1/users', { token: admin, body: { email: 'operator.pupr@musirawas.go.id', name: 'Sari PUPR', password: 'password-123456', role: 'operator', opdId } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      operator = await s.login('operator.pupr@musirawas.go.id', 'password-123456');
    });
    after(async () => {
      for (const c of clients) c.end(true);
      await s.close();
    });

    const device = async (name: string, type: string) => {
      const res = await s.api('POST', '/api/v1/devices', { token: admin, body: { name, type, opdId } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; accessToken: string };
    };
    const pumpOnline = async (token: string, protocolVersion: 4 | 5) => {
      const pump = await mqttPump(s.mqttPort, token, protocolVersion);
      clients.push(pump.client);
      return pump;
    };
    const level = async (token: string, waterLevel: number) => {
      assert.equal((await s.api('POST', `/api/v1/${token}/telemetry`, { body: { waterLevel } })).status, 200);
      await s.app.services.engine.idle();
      await s.app.services.commandAction.settle();
    };
    const polderRule = async (gaugeId: string, pumpId: string, confirm: boolean, params?: unknown) => {
      const res = await s.api('POST', '/api/v1/rules', {
        token: admin,
        body: {
          name: 'Banjir polder Tugumulyo',
          target: { kind: 'device', value: gaugeId },
          key: 'waterLevel',
          levels: [
            { severity: 'waspada', condition: { op: 'gte', value: 3.5 } },
            { severity: 'awas', condition: { op: 'gte', value: 4.5 } },
          ],
          actions: [{ type: 'command', deviceId: pumpId, method: 'setPower', confirm, minSeverity: 'awas', ...(params !== undefined && { params }) }],
        },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string };
    };
    const history = async (pumpId: string) => (await s.api('GET', `/api/v1/devices/${pumpId}/rpc`, { token: admin })).body.items as any[];
    const rpcAudit = async (pumpId: string) => (await s.api('GET', `/api/v1/audit?entity=device&entityId=${pumpId}&action=rpc`, { token: admin })).body.items as any[];

    it('a rule is accepted with a command of the pump’s profile, and refused with one it does not have', async () => {
      const gauge = await device('PDA Tugumulyo 0', 'river_gauge');
      const pump = await device('Pompa 2 Polder Tugumulyo 0', 'pump');
      const refused = await s.api('POST', '/api/v1/rules', {
        token: admin,
        body: { name: 'x', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', condition: { op: 'gt', value: 4 }, severity: 'awas', actions: [{ type: 'command', deviceId: pump.id, method: 'selfDestruct' }] },
      });
      assert.equal(refused.status, 400);
      assert.match(refused.body.error.message, /has no command selfDestruct/);
    });

    it('of two buttons with one method (Nyalakan and Matikan: setPower), a rule names one by its params and sends that one', async () => {
      const gauge = await device('PDA Tugumulyo M', 'river_gauge');
      const pump = await device('Pompa 2 Polder Tugumulyo M', 'pump');
      const online = await pumpOnline(pump.accessToken, 5);
      const rule = (await polderRule(gauge.id, pump.id, false, { on: false })) as { id: string; actions?: unknown[] };
      assert.deepEqual((rule.actions as { params: unknown }[])[0]!.params, { on: false }, 'the rule keeps the button it named, not the first of the method');
      await level(gauge.accessToken, 4.6);
      await until(() => online.requests.length, (n) => n > 0, 'the pump to get the command');
      assert.deepEqual(online.requests.map((r) => r.params), [{ on: false }], 'the pump is stopped, not started');
      const alarmId = (await s.api('GET', `/api/v1/alarms?deviceId=${gauge.id}&status=active`, { token: admin })).body.items[0].id;
      const [command] = (await s.api('GET', `/api/v1/rule-commands?alarmId=${alarmId}`, { token: admin })).body.items as { label: unknown }[];
      assert.deepEqual(command!.label, { id: 'Matikan pompa', en: 'Stop pump' }, 'the alarm names the button the rule presses');

      const unknown = await s.api('POST', '/api/v1/rules', {
        token: admin,
        body: { name: 'y', target: { kind: 'device', value: gauge.id }, key: 'waterLevel', condition: { op: 'gt', value: 4 }, severity: 'awas', actions: [{ type: 'command', deviceId: pump.id, method: 'setPower', params: { on: 'kadang' } }] },
      });
      assert.equal(unknown.status, 400, 'params no button of the method has are refused');
      assert.match(unknown.body.error.message, /has no command setPower with these params/);
    });

    it('without confirmation: the pump (MQTT 3.1.1) gets setPower when Awas is reached, once; the history says the rule asked', async () => {
      const gauge = await device('PDA Tugumulyo 1', 'river_gauge');
      const pump = await device('Pompa 2 Polder Tugumulyo 1', 'pump');
      const online = await pumpOnline(pump.accessToken, 4);
      const rule = await polderRule(gauge.id, pump.id, false);
      await level(gauge.accessToken, 3.8);
      assert.equal(online.requests.length, 0, 'Waspada is below the action’s level');
      await level(gauge.accessToken, 4.6);
      await until(() => online.requests.length, (n) => n > 0, 'the pump to get the command');
      assert.deepEqual(online.requests, [{ topic: 'v1/devices/me/rpc/request/1', method: 'setPower', params: { on: true } }]);
      await level(gauge.accessToken, 4.8);

      const [rpc] = await until(() => history(pump.id), (items) => items[0]?.state === 'successful', 'the pump’s answer');
      assert.equal((await history(pump.id)).length, 1, 'sent once per alarm');
      assert.deepEqual(rpc.requestedBy, { kind: 'rule', ruleId: rule.id, name: 'Banjir polder Tugumulyo' });
      assert.equal(rpc.persistent, true, 'kept for an offline pump');
      assert.deepEqual(rpc.response, { running: true });
      const [entry] = await rpcAudit(pump.id);
      assert.equal(entry.userName, 'Banjir polder Tugumulyo');
      assert.equal(entry.userRole, 'rule');
      assert.equal(entry.after.rpcId, rpc.id);
    });

    it('with confirmation: nothing goes before the operator confirms; the offline pump (MQTT 5) gets it when it connects', async () => {
      const gauge = await device('PDA Tugumulyo 2', 'river_gauge');
      const pump = await device('Pompa 2 Polder Tugumulyo 2', 'pump');
      const rule = await polderRule(gauge.id, pump.id, true);
      await level(gauge.accessToken, 4.9);
      assert.equal((await history(pump.id)).length, 0, 'nothing sent before someone confirms');
      const [pending] = (await s.api('GET', '/api/v1/rule-commands?state=pending', { token: operator })).body.items as any[];
      assert.equal(pending.deviceId, pump.id);
      assert.deepEqual(pending.label, { id: 'Nyalakan pompa', en: 'Start pump' }, 'the proposal is worded by the profile');

      const confirmed = await s.api('POST', `/api/v1/rule-commands/${pending.id}/confirm`, { token: operator });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      assert.equal(confirmed.body.state, 'sent');
      const [queued] = await history(pump.id);
      assert.equal(queued.state, 'queued', 'the pump is offline: the command waits for it');
      assert.deepEqual(queued.requestedBy, { kind: 'rule', ruleId: rule.id, name: 'Banjir polder Tugumulyo', confirmedBy: { userId: queued.requestedBy.confirmedBy.userId, name: 'Sari PUPR', role: 'operator' } });

      const online = await pumpOnline(pump.accessToken, 5);
      await until(() => online.requests.length, (n) => n > 0, 'the queued command on connect');
      assert.deepEqual(online.requests, [{ topic: 'v1/devices/me/rpc/request/1', method: 'setPower', params: { on: true } }]);
      await until(() => history(pump.id), (items) => items[0]?.state === 'successful', 'the pump’s answer');
      const [entry] = await rpcAudit(pump.id);
      assert.equal(entry.userName, 'Sari PUPR (Banjir polder Tugumulyo)', 'the audit names who confirmed and the rule');
      assert.equal(entry.userRole, 'operator');
      assert.equal(entry.after.rule.id, rule.id);
    });

    it('a revoked pump is refused: the rule’s command is kept as failed with the reason, nothing is queued', async () => {
      const gauge = await device('PDA Tugumulyo 3', 'river_gauge');
      const pump = await device('Pompa 2 Polder Tugumulyo 3', 'pump');
      await polderRule(gauge.id, pump.id, false);
      assert.equal((await s.api('DELETE', `/api/v1/devices/${pump.id}/token`, { token: admin })).status, 204);
      await level(gauge.accessToken, 5);
      const alarm = (await s.api('GET', `/api/v1/alarms?deviceId=${gauge.id}&status=active`, { token: admin })).body.items[0];
      const [command] = (await s.api('GET', `/api/v1/rule-commands?alarmId=${alarm.id}`, { token: admin })).body.items as any[];
      assert.equal(command.state, 'failed');
      assert.match(command.error, /revoked/);
      assert.equal((await history(pump.id)).length, 0);
      const [entry] = await rpcAudit(pump.id);
      assert.equal(entry.after.rule.name, 'Banjir polder Tugumulyo', 'the refusal is in the audit log too');
    });
  });
}
