import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Rules that send a command to a device (a pump, a street light), and what
 * screens need to word an alarm. A command behind a confirmation waits as a
 * proposal on the alarm until an operator confirms or dismisses it; one sent at
 * once is kept too, so the alarm tells what was done. An alarm keeps the
 * condition its reading met (JSON: op, value or min/max), so a screen words
 * `waterLevel 4.3 > 4` as *Tinggi muka air 4,3 m > 4 m*; older alarms keep null.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  await db.schema.alterTable('alarms').addColumn('condition', 'text').execute();
  await db.schema
    .createTable('rule_commands')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('alarm_id', 'text', (c) => c.notNull().references('alarms.id').onDelete('cascade'))
    /** no foreign key: a deleted rule stays named in what it did */
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    /** the device's OPD when the command was made: whose operators confirm it */
    .addColumn('opd_id', 'text')
    .addColumn('method', 'text', (c) => c.notNull())
    /** JSON text */
    .addColumn('params', 'text', (c) => c.notNull())
    /** the profile's label of the command, in both languages */
    .addColumn('label_id', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    /** pending (waits for an operator), sent, failed, dismissed, expired (the alarm cleared first) */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('decided_at', ms)
    /** who confirmed or dismissed it (id and name at the time); null: sent by the rule itself */
    .addColumn('decided_by', 'text')
    .addColumn('decided_by_name', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('rule_commands_alarm').on('rule_commands').columns(['alarm_id', 'created_at']).execute();
  await db.schema.createIndex('rule_commands_region_state').on('rule_commands').columns(['region_id', 'state', 'created_at']).execute();
}
