import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SIAGA_TEXT, startFakeSmtp, type FakeSmtp } from '../../../../test/fakes/index.ts';
import { ChannelError, type OutgoingMessage } from './channel.ts';
import { EmailChannel, emailHtml, type EmailConfig } from './email.ts';

const MESSAGE: OutgoingMessage = {
  id: 'ntf_05',
  to: 'petugas.bpbd@musirawaskab.go.id',
  subject: 'Siaga — PDA Sungai Kelingi',
  text: SIAGA_TEXT,
  ack: { url: 'https://cerdas.musirawaskab.go.id/ack/tok_mail?x=1&y=2', label: 'Terima peringatan', token: 'tok_mail' },
};

describe('email channel', () => {
  let smtp: FakeSmtp;
  let config: EmailConfig;
  let channel: EmailChannel;
  before(async () => {
    smtp = await startFakeSmtp({ user: 'cerdas', password: 'rahasia-smtp' });
    config = {
      host: smtp.host,
      port: smtp.port,
      security: 'none',
      user: 'cerdas',
      password: 'rahasia-smtp',
      fromAddress: 'peringatan@musirawaskab.go.id',
      fromName: 'Cerdas Musi Rawas',
      maxConnections: 2,
    };
    channel = new EmailChannel(config);
  });
  after(async () => {
    await channel.close();
    await smtp.close();
  });

  it('is received with its subject, a text part with the link and an HTML part with the button', async () => {
    const result = await channel.send(MESSAGE, AbortSignal.timeout(5000));
    await smtp.waitForMails(1);
    const mail = smtp.mails[0]!;
    assert.equal(result.providerMessageId, mail.headers.get('message-id'));
    assert.equal(mail.user, 'cerdas');
    assert.deepEqual(mail.envelope, { from: 'peringatan@musirawaskab.go.id', to: ['petugas.bpbd@musirawaskab.go.id'] });
    assert.equal(mail.subject, 'Siaga — PDA Sungai Kelingi');
    assert.match(mail.headers.get('from') ?? '', /Cerdas Musi Rawas.*<peringatan@musirawaskab\.go\.id>/);
    assert.equal(mail.headers.get('x-cerdas-notification'), 'ntf_05');
    assert.equal(mail.text, `${SIAGA_TEXT}\n\nTerima peringatan:\nhttps://cerdas.musirawaskab.go.id/ack/tok_mail?x=1&y=2\n`);
    assert.ok(mail.html?.includes('<a href="https://cerdas.musirawaskab.go.id/ack/tok_mail?x=1&amp;y=2"'));
    assert.ok(mail.html?.includes('>Terima peringatan</a>'));
    assert.ok(mail.html?.includes('4,3 m naik 0,4 m/jam'));
  });

  it('escapes the text in the HTML part', () => {
    const html = emailHtml({ ...MESSAGE, text: '<script>x</script> & "y"', ack: undefined });
    assert.ok(html.includes('&lt;script&gt;x&lt;/script&gt; &amp; &quot;y&quot;'));
    assert.ok(!html.includes('<a '));
  });

  it('a 550 for the recipient is not retryable, a 451 is', async () => {
    smtp.rejectNext(550);
    await assert.rejects(channel.send(MESSAGE, AbortSignal.timeout(5000)), (error: unknown) => {
      assert.ok(error instanceof ChannelError);
      assert.equal(error.retryable, false);
      assert.match(error.message, /550/);
      return true;
    });
    smtp.rejectNext(451);
    await assert.rejects(channel.send(MESSAGE, AbortSignal.timeout(5000)), (error: unknown) => error instanceof ChannelError && error.retryable && /451/.test(error.message));
  });

  it('wrong credentials are not retryable and the password is not in the message', async () => {
    const wrong = new EmailChannel({ ...config, password: 'salah-sandi-x' });
    try {
      await assert.rejects(wrong.send(MESSAGE, AbortSignal.timeout(5000)), (error: unknown) => {
        assert.ok(error instanceof ChannelError);
        assert.equal(error.retryable, false);
        assert.match(error.message, /EAUTH/);
        assert.doesNotMatch(error.message, /salah-sandi/);
        return true;
      });
    } finally {
      await wrong.close();
    }
  });

  it('a server that never answers the message is given up on at the signal, retryable; the pool goes on', async () => {
    smtp.hangNext();
    const started = Date.now();
    await assert.rejects(channel.send(MESSAGE, AbortSignal.timeout(300)), (error: unknown) => error instanceof ChannelError && error.retryable && /timed out or was aborted/.test(error.message));
    assert.ok(Date.now() - started < 3000);
    const before = smtp.mails.length;
    // A deadline, not a wait: a new connection on a machine busy with other test files can take seconds.
    await channel.send({ ...MESSAGE, id: 'ntf_06' }, AbortSignal.timeout(30_000));
    await smtp.waitForMails(before + 1);
    assert.equal(smtp.mails.at(-1)!.headers.get('x-cerdas-notification'), 'ntf_06');
  });

  it('a server that is not there is retryable', async () => {
    const gone = await startFakeSmtp();
    const port = gone.port;
    await gone.close();
    const offline = new EmailChannel({ ...config, port, user: null, password: null });
    try {
      await assert.rejects(offline.send(MESSAGE, AbortSignal.timeout(5000)), (error: unknown) => error instanceof ChannelError && error.retryable);
    } finally {
      await offline.close();
    }
  });
});
