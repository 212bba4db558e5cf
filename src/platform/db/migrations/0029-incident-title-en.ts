import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * An incident the platform opened for an alarm is titled in both languages
 * (*Tinggi muka air 4,28 m di Pos Pantau Kelingi — Siaga* / *Water level 4.28 m
 * at Pos Pantau Kelingi — Alert*): `title_en` holds the English one. It is null
 * for titles people wrote (a resident's, an operator's rename): those have one
 * language, their writer's.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('title_en', 'text').execute();
}
