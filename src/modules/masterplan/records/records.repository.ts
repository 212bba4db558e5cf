import type { Kysely } from 'kysely';
import type {
  MpAdoptionTable, MpAppendicesTable, MpDevelopmentPlansTable, MpGoalsTable, MpIctItemsTable, MpProfileValuesTable, MpStrategiesTable, MpStrategicIssuesTable, Schema,
} from '../../../platform/db/schema.ts';

type ProfileRow = MpProfileValuesTable;
type IssueRow = MpStrategicIssuesTable;
type IctRow = MpIctItemsTable;
type StrategyRow = MpStrategiesTable;
type GoalRow = MpGoalsTable;
type DevelopmentRow = MpDevelopmentPlansTable;
type AdoptionRow = MpAdoptionTable;
type AppendixRow = MpAppendicesTable;

/** The tables of the records that are lists of entries, each with its row. */
export interface ListRows {
  mp_strategic_issues: IssueRow;
  mp_ict_items: IctRow;
  mp_strategies: StrategyRow;
  mp_goals: GoalRow;
  mp_development_plans: DevelopmentRow;
  mp_appendices: AppendixRow;
}
export type ListTable = keyof ListRows;
/** A whole row ('row') or the columns a change sets ('set'), tagged with its table. */
export type Entry<W extends 'row' | 'set'> = { [T in ListTable]: { table: T; row: W extends 'row' ? ListRows[T] : Partial<ListRows[T]> } }[ListTable];

/** The only reader and writer of the records' tables (migration 0026); every query takes the region. */
export class RecordsRepository {
  readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  profile(regionId: string) {
    return this.db.selectFrom('mp_profile_values').selectAll().where('region_id', '=', regionId).execute();
  }

  async putProfile(row: ProfileRow): Promise<void> {
    const { region_id, key, ...set } = row;
    const res = await this.db.updateTable('mp_profile_values').set(set).where('region_id', '=', region_id).where('key', '=', key).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) await this.db.insertInto('mp_profile_values').values(row).execute();
  }

  async deleteProfile(regionId: string, key: string): Promise<number> {
    const res = await this.db.deleteFrom('mp_profile_values').where('region_id', '=', regionId).where('key', '=', key).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  adoption(regionId: string) {
    return this.db.selectFrom('mp_adoption').selectAll().where('region_id', '=', regionId).executeTakeFirst();
  }

  async putAdoption(row: AdoptionRow): Promise<void> {
    const { region_id, ...set } = row;
    const res = await this.db.updateTable('mp_adoption').set(set).where('region_id', '=', region_id).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) await this.db.insertInto('mp_adoption').values(row).execute();
  }

  issues(regionId: string) {
    return this.db.selectFrom('mp_strategic_issues').selectAll().where('region_id', '=', regionId).orderBy('created_at').orderBy('id').execute();
  }
  ict(regionId: string) {
    return this.db.selectFrom('mp_ict_items').selectAll().where('region_id', '=', regionId).orderBy('created_at').orderBy('id').execute();
  }
  strategies(regionId: string) {
    return this.db.selectFrom('mp_strategies').selectAll().where('region_id', '=', regionId).orderBy('created_at').orderBy('id').execute();
  }
  goals(regionId: string) {
    return this.db.selectFrom('mp_goals').selectAll().where('region_id', '=', regionId).orderBy('created_at').orderBy('id').execute();
  }
  developmentPlans(regionId: string) {
    return this.db.selectFrom('mp_development_plans').selectAll().where('region_id', '=', regionId).orderBy('year').orderBy('created_at').orderBy('id').execute();
  }
  appendices(regionId: string) {
    return this.db.selectFrom('mp_appendices').selectAll().where('region_id', '=', regionId).orderBy('created_at').orderBy('id').execute();
  }

  /** Whether the region has this entry in the list. */
  async has(table: ListTable, regionId: string, id: string): Promise<boolean> {
    return (await this.db.selectFrom(table).select('id').where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  async insert(e: Entry<'row'>): Promise<void> {
    // one branch per table: Kysely types each insert by its table
    switch (e.table) {
      case 'mp_strategic_issues': await this.db.insertInto(e.table).values(e.row).execute(); return;
      case 'mp_ict_items': await this.db.insertInto(e.table).values(e.row).execute(); return;
      case 'mp_strategies': await this.db.insertInto(e.table).values(e.row).execute(); return;
      case 'mp_goals': await this.db.insertInto(e.table).values(e.row).execute(); return;
      case 'mp_development_plans': await this.db.insertInto(e.table).values(e.row).execute(); return;
      case 'mp_appendices': await this.db.insertInto(e.table).values(e.row).execute(); return;
    }
  }

  /** `updatedAt`: ms since epoch, stamped on the entry. */
  async update(regionId: string, id: string, e: Entry<'set'>, updatedAt: number): Promise<void> {
    switch (e.table) {
      case 'mp_strategic_issues': await this.db.updateTable(e.table).set({ ...e.row, updated_at: updatedAt }).where('region_id', '=', regionId).where('id', '=', id).execute(); return;
      case 'mp_ict_items': await this.db.updateTable(e.table).set({ ...e.row, updated_at: updatedAt }).where('region_id', '=', regionId).where('id', '=', id).execute(); return;
      case 'mp_strategies': await this.db.updateTable(e.table).set({ ...e.row, updated_at: updatedAt }).where('region_id', '=', regionId).where('id', '=', id).execute(); return;
      case 'mp_goals': await this.db.updateTable(e.table).set({ ...e.row, updated_at: updatedAt }).where('region_id', '=', regionId).where('id', '=', id).execute(); return;
      case 'mp_development_plans': await this.db.updateTable(e.table).set({ ...e.row, updated_at: updatedAt }).where('region_id', '=', regionId).where('id', '=', id).execute(); return;
      case 'mp_appendices': await this.db.updateTable(e.table).set({ ...e.row, updated_at: updatedAt }).where('region_id', '=', regionId).where('id', '=', id).execute(); return;
    }
  }

  async delete(table: ListTable, regionId: string, id: string): Promise<number> {
    const res = await this.db.deleteFrom(table).where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
