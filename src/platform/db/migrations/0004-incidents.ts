import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/** Placeholder until its module's tables are written. */
export async function up(_db: Kysely<unknown>, _dialect: DialectName): Promise<void> {}
