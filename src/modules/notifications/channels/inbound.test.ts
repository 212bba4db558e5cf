import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { parseTelegramUpdate, parseWhatsAppWebhook, verifyTelegramSecret, verifyWhatsAppSignature, whatsAppVerifyChallenge } from './inbound.ts';

const NOW = () => 1_767_225_600_000;
const APP_SECRET = 'meta-app-secret-0123456789abcdef';

/** Shaped as the Cloud API sends them (entry → changes → value). */
function whatsAppCallback(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '6281100000000', phone_number_id: '106540352242922' }, ...value },
          },
        ],
      },
    ],
  };
}

describe('WhatsApp callbacks', () => {
  const body = Buffer.from(JSON.stringify(whatsAppCallback({ statuses: [] })));
  const good = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;

  it('verifies X-Hub-Signature-256: good, bad, missing, other length, other secret, other body', () => {
    assert.equal(verifyWhatsAppSignature(body, good, APP_SECRET), true);
    assert.equal(verifyWhatsAppSignature(body, good.toUpperCase().replace('SHA256=', 'sha256='), APP_SECRET), true);
    assert.equal(verifyWhatsAppSignature(body, good.replace(/.$/, (c) => (c === '0' ? '1' : '0')), APP_SECRET), false);
    assert.equal(verifyWhatsAppSignature(body, undefined, APP_SECRET), false);
    assert.equal(verifyWhatsAppSignature(body, '', APP_SECRET), false);
    assert.equal(verifyWhatsAppSignature(body, good.slice(0, -2), APP_SECRET), false);
    assert.equal(verifyWhatsAppSignature(body, `${good}00`, APP_SECRET), false);
    assert.equal(verifyWhatsAppSignature(body, good.replace('sha256=', 'sha1='), APP_SECRET), false);
    assert.equal(verifyWhatsAppSignature(body, good, 'another-secret'), false);
    assert.equal(verifyWhatsAppSignature(body, good, ''), false);
    assert.equal(verifyWhatsAppSignature(Buffer.concat([body, Buffer.from(' ')]), good, APP_SECRET), false);
  });

  it('answers the GET handshake only with the right verify token', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me-123', 'hub.challenge': '1158201444' };
    assert.equal(whatsAppVerifyChallenge(query, 'verify-me-123'), '1158201444');
    assert.equal(whatsAppVerifyChallenge({ ...query, 'hub.verify_token': 'wrong' }, 'verify-me-123'), null);
    assert.equal(whatsAppVerifyChallenge({ ...query, 'hub.mode': 'unsubscribe' }, 'verify-me-123'), null);
    assert.equal(whatsAppVerifyChallenge({ ...query, 'hub.challenge': '<script>' }, 'verify-me-123'), null);
    assert.equal(whatsAppVerifyChallenge({ ...query, 'hub.verify_token': ['verify-me-123'] }, 'verify-me-123'), null);
    assert.equal(whatsAppVerifyChallenge({}, 'verify-me-123'), null);
    assert.equal(whatsAppVerifyChallenge(query, ''), null);
  });

  it('turns statuses into status events, with the error of a failure', () => {
    const events = parseWhatsAppWebhook(
      whatsAppCallback({
        statuses: [
          { id: 'wamid.A', status: 'sent', timestamp: '1767225000', recipient_id: '6281234567890', conversation: { id: 'c1', origin: { type: 'utility' } }, pricing: { billable: true, pricing_model: 'PMP', category: 'utility' } },
          { id: 'wamid.A', status: 'delivered', timestamp: '1767225005', recipient_id: '6281234567890' },
          { id: 'wamid.A', status: 'read', timestamp: '1767225060', recipient_id: '6281234567890' },
          {
            id: 'wamid.B',
            status: 'failed',
            timestamp: '1767225100',
            recipient_id: '6281299999999',
            errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'Message Undeliverable.' } }],
          },
          { id: 'wamid.C', status: 'deleted', timestamp: '1767225100' },
        ],
      }),
      NOW,
    );
    assert.deepEqual(events, [
      { kind: 'status', providerMessageId: 'wamid.A', state: 'sent', at: 1767225000000, error: null },
      { kind: 'status', providerMessageId: 'wamid.A', state: 'delivered', at: 1767225005000, error: null },
      { kind: 'status', providerMessageId: 'wamid.A', state: 'read', at: 1767225060000, error: null },
      { kind: 'status', providerMessageId: 'wamid.B', state: 'failed', at: 1767225100000, error: '131026: Message undeliverable: Message Undeliverable.' },
    ]);
  });

  it('turns messages into replies: text, a template quick-reply button, an interactive button reply', () => {
    const events = parseWhatsAppWebhook(
      whatsAppCallback({
        contacts: [{ profile: { name: 'Budi' }, wa_id: '6281234567890' }],
        messages: [
          { from: '6281234567890', id: 'wamid.M1', timestamp: '1767225200', type: 'text', text: { body: 'Siap, meluncur' } },
          { from: '6281234567890', id: 'wamid.M2', timestamp: '1767225210', type: 'button', context: { from: '6281100000000', id: 'wamid.A' }, button: { text: 'Terima', payload: 'ack:tok_wa' } },
          { from: '6281234567890', id: 'wamid.M3', timestamp: '1767225220', type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'ack:tok_2', title: 'Terima' } } },
          { from: '6281234567890', id: 'wamid.M4', timestamp: '1767225230', type: 'image', image: { id: 'media1', mime_type: 'image/jpeg' } },
        ],
      }),
      NOW,
    );
    assert.deepEqual(events, [
      { kind: 'reply', channel: 'whatsapp', from: '+6281234567890', text: 'Siap, meluncur', payload: null, at: 1767225200000 },
      { kind: 'reply', channel: 'whatsapp', from: '+6281234567890', text: 'Terima', payload: 'ack:tok_wa', at: 1767225210000 },
      { kind: 'reply', channel: 'whatsapp', from: '+6281234567890', text: 'Terima', payload: 'ack:tok_2', at: 1767225220000 },
    ]);
  });

  it('yields [] for garbage and never throws', () => {
    const garbage: unknown[] = [
      null, undefined, 42, 'text', [], {}, { object: 'page' }, { object: 'whatsapp_business_account' },
      { object: 'whatsapp_business_account', entry: 'x' }, { object: 'whatsapp_business_account', entry: [null, 1, { changes: [null, { field: 'messages', value: null }] }] },
      whatsAppCallback({ statuses: [{ id: 5, status: 'read' }, { status: 'read' }, null], messages: [{ from: 'abc', type: 'text', text: { body: 'x' } }, { from: '628123', type: 'text', text: 'x' }] }),
      whatsAppCallback({ messages: [{ from: '6281234567890', type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'x' } } }] }),
    ];
    for (const body of garbage) assert.deepEqual(parseWhatsAppWebhook(body, NOW), [], JSON.stringify(body));
    const proto = JSON.parse('{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"__proto__":{"statuses":[1]}}}]}]}');
    assert.deepEqual(parseWhatsAppWebhook(proto, NOW), []);
  });

  it('bounds what it reads from one body', () => {
    const statuses = Array.from({ length: 5000 }, (_, i) => ({ id: `wamid.${i}`, status: 'delivered', timestamp: '1767225005' }));
    const events = parseWhatsAppWebhook(whatsAppCallback({ statuses, messages: [{ from: '6281234567890', type: 'text', text: { body: 'x'.repeat(100_000) } }] }), NOW);
    assert.equal(events.length, 500);
    const long = parseWhatsAppWebhook(whatsAppCallback({ messages: [{ from: '6281234567890', type: 'text', text: { body: 'x'.repeat(100_000) } }] }), NOW)[0];
    assert.ok(long?.kind === 'reply' && long.text?.length === 4096);
  });
});

