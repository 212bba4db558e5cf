import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import { MAX_RPC_BODY_BYTES, type DeviceRpcRequest, type Rpc, type RpcState } from './rpc.contract.ts';
import { RpcPolls } from './rpc.polls.ts';
import { toRpc } from './rpc.record.ts';
import type { RpcRepository, RpcRow } from './rpc.repository.ts';

/**
 * A way to reach connected devices: the MQTT broker (embedded or external),
 * directly or through the gateway a device is behind. Consumer-owned, so the
 * rpc module depends neither on the broker's adapter nor on gateways.
 */
export interface RpcTransport {
  /**
   * Writes the call to the device's open session (or its gateway's); false
   * when there is none that takes calls. May look the route up first (async).
   */
  sendRpc(deviceId: string, request: DeviceRpcRequest): boolean | Promise<boolean>;
}

/** The device a message came from, as the device API knows it once its token is checked. */
export interface RpcDevice {
  id: string;
  regionId: string;
}

export interface RpcLog {
  info(detail: Record<string, unknown>, message: string): void;
  warn(detail: Record<string, unknown>, message: string): void;
}

/** Queued calls handed over at once when a device connects (no more can wait for one device: MAX_QUEUED_PER_DEVICE). */
const DELIVER_BATCH = 100;
/** Devices looked up in one query when many become reachable at once (a gateway's). */
const DEVICES_PER_QUERY = 500;

const WAITING: readonly RpcState[] = ['sent', 'delivered'];

/**
 * The life of a call once it exists: handed to the device (MQTT session or
 * HTTP long poll), delivered (PUBACK, or the poll took it), answered, timed
 * out or expired. Every change is a guarded transition in the database (of an
 * answer and a timeout racing, one wins) and an `rpc.updated` event.
 */
export class RpcDelivery {
  readonly polls: RpcPolls;
  private transport: RpcTransport | null = null;

  private readonly repo: RpcRepository;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  private readonly log: RpcLog;
  constructor(repo: RpcRepository, bus: EventBus, clock: Clock, log: RpcLog, options: { maxPolls: number }) {
    this.repo = repo;
    this.bus = bus;
    this.clock = clock;
    this.log = log;
    this.polls = new RpcPolls(options.maxPolls);
  }

  /** The broker, once it runs (null: none, devices take calls over HTTP only). */
  useTransport(transport: RpcTransport | null): void {
    this.transport = transport;
  }

  /** Publishes the call's current state to the bus (the stream, waiting REST calls, other instances). */
  async publish(id: string): Promise<Rpc | null> {
    const row = await this.repo.byId(id);
    if (!row) return null;
    const rpc = toRpc(row);
    this.bus.publish('rpc.updated', { regionId: row.region_id, opdId: row.opd_id, rpc });
    return rpc;
  }

  /**
   * Hands a queued call to the device if it is reachable now: to its waiting
   * HTTP poll, else to its MQTT session. False: it stays queued.
   */
  async dispatch(row: RpcRow): Promise<boolean> {
    const request: DeviceRpcRequest = { id: Number(row.request_id), method: row.method, params: JSON.parse(row.params) as unknown };
    const now = this.clock.now();
    const deadline = now + Number(row.timeout_ms);
    if (this.polls.has(row.device_id)) {
      // A poll that takes the call has delivered it: the answer to the HTTP request is the call.
      const to: RpcState = row.oneway === 1 ? 'successful' : 'delivered';
      if (await this.repo.transition(row.id, ['queued'], to, { sent_at: now, delivered_at: now, deadline_at: deadline })) {
        if (this.polls.hand(row.device_id, request)) {
          await this.publish(row.id);
          return true;
        }
        await this.repo.transition(row.id, [to], 'queued', { sent_at: null, delivered_at: null, deadline_at: null });
      }
    }
    if (!this.transport) return false;
    // Sent before it is written: an answer may come back before this await would have finished.
    if (!(await this.repo.transition(row.id, ['queued'], 'sent', { sent_at: now, deadline_at: deadline }))) return false;
    let sent = false;
    try {
      sent = await this.transport.sendRpc(row.device_id, request);
    } finally {
      // Not handed over (no session, or the route could not be read): it waits in the queue again.
      if (!sent) await this.repo.transition(row.id, ['sent'], 'queued', { sent_at: null, deadline_at: null });
    }
    if (!sent) return false;
    await this.publish(row.id);
    return true;
  }

