/**
 * A command a rule sends (level Awas at a polder → start pump 2): no signed-in
 * person presses it, so this use case checks what `SendRpc.send` checks for
 * one (the device exists and is not revoked, its profile names the method),
 * keeps the call persistent (an offline pump gets it when it reconnects,
 * until the default expiry) and writes an audit entry naming the rule — and
 * the person who confirmed it, when a proposal was confirmed.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { RpcDelivery } from './rpc.delivery.ts';
import type { RpcRepository, RpcRow } from './rpc.repository.ts';
import { DEFAULT_EXPIRY_MS, MAX_QUEUED_PER_DEVICE, type RpcAuditLog, type SendRpc } from './rpc.send.ts';

/** A command of a profile, as the rules module knows it (its label for the alarm's proposal). */
export interface RuleDeviceCommand {
  method: string;
  label: { id: string; en: string };
  params?: unknown;
  input?: { min: number; max: number; step: number; unit: string | null };
  oneway?: boolean;
}

/** Devices of a region without a person's view of them (DevicesService.find fits). */
export interface RuleCommandDevices {
  find(regionId: string, id: string): Promise<{ id: string; name: string; type: string; opdId: string | null; hasToken: boolean; gatewayId: string | null } | null>;
}

/** The profile of a device type (ProfilesService.forType fits): null, the type has none. */
export interface RuleCommandProfiles {
  forType(regionId: string, type: string): Promise<{ commands: RuleDeviceCommand[] } | null>;
}

/** The rule that asks, and the person who confirmed its proposal (absent: the rule sent it on its own). */
export interface RuleRequester {
  kind: 'rule';
  ruleId: string;
  name: string;
  confirmedBy?: { userId: string; name: string; role: string };
}

/** How long a rule's two-way command waits for the device's answer once sent, ms (as a person's default). */
const ANSWER_TIMEOUT_MS = 10_000;

export interface SendRuleCommandDeps {
  repo: RpcRepository;
  delivery: RpcDelivery;
  numbering: Pick<SendRpc, 'insert'>;
  devices: RuleCommandDevices;
  profiles: RuleCommandProfiles;
  audit: RpcAuditLog;
  clock: Clock;
  onAuditError: (error: unknown) => void;
}

/**
 * The command of a profile a call means: with params, the button whose fixed
 * params they are, else a command of that method taking any params (a level);
 * without, the first of that method. Null when none fits.
 */
export function commandFor<C extends { method: string; params?: unknown }>(commands: readonly C[], method: string, params?: unknown): C | null {
  const ofMethod = commands.filter((c) => c.method === method);
  if (params === undefined) return ofMethod[0] ?? null;
  return ofMethod.find((c) => c.params !== undefined && isDeepStrictEqual(c.params, params)) ?? ofMethod.find((c) => c.params === undefined) ?? null;
}

/** The rules module's CommandSender, made of the RPC module. */
export class SendRuleCommand {
  private readonly d: SendRuleCommandDeps;
  constructor(deps: SendRuleCommandDeps) {
    this.d = deps;
  }

  /**
   * The device (its name and OPD) and its profile's command with this method
   * and, where the profile has buttons of the same method (setPower {on:true}
   * *Nyalakan* and {on:false} *Matikan*), these params; null: no such device in
   * the region, or its profile has no such command.
   */
  async commandOf(regionId: string, deviceId: string, method: string, params?: unknown): Promise<{ deviceName: string; opdId: string | null; command: RuleDeviceCommand } | null> {
    const device = await this.d.devices.find(regionId, deviceId);
    if (!device) return null;
    const command = commandFor((await this.d.profiles.forType(regionId, device.type))?.commands ?? [], method, params);
    if (!command) return null;
    return { deviceName: device.name, opdId: device.opdId, command };
  }

  /** Queues the call for the device and sends it at once if it is connected; throws when it is refused (the caller keeps the reason). */
  async send(regionId: string, deviceId: string, call: { method: string; params: unknown }, requestedBy: RuleRequester): Promise<void> {
    const device = await this.d.devices.find(regionId, deviceId);
    let status = 200;
    let rpcId: string | null = null;
    let oneway = false;
    try {
      if (!device) throw new AppError('DEVICE_NOT_FOUND', `no device ${deviceId} in this region`);
      // A device behind a gateway has no token of its own: its gateway takes its calls.
      if (!device.hasToken && !device.gatewayId) throw new AppError('DEVICE_REVOKED', 'the device has no access token (it was revoked): it cannot connect to take a command');
      const profile = await this.d.profiles.forType(regionId, device.type);
      const command = profile?.commands.find((c) => c.method === call.method);
      // As for a person (ProfilesService.allows): a type without a profile takes any method.
      if (profile && !command) {
        throw new AppError('RPC_METHOD_NOT_ALLOWED', `devices of type "${device.type}" do not accept the command "${call.method}" (see the type's device profile)`);
      }
      oneway = command?.oneway ?? false;
      if ((await this.d.repo.countQueued(device.id)) >= MAX_QUEUED_PER_DEVICE) {
        throw new AppError('RATE_LIMITED', `${MAX_QUEUED_PER_DEVICE} commands wait for this device already; let it connect, or let them expire`);
      }
      const now = this.d.clock.now();
      const row: RpcRow = {
        id: newId(),
        region_id: regionId,
        device_id: device.id,
        opd_id: device.opdId,
        request_id: 0,
        method: call.method,
        params: JSON.stringify(call.params ?? {}),
        oneway: oneway ? 1 : 0,
        persistent: 1,
        state: 'queued',
        timeout_ms: ANSWER_TIMEOUT_MS,
        response: null,
        error: null,
        requested_by: JSON.stringify(requestedBy),
        created_at: now,
        sent_at: null,
        delivered_at: null,
        answered_at: null,
        deadline_at: null,
        expires_at: now + DEFAULT_EXPIRY_MS,
      };
      rpcId = row.id;
      await this.d.numbering.insert(row);
      // Offline: it waits, queued, for the device to connect (RpcDelivery.deviceReady).
      if (!(await this.d.delivery.dispatch(row))) await this.d.delivery.publish(row.id);
    } catch (error) {
      status = error instanceof AppError ? error.status : 500;
      throw error;
    } finally {
      const by = requestedBy.confirmedBy;
      await this.d.audit
        .record({
          regionId,
          userId: by?.userId ?? `rule:${requestedBy.ruleId}`,
          userName: by ? `${by.name} (${requestedBy.name})` : requestedBy.name,
          userRole: by?.role ?? 'rule',
          entity: 'device',
          entityId: deviceId,
          entityLabel: device?.name ?? null,
          action: 'rpc',
          method: 'POST',
          route: by ? '/api/v1/rule-commands/:id/confirm' : 'rule',
          status,
          before: null,
          after: { rpcId, method: call.method, params: call.params ?? {}, oneway, persistent: true, rule: { id: requestedBy.ruleId, name: requestedBy.name }, confirmedBy: by?.name ?? null },
          ip: null,
        })
        .catch(this.d.onAuditError);
    }
  }
}
