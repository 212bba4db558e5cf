import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * An alarm says what it is about in both languages, from the device profile's
 * label, unit and decimals: `message` in Bahasa Indonesia (*Tinggi muka air
 * 4,30 m > 4 m*), `message_en` in English. Older alarms keep null here and
 * their one message.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('alarms').addColumn('message_en', 'text').execute();
}
