import { sql, type Kysely } from 'kysely';
import type { Bbox } from '../../core/geo.ts';
import type { Cursor } from '../../core/paging.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { AssetsTable } from '../../platform/db/schema.ts';

export type AssetRow = AssetsTable;

export interface AssetFilter {
  type?: string | undefined;
  opdId?: string | undefined;
  districtCode?: string | undefined;
  bbox?: Bbox | undefined;
  /** part of the name, any case */
  q?: string | undefined;
}

export class AssetsRepository {
  private readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  find(regionId: string, id: string) {
    return this.db.selectFrom('assets').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  list(regionId: string, filter: AssetFilter, limit: number, after?: Cursor) {
    let q = this.db.selectFrom('assets').selectAll().where('region_id', '=', regionId);
    if (filter.type !== undefined) q = q.where('type', '=', filter.type);
    if (filter.opdId !== undefined) q = q.where('opd_id', '=', filter.opdId);
    if (filter.districtCode !== undefined) q = q.where('district_code', '=', filter.districtCode);
    if (filter.q !== undefined) q = q.where(sql<boolean>`lower(name) LIKE ${`%${escapeLike(filter.q.toLowerCase())}%`} ESCAPE '!'`);
    if (filter.bbox) {
      const b = filter.bbox;
      q = q.where('lon', '>=', b.west).where('lon', '<=', b.east).where('lat', '>=', b.south).where('lat', '<=', b.north);
    }
    if (after) {
      q = q.where((eb) => eb.or([eb('created_at', '>', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '>', after.id)])]));
    }
    return q.orderBy('created_at').orderBy('id').limit(limit + 1).execute();
  }

  /** How many assets of each type the region has. */
  async countsByType(regionId: string): Promise<{ type: string; count: number }[]> {
    const rows = await this.db.selectFrom('assets').select(['type', sql<number>`count(*)`.as('n')]).where('region_id', '=', regionId).groupBy('type').orderBy('type').execute();
    return rows.map((r) => ({ type: r.type, count: Number(r.n) }));
  }

  async insert(row: AssetRow) {
    await this.db.insertInto('assets').values(row).execute();
  }

  /** Updates the asset; a new owner takes its devices along. Returns the ids of those devices. */
  async update(regionId: string, id: string, patch: Partial<AssetRow>): Promise<string[]> {
    return this.db.transaction().execute(async (tx) => {
      await tx.updateTable('assets').set(patch).where('region_id', '=', regionId).where('id', '=', id).execute();
      if (patch.opd_id !== undefined) await tx.updateTable('devices').set({ opd_id: patch.opd_id }).where('region_id', '=', regionId).where('asset_id', '=', id).execute();
      const devices = await tx.selectFrom('devices').select('id').where('region_id', '=', regionId).where('asset_id', '=', id).execute();
      return devices.map((d) => d.id);
    });
  }

  async delete(regionId: string, id: string) {
    await this.db.deleteFrom('assets').where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  async districtExists(regionId: string, code: string) {
    return !!(await this.db.selectFrom('districts').select('code').where('region_id', '=', regionId).where('code', '=', code).executeTakeFirst());
  }
}

/** `%` and `_` in a search are literal characters, not wildcards. */
function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (ch) => `!${ch}`);
}
