import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { hashToken, newId, newSecretToken } from '../../core/ids.ts';
import { decodeCursor, toPage, type Page } from '../../core/paging.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { AssetsService } from '../assets/index.ts';
import { requireRole, type IdentityService, type Principal } from '../identity/index.ts';
import { assertStorableText } from '../../core/input.ts';
import type { Device } from './devices.contract.ts';
import type { DeviceFilter, DeviceRow, DevicesRepository } from './devices.repository.ts';

export type { Device } from './devices.contract.ts';

/** What devices need of profiles: the profile of a type (its id, for the device's page). */
export interface ProfileLookup {
  forType(regionId: string, type: string): Promise<{ id: string } | null>;
}

/** One device of an import, checked: created with the others or not at all. */
export interface NewDevice {
  name: string;
  type: string;
  label: string | null;
  assetId: string | null;
  opdId: string | null;
}

/** What the ingest path knows of a device once its token is checked. */
export interface DeviceRef {
  id: string;
  regionId: string;
  opdId: string | null;
  assetId: string | null;
  /** the device's type, and its asset's: what rules target */
  type: string;
  assetType: string | null;
  /** may use the gateway API (v1/gateway/*); absent: false */
  isGateway?: boolean;
}

const toRef = (r: { id: string; region_id: string; opd_id: string | null; asset_id: string | null; type: string; asset_type: string | null; is_gateway?: number }): DeviceRef => ({
  id: r.id,
  regionId: r.region_id,
  opdId: r.opd_id,
  assetId: r.asset_id,
  type: r.type,
  assetType: r.asset_type,
  ...(r.is_gateway === 1 && { isGateway: true }),
});

export type AttributeScope = 'client' | 'shared' | 'server';

const toDevice = (r: DeviceRow): Device => ({
  id: r.id,
  name: r.name,
  type: r.type,
  label: r.label,
  assetId: r.asset_id,
  opdId: r.opd_id,
  hasToken: r.token_hash !== null,
  tokenHint: r.token_hint,
  lastActivityAt: r.last_activity_at,
  online: r.online === null ? null : r.online === 1,
  statusChangedAt: r.status_changed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  isGateway: r.is_gateway === 1,
  gatewayId: r.gateway_id,
});

/** A token lookup is cached this long; revoking on this instance drops it at once. */
const TOKEN_CACHE_MS = 30_000;

export class DevicesService {
  private readonly tokenCache = new Map<string, { ref: DeviceRef; cachedAt: number }>();

  private readonly repo: DevicesRepository;
  private readonly assets: AssetsService;
  private readonly identity: IdentityService;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  private readonly profiles: ProfileLookup | null;
  constructor(repo: DevicesRepository, assets: AssetsService, identity: IdentityService, bus: EventBus, clock: Clock, profiles: ProfileLookup | null = null) {
    this.profiles = profiles;
    this.repo = repo;
    this.assets = assets;
    this.identity = identity;
    this.bus = bus;
    this.clock = clock;
    bus.subscribe('device.credentials.changed', ({ deviceId }) => this.forgetToken(deviceId));
    bus.subscribe('device.updated', ({ deviceId }) => this.forgetToken(deviceId));
  }

  /** Read-only, for the master plan's live KPIs (no principal: the region's aggregate, no device detail). */
  onlineCount(regionId: string, filter: { assetType?: string; deviceType?: string } = {}): Promise<{ total: number; online: number }> {
    return this.repo.onlineCount(regionId, filter);
  }

  async list(p: Principal, filter: DeviceFilter, limit: number, cursor?: string): Promise<Page<Device>> {
    return toPage(await this.repo.list(p.regionId, filter, limit, decodeCursor(cursor)), limit, toDevice);
  }

  async get(p: Principal, id: string): Promise<Device> {
    const row = await this.row(p.regionId, id);
    if (!this.profiles) return toDevice(row);
    return { ...toDevice(row), profileId: (await this.profiles.forType(p.regionId, row.type))?.id ?? null };
  }

