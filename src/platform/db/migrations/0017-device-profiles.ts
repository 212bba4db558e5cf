import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Device profiles: one per device type per region (devices.type = type). The
 * keys a type sends with their labels, units and expected ranges, and the
 * commands it accepts, are JSON text (read and written whole, never queried
 * inside); the offline timeout and the provisioning key are columns, because
 * the status check and the provisioning endpoint look them up.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  await db.schema
    .createTable('device_profiles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    /** the device type it describes: devices.type */
    .addColumn('type', 'text', (c) => c.notNull())
    /** JSON {id, en}: the name people read */
    .addColumn('name', 'text', (c) => c.notNull())
    /** JSON array of ProfileKey */
    .addColumn('keys', 'text', (c) => c.notNull())
    /** JSON array of ProfileCommand */
    .addColumn('commands', 'text', (c) => c.notNull())
    /** seconds of silence before a device of this type is offline; null: the region's default */
    .addColumn('offline_timeout_seconds', 'integer')
    /** ThingsBoard's provisionDeviceKey (random, unique across regions); null: provisioning off */
    .addColumn('provision_key', 'text')
    /** SHA-256 of the provisioning secret (a random 32-byte token, shown once) */
    .addColumn('provision_secret_hash', 'text')
    /** the OPD provisioned devices belong to */
    .addColumn('provision_opd_id', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('device_profiles_region_type').unique().on('device_profiles').columns(['region_id', 'type']).execute();
  await db.schema.createIndex('device_profiles_provision_key').unique().on('device_profiles').column('provision_key').execute();
}
