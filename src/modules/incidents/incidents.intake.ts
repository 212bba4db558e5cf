import type { Transaction } from 'kysely';
import { AppError } from '../../core/errors.ts';
import { hashToken, newId, newSecretToken } from '../../core/ids.ts';
import type { Schema } from '../../platform/db/index.ts';
import { districtOf, requireRole, type Principal } from '../identity/index.ts';
import { INCIDENT_SEVERITIES, titleFromText, type CategoryAttribute, type Incident, type IncidentInput, type IncidentSeverity, type IncidentSource } from './incidents.contract.ts';
import type { ReporterNotify } from './incidents.hooks.ts';
import { MAX_TEXT, parseJson, type IncidentRecords } from './incidents.records.ts';
import type { IncidentRow, IncidentsRepository, ReporterRow } from './incidents.repository.ts';
import { hashReporterCode, newReporterCode } from './incidents.reporter-code.ts';
import { addWorkingDays, LAPOR_RHYTHM } from './incidents.sla.ts';

const opdCodeOf = (opds: Map<string, string>, id: string): string => [...opds].find(([, v]) => v === id)?.[0] ?? id;

export interface FileInput {
  categoryCode: string;
  title?: string | null;
  /** the title in English, where the platform words it (an alarm's incident) */
  titleEn?: string | null;
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
  /** an alarm's: routed to opdId at once (assigned, its follow-up clock running) */
  assignAtOnce?: boolean;
  /** an alarm's: its asset and device (links to the asset and its chart) */
  assetId?: string | null;
  deviceId?: string | null;
  createdBy?: string | null;
  /** extra public timeline text on the created line */
  note?: string | null;
  /** the reporter asks to be told about the report (handed to the change hooks at filing) */
  notify?: ReporterNotify | null;
}

/** Filing: citizen reports, operators' own entries, imports and alarms, checked and stored in one transaction. */
export class IncidentIntake {
  private readonly records: IncidentRecords;
  constructor(records: IncidentRecords) {
    this.records = records;
  }

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
    input: IncidentInput,
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
    return this.records.get(p, result!.incident.id);
  }

  /**
   * Checks and files incidents in one transaction: all or none. Returns each
   * with the reporter's erasure secret (shown once).
   */
  async file(regionId: string, inputs: FileInput[]): Promise<{ incident: Incident; eraseSecret: string }[]> {
    const region = await this.records.region(regionId);
    const categories = new Map((await this.records.repo.listCategories(regionId)).map((c) => [c.code, c]));
    const opds = await this.records.opdCodes(regionId);
    const districts = inputs.some((i) => i.districtCode) ? new Set((await this.records.identity.listDistricts(regionId)).map((d) => d.code)) : new Set<string>();
    // the kecamatan boundaries read once for the whole batch (a LAPOR! import files thousands)
    const shapes = inputs.some((i) => !i.districtCode && i.lon !== null && i.lat !== null) ? await this.records.districtShapes(regionId) : [];
    const now = this.records.now();
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
      // A resident is handed their short code (stored as scrypt, slow to guess offline); imports and staff's entries hand
      // theirs to nobody: a long random one, as before, costs a LAPOR! import of thousands no scrypt per row.
      const handedOut = source === 'report';
      const secret = handedOut ? newReporterCode() : newSecretToken();
      const id = newId();
      const r = input.reporter ?? null;
      // A resident's report waits for an operator's approval before the public sees it, unless its category publishes at once;
      // an alarm's incident is internal until an operator publishes it; staff's own entries and imports are public as before.
      const publication = source === 'alarm' ? 'private' : source === 'report' ? (category.auto_publish === 1 ? 'published' : 'pending') : 'published';
      const assigned = input.assignAtOnce === true && opdId !== null;
      const clean = (v: string | null | undefined) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
      const reporter: ReporterRow | null =
        r && (clean(r.name) || clean(r.phone) || clean(r.email)) ? { incident_id: id, region_id: regionId, name: clean(r.name), phone: clean(r.phone), email: clean(r.email), created_at: now } : null;
      const row: Omit<IncidentRow, 'ticket'> = {
        id,
        region_id: regionId,
        source,
        category_code: category.code,
        // the reporter's own first words name it (an operator may rename it), not the category alone
        title: (input.title?.trim() || titleFromText(description) || category.name_id).slice(0, 200),
        title_en: input.titleEn?.trim().slice(0, 200) || null,
        description,
        severity,
        status: assigned ? 'assigned' : 'new',
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
        erase_secret_hash: reporter || source === 'report' ? (handedOut ? await hashReporterCode(secret, id) : hashToken(secret)) : null,
        created_by: input.createdBy ?? null,
        created_at: filedAt,
        updated_at: now,
        assigned_at: assigned ? now : null,
        followed_up_at: null,
        resolved_at: null,
        closed_at: null,
        last_answer_at: null,
        sla_stage: 'route',
        sla_started_at: filedAt,
        sla_due_at: addWorkingDays(filedAt, category.sla_route_days ?? LAPOR_RHYTHM.routeWithinWorkingDays, region.timezone),
        sla_breached: 0,
        publication,
        public_title: null,
        public_text: null,
        public_photo: 1,
        asset_id: input.assetId ?? null,
        device_id: input.deviceId ?? null,
      };
      const events = [this.records.event(row, 'created', input.createdBy ?? null, true, input.note ?? null, null, 'new', now)];
      if (assigned) {
        const follow = await this.records.stageDays(row, 'follow_up', severity);
        Object.assign(row, { sla_stage: 'follow_up', sla_started_at: now, sla_due_at: addWorkingDays(now, follow, region.timezone) });
        events.push(this.records.event(row, 'assigned', null, false, null, null, opdCodeOf(opds, opdId), now), this.records.event(row, 'status', null, true, null, 'new', 'assigned', now));
      }
      items.push({ row, reporter, events });
      secrets.push(secret);
    }
    const notifies = inputs.map((i) => i.notify ?? null);
    const hooks = this.records.hooks;
    const told =
      hooks.length > 0 && notifies.some((n) => n !== null)
        ? async (tx: Transaction<Schema>, stored: IncidentRow[]) => {
            for (const [i, row] of stored.entries()) {
              const notify = notifies[i];
              if (notify) for (const hook of [...hooks]) await hook(tx, { kind: 'filed', regionId, incidentId: row.id, ticket: row.ticket, at: now, notify });
            }
          }
        : undefined;
    const rows = await this.records.repo.insert(items, (n) => `${region.prefix}-${String(n).padStart(6, '0')}`, told);
    // the rows as stored, named in one look-up for the whole batch (no reporter has answered a new incident)
    const views = await this.records.withNames(regionId, rows.map((row) => ({ ...row, reporter_replied_at: null })));
    const out: { incident: Incident; eraseSecret: string }[] = [];
    for (const [i, view] of views.entries()) {
      const incident = this.records.toIncident(view, now);
      this.records.bus.publish('incident.created', { regionId, opdId: view.opd_id, incident: incident });
      // The reporter is not echoed back: what a filing returns may reach a public answer.
      out.push({ incident, eraseSecret: secrets[i]! });
    }
    return out;
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
}
