import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Duty rosters (jadwal piket) and escalation policies per OPD, and the
 * position (jabatan) of a user, so that an unacknowledged alarm can reach the
 * duty officer, then the Kabid, the head of the OPD and the Sekda.
 * Shifts repeat weekly in the region's time zone (minutes of the local day);
 * swaps are absolute ranges (ms since epoch, UTC). A person's shifts and swaps
 * go with them when they are deleted; who wrote a row stays as text.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  /** staf, kasi, kabid, sekretaris, kepala, sekda, bupati; null: not given */
  await db.schema.alterTable('users').addColumn('position', 'text').execute();

  await db.schema
    .createTable('duty_shifts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('opd_id', 'text', (c) => c.notNull().references('opds.id').onDelete('cascade'))
    /** ISO weekday of the shift's start: 1 Senin (Monday) … 7 Minggu (Sunday) */
    .addColumn('weekday', 'integer', (c) => c.notNull())
    /** minutes after local midnight, 0–1439; an end at or before the start crosses midnight */
    .addColumn('start_minute', 'integer', (c) => c.notNull())
    .addColumn('end_minute', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('duty_shifts_opd').on('duty_shifts').columns(['region_id', 'opd_id', 'weekday']).execute();

  await db.schema
    .createTable('duty_swaps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('opd_id', 'text', (c) => c.notNull().references('opds.id').onDelete('cascade'))
    .addColumn('starts_at', ms, (c) => c.notNull())
    .addColumn('ends_at', ms, (c) => c.notNull())
    /** who is on duty during the range */
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    /** whose shifts they take over; null: added on top of the roster */
    .addColumn('replaces_user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('duty_swaps_range').on('duty_swaps').columns(['region_id', 'opd_id', 'ends_at']).execute();

  await db.schema
    .createTable('escalation_policies')
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('opd_id', 'text', (c) => c.notNull().references('opds.id').onDelete('cascade'))
    /** an alarm severity, or `any` for the OPD's fallback */
    .addColumn('severity', 'text', (c) => c.notNull())
    /** JSON array of levels: [{ afterMinutes, targets: [{ kind, … }] }] */
    .addColumn('levels', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('escalation_policies_pk', ['region_id', 'opd_id', 'severity'])
    .execute();
}
