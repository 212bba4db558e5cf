import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Commands to devices (ThingsBoard's server-side RPC): every call with its
 * state, who pressed it and the device's answer. Kept as history; a persistent
 * call waits here for its device across restarts until it is delivered or
 * expires.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  await db.schema
    .createTable('rpc_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    /** the device's OPD when the call was made (the live stream filters on it) */
    .addColumn('opd_id', 'text')
    /** the integer the device sees in v1/devices/me/rpc/request/$id, counted per device */
    .addColumn('request_id', 'integer', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    /** JSON text */
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('oneway', 'integer', (c) => c.notNull())
    .addColumn('persistent', 'integer', (c) => c.notNull())
    /** queued, sent, delivered, successful, timeout, expired, failed */
    .addColumn('state', 'text', (c) => c.notNull())
    /** ms to wait for the answer once sent */
    .addColumn('timeout_ms', 'integer', (c) => c.notNull())
    /** JSON text of the device's answer, or null */
    .addColumn('response', 'text')
    .addColumn('error', 'text')
    /** JSON text: {kind:'user',userId,name} or {kind:'rule',ruleId,name}, or null */
    .addColumn('requested_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('sent_at', ms)
    .addColumn('delivered_at', ms)
    .addColumn('answered_at', ms)
    /** ms since epoch: a call not answered by then times out (set when sent) */
    .addColumn('deadline_at', ms)
    /** ms since epoch: a queued call not delivered by then expires */
    .addColumn('expires_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rpc_requests_device_request').unique().on('rpc_requests').columns(['device_id', 'request_id']).execute();
  // History of a device, newest first (paging order created_at, id).
  await db.schema.createIndex('rpc_requests_device_created').on('rpc_requests').columns(['device_id', 'created_at', 'id']).execute();
  // The expiry job and the delivery of queued calls read by state.
  await db.schema.createIndex('rpc_requests_state').on('rpc_requests').columns(['state', 'expires_at']).execute();
}
