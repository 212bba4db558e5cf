import type { Kysely, Selectable } from 'kysely';
import type { Cursor } from '../../core/paging.ts';
import type { RpcRequestsTable, Schema } from '../../platform/db/schema.ts';
import type { RpcState } from './rpc.contract.ts';

export type RpcRow = Selectable<RpcRequestsTable>;

/** Columns a state change may set besides the state. */
export type RpcChanges = Partial<Pick<RpcRow, 'sent_at' | 'delivered_at' | 'answered_at' | 'deadline_at' | 'response' | 'error'>>;

/** The only SQL of commands to devices. */
export class RpcRepository {
  private readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  async insert(row: RpcRow): Promise<void> {
    await this.db.insertInto('rpc_requests').values(row).execute();
  }

  /** The highest request id the device has been given (0 for none). */
  async lastRequestId(deviceId: string): Promise<number> {
    const row = await this.db.selectFrom('rpc_requests').select((eb) => eb.fn.max('request_id').as('last')).where('device_id', '=', deviceId).executeTakeFirst();
    return Number(row?.last ?? 0);
  }

  find(regionId: string, id: string) {
    return this.db.selectFrom('rpc_requests').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  byId(id: string) {
    return this.db.selectFrom('rpc_requests').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byRequestId(deviceId: string, requestId: number) {
    return this.db.selectFrom('rpc_requests').selectAll().where('device_id', '=', deviceId).where('request_id', '=', requestId).executeTakeFirst();
  }

  /** A device's calls, newest first. */
  listOfDevice(regionId: string, deviceId: string, limit: number, after?: Cursor) {
    let q = this.db.selectFrom('rpc_requests').selectAll().where('region_id', '=', regionId).where('device_id', '=', deviceId);
    if (after) q = q.where((eb) => eb.or([eb('created_at', '<', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)])]));
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  }

  /** Queued calls of a device that have not expired, oldest first (delivered in the order they were made). */
  queuedOf(deviceId: string, now: number, limit: number) {
    return this.db
      .selectFrom('rpc_requests')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('state', '=', 'queued')
      .where('expires_at', '>', now)
      .orderBy('created_at', 'asc')
      .orderBy('request_id', 'asc')
      .limit(limit)
      .execute();
  }

  /** Queued calls of any of these devices that have not expired, oldest first (each device's in the order they were made). */
  queuedOfAny(deviceIds: readonly string[], now: number, limit: number) {
    if (deviceIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('rpc_requests')
      .selectAll()
      .where('device_id', 'in', [...deviceIds])
      .where('state', '=', 'queued')
      .where('expires_at', '>', now)
      .orderBy('created_at', 'asc')
      .orderBy('request_id', 'asc')
      .limit(limit)
      .execute();
  }

  async countQueued(deviceId: string): Promise<number> {
    const row = await this.db.selectFrom('rpc_requests').select((eb) => eb.fn.countAll().as('n')).where('device_id', '=', deviceId).where('state', '=', 'queued').executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * Moves a call to `to` only from one of the states `from`: of two racing
   * changes (an answer and a timeout) exactly one wins. True when this one did.
   */
  async transition(id: string, from: readonly RpcState[], to: RpcState, changes: RpcChanges = {}): Promise<boolean> {
    const result = await this.db.updateTable('rpc_requests').set({ ...changes, state: to }).where('id', '=', id).where('state', 'in', [...from]).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Ids of queued calls past their expiry. */
  async expiredQueued(now: number, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('rpc_requests').select('id').where('state', '=', 'queued').where('expires_at', '<=', now).limit(limit).execute();
    return rows.map((r) => r.id);
  }

  /** Ids of sent or delivered calls whose answer is overdue. */
  async overdue(now: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('rpc_requests')
      .select('id')
      .where('state', 'in', ['sent', 'delivered'])
      .where('deadline_at', '<=', now)
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }
}
