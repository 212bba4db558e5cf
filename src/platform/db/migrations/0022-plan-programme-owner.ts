import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * The ministry that owns the smart city programme, per master plan: Kominfo
 * (Kementerian Komunikasi dan Informatika) until it became Komdigi
 * (Kementerian Komunikasi dan Digital) in October 2024. Null: chosen by the
 * document's date.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('mp_plans').addColumn('programme_owner', 'text').execute();
}