  /** The device, or null: for a use case acting for no signed-in person (a rule's command), which decides itself who may. */
  async find(regionId: string, id: string): Promise<Device | null> {
    const row = await this.repo.find(regionId, id);
    return row ? toDevice(row) : null;
  }

  /** Whether a device of this name exists in the region (provisioning refuses a name that does, as ThingsBoard does). */
  async nameTaken(regionId: string, name: string): Promise<boolean> {
    return (await this.repo.namesTaken(regionId, [name])).length > 0;
  }

  /** Of these names, those a device of the region has already. */
  namesTaken(regionId: string, names: string[]): Promise<string[]> {
    return this.repo.namesTaken(regionId, names);
  }

  /** A device that provisioned itself with its profile's key and secret (no person made it); returns its access token. */
  async createProvisioned(regionId: string, input: { name: string; type: string; opdId: string | null }): Promise<string> {
    assertStorableText(input.name, 'deviceName');
    const token = newSecretToken();
    await this.repo.insert(this.newRow(regionId, { name: input.name, type: input.type, label: null, assetId: null, opdId: input.opdId }, token));
    return token;
  }

  /** The owner a new device of this principal gets (the checks of create()), for an import to check each line before creating any. */
  ownerOfNew(p: Principal, assetId: string | null, opdId: string | null): Promise<string | null> {
    requireRole(p, 'admin', 'operator');
    return this.ownerFor(p, assetId, opdId);
  }

  /** Devices already checked (ownerOfNew), all in one transaction; each with its access token, shown this once. */
  async createMany(p: Principal, inputs: NewDevice[]): Promise<(Device & { accessToken: string })[]> {
    requireRole(p, 'admin', 'operator');
    const made = inputs.map((input) => {
      const token = newSecretToken();
      return { row: this.newRow(p.regionId, input, token), token };
    });
    await this.repo.insertMany(made.map((m) => m.row));
    return made.map((m) => ({ ...toDevice(m.row), accessToken: m.token }));
  }

  private newRow(regionId: string, input: NewDevice, token: string): DeviceRow {
    const now = this.clock.now();
    return {
      id: newId(),
      region_id: regionId,
      opd_id: input.opdId,
      asset_id: input.assetId,
      name: input.name.trim(),
      type: input.type,
      label: input.label,
      token_hash: hashToken(token),
      token_hint: token.slice(-4),
      last_activity_at: null,
      online: null,
      status_changed_at: null,
      is_gateway: 0,
      gateway_id: null,
      created_at: now,
      updated_at: now,
    };
  }

  /** Checks the device is in the caller's region (any role may read). */
  async assertReadable(p: Principal, id: string): Promise<void> {
    await this.row(p.regionId, id);
  }

  /** Facts of the devices with these ids in the region (unknown ids are left out). */
  async refs(regionId: string, ids: string[]): Promise<DeviceRef[]> {
    if (ids.length === 0) return [];
    return (await this.repo.refs(regionId, ids)).map(toRef);
  }

  async create(p: Principal, input: { name: string; type?: string; label?: string | null; assetId?: string | null; opdId?: string | null; isGateway?: boolean }): Promise<Device & { accessToken: string }> {
    requireRole(p, 'admin', 'operator');
    const assetId = input.assetId ?? null;
    const opdId = await this.ownerFor(p, assetId, input.opdId ?? null);
    const token = newSecretToken();
    const now = this.clock.now();
    const row: DeviceRow = {
      id: newId(),
      region_id: p.regionId,
      opd_id: opdId,
      asset_id: assetId,
      name: input.name.trim(),
      type: input.type ?? 'default',
      label: input.label ?? null,
      token_hash: hashToken(token),
      token_hint: token.slice(-4),
      last_activity_at: null,
      online: null,
      status_changed_at: null,
      created_at: now,
      updated_at: now,
      is_gateway: input.isGateway ? 1 : 0,
      gateway_id: null,
    };
    await this.repo.insert(row);
    return { ...toDevice(row), accessToken: token };
  }

