import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { representativePoint, validateGeometry } from '../../core/geo.ts';
import { newId } from '../../core/ids.ts';
import { decodeCursor, toPage, type Page } from '../../core/paging.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import { requireRole, type IdentityService, type Principal } from '../identity/index.ts';
import type { Asset, AssetInput } from './assets.contract.ts';
import type { AssetFilter, AssetRow, AssetsRepository } from './assets.repository.ts';

export type { Asset, AssetInput } from './assets.contract.ts';

const toAsset = (r: AssetRow): Asset => ({
  id: r.id,
  type: r.type,
  name: r.name,
  opdId: r.opd_id,
  geometry: r.geometry === null ? null : JSON.parse(r.geometry),
  location: r.lon === null || r.lat === null ? null : { lon: r.lon, lat: r.lat },
  districtCode: r.district_code,
  attributes: JSON.parse(r.attributes) as Record<string, unknown>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class AssetsService {
  private readonly repo: AssetsRepository;
  private readonly identity: IdentityService;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  constructor(repo: AssetsRepository, identity: IdentityService, bus: EventBus, clock: Clock) {
    this.repo = repo;
    this.identity = identity;
    this.bus = bus;
    this.clock = clock;
  }

  async list(p: Principal, filter: AssetFilter, limit: number, cursor?: string): Promise<Page<Asset>> {
    return toPage(await this.repo.list(p.regionId, filter, limit, decodeCursor(cursor)), limit, toAsset);
  }

  async get(p: Principal, id: string): Promise<Asset> {
    return toAsset(await this.row(p.regionId, id));
  }

  /** The asset of the region with this id, or null; for other modules, which authorise their callers themselves. */
  /** Read-only, for the master plan's ICT inventory: the region's assets counted per type (no asset detail). */
  countsByType(regionId: string): Promise<{ type: string; count: number }[]> {
    return this.repo.countsByType(regionId);
  }

  async byId(regionId: string, id: string): Promise<Asset | null> {
    const row = await this.repo.find(regionId, id);
    return row ? toAsset(row) : null;
  }

  /** Checks that the asset exists in the region and returns its owning OPD; used by devices. */
  async ownerOf(regionId: string, id: string): Promise<string | null> {
    return (await this.row(regionId, id)).opd_id;
  }

  async create(p: Principal, input: AssetInput): Promise<Asset> {
    requireRole(p, 'admin', 'operator');
    const opdId = await this.resolveOpd(p, input.opdId ?? null);
    const now = this.clock.now();
    const row: AssetRow = {
      id: newId(),
      region_id: p.regionId,
      opd_id: opdId,
      type: input.type,
      name: input.name.trim(),
      ...(await this.placement(p.regionId, input.geometry ?? null, input.districtCode ?? null)),
      attributes: JSON.stringify(input.attributes ?? {}),
      created_at: now,
      updated_at: now,
    };
    await this.repo.insert(row);
    return toAsset(row);
  }

  async update(p: Principal, id: string, patch: Partial<AssetInput>): Promise<Asset> {
    const existing = await this.writable(p, id);
    const changes: Partial<AssetRow> = { updated_at: this.clock.now() };
    if (patch.type !== undefined) changes.type = patch.type;
    if (patch.name !== undefined) changes.name = patch.name.trim();
    if (patch.opdId !== undefined) changes.opd_id = await this.resolveOpd(p, patch.opdId);
    if (patch.geometry !== undefined || patch.districtCode !== undefined) {
      Object.assign(
        changes,
        await this.placement(
          p.regionId,
          patch.geometry !== undefined ? patch.geometry : existing.geometry === null ? null : JSON.parse(existing.geometry),
          patch.districtCode !== undefined ? patch.districtCode : existing.district_code,
        ),
      );
    }
    if (patch.attributes !== undefined) changes.attributes = JSON.stringify(patch.attributes);
    const devices = await this.repo.update(p.regionId, id, changes);
    // Its devices now belong elsewhere or match other rules: every instance must forget what it cached of them.
    if (changes.opd_id !== undefined || changes.type !== undefined) for (const deviceId of devices) this.bus.publish('device.updated', { regionId: p.regionId, deviceId });
    return this.get(p, id);
  }

  async delete(p: Principal, id: string): Promise<void> {
    await this.writable(p, id);
    await this.repo.delete(p.regionId, id);
  }

  private async row(regionId: string, id: string): Promise<AssetRow> {
    const row = await this.repo.find(regionId, id);
    if (!row) throw new AppError('ASSET_NOT_FOUND', `no asset ${id} in this region`);
    return row;
  }

  /** Admins change any asset; operators only their own OPD's. */
  private async writable(p: Principal, id: string): Promise<AssetRow> {
    requireRole(p, 'admin', 'operator');
    const row = await this.row(p.regionId, id);
    if (p.role === 'operator' && row.opd_id !== p.opdId) throw new AppError('FORBIDDEN', 'this asset belongs to another OPD');
    return row;
  }

  private async resolveOpd(p: Principal, opdId: string | null): Promise<string | null> {
    if (p.role === 'operator') {
      if (opdId !== null && opdId !== p.opdId) throw new AppError('FORBIDDEN', 'an operator can only assign assets to their own OPD');
      return p.opdId;
    }
    if (opdId !== null) await this.identity.assertOpd(p.regionId, opdId);
    return opdId;
  }

  private async placement(regionId: string, geometry: unknown, districtCode: string | null) {
    if (districtCode !== null && !(await this.repo.districtExists(regionId, districtCode))) {
      throw new AppError('VALIDATION_FAILED', `districtCode ${districtCode} is not a kecamatan of this region`);
    }
    if (geometry === null) return { geometry: null, lon: null, lat: null, district_code: districtCode };
    const checked = validateGeometry(geometry);
    const point = representativePoint(checked.bbox);
    return { geometry: JSON.stringify(checked.geometry), lon: point.lon, lat: point.lat, district_code: districtCode };
  }
}
