/**
 * What every use case of incidents shares: the stores and services they work
 * with, the change hooks, and the steps each takes on an incident (find it as
 * the caller may see it, enter an SLA stage, write the change with its timeline
 * lines, tell the bus). Not part of the module's API: the use cases use it.
 */
import type { Transaction } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { sortableId } from '../../core/ids.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { AssetsService } from '../assets/index.ts';
import { requireRole, type DistrictShape, type IdentityService, type Principal } from '../identity/index.ts';
import { ALARM_FOLLOW_UP_WITHIN, RESOLVE_WITHIN, type IncidentSeverity, type IncidentSource, type IncidentStatus, type Incident, type PublicationState } from './incidents.contract.ts';
import type { IncidentChange, IncidentChangeHook } from './incidents.hooks.ts';
import type { EventRow, IncidentRead, IncidentRow, IncidentsRepository, ReporterRow } from './incidents.repository.ts';
import { addWorkingDays, LAPOR_RHYTHM, slaOf } from './incidents.sla.ts';

/** An incident with the names the API shows next to its ids, from identity. */
export type IncidentView = IncidentRead & { opd_code: string | null; opd_name: string | null; assignee_name: string | null };

/** The longest text staff may write (a description, a reason, an answer), characters. */
export const MAX_TEXT = 5000;

export const parseJson = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

/** "Kabupaten Musi Rawas" → "MR": the ticket prefix of a region. */
export function ticketPrefix(regionName: string): string {
  const words = regionName
    .replace(/^(kabupaten|kab\.|kota|regency of|city of)\s+/i, '')
    .split(/[\s-]+/)
    .filter((w) => /^[a-z]/i.test(w));
  const initials = words.map((w) => w[0]!.toUpperCase()).join('').slice(0, 3);
  return initials.length >= 2 ? initials : (words[0] ?? 'LP').slice(0, 2).toUpperCase();
}

/** The OPD whose operators route reports that no category routed (the platform's own OPD). */
const ROUTER_OPD_CODE = 'DISKOMINFO';

export class IncidentRecords {
  /** The region's time zone and ticket prefix, read once. */
  readonly regions = new Map<string, { timezone: string; prefix: string; name: string }>();
  readonly hooks: IncidentChangeHook[] = [];

  readonly repo: IncidentsRepository;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly identity: IdentityService;
  readonly assets: AssetsService;
  constructor(repo: IncidentsRepository, bus: EventBus, clock: Clock, identity: IdentityService, assets: AssetsService) {
    this.repo = repo;
    this.bus = bus;
    this.clock = clock;
    this.identity = identity;
    this.assets = assets;
  }

  /** An incident as the platform itself reads it (a message about it), without the reporter; null when there is none. */
  async byId(regionId: string, id: string): Promise<Incident | null> {
    const row = await this.find(regionId, id);
    return row ? this.toIncident(row, this.clock.now()) : null;
  }

  /**
   * Registers work to do inside the transaction of an incident's change: a
   * filing whose reporter asked to be told, every change of status (by a person,
   * the reporter or the SLA job), the erasure of the reporter's data. A hook that
   * throws rolls the change back.
   */
  onChange(hook: IncidentChangeHook): () => void {
    this.hooks.push(hook);
    return () => {
      const i = this.hooks.indexOf(hook);
      if (i >= 0) this.hooks.splice(i, 1);
    };
  }

  /** The hooks' work for the status lines among these events and the extra changes; undefined when there is none. */
  within(rows: readonly { id: string; region_id: string; ticket: string }[], events: readonly EventRow[], extra: IncidentChange[] = []): ((tx: Transaction<Schema>) => Promise<void>) | undefined {
    if (this.hooks.length === 0) return undefined;
    const changes: IncidentChange[] = events.flatMap((e): IncidentChange[] => {
      const r = rows.find((x) => x.id === e.incident_id);
      if ((e.kind !== 'status' && e.kind !== 'auto_closed') || !r || e.from_value === null || e.to_value === null) return [];
      return [{ kind: 'status', regionId: r.region_id, incidentId: r.id, ticket: r.ticket, at: e.at, from: e.from_value as IncidentStatus, to: e.to_value as IncidentStatus, text: e.text }];
    });
    changes.push(...extra);
    if (changes.length === 0) return undefined;
    return async (tx) => {
      for (const change of changes) for (const hook of [...this.hooks]) await hook(tx, change);
    };
  }

  /** The service's clock (tests move it by hand). */
  now(): number {
    return this.clock.now();
  }

  async opdCodes(regionId: string): Promise<Map<string, string>> {
    return new Map((await this.identity.opdsOf(regionId)).map((o) => [o.code, o.id]));
  }

