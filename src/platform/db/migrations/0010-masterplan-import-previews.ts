import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Master plan import previews in the database, not in one instance's memory: a
 * confirm reaches any instance and survives a restart. A preview lives 30
 * minutes; its good rows are one JSON text (tens of thousands of rows for a
 * 20 MB file: a few MB, well within a PostgreSQL text and a SQLite value).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  await db.schema
    .createTable('mp_import_previews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    /** the year chosen for rows without a "Tahun" column; null when none was */
    .addColumn('year', 'integer')
    /** JSON array of the good rows, one array per row (see masterplan.service.ts) */
    .addColumn('rows', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mp_import_previews_expiry').on('mp_import_previews').column('expires_at').execute();
  await db.schema.createIndex('mp_import_previews_user').on('mp_import_previews').columns(['user_id', 'created_at']).execute();
}
