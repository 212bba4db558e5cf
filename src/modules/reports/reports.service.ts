import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { isUuid, newSecretToken } from '../../core/ids.ts';
import type { IdentityService, Region } from '../identity/index.ts';
import type { Category, PublicIncident, PublicStatus } from '../incidents/index.ts';
import type { ReportsBackend } from './backend.ts';
import type { ApiKeysService, KeyHolder } from './keys.service.ts';
import type { PhotosService } from './photos.service.ts';
import { contains, type RegionBounds } from './region-bounds.ts';
import type { ReportsRepository } from './reports.repository.ts';
import type { RequestsQuery } from './reports.contract.ts';
import { bad, LIMITS, list, MAX_PHOTOS, notifyChoice, number, parseDate, text, type Fields } from './open311.fields.ts';

export type { Fields } from './open311.fields.ts';

export const MAX_RESULTS = 1000;
const DEFAULT_SPAN_MS = 90 * 86_400_000;

export interface FiledReport {
  ticket: string;
  token: string | null;
  eraseSecret: string;
}

/**
 * Open311 requests and the public page's reports: checks every field the way
 * the spec names it and hands a clean report to the incidents module.
 */
export class ReportsService {
  private regionsCache: { at: number; regions: Region[] } | null = null;

  readonly backend: ReportsBackend;
  private readonly repo: ReportsRepository;
  readonly keys: ApiKeysService;
  readonly photos: PhotosService;
  readonly bounds: RegionBounds;
  private readonly identity: IdentityService;
  private readonly clock: Clock;
  private readonly defaultRegionCode: string;
  private readonly onError: (error: unknown, what: string) => void;
  constructor(
    backend: ReportsBackend,
    repo: ReportsRepository,
    keys: ApiKeysService,
    photos: PhotosService,
    bounds: RegionBounds,
    identity: IdentityService,
    clock: Clock,
    defaultRegionCode: string,
    onError: (error: unknown, what: string) => void,
  ) {
    this.onError = onError;
    this.backend = backend;
    this.repo = repo;
    this.keys = keys;
    this.photos = photos;
    this.bounds = bounds;
    this.identity = identity;
    this.clock = clock;
    this.defaultRegionCode = defaultRegionCode;
  }

  /** The region named by jurisdiction_id (its Kemendagri code), or this installation's own. */
  async region(jurisdictionId?: string): Promise<Region> {
    if (!this.regionsCache || Date.now() - this.regionsCache.at > 60_000) this.regionsCache = { at: Date.now(), regions: await this.identity.listRegions() };
    const code = jurisdictionId?.trim() || this.defaultRegionCode;
    const region = this.regionsCache.regions.find((r) => r.code === code) ?? (jurisdictionId ? undefined : this.regionsCache.regions[0]);
    if (!region) throw new AppError('JURISDICTION_NOT_FOUND', `jurisdiction_id "${code.slice(0, 40)}" is not served here`);
    return region;
  }

  async services(region: Region): Promise<Category[]> {
    return (await this.backend.listCategories(region.id)).filter((c) => c.active);
  }

  async service(region: Region, code: string): Promise<Category> {
    const c = await this.backend.getCategory(region.id, code);
    if (!c || !c.active) throw new AppError('CATEGORY_NOT_FOUND', `service_code "${code.slice(0, 60)}" is not a service of this jurisdiction`);
    return c;
  }