  async region(regionId: string) {
    let r = this.regions.get(regionId);
    if (!r) {
      const row = await this.identity.getRegion(regionId);
      r = { timezone: row.timezone, prefix: ticketPrefix(row.name), name: row.name };
      this.regions.set(regionId, r);
    }
    return r;
  }

  /** The region's kecamatan boundaries; none when they cannot be read (the kecamatan is a convenience, never a reason to refuse a report). */
  async districtShapes(regionId: string): Promise<DistrictShape[]> {
    try {
      return await this.identity.districtShapes(regionId);
    } catch {
      return [];
    }
  }

  /**
   * Adds the OPD's code and name and the assignee's name to incidents read:
   * one batched look-up of each in identity for the whole page, not a join
   * into identity's tables. (No inbox filter or sort uses these names.)
   */
  async withNames(regionId: string, rows: IncidentRead[]): Promise<IncidentView[]> {
    const [opds, users] = await Promise.all([
      this.identity.opdsByIds(regionId, rows.flatMap((r) => (r.opd_id === null ? [] : [r.opd_id]))),
      this.identity.usersByIds(regionId, rows.flatMap((r) => (r.assignee_user_id === null ? [] : [r.assignee_user_id]))),
    ]);
    const opdById = new Map(opds.map((o) => [o.id, o]));
    const nameById = new Map(users.map((u) => [u.id, u.name]));
    return rows.map((r) => {
      const opd = r.opd_id === null ? undefined : opdById.get(r.opd_id);
      return { ...r, opd_code: opd?.code ?? null, opd_name: opd?.name ?? null, assignee_name: r.assignee_user_id === null ? null : (nameById.get(r.assignee_user_id) ?? null) };
    });
  }

  async find(regionId: string, id: string): Promise<IncidentView | undefined> {
    const row = await this.repo.find(regionId, id);
    return row && (await this.withNames(regionId, [row]))[0];
  }

  async findByTicket(regionId: string, ticket: string): Promise<IncidentView | undefined> {
    const row = await this.repo.findByTicket(regionId, ticket);
    return row && (await this.withNames(regionId, [row]))[0];
  }

  /** Operators of Diskominfo route the reports no category routed. */
  async routes(p: Principal): Promise<boolean> {
    if (p.opdId === null) return false;
    const [opd] = await this.identity.opdsByIds(p.regionId, [p.opdId]);
    return opd?.code === ROUTER_OPD_CODE;
  }

  /** Whether the region has this OPD (the incident action checks its config). */
  async hasOpd(regionId: string, opdId: string): Promise<boolean> {
    return (await this.identity.opdsByIds(regionId, [opdId])).length > 0;
  }

  /**
   * The SLA columns for entering a stage (or leaving them all with null); records a late finish of the current one.
   * Follow-up: the category's days (an alarm's incident: no longer than its severity allows, ALARM_FOLLOW_UP_WITHIN);
   * resolve: by severity (RESOLVE_WITHIN); close: the category's silent-reporter days.
   */
  async stage(row: IncidentRow, next: 'follow_up' | 'resolve' | 'close' | null, now: number, severity = row.severity as IncidentSeverity): Promise<Partial<IncidentRow>> {
    const late = (row.sla_stage === 'route' || row.sla_stage === 'follow_up' || row.sla_stage === 'resolve') && row.sla_due_at !== null && now > row.sla_due_at;
    const base = { sla_breached: row.sla_breached === 1 || late ? 1 : 0 };
    if (next === null) return { ...base, sla_stage: null, sla_started_at: null, sla_due_at: null };
    const { timezone } = await this.region(row.region_id);
    return { ...base, sla_stage: next, sla_started_at: now, sla_due_at: addWorkingDays(now, await this.stageDays(row, next, severity), timezone) };
  }

  /** The running stage's due time again from its start, at a new severity (its days may depend on it); nothing else changes. */
  async restage(row: IncidentRow, severity: IncidentSeverity): Promise<Partial<IncidentRow>> {
    const stage = row.sla_stage;
    if ((stage !== 'resolve' && !(stage === 'follow_up' && row.source === 'alarm')) || row.sla_started_at === null) return {};
    const { timezone } = await this.region(row.region_id);
    return { sla_due_at: addWorkingDays(row.sla_started_at, await this.stageDays(row, stage, severity), timezone) };
  }

  /** Working days of a stage for this incident at this severity. */
  async stageDays(row: Pick<IncidentRow, 'region_id' | 'category_code' | 'source'>, stage: 'follow_up' | 'resolve' | 'close', severity: IncidentSeverity): Promise<number> {
    if (stage === 'resolve') return RESOLVE_WITHIN[severity] ?? RESOLVE_WITHIN.medium;
    const category = await this.repo.findCategory(row.region_id, row.category_code);
    if (stage === 'close') return category?.sla_close_days ?? LAPOR_RHYTHM.closeAfterSilentWorkingDays;
    const days = category?.sla_follow_up_days ?? LAPOR_RHYTHM.followUpWithinWorkingDays;
    return row.source === 'alarm' ? Math.min(days, ALARM_FOLLOW_UP_WITHIN[severity] ?? days) : days;
  }

