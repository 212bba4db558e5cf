/**
 * Alerts that reach people, end to end on both dialects: a river gauge's
 * levelled rule opens one alarm; the officer on duty gets a WhatsApp message
 * in Bahasa Indonesia; nobody acknowledges, so the Kabid gets an email and
 * the Kalaksa a Telegram message; a rise tells the duty officer again, a fall
 * tells nobody; a WhatsApp reply acknowledges and stops the escalation.
 * Channels are real adapters talking to local fakes of the Telegram Bot API,
 * the WhatsApp Cloud API and a real SMTP server. The clock is moved by hand
 * and the escalation and sender rounds are driven by the test (drain()).
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/core/clock.ts';
import { FakeHttpServer, FakeSmsGateway, FakeTelegram, FakeWhatsApp, startFakeSmtp, type FakeSmtp } from './fakes/index.ts';
import { dialects, openStream, startServerOn, type Storage, type TestServer } from './helpers.ts';

const wib = (local: string) => Date.parse(`${local}:00+07:00`);
const PASSWORD = 'Piket-Rahasia-2026';
const APP_SECRET = 'whatsapp-app-secret-for-tests';
const TG_SECRET = 'telegram-webhook-secret-0123';
const MINUTE = 60_000;

/** A world: fakes, a server (or two on one storage), BPBD with its people, a gauge and its levelled rule. */
class World {
  clock = new ManualClock(wib('2026-12-03T01:50'));
  smtp!: FakeSmtp;
  wa!: FakeWhatsApp;
  tg!: FakeTelegram;
  servers: TestServer[] = [];
  admin = '';
  opd = '';
  user: Record<string, string> = {};
  token: Record<string, string> = {};
  deviceToken = '';
  deviceId = '';

  get s(): TestServer {
    return this.servers[0]!;
  }

  async start(storage: Storage, overrides: { notifyMaxPerHour?: number } = {}): Promise<void> {
    this.smtp = await startFakeSmtp();
    this.wa = await FakeWhatsApp.start();
    this.tg = await FakeTelegram.start();
    await this.boot(storage, overrides);
  }

  async boot(storage: Storage, overrides: { notifyMaxPerHour?: number } = {}): Promise<TestServer> {
    const server = await startServerOn(storage, { publicUrl: 'https://cerdas.musirawas.go.id', loginRateLimit: 1000, ...overrides }, { clock: this.clock, ruleTickMs: null, notificationPollMs: null, notificationSender: { timeoutMs: 1000, backoffMs: 1000, maxAttempts: 2 } }, true);
    this.servers.push(server);
    return server;
  }

  async close(storage: Storage): Promise<void> {
    for (const s of this.servers) await s.close();
    await storage.drop();
    await Promise.all([this.smtp.close(), this.wa.close(), this.tg.close()]);
  }

