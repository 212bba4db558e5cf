import { timingSafeEqual } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { IncidentEventPayload } from '../../core/events.ts';
import { hashToken, newId, newSecretToken, sortableId } from '../../core/ids.ts';
import { decodeCursor, encodeCursor, type Page } from '../../core/paging.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { AssetsService } from '../assets/index.ts';
import { districtOf, requireRole, type DistrictShape, type IdentityService, type Principal } from '../identity/index.ts';
import { DEFAULT_CATEGORIES, type CategorySeed } from './incidents.categories.ts';
import type { IncidentChange, IncidentChangeHook, ReporterNotify } from './incidents.hooks.ts';
import type { CategoryRow, EventRow, IncidentFilter, IncidentRead, IncidentRow, IncidentsRepository, ReporterRow } from './incidents.repository.ts';
import { addWorkingDays, LAPOR_RHYTHM, slaOf } from './incidents.sla.ts';
import {
  INCIDENT_SEVERITIES,
  MAX_REPLY,
  OPEN_STATUSES,
  TRANSITIONS,
  type Category,
  type CategoryAttribute,
  type Duplicate,
  type Incident,
  type IncidentDetail,
  type IncidentSeverity,
  type IncidentSource,
  type IncidentStatus,
  type PublicIncident,
  type PublicStatus,
  type PublicUpdate,
  type PublicUpdateKind,
  type SlaSummary,
  type SummaryRow,
  type TimelineEntry,
} from './incidents.contract.ts';

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

/** Reports of the same category this near, filed this close in time, are suggested as duplicates. */
export const DUPLICATE_RADIUS_M = 250;
export const DUPLICATE_WINDOW_MS = 72 * 3_600_000;

/** An incident with the names the API shows next to its ids, from identity. */
export type IncidentView = IncidentRead & { opd_code: string | null; opd_name: string | null; assignee_name: string | null };

export interface FileInput {
  categoryCode: string;
  title?: string | null;
  description: string;
  severity?: IncidentSeverity | null;
  lon: number | null;
  lat: number | null;
  address: string | null;
  districtCode?: string | null;
  reporter?: { name?: string | null; phone?: string | null; email?: string | null } | null;
  photoIds?: string[];
  mediaUrl?: string | null;
  attributes?: Record<string, string | string[]>;
  apiKeyId?: string | null;
  source?: IncidentSource;
  alarmId?: string | null;
  laporId?: string | null;
  /** for imports: when the report was first filed elsewhere */
  filedAt?: number;
  /** the OPD to route to, instead of the category's */
  opdId?: string | null;
  createdBy?: string | null;
  /** extra public timeline text on the created line */
  note?: string | null;
  /** the reporter asks to be told about the report (handed to the change hooks at filing) */
  notify?: ReporterNotify | null;
}

const MAX_TEXT = 5000;

const parseJson = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

const toCategory = (r: CategoryRow, opdIds: Map<string, string>): Category => ({
  code: r.code,
  nameId: r.name_id,
  nameEn: r.name_en,
  descriptionId: r.description_id,
  descriptionEn: r.description_en,
  group: r.group_name,
  opdId: r.opd_code === null ? null : (opdIds.get(r.opd_code) ?? null),
  opdCode: r.opd_code,
  defaultSeverity: r.default_severity as IncidentSeverity,
  keywords: parseJson<string[]>(r.keywords, []),
  attributes: parseJson<CategoryAttribute[]>(r.attributes, []),
  active: r.active === 1,
  slaRouteDays: r.sla_route_days,
  slaFollowUpDays: r.sla_follow_up_days,
  slaCloseDays: r.sla_close_days,
});

