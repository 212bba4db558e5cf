import { textProblem } from '../../core/input.ts';
import type { Clock } from '../../core/clock.ts';
import type { DevicesService } from './devices.service.ts';
import type { ProvisionResponse } from './profiles.contract.ts';
import type { ProfilesService } from './profiles.service.ts';

/** ThingsBoard's own words for each failure (firmware compares them). */
const NOT_FOUND: ProvisionResponse = { status: 'NOT_FOUND', errorMsg: 'Provision data was not found!' };
const FAILURE: ProvisionResponse = { status: 'FAILURE', errorMsg: 'Failed to provision device!' };

export interface ProvisionLimits {
  /** provisioning requests one address may make in a minute: a batch of a few hundred controllers behind one NAT fits */
  perMinute: number;
  /** refused requests (unknown key, wrong secret, bad payload) one address may make in a minute before all of its requests are refused */
  failuresPerMinute: number;
}

export const DEFAULT_PROVISION_LIMITS: ProvisionLimits = { perMinute: 1000, failuresPerMinute: 20 };

/** Addresses tracked at most; past it the window starts afresh for everyone (memory stays bounded under a spoofed-address flood). */
const MAX_ADDRESSES = 50_000;

/**
 * Counts requests and failures per address in one-minute windows. A guessing
 * flood (wrong secrets) is stopped after a few tries; an honest batch, whose
 * requests succeed, only meets the higher overall limit.
 */
export class ProvisionLimiter {
  private readonly windows = new Map<string, { start: number; requests: number; failures: number }>();
  private readonly limits: ProvisionLimits;
  private readonly clock: Clock;
  constructor(limits: ProvisionLimits, clock: Clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** Takes a request of `address`; false when the address is over a limit this minute. */
  admit(address: string): boolean {
    const now = this.clock.now();
    let w = this.windows.get(address);
    if (!w || now - w.start >= 60_000) {
      if (this.windows.size >= MAX_ADDRESSES) this.windows.clear();
      w = { start: now, requests: 0, failures: 0 };
      this.windows.set(address, w);
    }
    if (w.requests >= this.limits.perMinute || w.failures >= this.limits.failuresPerMinute) return false;
    w.requests++;
    return true;
  }

  failed(address: string): void {
    const w = this.windows.get(address);
    if (w) w.failures++;
  }
}

/** The answer of a provisioning request and whether it was refused for the rate limit (HTTP says 429 then). */
export interface ProvisionOutcome {
  response: ProvisionResponse;
  limited: boolean;
}

/**
 * Device provisioning as ThingsBoard does it ("allow to create new devices"):
 * a device presents its profile's key and secret and a name not yet taken in
 * the region, and gets an access token. The device has the profile's type and
 * belongs to the profile's provisioning OPD. Shared by HTTP and MQTT.
 */
export class ProvisioningService {
  /** names being provisioned right now, per region: two requests for one name give one device */
  private readonly inFlight = new Set<string>();
  private readonly profiles: ProfilesService;
  private readonly devices: DevicesService;
  private readonly limiter: ProvisionLimiter;
  constructor(profiles: ProfilesService, devices: DevicesService, limiter: ProvisionLimiter) {
    this.profiles = profiles;
    this.devices = devices;
    this.limiter = limiter;
  }

  /** `payload` is what the device sent (JSON bytes or a parsed object); `address` counts it for the rate limit. */
  async provision(payload: unknown, address: string): Promise<ProvisionOutcome> {
    if (!this.limiter.admit(address)) return { response: { status: 'FAILURE', errorMsg: 'Too many provisioning requests from this address; try again in a minute' }, limited: true };
    const request = parseRequest(payload);
    if (!request) {
      this.limiter.failed(address);
      return { response: NOT_FOUND, limited: false };
    }
    const found = await this.profiles.provisioningProfile(request.provisionDeviceKey, request.provisionDeviceSecret);
    if (!found) {
      this.limiter.failed(address);
      return { response: NOT_FOUND, limited: false };
    }
    const name = request.deviceName.trim();
    const lock = `${found.regionId}\u0000${name}`;
    if (this.inFlight.has(lock)) return { response: FAILURE, limited: false };
    this.inFlight.add(lock);
    try {
      if (name === '' || (await this.devices.nameTaken(found.regionId, name))) return { response: FAILURE, limited: false };
      const token = await this.devices.createProvisioned(found.regionId, { name, type: found.profile.type, opdId: found.profile.provisionOpdId });
      return { response: { status: 'SUCCESS', credentialsType: 'ACCESS_TOKEN', credentialsValue: token }, limited: false };
    } finally {
      this.inFlight.delete(lock);
    }
  }
}

/** The three string fields ThingsBoard requires, or null. */
function parseRequest(payload: unknown): { deviceName: string; provisionDeviceKey: string; provisionDeviceSecret: string } | null {
  let value = payload;
  if (Buffer.isBuffer(value)) {
    if (value.length === 0 || value.length > 4096) return null;
    try {
      value = JSON.parse(value.toString('utf8'));
    } catch {
      return null;
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  // A NUL or a lone surrogate: PostgreSQL refuses it where SQLite would store it; refused here on both (over HTTP the request hook already does).
  const ok = (s: unknown): s is string => typeof s === 'string' && s.length > 0 && s.length <= 200 && textProblem(s) === null;
  if (!ok(v.deviceName) || !ok(v.provisionDeviceKey) || !ok(v.provisionDeviceSecret)) return null;
  return { deviceName: v.deviceName, provisionDeviceKey: v.provisionDeviceKey, provisionDeviceSecret: v.provisionDeviceSecret };
}
