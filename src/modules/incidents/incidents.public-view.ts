import { OPEN_STATUSES, type IncidentStatus, type PublicIncident, type PublicStatus, type PublicUpdate, type PublicUpdateKind } from './incidents.contract.ts';
import { parseJson, type IncidentRecords, type IncidentView } from './incidents.records.ts';
import type { EventRow } from './incidents.repository.ts';

/** The timeline lines the public sees, by the kind of their public update. */
const PUBLIC_KINDS = new Map<string, PublicUpdateKind>([
  ['created', 'created'],
  ['status', 'status'],
  ['public_update', 'update'],
  ['merged', 'merged'],
  ['duplicate_of', 'duplicate_of'],
  ['reporter_reply', 'reporter_reply'],
  ['auto_closed', 'auto_closed'],
]);

/** A public timeline line as the public sees it: merges carry their ticket and no stored sentence (older rows had an English one). */
function toPublicUpdate(e: EventRow, kind: PublicUpdateKind): PublicUpdate {
  const merge = kind === 'merged' || kind === 'duplicate_of';
  return {
    at: e.at,
    kind,
    text: merge ? null : e.text,
    status: kind === 'status' || kind === 'created' || kind === 'auto_closed' ? (e.to_value as IncidentStatus | null) : null,
    ticket: kind === 'merged' ? e.from_value : kind === 'duplicate_of' ? e.to_value : null,
  };
}

/** Reports as the public sees them (Open311, the ticket page): never a name, phone, email or internal note. */
export class PublicViews {
  private readonly records: IncidentRecords;
  constructor(records: IncidentRecords) {
    this.records = records;
  }

  /**
   * One report as it is, also when it was merged into another: then it is
   * closed and names the ticket it now follows (mergedIntoTicket), exactly as
   * listPublic answers it, so both Open311 routes agree.
   */
  async publicByTicket(regionId: string, ticket: string, reader: 'feed' | 'ticket' = 'feed'): Promise<PublicIncident | null> {
    const row = await this.records.findByTicket(regionId, ticket);
    if (!row) return null;
    // Open311 and the public map: published only. The ticket page: a resident's report also while it waits for
    // approval (or was refused for publication), without its text, place and photo; an alarm's internal incident not at all.
    if (row.publication !== 'published' && (reader === 'feed' || row.source === 'alarm')) return null;
    const [out] = await this.toPublic(regionId, [row]);
    return out!;
  }

  async listPublic(regionId: string, filter: { tickets?: string[]; categoryCodes?: string[]; statuses?: PublicStatus[]; from?: number; to?: number; limit: number }): Promise<PublicIncident[]> {
    const statuses = filter.statuses?.flatMap((s) => (s === 'open' ? ['new', 'assigned', 'in_progress'] : ['resolved', 'closed', 'rejected']));
    const rows = await this.records.withNames(regionId, await this.records.repo.listPublic(regionId, { ...filter, statuses }, Math.min(Math.max(filter.limit, 1), 1000)));
    return this.toPublic(regionId, rows);
  }

  private async toPublic(regionId: string, rows: IncidentView[]): Promise<PublicIncident[]> {
    const categories = new Map((await this.records.repo.listCategories(regionId)).map((c) => [c.code, c]));
    const events = await this.records.repo.publicEvents(rows.map((r) => r.id));
    const merged = new Map<string, string>();
    for (const r of rows) if (r.merged_into_id) merged.set(r.id, (await this.records.repo.find(regionId, r.merged_into_id))?.ticket ?? '');
    return rows.map((r) => {
      const c = categories.get(r.category_code);
      const photos = parseJson<string[]>(r.photos, []);
      const published = r.publication === 'published';
      const stage = r.sla_stage === 'route' || r.sla_stage === 'follow_up' || r.sla_stage === 'resolve' ? r.sla_stage : null;
      return {
        ticket: r.ticket,
        categoryCode: r.category_code,
        categoryNameId: c?.name_id ?? r.category_code,
        categoryNameEn: c?.name_en ?? r.category_code,
        status: r.status as IncidentStatus,
        publicStatus: (OPEN_STATUSES as string[]).includes(r.status) ? 'open' : 'closed',
        title: published ? (r.public_title ?? r.title) : (c?.name_id ?? r.category_code),
        published,
        description: published ? (r.public_text ?? r.description) : '',
        lon: published ? r.lon : null,
        lat: published ? r.lat : null,
        address: published ? r.address : null,
        agency: r.opd_name,
        requestedAt: r.created_at,
        updatedAt: r.updated_at,
        expectedAt: stage === null ? null : r.sla_due_at,
        expectedStage: stage,
        mediaUrl: published && r.public_photo === 1 ? (r.media_url ?? (photos[0] ? `/api/v1/photos/${photos[0]}` : null)) : null,
        updates: events.flatMap((e) => {
          const kind = e.incident_id === r.id ? PUBLIC_KINDS.get(e.kind) : undefined;
          if (!kind) return [];
          const update = toPublicUpdate(e, kind);
          // A reporter's own words are moderated with their report: until it is published the page says an answer came, not what it says.
          return [kind === 'reporter_reply' && !published ? { ...update, text: null } : update];
        }),
        mergedIntoTicket: r.merged_into_id ? (merged.get(r.id) ?? null) : null,
      } satisfies PublicIncident;
    });
  }
}
