import type { Kysely, Transaction } from 'kysely';
import type { MpInitiativeLinesTable, MpInitiativesTable, MpInitiativeYearsTable, Schema } from '../../../platform/db/schema.ts';

export type InitiativeRow = MpInitiativesTable;
export type LinkRow = MpInitiativeLinesTable;
export type YearRow = MpInitiativeYearsTable;
export type Exec = Kysely<Schema> | Transaction<Schema>;

interface InitiativeFilter { dimension?: string; opdId?: string; status?: string }

/** The only reader and writer of mp_initiatives, mp_initiative_lines and mp_initiative_years; every query takes the region. */
export class InitiativesRepository {
  readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  transaction<T>(work: (tx: Transaction<Schema>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  initiative(regionId: string, id: string, exec: Exec = this.db) {
    return exec.selectFrom('mp_initiatives').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  /** By dimension, then name. An OPD filter matches the lead OPD; supporting OPDs are matched by the caller (they are a JSON list). */
  list(regionId: string, filter: InitiativeFilter = {}, exec: Exec = this.db) {
    let q = exec.selectFrom('mp_initiatives').selectAll().where('region_id', '=', regionId);
    if (filter.dimension) q = q.where('dimension_key', '=', filter.dimension);
    if (filter.status) q = q.where('status', '=', filter.status);
    return q.orderBy('dimension_key').orderBy('name').orderBy('id').execute();
  }

  async insert(exec: Exec, row: InitiativeRow): Promise<void> {
    await exec.insertInto('mp_initiatives').values(row).execute();
  }

  async update(exec: Exec, regionId: string, id: string, set: Partial<InitiativeRow>): Promise<void> {
    await exec.updateTable('mp_initiatives').set(set).where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  /** Its links and years go with it (foreign keys with cascade). */
  async delete(exec: Exec, regionId: string, id: string): Promise<void> {
    await exec.deleteFrom('mp_initiatives').where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  /** Every link of the region, or of some initiatives. */
  links(regionId: string, initiativeIds?: string[], exec: Exec = this.db) {
    let q = exec.selectFrom('mp_initiative_lines').selectAll().where('region_id', '=', regionId);
    if (initiativeIds) {
      if (initiativeIds.length === 0) return Promise.resolve<LinkRow[]>([]);
      q = q.where('initiative_id', 'in', initiativeIds);
    }
    return q.orderBy('initiative_id').orderBy('program_id').execute();
  }

  /** The links of some lines, whichever initiative holds them. */
  linksOfLines(exec: Exec, regionId: string, programIds: string[]) {
    if (programIds.length === 0) return Promise.resolve<LinkRow[]>([]);
    return exec.selectFrom('mp_initiative_lines').selectAll().where('region_id', '=', regionId).where('program_id', 'in', programIds).execute();
  }

  /** Sets (inserts or replaces) the share of each link. */
  async putLinks(exec: Exec, rows: LinkRow[]): Promise<void> {
    for (const row of rows) {
      const res = await exec.updateTable('mp_initiative_lines').set({ share: row.share }).where('initiative_id', '=', row.initiative_id).where('program_id', '=', row.program_id).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) await exec.insertInto('mp_initiative_lines').values(row).execute();
    }
  }

  async deleteLink(exec: Exec, regionId: string, initiativeId: string, programId: string): Promise<number> {
    const res = await exec.deleteFrom('mp_initiative_lines').where('region_id', '=', regionId).where('initiative_id', '=', initiativeId).where('program_id', '=', programId).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async deleteLinksOfLine(exec: Exec, regionId: string, programId: string): Promise<void> {
    await exec.deleteFrom('mp_initiative_lines').where('region_id', '=', regionId).where('program_id', '=', programId).execute();
  }

  years(regionId: string, initiativeIds: string[]) {
    if (initiativeIds.length === 0) return Promise.resolve<YearRow[]>([]);
    return this.db.selectFrom('mp_initiative_years').selectAll().where('region_id', '=', regionId).where('initiative_id', 'in', initiativeIds).orderBy('year').execute();
  }

  async putYear(exec: Exec, row: YearRow): Promise<void> {
    const { initiative_id, year, region_id: _region, ...set } = row;
    const res = await exec.updateTable('mp_initiative_years').set(set).where('initiative_id', '=', initiative_id).where('year', '=', year).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) await exec.insertInto('mp_initiative_years').values(row).execute();
  }
}
