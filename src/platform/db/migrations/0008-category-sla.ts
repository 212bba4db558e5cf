import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * An SLA per report category, in working days for each stage (routed,
 * followed up, closed after a silent reporter); null keeps the SP4N-LAPOR!
 * default of 3, 5 and 10.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  for (const column of ['sla_route_days', 'sla_follow_up_days', 'sla_close_days']) {
    await db.schema.alterTable('incident_categories').addColumn(column, 'integer').execute();
  }
}
