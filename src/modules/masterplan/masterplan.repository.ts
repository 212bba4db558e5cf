import { sql, type Kysely, type Transaction } from 'kysely';
import type { MpImportPreviewsTable, MpKpisTable, MpKpiValuesTable, MpProgramsTable, Schema } from '../../platform/db/schema.ts';

export type ProgramRow = MpProgramsTable;
export type KpiRow = MpKpisTable;
export type KpiValueRow = MpKpiValuesTable;
export type ImportPreviewRow = MpImportPreviewsTable;
type Exec = Kysely<Schema> | Transaction<Schema>;

export interface ProgramFilter { year?: number; opdId?: string; dimension?: string; document?: string; q?: string; quickWin?: boolean }

/** Storage of the master plan core: plan, readiness, SWOT, programs, KPIs. */
export class MasterplanRepository {
  readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  transaction<T>(work: (tx: Transaction<Schema>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  plan(regionId: string) {
    return this.db.selectFrom('mp_plans').selectAll().where('region_id', '=', regionId).executeTakeFirst();
  }

  async putPlan(exec: Exec, row: Schema['mp_plans']): Promise<void> {
    const { region_id, ...rest } = row;
    const updated = await exec.updateTable('mp_plans').set(rest).where('region_id', '=', region_id).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await exec.insertInto('mp_plans').values(row).execute();
  }

  readiness(regionId: string, year: number) {
    return this.db.selectFrom('mp_readiness').selectAll().where('region_id', '=', regionId).where('year', '=', year).execute();
  }

  swot(regionId: string, year: number) {
    return this.db.selectFrom('mp_swot').selectAll().where('region_id', '=', regionId).where('year', '=', year).execute();
  }

  async readinessYears(regionId: string): Promise<number[]> {
    const rows = await this.db.selectFrom('mp_readiness').select('year').distinct().where('region_id', '=', regionId).orderBy('year').execute();
    return rows.map((r) => Number(r.year));
  }

  async replaceReadiness(exec: Exec, regionId: string, year: number, items: Schema['mp_readiness'][], swot: Schema['mp_swot'][]): Promise<void> {
    await exec.deleteFrom('mp_readiness').where('region_id', '=', regionId).where('year', '=', year).execute();
    if (items.length) await exec.insertInto('mp_readiness').values(items).execute();
    await exec.deleteFrom('mp_swot').where('region_id', '=', regionId).where('year', '=', year).execute();
    if (swot.length) await exec.insertInto('mp_swot').values(swot).execute();
  }

  program(regionId: string, id: string, exec: Exec = this.db) {
    return exec.selectFrom('mp_programs').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  /** In code order (program, its kegiatan, their sub kegiatan), then id; `after` is the last row of the previous page. */
  listPrograms(regionId: string, filter: ProgramFilter, limit: number, after?: { code: string; id: string }) {
    let q = this.db.selectFrom('mp_programs').selectAll().where('region_id', '=', regionId);
    if (filter.year !== undefined) q = q.where('year', '=', filter.year);
    if (filter.opdId) q = q.where('opd_id', '=', filter.opdId);
    if (filter.dimension) q = filter.dimension === 'none' ? q.where('dimension_key', 'is', null) : q.where('dimension_key', '=', filter.dimension);
    if (filter.document) q = q.where('document', '=', filter.document);
    if (filter.quickWin !== undefined) q = q.where('quick_win', '=', filter.quickWin ? 1 : 0);
    if (filter.q) {
      const esc = (t: string) => t.replace(/[%_\\]/g, (c) => `\\${c}`);
      const like = `%${esc(filter.q.toLowerCase())}%`;
      const prefix = `${esc(filter.q)}%`;
      q = q.where(sql<boolean>`(lower(name) like ${like} escape '\\' or code like ${prefix} escape '\\')`);
    }
    if (after) q = q.where((eb) => eb.or([eb('code', '>', after.code), eb.and([eb('code', '=', after.code), eb('id', '>', after.id)])]));
    return q.orderBy('code').orderBy('id').limit(limit + 1).execute();
  }

  allPrograms(regionId: string, year?: number) {
    let q = this.db.selectFrom('mp_programs').selectAll().where('region_id', '=', regionId);
    if (year !== undefined) q = q.where('year', '=', year);
    return q.execute();
  }

  /** natural key → (id, hash) of the imported programs of a document */
  async importedKeys(exec: Exec, regionId: string, document: string): Promise<Map<string, { id: string; hash: string; row: Pick<ProgramRow, 'name' | 'indicator' | 'target' | 'unit' | 'budget' | 'location' | 'level'> }>> {
    const rows = await exec
      .selectFrom('mp_programs')
      .select(['id', 'natural_key', 'source_hash', 'name', 'indicator', 'target', 'unit', 'budget', 'location', 'level'])
      .where('region_id', '=', regionId)
      .where('document', '=', document)
      .where('natural_key', 'not like', '#%')
      .execute();
    return new Map(rows.map((r) => [r.natural_key, { id: r.id, hash: r.source_hash, row: { ...r, budget: Number(r.budget) } }]));
  }

  async insertPrograms(exec: Exec, rows: ProgramRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) await exec.insertInto('mp_programs').values(rows.slice(i, i + 500)).execute();
  }

  async updateProgram(exec: Exec, regionId: string, id: string, set: Partial<ProgramRow>): Promise<void> {
    await exec.updateTable('mp_programs').set(set).where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  async deleteProgram(exec: Exec, regionId: string, id: string): Promise<void> {
    const kpis = await exec.selectFrom('mp_kpis').select('id').where('region_id', '=', regionId).where('program_id', '=', id).execute();
    if (kpis.length) {
      await exec.deleteFrom('mp_kpi_values').where('kpi_id', 'in', kpis.map((k) => k.id)).execute();
      await exec.deleteFrom('mp_kpis').where('id', 'in', kpis.map((k) => k.id)).execute();
    }
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
  importPreview(regionId: string, id: string, now: number) {
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

  kpi(regionId: string, id: string, exec: Exec = this.db) {
    return exec.selectFrom('mp_kpis').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  kpis(regionId: string, filter: { programId?: string; dimension?: string } = {}) {
    let q = this.db.selectFrom('mp_kpis').selectAll().where('region_id', '=', regionId);
    if (filter.programId) q = q.where('program_id', '=', filter.programId);
    if (filter.dimension) q = q.where('dimension_key', '=', filter.dimension);
    return q.orderBy('created_at').orderBy('id').execute();
  }

  async kpiValues(kpiIds: string[]): Promise<KpiValueRow[]> {
    const out: KpiValueRow[] = [];
    for (let i = 0; i < kpiIds.length; i += 500) {
      out.push(...(await this.db.selectFrom('mp_kpi_values').selectAll().where('kpi_id', 'in', kpiIds.slice(i, i + 500)).orderBy('year').execute()));
    }
    return out;
  }

  async putKpiValue(exec: Exec, row: KpiValueRow, keepTarget = false): Promise<void> {
    const existing = await exec.selectFrom('mp_kpi_values').selectAll().where('kpi_id', '=', row.kpi_id).where('year', '=', row.year).executeTakeFirst();
    if (!existing) {
      await exec.insertInto('mp_kpi_values').values(row).execute();
      return;
    }
    await exec
      .updateTable('mp_kpi_values')
      .set({ ...(keepTarget ? {} : { target: row.target }), actual: row.actual, source: row.source, computed_at: row.computed_at })
      .where('kpi_id', '=', row.kpi_id)
      .where('year', '=', row.year)
      .execute();
  }
}
