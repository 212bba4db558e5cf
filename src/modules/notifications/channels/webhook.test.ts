import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FakeHttpServer, SIAGA_TEXT } from '../../../../test/fakes/index.ts';
import { ChannelError, type OutgoingMessage } from './channel.ts';
import { WebhookChannel } from './webhook.ts';

describe('webhook channel', () => {
  let fake: FakeHttpServer;
  let message: OutgoingMessage;
  before(async () => {
    fake = await FakeHttpServer.start(() => ({ status: 204, body: '' }), (status) => ({ status, body: { error: `failed with ${status}` } }));
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.reset();
    message = { id: 'ntf_04', to: `${fake.url}/hooks/bpbd`, subject: 'Siaga', text: SIAGA_TEXT, data: { event: 'alarm.opened', level: 'siaga', value: 4.3 } };
  });

  it('POSTs {id, subject, text, data} signed with the rules\' HMAC scheme', async () => {
    const channel = new WebhookChannel({ secret: 'webhook-secret-1', allowPrivateNetwork: true });
    const result = await channel.send(message, AbortSignal.timeout(2000));
    assert.equal(result.providerMessageId, null);
    const request = fake.requests[0]!;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/hooks/bpbd');
    assert.deepEqual(request.json, { id: 'ntf_04', subject: 'Siaga', text: SIAGA_TEXT, data: { event: 'alarm.opened', level: 'siaga', value: 4.3 } });
    assert.equal(request.headers['x-cerdas-signature'], `sha256=${createHmac('sha256', 'webhook-secret-1').update(request.body).digest('hex')}`);
    assert.equal(request.headers['x-cerdas-delivery'], 'ntf_04');
    assert.equal(request.headers['x-cerdas-event'], 'notification');
  });

  it('sends no signature without a secret', async () => {
    await new WebhookChannel({ secret: null, allowPrivateNetwork: true }).send(message, AbortSignal.timeout(2000));
    assert.equal(fake.requests[0]!.headers['x-cerdas-signature'], undefined);
  });

  it('refuses a loopback URL unless allowed, without calling it', async () => {
    const channel = new WebhookChannel({ secret: null, allowPrivateNetwork: false });
    await assert.rejects(channel.send(message, AbortSignal.timeout(2000)), (error: unknown) => error instanceof ChannelError && !error.retryable && /private address/.test(error.message));
    await assert.rejects(channel.send({ ...message, to: 'http://localhost:1/x' }, AbortSignal.timeout(2000)), (error: unknown) => error instanceof ChannelError && !error.retryable);
    await assert.rejects(channel.send({ ...message, to: 'ftp://example.org/x' }, AbortSignal.timeout(2000)), (error: unknown) => error instanceof ChannelError && !error.retryable && /http/.test(error.message));
    assert.equal(fake.requests.length, 0);
  });

  for (const [status, retryable] of [[500, true], [429, true], [400, false]] as const) {
    it(`a ${status} is ${retryable ? '' : 'not '}retryable`, async () => {
      fake.failNext(status);
      await assert.rejects(new WebhookChannel({ secret: null, allowPrivateNetwork: true }).send(message, AbortSignal.timeout(2000)), (error: unknown) => {
        assert.ok(error instanceof ChannelError);
        assert.equal(error.retryable, retryable);
        assert.match(error.message, new RegExp(`HTTP ${status}: .*failed with ${status}`));
        return true;
      });
    });
  }

  it('a hang is ended by the signal and is retryable', async () => {
    fake.failNext('hang');
    await assert.rejects(new WebhookChannel({ secret: null, allowPrivateNetwork: true }).send(message, AbortSignal.timeout(200)), (error: unknown) => error instanceof ChannelError && error.retryable);
  });
});
