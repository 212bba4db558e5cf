/**
 * Rules that send a command (level Awas at a polder → start pump 2): sent at
 * once, or proposed on the alarm until an operator of the pump's OPD confirms
 * or dismisses it, with who did it; on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/core/clock.ts';
import type { DevicesService } from '../src/modules/devices/index.ts';
import type { CommandRequester, CommandSender, DeviceCommand } from '../src/modules/rules/index.ts';
import { dialects, openStream, startServer, type TestServer } from './helpers.ts';

const MIN = 60_000;
const PUMP_COMMANDS: DeviceCommand[] = [
  { method: 'setPump', label: { id: 'Nyalakan pompa', en: 'Start the pump' }, params: { on: true } },
  { method: 'setSpeed', label: { id: 'Kecepatan', en: 'Speed' }, input: { min: 0, max: 100, step: 5, unit: '%' } },
];

/**
 * A small sender of its own: it knows the pump type's commands, looks devices
 * up in the platform, keeps what it sent, and refuses a device on its list of
 * revoked ones as the RPC module refuses a revoked device.
 */
class RecordingSender implements CommandSender {
  readonly sent: { regionId: string; deviceId: string; method: string; params: unknown; requestedBy: CommandRequester }[] = [];
  readonly revoked = new Set<string>();
  devices: DevicesService | null = null;
  async commandOf(regionId: string, deviceId: string, method: string) {
    const [device] = await this.devices!.refs(regionId, [deviceId]);
    const command = device?.type === 'pump' ? PUMP_COMMANDS.find((c) => c.method === method) : undefined;
    return device && command ? { deviceName: device.id, opdId: device.opdId, command } : null;
  }
  async send(regionId: string, deviceId: string, command: { method: string; params: unknown }, requestedBy: CommandRequester) {
    if (this.revoked.has(deviceId)) throw new Error('the device’s token is revoked');
    this.sent.push({ regionId, deviceId, ...command, requestedBy });
  }
}

