import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Comments on a program and the impact survey's programs and answers now belong
 * to their program: deleting a program deletes them (0007 left them without a
 * foreign key, so a deleted program left orphans that the survey and the
 * document still counted). Orphans already there are removed first.
 *
 * SQLite cannot add a foreign key to a table, so there each table is rebuilt
 * (nothing references these three, so dropping the old one cascades nowhere).
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const orphan = sql`program_id IS NOT NULL AND program_id NOT IN (SELECT id FROM mp_programs)`;
  for (const table of ['mp_comments', 'mp_survey_programs', 'mp_survey_answers']) {
    await sql`DELETE FROM ${sql.table(table)} WHERE ${orphan}`.execute(db);
  }
  if (dialect === 'postgres') {
    for (const table of ['mp_comments', 'mp_survey_programs', 'mp_survey_answers']) {
      await db.schema.alterTable(table).addForeignKeyConstraint(`${table}_program_fk`, ['program_id'], 'mp_programs', ['id'], (c) => c.onDelete('cascade')).execute();
    }
    return;
  }

  const ms = 'bigint';
  const region = (c: any) => c.notNull().references('regions.id').onDelete('cascade');
  const program = (c: any) => c.references('mp_programs.id').onDelete('cascade');

  await rebuild(db, 'mp_comments', (name) =>
    db.schema
      .createTable(name)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('region_id', 'text', region)
      .addColumn('program_id', 'text', program)
      .addColumn('section', 'text')
      .addColumn('user_id', 'text')
      .addColumn('author_name', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .execute(),
  );
  await db.schema.createIndex('mp_comments_program').on('mp_comments').columns(['region_id', 'program_id', 'created_at']).execute();

  await rebuild(db, 'mp_survey_programs', (name) =>
    db.schema
      .createTable(name)
      .addColumn('region_id', 'text', region)
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('dimension_key', 'text', (c) => c.notNull())
      .addColumn('program_id', 'text', (c) => program(c).notNull())
      .addColumn('sort', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${name}_pk`, ['region_id', 'year', 'program_id'])
      .execute(),
  );

  await rebuild(db, 'mp_survey_answers', (name) =>
    db.schema
      .createTable(name)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('region_id', 'text', region)
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('program_id', 'text', (c) => program(c).notNull())
      .addColumn('respondent', 'text')
      .addColumn('score', 'integer', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', ms, (c) => c.notNull())
      .execute(),
  );
  await db.schema.createIndex('mp_survey_answers_year').on('mp_survey_answers').columns(['region_id', 'year', 'program_id']).execute();
}

/** SQLite: the table again under a new definition, with its rows (same columns, same order). */
async function rebuild(db: Kysely<unknown>, table: string, create: (name: string) => Promise<void>): Promise<void> {
  const next = `${table}_next`;
  await create(next);
  await sql`INSERT INTO ${sql.table(next)} SELECT * FROM ${sql.table(table)}`.execute(db);
  await db.schema.dropTable(table).execute();
  await db.schema.alterTable(next).renameTo(table).execute();
}
