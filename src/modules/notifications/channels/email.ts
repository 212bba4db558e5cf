/**
 * Email over SMTP with nodemailer's pooled transport: a few connections kept
 * open, so a burst of alerts does not open one connection each. Every message
 * has a text part and a simple HTML part; the acknowledgement is a link in the
 * text and a button in the HTML. The outbox's signal cancels a send: a queued
 * message leaves the queue, one being delivered has its connection closed (the
 * other connections of the pool go on).
 */
import { ChannelError, type Channel, type OutgoingMessage, type SendResult } from './channel.ts';
import { clip } from './http.ts';

export interface EmailConfig {
  /** the SMTP server's name or address */
  host: string;
  port: number;
  /** tls: TLS from the first byte (465); starttls: upgrade required (587); none: plain text, for a relay on the local network only */
  security: 'tls' | 'starttls' | 'none';
  user: string | null;
  password: string | null;
  fromAddress: string;
  fromName: string | null;
  /** connections the pool keeps open */
  maxConnections: number;
}

/** ms: a server that does not answer is given up on before the outbox's own timeout in most cases */
const CONNECTION_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

export class EmailChannel implements Channel {
  readonly kind = 'email';
  private readonly config: EmailConfig;
  /** made on the first message: nodemailer (~4 MB) is not loaded by a server that never sends one */
  private transport: ReturnType<typeof createPool> | null = null;

  constructor(config: EmailConfig) {
    this.config = config;
  }

  async send(message: OutgoingMessage, signal: AbortSignal): Promise<SendResult> {
    if (signal.aborted) throw new ChannelError('email: the send was aborted before it started', true);
    const text = message.ack && !message.text.includes(message.ack.url) ? `${message.text}\n\n${message.ack.label}:\n${message.ack.url}\n` : message.text;
    try {
      this.transport ??= createPool(this.config);
      const info = await (await this.transport).sendMail({
        from: this.config.fromName ? { name: this.config.fromName, address: this.config.fromAddress } : this.config.fromAddress,
        to: message.to,
        // a new line in a subject would be a header injection; nodemailer encodes, we also keep it one line
        subject: message.subject.replace(/[\r\n]+/g, ' '),
        text,
        html: emailHtml(message),
        headers: { 'X-Cerdas-Notification': message.id },
        // no attachment, no remote content: nothing in a message may make nodemailer read a file or a URL
        disableFileAccess: true,
        disableUrlAccess: true,
        signal,
      });
      return { providerMessageId: info.messageId ?? null };
    } catch (error) {
      throw emailError(error, signal);
    }
  }

  async close(): Promise<void> {
    const transport = this.transport;
    this.transport = null;
    if (transport) (await transport).close();
  }
}

async function createPool(config: EmailConfig) {
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({
    pool: true,
    host: config.host,
    port: config.port,
    secure: config.security === 'tls',
    requireTLS: config.security === 'starttls',
    ignoreTLS: config.security === 'none',
    auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
    maxConnections: config.maxConnections,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: CONNECTION_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
  });
}

/**
 * SMTP says itself whether to try again: a 5xx reply is permanent (an unknown
 * mailbox, a refused sender), a 4xx transient; failed credentials are not retried;
 * a broken connection, a timeout or an abort are.
 */
function emailError(error: unknown, signal: AbortSignal): ChannelError {
  if (signal.aborted) return new ChannelError('email: the send timed out or was aborted', true);
  const fields = typeof error === 'object' && error !== null ? (error as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown }) : {};
  const code = typeof fields.code === 'string' ? fields.code : null;
  const responseCode = typeof fields.responseCode === 'number' ? fields.responseCode : null;
  const said = typeof fields.response === 'string' ? fields.response : typeof fields.message === 'string' ? fields.message : String(error);
  const text = `email: ${code ?? 'error'}${responseCode ? ` ${responseCode}` : ''}: ${clip(said, 300)}`;
  if (code === 'EAUTH' || code === 'ENOAUTH' || code === 'ECONFIG') return new ChannelError(text, false);
  if (responseCode !== null) return new ChannelError(text, !(responseCode >= 500 && responseCode < 600 && responseCode !== 503));
  // an envelope nodemailer itself refused (no valid recipient address) will be refused again
  if (code === 'EENVELOPE') return new ChannelError(text, false);
  return new ChannelError(text, true);
}

/** A plain HTML version: the text's lines, and the acknowledgement as a button (a link styled as one, which every mail client shows). */
export function emailHtml(message: OutgoingMessage): string {
  const paragraphs = message.text
    .split(/\n{2,}/)
    .map((block) => `<p style="margin:0 0 12px">${escapeHtml(block).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const button = message.ack
    ? `\n<p style="margin:20px 0"><a href="${escapeHtml(message.ack.url)}" style="display:inline-block;padding:10px 18px;background:#b91c1c;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold">${escapeHtml(message.ack.label)}</a></p>` +
      `\n<p style="margin:0;font-size:12px;color:#555">${escapeHtml(message.ack.url)}</p>`
    : '';
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(message.subject)}</title></head>\n<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;color:#111">\n${paragraphs}${button}\n</body></html>\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
