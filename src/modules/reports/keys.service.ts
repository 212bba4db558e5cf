import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { hashToken, newId, newSecretToken } from '../../core/ids.ts';
import { requireRole, type Principal } from '../identity/index.ts';
import type { ApiKeyRow, ReportsRepository } from './reports.repository.ts';
import type { ApiKey, ApiKeyKind } from './reports.contract.ts';

/** Who filed a report through Open311: the key's row, known to be active. */
export interface KeyHolder {
  id: string;
  regionId: string;
  kind: ApiKeyKind;
}

const toKey = (r: ApiKeyRow): ApiKey => ({ id: r.id, name: r.name, kind: r.kind, prefix: r.key_prefix, createdAt: r.created_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at });

/** Last-used times are written at most once a minute per key, not on every report. */
const TOUCH_EVERY_MS = 60_000;

export class ApiKeysService {
  private readonly touched = new Map<string, number>();

  private readonly repo: ReportsRepository;
  private readonly clock: Clock;
  constructor(repo: ReportsRepository, clock: Clock) {
    this.repo = repo;
    this.clock = clock;
  }

  async create(p: Principal, name: string): Promise<ApiKey & { key: string }> {
    requireRole(p, 'admin');
    const trimmed = name.trim();
    if (trimmed === '') throw new AppError('VALIDATION_FAILED', 'name must not be empty');
    return this.insert(p.regionId, trimmed, 'app', p.userId);
  }

  private async insert(regionId: string, name: string, kind: ApiKeyKind, createdBy: string | null): Promise<ApiKey & { key: string }> {
    const key = `o311_${newSecretToken()}`;
    const row: ApiKeyRow = {
      id: newId(),
      region_id: regionId,
      name,
      kind,
      key_hash: hashToken(key),
      key_prefix: key.slice(0, 9),
      public_key: kind === 'public' ? key : null,
      created_by: createdBy,
      created_at: this.clock.now(),
      revoked_at: null,
      last_used_at: null,
    };
    await this.repo.insertKey(row);
    return { ...toKey(row), key };
  }

  async list(p: Principal): Promise<ApiKey[]> {
    requireRole(p, 'admin');
    return (await this.repo.listKeys(p.regionId)).map(toKey);
  }

  async revoke(p: Principal, id: string): Promise<void> {
    requireRole(p, 'admin');
    const row = await this.repo.keyById(p.regionId, id);
    if (!row) throw new AppError('API_KEY_NOT_FOUND', `no API key ${id}`);
    await this.repo.revokeKey(p.regionId, id, this.clock.now());
  }

  /** The public page's own key, created when the region has none active. */
  async ensurePublicKey(regionId: string): Promise<string> {
    const existing = await this.repo.activePublicKey(regionId);
    if (existing?.public_key) return existing.public_key;
    return (await this.insert(regionId, 'Halaman publik / public page', 'public', null)).key;
  }

  /** The active key of this region, or API_KEY_MISSING / API_KEY_INVALID. */
  async check(regionId: string, key: string | undefined): Promise<KeyHolder> {
    if (key === undefined || key.trim() === '') throw new AppError('API_KEY_MISSING', 'api_key is required');
    const row = await this.repo.keyByHash(hashToken(key.trim()));
    if (!row || row.region_id !== regionId || row.revoked_at !== null) throw new AppError('API_KEY_INVALID', 'api_key is not valid or has been revoked');
    const now = this.clock.now();
    if (now - (this.touched.get(row.id) ?? 0) >= TOUCH_EVERY_MS) {
      this.touched.set(row.id, now);
      await this.repo.touchKey(row.id, now);
    }
    return { id: row.id, regionId: row.region_id, kind: row.kind };
  }
}
