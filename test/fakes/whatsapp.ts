/**
 * A fake WhatsApp Cloud API: `POST /<version>/<phoneNumberId>/messages` with a
 * bearer token, answering as the Graph API does —
 * `{messaging_product: "whatsapp", contacts: [{input, wa_id}], messages: [{id: "wamid.…"}]}`
 * or `{error: {message, type, code, error_data: {messaging_product, details}, fbtrace_id}}`.
 *
 *   const whatsapp = await FakeWhatsApp.start({ templates: ['peringatan_dini'] });
 *   channel config: { apiBase: whatsapp.url, accessToken: whatsapp.accessToken,
 *                     phoneNumberId: whatsapp.phoneNumberId, version: whatsapp.version, … }
 *   whatsapp.messages()       the JSON bodies sent, in order
 *   whatsapp.failNext(400)    the next call gets error 131026 (undeliverable), 429 → 130429, 500 → 131000
 *   await whatsapp.close()
 *
 * Another token gets 401 (code 190), another phone number id or version 400
 * (code 100), a template not in `templates` (when given) 400 (code 132001).
 * Message ids are `wamid.FAKE<n>`. Plus the FakeHttpServer API.
 */
import { FakeHttpServer, type FakeAnswer, type RecordedRequest } from './fake-http.ts';

export class FakeWhatsApp {
  readonly server: FakeHttpServer;
  readonly accessToken: string;
  readonly phoneNumberId: string;
  readonly version: string;

  private constructor(server: FakeHttpServer, accessToken: string, phoneNumberId: string, version: string) {
    this.server = server;
    this.accessToken = accessToken;
    this.phoneNumberId = phoneNumberId;
    this.version = version;
  }

  static async start(options: { accessToken?: string; phoneNumberId?: string; version?: string; templates?: string[] } = {}): Promise<FakeWhatsApp> {
    const accessToken = options.accessToken ?? 'EAAFakeAccessTokenForTestsOnly0123456789';
    const phoneNumberId = options.phoneNumberId ?? '106540352242922';
    const version = options.version ?? 'v23.0';
    let next = 1;
    const handler = (request: RecordedRequest): FakeAnswer => {
      if (request.headers.authorization !== `Bearer ${accessToken}`) {
        return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token', 'OAuthException');
      }
      if (request.method !== 'POST' || request.path !== `/${version}/${phoneNumberId}/messages`) {
        return graphError(400, 100, 'Unsupported post request. Object with ID does not exist, cannot be loaded due to missing permissions, or does not support this operation', 'GraphMethodException');
      }
      const body = isRecord(request.json) ? request.json : {};
      if (body.messaging_product !== 'whatsapp') return graphError(400, 100, '(#100) The parameter messaging_product is required.', 'OAuthException');
      if (typeof body.to !== 'string') return graphError(400, 100, '(#100) The parameter to is required.', 'OAuthException');
      if (body.type === 'template' && options.templates) {
        const name = isRecord(body.template) ? body.template.name : undefined;
        if (typeof name !== 'string' || !options.templates.includes(name)) {
          return graphError(400, 132001, '(#132001) Template name does not exist in the translation', 'OAuthException', `template name (${String(name)}) does not exist in id`);
        }
      }
      return {
        status: 200,
        body: { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.FAKE${next++}`, message_status: 'accepted' }] },
      };
    };
    const server = await FakeHttpServer.start(handler, (status) => {
      if (status === 429) return graphError(429, 130429, '(#130429) Rate limit hit', 'OAuthException', 'Cloud API message throughput has been reached.');
      if (status === 400) return graphError(400, 131026, 'Message undeliverable', 'OAuthException', 'Unable to deliver message. The recipient may not be a WhatsApp user.');
      return graphError(500, 131000, 'Something went wrong', 'OAuthException', 'Message failed to send due to an unknown error.');
    });
    return new FakeWhatsApp(server, accessToken, phoneNumberId, version);
  }

  get url(): string {
    return this.server.url;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  /** The JSON bodies of the messages sent. */
  messages(): Record<string, unknown>[] {
    return this.server.requests.map((r) => (isRecord(r.json) ? r.json : {}));
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

function graphError(status: number, code: number, message: string, type: string, details?: string): FakeAnswer {
  const error: Record<string, unknown> = { message, type, code, fbtrace_id: 'AFakeTraceId' };
  if (details) error.error_data = { messaging_product: 'whatsapp', details };
  return { status, body: { error } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
