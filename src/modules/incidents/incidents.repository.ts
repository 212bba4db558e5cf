import { sql, type Kysely, type Transaction } from 'kysely';
import type { Cursor } from '../../core/paging.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { IncidentCategoriesTable, IncidentEventsTable, IncidentReportersTable, IncidentsTable } from '../../platform/db/schema.ts';

export type IncidentRow = IncidentsTable;
export type CategoryRow = IncidentCategoriesTable;
export type EventRow = IncidentEventsTable;
export type ReporterRow = IncidentReportersTable;
/**
 * An incident as read, with when its reporter last answered on the ticket page
 * (ms since epoch, UTC; null: never). The names shown next to its ids (OPD,
 * assignee) are identity's: the service adds them.
 */
export type IncidentRead = IncidentRow & { reporter_replied_at: number | null };

export interface IncidentFilter {
  statuses?: string[] | undefined;
  opdId?: string | undefined;
  categoryCode?: string | undefined;
  /** Kemendagri code of the kecamatan */
  districtCode?: string | undefined;
  severities?: string[] | undefined;
  source?: string | undefined;
  /** pending: the moderation queue */
  publication?: string | undefined;
  /** the incidents an alarm opened */
  alarmId?: string | undefined;
  /** only those whose SLA stage is past due at this time */
  overdueAt?: number | undefined;
  q?: string | undefined;
  /** operators: their OPD's incidents and the unrouted ones */
  visibleToOpd?: string | undefined;
}

type Db = Kysely<Schema> | Transaction<Schema>;

/** An incident whose SLA stage just ran past its due time. */
export interface BreachedRow { id: string; region_id: string; opd_id: string | null; severity: string; sla_stage: string | null; sla_due_at: number | null }

export class IncidentsRepository {
  readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  // Categories
  listCategories(regionId: string) {
    return this.db.selectFrom('incident_categories').selectAll().where('region_id', '=', regionId).orderBy('sort').orderBy('code').execute();
  }
  findCategory(regionId: string, code: string) {
    return this.db.selectFrom('incident_categories').selectAll().where('region_id', '=', regionId).where('code', '=', code).executeTakeFirst();
  }
  async countCategories(regionId: string): Promise<number> {
    const r = await this.db.selectFrom('incident_categories').select((eb) => eb.fn.countAll<number>().as('n')).where('region_id', '=', regionId).executeTakeFirstOrThrow();
    return Number(r.n);
  }
  /** Inserts the rows that are not there yet (idempotent, safe against a second instance booting at once). */
  async insertCategories(rows: CategoryRow[]) {
    await this.db.transaction().execute(async (tx) => {
      for (const row of rows) await tx.insertInto('incident_categories').values(row).onConflict((oc) => oc.columns(['region_id', 'code']).doNothing()).execute();
    });
  }
  async updateCategory(regionId: string, code: string, patch: Partial<CategoryRow>) {
    await this.db.updateTable('incident_categories').set(patch).where('region_id', '=', regionId).where('code', '=', code).execute();
  }
  async deleteCategory(regionId: string, code: string) {
    await this.db.deleteFrom('incident_categories').where('region_id', '=', regionId).where('code', '=', code).execute();
  }
  async categoryUsage(regionId: string, code: string): Promise<number> {
    const r = await this.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where('region_id', '=', regionId).where('category_code', '=', code).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  // Incidents
  private view(db: Db = this.db) {
    return db
      .selectFrom('incidents as i')
      .selectAll('i')
      // One probe of the timeline index (incident_id, at) per incident read.
      .select((eb) =>
        eb
          .selectFrom('incident_events as r')
          .select((e) => e.fn.max('r.at').as('at'))
          .whereRef('r.incident_id', '=', 'i.id')
          .where('r.kind', '=', 'reporter_reply')
          .as('reporter_replied_at'),
      );
  }

  find(regionId: string, id: string): Promise<IncidentRead | undefined> {
    return this.view().where('i.region_id', '=', regionId).where('i.id', '=', id).executeTakeFirst();
  }
  findByTicket(regionId: string, ticket: string): Promise<IncidentRead | undefined> {
    return this.view().where('i.region_id', '=', regionId).where('i.ticket', '=', ticket).executeTakeFirst();
  }
  findByTickets(regionId: string, tickets: string[]) {
    return this.view().where('i.region_id', '=', regionId).where('i.ticket', 'in', tickets).execute();
  }
  openForAlarm(regionId: string, alarmId: string) {
    return this.db
      .selectFrom('incidents')
      .selectAll()
      .where('region_id', '=', regionId)
      .where('alarm_id', '=', alarmId)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
  }
  findByLaporIds(regionId: string, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([] as { lapor_id: string | null }[]);
    return this.db.selectFrom('incidents').select('lapor_id').where('region_id', '=', regionId).where('lapor_id', 'in', ids).execute();
  }

  /**
   * The inbox, newest first. An operator's view (their OPD's and the unrouted
   * ones) is read as two index scans in time order, merged here: an OR of the
   * two would make the database collect and sort every match.
   */
  async list(regionId: string, filter: IncidentFilter, limit: number, after?: Cursor): Promise<IncidentRead[]> {
    const { visibleToOpd, ...rest } = filter;
    if (visibleToOpd === undefined) return this.listWhere(regionId, rest, limit, after);
    if (rest.opdId !== undefined) return rest.opdId === visibleToOpd ? this.listWhere(regionId, rest, limit, after) : [];
    const [own, unrouted] = await Promise.all([this.listWhere(regionId, { ...rest, opdId: visibleToOpd }, limit, after), this.listWhere(regionId, rest, limit, after, true)]);
    return [...own, ...unrouted]
      .sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit + 1);
  }