  /** The device can take calls now (subscribed, or heard from on an external broker): its queued calls go out. */
  async deviceReady(device: RpcDevice): Promise<void> {
    for (const row of await this.repo.queuedOf(device.id, this.clock.now(), DELIVER_BATCH)) {
      if (!(await this.dispatch(row))) break;
    }
  }

  /**
   * Many devices can take calls now (those behind a gateway that connected):
   * their queued calls go out, oldest first, until one cannot be handed over
   * (the session is gone again). Bounded by what may be queued: at most
   * MAX_QUEUED_PER_DEVICE per device, read DELIVER_BATCH at a time.
   */
  async devicesReady(deviceIds: readonly string[]): Promise<void> {
    for (let i = 0; i < deviceIds.length; i += DEVICES_PER_QUERY) {
      const ids = deviceIds.slice(i, i + DEVICES_PER_QUERY);
      for (;;) {
        const rows = await this.repo.queuedOfAny(ids, this.clock.now(), DELIVER_BATCH);
        for (const row of rows) {
          if (await this.dispatch(row)) continue;
          // Taken meanwhile (sent by its own request, expired): the others still go; still queued: the session is gone.
          if ((await this.repo.byId(row.id))?.state === 'queued') return;
        }
        if (rows.length < DELIVER_BATCH) break;
      }
    }
  }

  /** The device acknowledged the call (MQTT PUBACK). */
  async delivered(deviceId: string, requestId: number): Promise<void> {
    const row = await this.repo.byRequestId(deviceId, requestId);
    if (!row || row.state !== 'sent') return;
    const now = this.clock.now();
    // A one-way call has nothing more to wait for.
    const to: RpcState = row.oneway === 1 ? 'successful' : 'delivered';
    if (await this.repo.transition(row.id, ['sent'], to, { delivered_at: now })) await this.publish(row.id);
  }

  /**
   * The device's answer to call `requestId`. False (and logged) for an id it
   * was never sent, one already answered or timed out, or a one-way call: the
   * answer is ignored, the device's session is not touched.
   */
  async answered(device: RpcDevice, requestId: number, response: unknown): Promise<boolean> {
    const row = Number.isSafeInteger(requestId) ? await this.repo.byRequestId(device.id, requestId) : undefined;
    if (!row || row.oneway === 1 || !WAITING.includes(row.state as RpcState)) {
      this.log.warn({ deviceId: device.id, requestId, state: row?.state ?? null }, 'RPC answer ignored: no call of this device waits for an answer with this id');
      return false;
    }
    const now = this.clock.now();
    let text = JSON.stringify(response ?? null);
    let error: string | null = null;
    const bytes = Buffer.byteLength(text);
    if (bytes > MAX_RPC_BODY_BYTES) {
      this.log.warn({ deviceId: device.id, requestId, bytes }, 'RPC answer too large: kept without its content');
      text = 'null';
      error = `the device answered with ${bytes} bytes, more than the ${MAX_RPC_BODY_BYTES} an answer may have; its content was not kept`;
    }
    const changes = { response: text, error, answered_at: now, delivered_at: row.delivered_at ?? now };
    if (!(await this.repo.transition(row.id, WAITING, 'successful', changes))) return false;
    await this.publish(row.id);
    return true;
  }

  /** The answer is overdue (or a one-way call was never acknowledged). */
  async timedOut(id: string): Promise<void> {
    if (await this.repo.transition(id, WAITING, 'timeout', { error: 'the device did not answer in time' })) await this.publish(id);
  }

  /** A queued call whose expiry passed before its device came. */
  async expired(id: string): Promise<void> {
    if (await this.repo.transition(id, ['queued'], 'expired', { error: 'the device did not connect before the call expired' })) await this.publish(id);
  }

  /**
   * The device's HTTP long poll: its oldest queued call at once, else the
   * next one made within `timeoutMs`; null when none came (408).
   */
  async poll(device: RpcDevice, timeoutMs: number, signal: AbortSignal): Promise<DeviceRpcRequest | null> {
    for (const row of await this.repo.queuedOf(device.id, this.clock.now(), 5)) {
      const now = this.clock.now();
      const to: RpcState = row.oneway === 1 ? 'successful' : 'delivered';
      if (await this.repo.transition(row.id, ['queued'], to, { sent_at: now, delivered_at: now, deadline_at: now + Number(row.timeout_ms) })) {
        await this.publish(row.id);
        return { id: Number(row.request_id), method: row.method, params: JSON.parse(row.params) as unknown };
      }
    }
    return this.polls.wait(device.id, timeoutMs, signal);
  }

  close(): void {
    this.polls.close();
  }
}
