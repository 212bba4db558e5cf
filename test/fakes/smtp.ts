/**
 * A real SMTP server (smtp-server) on 127.0.0.1, port 0, collecting what it
 * receives, with the mail parsed enough to assert on.
 *
 *   const smtp = await startFakeSmtp({ user: 'cerdas', password: 'rahasia' });
 *   channel config: { host: '127.0.0.1', port: smtp.port, security: 'none', user, password, … }
 *   await smtp.waitForMails(1); smtp.mails[0].subject / .text / .html / .headers / .envelope
 *   smtp.rejectNext(550)      the next RCPT TO is refused with that code (550 permanent, 451 transient)
 *   smtp.hangNext()           the next message's DATA is never answered (for timeouts)
 *   await smtp.close()
 *
 * No TLS (STARTTLS is not offered), so configure `security: 'none'`. With user
 * and password, AUTH is required and other credentials are refused (535).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface ReceivedMail {
  envelope: { from: string | null; to: string[] };
  /** the user who authenticated, null without AUTH */
  user: string | null;
  raw: string;
  /** lower-case names, unfolded, encoded words decoded; the last value of a repeated header */
  headers: Map<string, string>;
  subject: string;
  /** the text/plain part, decoded */
  text: string | null;
  /** the text/html part, decoded */
  html: string | null;
}

export interface FakeSmtp {
  readonly port: number;
  readonly host: string;
  readonly mails: ReceivedMail[];
  waitForMails(count: number, timeoutMs?: number): Promise<void>;
  rejectNext(code: number): void;
  hangNext(): void;
  close(): Promise<void>;
}

export async function startFakeSmtp(options: { user?: string; password?: string } = {}): Promise<FakeSmtp> {
  const mails: ReceivedMail[] = [];
  const rejections: number[] = [];
  let hang = false;
  let waiters: { count: number; resolve: () => void }[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: options.user ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.user,
    allowInsecureAuth: true,
    logger: false,
    closeTimeout: 100,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) return callback(null, { user: auth.username });
      const error: Error & { responseCode?: number } = new Error('Authentication credentials invalid');
      error.responseCode = 535;
      return callback(error);
    },
    onRcptTo(_address: SMTPServerAddress, _session, callback) {
      const code = rejections.shift();
      if (code === undefined) return callback();
      const error: Error & { responseCode?: number } = new Error(code >= 500 ? 'No such user here' : 'Mailbox busy, try again later');
      error.responseCode = code;
      return callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (hang) {
          hang = false;
          return; // never answered: the client's signal or timeout must end it
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom;
        mails.push({
          envelope: { from: from ? from.address : null, to: session.envelope.rcptTo.map((r) => r.address) },
          user: typeof session.user === 'string' ? session.user : null,
          raw,
          ...parseMail(raw),
        });
        waiters = waiters.filter((w) => {
          if (mails.length < w.count) return true;
          w.resolve();
          return false;
        });
        callback(null, 'Queued as fake');
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    host: '127.0.0.1',
    mails,
    waitForMails(count, timeoutMs = 5000) {
      if (mails.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`waited ${timeoutMs} ms for ${count} mails, got ${mails.length}`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    rejectNext(code) {
      rejections.push(code);
    },
    hangNext() {
      hang = true;
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Headers, subject, text and HTML parts of a MIME message: enough for tests, not a general parser. */
export function parseMail(raw: string): Omit<ReceivedMail, 'envelope' | 'user' | 'raw'> {
  const { headers, body } = splitEntity(raw);
  const parts = { text: null as string | null, html: null as string | null };
  collectParts(headers, body, parts);
  return { headers, subject: headers.get('subject') ?? '', ...parts };
}

function splitEntity(entity: string): { headers: Map<string, string>; body: string } {
  const normalized = entity.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end === -1 ? normalized : normalized.slice(0, end);
  const body = end === -1 ? '' : normalized.slice(end + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

function collectParts(headers: Map<string, string>, body: string, parts: { text: string | null; html: string | null }): void {
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const part = splitEntity(chunk.replace(/^\n/, ''));
      collectParts(part.headers, part.body, parts);
    }
    return;
  }
  const decoded = decodeBody(body, headers.get('content-transfer-encoding') ?? '7bit');
  if (/^text\/html/i.test(type)) parts.html ??= decoded;
  else if (/^text\/plain/i.test(type)) parts.text ??= decoded;
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return decodeQuotedPrintable(body.replace(/=\n/g, ''));
    default:
      return body.replace(/\n$/, '');
  }
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8').replace(/\n$/, '');
}

/** RFC 2047 encoded words, =?UTF-8?Q?…?= and =?UTF-8?B?…?=; the space between two of them is dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_whole, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}
