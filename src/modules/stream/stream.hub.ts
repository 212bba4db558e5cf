import type { WebSocket } from 'ws';
import type { EventMap } from '../../core/events.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../alarms/index.ts';
import type { DevicesService } from '../devices/index.ts';
import type { Principal } from '../identity/index.ts';
import { TOPICS, type Topic } from './stream.contract.ts';

export interface Filter {
  deviceIds?: string[];
  assetIds?: string[];
  keys?: string[];
  opdId?: string;
  /** the lowest severity to receive */
  severity?: Severity;
  /** notifications: only the messages about this alarm, or this incident */
  alarmId?: string;
  incidentId?: string;
}

interface Subscription {
  id: string;
  topic: Topic;
  filter: Filter;
  deviceIds?: Set<string>;
  assetIds?: Set<string>;
  keys?: Set<string>;
}

export interface Client {
  socket: WebSocket;
  principal: Principal;
  /** SHA-256 of the session's token: what session.revoked names */
  tokenHash: string;
  subscriptions: Map<string, Subscription>;
}

export class StreamError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export interface HubOptions {
  /** a client with more than this many bytes waiting to be sent is too slow and is disconnected */
  maxBufferedBytes: number;
  maxSubscriptions: number;
}

/**
 * The live stream: clients subscribe to topics with filters and get every
 * matching event, from this instance or (over NATS) any other. A client sees
 * only its region, and an operator only their OPD's devices and alarms.
 */
export class StreamHub {
  private readonly clients = new Set<Client>();
  private readonly unsubscribe: (() => void)[];

  private readonly devices: DevicesService;
  private readonly options: HubOptions;
  constructor(bus: EventBus, devices: DevicesService, options: HubOptions) {
    this.devices = devices;
    this.options = options;
    this.unsubscribe = [
      // Fanned out on the next turn: the writer's acknowledgements (PUBACK, HTTP 200) go first.
      bus.subscribe('telemetry.stored', (e) => {
        if (this.clients.size === 0) return;
        this.pendingTelemetry.push(e);
        if (this.pendingTelemetry.length === 1) setImmediate(() => this.flushTelemetry());
      }),
      bus.subscribe('device.status.changed', (e) => this.onDeviceStatus(e)),
      ...(['alarm.opened', 'alarm.updated', 'alarm.acknowledged', 'alarm.cleared'] as const).map((name) =>
        bus.subscribe(name, (e) => this.onAlarm(name, e)),
      ),
      ...(['incident.created', 'incident.updated'] as const).map((name) => bus.subscribe(name, (e) => this.onIncident(name, e))),
      bus.subscribe('notification.updated', (e) => this.onNotification(e)),
      bus.subscribe('rule.command.updated', (e) => this.onRuleCommand(e)),
      bus.subscribe('duty.changed', (e) => this.onDuty(e)),
      bus.subscribe('rpc.updated', (e) => this.onRpc(e)),
      // From this instance or any other: the stream of an ended session closes now, not at its next check.
      bus.subscribe('session.revoked', (e) => this.onSessionRevoked(e)),
    ];
  }

  get size(): number {
    return this.clients.size;
  }

  attach(socket: WebSocket, principal: Principal, tokenHash: string): Client {
    const client: Client = { socket, principal, tokenHash, subscriptions: new Map() };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    return client;
  }

