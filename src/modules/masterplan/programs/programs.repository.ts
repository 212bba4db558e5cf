import { sql, type Kysely, type Transaction } from 'kysely';
import type { MpImportPreviewsTable, MpProgramsTable, Schema } from '../../../platform/db/schema.ts';

export type ProgramRow = MpProgramsTable;
type ImportPreviewRow = MpImportPreviewsTable;
/** the database, or a transaction another repository's writes share */
type Exec = Kysely<Schema>;

export interface ProgramFilter { year?: number; opdId?: string; dimension?: string; document?: string; q?: string }
/** What an imported line is compared on: changed when its hash is another. */
type ImportedLine = { id: string; hash: string; row: Pick<ProgramRow, 'name' | 'indicator' | 'target' | 'unit' | 'budget' | 'location' | 'level'> };

/** Storage of the programs and the import previews: mp_programs and mp_import_previews (the only reader and writer of them). */
export class ProgramsRepository {
  readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  transaction<T>(work: (tx: Transaction<Schema>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  program(regionId: string, id: string, exec: Exec = this.db): Promise<ProgramRow | undefined> {
    return exec.selectFrom('mp_programs').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  /** In code order (program, its kegiatan, their sub kegiatan), then id; `after` is the last row of the previous page. */
  list(regionId: string, filter: ProgramFilter, limit: number, after?: { code: string; id: string }): Promise<ProgramRow[]> {
    let q = this.db.selectFrom('mp_programs').selectAll().where('region_id', '=', regionId);
    if (filter.year !== undefined) q = q.where('year', '=', filter.year);
    if (filter.opdId) q = q.where('opd_id', '=', filter.opdId);
    if (filter.dimension) q = filter.dimension === 'none' ? q.where('dimension_key', 'is', null) : q.where('dimension_key', '=', filter.dimension);
    if (filter.document) q = q.where('document', '=', filter.document);
    if (filter.q) {
      const esc = (t: string) => t.replace(/[%_\\]/g, (c) => `\\${c}`);
      const like = `%${esc(filter.q.toLowerCase())}%`;
      const prefix = `${esc(filter.q)}%`;
      q = q.where(sql<boolean>`(lower(name) like ${like} escape '\\' or code like ${prefix} escape '\\')`);
    }
    if (after) q = q.where((eb) => eb.or([eb('code', '>', after.code), eb.and([eb('code', '=', after.code), eb('id', '>', after.id)])]));
    return q.orderBy('code').orderBy('id').limit(limit + 1).execute();
  }

  /** Lines of the region by id: code, name and where they are mapped (the evaluation's survey). */
  byIds(regionId: string, ids: string[]): Promise<Pick<ProgramRow, 'id' | 'code' | 'name' | 'dimension_key' | 'element_key'>[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('mp_programs').select(['id', 'code', 'name', 'dimension_key', 'element_key']).where('region_id', '=', regionId).where('id', 'in', ids).execute();
  }

  /** Every line of the region (of a year); in no particular order. */
  all(regionId: string, year?: number): Promise<ProgramRow[]> {
    let q = this.db.selectFrom('mp_programs').selectAll().where('region_id', '=', regionId);
    if (year !== undefined) q = q.where('year', '=', year);
    return q.execute();
  }

  /** natural key → (id, hash) of the imported programs of a document */
  async importedKeys(exec: Exec, regionId: string, document: string): Promise<Map<string, ImportedLine>> {
    const rows = await exec
      .selectFrom('mp_programs')
      .select(['id', 'natural_key', 'source_hash', 'name', 'indicator', 'target', 'unit', 'budget', 'location', 'level'])
      .where('region_id', '=', regionId)
      .where('document', '=', document)
      .where('natural_key', 'not like', '#%')
      .execute();
    return new Map(rows.map((r) => [r.natural_key, { id: r.id, hash: r.source_hash, row: { ...r, budget: Number(r.budget) } }]));
  }

  async insert(exec: Exec, rows: ProgramRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) await exec.insertInto('mp_programs').values(rows.slice(i, i + 500)).execute();
  }

  async update(exec: Exec, regionId: string, id: string, set: Partial<ProgramRow>): Promise<void> {
    await exec.updateTable('mp_programs').set(set).where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  /** The program alone: its KPIs are the KPI repository's (ProgramsService deletes both in one transaction). */
  async delete(exec: Exec, regionId: string, id: string): Promise<void> {
    await exec.deleteFrom('mp_programs').where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  // ---------- import previews ----------

  /** Stores a preview and drops this user's oldest beyond `keepPerUser`. */
  async saveImportPreview(row: ImportPreviewRow, keepPerUser: number): Promise<void> {
    await this.transaction(async (tx) => {
      await tx.insertInto('mp_import_previews').values(row).execute();
      const mine = await tx.selectFrom('mp_import_previews').select('id').where('region_id', '=', row.region_id).where('user_id', '=', row.user_id).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
      const old = mine.slice(keepPerUser).map((r) => r.id);
      if (old.length) await tx.deleteFrom('mp_import_previews').where('region_id', '=', row.region_id).where('id', 'in', old).execute();
    });
  }

  /** A preview of the region that has not expired at `now`, whoever made it. */
  importPreview(regionId: string, id: string, now: number): Promise<ImportPreviewRow | undefined> {
    return this.db.selectFrom('mp_import_previews').selectAll().where('region_id', '=', regionId).where('id', '=', id).where('expires_at', '>=', now).executeTakeFirst();
  }

  /**
   * Deletes the preview inside the confirm's transaction: true for the one
   * confirm that gets it. A second confirm at the same time waits on the row
   * (PostgreSQL) or on the connection (SQLite) and then finds nothing.
   */
  async claimImportPreview(tx: Transaction<Schema>, regionId: string, userId: string, id: string, now: number): Promise<boolean> {
    const res = await tx.deleteFrom('mp_import_previews').where('region_id', '=', regionId).where('user_id', '=', userId).where('id', '=', id).where('expires_at', '>=', now).executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  }

  /** Drops the previews expired at `now`, of every region (they are nobody's any more); the count dropped. */
  async purgeImportPreviews(now: number): Promise<number> {
    const res = await this.db.deleteFrom('mp_import_previews').where('expires_at', '<', now).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
