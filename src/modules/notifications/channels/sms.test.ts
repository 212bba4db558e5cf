import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FakeSmsGateway, SIAGA_TEXT } from '../../../../test/fakes/index.ts';
import { ChannelError, type OutgoingMessage } from './channel.ts';
import { createChannel } from './channel-config.ts';
import { HttpGatewayChannel, type HttpGatewayConfig } from './sms.ts';

const MESSAGE: OutgoingMessage = {
  id: 'ntf_03',
  to: '+6281234567890',
  subject: 'Siaga',
  text: `${SIAGA_TEXT} "cek" & {{to}}`,
  ack: { url: 'https://cerdas.musirawaskab.go.id/a/tok', label: 'Terima', token: 'tok' },
};
const SENT_TEXT = `${MESSAGE.text}\nTerima: https://cerdas.musirawaskab.go.id/a/tok`;

describe('HTTP gateway channel (SMS)', () => {
  let fake: FakeSmsGateway;
  let base: HttpGatewayConfig;
  before(async () => {
    fake = await FakeSmsGateway.start({ requireHeader: { name: 'Authorization', value: 'Bearer key-123' } });
    base = {
      url: `${fake.url}/api/send`,
      method: 'POST',
      headers: { Authorization: 'Bearer {{apiKey}}' },
      contentType: 'json',
      body: '{"phone":"{{to}}","message":"{{text}}","ref":"{{id}}"}',
      messageIdPath: 'data.id',
      numberFormat: 'digits',
      apiKey: 'key-123',
      apiSecret: null,
    };
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  it('POSTs JSON with the values escaped, the key in a header, and keeps the id at messageIdPath', async () => {
    const result = await new HttpGatewayChannel(base).send(MESSAGE, AbortSignal.timeout(2000));
    assert.equal(result.providerMessageId, 'sms-1');
    const request = fake.requests[0]!;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/api/send');
    assert.equal(request.headers.authorization, 'Bearer key-123');
    assert.equal(request.headers['content-type'], 'application/json');
    // a value holding {{to}} is not expanded again
    assert.deepEqual(request.json, { phone: '6281234567890', message: SENT_TEXT, ref: 'ntf_03' });
  });

  it('POSTs a form with URL-encoded values, the number written locally', async () => {
    const channel = new HttpGatewayChannel({ ...base, contentType: 'form', body: 'userkey={{apiKey}}&nohp={{to}}&pesan={{text}}', numberFormat: 'local', messageIdPath: null });
    const result = await channel.send(MESSAGE, AbortSignal.timeout(2000));
    assert.equal(result.providerMessageId, null);
    const request = fake.requests[0]!;
    assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
    const form = new URLSearchParams(request.body);
    assert.equal(form.get('userkey'), 'key-123');
    assert.equal(form.get('nohp'), '081234567890');
    assert.equal(form.get('pesan'), SENT_TEXT);
  });

  it('GETs with the placeholders in the query', async () => {
    const channel = new HttpGatewayChannel({ ...base, method: 'GET', url: `${fake.url}/send?to={{to}}&msg={{text}}`, numberFormat: 'e164' });
    await channel.send(MESSAGE, AbortSignal.timeout(2000));
    const request = fake.requests[0]!;
    assert.equal(request.method, 'GET');
    assert.equal(request.query.get('to'), '+6281234567890');
    assert.equal(request.query.get('msg'), SENT_TEXT);
    assert.equal(request.body, '');
  });

  for (const [status, retryable] of [[500, true], [429, true], [400, false]] as const) {
    it(`a ${status} is ${retryable ? '' : 'not '}retryable and says what the gateway said`, async () => {
      fake.failNext(status);
      await assert.rejects(new HttpGatewayChannel(base).send(MESSAGE, AbortSignal.timeout(2000)), (error: unknown) => {
        assert.ok(error instanceof ChannelError);
        assert.equal(error.retryable, retryable);
        assert.match(error.message, new RegExp(`^sms gateway: HTTP ${status}: .*"status":false`));
        return true;
      });
    });
  }

  it('a wrong key (401) is not retryable', async () => {
    await assert.rejects(new HttpGatewayChannel({ ...base, apiKey: 'wrong' }).send(MESSAGE, AbortSignal.timeout(2000)), (error: unknown) => error instanceof ChannelError && !error.retryable && /HTTP 401/.test(error.message));
  });

  it('a hang is ended by the signal and is retryable', async () => {
    fake.failNext('hang');
    await assert.rejects(new HttpGatewayChannel(base).send(MESSAGE, AbortSignal.timeout(200)), (error: unknown) => error instanceof ChannelError && error.retryable && /timed out/.test(error.message));
  });

  it('serves WhatsApp through a local gateway as the whatsapp kind', async () => {
    const { apiKey, ...rest } = base;
    const channel = createChannel('whatsapp', { provider: 'gateway', ...rest, apiKey });
    assert.equal(channel.kind, 'whatsapp');
    assert.ok(channel instanceof HttpGatewayChannel);
    const result = await channel.send(MESSAGE, AbortSignal.timeout(2000));
    assert.match(result.providerMessageId ?? '', /^sms-\d+$/);
    const error = await channel.send({ ...MESSAGE, to: 'not a number' }, AbortSignal.timeout(2000)).catch((e: unknown) => e);
    assert.ok(error instanceof ChannelError && !error.retryable && /^whatsapp gateway|^gateway/.test(error.message));
  });
});
