import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import { requireRole, type Principal } from '../identity/index.ts';
import { MAX_RPC_BODY_BYTES, type Rpc, type RpcAccepted, type SendRpcBody } from './rpc.contract.ts';
import type { RpcDelivery } from './rpc.delivery.ts';
import { toRpc } from './rpc.record.ts';
import type { RpcRepository, RpcRow } from './rpc.repository.ts';

/**
 * Whether a device type accepts a command, as its device profile says.
 * Consumer-owned: the profiles module implements it. null: the type has no
 * profile (or the profile names no commands), and every method is allowed.
 */
export interface AllowedCommands {
  allows(regionId: string, deviceType: string, method: string): Promise<boolean | null>;
  /** Why `params` do not suit the command (a level out of the profile's range), or null. */
  paramsProblem?(regionId: string, deviceType: string, method: string, params: unknown): Promise<string | null>;
}

/** The device as the caller may see it (DevicesService.get fits). */
export interface RpcDevices {
  /** `gatewayId`: the gateway the device is behind (it has no token of its own; its gateway takes its calls), or null. */
  get(p: Principal, id: string): Promise<{ id: string; name: string; type: string; opdId: string | null; hasToken: boolean; gatewayId: string | null }>;
}

/** Who pressed what, when: one audit entry per call, whatever came of it. */
export interface RpcAuditLog {
  record(entry: {
    regionId: string; userId: string; userName: string; userRole: string; entity: string; entityId: string | null; entityLabel: string | null;
    action: string; method: string; route: string; status: number; before: Record<string, unknown> | null; after: Record<string, unknown> | null; ip: string | null;
  }): Promise<void>;
}

export interface SendRpcDeps {
  repo: RpcRepository;
  delivery: RpcDelivery;
  devices: RpcDevices;
  allowed: AllowedCommands;
  audit: RpcAuditLog;
  /** the person's name as history keeps it */
  nameOf: (p: Principal) => Promise<string>;
  bus: EventBus;
  clock: Clock;
  onAuditError: (error: unknown) => void;
}

/** A persistent call not delivered within this long expires (ThingsBoard's default too), ms. */
export const DEFAULT_EXPIRY_MS = 24 * 3_600_000;
/** The furthest expiry a caller may ask for, ms. */
const MAX_EXPIRY_MS = 30 * 24 * 3_600_000;
/** REST calls waiting for a device's answer at once, over the whole instance. */
const MAX_WAITING = 2000;
/** Persistent calls one device may have waiting for it: all of them go out together when it connects. */
export const MAX_QUEUED_PER_DEVICE = 100;

/** A two-way call answered: the device's answer; or accepted at once (one-way, persistent). */
export type SendOutcome = { kind: 'answered'; rpc: Rpc } | { kind: 'accepted'; accepted: RpcAccepted };

/**
 * An operator presses a command (`POST /devices/{id}/rpc`): checks who may,
 * what the profile allows, makes the call and, for a two-way call that is
 * not persistent, waits for the device's answer.
 */
export class SendRpc {
  private readonly waiters = new Map<string, (rpc: Rpc | null) => void>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastIds = new Map<string, number>();
  private readonly d: SendRpcDeps;
  private readonly unsubscribe: () => void;
  constructor(deps: SendRpcDeps) {
    this.d = deps;
    // From this instance or any other (NATS): the answer may reach another instance's broker.
    this.unsubscribe = deps.bus.subscribe('rpc.updated', ({ rpc }) => {
      if (rpc.state === 'successful' || rpc.state === 'timeout' || rpc.state === 'failed' || rpc.state === 'expired') this.waiters.get(rpc.id)?.(rpc);
    });
  }

