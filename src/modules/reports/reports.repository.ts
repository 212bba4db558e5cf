import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { ApiKeysTable, PhotosTable } from '../../platform/db/schema.ts';

export type ApiKeyRow = Selectable<ApiKeysTable>;
export type PhotoRow = Selectable<PhotosTable>;

/** API keys, photo metadata and Open311 tokens. */
export class ReportsRepository {
  private readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  async insertKey(row: ApiKeyRow): Promise<void> {
    await this.db.insertInto('api_keys').values(row).execute();
  }

  keyByHash(hash: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
  }

  keyById(regionId: string, id: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  listKeys(regionId: string): Promise<ApiKeyRow[]> {
    return this.db.selectFrom('api_keys').selectAll().where('region_id', '=', regionId).orderBy('created_at').orderBy('id').execute();
  }

  activePublicKey(regionId: string): Promise<ApiKeyRow | undefined> {
    return this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('region_id', '=', regionId)
      .where('kind', '=', 'public')
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
  }

  async revokeKey(regionId: string, id: string, at: number): Promise<boolean> {
    const r = await this.db.updateTable('api_keys').set({ revoked_at: at }).where('region_id', '=', regionId).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async touchKey(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async insertPhoto(row: PhotoRow): Promise<void> {
    await this.db.insertInto('photos').values(row).execute();
  }

  /** Sets the photos' report; `onlyFrom` guards the current value (null: only photos not yet in a report). */
  async setPhotoTicket(ids: string[], ticket: string | null, onlyFrom?: string | null): Promise<number> {
    if (ids.length === 0) return 0;
    let q = this.db.updateTable('photos').set({ ticket }).where('id', 'in', ids);
    if (onlyFrom === null) q = q.where('ticket', 'is', null);
    else if (onlyFrom !== undefined) q = q.where('ticket', '=', onlyFrom);
    return Number((await q.executeTakeFirst()).numUpdatedRows);
  }

  unattachedPhotos(before: number, limit: number): Promise<PhotoRow[]> {
    return this.db.selectFrom('photos').selectAll().where('ticket', 'is', null).where('created_at', '<', before).orderBy('created_at').limit(limit).execute();
  }

  async deletePhoto(id: string): Promise<void> {
    await this.db.deleteFrom('photos').where('id', '=', id).execute();
  }

  photo(id: string): Promise<PhotoRow | undefined> {
    return this.db.selectFrom('photos').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertToken(row: { token: string; region_id: string; ticket: string; created_at: number }): Promise<void> {
    await this.db.insertInto('open311_tokens').values(row).execute();
  }

  token(regionId: string, token: string): Promise<{ ticket: string } | undefined> {
    return this.db.selectFrom('open311_tokens').select('ticket').where('region_id', '=', regionId).where('token', '=', token).executeTakeFirst();
  }
}
