import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { textProblem } from '../../core/input.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { DevicesRepository, DeviceRow } from './devices.repository.ts';
import type { DeviceRef } from './devices.service.ts';

/**
 * What one gateway may name. A gateway is one connection that speaks for many
 * devices: without these bounds one message could create devices without end.
 */
export interface GatewayLimits {
  /** distinct devices one message (telemetry, attributes) may name; past it the whole message is refused */
  devicesPerMessage: number;
  /** devices one gateway may have behind it; a message that would create more is refused whole */
  devicesPerGateway: number;
}
export const GATEWAY_LIMITS: GatewayLimits = { devicesPerMessage: 1000, devicesPerGateway: 10_000 };
/** Longest device name a gateway may give, in characters (as for devices made by hand). */
export const MAX_SUB_DEVICE_NAME = 200;
/** Entries the name cache keeps over all gateways before it starts again (memory stays bounded). */
const CACHE_ENTRIES = 100_000;

function invalid(message: string): never {
  throw new AppError('GATEWAY_MESSAGE_INVALID', message);
}

/** A device name as a gateway sends it: a string of 1–200 characters that can be stored on both databases. */
export function checkSubDeviceName(name: unknown, where: string): string {
  if (typeof name !== 'string' || name.length === 0) invalid(`${where}: the device name must be a non-empty string`);
  if (name.length > MAX_SUB_DEVICE_NAME) invalid(`${where}: the device name "${name.slice(0, 40)}…" is longer than ${MAX_SUB_DEVICE_NAME} characters`);
  const problem = textProblem(name);
  if (problem) invalid(`${where}: the device name ${problem}`);
  return name;
}

/** What a gateway's device is known by: its gateway and the name the gateway gives it. */
export interface SubDeviceAddress {
  gatewayId: string;
  name: string;
}

/**
 * The devices behind gateways: found by (gateway, name), created on first
 * sight under the gateway's region and OPD, with no token of their own. A
 * name never reaches a device of another gateway or a direct device.
 */
export class GatewayDevices {
  /** gateway id → name → device, for the devices seen since start */
  private readonly known = new Map<string, Map<string, DeviceRef>>();
  private cached = 0;

  private readonly repo: DevicesRepository;
  private readonly clock: Clock;
  readonly limits: GatewayLimits;
  constructor(repo: DevicesRepository, bus: EventBus, clock: Clock, limits: Partial<GatewayLimits> = {}) {
    this.repo = repo;
    this.clock = clock;
    this.limits = { ...GATEWAY_LIMITS, ...limits };
    // A deleted or changed device (type, OPD) is read again; a deleted gateway takes its names with it.
    const forget = ({ deviceId }: { deviceId: string }) => this.forget(deviceId);
    bus.subscribe('device.deleted', forget);
    bus.subscribe('device.updated', forget);
  }

  /** Refuses a device that is not flagged as a gateway. */
  assertGateway(gateway: DeviceRef): void {
    if (!gateway.isGateway) throw new AppError('FORBIDDEN', 'this device is not a gateway: an admin must mark it as one (isGateway) before it may use v1/gateway/*');
  }

  /**
   * The devices behind `gateway` with these names (name → type to create it
   * with, undefined for the gateway's own type). With `create`, the missing
   * ones are made, all in one statement, once the bounds are checked; without,
   * unknown names are left out of the answer.
   */
  async resolve(gateway: DeviceRef, wanted: Map<string, string | undefined>, create: boolean): Promise<Map<string, DeviceRef>> {
    this.assertGateway(gateway);
    if (wanted.size > this.limits.devicesPerMessage) {
      invalid(`a message may name at most ${this.limits.devicesPerMessage} devices; this one names ${wanted.size}`);
    }
    const out = new Map<string, DeviceRef>();
    const mine = this.known.get(gateway.id);
    let missing: string[] = [];
    for (const name of wanted.keys()) {
      const ref = mine?.get(name);
      if (ref) out.set(name, ref);
      else missing.push(name);
    }
    if (missing.length > 0) {
      for (const ref of await this.load(gateway.id, missing)) out.set(ref.name, ref);
      missing = missing.filter((name) => !out.has(name));
    }
    if (missing.length > 0 && create) {
      const count = await this.repo.countSubDevices(gateway.id);
      if (count + missing.length > this.limits.devicesPerGateway) {
        invalid(`a gateway may have at most ${this.limits.devicesPerGateway} devices; this one has ${count} and the message would add ${missing.length}`);
      }
      const now = this.clock.now();
      const rows: DeviceRow[] = missing.map((name) => ({
        id: newId(),
        region_id: gateway.regionId,
        opd_id: gateway.opdId,
        asset_id: null,
        name,
        type: wanted.get(name) ?? gateway.type,
        label: null,
        token_hash: null,
        token_hint: null,
        last_activity_at: null,
        online: null,
        status_changed_at: null,
        created_at: now,
        updated_at: now,
        is_gateway: 0,
        gateway_id: gateway.id,
      }));
      await this.repo.insertSubDevices(rows);
      // Read back: a name that another message (or instance) created meanwhile keeps that device.
      for (const ref of await this.load(gateway.id, missing)) out.set(ref.name, ref);
    }
    return out;
  }

  /** The gateway and name of a device behind a gateway, or null for a device that connects itself. */
  async addressOf(deviceId: string): Promise<SubDeviceAddress | null> {
    const row = await this.repo.gatewayOf(deviceId);
    return row?.gateway_id ? { gatewayId: row.gateway_id, name: row.name } : null;
  }

  /** The ids of the devices behind the gateway (at most the limit a gateway may have). */
  async idsBehind(gatewayId: string): Promise<string[]> {
    return this.repo.subDeviceIds(gatewayId, this.limits.devicesPerGateway);
  }

  private async load(gatewayId: string, names: string[]): Promise<(DeviceRef & { name: string })[]> {
    const out: (DeviceRef & { name: string })[] = [];
    for (let i = 0; i < names.length; i += 500) {
      for (const r of await this.repo.subDevices(gatewayId, names.slice(i, i + 500))) {
        const ref: DeviceRef & { name: string } = { id: r.id, regionId: r.region_id, opdId: r.opd_id, assetId: r.asset_id, type: r.type, assetType: r.asset_type, name: r.name };
        out.push(ref);
        this.remember(gatewayId, r.name, { id: r.id, regionId: r.region_id, opdId: r.opd_id, assetId: r.asset_id, type: r.type, assetType: r.asset_type });
      }
    }
    return out;
  }

  private remember(gatewayId: string, name: string, ref: DeviceRef): void {
    if (this.cached >= CACHE_ENTRIES) {
      this.known.clear();
      this.cached = 0;
    }
    let names = this.known.get(gatewayId);
    if (!names) this.known.set(gatewayId, (names = new Map()));
    if (!names.has(name)) this.cached++;
    names.set(name, ref);
  }

  private forget(deviceId: string): void {
    const own = this.known.get(deviceId);
    if (own) {
      this.cached -= own.size;
      this.known.delete(deviceId);
    }
    for (const names of this.known.values()) {
      for (const [name, ref] of names) {
        if (ref.id === deviceId) {
          names.delete(name);
          this.cached--;
        }
      }
    }
  }
}
