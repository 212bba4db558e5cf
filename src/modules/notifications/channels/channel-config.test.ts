import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../../core/errors.ts';
import { CHANNEL_KINDS } from './channel.ts';
import { CHANNEL_CONFIG_SCHEMAS, SECRET_MASK, createChannel, maskConfig, parseChannelConfig, restoreMaskedSecrets } from './channel-config.ts';
import { HttpGatewayChannel } from './sms.ts';
import { TELEGRAM_API_BASE, TelegramChannel } from './telegram.ts';
import { WHATSAPP_API_BASE, WHATSAPP_API_VERSION, WhatsAppCloudChannel } from './whatsapp.ts';

const EMAIL = { host: 'mail.musirawaskab.go.id', port: 587, user: 'cerdas', password: 'rahasia', fromAddress: 'peringatan@musirawaskab.go.id' };
const TELEGRAM = { botToken: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', botUsername: '@cerdas_musirawas_bot', webhookSecret: 'Sekret_Telegram-0123456789' };
const WHATSAPP = { accessToken: 'EAAG0123456789abcdefghij', phoneNumberId: '106540352242922', appSecret: '0123456789abcdef0123456789abcdef', verifyToken: 'verify-me-123', templates: { 'alarm.opened': 'peringatan_dini' } };
const SMS = { url: 'https://gateway.example.id/api/send', headers: { Authorization: '{{apiKey}}' }, body: '{"target":"{{to}}","message":"{{text}}"}', apiKey: 'key-123' };

function rejects(run: () => unknown, reason: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'VALIDATION_FAILED');
    assert.match(error.message, reason);
    return true;
  });
}

