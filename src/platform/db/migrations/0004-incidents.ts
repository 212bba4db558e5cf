import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Incidents (citizen reports, alarms, operator entries), their categories, the
 * reporter's personal data in a table of its own (erasable, UU PDP 27/2022),
 * the timeline of every change, and the per-region ticket counter.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  await db.schema
    .createTable('incident_categories')
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name_id', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('description_id', 'text', (c) => c.notNull())
    .addColumn('description_en', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('opd_code', 'text')
    .addColumn('default_severity', 'text', (c) => c.notNull())
    .addColumn('keywords', 'text', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_categories_pk', ['region_id', 'code'])
    .execute();

  await db.schema
    .createTable('incident_counters')
    .addColumn('region_id', 'text', (c) => c.primaryKey().references('regions.id').onDelete('cascade'))
    .addColumn('next_number', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('ticket', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('category_code', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reject_reason', 'text')
    .addColumn('lon', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('address', 'text')
    .addColumn('district_code', 'text')
    .addColumn('opd_id', 'text')
    .addColumn('assignee_user_id', 'text')
    .addColumn('alarm_id', 'text')
    .addColumn('merged_into_id', 'text')
    .addColumn('lapor_id', 'text')
    .addColumn('photos', 'text', (c) => c.notNull())
    .addColumn('media_url', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('api_key_id', 'text')
    .addColumn('erase_secret_hash', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('assigned_at', ms)
    .addColumn('followed_up_at', ms)
    .addColumn('resolved_at', ms)
    .addColumn('closed_at', ms)
    .addColumn('last_answer_at', ms)
    .addColumn('sla_stage', 'text')
    .addColumn('sla_started_at', ms)
    .addColumn('sla_due_at', ms)
    .addColumn('sla_breached', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incidents_ticket').on('incidents').columns(['region_id', 'ticket']).unique().execute();
  await db.schema.createIndex('incidents_lapor').on('incidents').columns(['region_id', 'lapor_id']).unique().execute();
  await db.schema.createIndex('incidents_region_created').on('incidents').columns(['region_id', 'created_at', 'id']).execute();
  // The inbox: an OPD's incidents newest first (the status filter is read along the way: open ones are most of an inbox).
  await db.schema.createIndex('incidents_inbox').on('incidents').columns(['region_id', 'opd_id', 'created_at']).execute();
  await db.schema.createIndex('incidents_due').on('incidents').columns(['region_id', 'sla_due_at']).execute();
  await db.schema.createIndex('incidents_nearby').on('incidents').columns(['region_id', 'category_code', 'created_at']).execute();
  await db.schema.createIndex('incidents_alarm').on('incidents').columns(['alarm_id']).where(sql.ref('alarm_id'), 'is not', null).execute();
  // One open incident per alarm, even when two instances handle the alarm at once.
  await sql`CREATE UNIQUE INDEX incidents_one_open_per_alarm ON incidents (alarm_id) WHERE alarm_id IS NOT NULL AND status IN ('new', 'assigned', 'in_progress', 'resolved')`.execute(db);

  await db.schema
    .createTable('incident_reporters')
    .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id').onDelete('cascade'))
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('incident_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('public', 'integer', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('from_value', 'text')
    .addColumn('to_value', 'text')
    .execute();
  await db.schema.createIndex('incident_events_incident').on('incident_events').columns(['incident_id', 'at']).execute();
}
