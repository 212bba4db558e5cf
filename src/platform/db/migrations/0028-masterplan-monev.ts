import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Monev computed (issue 16):
 * - `mp_eval_baselines`: a Baseline set by hand over the computed one, with the reason and who
 *   set it. The Baseline is now computed from the previous evaluation; a Baseline that was scored
 *   by hand on the year's Baseline items becomes that year's override (the mean of those scores,
 *   the same number the index used), and the items keep their text and evidence without a score,
 *   so no year's index changes.
 * - `mp_eval_items`: an item pre-filled from the platform's data (`auto_key`) keeps what was
 *   computed (`computed_score`, `figures` as JSON, `computed_at`) beside the score used, and a
 *   score changed by hand keeps its `reason` and who changed it (`changed_by`, a name).
 * - `mp_survey_programs.element_key`: the impact survey asks about one program per element of a
 *   smart city dimension. A chosen program stays on the element it is mapped to when that is free,
 *   else the first free element of its dimension; a program that is not of the row's dimension
 *   (or none is free) is dropped from the survey — its citizens' answers stay stored, uncounted,
 *   until it is chosen again.
 */
const ELEMENTS: Record<string, string[]> = {
  governance: ['service', 'bureaucracy', 'policy'],
  branding: ['tourism', 'business', 'appearance'],
  economy: ['industry', 'welfare', 'transaction'],
  living: ['harmony', 'health', 'mobility'],
  society: ['community', 'learning', 'security'],
  environment: ['protection', 'waste', 'energy'],
};
const MIGRATED_REASON = 'Dinilai manual sebelum Baseline dihitung otomatis (migrasi 0028) / Scored by hand before the Baseline was computed (migration 0028)';

export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  await db.schema
    .createTable('mp_eval_baselines')
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    /** 0–5 */
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('mp_eval_baselines_pk', ['region_id', 'year'])
    .execute();

  /** the evaluation a year was started from (copied weights and items), null when filled in from scratch */
  await db.schema.alterTable('mp_eval_years').addColumn('started_from', 'integer').execute();
  await db.schema.alterTable('mp_eval_items').addColumn('auto_key', 'text').execute();
  await db.schema.alterTable('mp_eval_items').addColumn('computed_score', 'real').execute();
  await db.schema.alterTable('mp_eval_items').addColumn('figures', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('mp_eval_items').addColumn('computed_at', ms).execute();
  await db.schema.alterTable('mp_eval_items').addColumn('reason', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('mp_eval_items').addColumn('changed_by', 'text').execute();

  const scored = await db
    .selectFrom('mp_eval_items')
    .select(['region_id', 'year'])
    .select((eb) => eb.fn.avg<number>('score').as('mean'))
    .where('dimension', '=', 'baseline')
    .where('score', 'is not', null)
    .groupBy(['region_id', 'year'])
    .execute();
  const now = Date.now();
  for (const r of scored) {
    await db
      .insertInto('mp_eval_baselines')
      .values({ region_id: r.region_id, year: r.year, score: Math.round(Number(r.mean) * 100) / 100, reason: MIGRATED_REASON, user_id: null, user_name: 'migrasi 0028', updated_at: now })
      .execute();
  }
  await db.updateTable('mp_eval_items').set({ score: null }).where('dimension', '=', 'baseline').execute();

  await db.schema.alterTable('mp_survey_programs').addColumn('element_key', 'text').execute();
  const rows = await db
    .selectFrom('mp_survey_programs as s')
    .leftJoin('mp_programs as p', 'p.id', 's.program_id')
    .select(['s.region_id', 's.year', 's.dimension_key', 's.program_id', 's.sort', 'p.dimension_key as program_dimension', 'p.element_key as program_element'])
    .orderBy('s.region_id')
    .orderBy('s.year')
    .orderBy('s.dimension_key')
    .orderBy('s.sort')
    .execute();
  const taken = new Set<string>();
  const place = (r: (typeof rows)[number]): string | null => {
    const elements = ELEMENTS[r.dimension_key] ?? [];
    if (r.program_dimension !== r.dimension_key) return null;
    const slot = (e: string) => `${r.region_id}|${r.year}|${r.dimension_key}|${e}`;
    if (r.program_element && elements.includes(r.program_element) && !taken.has(slot(r.program_element))) return r.program_element;
    return elements.find((e) => !taken.has(slot(e))) ?? null;
  };
  // Rows on their own mapped element first, so a program does not lose its element to one placed before it.
  const ordered = [...rows.filter((r) => r.program_element && r.program_dimension === r.dimension_key), ...rows.filter((r) => !(r.program_element && r.program_dimension === r.dimension_key))];
  for (const r of ordered) {
    const element = place(r);
    const where = (q: any) => q.where('region_id', '=', r.region_id).where('year', '=', r.year).where('program_id', '=', r.program_id);
    if (element === null) {
      await where(db.deleteFrom('mp_survey_programs')).execute();
      continue;
    }
    taken.add(`${r.region_id}|${r.year}|${r.dimension_key}|${element}`);
    await where(db.updateTable('mp_survey_programs').set({ element_key: element })).execute();
  }
  await db.schema.createIndex('mp_survey_programs_element').on('mp_survey_programs').columns(['region_id', 'year', 'dimension_key', 'element_key']).unique().execute();
}
