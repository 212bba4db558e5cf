import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/** Device status, rules with their per-device state, alarms with their history. */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  await db.schema.alterTable('devices').addColumn('online', 'integer').execute();
  await db.schema.alterTable('devices').addColumn('status_changed_at', ms).execute();
  await db.schema.alterTable('regions').addColumn('offline_after_minutes', 'integer', (c) => c.notNull().defaultTo(15)).execute();
  // No index on last_activity_at: it changes with every batch of readings, and an index
  // would turn each of those updates into an index write (and, on PostgreSQL, a non-HOT update).

  await db.schema
    .createTable('rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('opd_id', 'text', (c) => c.references('opds.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_value', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('condition', 'text', (c) => c.notNull())
    .addColumn('clear_condition', 'text')
    .addColumn('duration_ms', ms, (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rules_region').on('rules').columns(['region_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('rule_states')
    .addColumn('rule_id', 'text', (c) => c.notNull().references('rules.id').onDelete('cascade'))
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('pending_since', ms)
    .addColumn('last_ts', ms)
    .addColumn('last_value', 'double precision')
    .addPrimaryKeyConstraint('rule_states_pk', ['rule_id', 'device_id'])
    .execute();

  await db.schema
    .createTable('alarms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('rule_id', 'text', (c) => c.references('rules.id').onDelete('set null'))
    .addColumn('device_id', 'text', (c) => c.references('devices.id').onDelete('cascade'))
    .addColumn('asset_id', 'text')
    .addColumn('opd_id', 'text')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('acknowledged', 'integer', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', ms)
    .addColumn('cleared_by', 'text')
    .addColumn('cleared_at', ms)
    .addColumn('started_at', ms, (c) => c.notNull())
    .addColumn('last_at', ms, (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('key', 'text')
    .addColumn('last_value', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alarms_region_created').on('alarms').columns(['region_id', 'created_at', 'id']).execute();
  // One active alarm per origin (a rule, or the built-in offline check) and device: a repeat updates it.
  await db.schema
    .createIndex('alarms_one_active')
    .on('alarms')
    .columns(['device_id', 'origin'])
    .unique()
    .where(sql.ref('status'), '=', sql.lit('active'))
    .execute();

  await db.schema
    .createTable('alarm_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alarm_id', 'text', (c) => c.notNull().references('alarms.id').onDelete('cascade'))
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('alarm_events_alarm').on('alarm_events').columns(['alarm_id', 'at']).execute();
}