  async ok(method: string, path: string, as: string, body?: unknown, status = method === 'POST' ? 201 : method === 'DELETE' ? 204 : 200, server = this.s) {
    const res = await server.api(method, `/api/v1${path}`, { token: as, ...(body !== undefined && { body }) });
    assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Lets the escalation and the sender do everything due now, on every instance. */
  async settle(): Promise<void> {
    for (let round = 0; round < 3; round++) {
      for (const s of this.servers) {
        await s.app.services.engine.idle();
        await s.app.services.notifications.escalation.drain();
        await s.app.services.notifications.sender.drain();
      }
    }
  }

  async reading(waterLevel: number): Promise<void> {
    const res = await fetch(`${this.s.url}/api/v1/${this.deviceToken}/telemetry`, { method: 'POST', body: JSON.stringify({ ts: this.clock.now(), values: { waterLevel } }) });
    assert.equal(res.status, 200);
    await this.settle();
  }

  async setUp(): Promise<void> {
    this.admin = await this.s.login();
    await this.ok('PUT', '/notifications/channels/email', this.admin, { enabled: true, config: { host: '127.0.0.1', port: this.smtp.port, security: 'none', fromAddress: 'peringatan@musirawas.go.id', fromName: 'Cerdas Musi Rawas' } });
    await this.ok('PUT', '/notifications/channels/whatsapp', this.admin, {
      enabled: true,
      config: { provider: 'cloud', accessToken: this.wa.accessToken, phoneNumberId: this.wa.phoneNumberId, appSecret: APP_SECRET, verifyToken: 'verify-token-123', apiBase: this.wa.url, version: this.wa.version, language: 'id', templates: {} },
    });
    await this.ok('PUT', '/notifications/channels/telegram', this.admin, { enabled: true, config: { botToken: this.tg.token, botUsername: 'CerdasMusiRawasBot', webhookSecret: TG_SECRET, apiBase: this.tg.url } });
    this.opd = (await this.ok('POST', '/opds', this.admin, { code: 'BPBD', name: 'Badan Penanggulangan Bencana Daerah' })).id;
    const setda = (await this.ok('POST', '/opds', this.admin, { code: 'SETDA', name: 'Sekretariat Daerah' })).id;
    for (const [key, name, role, opdId, position] of [
      ['piket', 'Andi Piket', 'operator', this.opd, 'staf'],
      ['kabid', 'Kabid Kedaruratan', 'operator', this.opd, 'kabid'],
      ['kalaksa', 'Kalaksa BPBD', 'operator', this.opd, 'kepala'],
      ['sekda', 'Sekda Musi Rawas', 'viewer', setda, 'sekda'],
    ] as const) {
      this.user[key] = (await this.ok('POST', '/users', this.admin, { email: `${key}@musirawas.go.id`, name, password: PASSWORD, role, opdId, position })).id;
      this.token[key] = await this.s.login(`${key}@musirawas.go.id`, PASSWORD);
    }
    // Andi is on duty Thursday night (00.00–08.00 WIB); 3 December 2026 is a Thursday.
    await this.ok('POST', `/opds/${this.opd}/duty/shifts`, this.admin, { weekday: 4, start: '00:00', end: '08:00', userId: this.user.piket });

    const asset = await this.ok('POST', '/assets', this.admin, { type: 'river_gauge', name: 'Pos PDA Kelingi', opdId: this.opd, geometry: { type: 'Point', coordinates: [102.95, -3.05] }, districtCode: '16.05.03' });
    const device = await this.ok('POST', '/devices', this.admin, { name: 'PDA Sungai Kelingi', type: 'river_gauge', assetId: asset.id });
    this.deviceId = device.id;
    this.deviceToken = device.accessToken;
    await this.ok('POST', '/rules', this.admin, {
      name: 'Banjir Sungai Kelingi',
      opdId: this.opd,
      target: { kind: 'device', value: device.id },
      key: 'waterLevel',
      levels: [
        { severity: 'waspada', condition: { op: 'gte', value: 3.5 }, clearCondition: { op: 'lt', value: 3.3 } },
        { severity: 'siaga', condition: { op: 'gte', value: 4 }, clearCondition: { op: 'lt', value: 3.8 } },
        { severity: 'awas', condition: { op: 'gte', value: 4.5 }, clearCondition: { op: 'lt', value: 4.3 } },
      ],
    });
  }

  /** Signs everybody in again: sessions expire when the clock jumps a day. */
  async signInAgain(): Promise<void> {
    this.admin = await this.s.login();
    for (const key of Object.keys(this.user)) this.token[key] = await this.s.login(`${key}@musirawas.go.id`, PASSWORD);
  }

  /** Adds and verifies a contact with the code that reached it. */
  async contact(who: string, channel: 'whatsapp' | 'email', address: string): Promise<void> {
    const added = await this.ok('POST', '/me/contacts', this.token[who]!, { channel, address });
    assert.equal(added.verified, false);
    await this.settle();
    const code = channel === 'whatsapp' ? lastWhatsAppText(this.wa, address).match(/\b(\d{6})\b/)?.[1] : this.smtp.mails.at(-1)?.text?.match(/\b(\d{6})\b/)?.[1];
    assert.ok(code, `a code reached the ${channel} of ${who}`);
    const wrong = await this.s.api('POST', `/api/v1/me/contacts/${added.id}/verify`, { token: this.token[who]!, body: { code: code === '000000' ? '111111' : '000000' } });
    assert.equal(wrong.status, 400);
    assert.equal((await this.ok('POST', `/me/contacts/${added.id}/verify`, this.token[who]!, { code }, 200)).verified, true);
  }

  async log(alarmId: string): Promise<any[]> {
    return (await this.ok('GET', `/notifications?alarmId=${alarmId}`, this.admin)).items;
  }

  async activeAlarm(): Promise<any> {
    const alarms = (await this.ok('GET', '/alarms?status=active', this.admin)).items;
    assert.equal(alarms.length, 1, 'one alarm per hazard');
    return alarms[0];
  }

  signed(body: unknown): { raw: string; headers: Record<string, string> } {
    const raw = JSON.stringify(body);
    return { raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}` } };
  }
}

function whatsAppTexts(wa: FakeWhatsApp, to: string): string[] {
  const digits = to.replace(/\D/g, '').replace(/^0/, '62');
  return wa.messages().filter((m) => m.to === digits).map((m) => textOf(m));
}

function lastWhatsAppText(wa: FakeWhatsApp, to: string): string {
  return whatsAppTexts(wa, to).at(-1) ?? '';
}

/** The text of a WhatsApp message, plain or interactive (with its button). */
function textOf(m: Record<string, unknown>): string {
  const text = m.text as { body?: string } | undefined;
  const interactive = m.interactive as { body?: { text?: string } } | undefined;
  return text?.body ?? interactive?.body?.text ?? '';
}

function ackToken(text: string): string {
  const token = text.match(/\/ack\/([A-Za-z0-9_-]+)/)?.[1];
  assert.ok(token, `an acknowledgement link in: ${text}`);
  return token;
}

for (const dialect of await dialects()) {
  describe(`alerts that reach people on ${dialect.name}`, () => {
    const w = new World();
    let storage: Storage;
    let alarmId = '';
    before(async () => {
      storage = await dialect.storage();
      await w.start(storage);
      await w.setUp();
    });
    after(async () => w.close(storage));

    it('keeps channel credentials to itself: masked in the answer, kept when the form comes back without them', async () => {
      const channels = await w.ok('GET', '/notifications/channels', w.admin);
      const whatsapp = channels.find((c: { kind: string }) => c.kind === 'whatsapp');
      assert.equal(whatsapp.config.accessToken, '••••');
      assert.equal(whatsapp.config.appSecret, '••••');
      assert.equal(JSON.stringify(channels).includes(w.wa.accessToken), false);
      const again = await w.ok('PUT', '/notifications/channels/whatsapp', w.admin, { enabled: true, config: { ...whatsapp.config, accessToken: '••••', appSecret: null } });
      assert.equal(again.config.accessToken, '••••');
      assert.equal((await w.s.api('GET', '/api/v1/notifications/channels', { token: w.token.piket })).status, 403);
      const bad = await w.s.api('PUT', '/api/v1/notifications/channels/email', { token: w.admin, body: { enabled: true, config: { host: '127.0.0.1', port: 99999, fromAddress: 'x@y.id' } } });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /port/);
    });

    it('verifies each contact with a code before sending it anything; refuses a number that cannot be a mobile', async () => {
      const landline = await w.s.api('POST', '/api/v1/me/contacts', { token: w.token.piket!, body: { channel: 'whatsapp', address: '0733-451234' } });
      assert.equal(landline.status, 400);
      await w.contact('piket', 'whatsapp', '0812-7300-1111');
      await w.contact('piket', 'email', 'andi@musirawas.go.id');
      await w.contact('kabid', 'email', 'kabid@musirawas.go.id');
      // The Kalaksa links Telegram: the link's code comes back through the bot's webhook, checked by its secret.
      const tg = await w.ok('POST', '/me/contacts', w.token.kalaksa!, { channel: 'telegram' });
      const code = tg.telegramLink.match(/start=([A-Za-z0-9_-]+)/)[1];
      assert.match(tg.telegramLink, /^https:\/\/t\.me\/CerdasMusiRawasBot\?start=/);
      const update = { update_id: 1, message: { message_id: 5, date: 1_764_700_000, chat: { id: 777001, type: 'private' }, from: { id: 777001, is_bot: false, first_name: 'Kalaksa' }, text: `/start ${code}` } };
      const forged = await w.s.api('POST', `/api/v1/notifications/callbacks/telegram/${(await w.ok('GET', '/region', w.admin)).id}`, { body: update, headers: { 'x-telegram-bot-api-secret-token': 'wrong-secret-wrong-secret' } });
      assert.equal(forged.status, 401, JSON.stringify(forged.body));
      const regionId = (await w.ok('GET', '/region', w.admin)).id;
      const linked = await w.s.api('POST', `/api/v1/notifications/callbacks/telegram/${regionId}`, { body: update, headers: { 'x-telegram-bot-api-secret-token': TG_SECRET } });
      assert.equal(linked.status, 200);
      const contacts = await w.ok('GET', '/me/contacts', w.token.kalaksa!);
      assert.deepEqual(contacts.map((c: { channel: string; address: string; verified: boolean }) => [c.channel, c.address, c.verified]), [['telegram', '777001', true]]);
      assert.match(w.tg.calls('sendMessage').at(-1)!.text as string, /terhubung/);
      // The Sekda adds an email but never verifies it: nothing is ever sent there.
      await w.ok('POST', '/me/contacts', w.token.sekda!, { channel: 'email', address: 'sekda@musirawas.go.id' });
      await w.settle();
    });

    it('tells the officer on duty within the first round, in Bahasa Indonesia, with what, where, value, trend, time and links', async () => {
      // The region's integration (a 112 dispatch, say) hears of each alarm too, signed.
      const integration = await FakeHttpServer.start(() => ({ status: 200, body: { ok: true } }), (status) => ({ status, body: {} }));
      await w.ok('PUT', '/notifications/channels/webhook', w.admin, { enabled: true, config: { secret: 'integration-secret', alarmUrl: `${integration.url}/alarms`, allowPrivateNetwork: true } }, 200);
      const before = w.wa.messages().length;
      await w.reading(3.4);
      assert.equal((await w.ok('GET', '/alarms?status=active', w.admin)).items.length, 0);
      w.clock.advance(15 * MINUTE);
      await w.reading(3.7);
      const alarm = await w.activeAlarm();
      alarmId = alarm.id;
      assert.equal(alarm.severity, 'waspada');
      const sent = w.wa.messages().slice(before).map(textOf);
      assert.equal(sent.length, 1, 'one message, to the officer on duty');
      const text = sent[0]!;
      assert.match(text, /Tinggi muka air Waspada/);
      assert.match(text, /PDA Sungai Kelingi, Kec\. Muara Kelingi/);
      assert.match(text, /3,7 m, naik 1,2 m\/jam/);
      assert.match(text, /3 Des 2026 0[12]\.\d\d WIB/);
      assert.match(text, new RegExp(`https://cerdas\\.musirawas\\.go\\.id/#/alarms/${alarmId}`));
      ackToken(text);
      const log = await w.log(alarmId);
      assert.deepEqual(log.map((n: any) => [n.recipientName, n.channel, n.state, n.escalationLevel]).sort(), [['Andi Piket', 'whatsapp', 'sent', 0], ['Webhook', 'webhook', 'sent', 0]]);
      assert.equal(integration.requests.length, 1);
      const posted = integration.requests[0]!;
      assert.equal(posted.path, '/alarms');
      assert.equal(posted.headers['x-cerdas-signature'], `sha256=${createHmac('sha256', 'integration-secret').update(posted.body).digest('hex')}`);
      assert.equal((posted.json as any).data.event, 'alarm.raised');
      assert.equal((posted.json as any).data.alarmId, alarmId);
      await integration.close();
      await w.ok('PUT', '/notifications/channels/webhook', w.admin, { enabled: false, config: { alarmUrl: null } }, 200);
    });

