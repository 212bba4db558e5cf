import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * One event, one place, and moderation of what the public sees (issue 15).
 * An incident keeps whether the public may see it (publication: pending until
 * an operator decides on a resident's report, published, or private: an
 * alarm's incident, or a report refused for publication), the public title and
 * text an operator may write instead of the reporter's (null: the reporter's
 * own), whether its photo is shown, and the asset and device an alarm opened it
 * for (links to the asset and its chart). A category may publish its reports at
 * once (auto_publish; default 0: moderated). Rows filed before this migration
 * were public already and stay so, except alarms' incidents, which never were
 * meant to be.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('publication', 'text', (c) => c.notNull().defaultTo('published')).execute();
  await db.schema.alterTable('incidents').addColumn('public_title', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('public_text', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('public_photo', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('incidents').addColumn('asset_id', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('device_id', 'text').execute();
  await db.schema.alterTable('incident_categories').addColumn('auto_publish', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await (db as Kysely<{ incidents: { publication: string; source: string } }>).updateTable('incidents').set({ publication: 'private' }).where('source', '=', 'alarm').execute();
  // The public feed reads only published rows, newest first.
  await db.schema.createIndex('incidents_public').on('incidents').columns(['region_id', 'publication', 'created_at']).execute();
}
