import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/** The inbox filtered by kecamatan, newest first, read in index order (as incidents_inbox does per OPD). */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.createIndex('incidents_district').on('incidents').columns(['region_id', 'district_code', 'created_at']).execute();
}