function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(a)));
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The reporter's code against its stored SHA-256, in constant time; false once it is erased. */
function secretMatches(row: { erase_secret_hash: string | null }, secret: string): boolean {
  if (row.erase_secret_hash === null) return false;
  const a = Buffer.from(hashToken(secret));
  const b = Buffer.from(row.erase_secret_hash);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** "Kabupaten Musi Rawas" → "MR": the ticket prefix of a region. */
export function ticketPrefix(regionName: string): string {
  const words = regionName
    .replace(/^(kabupaten|kab\.|kota|regency of|city of)\s+/i, '')
    .split(/[\s-]+/)
    .filter((w) => /^[a-z]/i.test(w));
  const initials = words.map((w) => w[0]!.toUpperCase()).join('').slice(0, 3);
  return initials.length >= 2 ? initials : (words[0] ?? 'LP').slice(0, 2).toUpperCase();
}

/**
 * Incidents: citizen reports, alarms and operator entries in one model, with
 * their routing to OPDs, status machine, timeline, SP4N-LAPOR! SLA, duplicates
 * and merging, and the reporter's personal data kept apart so it can be erased.
 */
/** An incident whose SLA stage just ran past its due time (route or follow-up). */
export interface IncidentBreach {
  id: string;
  regionId: string;
  opdId: string | null;
  severity: IncidentSeverity;
  stage: string | null;
  /** ms since epoch, UTC */
  dueAt: number | null;
}
/** Work another module does inside the transaction that marks breaches (the notifications' escalation). */
export type IncidentBreachHook = (tx: Transaction<Schema>, breaches: IncidentBreach[]) => Promise<void>;

/** The OPD whose operators route reports that no category routed (the platform's own OPD). */
const ROUTER_OPD_CODE = 'DISKOMINFO';

export class IncidentsService {
  private readonly regions = new Map<string, { timezone: string; prefix: string; name: string }>();
  private readonly hooks: IncidentChangeHook[] = [];

  readonly repo: IncidentsRepository;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  private readonly identity: IdentityService;
  private readonly assets: AssetsService;
  private readonly breachHooks: IncidentBreachHook[] = [];
  constructor(repo: IncidentsRepository, bus: EventBus, clock: Clock, identity: IdentityService, assets: AssetsService) {
    this.repo = repo;
    this.bus = bus;
    this.clock = clock;
    this.identity = identity;
    this.assets = assets;
  }

  /** Work another module does in the transaction that marks SLA breaches (the escalation); throwing rolls the marks back. */
  onBreach(hook: IncidentBreachHook): () => void {
    this.breachHooks.push(hook);
    return () => this.breachHooks.splice(this.breachHooks.indexOf(hook), 1);
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
  private within(rows: readonly { id: string; region_id: string; ticket: string }[], events: readonly EventRow[], extra: IncidentChange[] = []): ((tx: Transaction<Schema>) => Promise<void>) | undefined {
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

  // Categories

  /** Seeds the default categories into a region that has none (idempotent). */
  async ensureDefaultCategories(regionId: string): Promise<boolean> {
    if ((await this.repo.countCategories(regionId)) > 0) return false;
    const now = this.clock.now();
    await this.repo.insertCategories(DEFAULT_CATEGORIES.map((c, i) => this.categoryRow(regionId, c, i, now)));
    return true;
  }

  async listCategories(regionId: string): Promise<Category[]> {
    const [rows, opds] = await Promise.all([this.repo.listCategories(regionId), this.opdCodes(regionId)]);
    return rows.map((r) => toCategory(r, opds));
  }

  async getCategory(regionId: string, code: string): Promise<Category | null> {
    const row = await this.repo.findCategory(regionId, code);
    return row ? toCategory(row, await this.opdCodes(regionId)) : null;
  }

  async createCategory(p: Principal, input: Omit<CategorySeed, 'active'> & { active?: boolean }): Promise<Category> {
    requireRole(p, 'admin');
    if (await this.repo.findCategory(p.regionId, input.code)) throw new AppError('CATEGORY_EXISTS', `a category with the code ${input.code} exists already`);
    const seed: CategorySeed = { ...input, opdCode: input.opdCode === null ? null : input.opdCode.trim().toUpperCase(), active: input.active ?? true };
    this.checkAttributes(seed.attributes);
    const rows = await this.repo.listCategories(p.regionId);
    await this.repo.insertCategories([this.categoryRow(p.regionId, seed, rows.length, this.clock.now())]);
    return (await this.getCategory(p.regionId, input.code))!;
  }

  async updateCategory(p: Principal, code: string, patch: Partial<Omit<CategorySeed, 'code'>>): Promise<Category> {
    requireRole(p, 'admin');
    if (!(await this.repo.findCategory(p.regionId, code))) throw new AppError('CATEGORY_NOT_FOUND', `no category ${code} in this region`);
    if (patch.attributes) this.checkAttributes(patch.attributes);
    const row: Partial<CategoryRow> = { updated_at: this.clock.now() };
    if (patch.nameId !== undefined) row.name_id = patch.nameId;
    if (patch.nameEn !== undefined) row.name_en = patch.nameEn;
    if (patch.descriptionId !== undefined) row.description_id = patch.descriptionId;
    if (patch.descriptionEn !== undefined) row.description_en = patch.descriptionEn;
    if (patch.group !== undefined) row.group_name = patch.group;
    if (patch.opdCode !== undefined) row.opd_code = patch.opdCode === null ? null : patch.opdCode.trim().toUpperCase();
    if (patch.defaultSeverity !== undefined) row.default_severity = patch.defaultSeverity;
    if (patch.slaRouteDays !== undefined) row.sla_route_days = patch.slaRouteDays;
    if (patch.slaFollowUpDays !== undefined) row.sla_follow_up_days = patch.slaFollowUpDays;
    if (patch.slaCloseDays !== undefined) row.sla_close_days = patch.slaCloseDays;
    if (patch.keywords !== undefined) row.keywords = JSON.stringify(patch.keywords);
    if (patch.attributes !== undefined) row.attributes = JSON.stringify(patch.attributes);
    if (patch.active !== undefined) row.active = patch.active ? 1 : 0;
    await this.repo.updateCategory(p.regionId, code, row);
    return (await this.getCategory(p.regionId, code))!;
  }

  /** Deletes an unused category; one with incidents is deactivated instead (its incidents keep their code). */
  async deleteCategory(p: Principal, code: string): Promise<void> {
    requireRole(p, 'admin');
    if (!(await this.repo.findCategory(p.regionId, code))) throw new AppError('CATEGORY_NOT_FOUND', `no category ${code} in this region`);
    if ((await this.repo.categoryUsage(p.regionId, code)) > 0) await this.repo.updateCategory(p.regionId, code, { active: 0, updated_at: this.clock.now() });
    else await this.repo.deleteCategory(p.regionId, code);
  }

  private checkAttributes(attributes: CategoryAttribute[]): void {
    const seen = new Set<string>();
    for (const a of attributes) {
      if (seen.has(a.code)) throw new AppError('VALIDATION_FAILED', `attribute code ${a.code} appears twice`);
      seen.add(a.code);
      if ((a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist') && (!a.values || a.values.length === 0)) {
        throw new AppError('VALIDATION_FAILED', `attribute ${a.code} is a list and needs values`);
      }
    }
  }

  private categoryRow(regionId: string, c: CategorySeed, sort: number, now: number): CategoryRow {
    return {
      region_id: regionId,
      code: c.code,
      name_id: c.nameId,
      name_en: c.nameEn,
      description_id: c.descriptionId,
      description_en: c.descriptionEn,
      group_name: c.group,
      opd_code: c.opdCode,
      default_severity: c.defaultSeverity,
      keywords: JSON.stringify(c.keywords),
      attributes: JSON.stringify(c.attributes),
      active: c.active ? 1 : 0,
      sort,
      sla_route_days: c.slaRouteDays ?? null,
      sla_follow_up_days: c.slaFollowUpDays ?? null,
      sla_close_days: c.slaCloseDays ?? null,
      created_at: now,
      updated_at: now,
    };
  }

  private async opdCodes(regionId: string): Promise<Map<string, string>> {
    return new Map((await this.identity.opdsOf(regionId)).map((o) => [o.code, o.id]));
  }

  private async region(regionId: string) {
    let r = this.regions.get(regionId);
    if (!r) {
      const row = await this.identity.getRegion(regionId);
      r = { timezone: row.timezone, prefix: ticketPrefix(row.name), name: row.name };
      this.regions.set(regionId, r);
    }
    return r;
  }

  // Filing

  /** A citizen report (Open311, the public page) or an imported SP4N-LAPOR! report. */
  async fileReport(
    regionId: string,
    input: {
      categoryCode: string;
      description: string;
      lon: number | null;
      lat: number | null;
      address: string | null;
      reporter: { name?: string | null; phone?: string | null; email?: string | null };
      photoIds: string[];
      mediaUrl: string | null;
      attributes: Record<string, string | string[]>;
      apiKeyId: string | null;
      source?: 'report' | 'lapor';
      title?: string | null;
      /** when it was filed, if earlier than now (an import, the demo) */
      filedAt?: number;
      /** the reporter asks to be told about it on this channel */
      notify?: ReporterNotify | null;
    },
  ): Promise<{ incident: Incident; eraseSecret: string }> {
    const [result] = await this.file(regionId, [{ ...input, source: input.source ?? 'report' }]);
    return result!;
  }

  /** An operator's own entry. */
  async create(
    p: Principal,
    input: { categoryCode: string; title?: string; description: string; severity?: IncidentSeverity; lon?: number; lat?: number; address?: string; districtCode?: string; reporter?: { name?: string | null; phone?: string | null; email?: string | null } },
  ): Promise<Incident> {
    requireRole(p, 'admin', 'operator');
    const [result] = await this.file(p.regionId, [
      {
        categoryCode: input.categoryCode,
        title: input.title ?? null,
        description: input.description,
        severity: input.severity ?? null,
        lon: input.lon ?? null,
        lat: input.lat ?? null,
        address: input.address ?? null,
        districtCode: input.districtCode ?? null,
        reporter: input.reporter ?? null,
        source: 'operator',
        createdBy: p.userId,
      },
    ]);
    return this.get(p, result!.incident.id);
  }

  /**
   * Checks and files incidents in one transaction: all or none. Returns each
   * with the reporter's erasure secret (shown once).
   */
  async file(regionId: string, inputs: FileInput[]): Promise<{ incident: Incident; eraseSecret: string }[]> {
    const region = await this.region(regionId);
    const categories = new Map((await this.repo.listCategories(regionId)).map((c) => [c.code, c]));
    const opds = await this.opdCodes(regionId);
    const districts = inputs.some((i) => i.districtCode) ? new Set((await this.identity.listDistricts(regionId)).map((d) => d.code)) : new Set<string>();
    // the kecamatan boundaries read once for the whole batch (a LAPOR! import files thousands)
    const shapes = inputs.some((i) => !i.districtCode && i.lon !== null && i.lat !== null) ? await this.districtShapes(regionId) : [];
    const now = this.clock.now();
    const items: Parameters<IncidentsRepository['insert']>[0] = [];
    const secrets: string[] = [];
    for (const input of inputs) {
      const category = categories.get(input.categoryCode);
      if (!category || category.active !== 1) throw new AppError('CATEGORY_UNKNOWN', `unknown category (service code) "${input.categoryCode}"`);
      const description = input.description.trim();
      if (description === '') throw new AppError('VALIDATION_FAILED', 'description must not be empty');
      if (description.length > MAX_TEXT) throw new AppError('VALIDATION_FAILED', `description is longer than ${MAX_TEXT} characters`);
      if ((input.lon === null) !== (input.lat === null)) throw new AppError('VALIDATION_FAILED', 'give both lon and lat, or neither');
      if (input.lon !== null && (!Number.isFinite(input.lon) || input.lon < -180 || input.lon > 180)) throw new AppError('VALIDATION_FAILED', 'lon must be a number from -180 to 180');
      if (input.lat !== null && (!Number.isFinite(input.lat) || input.lat < -90 || input.lat > 90)) throw new AppError('VALIDATION_FAILED', 'lat must be a number from -90 to 90');
      if (input.districtCode && !districts.has(input.districtCode)) {
        throw new AppError('VALIDATION_FAILED', `districtCode ${input.districtCode} is not a kecamatan of this region`);
      }
      const districtCode = input.districtCode || (input.lon !== null && input.lat !== null ? districtOf(shapes, input.lon, input.lat) : null);
      const r0 = input.reporter ?? {};
      for (const [field, max] of [['name', 200], ['phone', 50], ['email', 254]] as const) {
        const v = r0[field];
        if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > max)) throw new AppError('VALIDATION_FAILED', `reporter ${field} must be text of at most ${max} characters`);
      }
      if ((input.address?.length ?? 0) > 500) throw new AppError('VALIDATION_FAILED', 'address is longer than 500 characters');
      if ((input.mediaUrl?.length ?? 0) > 2000) throw new AppError('VALIDATION_FAILED', 'media url is longer than 2000 characters');
      if ((input.photoIds?.length ?? 0) > 10) throw new AppError('VALIDATION_FAILED', 'at most 10 photos per report');
      const source = input.source ?? 'report';
      const attributes = this.checkValues(parseJson<CategoryAttribute[]>(category.attributes, []), input.attributes ?? {}, source === 'report');
      const severity = input.severity ?? (category.default_severity as IncidentSeverity);
      if (!(INCIDENT_SEVERITIES as readonly string[]).includes(severity)) throw new AppError('VALIDATION_FAILED', `severity must be one of ${INCIDENT_SEVERITIES.join(', ')}`);
      const opdId = input.opdId !== undefined && input.opdId !== null ? input.opdId : category.opd_code === null ? null : (opds.get(category.opd_code) ?? null);
      const filedAt = input.filedAt !== undefined && input.filedAt <= now ? input.filedAt : now;
      const secret = newSecretToken();
      const id = newId();
      const r = input.reporter ?? null;
      const clean = (v: string | null | undefined) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
      const reporter: ReporterRow | null =
        r && (clean(r.name) || clean(r.phone) || clean(r.email)) ? { incident_id: id, region_id: regionId, name: clean(r.name), phone: clean(r.phone), email: clean(r.email), created_at: now } : null;
      const row: Omit<IncidentRow, 'ticket'> = {
        id,
        region_id: regionId,
        source,
        category_code: category.code,
        title: (input.title?.trim() || category.name_id).slice(0, 200),
        description,
        severity,
        status: 'new',
        reject_reason: null,
        lon: input.lon,
        lat: input.lat,
        address: input.address?.trim() || null,
        district_code: districtCode,
        opd_id: opdId,
        assignee_user_id: null,
        alarm_id: input.alarmId ?? null,
        merged_into_id: null,
        lapor_id: input.laporId ?? null,
        photos: JSON.stringify(input.photoIds ?? []),
        media_url: input.mediaUrl ?? null,
        attributes: JSON.stringify(attributes),
        api_key_id: input.apiKeyId ?? null,
        // A citizen's report keeps its code even without personal data: it also signs the reporter's answers.
        erase_secret_hash: reporter || source === 'report' ? hashToken(secret) : null,
        created_by: input.createdBy ?? null,
        created_at: filedAt,
        updated_at: now,
        assigned_at: null,
        followed_up_at: null,
        resolved_at: null,
        closed_at: null,
        last_answer_at: null,
        sla_stage: 'route',
        sla_started_at: filedAt,
        sla_due_at: addWorkingDays(filedAt, category.sla_route_days ?? LAPOR_RHYTHM.routeWithinWorkingDays, region.timezone),
        sla_breached: 0,
      };
      items.push({ row, reporter, events: [this.event(row, 'created', input.createdBy ?? null, true, input.note ?? null, null, 'new', now)] });
      secrets.push(secret);
    }
    const notifies = inputs.map((i) => i.notify ?? null);
    const hooks = this.hooks;
    const told =
      hooks.length > 0 && notifies.some((n) => n !== null)
        ? async (tx: Transaction<Schema>, stored: IncidentRow[]) => {
            for (const [i, row] of stored.entries()) {
              const notify = notifies[i];
              if (notify) for (const hook of [...hooks]) await hook(tx, { kind: 'filed', regionId, incidentId: row.id, ticket: row.ticket, at: now, notify });
            }
          }
        : undefined;
    const rows = await this.repo.insert(items, (n) => `${region.prefix}-${String(n).padStart(6, '0')}`, told);
    // the rows as stored, named in one look-up for the whole batch (no reporter has answered a new incident)
    const views = await this.withNames(regionId, rows.map((row) => ({ ...row, reporter_replied_at: null })));
    const out: { incident: Incident; eraseSecret: string }[] = [];
    for (const [i, view] of views.entries()) {
      const incident = this.toIncident(view, now);
      this.bus.publish('incident.created', { regionId, opdId: view.opd_id, incident: incident as unknown as IncidentEventPayload });
      // The reporter is not echoed back: what a filing returns may reach a public answer.
      out.push({ incident, eraseSecret: secrets[i]! });
    }
    return out;
  }

  /** The region's kecamatan boundaries; none when they cannot be read (the kecamatan is a convenience, never a reason to refuse a report). */
  private async districtShapes(regionId: string): Promise<DistrictShape[]> {
    try {
      return await this.identity.districtShapes(regionId);
    } catch {
      return [];
    }
  }

  /** Checks the category's extra attributes; `strict` requires the required ones (citizen reports). */
  private checkValues(defs: CategoryAttribute[], values: Record<string, string | string[]>, strict: boolean): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const def of defs) {
      const v = values[def.code];
      const empty = v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
      if (empty) {
        if (strict && def.required) throw new AppError('VALIDATION_FAILED', `attribute ${def.code} is required: ${def.descriptionEn}`);
        continue;
      }
      const list = Array.isArray(v) ? v : [v];
      if (def.datatype !== 'multivaluelist' && list.length > 1) throw new AppError('VALIDATION_FAILED', `attribute ${def.code} takes one value`);
      for (const item of list) {
        if (typeof item !== 'string' || item.length > 1000) throw new AppError('VALIDATION_FAILED', `attribute ${def.code} must be text up to 1000 characters`);
        if (def.datatype === 'number' && !Number.isFinite(Number(item))) throw new AppError('VALIDATION_FAILED', `attribute ${def.code} must be a number`);
        if (def.datatype === 'datetime' && Number.isNaN(Date.parse(item))) throw new AppError('VALIDATION_FAILED', `attribute ${def.code} must be a date and time`);
        if ((def.datatype === 'singlevaluelist' || def.datatype === 'multivaluelist') && !def.values?.some((x) => x.key === item)) {
          throw new AppError('VALIDATION_FAILED', `attribute ${def.code} must be one of ${def.values?.map((x) => x.key).join(', ')}`);
        }
      }
      out[def.code] = def.datatype === 'multivaluelist' ? list : list[0]!;
    }
    return out;
  }

  // Reading

  async list(p: Principal, filter: Omit<IncidentFilter, 'visibleToOpd' | 'overdueAt'> & { overdue?: boolean | undefined }, limit: number, cursor?: string): Promise<Page<Incident>> {
    const now = this.clock.now();
    const { overdue, ...rest } = filter;
    const scoped: IncidentFilter = { ...rest, ...(overdue === true && { overdueAt: now }), ...(p.role === 'operator' && { visibleToOpd: p.opdId ?? '' }) };
    const rows = await this.withNames(p.regionId, await this.repo.list(p.regionId, scoped, limit, decodeCursor(cursor)));
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    const reporters = new Map((await this.repo.reporters(kept.filter((r) => this.seesReporter(p, r)).map((r) => r.id))).map((r) => [r.incident_id, r]));
    const last = kept[kept.length - 1];
    return {
      items: kept.map((r) => this.withReporter(p, r, reporters.get(r.id), now)),
      nextCursor: more && last ? encodeCursor({ at: last.created_at, id: last.id }) : null,
    };
  }

  async get(p: Principal, id: string): Promise<Incident> {
    const row = await this.visible(p, id);
    const reporter = this.seesReporter(p, row) ? await this.repo.reporter(row.id) : undefined;
    return this.withReporter(p, row, reporter, this.clock.now());
  }

  async detail(p: Principal, id: string): Promise<IncidentDetail> {
    const incident = await this.get(p, id);
    const [timeline, duplicates] = await Promise.all([this.timeline(p.regionId, id), this.duplicates(p.regionId, incident)]);
    return { ...incident, timeline, duplicates };
  }

  async timeline(regionId: string, id: string): Promise<TimelineEntry[]> {
    const events = await this.repo.timeline(id);
    // The actors' names in one look-up for the whole timeline.
    const names = new Map((await this.identity.usersByIds(regionId, events.flatMap((e) => (e.user_id === null ? [] : [e.user_id])))).map((u) => [u.id, u.name]));
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
    const rows = await this.repo.nearby(regionId, incident.categoryCode, incident.createdAt - DUPLICATE_WINDOW_MS, incident.createdAt + DUPLICATE_WINDOW_MS, {
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

  // Changes

  async assign(p: Principal, id: string, input: { opdId?: string | null | undefined; assigneeUserId?: string | null | undefined }): Promise<Incident> {
    requireRole(p, 'admin', 'operator');
    const row = await this.visible(p, id);
    if (p.role === 'operator' && row.opd_id !== null && row.opd_id !== p.opdId) throw new AppError('FORBIDDEN', "this incident is another OPD's");
    if (!(['new', 'assigned', 'in_progress'] as string[]).includes(row.status)) {
      throw new AppError('INCIDENT_TRANSITION_INVALID', `an incident that is ${row.status} cannot be assigned; reopen it first`);
    }
    // An unrouted report is routed by Diskominfo or an admin: an operator who could take it would read its reporter.
    if (p.role === 'operator' && row.opd_id === null && !(await this.routes(p))) throw new AppError('FORBIDDEN', 'an unrouted report is routed by Diskominfo or an admin');
    const opdId = input.opdId ?? row.opd_id;
    if (opdId === null) throw new AppError('VALIDATION_FAILED', 'opdId is needed: the incident is not routed to an OPD yet');
    const [opd] = await this.identity.opdsByIds(p.regionId, [opdId]);
    if (!opd) throw new AppError('OPD_NOT_FOUND', `no OPD ${opdId} in this region`);
    let assignee: string | null = opdId === row.opd_id ? row.assignee_user_id : null;
    let assigneeName: string | null = opdId === row.opd_id ? row.assignee_name : null;
    if (input.assigneeUserId !== undefined) {
      if (input.assigneeUserId === null) {
        assignee = null;
        assigneeName = null;
      } else {
        const [user] = await this.identity.usersByIds(p.regionId, [input.assigneeUserId]);
        if (!user) throw new AppError('USER_NOT_FOUND', `no user ${input.assigneeUserId} in this region`);
        // a viewer could not act on it: the incident would stall with them
        if (user.opdId !== opdId || user.disabled || user.role === 'viewer') throw new AppError('VALIDATION_FAILED', `the assignee must be an active operator or admin of the OPD ${opd.code}`);
        assignee = user.id;
        assigneeName = user.name;
      }
    }
    const now = this.clock.now();
    const patch: Partial<IncidentRow> = { opd_id: opdId, assignee_user_id: assignee, updated_at: now };
    let status = row.status;
    if (row.status === 'new') {
      status = 'assigned';
      Object.assign(patch, { status, assigned_at: now, ...(await this.stage(row, 'follow_up', now)) });
    }
    const from = [row.opd_code, row.assignee_name].filter(Boolean).join(' / ') || null;
    const to = [opd.code, assigneeName].filter(Boolean).join(' / ');
    const events = [this.event(row, 'assigned', p.userId, false, null, from, to, now)];
    if (status !== row.status) events.push(this.event(row, 'status', p.userId, true, null, row.status, status, now));
    return this.apply(p, row, patch, events);
  }

  async setStatus(p: Principal, id: string, status: IncidentStatus, reason?: string | null): Promise<Incident> {
    requireRole(p, 'admin', 'operator');
    const row = await this.actable(p, id);
    const from = row.status as IncidentStatus;
    if (!TRANSITIONS[from].includes(status)) {
      throw new AppError('INCIDENT_TRANSITION_INVALID', `an incident cannot go from ${from} to ${status}; allowed: ${TRANSITIONS[from].join(', ') || 'none'}`);
    }
    const text = reason?.trim() || null;
    if (status === 'rejected' && text === null) throw new AppError('VALIDATION_FAILED', 'a rejection needs a reason');
    if (text !== null && text.length > MAX_TEXT) throw new AppError('VALIDATION_FAILED', `reason is longer than ${MAX_TEXT} characters`);
    if (status === 'assigned' && row.opd_id === null) throw new AppError('INCIDENT_TRANSITION_INVALID', 'route the incident to an OPD first (assign)');
    const now = this.clock.now();
    const patch: Partial<IncidentRow> = { status, updated_at: now };
    switch (status) {
      case 'assigned':
        Object.assign(patch, { assigned_at: now, ...(await this.stage(row, 'follow_up', now)) });
        break;
      case 'in_progress':
        Object.assign(patch, { followed_up_at: row.followed_up_at ?? now, resolved_at: null, last_answer_at: null, ...(await this.stage(row, null, now)) });
        break;
      case 'resolved':
        Object.assign(patch, { resolved_at: now, last_answer_at: now, followed_up_at: row.followed_up_at ?? now, ...(await this.stage(row, 'close', now)) });
        break;
      case 'closed':
        Object.assign(patch, { closed_at: now, ...(await this.stage(row, null, now)) });
        break;
      case 'rejected':
        Object.assign(patch, { reject_reason: text, closed_at: now, ...(await this.stage(row, null, now)) });
        break;
    }
    return this.apply(p, row, patch, [this.event(row, 'status', p.userId, true, text, from, status, now)]);
  }

  /** Changes the severity (admins, or operators of the OPD it is routed to). */
  async setSeverity(p: Principal, id: string, severity: IncidentSeverity): Promise<Incident> {
    const row = await this.actable(p, id);
    if (!(INCIDENT_SEVERITIES as readonly string[]).includes(severity)) throw new AppError('VALIDATION_FAILED', `severity must be one of ${INCIDENT_SEVERITIES.join(', ')}`);
    if (row.severity === severity) return this.get(p, id);
    const now = this.clock.now();
    return this.apply(p, row, { severity, updated_at: now }, [this.event(row, 'severity', p.userId, false, null, row.severity, severity, now)]);
  }

  async addUpdate(p: Principal, id: string, input: { text: string; public: boolean }): Promise<TimelineEntry> {
    requireRole(p, 'admin', 'operator');
    const row = await this.actable(p, id);
    const text = input.text.trim();
    if (text === '') throw new AppError('VALIDATION_FAILED', 'text must not be empty');
    if (text.length > MAX_TEXT) throw new AppError('VALIDATION_FAILED', `text is longer than ${MAX_TEXT} characters`);
    const now = this.clock.now();
    const patch: Partial<IncidentRow> = { updated_at: now };
    if (input.public && row.status === 'assigned' && row.followed_up_at === null) Object.assign(patch, { followed_up_at: now, ...(await this.stage(row, null, now)) });
    // Reopened by the reporter ("not fixed yet"): a public answer is the new follow-up.
    if (input.public && row.status === 'in_progress' && row.sla_stage === 'follow_up') Object.assign(patch, await this.stage(row, null, now));
    // An answer to a resolved incident restarts the close countdown (the category's close days).
    if (input.public && row.status === 'resolved') Object.assign(patch, { last_answer_at: now, ...(await this.stage(row, 'close', now)) });
    const event = this.event(row, input.public ? 'public_update' : 'note', p.userId, input.public, text, null, null, now);
    await this.apply(p, row, patch, [event]);
    return (await this.timeline(p.regionId, id)).find((e) => e.id === event.id)!;
  }

  async merge(p: Principal, id: string, intoId: string): Promise<Incident> {
    requireRole(p, 'admin', 'operator');
    if (id === intoId) throw new AppError('VALIDATION_FAILED', 'an incident cannot be merged into itself');
    const row = await this.actable(p, id);
    const target = await this.visible(p, intoId);
    if (row.status === 'closed' || row.status === 'rejected') throw new AppError('INCIDENT_TRANSITION_INVALID', `an incident that is ${row.status} cannot be merged`);
    if (target.status === 'closed' || target.status === 'rejected' || target.merged_into_id !== null) {
      throw new AppError('INCIDENT_TRANSITION_INVALID', `cannot merge into ${target.ticket}: it is ${target.merged_into_id ? 'merged itself' : target.status}`);
    }
    const now = this.clock.now();
    const events = [
      // No sentence is stored: from and to carry the tickets, and each page words them in its reader's language.
      this.event(row, 'duplicate_of', p.userId, true, null, row.ticket, target.ticket, now),
      this.event(row, 'status', p.userId, true, null, row.status, 'closed', now),
      this.event(target, 'merged', p.userId, true, null, row.ticket, target.ticket, now),
    ];
    const ok = await this.repo.update(
      [
        { id: row.id, expectStatus: row.status, patch: { status: 'closed', closed_at: now, merged_into_id: target.id, updated_at: now, ...(await this.stage(row, null, now)) } },
        { id: target.id, expectStatus: target.status, patch: { updated_at: now } },
      ],
      events,
      undefined,
      this.within([row, target], events),
    );
    if (!ok) throw new AppError('CONFLICT', 'one of the incidents changed meanwhile; reload and try again');
    this.publishUpdated(p.regionId, row.id);
    this.publishUpdated(p.regionId, target.id);
    return this.get(p, target.id);
  }

  /** Erases the reporter's personal data (UU PDP 27/2022): an admin or the assigned OPD. */
  async eraseReporter(p: Principal, id: string): Promise<void> {
    requireRole(p, 'admin', 'operator');
    const row = await this.visible(p, id);
    if (p.role === 'operator' && row.opd_id !== p.opdId) throw new AppError('FORBIDDEN', 'only an admin or the assigned OPD can erase the personal data');
    await this.erase(row, p.userId, false);
  }

  /** The reporter asks for erasure with the secret they got at filing. */
  async eraseReporterBySecret(regionId: string, ticket: string, secret: string): Promise<boolean> {
    const row = await this.findByTicket(regionId, ticket);
    if (!row || !secretMatches(row, secret)) return false;
    await this.erase(row, null, true);
    return true;
  }

  /**
   * The reporter answers on their ticket page, signed with the code they got at
   * filing. The answer is a public timeline line (kind reporter_reply, no actor).
   * On a resolved incident:
   * - `reopen` ("not fixed yet") puts it back in progress, with a new follow-up
   *   stage (the category's follow-up days) that the OPD's next public answer ends;
   * - otherwise ("it is fixed") the reporter confirms the problem is solved, so
   *   it is closed at once (SP4N-LAPOR!): the answer and a status line resolved →
   *   closed without an actor, in one transaction.
   * Open incidents take the answer as it is, whatever `reopen` says: no change
   * of status. Closed and rejected ones take none
   * (a new report is filed), nor does a merged one (it is followed on the ticket
   * it was merged into): 409.
   */
  async replyAsReporter(regionId: string, ticket: string, secret: string, input: { text: string; reopen: boolean }): Promise<PublicIncident> {
    const row = await this.findByTicket(regionId, ticket);
    if (!row) throw new AppError('INCIDENT_NOT_FOUND', `no report ${ticket}`);
    if (!secretMatches(row, secret)) throw new AppError('REPORTER_SECRET_INVALID', "the code does not match this ticket (once the reporter's data is erased, the code no longer works)");
    const text = input.text.trim();
    if (text === '') throw new AppError('VALIDATION_FAILED', 'text must not be empty');
    if (text.length > MAX_REPLY) throw new AppError('VALIDATION_FAILED', `text is longer than ${MAX_REPLY} characters`);
    // PostgreSQL text cannot hold NUL.
    if (text.includes('\u0000')) throw new AppError('VALIDATION_FAILED', 'text must not contain NUL characters');
    if (row.merged_into_id !== null) {
      const target = (await this.repo.find(regionId, row.merged_into_id))?.ticket ?? 'another report';
      throw new AppError('INCIDENT_TRANSITION_INVALID', `${row.ticket} was merged into ${target} and is followed there; it takes no more answers`);
    }
    if (row.status === 'closed' || row.status === 'rejected') {
      throw new AppError('INCIDENT_TRANSITION_INVALID', `${row.ticket} is ${row.status} and takes no more answers; file a new report if the problem is back`);
    }
    const now = this.clock.now();
    const patch: Partial<IncidentRow> = { updated_at: now };
    const events = [this.event(row, 'reporter_reply', null, true, text, null, null, now)];
    if (row.status === 'resolved' && input.reopen) {
      Object.assign(patch, { status: 'in_progress', resolved_at: null, last_answer_at: null, ...(await this.stage(row, 'follow_up', now)) });
      events.push(this.event(row, 'status', null, true, null, 'resolved', 'in_progress', now));
    } else if (row.status === 'resolved') {
      Object.assign(patch, { status: 'closed', closed_at: now, ...(await this.stage(row, null, now)) });
      events.push(this.event(row, 'status', null, true, null, 'resolved', 'closed', now));
    }
    if (!(await this.repo.update([{ id: row.id, expectStatus: row.status, patch }], events, undefined, this.within([row], events)))) {
      throw new AppError('CONFLICT', 'the report changed meanwhile; try again');
    }
    this.publishUpdated(regionId, row.id);
    return (await this.publicByTicket(regionId, row.ticket))!;
  }

  /**
   * Erases the reporter's personal data (their name, phone and email: the
   * reporter row) and spends their code with it. Every citizen report has a
   * code, so the code alone is no personal data: on a report without any, an
   * admin's or OPD's erasure has nothing to erase, logs nothing and leaves the
   * code working; the reporter's own request by the code withdraws the code
   * (internal line reporter_code_spent), so that nobody else who holds it, say
   * on a shared phone, can answer, reopen or close in their name.
   */
  private async erase(row: IncidentView, userId: string | null, byCode: boolean): Promise<void> {
    const had = (await this.repo.reporter(row.id)) !== undefined;
    if (!had && !(byCode && row.erase_secret_hash !== null)) return;
    const now = this.clock.now();
    const kind = had ? 'reporter_erased' : 'reporter_code_spent';
    // never answer "erased" while the data stays: a status change in between is a conflict to retry
    const erased = this.within([row], [], [{ kind: 'reporter_erased', regionId: row.region_id, incidentId: row.id, ticket: row.ticket, at: now }]);
    if (!(await this.repo.update([{ id: row.id, expectStatus: row.status, patch: { erase_secret_hash: null, updated_at: now } }], [this.event(row, kind, userId, false, null, null, null, now)], row.id, erased))) {
      throw new AppError('CONFLICT', 'the report changed meanwhile; try the erasure again');
    }
    this.publishUpdated(row.region_id, row.id);
  }

  // Alarms (the rule action)

  /** Opens one incident for an alarm, unless one for it is open already. Returns it, or null when one exists. */
  async openFromAlarm(
    regionId: string,
    input: { alarmId: string; opdId: string; categoryCode: string | null; severity: IncidentSeverity; title: string; description: string; assetId: string | null; oncePerAlarm?: boolean },
  ): Promise<Incident | null> {
    const existing = await this.repo.openForAlarm(regionId, input.alarmId);
    // oncePerAlarm: any incident of the alarm, even closed, means it was opened already.
    if (existing && (input.oncePerAlarm === true || !(['closed', 'rejected'] as string[]).includes(existing.status))) return null;
    const categories = await this.repo.listCategories(regionId);
    const code = input.categoryCode && categories.some((c) => c.code === input.categoryCode && c.active === 1) ? input.categoryCode : (categories.find((c) => c.code === 'other' && c.active === 1)?.code ?? categories.find((c) => c.active === 1)?.code);
    if (!code) return null;
    const asset = input.assetId ? await this.assets.byId(regionId, input.assetId) : null;
    const filed = this.file(regionId, [
      {
        categoryCode: code,
        title: input.title,
        description: input.description || input.title,
        severity: input.severity,
        lon: asset?.location?.lon ?? null,
        lat: asset?.location?.lat ?? null,
        address: asset?.name ?? null,
        districtCode: asset?.districtCode ?? null,
        source: 'alarm',
        alarmId: input.alarmId,
        opdId: input.opdId,
      },
    ]).catch((error: Error) => {
      // Another instance opened it a moment ago (one open incident per alarm is a unique index).
      if (/unique|duplicate/i.test(error.message)) return null;
      throw error;
    });
    const result = await filed;
    return result ? result[0]!.incident : null;
  }

  /** Notes on the alarm's incident that the alarm cleared; the incident stays open for people to close. */
  async noteAlarmCleared(regionId: string, alarmId: string, text: string): Promise<void> {
    const row = await this.repo.openForAlarm(regionId, alarmId);
    if (!row) return;
    const now = this.clock.now();
    await this.repo.update([{ id: row.id, expectStatus: row.status, patch: { updated_at: now } }], [this.event(row, 'note', null, false, text, null, null, now)]);
    this.publishUpdated(regionId, row.id);
  }

  // SLA

  /**
   * Closes resolved incidents whose reporter stayed silent for the category's close days (10 by default),
   * and marks stages that ran past due. Returns the number closed.
   */
  async tick(): Promise<number> {
    const now = this.clock.now();
    await this.repo.markBreaches(now, this.breachHooks.length === 0 ? undefined : async (tx, rows) => {
      const breaches = rows.map((r) => ({ id: r.id, regionId: r.region_id, opdId: r.opd_id, severity: r.severity as IncidentSeverity, stage: r.sla_stage, dueAt: r.sla_due_at }));
      for (const hook of [...this.breachHooks]) await hook(tx, breaches);
    });
    let closed = 0;
    for (const row of await this.repo.dueForClose(now)) {
      const events = [this.event(row, 'auto_closed', null, true, null, 'resolved', 'closed', now)];
      const ok = await this.repo.update(
        // Only if still due: an answer since the list was read moved the due time on.
        [{ id: row.id, expectStatus: 'resolved', expectDueBy: now, patch: { status: 'closed', closed_at: now, updated_at: now, sla_stage: null, sla_started_at: null, sla_due_at: null } }],
        events,
        undefined,
        this.within([row], events),
      );
      if (ok) {
        closed++;
        this.publishUpdated(row.region_id, row.id);
      }
    }
    return closed;
  }

  async slaSummary(p: Principal, from: number, to: number): Promise<SlaSummary> {
    const rows = await this.repo.forSummary(p.regionId, from, to);
    const now = this.clock.now();
    const opds = new Map((await this.identity.opdsOf(p.regionId)).map((o) => [o.id, o]));
    const byOpd = new Map<string | null, typeof rows>();
    const byCategory = new Map<string, typeof rows>();
    const byDistrict = new Map<string | null, typeof rows>();
    const visibleOpd = (opdId: string | null) => p.role !== 'operator' || opdId === p.opdId || opdId === null;
    for (const r of rows) {
      if (r.merged_into_id !== null) continue;
      (byOpd.get(r.opd_id) ?? byOpd.set(r.opd_id, []).get(r.opd_id)!).push(r);
      (byCategory.get(r.category_code) ?? byCategory.set(r.category_code, []).get(r.category_code)!).push(r);
      if (visibleOpd(r.opd_id)) (byDistrict.get(r.district_code) ?? byDistrict.set(r.district_code, []).get(r.district_code)!).push(r);
    }
    const districtNames = new Map((await this.identity.listDistricts(p.regionId)).map((d) => [d.code, d.name]));
    return {
      from,
      to,
      byOpd: [...byOpd.entries()].filter(([opdId]) => visibleOpd(opdId)).map(([opdId, list]) => ({ opdId, opdCode: opdId ? (opds.get(opdId)?.code ?? null) : null, ...this.summarize(list, now, p.regionId) })),
      byCategory: [...byCategory.entries()].map(([categoryCode, list]) => ({ categoryCode, ...this.summarize(list.filter((r) => visibleOpd(r.opd_id)), now, p.regionId) })),
      byDistrict: [...byDistrict.entries()]
        .map(([districtCode, list]) => ({ districtCode, districtName: districtCode === null ? null : (districtNames.get(districtCode) ?? null), ...this.summarize(list, now, p.regionId) }))
        // who waits longest first: past due, then due soon, then most open, then slowest to resolve
        .sort((a, b) => b.red - a.red || b.yellow - a.yellow || b.open - a.open || (b.medianResolveHours ?? -1) - (a.medianResolveHours ?? -1) || (a.districtCode ?? '~').localeCompare(b.districtCode ?? '~')),
      total: this.summarize(rows.filter((r) => r.merged_into_id === null && visibleOpd(r.opd_id)), now, p.regionId),
    };
  }

  /** For the master plan KPIs: incidents filed in [from, to). */
  async stats(regionId: string, filter: { categoryCode?: string; opdId?: string; from: number; to: number }) {
    const rows = (await this.repo.forSummary(regionId, filter.from, filter.to, filter)).filter((r) => r.merged_into_id === null);
    const s = this.summarize(rows, this.clock.now(), regionId);
    return { count: rows.length, resolved: s.resolved, medianResolveHours: s.medianResolveHours, withinSlaShare: s.withinSlaShare };
  }

  private summarize(rows: Awaited<ReturnType<IncidentsRepository['forSummary']>>, now: number, regionId: string): SummaryRow {
    const out: SummaryRow = { open: 0, green: 0, yellow: 0, red: 0, resolved: 0, withinSlaShare: null, medianResolveHours: null };
    const hours: number[] = [];
    let decided = 0;
    let within = 0;
    for (const r of rows) {
      const sla = slaOf(r.sla_stage, r.sla_started_at, r.sla_due_at, now, this.regions.get(regionId)?.timezone);
      const open = (OPEN_STATUSES as string[]).includes(r.status);
      if (open) {
        out.open++;
        // Followed up, with no deadline running (in progress): on track, green.
        out[sla.state ?? 'green']++;
      }
      if (r.resolved_at !== null && r.status !== 'rejected') {
        out.resolved++;
        hours.push((r.resolved_at - r.created_at) / 3_600_000);
      }
      // Decided: finished, or already past a deadline. Within: no stage ran late.
      const breached = r.sla_breached === 1 || (sla.overdue && sla.stage !== 'close');
      if (breached || r.resolved_at !== null || r.status === 'closed') {
        decided++;
        if (!breached) within++;
      }
    }
    out.withinSlaShare = decided === 0 ? null : Math.round((within / decided) * 1000) / 1000;
    const m = median(hours);
    out.medianResolveHours = m === null ? null : Math.round(m * 10) / 10;
    return out;
  }

  // Public views (Open311, the ticket page)

  /**
   * One report as it is, also when it was merged into another: then it is
   * closed and names the ticket it now follows (mergedIntoTicket), exactly as
   * listPublic answers it, so both Open311 routes agree.
   */
  async publicByTicket(regionId: string, ticket: string): Promise<PublicIncident | null> {
    const row = await this.findByTicket(regionId, ticket);
    if (!row) return null;
    const [out] = await this.toPublic(regionId, [row]);
    return out!;
  }

  async listPublic(regionId: string, filter: { tickets?: string[]; categoryCodes?: string[]; statuses?: PublicStatus[]; from?: number; to?: number; limit: number }): Promise<PublicIncident[]> {
    const statuses = filter.statuses?.flatMap((s) => (s === 'open' ? ['new', 'assigned', 'in_progress'] : ['resolved', 'closed', 'rejected']));
    const rows = await this.withNames(regionId, await this.repo.listPublic(regionId, { ...filter, statuses }, Math.min(Math.max(filter.limit, 1), 1000)));
    return this.toPublic(regionId, rows);
  }

  private async toPublic(regionId: string, rows: IncidentView[]): Promise<PublicIncident[]> {
    const categories = new Map((await this.repo.listCategories(regionId)).map((c) => [c.code, c]));
    const events = await this.repo.publicEvents(rows.map((r) => r.id));
    const merged = new Map<string, string>();
    for (const r of rows) if (r.merged_into_id) merged.set(r.id, (await this.repo.find(regionId, r.merged_into_id))?.ticket ?? '');
    return rows.map((r) => {
      const c = categories.get(r.category_code);
      const photos = parseJson<string[]>(r.photos, []);
      return {
        ticket: r.ticket,
        categoryCode: r.category_code,
        categoryNameId: c?.name_id ?? r.category_code,
        categoryNameEn: c?.name_en ?? r.category_code,
        status: r.status as IncidentStatus,
        publicStatus: (OPEN_STATUSES as string[]).includes(r.status) ? 'open' : 'closed',
        description: r.description,
        lon: r.lon,
        lat: r.lat,
        address: r.address,
        agency: r.opd_name,
        requestedAt: r.created_at,
        updatedAt: r.updated_at,
        expectedAt: r.sla_stage === 'route' || r.sla_stage === 'follow_up' ? r.sla_due_at : null,
        mediaUrl: r.media_url ?? (photos[0] ? `/api/v1/photos/${photos[0]}` : null),
        updates: events.flatMap((e) => {
          const kind = e.incident_id === r.id ? PUBLIC_KINDS.get(e.kind) : undefined;
          return kind ? [toPublicUpdate(e, kind)] : [];
        }),
        mergedIntoTicket: r.merged_into_id ? (merged.get(r.id) ?? null) : null,
      } satisfies PublicIncident;
    });
  }

  // Helpers

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

  private async find(regionId: string, id: string): Promise<IncidentView | undefined> {
    const row = await this.repo.find(regionId, id);
    return row && (await this.withNames(regionId, [row]))[0];
  }

  private async findByTicket(regionId: string, ticket: string): Promise<IncidentView | undefined> {
    const row = await this.repo.findByTicket(regionId, ticket);
    return row && (await this.withNames(regionId, [row]))[0];
  }

  /** Operators of Diskominfo route the reports no category routed. */
  private async routes(p: Principal): Promise<boolean> {
    if (p.opdId === null) return false;
    const [opd] = await this.identity.opdsByIds(p.regionId, [p.opdId]);
    return opd?.code === ROUTER_OPD_CODE;
  }

  /** Whether the region has this OPD (the incident action checks its config). */
  async hasOpd(regionId: string, opdId: string): Promise<boolean> {
    return (await this.identity.opdsByIds(regionId, [opdId])).length > 0;
  }

  /** The SLA columns for entering a stage (or leaving them all with null); records a late finish of the current one. */
  private async stage(row: IncidentRow, next: 'follow_up' | 'close' | null, now: number): Promise<Partial<IncidentRow>> {
    const late = (row.sla_stage === 'route' || row.sla_stage === 'follow_up') && row.sla_due_at !== null && now > row.sla_due_at;
    const base = { sla_breached: row.sla_breached === 1 || late ? 1 : 0 };
    if (next === null) return { ...base, sla_stage: null, sla_started_at: null, sla_due_at: null };
    const { timezone } = await this.region(row.region_id);
    const category = await this.repo.findCategory(row.region_id, row.category_code);
    const days =
      next === 'follow_up'
        ? (category?.sla_follow_up_days ?? LAPOR_RHYTHM.followUpWithinWorkingDays)
        : (category?.sla_close_days ?? LAPOR_RHYTHM.closeAfterSilentWorkingDays);
    return { ...base, sla_stage: next, sla_started_at: now, sla_due_at: addWorkingDays(now, days, timezone) };
  }

  private event(row: { id: string; region_id: string }, kind: string, userId: string | null, isPublic: boolean, text: string | null, from: string | null, to: string | null, at: number): EventRow {
    return { id: sortableId(), incident_id: row.id, region_id: row.region_id, kind, at, user_id: userId, public: isPublic ? 1 : 0, text, from_value: from, to_value: to };
  }

  private async apply(p: Principal, row: IncidentView, patch: Partial<IncidentRow>, events: EventRow[]): Promise<Incident> {
    if (!(await this.repo.update([{ id: row.id, expectStatus: row.status, patch }], events, undefined, this.within([row], events)))) {
      throw new AppError('CONFLICT', 'the incident changed meanwhile; reload and try again');
    }
    this.publishUpdated(p.regionId, row.id);
    // Diskominfo routing a report to another OPD no longer sees it as its own: it gets the report without its reporter.
    if (p.role === 'operator' && patch.opd_id !== undefined && patch.opd_id !== p.opdId) return (await this.byId(p.regionId, row.id))!;
    return this.get(p, row.id);
  }

  private publishUpdated(regionId: string, id: string): void {
    void this.find(regionId, id).then(
      (row) => {
        if (row) this.bus.publish('incident.updated', { regionId, opdId: row.opd_id, incident: this.toIncident(row, this.clock.now()) as unknown as IncidentEventPayload });
      },
      () => {},
    );
  }

  private async visible(p: Principal, id: string): Promise<IncidentView> {
    const row = await this.find(p.regionId, id);
    if (!row) throw new AppError('INCIDENT_NOT_FOUND', `no incident ${id} in this region`);
    if (p.role === 'operator' && row.opd_id !== null && row.opd_id !== p.opdId) throw new AppError('FORBIDDEN', "this incident is another OPD's");
    return row;
  }

  /** Admins, and operators of the OPD it is routed to. */
  private async actable(p: Principal, id: string): Promise<IncidentView> {
    requireRole(p, 'admin', 'operator');
    const row = await this.visible(p, id);
    if (p.role === 'operator' && row.opd_id !== p.opdId) throw new AppError('FORBIDDEN', 'the incident is not routed to your OPD; take it first (assign)');
    return row;
  }

  private seesReporter(p: Principal, row: IncidentRow): boolean {
    return p.role === 'admin' || (p.role === 'operator' && row.opd_id !== null && row.opd_id === p.opdId);
  }

  private withReporter(p: Principal, row: IncidentView, reporter: ReporterRow | undefined, now: number): Incident {
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

/** Runs the SLA tick (auto-close of silent resolved incidents) periodically, like RetentionJob. */
export class IncidentSlaJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  private readonly incidents: IncidentsService;
  private readonly onError: (error: unknown) => void;
  constructor(incidents: IncidentsService, onError: (error: unknown) => void) {
    this.incidents = incidents;
    this.onError = onError;
  }

  start(everyMs = 600_000): void {
    const tick = () => {
      if (this.running) return;
      this.running = this.incidents.tick().catch(this.onError).finally(() => (this.running = null));
    };
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