describe('Telegram callbacks', () => {
  it('checks X-Telegram-Bot-Api-Secret-Token', () => {
    assert.equal(verifyTelegramSecret('secret-token-0123456789', 'secret-token-0123456789'), true);
    assert.equal(verifyTelegramSecret('secret-token-0123456788', 'secret-token-0123456789'), false);
    assert.equal(verifyTelegramSecret('secret', 'secret-token-0123456789'), false);
    assert.equal(verifyTelegramSecret(undefined, 'secret-token-0123456789'), false);
    assert.equal(verifyTelegramSecret('', ''), false);
  });

  const from = { id: 987654321, is_bot: false, first_name: 'Budi', username: 'budi_bpbd', language_code: 'id' };
  const chat = { id: 987654321, first_name: 'Budi', username: 'budi_bpbd', type: 'private' };

  it('/start <code> is a link', () => {
    const update = { update_id: 10000, message: { message_id: 1, from, chat, date: 1767225300, text: '/start Xk3_p-9', entities: [{ offset: 0, length: 6, type: 'bot_command' }] } };
    assert.deepEqual(parseTelegramUpdate(update, NOW), [{ kind: 'link', channel: 'telegram', chatId: '987654321', code: 'Xk3_p-9', username: 'budi_bpbd', at: 1767225300000 }]);
    assert.deepEqual(parseTelegramUpdate({ update_id: 1, message: { message_id: 1, from, chat, date: 1, text: '/start' } }, NOW), []);
    assert.deepEqual(parseTelegramUpdate({ update_id: 1, message: { message_id: 1, from, chat, date: 1, text: '/start <bad code>' } }, NOW), []);
  });

  it('a pressed ack button is a reply with payload and callbackId', () => {
    const update = {
      update_id: 10001,
      callback_query: {
        id: '4382bfdwdsb323b2d9',
        from,
        message: { message_id: 7, from: { id: 123456789, is_bot: true, first_name: 'Cerdas' }, chat, date: 1767225400, text: 'Tinggi muka air Siaga …' },
        chat_instance: '-1234567890',
        data: 'ack:tok_abc',
      },
    };
    assert.deepEqual(parseTelegramUpdate(update, NOW), [{ kind: 'reply', channel: 'telegram', from: '987654321', text: null, payload: 'ack:tok_abc', at: 1767225400000, callbackId: '4382bfdwdsb323b2d9' }]);
  });

  it('a text message is a reply', () => {
    const update = { update_id: 10002, message: { message_id: 2, from, chat, date: 1767225500, text: 'Siap, tim menuju lokasi' } };
    assert.deepEqual(parseTelegramUpdate(update, NOW), [{ kind: 'reply', channel: 'telegram', from: '987654321', text: 'Siap, tim menuju lokasi', payload: null, at: 1767225500000 }]);
  });

  it('yields [] for garbage and other updates, never throws', () => {
    const garbage: unknown[] = [
      null, 'x', [], {}, { update_id: 1 }, { message: null }, { message: { chat: { id: 'abc' }, text: 'x' } }, { message: { chat: { id: 1 }, text: 5 } },
      { message: { chat: { id: 1 }, photo: [{ file_id: 'x' }] } }, { edited_message: { chat: { id: 1 }, text: 'x' } },
      { callback_query: { id: 'q', data: 'ack:x' } }, { callback_query: { id: 'q', from: { id: 1 } } }, { callback_query: 'x' },
      { message: { chat: { id: 1.5 }, text: 'x' } },
    ];
    for (const update of garbage) assert.deepEqual(parseTelegramUpdate(update, NOW), [], JSON.stringify(update));
  });
});