for (const dialect of await dialects()) {
  describe(`rules that send a command on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    let operator: string;
    let otherOperator: string;
    let viewer: string;
    let opdId: string;
    let other: string;
    const sender = new RecordingSender();
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 1, 0, 0));
    let t = clock.now();

    before(async () => {
      s = await startServer(dialect, {}, { clock, ruleTickMs: null, commandSender: sender });
      sender.devices = s.app.services.devices;
      admin = await s.login();
      opdId = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'pupr', name: 'Dinas PUPR' } })).body.id;
      other = (await s.api('POST', '/api/v1/opds', { token: admin, body: { code: 'bpbd', name: 'BPBD' } })).body.id;
      const user = async (email: string, role: string, opd: string | null) => {
        const res = await s.api('POST', '/api/v1/users', { token: admin, body: { email, name: email.split('@')[0], password: 'password-123456', role, ...(opd && { opdId: opd }) } });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return s.login(email, 'password-123456');
      };
      operator = await user('operator.pupr@musirawas.go.id', 'operator', opdId);
      otherOperator = await user('operator.bpbd@musirawas.go.id', 'operator', other);
      viewer = await user('bupati@musirawas.go.id', 'viewer', null);
    });
    after(async () => {
      await s.close();
    });

    const device = async (name: string, type: string) => {
      const res = await s.api('POST', '/api/v1/devices', { token: admin, body: { name, type, opdId } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; accessToken: string };
    };
    const send = async (token: string, waterLevel: number) => {
      t += MIN;
      clock.set(t);
      assert.equal((await s.api('POST', `/api/v1/${token}/telemetry`, { body: { ts: t, values: { waterLevel } } })).status, 200);
      await s.app.services.engine.idle();
      await s.app.services.commandAction.settle();
    };
    const polderRule = async (gaugeId: string, action: Record<string, unknown>) => {
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
          actions: [{ type: 'command', minSeverity: 'awas', ...action }],
        },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; actions: any[] };
    };
    const commandsOf = async (token: string, alarmId: string) => (await s.api('GET', `/api/v1/rule-commands?alarmId=${alarmId}`, { token })).body.items as any[];
    const alarmOf = async (deviceId: string) => (await s.api('GET', `/api/v1/alarms?deviceId=${deviceId}&status=active`, { token: admin })).body.items[0];

    it('without confirmation sends the command when the level is reached, once, and tells the rule as the sender', async () => {
      const gauge = await device('PDA Tugumulyo A', 'river_gauge');
      const pump = await device('Pompa 2 A', 'pump');
      const rule = await polderRule(gauge.id, { deviceId: pump.id, method: 'setPump', confirm: false });
      assert.deepEqual(rule.actions[0], { type: 'command', deviceId: pump.id, method: 'setPump', params: { on: true }, confirm: false, minSeverity: 'awas' }, "a button's params are the profile's");
      await send(gauge.accessToken, 3.8);
      assert.equal(sender.sent.length, 0, 'Waspada is below the action’s level');
      await send(gauge.accessToken, 4.6);
      await send(gauge.accessToken, 4.7);
      const alarm = await alarmOf(gauge.id);
      assert.equal(alarm.severity, 'awas');
      assert.deepEqual(alarm.condition, { op: 'gte', value: 4.5 }, 'the alarm keeps the condition its reading met, for screens to word');
      assert.equal(sender.sent.length, 1, 'sent once per alarm');
      assert.deepEqual(sender.sent[0], { regionId: sender.sent[0]!.regionId, deviceId: pump.id, method: 'setPump', params: { on: true }, requestedBy: { kind: 'rule', ruleId: rule.id, name: 'Banjir polder Tugumulyo' } });
      const [command] = await commandsOf(admin, alarm.id);
      assert.equal(command.state, 'sent');
      assert.equal(command.decidedBy, null, 'nobody had to confirm');
      assert.deepEqual(command.label, { id: 'Nyalakan pompa', en: 'Start the pump' });
    });

    it('with confirmation proposes it on the alarm; the OPD’s operator confirms, and who did is kept', async () => {
      const gauge = await device('PDA Tugumulyo B', 'river_gauge');
      const pump = await device('Pompa 2 B', 'pump');
      await polderRule(gauge.id, { deviceId: pump.id, method: 'setPump', confirm: true });
      const stream = await openStream(s.url, operator);
      stream.send({ type: 'subscribe', id: 'a', topic: 'alarms' });
      await stream.next((m) => m.type === 'subscribed');
      const before = sender.sent.length;
      await send(gauge.accessToken, 4.8);
      assert.equal(sender.sent.length, before, 'nothing sent before someone confirms');
      const alarm = await alarmOf(gauge.id);
      const proposed = await stream.next((m) => m.type === 'rule-command');
      assert.equal(proposed.command.state, 'pending');
      assert.equal(proposed.command.alarmId, alarm.id);
      const [pending] = (await s.api('GET', '/api/v1/rule-commands?state=pending', { token: operator })).body.items as any[];
      assert.equal(pending.id, proposed.command.id);

      assert.equal((await s.api('GET', '/api/v1/rule-commands?state=pending', { token: otherOperator })).body.items.length, 0, "another OPD's operator does not see it");
      assert.equal((await s.api('POST', `/api/v1/rule-commands/${pending.id}/confirm`, { token: otherOperator })).status, 404);
      const byViewer = await s.api('POST', `/api/v1/rule-commands/${pending.id}/confirm`, { token: viewer });
      assert.equal(byViewer.status, 403, 'a viewer cannot send commands');

      const confirmed = await s.api('POST', `/api/v1/rule-commands/${pending.id}/confirm`, { token: operator });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      assert.equal(confirmed.body.state, 'sent');
      assert.equal(confirmed.body.decidedBy.name, 'operator.pupr');
      assert.equal(sender.sent.length, before + 1);
      const requestedBy = sender.sent.at(-1)!.requestedBy;
      assert.equal(requestedBy.name, 'Banjir polder Tugumulyo', 'the command says which rule');
      assert.deepEqual(requestedBy.confirmedBy && { name: requestedBy.confirmedBy.name, role: requestedBy.confirmedBy.role }, { name: 'operator.pupr', role: 'operator' }, '… and who confirmed it');
      const again = await s.api('POST', `/api/v1/rule-commands/${pending.id}/confirm`, { token: admin });
      assert.equal(again.status, 409, 'a command is confirmed once');
      assert.equal((await stream.next((m) => m.type === 'rule-command' && m.command.state === 'sent')).command.decidedBy.name, 'operator.pupr');
      stream.close();
      const audit = (await s.api('GET', '/api/v1/audit?entity=rule-command', { token: admin })).body;
      assert.ok(JSON.stringify(audit).includes(pending.id), 'the confirmation is in the audit log');
    });

    it('a proposal dismissed is not sent; one nobody decided expires when the alarm clears', async () => {
      const gauge = await device('PDA Tugumulyo C', 'river_gauge');
      const pump = await device('Pompa 2 C', 'pump');
      await polderRule(gauge.id, { deviceId: pump.id, method: 'setSpeed', params: 80, confirm: true });
      const before = sender.sent.length;
      await send(gauge.accessToken, 4.9);
      const first = await alarmOf(gauge.id);
      const [proposal] = await commandsOf(admin, first.id);
      assert.equal(proposal.params, 80);
      const dismissed = await s.api('POST', `/api/v1/rule-commands/${proposal.id}/dismiss`, { token: admin });
      assert.equal(dismissed.body.state, 'dismissed');
      assert.equal((await s.api('POST', `/api/v1/rule-commands/${proposal.id}/confirm`, { token: admin })).status, 409);
      await send(gauge.accessToken, 1);
      await send(gauge.accessToken, 4.9);
      const second = await alarmOf(gauge.id);
      assert.notEqual(second.id, first.id);
      const [waiting] = await commandsOf(admin, second.id);
      assert.equal(waiting.state, 'pending');
      await send(gauge.accessToken, 1);
      assert.equal((await commandsOf(admin, second.id))[0].state, 'expired');
      assert.equal(sender.sent.length, before, 'nothing was sent');
    });

    it("a proposal for a device that moved to another OPD is no longer its old OPD's operator's to decide", async () => {
      const gauge = await device('PDA Tugumulyo D', 'river_gauge');
      const pump = await device('Pompa 2 D', 'pump');
      await polderRule(gauge.id, { deviceId: pump.id, method: 'setPump', confirm: true });
      const before = sender.sent.length;
      await send(gauge.accessToken, 4.9);
      const [proposal] = await commandsOf(admin, (await alarmOf(gauge.id)).id);
      assert.equal(proposal.state, 'pending');
      const moved = await s.api('PATCH', `/api/v1/devices/${pump.id}`, { token: admin, body: { opdId: other } });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      for (const action of ['confirm', 'dismiss']) {
        const res = await s.api('POST', `/api/v1/rule-commands/${proposal.id}/${action}`, { token: operator });
        assert.equal(res.status, 403, `${action}: ${JSON.stringify(res.body)}`);
      }
      assert.equal(sender.sent.length, before, 'nothing was sent');
      const byAdmin = await s.api('POST', `/api/v1/rule-commands/${proposal.id}/confirm`, { token: admin });
      assert.equal(byAdmin.body.state, 'sent', 'an admin still decides');
      await send(gauge.accessToken, 1);
    });

    it('a refused command is kept as failed with the reason', async () => {
      const gauge = await device('PDA Tugumulyo D', 'river_gauge');
      const pump = await device('Pompa 2 D', 'pump');
      await polderRule(gauge.id, { deviceId: pump.id, method: 'setPump', confirm: false });
      sender.revoked.add(pump.id);
      await send(gauge.accessToken, 5);
      const [command] = await commandsOf(admin, (await alarmOf(gauge.id)).id);
      assert.equal(command.state, 'failed');
      assert.match(command.error, /revoked/);
    });

    it('refuses a command the profile does not have, a level out of range, another OPD’s device for an operator', async () => {
      const gauge = await device('PDA Tugumulyo E', 'river_gauge');
      const pump = await device('Pompa 2 E', 'pump');
      const refused = async (token: string, action: Record<string, unknown>, status: number, pattern: RegExp) => {
        // By type: an operator's rule watches their own OPD's gauges, and only the command's device is another OPD's.
        const res = await s.api('POST', '/api/v1/rules', { token, body: { name: 'x', target: token === admin ? { kind: 'device', value: gauge.id } : { kind: 'device_type', value: 'river_gauge' }, key: 'waterLevel', condition: { op: 'gt', value: 4 }, severity: 'awas', actions: [{ type: 'command', ...action }] } });
        assert.equal(res.status, status, JSON.stringify(res.body));
        assert.match(res.body.error.message, pattern);
      };
      await refused(admin, { deviceId: pump.id, method: 'selfDestruct' }, 400, /has no command selfDestruct/);
      await refused(admin, { deviceId: gauge.id, method: 'setPump' }, 400, /has no command setPump/);
      await refused(admin, { deviceId: pump.id, method: 'setSpeed', params: 150 }, 400, /from 0 to 100 %/);
      await refused(admin, { deviceId: pump.id, method: 'setPump', confirm: 'ya' }, 400, /confirm must be true or false/);
      await refused(otherOperator, { deviceId: pump.id, method: 'setPump' }, 403, /own OPD's devices/);
    });
  });
}