  private listWhere(regionId: string, filter: Omit<IncidentFilter, 'visibleToOpd'>, limit: number, after: Cursor | undefined, unrouted = false): Promise<IncidentRead[]> {
    let q = this.view().where('i.region_id', '=', regionId);
    if (unrouted) q = q.where('i.opd_id', 'is', null);
    if (filter.statuses && filter.statuses.length > 0) q = q.where('i.status', 'in', filter.statuses);
    if (filter.opdId !== undefined) q = q.where('i.opd_id', '=', filter.opdId);
    if (filter.categoryCode !== undefined) q = q.where('i.category_code', '=', filter.categoryCode);
    if (filter.districtCode !== undefined) q = q.where('i.district_code', '=', filter.districtCode);
    if (filter.severities && filter.severities.length > 0) q = q.where('i.severity', 'in', filter.severities);
    if (filter.source !== undefined) q = q.where('i.source', '=', filter.source);
    if (filter.publication !== undefined) q = q.where('i.publication', '=', filter.publication);
    if (filter.alarmId !== undefined) q = q.where('i.alarm_id', '=', filter.alarmId);
    if (filter.overdueAt !== undefined) q = q.where('i.sla_due_at', '<', filter.overdueAt);
    if (filter.q !== undefined && filter.q !== '') {
      const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) =>
        eb.or([
          eb(sql`lower(i.ticket)`, 'like', sql`${like} escape '\\'`),
          eb(sql`lower(i.title)`, 'like', sql`${like} escape '\\'`),
          eb(sql`lower(i.description)`, 'like', sql`${like} escape '\\'`),
          eb(sql`lower(coalesce(i.address, ''))`, 'like', sql`${like} escape '\\'`),
        ]),
      );
    }
    if (after) {
      q = q.where((eb) => eb.or([eb('i.created_at', '<', after.at), eb.and([eb('i.created_at', '=', after.at), eb('i.id', '<', after.id)])]));
    }
    return q.orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(limit + 1).execute();
  }

  /** Open incidents of the category filed near that time, for duplicate suggestions. */
  nearby(regionId: string, categoryCode: string, from: number, to: number, box: { west: number; east: number; south: number; north: number }) {
    return this.db
      .selectFrom('incidents')
      .select(['id', 'ticket', 'lon', 'lat', 'created_at', 'status', 'merged_into_id'])
      .where('region_id', '=', regionId)
      .where('category_code', '=', categoryCode)
      .where('created_at', '>=', from)
      .where('created_at', '<=', to)
      .where('lon', '>=', box.west)
      .where('lon', '<=', box.east)
      .where('lat', '>=', box.south)
      .where('lat', '<=', box.north)
      .limit(200)
      .execute();
  }

  /** Rows for the SLA summary and KPIs: the incidents filed in [from, to). */
  forSummary(regionId: string, from: number, to: number, filter: { categoryCode?: string | undefined; opdId?: string | undefined } = {}) {
    let q = this.db
      .selectFrom('incidents')
      .select(['id', 'opd_id', 'category_code', 'district_code', 'status', 'created_at', 'resolved_at', 'sla_stage', 'sla_started_at', 'sla_due_at', 'sla_breached', 'merged_into_id'])
      .where('region_id', '=', regionId)
      .where('created_at', '>=', from)
      .where('created_at', '<', to);
    if (filter.categoryCode !== undefined) q = q.where('category_code', '=', filter.categoryCode);
    if (filter.opdId !== undefined) q = q.where('opd_id', '=', filter.opdId);
    return q.execute();
  }

  /** Resolved incidents whose silent-reporter time is over. */
  dueForClose(now: number, limit = 500) {
    return this.db.selectFrom('incidents').selectAll().where('status', '=', 'resolved').where('sla_due_at', '<=', now).limit(limit).execute();
  }
  /**
   * Marks the open stages that ran past their due time (they count against the SLA share)
   * and hands the newly breached ones to `within`, in the same transaction (the escalation).
   */
  async markBreaches(now: number, within?: (tx: Transaction<Schema>, breached: BreachedRow[]) => Promise<void>): Promise<BreachedRow[]> {
    return this.db.transaction().execute(async (tx) => {
      const breached = await tx
        .updateTable('incidents')
        .set({ sla_breached: 1 })
        .where('sla_breached', '=', 0)
        .where('sla_stage', 'in', ['route', 'follow_up', 'resolve'])
        .where('sla_due_at', '<', now)
        .returning(['id', 'region_id', 'opd_id', 'severity', 'sla_stage', 'sla_due_at'])
        .execute();
      if (breached.length > 0 && within) await within(tx, breached);
      return breached;
    });
  }

  /** The next ticket number of the region, inside the filing transaction. */
  async nextNumber(tx: Db, regionId: string): Promise<number> {
    await tx.insertInto('incident_counters').values({ region_id: regionId, next_number: 1 }).onConflict((oc) => oc.column('region_id').doNothing()).execute();
    const r = await tx
      .updateTable('incident_counters')
      .set((eb) => ({ next_number: eb('next_number', '+', 1) }))
      .where('region_id', '=', regionId)
      .returning('next_number')
      .executeTakeFirstOrThrow();
    return Number(r.next_number) - 1;
  }

  /** Files incidents, each with its reporter and first timeline line, in one transaction; `ticket` builds the number. */
  async insert(
    items: { row: Omit<IncidentRow, 'ticket'>; reporter: ReporterRow | null; events: EventRow[] }[],
    ticket: (n: number) => string,
    within?: (tx: Transaction<Schema>, rows: IncidentRow[]) => Promise<void>,
  ): Promise<IncidentRow[]> {
    return this.db.transaction().execute(async (tx) => {
      const out: IncidentRow[] = [];
      for (const item of items) {
        const row = { ...item.row, ticket: ticket(await this.nextNumber(tx, item.row.region_id)) } as IncidentRow;
        await tx.insertInto('incidents').values(row).execute();
        if (item.reporter) await tx.insertInto('incident_reporters').values(item.reporter).execute();
        for (const e of item.events) await tx.insertInto('incident_events').values(e).execute();
        out.push(row);
      }
      if (within) await within(tx, out);
      return out;
    });
  }

  /**
   * Applies the changes and adds the events in one transaction, each change only
   * while the row still has `expectStatus` and, with `expectDueBy` (ms since
   * epoch), a running stage due by then: false (nothing written) when another
   * writer got there first.
   */
  async update(
    changes: { id: string; expectStatus: string; expectDueBy?: number; patch: Partial<IncidentRow> }[],
    events: EventRow[],
    eraseReporterOf?: string,
    within?: (tx: Transaction<Schema>) => Promise<void>,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      for (const c of changes) {
        let q = tx.updateTable('incidents').set(c.patch).where('id', '=', c.id).where('status', '=', c.expectStatus);
        if (c.expectDueBy !== undefined) q = q.where('sla_due_at', '<=', c.expectDueBy);
        const r = await q.executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw new StaleError();
      }
      if (eraseReporterOf !== undefined) await tx.deleteFrom('incident_reporters').where('incident_id', '=', eraseReporterOf).execute();
      for (const e of events) await tx.insertInto('incident_events').values(e).execute();
      if (within) await within(tx);
      return true;
    }).catch((error) => {
      if (error instanceof StaleError) return false;
      throw error;
    });
  }

  reporter(incidentId: string) {
    return this.db.selectFrom('incident_reporters').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
  }
  reporters(ids: string[]) {
    if (ids.length === 0) return Promise.resolve([] as ReporterRow[]);
    return this.db.selectFrom('incident_reporters').selectAll().where('incident_id', 'in', ids).execute();
  }

  timeline(incidentId: string) {
    return this.db.selectFrom('incident_events').selectAll().where('incident_id', '=', incidentId).orderBy('at').orderBy('id').execute();
  }
  publicEvents(ids: string[]) {
    if (ids.length === 0) return Promise.resolve([] as EventRow[]);
    return this.db.selectFrom('incident_events').selectAll().where('incident_id', 'in', ids).where('public', '=', 1).orderBy('at').orderBy('id').execute();
  }

  listPublic(regionId: string, filter: { tickets?: string[] | undefined; categoryCodes?: string[] | undefined; statuses?: string[] | undefined; from?: number | undefined; to?: number | undefined }, limit: number) {
    // only what an operator published (or a category publishes at once): never a report awaiting moderation or an alarm's
    let q = this.view().where('i.region_id', '=', regionId).where('i.publication', '=', 'published');
    if (filter.tickets && filter.tickets.length > 0) q = q.where('i.ticket', 'in', filter.tickets);
    if (filter.categoryCodes && filter.categoryCodes.length > 0) q = q.where('i.category_code', 'in', filter.categoryCodes);
    if (filter.statuses && filter.statuses.length > 0) q = q.where('i.status', 'in', filter.statuses);
    if (filter.from !== undefined) q = q.where('i.created_at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('i.created_at', '<', filter.to);
    return q.orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(limit).execute();
  }

  forExport(regionId: string, filter: { ids?: string[] | undefined; statuses?: string[] | undefined }) {
    let q = this.view().where('i.region_id', '=', regionId);
    if (filter.ids && filter.ids.length > 0) q = q.where('i.id', 'in', filter.ids);
    if (filter.statuses && filter.statuses.length > 0) q = q.where('i.status', 'in', filter.statuses);
    return q.orderBy('i.created_at').orderBy('i.id').limit(50_000).execute();
  }
}

class StaleError extends Error {}
