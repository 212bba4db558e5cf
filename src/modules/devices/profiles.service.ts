import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { hashToken, newId, newSecretToken } from '../../core/ids.ts';
import { requireRole, type IdentityService, type Principal } from '../identity/index.ts';
import type { DeviceProfile, ProfileBody, ProfileCommand, ProfileKey, ProfileWithSecret } from './profiles.contract.ts';
import type { ProfileRow, ProfilesRepository } from './profiles.repository.ts';

/**
 * A profile read for the hot paths (latest values, RPC checks, provisioning) is
 * kept this long; a change on this instance drops it at once, on another
 * instance it shows within this time.
 */
const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;

const toProfile = (r: ProfileRow): DeviceProfile => ({
  id: r.id,
  type: r.type,
  name: JSON.parse(r.name) as DeviceProfile['name'],
  keys: JSON.parse(r.keys) as ProfileKey[],
  commands: JSON.parse(r.commands) as ProfileCommand[],
  offlineTimeoutSeconds: r.offline_timeout_seconds,
  provisionKey: r.provision_key,
  provisionOpdId: r.provision_opd_id,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const isUniqueViolation = (error: unknown) => {
  const code = (error as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
};

/** A profile's keys and commands must each be named once, and every range must have min ≤ max. */
function checkShape(keys: ProfileKey[], commands: ProfileCommand[]): void {
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k.key)) throw new AppError('VALIDATION_FAILED', `the key ${k.key} is listed twice`);
    seen.add(k.key);
    if (k.min !== null && k.max !== null && k.min > k.max) throw new AppError('VALIDATION_FAILED', `the key ${k.key}: min (${k.min}) is above max (${k.max})`);
  }
  const methods = new Set<string>();
  for (const c of commands) {
    if (methods.has(c.method) && c.params === undefined) throw new AppError('VALIDATION_FAILED', `the command ${c.method} is listed twice without params to tell them apart`);
    methods.add(c.method);
    if (c.input && c.input.min > c.input.max) throw new AppError('VALIDATION_FAILED', `the command ${c.method}: min (${c.input.min}) is above max (${c.input.max})`);
  }
}

/**
 * Device profiles: what people read of a device type (labels, units, ranges),
 * what it may be told (commands), when it counts as offline, and how new
 * devices of the type provision themselves. Admins write; everyone signed in reads.
 */
export class ProfilesService {
  private readonly cache = new Map<string, { profile: DeviceProfile | null; at: number }>();
  private readonly repo: ProfilesRepository;
  private readonly identity: IdentityService;
  private readonly clock: Clock;
  constructor(repo: ProfilesRepository, identity: IdentityService, clock: Clock) {
    this.repo = repo;
    this.identity = identity;
    this.clock = clock;
  }

  async list(p: Principal): Promise<DeviceProfile[]> {
    return (await this.repo.list(p.regionId)).map(toProfile);
  }

  async get(p: Principal, id: string): Promise<DeviceProfile> {
    return toProfile(await this.row(p.regionId, id));
  }

