import type { Kysely, Transaction } from 'kysely';
import type { MpEvalItemsTable, Schema } from '../../../platform/db/schema.ts';

export type Exec = Kysely<Schema> | Transaction<Schema>;
export type ItemRow = MpEvalItemsTable;
type ItemValues = Omit<ItemRow, 'id' | 'region_id' | 'year' | 'created_at'>;

/**
 * The only reader and writer of the evaluation's tables: mp_eval_years (weights), mp_eval_items,
 * mp_eval_evidence, mp_eval_baselines, mp_survey_programs and mp_survey_answers (and the program
 * names and dimensions the survey shows and checks). Every query takes the region.
 */
export class EvaluationRepository {
  readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  transaction<T>(work: (tx: Transaction<Schema>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Years with weights or items, oldest first. */
  async years(regionId: string): Promise<number[]> {
    const a = await this.db.selectFrom('mp_eval_years').select('year').where('region_id', '=', regionId).execute();
    const b = await this.db.selectFrom('mp_eval_items').select('year').distinct().where('region_id', '=', regionId).execute();
    return [...new Set([...a, ...b].map((r) => Number(r.year)))].sort((x, y) => x - y);
  }

  weights(regionId: string, year: number, exec: Exec = this.db) {
    return exec.selectFrom('mp_eval_years').selectAll().where('region_id', '=', regionId).where('year', '=', year).executeTakeFirst();
  }

  async putWeights(regionId: string, year: number, values: { w_baseline: number; w_output: number; w_outcome: number; w_impact: number; w_quick_win: number; updated_by: string | null; updated_at: number }, exec: Exec): Promise<void> {
    const exists = await this.weights(regionId, year, exec);
    if (exists) await exec.updateTable('mp_eval_years').set(values).where('region_id', '=', regionId).where('year', '=', year).execute();
    else await exec.insertInto('mp_eval_years').values({ region_id: regionId, year, ...values }).execute();
  }

  /** A year's first weights row; a second for the same year fails on the primary key. */
  insertWeights(row: Schema['mp_eval_years'], exec: Exec) {
    return exec.insertInto('mp_eval_years').values(row).execute();
  }

  items(regionId: string, year: number, exec: Exec = this.db) {
    return exec.selectFrom('mp_eval_items').selectAll().where('region_id', '=', regionId).where('year', '=', year).orderBy('sort').orderBy('id').execute();
  }

  item(regionId: string, year: number, id: string) {
    return this.db.selectFrom('mp_eval_items').selectAll().where('region_id', '=', regionId).where('year', '=', year).where('id', '=', id).executeTakeFirst();
  }

  itemById(regionId: string, id: string) {
    return this.db.selectFrom('mp_eval_items').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  insertItem(row: ItemRow, exec: Exec) {
    return exec.insertInto('mp_eval_items').values(row).execute();
  }

  updateItem(regionId: string, id: string, values: Partial<ItemValues>, exec: Exec) {
    return exec.updateTable('mp_eval_items').set(values).where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  /** Deletes items with their evidence rows; answers the stored files' keys, to delete once committed. */
  async deleteItems(regionId: string, ids: string[], exec: Exec): Promise<string[]> {
    if (ids.length === 0) return [];
    const files = await exec.selectFrom('mp_eval_evidence').select('file_key').where('region_id', '=', regionId).where('item_id', 'in', ids).execute();
    await exec.deleteFrom('mp_eval_evidence').where('region_id', '=', regionId).where('item_id', 'in', ids).execute();
    await exec.deleteFrom('mp_eval_items').where('region_id', '=', regionId).where('id', 'in', ids).execute();
    return files.map((f) => f.file_key);
  }

  evidenceOf(regionId: string, itemIds: string[]) {
    if (itemIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('mp_eval_evidence').selectAll().where('region_id', '=', regionId).where('item_id', 'in', itemIds).orderBy('created_at').execute();
  }

  evidence(regionId: string, id: string) {
    return this.db.selectFrom('mp_eval_evidence').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  insertEvidence(row: Schema['mp_eval_evidence'], exec: Exec) {
    return exec.insertInto('mp_eval_evidence').values(row).execute();
  }

  deleteEvidence(regionId: string, id: string, exec: Exec) {
    return exec.deleteFrom('mp_eval_evidence').where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  baseline(regionId: string, year: number) {
    return this.db.selectFrom('mp_eval_baselines').selectAll().where('region_id', '=', regionId).where('year', '=', year).executeTakeFirst();
  }

  baselines(regionId: string) {
    return this.db.selectFrom('mp_eval_baselines').selectAll().where('region_id', '=', regionId).execute();
  }

  async putBaseline(row: Schema['mp_eval_baselines'], exec: Exec): Promise<void> {
    await exec.deleteFrom('mp_eval_baselines').where('region_id', '=', row.region_id).where('year', '=', row.year).execute();
    await exec.insertInto('mp_eval_baselines').values(row).execute();
  }

  deleteBaseline(regionId: string, year: number, exec: Exec) {
    return exec.deleteFrom('mp_eval_baselines').where('region_id', '=', regionId).where('year', '=', year).execute();
  }

  surveyPrograms(regionId: string, year: number) {
    return this.db.selectFrom('mp_survey_programs').selectAll().where('region_id', '=', regionId).where('year', '=', year).orderBy('dimension_key').orderBy('sort').execute();
  }

  async replaceSurveyPrograms(regionId: string, year: number, rows: { dimensionKey: string; elementKey: string; programId: string }[], exec: Exec): Promise<void> {
    await exec.deleteFrom('mp_survey_programs').where('region_id', '=', regionId).where('year', '=', year).execute();
    let sort = 0;
    for (const x of rows) await exec.insertInto('mp_survey_programs').values({ region_id: regionId, year, dimension_key: x.dimensionKey, element_key: x.elementKey, program_id: x.programId, sort: sort++ }).execute();
  }

  answerCounts(regionId: string, year: number) {
    return this.db
      .selectFrom('mp_survey_answers')
      .select(['program_id', 'score'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('region_id', '=', regionId)
      .where('year', '=', year)
      .groupBy(['program_id', 'score'])
      .execute();
  }

  async insertAnswers(rows: Schema['mp_survey_answers'][], exec: Exec): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) await exec.insertInto('mp_survey_answers').values(rows.slice(i, i + 500)).execute();
  }

  async clearAnswers(regionId: string, year: number, exec: Exec): Promise<number> {
    const r = await exec.deleteFrom('mp_survey_answers').where('region_id', '=', regionId).where('year', '=', year).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
