import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * The audit log: every change a signed-in person made through the API — who
 * (id and name at the time), when, what (entity kind, id, label, action) and
 * the changed fields before and after, with credentials and citizens' personal
 * data left out. Kept for years: no retention job deletes from it, and no
 * foreign key ties it to users or entities (a deleted user or rule stays named).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  await db.schema
    .createTable('audit_log')
    /** sortableId: ordered by creation within a millisecond */
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull())
    /** ms since epoch, UTC */
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    /** the person's name (or email) when they made the change */
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('user_role', 'text', (c) => c.notNull())
    /** rule, incident, device, user, opd, region, layer, masterplan.kpi … */
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    /** the entity's name, title or ticket when the change was made */
    .addColumn('entity_label', 'text')
    /** create, update, delete, status, assign, merge, erase-reporter, token.regenerate … */
    .addColumn('action', 'text', (c) => c.notNull())
    /** the HTTP method and route pattern that made the change, e.g. PATCH /api/v1/rules/:id */
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    /** JSON text: the changed fields as they were (null: created, or not read) */
    .addColumn('before', 'text')
    /** JSON text: the changed fields as they are now (null: deleted) */
    .addColumn('after', 'text')
    /** the address the request came from (a staff member's, never a citizen's: citizens are not signed in) */
    .addColumn('ip', 'text')
    .execute();
  // One index per filter of GET /audit, each ending in the paging order (at, id).
  await db.schema.createIndex('audit_log_region_at').on('audit_log').columns(['region_id', 'at', 'id']).execute();
  await db.schema.createIndex('audit_log_user').on('audit_log').columns(['region_id', 'user_id', 'at']).execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['region_id', 'entity', 'entity_id', 'at']).execute();
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['region_id', 'action', 'at']).execute();
}
