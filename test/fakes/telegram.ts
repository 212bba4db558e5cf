/**
 * A fake Telegram Bot API: `POST /bot<token>/<method>` with JSON, answering as
 * Telegram does — `{ok: true, result}` or `{ok: false, error_code, description}`.
 *
 *   const telegram = await FakeTelegram.start({ token: '123456:…' });
 *   channel config: { apiBase: telegram.url, botToken: telegram.token, … }
 *   telegram.calls('sendMessage')   the JSON bodies of that method, in order
 *   telegram.failNext(429)          the next call gets Telegram's 429 (retry_after 3)
 *   await telegram.close()
 *
 * sendMessage answers a Message (message_id counting from 1 per fake, chat, date,
 * text); answerCallbackQuery answers true; another token gets 401 Unauthorized,
 * an unknown method 404 Not Found, a sendMessage without chat_id or text 400.
 * Plus the FakeHttpServer API (requests, failNext, failAlways, reset, waitForRequests).
 */
import { FakeHttpServer, type FakeAnswer, type RecordedRequest } from './fake-http.ts';

export const FAKE_TELEGRAM_TOKEN = '123456789:AAFakeTokenForTestsOnly_abcdefghijk';

export class FakeTelegram {
  readonly server: FakeHttpServer;
  readonly token: string;

  private constructor(server: FakeHttpServer, token: string) {
    this.server = server;
    this.token = token;
  }

  static async start(options: { token?: string } = {}): Promise<FakeTelegram> {
    const token = options.token ?? FAKE_TELEGRAM_TOKEN;
    let nextMessageId = 1;
    const handler = (request: RecordedRequest): FakeAnswer => {
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(request.path);
      if (!match) return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
      if (match[1] !== token) return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
      const body = isRecord(request.json) ? request.json : {};
      switch (match[2]) {
        case 'sendMessage': {
          if (body.chat_id === undefined) return badRequest('chat_id is empty');
          if (typeof body.text !== 'string' || body.text === '') return badRequest('message text is empty');
          const chatId = Number(body.chat_id);
          return {
            status: 200,
            body: {
              ok: true,
              result: {
                message_id: nextMessageId++,
                from: { id: Number(token.split(':')[0]), is_bot: true, first_name: 'Cerdas', username: 'cerdas_test_bot' },
                chat: { id: chatId, first_name: 'Petugas', type: 'private' },
                date: Math.floor(Date.now() / 1000),
                text: body.text,
              },
            },
          };
        }
        case 'answerCallbackQuery':
          if (typeof body.callback_query_id !== 'string') return badRequest('query is too old and response timeout expired or query ID is invalid');
          return { status: 200, body: { ok: true, result: true } };
        default:
          return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
      }
    };
    const server = await FakeHttpServer.start(handler, (status) => {
      if (status === 429) return { status, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } }, headers: { 'retry-after': '3' } };
      if (status === 400) return badRequest('chat not found');
      return { status, body: { ok: false, error_code: status, description: 'Internal Server Error' } };
    });
    return new FakeTelegram(server, token);
  }

  get url(): string {
    return this.server.url;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  /** The JSON bodies sent to one Bot API method. */
  calls(method: string): Record<string, unknown>[] {
    return this.server.requests.filter((r) => r.path.endsWith(`/${method}`)).map((r) => (isRecord(r.json) ? r.json : {}));
  }

  failNext(...args: Parameters<FakeHttpServer['failNext']>): void {
    this.server.failNext(...args);
  }

  failAlways(...args: Parameters<FakeHttpServer['failAlways']>): void {
    this.server.failAlways(...args);
  }

  reset(): void {
    this.server.reset();
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

function badRequest(what: string): FakeAnswer {
  return { status: 400, body: { ok: false, error_code: 400, description: `Bad Request: ${what}` } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
