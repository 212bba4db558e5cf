import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { regencyFacts } from './areas.ts';
import type { Region, RegionChanges } from './identity.contract.ts';
import type { IdentityRepository, RegionRow } from './identity.repository.ts';
import { requireRole, type Principal } from './principal.ts';

const toRegion = (r: RegionRow): Region => ({
  id: r.id,
  code: r.code,
  name: r.name,
  provinceCode: r.province_code,
  provinceName: r.province_name,
  timezone: r.timezone,
  retentionDays: r.retention_days,
  offlineAfterMinutes: r.offline_after_minutes,
});
/** The region: created from its Kemendagri code with its kecamatan, read, and its settings changed by admins. */
export class Regions {
  private readonly repo: IdentityRepository;
  private readonly clock: Clock;
  constructor(repo: IdentityRepository, clock: Clock) {
    this.repo = repo;
    this.clock = clock;
  }

  /** The region with this Kemendagri code, created with its kecamatan from idn-area-data when missing. */
  async ensureRegion(code: string): Promise<Region> {
    const existing = await this.repo.findRegionByCode(code);
    if (existing) return toRegion(existing);
    const facts = await regencyFacts(code);
    const now = this.clock.now();
    const row: RegionRow = {
      id: newId(),
      code: facts.code,
      name: facts.name,
      province_code: facts.provinceCode,
      province_name: facts.provinceName,
      timezone: facts.timezone,
      retention_days: null,
      offline_after_minutes: 15,
      created_at: now,
      updated_at: now,
    };
    await this.repo.insertRegion(row, facts.districts);
    return toRegion(row);
  }

  async getRegion(regionId: string): Promise<Region> {
    const row = await this.repo.findRegion(regionId);
    if (!row) throw new AppError('REGION_NOT_FOUND', 'region not found');
    return toRegion(row);
  }

  async listRegions(): Promise<Region[]> {
    return (await this.repo.listRegions()).map(toRegion);
  }

  listDistricts(regionId: string) {
    return this.repo.listDistricts(regionId);
  }

  async updateRegion(p: Principal, patch: RegionChanges): Promise<Region> {
    requireRole(p, 'admin');
    if (patch.timezone !== undefined && !isTimeZone(patch.timezone)) {
      throw new AppError('VALIDATION_FAILED', `timezone "${patch.timezone}" is not an IANA time zone such as Asia/Jakarta`);
    }
    await this.repo.updateRegion(p.regionId, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.timezone !== undefined && { timezone: patch.timezone }),
      ...(patch.retentionDays !== undefined && { retention_days: patch.retentionDays }),
      ...(patch.offlineAfterMinutes !== undefined && { offline_after_minutes: patch.offlineAfterMinutes }),
      updated_at: this.clock.now(),
    });
    return this.getRegion(p.regionId);
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