  /** Checks a subscribe message; throws StreamError saying what is wrong. */
  async subscribe(client: Client, id: unknown, topic: unknown, filter: unknown): Promise<void> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 100) throw new StreamError('VALIDATION_FAILED', '"id" must be a string of 1 to 100 characters');
    if (!TOPICS.includes(topic as Topic)) throw new StreamError('VALIDATION_FAILED', `"topic" must be one of ${TOPICS.join(', ')}`);
    if (!client.subscriptions.has(id) && client.subscriptions.size >= this.options.maxSubscriptions) {
      throw new StreamError('VALIDATION_FAILED', `at most ${this.options.maxSubscriptions} subscriptions per connection`);
    }
    const f = this.parseFilter(filter);
    const p = client.principal;
    if (p.role === 'operator') {
      if (f.opdId !== undefined && f.opdId !== p.opdId) throw new StreamError('FORBIDDEN', "an operator can only follow their own OPD's devices");
      if (f.deviceIds) {
        const refs = await this.devices.refs(p.regionId, f.deviceIds);
        const foreign = f.deviceIds.filter((id) => !refs.some((r) => r.id === id && r.opdId === p.opdId));
        if (foreign.length > 0) throw new StreamError('FORBIDDEN', `not devices of your OPD: ${foreign.slice(0, 5).join(', ')}`);
      }
    }
    client.subscriptions.set(id, {
      id,
      topic: topic as Topic,
      filter: f,
      ...(f.deviceIds && { deviceIds: new Set(f.deviceIds) }),
      ...(f.assetIds && { assetIds: new Set(f.assetIds) }),
      ...(f.keys && { keys: new Set(f.keys) }),
    });
  }

  unsubscribeFrom(client: Client, id: unknown): boolean {
    return typeof id === 'string' && client.subscriptions.delete(id);
  }

  close(): void {
    for (const u of this.unsubscribe) u();
    for (const c of this.clients) c.socket.close(1001, 'server shutting down');
    this.clients.clear();
  }

  private parseFilter(input: unknown): Filter {
    if (input === undefined || input === null) return {};
    if (typeof input !== 'object' || Array.isArray(input)) throw new StreamError('VALIDATION_FAILED', '"filter" must be an object');
    const raw = input as Record<string, unknown>;
    const list = (name: string): string[] | undefined => {
      const v = raw[name];
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || v.length > 10_000 || v.some((x) => typeof x !== 'string')) throw new StreamError('VALIDATION_FAILED', `filter.${name} must be an array of strings`);
      return v as string[];
    };
    const f: Filter = {};
    const deviceIds = list('deviceIds');
    const assetIds = list('assetIds');
    const keys = list('keys');
    if (deviceIds) f.deviceIds = deviceIds;
    if (assetIds) f.assetIds = assetIds;
    if (keys) f.keys = keys;
    if (raw.opdId !== undefined) {
      if (typeof raw.opdId !== 'string') throw new StreamError('VALIDATION_FAILED', 'filter.opdId must be a string');
      f.opdId = raw.opdId;
    }
    for (const name of ['alarmId', 'incidentId'] as const) {
      const v = raw[name];
      if (v === undefined) continue;
      if (typeof v !== 'string' || v.length > 100) throw new StreamError('VALIDATION_FAILED', `filter.${name} must be a string`);
      f[name] = v;
    }
    if (raw.severity !== undefined) {
      if (!(SEVERITIES as readonly unknown[]).includes(raw.severity)) throw new StreamError('VALIDATION_FAILED', `filter.severity must be one of ${SEVERITIES.join(', ')}`);
      f.severity = raw.severity as Severity;
    }
    return f;
  }

  /** Region, OPD scoping of operators, and the device/asset/OPD filter. */
  private sees(client: Client, sub: Subscription, e: { regionId: string; deviceId: string | null; assetId: string | null; opdId: string | null }): boolean {
    const p = client.principal;
    if (e.regionId !== p.regionId) return false;
    if (p.role === 'operator' && e.opdId !== p.opdId) return false;
    if (sub.filter.opdId !== undefined && e.opdId !== sub.filter.opdId) return false;
    if (sub.deviceIds && (e.deviceId === null || !sub.deviceIds.has(e.deviceId))) return false;
    if (sub.assetIds && (e.assetId === null || !sub.assetIds.has(e.assetId))) return false;
    return true;
  }

  private pendingTelemetry: EventMap['telemetry.stored'][] = [];

  private flushTelemetry(): void {
    const events = this.pendingTelemetry;
    this.pendingTelemetry = [];
    for (const e of events) this.onTelemetry(e);
  }

  private onTelemetry(e: EventMap['telemetry.stored']): void {
    // The body of each point is written once and shared by every subscription that takes it whole.
    let whole: string[] | undefined;
    for (const client of this.clients) {
      for (const sub of client.subscriptions.values()) {
        if (sub.topic !== 'telemetry' || !this.sees(client, sub, e)) continue;
        if (!sub.keys) {
          whole ??= e.points.map((point) => `,"deviceId":${JSON.stringify(e.deviceId)},"ts":${point.ts},"values":${JSON.stringify(point.values)}}`);
          for (const body of whole) this.sendRaw(client, `{"type":"telemetry","subscription":${JSON.stringify(sub.id)}${body}`);
          continue;
        }
        for (const point of e.points) {
          const values: Record<string, unknown> = {};
          for (const k of sub.keys) if (k in point.values) values[k] = point.values[k]!;
          if (Object.keys(values).length === 0) continue;
          this.send(client, { type: 'telemetry', subscription: sub.id, deviceId: e.deviceId, ts: point.ts, values });
        }
      }
    }
  }

  private onDeviceStatus(e: EventMap['device.status.changed']): void {
    for (const client of this.clients) {
      for (const sub of client.subscriptions.values()) {
        if (sub.topic === 'devices' && this.sees(client, sub, e)) {
          this.send(client, { type: 'device', subscription: sub.id, event: 'status', device: { id: e.deviceId, online: e.online, at: e.at } });
        }
      }
    }
  }

  private onAlarm(name: string, e: EventMap['alarm.opened']): void {
    const a = e.alarm;
    const rank = SEVERITY_RANK[a.severity as Severity] ?? 0;
    for (const client of this.clients) {
      for (const sub of client.subscriptions.values()) {
        if (sub.topic !== 'alarms' || !this.sees(client, sub, { regionId: e.regionId, deviceId: a.deviceId, assetId: a.assetId, opdId: a.opdId })) continue;
        if (sub.filter.severity !== undefined && rank < SEVERITY_RANK[sub.filter.severity]) continue;
        this.send(client, { type: 'alarm', subscription: sub.id, event: name.slice('alarm.'.length), alarm: a });
      }
    }
  }

  /** A command a rule sent or proposes, to whoever watches the alarms of its device (an operator: their OPD's). */
  private onRuleCommand(e: EventMap['rule.command.updated']): void {
    for (const client of this.clients) {
      for (const sub of client.subscriptions.values()) {
        if (sub.topic !== 'alarms' || !this.sees(client, sub, { regionId: e.regionId, deviceId: e.command.deviceId, assetId: null, opdId: e.opdId })) continue;
        if (sub.assetIds) continue; // no asset on a command: an asset filter never matches it
        this.send(client, { type: 'rule-command', subscription: sub.id, command: e.command });
      }
    }
  }

  /** Incidents: operators get their OPD's and the unrouted ones (as in their inbox); never the reporter. */
  private onIncident(name: 'incident.created' | 'incident.updated', e: EventMap['incident.created']): void {
    for (const client of this.clients) {
      const p = client.principal;
      if (e.regionId !== p.regionId) continue;
      if (p.role === 'operator' && e.opdId !== null && e.opdId !== p.opdId) continue;
      for (const sub of client.subscriptions.values()) {
        if (sub.topic !== 'incidents') continue;
        if (sub.filter.opdId !== undefined && e.opdId !== sub.filter.opdId) continue;
        this.send(client, { type: 'incident', subscription: sub.id, event: name.slice('incident.'.length), incident: e.incident });
      }
    }
  }

  /**
   * A message's state (never its address or text). Delivery about an alarm is
   * operational, like the alarm: everyone of the region sees it; about a report,
   * admins only; one's own messages, always.
   */
  private onNotification(e: EventMap['notification.updated']): void {
    const n = e.notification;
    for (const client of this.clients) {
      const p = client.principal;
      if (e.regionId !== p.regionId) continue;
      if (p.role !== 'admin' && n.userId !== p.userId && n.alarmId === null) continue;
      for (const sub of client.subscriptions.values()) {
        if (sub.topic !== 'notifications') continue;
        if (sub.filter.alarmId !== undefined && n.alarmId !== sub.filter.alarmId) continue;
        if (sub.filter.incidentId !== undefined && n.incidentId !== sub.filter.incidentId) continue;
        this.send(client, { type: 'notification', subscription: sub.id, notification: n });
      }
    }
  }

  /** Closes the streams of the sessions that ended (4001: log in again); they get nothing more. */
  private onSessionRevoked(e: EventMap['session.revoked']): void {
    for (const client of this.clients) {
      if (client.principal.userId !== e.userId || client.tokenHash === e.exceptTokenHash) continue;
      if (e.tokenHashes !== null && !e.tokenHashes.includes(client.tokenHash)) continue;
      this.clients.delete(client);
      client.socket.close(4001, 'the session has ended; log in again');
      // A client that does not answer the close handshake is cut off all the same.
      setTimeout(() => client.socket.terminate(), 1000).unref();
    }
  }

  /** A command to a device changed state (sent → delivered → answered…): the device's panel follows it. Filtered like device events. */
  private onRpc(e: EventMap['rpc.updated']): void {
    for (const client of this.clients) {
      for (const sub of client.subscriptions.values()) {
        if (sub.topic === 'rpc' && this.sees(client, sub, { regionId: e.regionId, deviceId: e.rpc.deviceId, assetId: null, opdId: e.opdId })) {
          this.send(client, { type: 'rpc', subscription: sub.id, rpc: e.rpc });
        }
      }
    }
  }

  /** A duty roster changed: the command center's "on duty now" reloads. */
  private onDuty(e: EventMap['duty.changed']): void {
    for (const client of this.clients) {
      if (e.regionId !== client.principal.regionId) continue;
      for (const sub of client.subscriptions.values()) {
        if (sub.topic === 'duty' && (sub.filter.opdId === undefined || sub.filter.opdId === e.opdId)) this.send(client, { type: 'duty', subscription: sub.id, opdId: e.opdId });
      }
    }
  }

  private send(client: Client, message: unknown): void {
    this.sendRaw(client, JSON.stringify(message));
  }

  /** Sends, or disconnects a client that cannot keep up rather than buffering for it without bound. */
  private sendRaw(client: Client, text: string): void {
    const socket = client.socket;
    if (socket.readyState !== socket.OPEN) return;
    // While corked, this turn's own frames count as buffered: the check waits for the uncork.
    if (!this.corked.has(client) && this.tooSlow(client)) return;
    // Frames sent in the same turn of the event loop leave in one write, not one system call each.
    const raw = (socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    if (raw && !this.corked.has(client)) {
      raw.cork();
      this.corked.add(client);
      if (!this.uncorkScheduled) {
        this.uncorkScheduled = true;
        setImmediate(() => this.uncorkAll());
      }
    }
    socket.send(text);
  }

  private readonly corked = new Set<Client>();
  private uncorkScheduled = false;

  private uncorkAll(): void {
    this.uncorkScheduled = false;
    const clients = [...this.corked];
    this.corked.clear();
    for (const client of clients) {
      (client.socket as unknown as { _socket?: { uncork(): void } })._socket?.uncork();
      this.tooSlow(client);
    }
  }

  /** Disconnects a client whose unsent data has grown past the limit, rather than buffering for it without bound. */
  private tooSlow(client: Client): boolean {
    const socket = client.socket;
    if (socket.bufferedAmount <= this.options.maxBufferedBytes) return false;
    this.clients.delete(client);
    socket.close(4008, 'too slow: messages were not read fast enough');
    // A client that reads nothing never finishes the closing handshake either.
    setTimeout(() => socket.terminate(), 1000).unref();
    return true;
  }
}
