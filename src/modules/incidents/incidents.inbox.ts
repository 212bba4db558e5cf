import { decodeCursor, encodeCursor, type Page } from '../../core/paging.ts';
import type { Principal } from '../identity/index.ts';
import type { Duplicate, Incident, IncidentDetail, IncidentStatus, TimelineEntry } from './incidents.contract.ts';
import type { IncidentRecords } from './incidents.records.ts';
import type { IncidentFilter } from './incidents.repository.ts';

/** Reports of the same category this near, filed this close in time, are suggested as duplicates. */
export const DUPLICATE_RADIUS_M = 250;
export const DUPLICATE_WINDOW_MS = 72 * 3_600_000;

function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Reading the inbox: the paged list, one incident with its timeline, and the suggested duplicates. */
export class IncidentInbox {
  private readonly records: IncidentRecords;
  constructor(records: IncidentRecords) {
    this.records = records;
  }

  async list(p: Principal, filter: Omit<IncidentFilter, 'visibleToOpd' | 'overdueAt'> & { overdue?: boolean | undefined }, limit: number, cursor?: string): Promise<Page<Incident>> {
    const now = this.records.now();
    const { overdue, ...rest } = filter;
    const scoped: IncidentFilter = { ...rest, ...(overdue === true && { overdueAt: now }), ...(p.role === 'operator' && { visibleToOpd: p.opdId ?? '' }) };
    const rows = await this.records.withNames(p.regionId, await this.records.repo.list(p.regionId, scoped, limit, decodeCursor(cursor)));
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    const reporters = new Map((await this.records.repo.reporters(kept.filter((r) => this.records.seesReporter(p, r)).map((r) => r.id))).map((r) => [r.incident_id, r]));
    const last = kept[kept.length - 1];
    return {
      items: kept.map((r) => this.records.withReporter(p, r, reporters.get(r.id), now)),
      nextCursor: more && last ? encodeCursor({ at: last.created_at, id: last.id }) : null,
    };
  }

  async detail(p: Principal, id: string): Promise<IncidentDetail> {
    const incident = await this.records.get(p, id);
    const [timeline, duplicates] = await Promise.all([this.timeline(p.regionId, id), this.duplicates(p.regionId, incident)]);
    return { ...incident, timeline, duplicates };
  }

  async timeline(regionId: string, id: string): Promise<TimelineEntry[]> {
    const events = await this.records.repo.timeline(id);
    // The actors' names in one look-up for the whole timeline.
    const names = new Map((await this.records.identity.usersByIds(regionId, events.flatMap((e) => (e.user_id === null ? [] : [e.user_id])))).map((u) => [u.id, u.name]));
    return events.map((e) => ({
      id: e.id,
      at: e.at,
      kind: e.kind,
      actor: e.user_id === null ? null : { userId: e.user_id, name: names.get(e.user_id) ?? null },
      public: e.public === 1,
      text: e.text,
      from: e.from_value,
      to: e.to_value,
    }));
  }

  /** Same category within 250 m and 72 h, not merged away, nearest first. */
  async duplicates(regionId: string, incident: Incident): Promise<Duplicate[]> {
    if (incident.lon === null || incident.lat === null || incident.mergedIntoId !== null) return [];
    const dLat = DUPLICATE_RADIUS_M / 111_320;
    const dLon = dLat / Math.max(0.01, Math.cos((incident.lat * Math.PI) / 180));
    const rows = await this.records.repo.nearby(regionId, incident.categoryCode, incident.createdAt - DUPLICATE_WINDOW_MS, incident.createdAt + DUPLICATE_WINDOW_MS, {
      west: incident.lon - dLon,
      east: incident.lon + dLon,
      south: incident.lat - dLat,
      north: incident.lat + dLat,
    });
    return rows
      .filter((r) => r.id !== incident.id && r.merged_into_id === null && r.status !== 'rejected')
      .map((r) => ({ id: r.id, ticket: r.ticket, distanceM: Math.round(distanceM(incident.lon!, incident.lat!, r.lon!, r.lat!)), createdAt: r.created_at, status: r.status as IncidentStatus }))
      .filter((d) => d.distanceM <= DUPLICATE_RADIUS_M)
      .sort((a, b) => a.distanceM - b.distanceM)
      .slice(0, 20);
  }
}
