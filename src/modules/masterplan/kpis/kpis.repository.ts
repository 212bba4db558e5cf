import type { Kysely, Transaction } from 'kysely';
import type { MpKpisTable, MpKpiValuesTable, Schema } from '../../../platform/db/schema.ts';

export type KpiRow = MpKpisTable;
export type KpiValueRow = MpKpiValuesTable;
/** the database, or a transaction another repository's writes share */
type Exec = Kysely<Schema>;

/** Storage of the KPIs: mp_kpis and mp_kpi_values (the only reader and writer of them). */
export class KpisRepository {
  private readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  transaction<T>(work: (tx: Transaction<Schema>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  kpi(regionId: string, id: string): Promise<KpiRow | undefined> {
    return this.db.selectFrom('mp_kpis').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  /** In the order they were added. */
  kpis(regionId: string, filter: { programId?: string; dimension?: string } = {}): Promise<KpiRow[]> {
    let q = this.db.selectFrom('mp_kpis').selectAll().where('region_id', '=', regionId);
    if (filter.programId) q = q.where('program_id', '=', filter.programId);
    if (filter.dimension) q = q.where('dimension_key', '=', filter.dimension);
    return q.orderBy('created_at').orderBy('id').execute();
  }

  /** The values of these KPIs, by year. */
  async values(kpiIds: string[]): Promise<KpiValueRow[]> {
    const out: KpiValueRow[] = [];
    for (let i = 0; i < kpiIds.length; i += 500) {
      out.push(...(await this.db.selectFrom('mp_kpi_values').selectAll().where('kpi_id', 'in', kpiIds.slice(i, i + 500)).orderBy('year').execute()));
    }
    return out;
  }

  value(exec: Exec, kpiId: string, year: number): Promise<KpiValueRow | undefined> {
    return exec.selectFrom('mp_kpi_values').selectAll().where('kpi_id', '=', kpiId).where('year', '=', year).executeTakeFirst();
  }

  async insert(exec: Exec, row: KpiRow): Promise<void> {
    await exec.insertInto('mp_kpis').values(row).execute();
  }

  async update(regionId: string, id: string, set: Partial<KpiRow>): Promise<void> {
    await this.db.updateTable('mp_kpis').set(set).where('id', '=', id).where('region_id', '=', regionId).execute();
  }

  /** The KPI and its values. */
  async delete(id: string): Promise<void> {
    await this.transaction(async (tx) => {
      await tx.deleteFrom('mp_kpi_values').where('kpi_id', '=', id).execute();
      await tx.deleteFrom('mp_kpis').where('id', '=', id).execute();
    });
  }

  /** The KPIs of a program and their values (inside the program's deletion). */
  async deleteOfProgram(exec: Exec, regionId: string, programId: string): Promise<void> {
    const kpis = await exec.selectFrom('mp_kpis').select('id').where('region_id', '=', regionId).where('program_id', '=', programId).execute();
    if (kpis.length) {
      await exec.deleteFrom('mp_kpi_values').where('kpi_id', 'in', kpis.map((k) => k.id)).execute();
      await exec.deleteFrom('mp_kpis').where('id', 'in', kpis.map((k) => k.id)).execute();
    }
  }

  /** Inserts or updates the value of a year; `keepTarget` leaves a stored target as it is (a live refresh). */
  async putValue(exec: Exec, row: KpiValueRow, keepTarget = false): Promise<void> {
    const existing = await this.value(exec, row.kpi_id, row.year);
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
