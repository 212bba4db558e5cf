/**
 * A fake HTTP SMS/WhatsApp gateway, shaped like the local providers: any path,
 * any method; it answers `{status: true, data: {id: "sms-<n>", to, ...}}` with
 * 200, so `messageIdPath: "data.id"` finds the id.
 *
 *   const gateway = await FakeSmsGateway.start();
 *   channel config: { url: `${gateway.url}/api/send`, body: '{"phone":"{{to}}","message":"{{text}}"}', messageIdPath: 'data.id' }
 *   gateway.requests          what it received (RecordedRequest: method, path, query, headers, body, json)
 *   gateway.failNext(500)     the next call fails (500, 429, 400 or 'hang')
 *   await gateway.close()
 *
 * `requireHeader` (name, value): requests without it get 401, as a gateway with a
 * wrong API key answers.
 */
import { FakeHttpServer, type FakeAnswer, type RecordedRequest } from './fake-http.ts';

export class FakeSmsGateway {
  readonly server: FakeHttpServer;

  private constructor(server: FakeHttpServer) {
    this.server = server;
  }

  static async start(options: { requireHeader?: { name: string; value: string } } = {}): Promise<FakeSmsGateway> {
    let next = 1;
    const handler = (request: RecordedRequest): FakeAnswer => {
      const required = options.requireHeader;
      if (required && request.headers[required.name.toLowerCase()] !== required.value) return { status: 401, body: { status: false, reason: 'invalid token' } };
      return { status: 200, body: { status: true, data: { id: `sms-${next++}`, status: 'queued' } } };
    };
    const server = await FakeHttpServer.start(handler, (status) => ({
      status,
      body: { status: false, reason: status === 400 ? 'nomor tujuan tidak valid' : status === 429 ? 'rate limit' : 'gateway error' },
    }));
    return new FakeSmsGateway(server);
  }

  get url(): string {
    return this.server.url;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
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
