import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FakeWhatsApp, SIAGA_TEXT } from '../../../../test/fakes/index.ts';
import { ChannelError, type OutgoingMessage } from './channel.ts';
import { WhatsAppCloudChannel, type WhatsAppCloudConfig } from './whatsapp.ts';

const MESSAGE: OutgoingMessage = {
  id: 'ntf_02',
  to: '+6281234567890',
  subject: 'Siaga',
  text: SIAGA_TEXT,
  template: { name: 'peringatan_dini', language: 'id', parameters: ['Siaga', 'PDA Sungai Kelingi, Kec. Muara Kelingi', '4,3 m naik 0,4 m/jam', '02.05 WIB'] },
  ack: { url: 'https://cerdas.musirawaskab.go.id/ack/tok_wa', label: 'Terima', token: 'tok_wa' },
};

describe('WhatsApp Cloud API channel', () => {
  let fake: FakeWhatsApp;
  let channel: WhatsAppCloudChannel;
  let config: WhatsAppCloudConfig;
  before(async () => {
    fake = await FakeWhatsApp.start({ templates: ['peringatan_dini'] });
    config = {
      provider: 'cloud',
      accessToken: fake.accessToken,
      phoneNumberId: fake.phoneNumberId,
      appSecret: 'app-secret-0123',
      verifyToken: 'verify-0123',
      templates: { 'alarm.opened': 'peringatan_dini' },
      language: 'id',
      apiBase: fake.url,
      version: fake.version,
    };
    channel = new WhatsAppCloudChannel(config);
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  it('sends a template with the body parameters in order and a quick-reply ack button', async () => {
    const result = await channel.send(MESSAGE, AbortSignal.timeout(2000));
    assert.equal(result.providerMessageId, 'wamid.FAKE1');
    const request = fake.requests[0]!;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, `/v23.0/${fake.phoneNumberId}/messages`);
    assert.equal(request.headers.authorization, `Bearer ${fake.accessToken}`);
    assert.deepEqual(request.json, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '6281234567890',
      type: 'template',
      template: {
        name: 'peringatan_dini',
        language: { code: 'id' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Siaga' },
              { type: 'text', text: 'PDA Sungai Kelingi, Kec. Muara Kelingi' },
              { type: 'text', text: '4,3 m naik 0,4 m/jam' },
              { type: 'text', text: '02.05 WIB' },
            ],
          },
          { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'ack:tok_wa' }] },
        ],
      },
    });
  });

  it('takes the config language when the template has none, and flattens new lines in parameters', async () => {
    await channel.send({ ...MESSAGE, ack: undefined, template: { name: 'peringatan_dini', language: '', parameters: ['baris satu\nbaris\tdua'] } }, AbortSignal.timeout(2000));
    const template = (fake.messages()[0]!.template as { language: unknown; components: unknown[] });
    assert.deepEqual(template.language, { code: 'id' });
    assert.deepEqual(template.components, [{ type: 'body', parameters: [{ type: 'text', text: 'baris satu baris dua' }] }]);
  });

  it('without a template: an interactive reply button with the ack inside the 24-hour window', async () => {
    await channel.send({ ...MESSAGE, template: undefined }, AbortSignal.timeout(2000));
    assert.deepEqual(fake.messages()[0], {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '6281234567890',
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: `${SIAGA_TEXT}\n\nhttps://cerdas.musirawaskab.go.id/ack/tok_wa` },
        action: { buttons: [{ type: 'reply', reply: { id: 'ack:tok_wa', title: 'Terima' } }] },
      },
    });
  });

  it('without a template or ack: plain text', async () => {
    await channel.send({ ...MESSAGE, template: undefined, ack: undefined }, AbortSignal.timeout(2000));
    assert.deepEqual(fake.messages()[0], { messaging_product: 'whatsapp', recipient_type: 'individual', to: '6281234567890', type: 'text', text: { preview_url: false, body: SIAGA_TEXT } });
  });

  for (const [status, retryable, said] of [
    [500, true, /131000.*Something went wrong/],
    [429, true, /130429.*Rate limit hit/],
    [400, false, /131026.*Message undeliverable.*not be a WhatsApp user/],
  ] as const) {
    it(`a ${status} is ${retryable ? '' : 'not '}retryable and says what the API said`, async () => {
      fake.failNext(status);
      await assert.rejects(channel.send(MESSAGE, AbortSignal.timeout(2000)), (error: unknown) => {
        assert.ok(error instanceof ChannelError);
        assert.equal(error.retryable, retryable);
        assert.match(error.message, said);
        return true;
      });
    });
  }

  it('an unknown template is not retryable', async () => {
    await assert.rejects(channel.send({ ...MESSAGE, template: { ...MESSAGE.template!, name: 'tidak_ada' } }, AbortSignal.timeout(2000)), (error: unknown) => {
      assert.ok(error instanceof ChannelError);
      assert.equal(error.retryable, false);
      assert.match(error.message, /132001.*Template name does not exist/);
      return true;
    });
  });

  it('a bad access token is not retryable and not repeated in the message', async () => {
    const wrong = new WhatsAppCloudChannel({ ...config, accessToken: 'EAAwrongwrongwrongwrongwrong' });
    await assert.rejects(wrong.send(MESSAGE, AbortSignal.timeout(2000)), (error: unknown) => {
      assert.ok(error instanceof ChannelError);
      assert.equal(error.retryable, false);
      assert.match(error.message, /HTTP 401, error 190/);
      assert.doesNotMatch(error.message, /EAAwrong/);
      return true;
    });
  });

  it('a hang is ended by the signal and is retryable', async () => {
    fake.failNext('hang');
    await assert.rejects(channel.send(MESSAGE, AbortSignal.timeout(200)), (error: unknown) => error instanceof ChannelError && error.retryable && /timed out/.test(error.message));
  });

  it('an abort by the outbox is retryable', async () => {
    fake.failNext('hang');
    const controller = new AbortController();
    const sending = channel.send(MESSAGE, controller.signal);
    await fake.server.waitForRequests(1);
    controller.abort();
    await assert.rejects(sending, (error: unknown) => error instanceof ChannelError && error.retryable && /aborted/.test(error.message));
  });

  it('refuses an address that is not a number, without calling the API', async () => {
    await assert.rejects(channel.send({ ...MESSAGE, to: 'budi@example.org' }, AbortSignal.timeout(2000)), (error: unknown) => error instanceof ChannelError && !error.retryable);
    assert.equal(fake.requests.length, 0);
  });
});