    it('escalates to the Kabid after 15 minutes and to the Kalaksa after 30, and names who cannot be reached', async () => {
      // The Kabid follows the alarm's deliveries live: states only, never an address or a text.
      const stream = await openStream(w.s.url, w.token.kabid!);
      stream.send({ type: 'subscribe', id: 'n', topic: 'notifications', filter: { alarmId } });
      await stream.next((m) => m.type === 'subscribed');
      const initial = (await w.log(alarmId)).length;
      w.clock.advance(14 * MINUTE);
      await w.settle();
      assert.equal((await w.log(alarmId)).length, initial, 'nothing before the delay');
      w.clock.advance(1 * MINUTE);
      await w.settle();
      const live = await stream.next((m) => m.type === 'notification' && m.notification.channel === 'email' && m.notification.state === 'sent');
      stream.close();
      assert.equal(live.notification.alarmId, alarmId);
      assert.equal(JSON.stringify(live).includes('@musirawas.go.id'), false, 'no address on the stream');
      const mail = w.smtp.mails.at(-1)!;
      assert.deepEqual(mail.envelope.to, ['kabid@musirawas.go.id']);
      assert.match(mail.subject, /ESKALASI Waspada.*belum ditangani 15 menit/);
      assert.match(mail.html ?? '', /\/ack\//);
      w.clock.advance(15 * MINUTE);
      await w.settle();
      const telegram = w.tg.calls('sendMessage').at(-1)!;
      assert.equal(String(telegram.chat_id), '777001');
      assert.match(telegram.text as string, /Eskalasi: Tinggi muka air Waspada belum ditangani 30 menit/);
      assert.ok(JSON.stringify(telegram.reply_markup).includes('ack:'), 'a button acknowledges');
      w.clock.advance(15 * MINUTE);
      await w.settle();
      const log = await w.log(alarmId);
      const sekda = log.find((n: any) => n.recipientName === 'Sekda Musi Rawas');
      assert.equal(sekda.state, 'failed');
      assert.match(sekda.error, /no verified contact/);
      assert.equal(w.smtp.mails.some((m) => m.envelope.to.includes('sekda@musirawas.go.id') && !/kode/i.test(m.subject)), false);
    });

    it('tells the officer on duty again when the level rises, and nobody when it falls', async () => {
      const before = whatsAppTexts(w.wa, '0812-7300-1111').length;
      await w.reading(4.1);
      const alarm = await w.activeAlarm();
      assert.equal(alarm.id, alarmId, 'the same alarm');
      assert.equal(alarm.severity, 'siaga');
      const texts = whatsAppTexts(w.wa, '0812-7300-1111');
      assert.equal(texts.length, before + 1);
      assert.match(texts.at(-1)!, /Tinggi muka air Siaga/);
      const mails = w.smtp.mails.length;
      const all = w.wa.messages().length + w.tg.calls('sendMessage').length;
      w.clock.advance(MINUTE);
      await w.reading(3.6);
      assert.equal((await w.activeAlarm()).severity, 'waspada');
      assert.equal(w.wa.messages().length + w.tg.calls('sendMessage').length, all, 'a fall wakes nobody');
      assert.equal(w.smtp.mails.length, mails);
    });

    it('records delivery receipts signed by WhatsApp and refuses unsigned ones', async () => {
      const message = (await w.log(alarmId)).find((n: any) => n.channel === 'whatsapp' && n.state === 'sent');
      const wamid = (await w.s.app.services.notifications.repo.notification(message.id))!.provider_message_id;
      const regionId = (await w.ok('GET', '/region', w.admin)).id;
      const receipt = { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', statuses: [{ id: wamid, status: 'read', timestamp: String(Math.floor(w.clock.now() / 1000)), recipient_id: '6281273001111' }] } }] }] };
      const { raw, headers } = w.signed(receipt);
      const forged = await w.s.api('POST', `/api/v1/notifications/callbacks/whatsapp/${regionId}`, { raw, headers: { ...headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` } });
      assert.equal(forged.status, 401);
      assert.equal((await w.s.api('POST', `/api/v1/notifications/callbacks/whatsapp/${regionId}`, { raw, headers })).status, 200);
      const after = (await w.log(alarmId)).find((n: any) => n.id === message.id);
      assert.equal(after.state, 'read');
      assert.ok(after.readAt !== null && after.deliveredAt !== null);
    });

    it('acknowledges from a WhatsApp reply, stops the escalation, and a used link works no more', async () => {
      const latest = lastWhatsAppText(w.wa, '0812-7300-1111');
      const regionId = (await w.ok('GET', '/region', w.admin)).id;
      const reply = { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', messages: [{ from: '6281273001111', id: 'wamid.IN1', timestamp: String(Math.floor(w.clock.now() / 1000)), type: 'text', text: { body: 'OK' } }] } }] }] };
      const { raw, headers } = w.signed(reply);
      assert.equal((await w.s.api('POST', `/api/v1/notifications/callbacks/whatsapp/${regionId}`, { raw, headers })).status, 200);
      const alarm = (await w.ok('GET', `/alarms/${alarmId}`, w.admin));
      assert.equal(alarm.acknowledged, true);
      assert.equal(alarm.acknowledgedBy, w.user.piket);
      const count = (await w.log(alarmId)).length;
      w.clock.advance(60 * MINUTE);
      await w.settle();
      assert.equal((await w.log(alarmId)).length, count, 'an acknowledgement stops the escalation');
      assert.equal((await w.ok('GET', `/notifications/escalations/alarm/${alarmId}`, w.admin)).state, 'acknowledged');
      // The link of that last message was used by the reply: it works once.
      const used = await w.s.api('POST', `/api/v1/notifications/ack/${ackToken(latest)}`, {});
      assert.equal(used.status, 409);
      // An older message's link answers that someone acknowledged already, and changes nothing.
      const first = whatsAppTexts(w.wa, '0812-7300-1111').find((t) => /Waspada/.test(t) && /\/ack\//.test(t))!;
      const page = await fetch(`${w.s.url}/ack/${ackToken(first)}`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /sudah ditangani/);
      const late = await w.ok('POST', `/notifications/ack/${ackToken(first)}`, '', undefined, 200);
      assert.equal(late.result, 'already');
      assert.equal((await w.s.api('POST', '/api/v1/notifications/ack/not-a-token-at-all-000000', {})).status, 404);
    });

    it('retries a provider that answers 500, then falls back to the next channel', async () => {
      await w.reading(3.2);
      w.clock.advance(MINUTE);
      const mailsBefore = w.smtp.mails.length;
      w.wa.failAlways(500);
      try {
        await w.reading(3.6);
        const alarm = await w.activeAlarm();
        assert.notEqual(alarm.id, alarmId, 'a new alarm after the clear');
        let log = await w.log(alarm.id);
        assert.equal(log[0].state, 'queued', 'retried later');
        assert.match(log[0].error, /500|wrong/i);
        w.clock.advance(2_000);
        await w.settle();
        log = await w.log(alarm.id);
        const failed = log.find((n: any) => n.channel === 'whatsapp');
        const fallback = log.find((n: any) => n.channel === 'email');
        assert.equal(failed.state, 'failed');
        assert.equal(failed.attempts, 2);
        assert.equal(fallback.fallbackOf, failed.id);
        assert.equal(fallback.state, 'sent');
        assert.deepEqual(w.smtp.mails.at(-1)!.envelope.to, ['andi@musirawas.go.id']);
        assert.equal(w.smtp.mails.length, mailsBefore + 1);
      } finally {
        w.wa.reset();
      }
    });

    it('refuses a template with a placeholder its event does not have, and uses a saved one', async () => {
      const bad = await w.s.api('PUT', '/api/v1/notifications/templates/alarm.raised/whatsapp/id', { token: w.admin, body: { subject: 'x', body: '{{what}} di {{kecamatan}}' } });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /\{\{kecamatan\}\} is not a placeholder of alarm.raised/);
      const unclosed = await w.s.api('PUT', '/api/v1/notifications/templates/alarm.raised/whatsapp/id', { token: w.admin, body: { subject: 'x', body: '{{what} rusak' } });
      assert.equal(unclosed.status, 400);
      const saved = await w.ok('PUT', '/notifications/templates/alarm.raised/whatsapp/id', w.admin, { subject: '{{what}}', body: 'PERHATIAN {{what}} {{level}} di {{where}}: {{value}}. Tangani: {{ackLink}}' });
      assert.equal(saved.custom, true);
      await w.reading(4.2);
      assert.match(lastWhatsAppText(w.wa, '0812-7300-1111'), /^PERHATIAN Tinggi muka air Siaga di PDA Sungai Kelingi, Kec\. Muara Kelingi: 4,2 m\. Tangani: https:\/\/cerdas\.musirawas\.go\.id\/ack\//);
      await w.ok('DELETE', '/notifications/templates/alarm.raised/whatsapp/id', w.admin);
      assert.equal((await w.s.api('DELETE', '/api/v1/notifications/templates/alarm.raised/whatsapp/id', { token: w.admin })).status, 404);
    });

    it('acknowledges from a Telegram button and answers it', async () => {
      const alarm = await w.activeAlarm();
      // Let the escalation reach the Kalaksa on Telegram.
      w.clock.advance(31 * MINUTE);
      await w.settle();
      const message = w.tg.calls('sendMessage').filter((m) => JSON.stringify(m.reply_markup ?? '').includes('ack:')).at(-1)!;
      const data = (message.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]![0]!.callback_data;
      const regionId = (await w.ok('GET', '/region', w.admin)).id;
      const update = { update_id: 9, callback_query: { id: 'cb-1', from: { id: 777001, is_bot: false, first_name: 'Kalaksa' }, message: { message_id: 10, chat: { id: 777001, type: 'private' }, date: 1 }, data } };
      await w.s.api('POST', `/api/v1/notifications/callbacks/telegram/${regionId}`, { body: update, headers: { 'x-telegram-bot-api-secret-token': TG_SECRET } });
      const acked = await w.ok('GET', `/alarms/${alarm.id}`, w.admin);
      assert.equal(acked.acknowledgedBy, w.user.kalaksa);
      assert.match(w.tg.calls('answerCallbackQuery').at(-1)!.text as string, /Ditangani/);
      // Another message's link after the alarm cleared: nothing left to acknowledge, and the page says so.
      await w.ok('POST', `/alarms/${alarm.id}/clear`, w.admin, {}, 200);
      const unused = w.smtp.mails.filter((m) => /ESKALASI/.test(m.subject)).at(-1)!;
      const token = ackToken(unused.text ?? '');
      const page = await fetch(`${w.s.url}/ack/${token}`);
      assert.match(await page.text(), /sudah selesai/);
      const late = await w.ok('POST', `/notifications/ack/${token}`, '', undefined, 200);
      assert.equal(late.result, 'cleared');
    });
  });

  describe(`the hourly limit, quiet hours and late reports on ${dialect.name}`, () => {
    const w = new World();
    let storage: Storage;
    before(async () => {
      storage = await dialect.storage();
      await w.start(storage, { notifyMaxPerHour: 2 });
      await w.setUp();
      await w.contact('piket', 'whatsapp', '0812-7300-1111');
    });
    after(async () => w.close(storage));

    it('sums up a flapping alarm once the hour is over instead of repeating it', async () => {
      await w.reading(3.6);
      w.clock.advance(MINUTE);
      await w.reading(4.1);
      w.clock.advance(MINUTE);
      await w.reading(3.7);
      w.clock.advance(MINUTE);
      await w.reading(4.2);
      const alarm = await w.activeAlarm();
      assert.equal(whatsAppTexts(w.wa, '0812-7300-1111').filter((t) => /Tinggi muka air/.test(t)).length, 2, 'two messages, the limit');
      const log = await w.log(alarm.id);
      const suppressed = log.filter((n: any) => n.state === 'suppressed');
      const summary = log.find((n: any) => n.event === 'alarm.summary');
      assert.equal(suppressed.length, 1);
      assert.equal(summary.state, 'queued');
      w.clock.advance(60 * MINUTE);
      await w.settle();
      assert.match(lastWhatsAppText(w.wa, '0812-7300-1111'), /1 perubahan lagi dalam satu jam terakhir\. Sekarang Siaga, 4,2 m/);
      await w.ok('POST', `/alarms/${alarm.id}/clear`, w.admin, {}, 200);
    });

    it('holds a message in quiet hours until they end, but never an Awas', async () => {
      await w.ok('PUT', '/me/notification-settings', w.token.piket!, { language: 'id', quietStart: '22:00', quietEnd: '06:00' }, 200);
      const bad = await w.s.api('PUT', '/api/v1/me/notification-settings', { token: w.token.piket!, body: { language: 'id', quietStart: '22:00', quietEnd: null } });
      assert.equal(bad.status, 400);
      w.clock.set(wib('2026-12-04T02:00'));
      await w.signInAgain();
      await w.ok('POST', `/opds/${w.opd}/duty/shifts`, w.admin, { weekday: 5, start: '00:00', end: '08:00', userId: w.user.piket });
      const before = whatsAppTexts(w.wa, '0812-7300-1111').length;
      await w.reading(3.2);
      w.clock.advance(MINUTE);
      await w.reading(3.6);
      const alarm = await w.activeAlarm();
      const held = (await w.log(alarm.id)).find((n: any) => n.recipientName === 'Andi Piket');
      assert.equal(held.state, 'queued');
      assert.equal(held.nextAttemptAt, wib('2026-12-04T06:00'), 'held until 06.00 WIB');
      assert.equal(whatsAppTexts(w.wa, '0812-7300-1111').length, before, 'nothing at 02.00 for a Waspada');
      w.clock.advance(MINUTE);
      await w.reading(4.7);
      assert.match(lastWhatsAppText(w.wa, '0812-7300-1111'), /Tinggi muka air Awas/, 'an Awas comes at once');
      await w.ok('PUT', '/me/notification-settings', w.token.piket!, { language: 'id', quietStart: null, quietEnd: null }, 200);
      await w.ok('POST', `/alarms/${alarm.id}/clear`, w.admin, {}, 200);
      w.clock.set(wib('2026-12-04T02:30'));
    });

    it('paces a broadcast to the provider and lets an alarm pass it', async () => {
      const gateway = await FakeSmsGateway.start();
      try {
        const channel = await w.ok('PUT', '/notifications/channels/sms', w.admin, { enabled: true, messagesPerSecond: 20, config: { url: `${gateway.url}/api/send`, body: '{"phone":"{{to}}","message":"{{text}}"}', messageIdPath: 'data.id' } }, 200);
        assert.equal(channel.messagesPerSecond, 20);
        const regionId = (await w.ok('GET', '/region', w.admin)).id;
        const { outbox, repo } = w.s.app.services.notifications;
        const addresses = Array.from({ length: 40 }, (_, i) => ({ channel: 'sms' as const, address: `+62812555${String(i).padStart(4, '0')}`, language: 'id' as const }));
        await repo.db.transaction().execute((tx) => outbox.toAddresses(tx, { regionId, event: 'warning.public', timeZone: 'Asia/Jakarta', placeholders: () => ({ title: 'Banjir', text: 'Bersiap mengungsi', where: 'Kec. Muara Kelingi', time: '02.00 WIB', stopLink: 'x' }) }, addresses, w.clock.now()));
        const started = performance.timeOrigin + performance.now();
        const sending = w.s.app.services.notifications.sender.drain();
        // Seconds, not minutes: the broadcast's claims are leased for a while of the same clock.
        // The readings go in while the broadcast is under way: the escalation runs, the sender is not waited for.
        for (const waterLevel of [3.2, 3.6]) {
          w.clock.advance(1000);
          const res = await fetch(`${w.s.url}/api/v1/${w.deviceToken}/telemetry`, { method: 'POST', body: JSON.stringify({ ts: w.clock.now(), values: { waterLevel } }) });
          assert.equal(res.status, 200);
          await w.s.app.services.engine.idle();
          await w.s.app.services.notifications.escalation.drain();
        }
        await sending;
        const alarmAt = w.wa.requests.at(-1)!.receivedAt;
        const sms = gateway.requests.map((r) => r.receivedAt);
        assert.equal(sms.length, 40, 'each once');
        assert.ok(alarmAt < Math.max(...sms), `the alarm did not wait for the broadcast: alarm at +${(alarmAt - started).toFixed(0)} ms, SMS ${sms.map((t) => (t - started).toFixed(0)).join(' ')}; ${textOf(w.wa.messages().at(-1)!)}`);
        const seconds = (Math.max(...sms) - started) / 1000;
        assert.ok(seconds >= 1.4, `40 SMS at 20/s take about 2 s, not ${seconds.toFixed(2)} s`);
        await w.ok('PUT', '/notifications/channels/sms', w.admin, { enabled: false, config: { url: `${gateway.url}/api/send`, body: '{"phone":"{{to}}","message":"{{text}}"}' } }, 200);
      } finally {
        await gateway.close();
      }
    });

    it('escalates a citizen report past its due time to the OPD, and stops when someone takes it', async () => {
      const incident = await w.ok('POST', '/incidents', w.admin, { categoryCode: 'forest_fires', title: 'Asap dari lahan gambut', description: 'Api terlihat di lahan gambut dekat desa', districtCode: '16.05.03' });
      assert.equal(incident.opdId, w.opd);
      await w.s.app.services.incidents.tick();
      await w.settle();
      assert.equal((await w.ok('GET', `/notifications?incidentId=${incident.id}`, w.admin)).items.length, 0, 'nothing before the due time');
      w.clock.set((incident.sla.dueAt as number) + 5 * MINUTE);
      await w.signInAgain();
      await w.s.app.services.incidents.tick();
      await w.settle();
      const text = lastWhatsAppText(w.wa, '0812-7300-1111');
      assert.match(text, new RegExp(`Laporan ${incident.ticket} lewat tenggat`));
      assert.match(text, /Kebakaran hutan dan lahan/);
      const taken = await w.ok('POST', `/notifications/ack/${ackToken(text)}`, '', undefined, 200);
      assert.equal(taken.result, 'acknowledged');
      assert.equal(taken.incident.ticket, incident.ticket);
      const detail = await w.ok('GET', `/incidents/${incident.id}`, w.admin);
      assert.ok(detail.timeline.some((e: any) => /lewat tenggat \(via link\)/.test(e.text ?? '')), 'the timeline says who took it');
      const count = (await w.ok('GET', `/notifications?incidentId=${incident.id}`, w.admin)).items.length;
      w.clock.advance(60 * MINUTE);
      await w.settle();
      assert.equal((await w.ok('GET', `/notifications?incidentId=${incident.id}`, w.admin)).items.length, count, 'taken: no more levels');
    });
  });

  describe(`notifications across a restart and two instances on ${dialect.name}`, () => {
    it('loses no level and sends none twice when the platform restarts mid-escalation', async () => {
      const storage = await dialect.storage();
      const w = new World();
      try {
        await w.start(storage);
        await w.setUp();
        await w.contact('piket', 'whatsapp', '0812-7300-1111');
        await w.contact('kabid', 'email', 'kabid@musirawas.go.id');
        await w.reading(3.6);
        const alarm = await w.activeAlarm();
        assert.equal((await w.log(alarm.id)).length, 1);
        // Stop, and start again on the same database 20 minutes later.
        await w.servers.pop()!.close();
        w.clock.advance(20 * MINUTE);
        await w.boot(storage);
        w.admin = await w.s.login();
        await w.settle();
        const log = await w.log(alarm.id);
        assert.deepEqual(log.map((n: any) => [n.recipientName, n.escalationLevel, n.state]).reverse(), [['Andi Piket', 0, 'sent'], ['Kabid Kedaruratan', 1, 'sent']]);
        assert.equal(whatsAppTexts(w.wa, '0812-7300-1111').filter((t) => /Waspada/.test(t)).length, 1);
        assert.equal(w.smtp.mails.filter((m) => /ESKALASI/.test(m.subject)).length, 1);
      } finally {
        await w.close(storage);
      }
    });

    if (dialect.name === 'postgres') {
      it('sends each message once when two instances share the outbox', async () => {
        const storage = await dialect.storage();
        const w = new World();
        try {
          await w.start(storage);
          await w.setUp();
          await w.contact('piket', 'whatsapp', '0812-7300-1111');
          await w.boot(storage);
          await fetch(`${w.s.url}/api/v1/${w.deviceToken}/telemetry`, { method: 'POST', body: JSON.stringify({ ts: w.clock.now(), values: { waterLevel: 3.9 } }) });
          await w.s.app.services.engine.idle();
          // Both instances race for the same escalation step and the same message.
          await Promise.all(w.servers.map(async (s) => {
            await s.app.services.notifications.escalation.drain();
            await s.app.services.notifications.sender.drain();
          }));
          await w.settle();
          const texts = whatsAppTexts(w.wa, '0812-7300-1111').filter((t) => /Waspada/.test(t));
          assert.equal(texts.length, 1, 'sent once');
        } finally {
          await w.close(storage);
        }
      });
    }
  });
}
