import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * An SLA per report category, in working days for each stage (routed,
 * followed up, closed after a silent reporter); null keeps the SP4N-LAPOR!
 * default of 3, 5 and 10. Regions seeded before this get the faster days of
 * the emergency categories too, as new regions do.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  for (const column of ['sla_route_days', 'sla_follow_up_days', 'sla_close_days']) {
    await db.schema.alterTable('incident_categories').addColumn(column, 'integer').execute();
  }
  for (const [code, route, followUp] of [['flooding', 1, 1], ['forest_fires', 1, 1], ['fallen_trees', 1, 2]] as const) {
    await sql`update incident_categories set sla_route_days = ${route}, sla_follow_up_days = ${followUp} where code = ${code}`.execute(db);
  }
}