  async create(p: Principal, body: ProfileBody): Promise<ProfileWithSecret> {
    requireRole(p, 'admin');
    const keys = body.keys ?? [];
    const commands = body.commands ?? [];
    checkShape(keys, commands);
    const opdId = body.provisionOpdId ?? null;
    if (opdId !== null) await this.identity.assertOpd(p.regionId, opdId);
    if (await this.repo.byType(p.regionId, body.type)) throw new AppError('PROFILE_EXISTS', `the type ${body.type} has a profile already`);
    const now = this.clock.now();
    const secret = body.provisioning === true ? newSecretToken() : null;
    const row: ProfileRow = {
      id: newId(),
      region_id: p.regionId,
      type: body.type,
      name: JSON.stringify(body.name),
      keys: JSON.stringify(keys),
      commands: JSON.stringify(commands),
      offline_timeout_seconds: body.offlineTimeoutSeconds ?? null,
      provision_key: secret === null ? null : newSecretToken(),
      provision_secret_hash: secret === null ? null : hashToken(secret),
      provision_opd_id: opdId,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.repo.insert(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('PROFILE_EXISTS', `the type ${body.type} has a profile already`);
      throw error;
    }
    this.forget(p.regionId, row.type);
    return { ...toProfile(row), provisionSecret: secret };
  }

  /**
   * Replaces the profile's fields. `provisioning: true` issues a new key and
   * secret (the old pair stops working), `false` turns provisioning off, absent
   * leaves it as it is. The secret is in this answer only.
   */
  async update(p: Principal, id: string, body: ProfileBody): Promise<ProfileWithSecret> {
    requireRole(p, 'admin');
    const existing = await this.row(p.regionId, id);
    const keys = body.keys ?? (JSON.parse(existing.keys) as ProfileKey[]);
    const commands = body.commands ?? (JSON.parse(existing.commands) as ProfileCommand[]);
    checkShape(keys, commands);
    const patch: Partial<ProfileRow> = { type: body.type, name: JSON.stringify(body.name), keys: JSON.stringify(keys), commands: JSON.stringify(commands), updated_at: this.clock.now() };
    if (body.offlineTimeoutSeconds !== undefined) patch.offline_timeout_seconds = body.offlineTimeoutSeconds;
    if (body.provisionOpdId !== undefined) {
      if (body.provisionOpdId !== null) await this.identity.assertOpd(p.regionId, body.provisionOpdId);
      patch.provision_opd_id = body.provisionOpdId;
    }
    let secret: string | null = null;
    if (body.provisioning === true) {
      secret = newSecretToken();
      patch.provision_key = newSecretToken();
      patch.provision_secret_hash = hashToken(secret);
    } else if (body.provisioning === false) {
      patch.provision_key = null;
      patch.provision_secret_hash = null;
    }
    try {
      await this.repo.update(p.regionId, id, patch);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('PROFILE_EXISTS', `the type ${body.type} has a profile already`);
      throw error;
    }
    this.forget(p.regionId, existing.type);
    this.forget(p.regionId, body.type);
    return { ...(await this.get(p, id)), provisionSecret: secret };
  }

  async delete(p: Principal, id: string): Promise<void> {
    requireRole(p, 'admin');
    const existing = await this.row(p.regionId, id);
    await this.repo.delete(p.regionId, id);
    this.forget(p.regionId, existing.type);
  }

  /** The profile of a device type in the region, or null (for other modules; read from a short cache). */
  async forType(regionId: string, type: string): Promise<DeviceProfile | null> {
    const key = `${regionId}\u0000${type}`;
    const now = this.clock.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < CACHE_MS) return hit.profile;
    const row = await this.repo.byType(regionId, type);
    const profile = row ? toProfile(row) : null;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(key, { profile, at: now });
    return profile;
  }

  /** For commands (RPC): whether the type's profile accepts `method`; null when the type has no profile (the caller decides). */
  async allows(regionId: string, deviceType: string, method: string): Promise<boolean | null> {
    const profile = await this.forType(regionId, deviceType);
    if (!profile) return null;
    return profile.commands.some((c) => c.method === method);
  }

  /**
   * Why `params` do not suit a command whose profile gives it a level to set
   * (*Redupkan* 0–100 %): not a number, or out of its range; null when they
   * suit, or the command takes any params (a button's, or no profile).
   */
  async paramsProblem(regionId: string, deviceType: string, method: string, params: unknown): Promise<string | null> {
    const commands = (await this.forType(regionId, deviceType))?.commands.filter((c) => c.method === method) ?? [];
    const ranges = commands.map((c) => c.input);
    if (ranges.length === 0 || ranges.some((r) => r === undefined)) return null;
    if (typeof params === 'number' && Number.isFinite(params) && ranges.some((r) => params >= r!.min && params <= r!.max)) return null;
    const r = ranges[0]!;
    return `the command "${method}" takes a number from ${r.min} to ${r.max}${r.unit ? ` ${r.unit}` : ''} as its params (the device type's profile), not ${JSON.stringify(params ?? null).slice(0, 40)}`;
  }

  /**
   * The profile a provisioning key and secret open, or null (unknown key, wrong
   * secret, provisioning off). The secret is compared by its hash, in constant time.
   */
  async provisioningProfile(key: string, secret: string): Promise<{ regionId: string; profile: DeviceProfile } | null> {
    const row = await this.repo.byProvisionKey(key);
    if (!row || row.provision_secret_hash === null) return null;
    const given = Buffer.from(hashToken(secret), 'hex');
    const stored = Buffer.from(row.provision_secret_hash, 'hex');
    if (given.length !== stored.length || !timingSafeEqual(given, stored)) return null;
    return { regionId: row.region_id, profile: toProfile(row) };
  }

  private forget(regionId: string, type: string): void {
    this.cache.delete(`${regionId}\u0000${type}`);
  }

  private async row(regionId: string, id: string): Promise<ProfileRow> {
    const row = await this.repo.find(regionId, id);
    if (!row) throw new AppError('PROFILE_NOT_FOUND', `no device profile ${id} in this region`);
    return row;
  }
}
