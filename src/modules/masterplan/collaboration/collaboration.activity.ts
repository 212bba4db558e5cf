/** The activity log of the master plan: every change, who made it, what and when. */
import type { Clock } from '../../../core/clock.ts';
import { sortableId } from '../../../core/ids.ts';
import { decodeCursor, encodeCursor, type Page } from '../../../core/paging.ts';
import type { EventBus } from '../../../platform/bus/index.ts';
import type { IdentityService } from '../../identity/index.ts';
import type { Activity } from './collaboration.contract.ts';
import type { CollaborationRepository, Exec } from './collaboration.repository.ts';

/**
 * Who made a change, with the name the log keeps (their name, else their email;
 * null when the user is gone). Resolved before a transaction opens: the users are
 * identity's, read outside the transaction (SQLite has one connection).
 */
interface Actor { userId: string; name: string | null }
interface ActivityInput { action: string; entity: string; entityId?: string | null; summary: string; detail?: unknown }

/** JSON text as a value, `fallback` for empty or broken text. */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export class ActivityLog {
  private readonly repo: CollaborationRepository;
  private readonly identity: Pick<IdentityService, 'usersByIds'>;
  private readonly clock: Clock;
  constructor(repo: CollaborationRepository, identity: Pick<IdentityService, 'usersByIds'>, clock: Clock) {
    this.repo = repo;
    this.identity = identity;
    this.clock = clock;
  }

  /** The user as the log names them; call it before opening the transaction that records. */
  async actor(p: { regionId: string; userId: string }): Promise<Actor> {
    const [u] = await this.identity.usersByIds(p.regionId, [p.userId]);
    return { userId: p.userId, name: u ? u.name || u.email : null };
  }

  /** `exec`: the transaction of the change it records, so that both are kept or neither. */
  async record(regionId: string, who: Actor | null, entry: ActivityInput, exec?: Exec): Promise<void> {
    const row = {
      id: sortableId(),
      region_id: regionId,
      user_id: who?.userId ?? null,
      user_name: who?.name ?? null,
      action: entry.action.slice(0, 100),
      entity: entry.entity.slice(0, 100),
      entity_id: entry.entityId ?? null,
      summary: entry.summary.slice(0, 1000),
      detail: JSON.stringify(entry.detail ?? {}),
      created_at: this.clock.now(),
    };
    await this.repo.insertActivity(row, exec);
  }

  async list(regionId: string, limit: number, cursor?: string, filter: { entity?: string; entityId?: string } = {}): Promise<Page<Activity>> {
    const rows = await this.repo.activity(regionId, limit, decodeCursor(cursor) ?? null, filter);
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    const last = kept[kept.length - 1];
    return {
      items: kept.map((r) => ({
        id: r.id,
        userId: r.user_id,
        userName: r.user_name,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        summary: r.summary,
        detail: parseJson(r.detail, {}),
        at: Number(r.created_at),
      })),
      nextCursor: more && last ? encodeCursor({ at: Number(last.created_at), id: last.id }) : null,
    };
  }
}

/**
 * MP-CORE's changes (plan, readiness, programs, KPIs) reach the activity log
 * through the bus event `masterplan.changed`, when it publishes one:
 * { regionId, userId?, action?, entity?, entityId?, summary?, detail? }.
 */
export function listenForMasterplanChanges(bus: Pick<EventBus, 'subscribe'>, log: ActivityLog, onError: (error: unknown) => void): () => void {
  // localOnly: with NATS every instance hears the event; the one that published it writes the line.
  return bus.subscribe('masterplan.changed', (change) => {
    const text = (v: string, fallback: string) => (v !== '' ? v : fallback);
    const { regionId, userId } = change;
    (userId === null ? Promise.resolve(null) : log.actor({ regionId, userId }))
      .then((who) => log.record(regionId, who, {
        action: text(change.action, 'masterplan.changed'),
        entity: text(change.entity, 'masterplan'),
        entityId: change.entityId,
        summary: text(change.summary, text(change.action, 'Masterplan diubah')),
        detail: change.detail ?? {},
      }))
      .catch(onError);
  }, { localOnly: true });
}
