/**
 * The base of the HTTP fakes: a node:http server on 127.0.0.1, port 0, that
 * records every request and answers through the provider's handler, unless told
 * to fail. Shared API of every HTTP fake (FakeTelegram, FakeWhatsApp, FakeSmsGateway):
 *
 *   fake.url                  http://127.0.0.1:<port>, the apiBase to configure
 *   fake.requests             every request, in order (RecordedRequest)
 *   fake.failNext(f, times=1) the next `times` requests fail: 500, 429, 400 or 'hang'
 *   fake.failAlways(f)        every request fails so, until reset()
 *   fake.reset()              forget the failures and the recorded requests
 *   fake.waitForRequests(n)   resolves once n requests arrived (rejects after 5 s)
 *   fake.listen(listener)     called with each request as it arrives (benchmarks time arrivals)
 *   fake.close()              ends hanging requests and closes the server
 *
 * A 'hang' reads the request and never answers: the client's signal must end it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeFailure = 500 | 429 | 400 | 'hang';

export interface RecordedRequest {
  method: string;
  /** the path without the query */
  path: string;
  query: URLSearchParams;
  /** lower-case names, as node gives them */
  headers: http.IncomingHttpHeaders;
  /** the raw body as text */
  body: string;
  /** the body parsed as JSON, undefined when it is not JSON */
  json: unknown;
  /** when its body had fully arrived: ms since epoch, sub-millisecond (performance.timeOrigin + performance.now()) */
  receivedAt: number;
}

export interface FakeAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The provider's answer to a request (a success, or its own refusal such as a bad token). */
export type FakeHandler = (request: RecordedRequest) => FakeAnswer;
/** The provider's error answer for a failure it was told to give. */
export type FailureAnswer = (status: 500 | 429 | 400, request: RecordedRequest) => FakeAnswer;

const MAX_BODY = 1024 * 1024;

export class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  private readonly server: http.Server;
  private readonly handler: FakeHandler;
  private readonly failureAnswer: FailureAnswer;
  private failures: FakeFailure[] = [];
  private always: FakeFailure | null = null;
  private readonly hanging = new Set<http.ServerResponse>();
  private waiters: { count: number; resolve: () => void }[] = [];
  private readonly listeners: ((request: RecordedRequest) => void)[] = [];
  private port = 0;

  private constructor(handler: FakeHandler, failureAnswer: FailureAnswer) {
    this.handler = handler;
    this.failureAnswer = failureAnswer;
    this.server = http.createServer((req, res) => this.onRequest(req, res));
  }

  static async start(handler: FakeHandler, failureAnswer: FailureAnswer): Promise<FakeHttpServer> {
    const fake = new FakeHttpServer(handler, failureAnswer);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  failNext(failure: FakeFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(failure);
  }

  failAlways(failure: FakeFailure): void {
    this.always = failure;
  }

  reset(): void {
    this.failures = [];
    this.always = null;
    this.requests.length = 0;
  }

  waitForRequests(count: number, timeoutMs = 5000): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`waited ${timeoutMs} ms for ${count} requests, got ${this.requests.length}`)), timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Calls `listener` with each request as it arrives. */
  listen(listener: (request: RecordedRequest) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      const receivedAt = performance.timeOrigin + performance.now();
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body === '' ? undefined : JSON.parse(body);
      } catch {
        json = undefined;
      }
      const url = new URL(req.url ?? '/', this.url);
      const request: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, json, receivedAt };
      this.requests.push(request);
      for (const listener of this.listeners) listener(request);
      this.waiters = this.waiters.filter((w) => {
        if (this.requests.length < w.count) return true;
        w.resolve();
        return false;
      });
      const failure = this.failures.shift() ?? this.always;
      if (failure === 'hang') {
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      }
      const answer = failure === null ? this.handler(request) : this.failureAnswer(failure, request);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  }
}
