import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FakeTelegram, SIAGA_TEXT } from '../../../../test/fakes/index.ts';
import { ChannelError, type OutgoingMessage } from './channel.ts';
import { TelegramChannel, telegramAckData, telegramStartLink } from './telegram.ts';

const MESSAGE: OutgoingMessage = {
  id: 'ntf_01',
  to: '987654321',
  subject: 'Siaga',
  text: SIAGA_TEXT,
  ack: { url: 'https://cerdas.musirawaskab.go.id/ack/tok_abc', label: 'Terima', token: 'tok_abc' },
};

describe('Telegram channel', () => {
  let fake: FakeTelegram;
  let channel: TelegramChannel;
  before(async () => {
    fake = await FakeTelegram.start();
    channel = new TelegramChannel({ botToken: fake.token, botUsername: 'cerdas_test_bot', webhookSecret: 'secret-token-0123456789', apiBase: fake.url });
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  it('sends the text with an inline ack button and the link, and keeps chat:message_id', async () => {
    const result = await channel.send(MESSAGE, AbortSignal.timeout(2000));
    assert.equal(result.providerMessageId, '987654321:1');
    assert.equal(fake.requests.length, 1);
    const request = fake.requests[0]!;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, `/bot${fake.token}/sendMessage`);
    assert.match(String(request.headers['content-type']), /^application\/json/);
    assert.deepEqual(request.json, {
      chat_id: '987654321',
      text: `${SIAGA_TEXT}\n\nTerima: https://cerdas.musirawaskab.go.id/ack/tok_abc`,
      link_preview_options: { is_disabled: true },
      reply_markup: { inline_keyboard: [[{ text: 'Terima', callback_data: 'ack:tok_abc' }]] },
    });
  });

  it('sends no keyboard without an ack', async () => {
    await channel.send({ ...MESSAGE, ack: undefined }, AbortSignal.timeout(2000));
    const body = fake.calls('sendMessage')[0]!;
    assert.equal(body.text, SIAGA_TEXT);
    assert.equal(body.reply_markup, undefined);
  });

  it('leaves the button out when the token would not fit 64 bytes of callback_data', async () => {
    assert.equal(telegramAckData('x'.repeat(61)), null);
    await channel.send({ ...MESSAGE, ack: { ...MESSAGE.ack!, token: 'x'.repeat(61) } }, AbortSignal.timeout(2000));
    assert.equal(fake.calls('sendMessage')[0]!.reply_markup, undefined);
  });

  for (const [status, retryable, said] of [
    [500, true, /HTTP 500/],
    [429, true, /Too Many Requests: retry after 3/],
    [400, false, /Bad Request: chat not found/],
  ] as const) {
    it(`a ${status} is ${retryable ? '' : 'not '}retryable and says what Telegram said`, async () => {
      fake.failNext(status);
      await assert.rejects(channel.send(MESSAGE, AbortSignal.timeout(2000)), (error: unknown) => {
        assert.ok(error instanceof ChannelError);
        assert.equal(error.retryable, retryable);
        assert.match(error.message, said);
        assert.doesNotMatch(error.message, new RegExp(fake.token.split(':')[1]!));
        return true;
      });
    });
  }

  it('a wrong token is not retryable, and the token is not in the message', async () => {
    const wrong = new TelegramChannel({ botToken: '111:wrongwrongwrongwrongwrong', botUsername: 'x_bot', webhookSecret: 'secret-token-0123456789', apiBase: fake.url });
    await assert.rejects(wrong.send(MESSAGE, AbortSignal.timeout(2000)), (error: unknown) => {
      assert.ok(error instanceof ChannelError);
      assert.equal(error.retryable, false);
      assert.match(error.message, /401.*Unauthorized/);
      assert.doesNotMatch(error.message, /wrongwrong/);
      return true;
    });
  });

  it('a hang is ended by the signal and is retryable', async () => {
    fake.failNext('hang');
    const started = Date.now();
    await assert.rejects(channel.send(MESSAGE, AbortSignal.timeout(200)), (error: unknown) => {
      assert.ok(error instanceof ChannelError);
      assert.equal(error.retryable, true);
      assert.match(error.message, /timed out/);
      return true;
    });
    assert.ok(Date.now() - started < 2000);
  });

  it('a network error is retryable', async () => {
    const closed = await FakeTelegram.start();
    const url = closed.url;
    await closed.close();
    const offline = new TelegramChannel({ botToken: fake.token, botUsername: 'x_bot', webhookSecret: 'secret-token-0123456789', apiBase: url });
    await assert.rejects(offline.send(MESSAGE, AbortSignal.timeout(2000)), (error: unknown) => error instanceof ChannelError && error.retryable && /network error/.test(error.message));
  });

  it('refuses an address that is not a chat id, without calling Telegram', async () => {
    await assert.rejects(channel.send({ ...MESSAGE, to: '+6281234567890' }, AbortSignal.timeout(2000)), (error: unknown) => error instanceof ChannelError && !error.retryable);
    assert.equal(fake.requests.length, 0);
  });

  it('answers a callback query and sends a plain reply', async () => {
    await channel.answerCallbackQuery('cbq-1', 'Diterima', AbortSignal.timeout(2000));
    await channel.sendReply('987654321', 'Akun Telegram Anda terhubung.', AbortSignal.timeout(2000));
    assert.deepEqual(fake.calls('answerCallbackQuery'), [{ callback_query_id: 'cbq-1', text: 'Diterima' }]);
    assert.deepEqual(fake.calls('sendMessage'), [{ chat_id: '987654321', text: 'Akun Telegram Anda terhubung.', link_preview_options: { is_disabled: true } }]);
  });

  it('makes the t.me start link', () => {
    assert.equal(telegramStartLink('cerdas_bot', 'Ab3-x_9'), 'https://t.me/cerdas_bot?start=Ab3-x_9');
  });
});
