import { randomUUID } from 'node:crypto';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import type { EventMap, EventName } from '../../core/events.ts';
import type { EventBus, Handler, SubscribeOptions } from './bus.ts';
import { InProcessBus } from './in-process.ts';

/** An event on the wire between instances: its name and its payload, which belong together. */
interface Envelope<E extends EventName = EventName> {
  origin: string;
  event: E;
  payload: EventMap[E];
}

/**
 * Events across instances over NATS (`BUS_URL=nats://host:4222/prefix`). Each
 * event is delivered at once to this instance's subscribers and published on
 * `<prefix>.events.<event>`; events from other instances reach the subscribers
 * that did not ask for local events only. The path of the URL names the subject
 * prefix (default `cerdas`), so installations can share one NATS.
 */
export class NatsBus implements EventBus {
  private readonly local: InProcessBus;
  private readonly origin = randomUUID();
  private readonly codec = JSONCodec<Envelope>();

  private readonly nc: NatsConnection;
  private readonly prefix: string;
  private readonly onLinkError: (error: unknown) => void;
  private constructor(nc: NatsConnection, prefix: string, onHandlerError: (error: unknown, event: EventName) => void, onLinkError: (error: unknown) => void) {
    this.nc = nc;
    this.prefix = prefix;
    this.local = new InProcessBus(onHandlerError);
    this.onLinkError = onLinkError;
  }

  /**
   * `onLinkError` hears what breaks the link between instances (an undecodable
   * message, a subscription that ended); the link is then restored, never left
   * silently down.
   */
  static async connect(url: string, onHandlerError: (error: unknown, event: EventName) => void, onLinkError: (error: unknown) => void): Promise<NatsBus> {
    const parsed = new URL(url);
    const prefix = parsed.pathname.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9_-]/g, '_') || 'cerdas';
    let nc: NatsConnection;
    try {
      nc = await connect({ servers: `${parsed.hostname}:${parsed.port || 4222}`, ...(parsed.username && { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) }), timeout: 5000, maxReconnectAttempts: -1 });
    } catch (error) {
      throw new Error(`cannot connect to NATS at ${parsed.hostname}:${parsed.port || 4222}: ${(error as Error).message}`);
    }
    const bus = new NatsBus(nc, prefix, onHandlerError, onLinkError);
    bus.listen();
    // The subscription must be registered with the server before this instance publishes or claims to be ready.
    await nc.flush();
    return bus;
  }

  publish<E extends EventName>(event: E, payload: EventMap[E]): void {
    this.local.publish(event, payload);
    if (!this.nc.isClosed()) this.nc.publish(`${this.prefix}.events.${event}`, this.codec.encode({ origin: this.origin, event, payload }));
  }

  subscribe<E extends EventName>(event: E, handler: Handler<E>, options?: SubscribeOptions): () => void {
    return this.local.subscribe(event, handler, options);
  }

  async close(): Promise<void> {
    await this.nc.drain().catch(() => {});
    await this.local.close();
  }

  private listen(): void {
    const subscription = this.nc.subscribe(`${this.prefix}.events.>`);
    (async () => {
      for await (const message of subscription) {
        let envelope: Envelope;
        try {
          envelope = this.codec.decode(message.data);
        } catch (error) {
          this.onLinkError(new Error(`a message on ${message.subject} is not an event of this platform`, { cause: error }));
          continue;
        }
        if (envelope.origin !== this.origin) this.local.deliverRemote(envelope.event, envelope.payload);
      }
    })().then(
      () => this.relisten(new Error('the subscription to events of other instances ended')),
      (error: unknown) => this.relisten(error),
    );
  }

  /** Events of other instances would otherwise stop reaching this one without a word. */
  private relisten(cause: unknown): void {
    if (this.nc.isClosed() || this.nc.isDraining()) return;
    this.onLinkError(cause);
    // A second of pause, so that a subscription refused at once does not spin.
    setTimeout(() => {
      if (!this.nc.isClosed() && !this.nc.isDraining()) this.listen();
    }, 1000).unref();
  }
}