  event(row: { id: string; region_id: string }, kind: string, userId: string | null, isPublic: boolean, text: string | null, from: string | null, to: string | null, at: number): EventRow {
    return { id: sortableId(), incident_id: row.id, region_id: row.region_id, kind, at, user_id: userId, public: isPublic ? 1 : 0, text, from_value: from, to_value: to };
  }

  async apply(p: Principal, row: IncidentView, patch: Partial<IncidentRow>, events: EventRow[]): Promise<Incident> {
    if (!(await this.repo.update([{ id: row.id, expectStatus: row.status, patch }], events, undefined, this.within([row], events)))) {
      throw new AppError('CONFLICT', 'the incident changed meanwhile; reload and try again');
    }
    this.publishUpdated(p.regionId, row.id);
    // Diskominfo routing a report to another OPD no longer sees it as its own: it gets the report without its reporter.
    if (p.role === 'operator' && patch.opd_id !== undefined && patch.opd_id !== p.opdId) return (await this.byId(p.regionId, row.id))!;
    return this.get(p, row.id);
  }

  publishUpdated(regionId: string, id: string): void {
    void this.find(regionId, id).then(
      (row) => {
        if (row) this.bus.publish('incident.updated', { regionId, opdId: row.opd_id, incident: this.toIncident(row, this.clock.now()) });
      },
      () => {},
    );
  }

  async get(p: Principal, id: string): Promise<Incident> {
    const row = await this.visible(p, id);
    const reporter = this.seesReporter(p, row) ? await this.repo.reporter(row.id) : undefined;
    return this.withReporter(p, row, reporter, this.clock.now());
  }

  async visible(p: Principal, id: string): Promise<IncidentView> {
    const row = await this.find(p.regionId, id);
    if (!row) throw new AppError('INCIDENT_NOT_FOUND', `no incident ${id} in this region`);
    if (p.role === 'operator' && row.opd_id !== null && row.opd_id !== p.opdId) throw new AppError('FORBIDDEN', "this incident is another OPD's");
    return row;
  }

  /** Admins, and operators of the OPD it is routed to. */
  async actable(p: Principal, id: string): Promise<IncidentView> {
    requireRole(p, 'admin', 'operator');
    const row = await this.visible(p, id);
    if (p.role === 'operator' && row.opd_id !== p.opdId) throw new AppError('FORBIDDEN', 'the incident is not routed to your OPD; take it first (assign)');
    return row;
  }

  seesReporter(p: Principal, row: IncidentRow): boolean {
    return p.role === 'admin' || (p.role === 'operator' && row.opd_id !== null && row.opd_id === p.opdId);
  }

  withReporter(p: Principal, row: IncidentView, reporter: ReporterRow | undefined, now: number): Incident {
    const incident = this.toIncident(row, now);
    if (!this.seesReporter(p, row)) return incident;
    return { ...incident, reporter: { name: reporter?.name ?? null, phone: reporter?.phone ?? null, email: reporter?.email ?? null } };
  }

  toIncident(r: IncidentView, now: number): Incident {
    return {
      id: r.id,
      ticket: r.ticket,
      regionId: r.region_id,
      source: r.source as IncidentSource,
      categoryCode: r.category_code,
      title: r.title,
      titleEn: r.title_en,
      description: r.description,
      severity: r.severity as IncidentSeverity,
      status: r.status as IncidentStatus,
      rejectReason: r.reject_reason,
      lon: r.lon,
      lat: r.lat,
      address: r.address,
      districtCode: r.district_code,
      opdId: r.opd_id,
      opdCode: r.opd_code,
      assigneeUserId: r.assignee_user_id,
      assigneeName: r.assignee_name,
      alarmId: r.alarm_id,
      assetId: r.asset_id,
      deviceId: r.device_id,
      publication: r.publication as PublicationState,
      publicTitle: r.public_title,
      publicText: r.public_text,
      publicPhoto: r.public_photo === 1,
      mergedIntoId: r.merged_into_id,
      laporId: r.lapor_id,
      photos: parseJson<string[]>(r.photos, []).map((id) => ({ id, url: `/api/v1/photos/${id}` })),
      mediaUrl: r.media_url,
      attributes: parseJson<Record<string, string | string[]>>(r.attributes, {}),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      resolvedAt: r.resolved_at,
      closedAt: r.closed_at,
      reporterRepliedAt: r.reporter_replied_at ?? null,
      sla: slaOf(r.sla_stage, r.sla_started_at, r.sla_due_at, now, this.regions.get(r.region_id)?.timezone),
    };
  }
}