  async send(p: Principal, deviceId: string, body: SendRpcBody, ip: string | null): Promise<SendOutcome> {
    requireRole(p, 'admin', 'operator');
    const device = await this.d.devices.get(p, deviceId);
    if (p.role === 'operator' && device.opdId !== p.opdId) throw new AppError('FORBIDDEN', 'this device belongs to another OPD');
    if (!device.hasToken && !device.gatewayId) throw new AppError('DEVICE_REVOKED', 'the device has no access token (it was revoked): it cannot connect to take a command');
    if ((await this.d.allowed.allows(p.regionId, device.type, body.method)) === false) {
      throw new AppError('RPC_METHOD_NOT_ALLOWED', `devices of type "${device.type}" do not accept the command "${body.method}" (see the type's device profile)`);
    }
    const problem = (await this.d.allowed.paramsProblem?.(p.regionId, device.type, body.method, body.params)) ?? null;
    if (problem !== null) throw new AppError('VALIDATION_FAILED', problem);
    const params = JSON.stringify(body.params ?? {});
    if (Buffer.byteLength(params) > MAX_RPC_BODY_BYTES) throw new AppError('VALIDATION_FAILED', `params take ${Buffer.byteLength(params)} bytes of JSON; a command's params may have ${MAX_RPC_BODY_BYTES}`);
    const now = this.d.clock.now();
    const timeout = body.timeout ?? 10_000;
    const oneway = body.oneway ?? false;
    const persistent = body.persistent ?? false;
    const expiresAt = persistent ? body.expirationTime ?? now + DEFAULT_EXPIRY_MS : now + timeout;
    if (expiresAt <= now) throw new AppError('VALIDATION_FAILED', 'expirationTime is in the past');
    if (expiresAt > now + MAX_EXPIRY_MS) throw new AppError('VALIDATION_FAILED', 'expirationTime is more than 30 days ahead');
    const waits = !oneway && !persistent;
    if (waits && this.waiters.size >= MAX_WAITING) throw new AppError('RATE_LIMITED', 'too many commands are waiting for an answer; try again shortly');

    if (persistent && (await this.d.repo.countQueued(device.id)) >= MAX_QUEUED_PER_DEVICE) {
      throw new AppError('RATE_LIMITED', `${MAX_QUEUED_PER_DEVICE} commands wait for this device already; let it connect, or let them expire`);
    }
    const userName = await this.d.nameOf(p);
    const row: RpcRow = {
      id: newId(),
      region_id: p.regionId,
      device_id: device.id,
      opd_id: device.opdId,
      request_id: 0,
      method: body.method,
      params,
      oneway: oneway ? 1 : 0,
      persistent: persistent ? 1 : 0,
      state: 'queued',
      timeout_ms: timeout,
      response: null,
      error: null,
      requested_by: JSON.stringify({ kind: 'user', userId: p.userId, name: userName }),
      created_at: now,
      sent_at: null,
      delivered_at: null,
      answered_at: null,
      deadline_at: null,
      expires_at: expiresAt,
    };
    await this.insert(row);

    let status = 200;
    try {
      const answered = waits ? this.waitFor(row.id, timeout) : null;
      const sent = await this.d.delivery.dispatch(row);
      if (!sent && !persistent) {
        this.stopWaiting(row.id);
        await this.d.repo.transition(row.id, ['queued'], 'failed', { error: 'the device is not connected' });
        await this.d.delivery.publish(row.id);
        status = 409;
        throw new AppError('DEVICE_OFFLINE', 'the device is not connected now; send the command as persistent to have it delivered when it connects', { rpcId: row.id });
      }
      if (!sent) await this.d.delivery.publish(row.id);
      if (!answered) {
        const state = (await this.d.repo.byId(row.id))?.state ?? row.state;
        return { kind: 'accepted', accepted: { rpcId: row.id, state: state as RpcAccepted['state'] } };
      }
      // null: the timeout passed without the final event (lost on the bus, or the database failed): the row decides.
      const settled = (await answered) ?? (await this.d.repo.byId(row.id).then((r) => (r ? toRpc(r) : null), () => null));
      if (settled?.state !== 'successful') {
        status = 504;
        throw new AppError('RPC_TIMEOUT', `the device did not answer within ${timeout} ms`, { rpcId: row.id, state: settled?.state ?? 'timeout' });
      }
      return { kind: 'answered', rpc: settled };
    } catch (error) {
      if (status === 200) status = error instanceof AppError ? error.status : 500;
      throw error;
    } finally {
      await this.d.audit
        .record({
          regionId: p.regionId, userId: p.userId, userName, userRole: p.role, entity: 'device', entityId: device.id, entityLabel: device.name,
          action: 'rpc', method: 'POST', route: '/api/v1/devices/:id/rpc', status, before: null,
          after: { rpcId: row.id, method: body.method, params: body.params ?? {}, oneway, persistent }, ip,
        })
        .catch(this.d.onAuditError);
    }
  }

  /** Where the allowed commands of each type come from (the device profiles). */
  useAllowedCommands(allowed: AllowedCommands): void {
    this.d.allowed = allowed;
  }

  close(): void {
    this.unsubscribe();
    for (const id of [...this.timers.keys()]) this.stopWaiting(id);
  }

  private stopWaiting(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.waiters.delete(id);
  }

  /**
   * Resolves with the call once final; at its timeout it is made `timeout`
   * (unless the answer won), and the wait ends then whatever happened (null).
   */
  private waitFor(id: string, timeoutMs: number): Promise<Rpc | null> {
    return new Promise((resolve) => {
      const end = () => this.waiters.get(id)?.(null);
      this.timers.set(id, setTimeout(() => void this.d.delivery.timedOut(id).then(end, end), timeoutMs));
      this.waiters.set(id, (rpc) => {
        this.stopWaiting(id);
        resolve(rpc);
      });
    });
  }

  /** Numbers the call within its device (the id the device sees), retrying when another instance took the number; a rule's command (rpc.rule-command.ts) is numbered here too. */
  async insert(row: RpcRow): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const known = this.lastIds.get(row.device_id);
      const last = known ?? (await this.d.repo.lastRequestId(row.device_id));
      const next = Math.max(last, this.lastIds.get(row.device_id) ?? 0) + 1;
      this.lastIds.set(row.device_id, next);
      row.request_id = next;
      try {
        await this.d.repo.insert(row);
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
        this.lastIds.delete(row.device_id);
      }
    }
  }
}
