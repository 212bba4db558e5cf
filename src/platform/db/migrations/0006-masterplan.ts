import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Master plan core (issue 6): the plan, readiness checklists and SWOT per year,
 * programs from the planning documents (idempotent import by a natural key and
 * a row hash), KPIs and their values per year.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  await db.schema
    .createTable('mp_plans')
    .addColumn('region_id', 'text', (c) => c.primaryKey().references('regions.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('vision', 'text', (c) => c.notNull())
    .addColumn('missions', 'text', (c) => c.notNull())
    .addColumn('policy_directions', 'text', (c) => c.notNull())
    .addColumn('period_start', 'integer')
    .addColumn('period_end', 'integer')
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mp_readiness')
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('element', 'text', (c) => c.notNull())
    .addColumn('sub_key', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('question_en', 'text', (c) => c.notNull())
    .addColumn('score', 'integer')
    .addColumn('target', 'integer')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('mp_readiness_pk', ['region_id', 'year', 'code'])
    .execute();

  await db.schema
    .createTable('mp_swot')
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('element', 'text', (c) => c.notNull())
    .addColumn('strengths', 'text', (c) => c.notNull())
    .addColumn('weaknesses', 'text', (c) => c.notNull())
    .addColumn('opportunities', 'text', (c) => c.notNull())
    .addColumn('threats', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('mp_swot_pk', ['region_id', 'year', 'element'])
    .execute();

  await db.schema
    .createTable('mp_programs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('opd_id', 'text')
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('indicator', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('budget', 'bigint', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('dimension_key', 'text')
    .addColumn('element_key', 'text')
    .addColumn('quick_win', 'integer', (c) => c.notNull())
    .addColumn('horizon', 'text')
    .addColumn('roadmap_year', 'integer')
    .addColumn('review_status', 'text', (c) => c.notNull())
    /** natural key of an imported row: document|year|code|opd; '#'+id for programs entered by hand */
    .addColumn('natural_key', 'text', (c) => c.notNull())
    .addColumn('source_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mp_programs_region_code').on('mp_programs').columns(['region_id', 'code', 'id']).execute();
  // one row per natural key: two imports of the same rows at once cannot both insert them
  await db.schema.createIndex('mp_programs_natural').unique().on('mp_programs').columns(['region_id', 'natural_key']).execute();

  await db.schema
    .createTable('mp_kpis')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('program_id', 'text')
    .addColumn('dimension_key', 'text')
    .addColumn('element_key', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('baseline', 'double precision')
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('metric', 'text')
    .addColumn('opd_id', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mp_kpis_region').on('mp_kpis').columns(['region_id', 'created_at']).execute();

  await db.schema
    .createTable('mp_kpi_values')
    .addColumn('kpi_id', 'text', (c) => c.notNull().references('mp_kpis.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('target', 'double precision')
    .addColumn('actual', 'double precision')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('computed_at', ms)
    .addPrimaryKeyConstraint('mp_kpi_values_pk', ['kpi_id', 'year'])
    .execute();
}