  async update(p: Principal, id: string, patch: { name?: string; type?: string; label?: string | null; assetId?: string | null; opdId?: string | null; isGateway?: boolean }): Promise<Device> {
    const row = await this.writable(p, id);
    const changes: Partial<DeviceRow> = { updated_at: this.clock.now() };
    if (patch.isGateway !== undefined) {
      // A device behind a gateway has no token of its own: it cannot connect, so it cannot be a gateway.
      if (patch.isGateway && row.gateway_id !== null) throw new AppError('VALIDATION_FAILED', 'a device behind a gateway cannot itself be a gateway');
      changes.is_gateway = patch.isGateway ? 1 : 0;
    }
    if (patch.name !== undefined && row.gateway_id !== null && patch.name.trim() !== row.name) {
      // Its gateway names it in every message: a new name would make the gateway create a second device.
      throw new AppError('VALIDATION_FAILED', 'a device behind a gateway keeps the name its gateway gives it; set a label instead');
    }
    if (patch.name !== undefined) changes.name = patch.name.trim();
    if (patch.type !== undefined) changes.type = patch.type;
    if (patch.label !== undefined) changes.label = patch.label;
    if (patch.assetId !== undefined || patch.opdId !== undefined) {
      const assetId = patch.assetId !== undefined ? patch.assetId : row.asset_id;
      changes.asset_id = assetId;
      changes.opd_id = await this.ownerFor(p, assetId, patch.opdId !== undefined ? patch.opdId : row.opd_id);
    }
    await this.repo.update(p.regionId, id, changes);
    this.bus.publish('device.updated', { regionId: p.regionId, deviceId: id });
    return this.get(p, id);
  }

  async delete(p: Principal, id: string): Promise<void> {
    await this.writable(p, id);
    await this.repo.delete(p.regionId, id);
    this.bus.publish('device.credentials.changed', { regionId: p.regionId, deviceId: id });
    this.bus.publish('device.deleted', { regionId: p.regionId, deviceId: id });
  }

  /** A new token; the old one stops working at once and open MQTT sessions are closed. */
  async regenerateToken(p: Principal, id: string): Promise<{ accessToken: string; tokenHint: string }> {
    const row = await this.writable(p, id);
    // Its gateway speaks for it: a token would let a second sender pose as the same meter.
    if (row.gateway_id !== null) throw new AppError('VALIDATION_FAILED', 'a device behind a gateway has no access token of its own; its gateway sends for it');
    const token = newSecretToken();
    await this.repo.update(p.regionId, id, { token_hash: hashToken(token), token_hint: token.slice(-4), updated_at: this.clock.now() });
    this.bus.publish('device.credentials.changed', { regionId: p.regionId, deviceId: id });
    return { accessToken: token, tokenHint: token.slice(-4) };
  }

  async revokeToken(p: Principal, id: string): Promise<void> {
    await this.writable(p, id);
    await this.repo.update(p.regionId, id, { token_hash: null, token_hint: null, updated_at: this.clock.now() });
    this.bus.publish('device.credentials.changed', { regionId: p.regionId, deviceId: id });
  }

  /** The device behind an access token, or null for an unknown or revoked one. */
  async resolveToken(token: string): Promise<DeviceRef | null> {
    if (token.length === 0 || token.length > 256) return null;
    const tokenHash = hashToken(token);
    const now = this.clock.now();
    const cached = this.tokenCache.get(tokenHash);
    if (cached && now - cached.cachedAt < TOKEN_CACHE_MS) return cached.ref;
    const row = await this.repo.findByTokenHash(tokenHash);
    if (!row) {
      this.tokenCache.delete(tokenHash);
      return null;
    }
    const ref = toRef(row);
    if (this.tokenCache.size > 100_000) this.tokenCache.clear();
    this.tokenCache.set(tokenHash, { ref, cachedAt: now });
    return ref;
  }

  // Attributes