describe('channel configs', () => {
  it('has a schema and secret handling for every kind', () => {
    for (const kind of CHANNEL_KINDS) assert.ok(CHANNEL_CONFIG_SCHEMAS[kind], kind);
  });

  it('fills defaults', () => {
    assert.deepEqual(parseChannelConfig('email', EMAIL), { ...EMAIL, security: 'starttls', fromName: null, maxConnections: 3 });
    assert.deepEqual(parseChannelConfig('telegram', TELEGRAM), { ...TELEGRAM, botUsername: 'cerdas_musirawas_bot', apiBase: TELEGRAM_API_BASE });
    assert.deepEqual(parseChannelConfig('whatsapp', WHATSAPP), { provider: 'cloud', ...WHATSAPP, language: 'id', apiBase: WHATSAPP_API_BASE, version: WHATSAPP_API_VERSION });
    assert.deepEqual(parseChannelConfig('sms', SMS), { ...SMS, method: 'POST', contentType: 'json', messageIdPath: null, numberFormat: 'digits', apiSecret: null });
    assert.deepEqual(parseChannelConfig('webhook', {}), { secret: null, alarmUrl: null, allowPrivateNetwork: false });
  });

  it('creates the channel of each kind', async () => {
    const email = createChannel('email', EMAIL);
    assert.equal(email.kind, 'email');
    await email.close?.();
    assert.ok(createChannel('telegram', TELEGRAM) instanceof TelegramChannel);
    assert.ok(createChannel('whatsapp', WHATSAPP) instanceof WhatsAppCloudChannel);
    assert.ok(createChannel('sms', SMS) instanceof HttpGatewayChannel);
    assert.equal(createChannel('webhook', { secret: 'webhook-secret' }).kind, 'webhook');
  });

  it('says clearly what is wrong', () => {
    rejects(() => parseChannelConfig('email', { ...EMAIL, port: 70000 }), /^email config: port must be <= 65535/);
    rejects(() => parseChannelConfig('email', { ...EMAIL, port: 0 }), /port must be >= 1/);
    rejects(() => parseChannelConfig('email', { ...EMAIL, host: 'smtp://mail.example.org' }), /host is a server name/);
    rejects(() => parseChannelConfig('email', { ...EMAIL, fromAddress: 'peringatan' }), /fromAddress is not an email address/);
    rejects(() => parseChannelConfig('email', { ...EMAIL, security: 'ssl' }), /security/);
    rejects(() => parseChannelConfig('email', { ...EMAIL, user: null }), /a password needs a user/);
    rejects(() => parseChannelConfig('email', { ...EMAIL, colour: 'red' }), /additional properties: colour/);
    rejects(() => parseChannelConfig('email', 'smtp://x'), /must be an object/);
    rejects(() => parseChannelConfig('telegram', { ...TELEGRAM, apiBase: 'ftp://api.telegram.org' }), /apiBase must start with http:\/\/ or https:\/\//);
    rejects(() => parseChannelConfig('telegram', { ...TELEGRAM, botToken: 'nope' }), /botToken has the wrong form/);
    rejects(() => parseChannelConfig('telegram', { ...TELEGRAM, webhookSecret: 'short' }), /webhookSecret/);
    rejects(() => parseChannelConfig('whatsapp', { ...WHATSAPP, apiBase: 'not a url' }), /apiBase is not a valid URL/);
    rejects(() => parseChannelConfig('whatsapp', { ...WHATSAPP, provider: 'twilio' }), /provider must be "cloud" or "gateway"/);
    rejects(() => parseChannelConfig('whatsapp', { ...WHATSAPP, templates: { 'alarm.opened': 'Peringatan Dini' } }), /templates\.alarm\.opened has the wrong form/);
    rejects(() => parseChannelConfig('sms', { ...SMS, url: 'javascript:alert(1)' }), /url must start with http/);
    rejects(() => parseChannelConfig('sms', { ...SMS, url: 'https://user:pw@gateway.example.id/x' }), /user name or password/);
    rejects(() => parseChannelConfig('sms', { ...SMS, body: '{"target":"{{to}}","message":{{text}}}' }), /not JSON once filled in/);
    rejects(() => parseChannelConfig('sms', { ...SMS, body: '{"target":"{{to}}","message":"{{pesan}}"}' }), /unknown placeholders \{\{pesan\}\}/);
    rejects(() => parseChannelConfig('sms', { ...SMS, body: '{"message":"{{text}}"}' }), /needs \{\{to\}\} and \{\{text\}\}/);
    rejects(() => parseChannelConfig('sms', { ...SMS, method: 'GET' }), /a GET gateway needs \{\{to\}\} and \{\{text\}\} in its url/);
    rejects(() => parseChannelConfig('sms', { ...SMS, headers: { 'Bad Header': 'x' } }), /headers/);
    rejects(() => parseChannelConfig('webhook', { secret: 'short' }), /at least 8/);
  });

  it('masks secrets, null where unset, and leaves the rest', () => {
    assert.deepEqual(maskConfig('email', { ...EMAIL }), { ...EMAIL, password: SECRET_MASK });
    assert.deepEqual(maskConfig('email', { host: 'x', password: null }), { host: 'x', password: null });
    const telegram = maskConfig('telegram', { ...TELEGRAM });
    assert.equal(telegram.botToken, SECRET_MASK);
    assert.equal(telegram.webhookSecret, SECRET_MASK);
    assert.equal(telegram.botUsername, TELEGRAM.botUsername);
    const cloud = maskConfig('whatsapp', { provider: 'cloud', ...WHATSAPP });
    assert.deepEqual([cloud.accessToken, cloud.appSecret, cloud.verifyToken, cloud.phoneNumberId], [SECRET_MASK, SECRET_MASK, SECRET_MASK, WHATSAPP.phoneNumberId]);
    assert.equal('apiKey' in cloud, false);
    const gateway = maskConfig('whatsapp', { provider: 'gateway', ...SMS });
    assert.deepEqual([gateway.apiKey, gateway.apiSecret, 'accessToken' in gateway], [SECRET_MASK, null, false]);
    assert.deepEqual(maskConfig('webhook', { secret: 'webhook-secret', allowPrivateNetwork: false }), { secret: SECRET_MASK, allowPrivateNetwork: false });
    assert.ok(!JSON.stringify(maskConfig('sms', { ...SMS })).includes('key-123'));
  });

  it('keeps stored secrets that come back masked', () => {
    const stored = { ...EMAIL };
    const edited = { ...maskConfig('email', stored), port: 465, security: 'tls' };
    assert.deepEqual(restoreMaskedSecrets('email', edited, stored), { ...EMAIL, port: 465, security: 'tls' });
    assert.equal(restoreMaskedSecrets('email', { ...edited, password: 'baru' }, stored).password, 'baru');
  });
});
