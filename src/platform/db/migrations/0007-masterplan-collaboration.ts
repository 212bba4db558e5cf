import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Master plan collaboration and Kominfo's yearly evaluation (monev): members
 * (Dewan Smart City, Tim Pelaksana), FGD / bimtek sessions, comments, commitment
 * sheets, the activity log, evaluation weights, items, evidence and the impact survey.
 * Reads MP-CORE's mp_programs by id; no foreign key so that either side can be rebuilt.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  const region = (c: any) => c.notNull().references('regions.id').onDelete('cascade');

  await db.schema
    .createTable('mp_members')
    .addColumn('region_id', 'text', region)
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('mp_members_pk', ['region_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('mp_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', region)
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('date', ms, (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('participants', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('decisions', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mp_sessions_region').on('mp_sessions').columns(['region_id', 'date']).execute();

  await db.schema
    .createTable('mp_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', region)
    .addColumn('program_id', 'text')
    .addColumn('section', 'text')
    .addColumn('user_id', 'text')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mp_comments_program').on('mp_comments').columns(['region_id', 'program_id', 'created_at']).execute();

  await db.schema
    .createTable('mp_commitments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', region)
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('position', 'text', (c) => c.notNull())
    .addColumn('opd_id', 'text')
    .addColumn('signed_at', ms, (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('file_key', 'text')
    .addColumn('file_type', 'text')
    .addColumn('file_bytes', 'integer')
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mp_activity')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', region)
    .addColumn('user_id', 'text')
    .addColumn('user_name', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mp_activity_region').on('mp_activity').columns(['region_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('mp_eval_years')
    .addColumn('region_id', 'text', region)
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('w_baseline', 'double precision', (c) => c.notNull())
    .addColumn('w_output', 'double precision', (c) => c.notNull())
    .addColumn('w_outcome', 'double precision', (c) => c.notNull())
    .addColumn('w_impact', 'double precision', (c) => c.notNull())
    .addColumn('w_quick_win', 'double precision', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('mp_eval_years_pk', ['region_id', 'year'])
    .execute();

  await db.schema
    .createTable('mp_eval_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', region)
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('smart_dimension', 'text')
    .addColumn('score', 'double precision')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mp_eval_items_year').on('mp_eval_items').columns(['region_id', 'year', 'sort']).execute();

  await db.schema
    .createTable('mp_eval_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', region)
    .addColumn('item_id', 'text', (c) => c.notNull().references('mp_eval_items.id').onDelete('cascade'))
    .addColumn('file_key', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mp_eval_evidence_item').on('mp_eval_evidence').columns(['item_id']).execute();

  await db.schema
    .createTable('mp_survey_programs')
    .addColumn('region_id', 'text', region)
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('dimension_key', 'text', (c) => c.notNull())
    .addColumn('program_id', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('mp_survey_programs_pk', ['region_id', 'year', 'program_id'])
    .execute();

  await db.schema
    .createTable('mp_survey_answers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', region)
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('program_id', 'text', (c) => c.notNull())
    .addColumn('respondent', 'text')
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mp_survey_answers_year').on('mp_survey_answers').columns(['region_id', 'year', 'program_id']).execute();
}