  async attributes(p: Principal, id: string, scope?: AttributeScope): Promise<Record<AttributeScope, Record<string, { value: unknown; updatedAt: number }>>> {
    await this.row(p.regionId, id);
    const out: Record<AttributeScope, Record<string, { value: unknown; updatedAt: number }>> = { client: {}, shared: {}, server: {} };
    for (const row of await this.repo.listAttributes(id, scope)) out[row.scope][row.key] = { value: JSON.parse(row.value), updatedAt: row.updated_at };
    return out;
  }

  /** Shared attributes are set by the platform for the device to read; server attributes stay on the platform. */
  async setAttributes(p: Principal, id: string, scope: 'shared' | 'server', values: Record<string, unknown>): Promise<void> {
    await this.writable(p, id);
    await this.repo.upsertAttributes(p.regionId, id, scope, values, this.clock.now());
    this.bus.publish('attributes.updated', { regionId: p.regionId, deviceId: id, scope, values });
  }

  async deleteAttributes(p: Principal, id: string, scope: 'shared' | 'server', keys: string[]): Promise<void> {
    await this.writable(p, id);
    await this.repo.deleteAttributes(id, scope, keys);
    this.bus.publish('attributes.deleted', { regionId: p.regionId, deviceId: id, scope, keys });
  }

  /** Client attributes sent by the device itself, already validated by the ingest path. */
  async storeClientAttributes(device: DeviceRef, values: Record<string, unknown>): Promise<void> {
    await this.repo.upsertAttributes(device.regionId, device.id, 'client', values, this.clock.now());
    this.bus.publish('attributes.updated', { regionId: device.regionId, deviceId: device.id, scope: 'client', values });
  }

  /** What a device asks for with `clientKeys` and `sharedKeys` (all of a scope when its list is absent). */
  async attributesForDevice(device: DeviceRef, clientKeys?: string[], sharedKeys?: string[]): Promise<{ client: Record<string, unknown>; shared: Record<string, unknown> }> {
    const out = { client: {} as Record<string, unknown>, shared: {} as Record<string, unknown> };
    const wantsBoth = clientKeys === undefined && sharedKeys === undefined;
    if (wantsBoth || clientKeys !== undefined) {
      for (const row of await this.repo.listAttributes(device.id, 'client', clientKeys)) out.client[row.key] = JSON.parse(row.value);
    }
    if (wantsBoth || sharedKeys !== undefined) {
      for (const row of await this.repo.listAttributes(device.id, 'shared', sharedKeys)) out.shared[row.key] = JSON.parse(row.value);
    }
    return out;
  }

  private forgetToken(deviceId: string): void {
    for (const [hash, entry] of this.tokenCache) if (entry.ref.id === deviceId) this.tokenCache.delete(hash);
  }

  private async row(regionId: string, id: string): Promise<DeviceRow> {
    const row = await this.repo.find(regionId, id);
    if (!row) throw new AppError('DEVICE_NOT_FOUND', `no device ${id} in this region`);
    return row;
  }

  /** Admins change any device; operators only their own OPD's. */
  private async writable(p: Principal, id: string): Promise<DeviceRow> {
    requireRole(p, 'admin', 'operator');
    const row = await this.row(p.regionId, id);
    if (p.role === 'operator' && row.opd_id !== p.opdId) throw new AppError('FORBIDDEN', 'this device belongs to another OPD');
    return row;
  }

  /** A device belongs to the OPD of its asset; without an asset, to the OPD given (an operator's own). */
  private async ownerFor(p: Principal, assetId: string | null, opdId: string | null): Promise<string | null> {
    // An operator naming another OPD is refused, not quietly given a device of their own.
    if (p.role === 'operator' && opdId !== null && opdId !== p.opdId) throw new AppError('FORBIDDEN', 'an operator can only create devices for their own OPD');
    let owner = opdId;
    if (assetId !== null) owner = await this.assets.ownerOf(p.regionId, assetId);
    else if (p.role === 'operator') owner = p.opdId;
    else if (owner !== null) await this.identity.assertOpd(p.regionId, owner);
    if (p.role === 'operator' && owner !== p.opdId) throw new AppError('FORBIDDEN', "an operator can only bind devices to their own OPD's assets");
    return owner;
  }
}
