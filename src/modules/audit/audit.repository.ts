import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Schema } from '../../platform/db/index.ts';
import type { Cursor } from '../../core/paging.ts';
import type { AuditFilter } from './audit.contract.ts';

export type AuditRow = Selectable<AuditLogTable>;

/** The only SQL of the audit log: append and read, never update or delete. */
export class AuditRepository {
  private readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  async insert(row: AuditRow): Promise<void> {
    await this.db.insertInto('audit_log').values(row).execute();
  }

  /** Newest first; `limit + 1` rows so that the caller knows whether a next page exists. */
  async list(regionId: string, filter: AuditFilter, limit: number, after?: Cursor): Promise<AuditRow[]> {
    let q = this.db.selectFrom('audit_log').selectAll().where('region_id', '=', regionId);
    if (filter.userId) q = q.where('user_id', '=', filter.userId);
    if (filter.entity) q = q.where('entity', '=', filter.entity);
    if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
    if (filter.action) q = q.where('action', '=', filter.action);
    if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('at', '<', filter.to);
    if (after) q = q.where((eb) => eb.or([eb('at', '<', after.at), eb.and([eb('at', '=', after.at), eb('id', '<', after.id)])]));
    return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  }
}