  /**
   * Files a report from the spec's fields. `holder` is the checked key;
   * `media` is a multipart photo: stored only once every field is good, and
   * removed again if the report cannot be filed, so nothing is half-written.
   */
  async file(region: Region, holder: KeyHolder, fields: Fields, media: Buffer | null = null, language: 'id' | 'en' = 'id'): Promise<FiledReport> {
    const code = text(fields, 'service_code', 100);
    if (code === null) bad('service_code is required');
    const category = await this.backend.getCategory(region.id, code);
    if (!category || !category.active) throw new AppError('CATEGORY_UNKNOWN', `service_code "${code.slice(0, 60)}" is not a service of this jurisdiction`);

    const lat = number(fields, 'lat', -90, 90);
    const lon = number(fields, 'long', -180, 180);
    if ((lat === null) !== (lon === null)) bad('lat and long go together: give both or neither');
    const addressString = text(fields, 'address_string', LIMITS.address);
    const addressId = text(fields, 'address_id', LIMITS.address);
    if (lat === null && addressString === null && addressId === null) bad('a location is required: lat and long, address_string or address_id');
    // The agency's own address id is kept with the address, beside address_string when both are given.
    const address = addressId === null ? addressString : addressString === null ? `address_id: ${addressId}` : `${addressString} (address_id: ${addressId})`;
    if (address !== null && address.length > LIMITS.address) bad(`address_string and address_id together may have at most ${LIMITS.address - 15} characters`);
    if (lat !== null && lon !== null) {
      const shape = await this.bounds.shape(region.id, region.code);
      if (!contains(shape, lon, lat)) throw new AppError('LOCATION_OUTSIDE_REGION', `the location ${lat}, ${lon} is outside ${region.name}`);
    }

    // Optional in GeoReport v2: what is wrong may be said by a photo or the service's attributes instead (checked below).
    const written = text(fields, 'description', LIMITS.description);

    const attributes: Record<string, string | string[]> = {};
    for (const a of category.attributes) {
      const raw = fields[`attribute[${a.code}][]`] ?? fields[`attribute[${a.code}]`];
      const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) => v.trim()).filter((v) => v !== '');
      if (values.length === 0) {
        if (a.required) bad(`attribute[${a.code}] is required for service_code ${category.code}`);
        continue;
      }
      if (values.some((v) => v.length > LIMITS.attribute)) bad(`attribute[${a.code}] may have at most ${LIMITS.attribute} characters`);
      const keys = a.values?.map((v) => v.key) ?? [];
      if (a.datatype === 'multivaluelist') {
        const unknown = values.find((v) => !keys.includes(v));
        if (unknown !== undefined) bad(`attribute[${a.code}]: "${unknown.slice(0, 40)}" is not one of ${keys.join(', ')}`);
        attributes[a.code] = [...new Set(values)];
        continue;
      }
      const v = values[values.length - 1]!;
      if (a.datatype === 'singlevaluelist' && !keys.includes(v)) bad(`attribute[${a.code}]: "${v.slice(0, 40)}" is not one of ${keys.join(', ')}`);
      if (a.datatype === 'number' && !Number.isFinite(Number(v))) bad(`attribute[${a.code}] must be a number`);
      if (a.datatype === 'datetime' && parseDate(v, `attribute[${a.code}]`) === null) bad(`attribute[${a.code}] must be a date-time`);
      attributes[a.code] = v;
    }

    const photoIds: string[] = [];
    for (const id of list(fields.photo_id)) {
      if (!(await this.photos.available(region.id, id))) bad(`photo_id ${id.slice(0, 40)} is not a photo uploaded here, or is already part of a report`);
      photoIds.push(id);
    }
    let mediaUrl = text(fields, 'media_url', LIMITS.url);
    if (mediaUrl !== null) {
      const own = /^(?:https?:\/\/[^/]+)?\/api\/v1\/photos\/([0-9a-fA-F-]{36})$/.exec(mediaUrl);
      if (own && isUuid(own[1]!) && (await this.photos.available(region.id, own[1]!))) {
        photoIds.push(own[1]!);
        mediaUrl = null;
      } else {
        let url: URL | null = null;
        try {
          url = new URL(mediaUrl);
        } catch {
          // refused below
        }
        if (!url || !['http:', 'https:'].includes(url.protocol)) bad('media_url must be an http or https URL');
      }
    }
    const unique = [...new Set(photoIds)];
    if (unique.length + (media ? 1 : 0) > MAX_PHOTOS) bad(`at most ${MAX_PHOTOS} photos per report`);
    const withPhoto = unique.length > 0 || media !== null || mediaUrl !== null;
    const description = written ?? describeWithoutText(category, attributes, withPhoto, language);
    if (description === null) bad('say what is wrong: a description, a photo (media, media_url or photo_id) or an answered attribute of the service is required');

    const first = text(fields, 'first_name', LIMITS.name);
    const last = text(fields, 'last_name', LIMITS.name);
    const name = [first, last].filter((s) => s !== null).join(' ') || null;
    const email = text(fields, 'email', LIMITS.email);
    if (email !== null && !/^[^@\s]+@[^@\s]+$/.test(email)) bad('email is not an email address');
    const phone = text(fields, 'phone', LIMITS.phone);
    const notify = notifyChoice(fields, { phone, email }, language);
    text(fields, 'device_id', LIMITS.deviceId);
    text(fields, 'account_id', LIMITS.deviceId);

    const uploaded = media ? await this.photos.accept(region.id, media, holder.id) : null;
    if (uploaded) unique.unshift(uploaded.id);
    // Claimed first, so that two reports cannot take the same photo and the purge leaves it alone.
    if (!(await this.photos.claim(unique))) {
      if (uploaded) await this.photos.remove(uploaded.id).catch(() => undefined);
      bad('a photo_id is already part of another report');
    }
    let filed: Awaited<ReturnType<ReportsBackend['fileReport']>>;
    try {
      filed = await this.backend.fileReport(region.id, {
      categoryCode: category.code,
      description,
      lon,
      lat,
      address,
      reporter: { name, phone, email },
      photoIds: unique,
      mediaUrl,
      attributes,
      apiKeyId: holder.id,
      source: 'report',
      notify,
      });
    } catch (error) {
      await this.photos.release(unique).catch(() => undefined);
      if (uploaded) await this.photos.remove(uploaded.id).catch(() => undefined);
      throw error;
    }
    const { incident, eraseSecret } = filed;
    // A photo left 'pending' by a failure here is kept, never purged: safe, only not linked; the log says which.
    await this.photos.attach(unique, incident.ticket).catch((error: unknown) => this.onError(error, `photos ${unique.join(', ')} of report ${incident.ticket} stay unlinked`));
    // The report is filed and durable here; a token that cannot be saved is left out rather than failing it.
    let token: string | null = newSecretToken();
    try {
      await this.repo.insertToken({ token, region_id: region.id, ticket: incident.ticket, created_at: this.clock.now() });
    } catch (error) {
      this.onError(error, `report ${incident.ticket} was filed without an Open311 token`);
      token = null;
    }
    return { ticket: incident.ticket, token, eraseSecret };
  }

  async list(region: Region, query: RequestsQuery): Promise<PublicIncident[]> {
    const tickets = list(query.service_request_id);
    if (tickets.length > 0) {
      // The spec: with service_request_id, the other parameters are ignored.
      if (tickets.length > MAX_RESULTS) throw new AppError('QUERY_INVALID', `at most ${MAX_RESULTS} service_request_id at once`);
      return this.backend.listPublic(region.id, { tickets, limit: MAX_RESULTS });
    }
    const statuses = list(query.status);
    const unknown = statuses.find((s) => s !== 'open' && s !== 'closed');
    if (unknown !== undefined) throw new AppError('QUERY_INVALID', `status "${unknown.slice(0, 40)}" is not open or closed`);
    const start = parseDate(query.start_date, 'start_date');
    const end = parseDate(query.end_date, 'end_date');
    const to = end ?? (start !== null ? start + DEFAULT_SPAN_MS : this.clock.now());
    const from = start ?? to - DEFAULT_SPAN_MS;
    if (from > to) throw new AppError('QUERY_INVALID', 'start_date is after end_date');
    const codes = list(query.service_code);
    return this.backend.listPublic(region.id, {
      ...(codes.length > 0 && { categoryCodes: codes }),
      ...(statuses.length > 0 && { statuses: statuses as PublicStatus[] }),
      from,
      to,
      limit: MAX_RESULTS,
    });
  }

  /** One report as Open311 answers it (`feed`: published only) or as its ticket page shows it (`ticket`: also while awaiting approval, without its text). */
  async byTicket(region: Region, ticket: string, reader: 'feed' | 'ticket' = 'feed'): Promise<PublicIncident> {
    const found = ticket.length <= 64 ? await this.backend.publicByTicket(region.id, ticket, reader) : null;
    if (!found) throw new AppError('INCIDENT_NOT_FOUND', `no service request ${ticket.slice(0, 64)}`);
    return found;
  }

  async token(region: Region, token: string): Promise<{ service_request_id: string; token: string }> {
    const row = token.length <= 64 ? await this.repo.token(region.id, token) : undefined;
    if (!row) throw new AppError('NOT_FOUND', `no token ${token.slice(0, 64)}`);
    return { service_request_id: row.ticket, token };
  }

  /** The reporter's answer on their ticket, signed with their code: the ticket as it is now. */
  async reply(region: Region, ticket: string, secret: string, input: { text: string; reopen: boolean }): Promise<PublicIncident> {
    if (ticket.length > 64) throw new AppError('INCIDENT_NOT_FOUND', `no service request ${ticket.slice(0, 64)}`);
    return this.backend.replyAsReporter(region.id, ticket, secret, input);
  }

  async erase(region: Region, ticket: string, secret: string): Promise<void> {
    await this.byTicket(region, ticket, 'ticket');
    if (!(await this.backend.eraseReporterBySecret(region.id, ticket, secret))) throw new AppError('ERASE_SECRET_INVALID', 'the secret does not match this ticket');
  }
}

/**
 * The words of a report filed without a description: its answered attributes
 * (in the request's language) and whether a photo shows it; null when there is
 * nothing to act on.
 */
function describeWithoutText(category: Category, attributes: Record<string, string | string[]>, withPhoto: boolean, language: 'id' | 'en'): string | null {
  const lines = category.attributes
    .filter((a) => attributes[a.code] !== undefined)
    .map((a) => {
      const given = attributes[a.code]!;
      const names = (Array.isArray(given) ? given : [given]).map((v) => a.values?.find((x) => x.key === v)?.name ?? v);
      return `${language === 'en' ? a.descriptionEn : a.descriptionId}: ${names.join(', ')}`;
    });
  if (withPhoto) lines.push(language === 'en' ? 'See the photo.' : 'Lihat foto.');
  return lines.length > 0 ? lines.join('\n') : null;
}
