import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * The master plan's records (issue 16), each per region (one plan a region):
 * the regional profile (a value per indicator with its year and source), the
 * strategic issues per smart city dimension, the inventory of existing ICT,
 * strategies drawn from the SWOT and goals per dimension, the development plans
 * (regulation, institutions, people, infrastructure), the plan's adoption status
 * and its appendices. A deleted OPD leaves its entries without one; a deleted
 * commitment sheet leaves its appendix without the link.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  const region = (c: any) => c.notNull().references('regions.id').onDelete('cascade');
  const opd = (c: any) => c.references('opds.id').onDelete('set null');
  const stamps = (t: any) => t.addColumn('created_at', ms, (c: any) => c.notNull()).addColumn('updated_at', ms, (c: any) => c.notNull());

  await db.schema
    .createTable('mp_profile_values')
    .addColumn('region_id', 'text', region)
    /** an indicator of records.constants.ts PROFILE_INDICATORS (area_km2, population, pdrb …) */
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('mp_profile_values_pk', ['region_id', 'key'])
    .execute();

  await stamps(
    db.schema
      .createTable('mp_strategic_issues')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('region_id', 'text', region)
      .addColumn('dimension_key', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      /** the current condition behind the issue */
      .addColumn('description', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('mp_strategic_issues_region').on('mp_strategic_issues').columns(['region_id', 'dimension_key']).execute();

  await stamps(
    db.schema
      .createTable('mp_ict_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('region_id', 'text', region)
      /** application | network | data_center | command_center */
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('opd_id', 'text', opd)
      /** active | development | planned | retired */
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('mp_ict_items_region').on('mp_ict_items').columns(['region_id', 'kind']).execute();

  await stamps(
    db.schema
      .createTable('mp_strategies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('region_id', 'text', region)
      /** SO | ST | WO | WT */
      .addColumn('quadrant', 'text', (c) => c.notNull())
      /** the readiness element whose SWOT it draws on, or none */
      .addColumn('element', 'text')
      /** the smart city dimension it serves, or none (all) */
      .addColumn('dimension_key', 'text')
      .addColumn('text', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('mp_strategies_region').on('mp_strategies').columns(['region_id', 'quadrant']).execute();

  await stamps(
    db.schema
      .createTable('mp_goals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('region_id', 'text', region)
      .addColumn('dimension_key', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('indicator', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('mp_goals_region').on('mp_goals').columns(['region_id', 'dimension_key']).execute();

  await stamps(
    db.schema
      .createTable('mp_development_plans')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('region_id', 'text', region)
      /** regulation | institution | people | infrastructure */
      .addColumn('area', 'text', (c) => c.notNull())
      .addColumn('what', 'text', (c) => c.notNull())
      /** within the plan's period */
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('opd_id', 'text', opd)
      /** planned | in_progress | done | postponed */
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('mp_development_plans_region').on('mp_development_plans').columns(['region_id', 'area', 'year']).execute();

  await db.schema
    .createTable('mp_adoption')
    .addColumn('region_id', 'text', (c) => c.primaryKey().references('regions.id').onDelete('cascade'))
    /** draft | perbup | rpjmd */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('perbup_number', 'text', (c) => c.notNull())
    /** YYYY-MM-DD, or '' */
    .addColumn('perbup_date', 'text', (c) => c.notNull())
    /** the RPJMD (Perda) the plan is integrated into */
    .addColumn('rpjmd_reference', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();

  await stamps(
    db.schema
      .createTable('mp_appendices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('region_id', 'text', region)
      /** sk | fgd_minutes | commitment_sheet | other */
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      /** the commitment sheet whose uploaded scan this appendix is */
      .addColumn('commitment_id', 'text', (c) => c.references('mp_commitments.id').onDelete('set null')),
  ).execute();
  await db.schema.createIndex('mp_appendices_region').on('mp_appendices').columns(['region_id', 'kind']).execute();
}
