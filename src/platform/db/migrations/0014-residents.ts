import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Residents told: a reporter's wish to hear about their report (their contact,
 * erasable with the rest of their data), residents' early-warning subscriptions
 * (double opt-in), and public warnings drafted from an Awas alarm and sent only
 * once a person approved them. The outbox learns which warning a message carries.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  await db.schema
    .createTable('reporter_contacts')
    .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id').onDelete('cascade'))
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('ticket', 'text', (c) => c.notNull())
    /** whatsapp, sms or email */
    .addColumn('channel', 'text', (c) => c.notNull())
    /** +62… or an email address: personal data, deleted when the reporter's data is erased */
    .addColumn('address', 'text', (c) => c.notNull())
    /** id or en: the language the report was filed in */
    .addColumn('language', 'text', (c) => c.notNull())
    /** SHA-256 of the stop link's token */
    .addColumn('stop_hash', 'text', (c) => c.notNull())
    .addColumn('stopped_at', ms)
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reporter_contacts_stop').unique().on('reporter_contacts').column('stop_hash').execute();

  await db.schema
    .createTable('warning_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    /** Kemendagri code of the kecamatan */
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    /** pending, confirmed, unsubscribed */
    .addColumn('state', 'text', (c) => c.notNull())
    /** SHA-256 of the confirmation code while one is out */
    .addColumn('code_hash', 'text')
    .addColumn('code_expires_at', ms)
    .addColumn('code_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    /** SHA-256 of the unsubscribe link's token */
    .addColumn('unsubscribe_hash', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', ms)
    .addColumn('unsubscribed_at', ms)
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('warning_subscriptions_address').unique().on('warning_subscriptions').columns(['region_id', 'district_code', 'channel', 'address']).execute();
  await db.schema.createIndex('warning_subscriptions_fanout').on('warning_subscriptions').columns(['region_id', 'district_code', 'state', 'id']).execute();
  await db.schema.createIndex('warning_subscriptions_pending').on('warning_subscriptions').columns(['channel', 'address', 'state']).execute();
  await db.schema.createIndex('warning_subscriptions_unsubscribe').unique().on('warning_subscriptions').column('unsubscribe_hash').execute();

  await db.schema
    .createTable('public_warnings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('alarm_id', 'text', (c) => c.notNull())
    .addColumn('opd_id', 'text')
    /** null while the draft is being prepared */
    .addColumn('district_code', 'text')
    .addColumn('district_name', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('title_id', 'text', (c) => c.notNull())
    .addColumn('text_id', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    /** preparing, draft, discarded, sending, sent */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('edited_by', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', ms)
    .addColumn('discarded_by', 'text')
    .addColumn('discarded_at', ms)
    /** messages queued so far, and the last subscriber queued (the fan-out resumes after it) */
    .addColumn('queued_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fanout_after', 'text')
    .addColumn('sent_at', ms)
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('public_warnings_alarm').unique().on('public_warnings').column('alarm_id').execute();
  await db.schema.createIndex('public_warnings_state').on('public_warnings').columns(['region_id', 'state', 'created_at']).execute();

  await db.schema.alterTable('notifications').addColumn('warning_id', 'text').execute();
  await db.schema.createIndex('notifications_warning').on('notifications').columns(['warning_id', 'state']).execute();
}
