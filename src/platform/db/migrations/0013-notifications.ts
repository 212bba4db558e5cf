import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Notifications: the channels a region configured (credentials encrypted), each
 * person's contacts and preferences, the templates an admin changed, the
 * escalations under way, and the outbox — every message with its state, so that
 * nothing is lost across a restart and each is sent once by one instance.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  await db.schema
    .createTable('notification_channels')
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    /** JSON of the settings that are not secret */
    .addColumn('settings', 'text', (c) => c.notNull())
    /** the secret settings (tokens, passwords), AES-256-GCM with the platform's key; never returned */
    .addColumn('secrets', 'text', (c) => c.notNull())
    /** the provider's rate limit for this account; null: the platform's default for the kind */
    .addColumn('messages_per_second', 'integer')
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_channels_pk', ['region_id', 'kind'])
    .execute();

  await db.schema
    .createTable('user_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    /** +62… for WhatsApp and SMS, an email address, a Telegram chat id (null until linked) */
    .addColumn('address', 'text')
    /** the order in which this person's channels are tried: 1 first */
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('verified_at', ms)
    /** SHA-256 of the verification code (or the Telegram link code) while one is out */
    .addColumn('code_hash', 'text')
    .addColumn('code_expires_at', ms)
    .addColumn('code_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_contacts_user_channel').unique().on('user_contacts').columns(['user_id', 'channel']).execute();
  await db.schema.createIndex('user_contacts_code').on('user_contacts').column('code_hash').execute();
  await db.schema.createIndex('user_contacts_address').on('user_contacts').columns(['channel', 'address']).execute();

  await db.schema
    .createTable('notification_settings')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    /** quiet hours in minutes of the local day, [start, end); null: none */
    .addColumn('quiet_start', 'integer')
    .addColumn('quiet_end', 'integer')
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notification_templates')
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_templates_pk', ['region_id', 'event', 'channel', 'language'])
    .execute();

  await db.schema
    .createTable('escalations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    /** alarm or incident */
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('opd_id', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    /** the next level of the policy to notify */
    .addColumn('level', 'integer', (c) => c.notNull())
    /** active, acknowledged, cleared, exhausted */
    .addColumn('state', 'text', (c) => c.notNull())
    /** when the escalation (re)started: each level's delay counts from here */
    .addColumn('started_at', ms, (c) => c.notNull())
    .addColumn('next_at', ms)
    /** an instance working on it holds it until then */
    .addColumn('claimed_until', ms)
    .addColumn('claim', 'text')
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('escalations_subject').unique().on('escalations').columns(['subject_kind', 'subject_id']).execute();
  await db.schema.createIndex('escalations_due').on('escalations').columns(['state', 'next_at']).execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('recipient_name', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('contact_rank', 'integer')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    /** JSON of the placeholders' values (WhatsApp template parameters, the webhook's data) */
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('alarm_id', 'text')
    .addColumn('incident_id', 'text')
    .addColumn('escalation_id', 'text')
    .addColumn('escalation_level', 'integer')
    /** SHA-256 of the one-time acknowledgement token in the message */
    .addColumn('ack_token_hash', 'text')
    .addColumn('ack_used_at', ms)
    /** queued, sending, sent, delivered, read, failed, suppressed, cancelled */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', ms, (c) => c.notNull())
    .addColumn('claimed_until', ms)
    .addColumn('claim', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('error', 'text')
    /** the message whose failure this one replaces on the person's next channel */
    .addColumn('fallback_of', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('sent_at', ms)
    .addColumn('delivered_at', ms)
    .addColumn('read_at', ms)
    .execute();
  await db.schema.createIndex('notifications_due').on('notifications').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('notifications_region').on('notifications').columns(['region_id', 'created_at']).execute();
  await db.schema.createIndex('notifications_alarm').on('notifications').columns(['alarm_id', 'created_at']).execute();
  await db.schema.createIndex('notifications_incident').on('notifications').columns(['incident_id', 'created_at']).execute();
  await db.schema.createIndex('notifications_user_alarm').on('notifications').columns(['user_id', 'alarm_id', 'created_at']).execute();
  await db.schema.createIndex('notifications_provider').on('notifications').column('provider_message_id').execute();
  await db.schema.createIndex('notifications_address').on('notifications').columns(['channel', 'address', 'created_at']).execute();
  await db.schema.createIndex('notifications_ack').unique().on('notifications').column('ack_token_hash').execute();
}
