import type { Clock } from '../../core/clock.ts';
import { sortableId } from '../../core/ids.ts';
import { decodeCursor, encodeCursor, type Page } from '../../core/paging.ts';
import { requireRole, type Principal } from '../identity/index.ts';
import type { AuditRepository, AuditRow } from './audit.repository.ts';
import type { AuditEntry, AuditFilter } from './audit.contract.ts';
import { MAX_SIDE_BYTES, sizeOnly } from './audit.mask.ts';

export interface AuditRecord {
  regionId: string;
  userId: string;
  userName: string;
  userRole: string;
  entity: string;
  entityId: string | null;
  entityLabel: string | null;
  action: string;
  method: string;
  route: string;
  status: number;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip: string | null;
}

function side(value: Record<string, unknown> | null): string | null {
  if (value === null) return null;
  const text = JSON.stringify(value);
  return text.length <= MAX_SIDE_BYTES ? text : JSON.stringify(sizeOnly(text.length, Object.keys(value).slice(0, 50)));
}

function parse(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Records changes and lets admins read them. */
export class AuditService {
  private readonly repo: AuditRepository;
  private readonly clock: Clock;
  constructor(repo: AuditRepository, clock: Clock) {
    this.repo = repo;
    this.clock = clock;
  }

  async record(entry: AuditRecord): Promise<void> {
    await this.repo.insert({
      id: sortableId(),
      region_id: entry.regionId,
      at: this.clock.now(),
      user_id: entry.userId,
      user_name: entry.userName.slice(0, 200),
      user_role: entry.userRole,
      entity: entry.entity.slice(0, 100),
      entity_id: entry.entityId?.slice(0, 300) ?? null,
      entity_label: entry.entityLabel?.slice(0, 200) ?? null,
      action: entry.action.slice(0, 100),
      method: entry.method,
      route: entry.route.slice(0, 300),
      status: entry.status,
      before: side(entry.before),
      after: side(entry.after),
      ip: entry.ip,
    });
  }

  /** Admins only: the log names every person and what they changed. */
  async list(p: Principal, filter: AuditFilter, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
    requireRole(p, 'admin');
    const rows = await this.repo.list(p.regionId, filter, limit, decodeCursor(cursor));
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    const last = kept[kept.length - 1];
    return { items: kept.map(toEntry), nextCursor: more && last ? encodeCursor({ at: Number(last.at), id: last.id }) : null };
  }
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: Number(r.at),
    userId: r.user_id,
    userName: r.user_name,
    userRole: r.user_role,
    entity: r.entity,
    entityId: r.entity_id,
    entityLabel: r.entity_label,
    action: r.action,
    route: `${r.method} ${r.route}`,
    before: parse(r.before),
    after: parse(r.after),
    ip: r.ip,
  };
}
