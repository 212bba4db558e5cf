import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * One alarm per hazard, with levels: a rule keeps its ordered levels (JSON of
 * severity, condition and clear condition each); an alarm's history records
 * each change of level with the severity before and after and the reading
 * that made it. Rules saved before keep levels null: their one condition and
 * severity are their one level.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('rules').addColumn('levels', 'text').execute();
  await db.schema.alterTable('alarm_events').addColumn('from_severity', 'text').execute();
  await db.schema.alterTable('alarm_events').addColumn('to_severity', 'text').execute();
  await db.schema.alterTable('alarm_events').addColumn('value', 'double precision').execute();
}
