import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Gateways (ThingsBoard IoT Gateway API): devices.is_gateway = 1 lets a device
 * speak for the devices behind it (v1/gateway/*); each of those is a device of
 * its own with gateway_id set and no access token, named as the gateway names
 * it. A name is unique per gateway (not across the region), so one gateway can
 * never reach another's devices, nor a direct device, by naming it. A deleted
 * gateway leaves its devices and their history (gateway_id becomes null).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('devices').addColumn('is_gateway', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('devices').addColumn('gateway_id', 'text', (c) => c.references('devices.id').onDelete('set null')).execute();
  // NULLs are distinct on both databases: direct devices (gateway_id null) may share names as before.
  await db.schema.createIndex('devices_gateway_name').on('devices').columns(['gateway_id', 'name']).unique().execute();
}
