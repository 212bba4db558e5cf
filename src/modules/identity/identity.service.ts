import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { SessionEndReason } from '../../core/events.ts';
import { pointInPolygon, polygonsOf, type PolygonRings } from '../../core/geo.ts';
import { checkFeatureCollection, type LayerUpload } from './layers.read.ts';
import { hashToken, newId, newSecretToken } from '../../core/ids.ts';
import { decodeCursor, toPage, type Page } from '../../core/paging.ts';
import { regencyFacts } from './areas.ts';
import { IdentityRepository, type OpdRow, type RegionRow, type UserRow } from './identity.repository.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import { generatePassword, hashPassword, verifyPassword } from './password.ts';
import { assertStrongPassword, releasePasswordChecker, userInputsOf } from './password-strength.ts';
import { POSITIONS, ROLES, type Opd, type Position, type PublicUser, type Region, type Role } from './identity.contract.ts';

/** Who is calling: what every service uses to scope and authorise. */
export interface Principal {
  userId: string;
  regionId: string;
  role: Role;
  /** the OPD an operator acts for; null for admins and viewers without one */
  opdId: string | null;
  email: string;
}



export interface FeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: unknown; properties?: Record<string, unknown> }[];
}

export interface RegionLayer {
  key: string;
  name: { id: string; en: string };
  /** drawn by hand, not surveyed: the map says so */
  approximate: boolean;
  updatedAt: number;
  geojson: FeatureCollection;
}

/** The layer whose polygons are the region's kecamatan. */
export const KECAMATAN_LAYER = 'kecamatan';

/** One feature of the kecamatan layer, parsed for point-in-polygon look-ups. */
export interface DistrictShape {
  /** the Kemendagri code of a kecamatan of the region, or null when the feature names none */
  code: string | null;
  polygons: PolygonRings[];
}

/** Feature properties that may carry the kecamatan's code or name (compared case-insensitively). */
const CODE_PROPERTIES = ['code', 'districtcode', 'district_code', 'kode', 'kode_kec', 'kd_kec', 'kdcpum'];
const NAME_PROPERTIES = ['name', 'nama', 'kecamatan', 'nama_kec', 'wadmkc'];


export const toUser = (u: UserRow): PublicUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  opdId: u.opd_id,
  position: isPosition(u.position) ? u.position : null,
  disabled: u.disabled === 1,
  lastLoginAt: u.last_login_at,
  createdAt: u.created_at,
});
const toRegion = (r: RegionRow): Region => ({
  id: r.id,
  code: r.code,
  name: r.name,
  provinceCode: r.province_code,
  provinceName: r.province_name,
  timezone: r.timezone,
  retentionDays: r.retention_days,
  offlineAfterMinutes: r.offline_after_minutes,
});
const toOpd = (o: OpdRow): Opd => ({ id: o.id, code: o.code, name: o.name });

/**
 * Cached sessions are re-read after this long. Sessions ended by the platform
 * leave every instance's cache at once (session.revoked); this bounds only what
 * the bus cannot carry: a session ended by the admin command without BUS_URL.
 */
const SESSION_CACHE_MS = 10_000;

export class IdentityService {
  private readonly sessionCache = new Map<string, { principal: Principal; expiresAt: number; cachedAt: number }>();
  /** Parsed kecamatan polygons per region, with the layer's updated_at they were parsed from. */
  private readonly districtShapeCache = new Map<string, { updatedAt: number; shapes: DistrictShape[] }>();

  private readonly repo: IdentityRepository;
  private readonly clock: Clock;
  private readonly sessionTtlMs: number;
  private readonly bus: EventBus;
  constructor(repo: IdentityRepository, clock: Clock, sessionTtlMs: number, bus: EventBus) {
    this.repo = repo;
    this.clock = clock;
    this.sessionTtlMs = sessionTtlMs;
    this.bus = bus;
    // Ended here or on another instance: forget them now, not when the cache entry ages out.
    bus.subscribe('session.revoked', (e) => {
      for (const [hash, entry] of this.sessionCache) {
        if (entry.principal.userId !== e.userId || hash === e.exceptTokenHash) continue;
        if (e.tokenHashes === null || e.tokenHashes.includes(hash)) this.sessionCache.delete(hash);
      }
    });
  }

  // Regions

  /** The region with this Kemendagri code, created with its kecamatan from idn-area-data when missing. */
  async ensureRegion(code: string): Promise<Region> {
    const existing = await this.repo.findRegionByCode(code);
    if (existing) return toRegion(existing);
    const facts = await regencyFacts(code);
    const now = this.clock.now();
    const row: RegionRow = {
      id: newId(),
      code: facts.code,
      name: facts.name,
      province_code: facts.provinceCode,
      province_name: facts.provinceName,
      timezone: facts.timezone,
      retention_days: null,
      offline_after_minutes: 15,
      created_at: now,
      updated_at: now,
    };
    await this.repo.insertRegion(row, facts.districts);
    return toRegion(row);
  }

  async getRegion(regionId: string): Promise<Region> {
    const row = await this.repo.findRegion(regionId);
    if (!row) throw new AppError('REGION_NOT_FOUND', 'region not found');
    return toRegion(row);
  }

  async listRegions(): Promise<Region[]> {
    return (await this.repo.listRegions()).map(toRegion);
  }

  listDistricts(regionId: string) {
    return this.repo.listDistricts(regionId);
  }

  async updateRegion(p: Principal, patch: { name?: string; timezone?: string; retentionDays?: number | null; offlineAfterMinutes?: number }): Promise<Region> {
    requireRole(p, 'admin');
    if (patch.timezone !== undefined && !isTimeZone(patch.timezone)) {
      throw new AppError('VALIDATION_FAILED', `timezone "${patch.timezone}" is not an IANA time zone such as Asia/Jakarta`);
    }
    await this.repo.updateRegion(p.regionId, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.timezone !== undefined && { timezone: patch.timezone }),
      ...(patch.retentionDays !== undefined && { retention_days: patch.retentionDays }),
      ...(patch.offlineAfterMinutes !== undefined && { offline_after_minutes: patch.offlineAfterMinutes }),
      updated_at: this.clock.now(),
    });
    return this.getRegion(p.regionId);
  }

  // Map layers

  async layers(p: Principal): Promise<RegionLayer[]> {
    return (await this.repo.listLayers(p.regionId)).map((l) => ({
      key: l.key,
      name: { id: l.name_id, en: l.name_en },
      approximate: l.approximate === 1,
      updatedAt: l.updated_at,
      geojson: JSON.parse(l.geojson) as FeatureCollection,
    }));
  }

  /** Saves a layer after checking every feature's geometry; used by admins and by the demo. */
  async putLayer(regionId: string, key: string, input: { name: { id: string; en: string }; approximate: boolean; geojson: unknown }): Promise<void> {
    const fc = checkFeatureCollection(input.geojson);
    await this.storeLayer(regionId, key, { name: input.name, approximate: input.approximate, geojsonText: JSON.stringify(fc) });
  }

  /** An admin's upload, read and checked on the parser worker (layers.read.ts): stored as its text. */
  async putLayerUpload(p: Principal, key: string, upload: LayerUpload): Promise<void> {
    requireRole(p, 'admin');
    await this.storeLayer(p.regionId, key, upload);
  }

  private async storeLayer(regionId: string, key: string, layer: LayerUpload): Promise<void> {
    await this.repo.upsertLayer({ region_id: regionId, key, name_id: layer.name.id, name_en: layer.name.en, geojson: layer.geojsonText, approximate: layer.approximate ? 1 : 0, updated_at: this.clock.now() });
    this.districtShapeCache.delete(regionId);
  }

  async putLayerAsAdmin(p: Principal, key: string, input: { name: { id: string; en: string }; approximate: boolean; geojson: unknown }): Promise<void> {
    requireRole(p, 'admin');
    await this.putLayer(p.regionId, key, input);
  }

  async deleteLayer(p: Principal, key: string): Promise<void> {
    requireRole(p, 'admin');
    if (!(await this.repo.deleteLayer(p.regionId, key))) throw new AppError('NOT_FOUND', `no layer ${key}`);
    this.districtShapeCache.delete(p.regionId);
  }

  /**
   * The features of the region's kecamatan layer as polygons, each with the
   * kecamatan code it carries (a code property, else a name matching a
   * kecamatan of the region). Parsed once and cached; a replaced layer is seen
   * at once here and, on other instances, by its updated_at (one indexed read
   * per call). None without the layer. For other modules.
   */
  async districtShapes(regionId: string): Promise<DistrictShape[]> {
    const updatedAt = await this.repo.layerUpdatedAt(regionId, KECAMATAN_LAYER);
    if (updatedAt === undefined) {
      this.districtShapeCache.delete(regionId);
      return [];
    }
    const hit = this.districtShapeCache.get(regionId);
    if (hit && hit.updatedAt === updatedAt) return hit.shapes;
    const [layer, districts] = await Promise.all([this.repo.findLayer(regionId, KECAMATAN_LAYER), this.repo.listDistricts(regionId)]);
    if (!layer) return [];
    const codes = new Set(districts.map((d) => d.code));
    const byName = new Map(districts.map((d) => [plainName(d.name), d.code]));
    const shapes: DistrictShape[] = [];
    for (const feature of (JSON.parse(layer.geojson) as FeatureCollection).features) {
      const polygons = polygonsOf(feature.geometry);
      if (polygons.length === 0) continue;
      const props = Object.fromEntries(Object.entries(feature.properties ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const code =
        CODE_PROPERTIES.map((k) => kemendagriCode(props[k])).find((c) => c !== null && codes.has(c)) ??
        NAME_PROPERTIES.map((k) => (typeof props[k] === 'string' ? byName.get(plainName(props[k])) : undefined)).find((c) => c !== undefined) ??
        null;
      shapes.push({ code, polygons });
    }
    this.districtShapeCache.set(regionId, { updatedAt: Number(layer.updated_at), shapes });
    return shapes;
  }

  // First run

  /**
   * On an empty database: the region, its Diskominfo and the first admin, with
   * ADMIN_PASSWORD (checked for strength) or a generated password. On a later
   * start, while that generated password has never been used to log in, a new
   * one replaces it and is returned again: a first start that failed before
   * printing it (a taken port, say) locks nobody out, and no password is ever
   * kept in clear to be printed twice. Returns the password to print.
   */
  async bootstrap(options: { regionCode: string; adminEmail?: string | undefined; adminPassword?: string | undefined }): Promise<{ region: Region; admin?: { email: string; generatedPassword?: string }; ignoredAdminPassword?: boolean }> {
    const region = await this.ensureRegion(options.regionCode);
    if ((await this.repo.countUsers()) > 0) {
      const unused = await this.repo.findUnusedGeneratedAdmin(region.id);
      if (unused) {
        const password = generatePassword();
        await this.repo.updateUser(region.id, unused.id, { password_hash: await hashPassword(password), updated_at: this.clock.now() });
        return { region, admin: { email: unused.email, generatedPassword: password } };
      }
      return { region, ...(options.adminPassword !== undefined && { ignoredAdminPassword: true }) };
    }
    let diskominfo = await this.repo.findOpdByCode(region.id, 'DISKOMINFO');
    if (!diskominfo) {
      const now = this.clock.now();
      diskominfo = { id: newId(), region_id: region.id, code: 'DISKOMINFO', name: 'Dinas Komunikasi dan Informatika', created_at: now, updated_at: now };
      await this.repo.insertOpd(diskominfo);
    }
    const email = options.adminEmail ?? `admin@${region.code.replace('.', '')}.cerdas.local`;
    if (options.adminPassword !== undefined) {
      await this.insertUser(region.id, { email, name: 'Administrator', password: options.adminPassword, role: 'admin', opdId: diskominfo.id });
      // Judged at start-up, where nothing else will be soon: the dictionaries go now, not once idle.
      await releasePasswordChecker();
      return { region, admin: { email } };
    }
    const generated = generatePassword();
    await this.insertUser(region.id, { email, name: 'Administrator', password: generated, role: 'admin', opdId: diskominfo.id }, { generated: true, remember: true });
    return { region, admin: { email, generatedPassword: generated } };
  }

  /** Refuses a weak password (PASSWORD_WEAK, saying why in both languages), judged against the person and the region. */
  async assertStrongPassword(regionId: string, person: { email?: string; name?: string }, password: string): Promise<void> {
    const region = await this.repo.findRegion(regionId);
    await assertStrongPassword(password, userInputsOf(person, region?.name));
  }

  // Sessions

  async login(email: string, password: string): Promise<{ token: string; expiresAt: number; user: PublicUser }> {
    const user = await this.repo.findUserByEmail(email.trim().toLowerCase());
    // Hash even for an unknown email, so the answer time does not tell which emails exist.
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled === 1) throw new AppError('INVALID_CREDENTIALS', 'email or password is wrong');
    const token = newSecretToken();
    const now = this.clock.now();
    const expiresAt = now + this.sessionTtlMs;
    await this.repo.insertSession({ token_hash: hashToken(token), user_id: user.id, region_id: user.region_id, created_at: now, expires_at: expiresAt });
    // The first login spends a generated first password: it is no longer replaced on start.
    await this.repo.updateUser(user.region_id, user.id, { last_login_at: now, ...(user.password_generated === 1 && { password_generated: 0 }) });
    await this.repo.deleteExpiredSessions(now);
    return { token, expiresAt, user: toUser({ ...user, last_login_at: now }) };
  }

  /** The principal behind a bearer token, or UNAUTHENTICATED. */
  async authenticate(token: string): Promise<Principal> {
    const tokenHash = hashToken(token);
    const now = this.clock.now();
    const cached = this.sessionCache.get(tokenHash);
    if (cached && cached.expiresAt > now && now - cached.cachedAt < SESSION_CACHE_MS) return cached.principal;
    const row = await this.repo.findSession(tokenHash);
    if (!row || row.expires_at <= now || row.disabled === 1) {
      this.sessionCache.delete(tokenHash);
      throw new AppError('UNAUTHENTICATED', row && row.expires_at <= now ? 'the session has expired; log in again' : 'the bearer token is not valid; log in again');
    }
    const principal: Principal = { userId: row.id, regionId: row.region_id, role: row.role, opdId: row.opd_id, email: row.email };
    if (this.sessionCache.size > 10_000) this.sessionCache.clear();
    this.sessionCache.set(tokenHash, { principal, expiresAt: row.expires_at, cachedAt: now });
    return principal;
  }

  async logout(p: Principal, token: string): Promise<void> {
    const tokenHash = hashToken(token);
    this.sessionCache.delete(tokenHash);
    await this.repo.deleteSession(tokenHash);
    this.bus.publish('session.revoked', { regionId: p.regionId, userId: p.userId, tokenHashes: [tokenHash], exceptTokenHash: null, reason: 'logout' });
  }

  /**
   * Ends every session of a user, but the one given (the session that changed
   * its own password): deleted, dropped from every instance's cache, and their
   * live streams closed at once, through session.revoked.
   */
  async endSessions(regionId: string, userId: string, reason: SessionEndReason, exceptToken: string | null = null): Promise<void> {
    const exceptTokenHash = exceptToken === null ? null : hashToken(exceptToken);
    await this.repo.deleteSessionsOf(userId, exceptTokenHash);
    this.bus.publish('session.revoked', { regionId, userId, tokenHashes: null, exceptTokenHash, reason });
  }

  // Users

  async me(p: Principal): Promise<PublicUser> {
    const row = await this.repo.findUser(p.regionId, p.userId);
    if (!row) throw new AppError('USER_NOT_FOUND', 'user not found');
    return toUser(row);
  }

  async listUsers(p: Principal, limit: number, cursor?: string): Promise<Page<PublicUser>> {
    requireRole(p, 'admin');
    return toPage(await this.repo.listUsers(p.regionId, limit, decodeCursor(cursor)), limit, toUser);
  }

  async getUser(p: Principal, id: string): Promise<PublicUser> {
    if (p.role !== 'admin' && id !== p.userId) throw new AppError('FORBIDDEN', 'only an admin can see other users');
    const row = await this.repo.findUser(p.regionId, id);
    if (!row) throw new AppError('USER_NOT_FOUND', `no user ${id} in this region`);
    return toUser(row);
  }

  /**
   * The users of a region with these ids, in no particular order; ids of no user
   * there are left out. For other modules, which authorise their callers themselves.
   */
  async usersByIds(regionId: string, ids: readonly string[]): Promise<PublicUser[]> {
    const unique = [...new Set(ids)];
    return unique.length === 0 ? [] : (await this.repo.findUsers(regionId, unique)).map(toUser);
  }

  /**
   * The active users of a region holding a position, by name: within one OPD
   * when opdId is given, else anywhere in the region (the Sekda, the Bupati).
   * For other modules (escalation), which authorise their callers themselves.
   */
  async activeUsersWithPosition(regionId: string, position: Position, opdId: string | null): Promise<PublicUser[]> {
    return (await this.repo.activeUsersWithPosition(regionId, position, opdId)).map(toUser);
  }

  /** The active operators and admins of an OPD, by name; for other modules, which authorise their callers themselves. */
  activePeopleOf(regionId: string, opdId: string): Promise<{ id: string; name: string }[]> {
    return this.repo.activeUsersOfOpd(regionId, opdId);
  }

  /**
   * A new user with the password given (refused when weak) or, without one, a
   * generated password returned once for the admin to pass on.
   */
  async createUser(p: Principal, input: { email: string; name: string; password?: string | undefined; role: Role; opdId?: string | null; position?: Position | null }): Promise<PublicUser & { generatedPassword?: string }> {
    requireRole(p, 'admin');
    if (input.password !== undefined) return toUser(await this.insertUser(p.regionId, { ...input, password: input.password }));
    const generated = generatePassword();
    return { ...toUser(await this.insertUser(p.regionId, { ...input, password: generated }, { generated: true })), generatedPassword: generated };
  }

  /**
   * `generated`: the password came from generatePassword() (strong by
   * construction, so not judged); `remember`: it is the first admin's, replaced
   * and printed again on start until first used.
   */
  private async insertUser(
    regionId: string,
    input: { email: string; name: string; password: string; role: Role; opdId?: string | null; position?: Position | null },
    how: { generated?: boolean; remember?: boolean } = {},
  ): Promise<UserRow> {
    const email = input.email.trim().toLowerCase();
    const opdId = input.opdId ?? null;
    await this.checkRoleAndOpd(regionId, input.role, opdId);
    if (await this.repo.findUserByEmail(email)) throw new AppError('EMAIL_TAKEN', `a user with the email ${email} exists already`);
    if (!how.generated) await this.assertStrongPassword(regionId, { email, name: input.name }, input.password);
    const now = this.clock.now();
    const row: UserRow = {
      id: newId(),
      region_id: regionId,
      email,
      name: input.name,
      password_hash: await hashPassword(input.password),
      role: input.role,
      opd_id: opdId,
      position: input.position ?? null,
      disabled: 0,
      last_login_at: null,
      password_generated: how.remember ? 1 : 0,
      created_at: now,
      updated_at: now,
    };
    await this.repo.insertUser(row);
    return row;
  }

  /** For the account use cases (accounts.ts): a role and OPD that go together, the OPD in the region. */
  async checkRoleAndOpd(regionId: string, role: Role, opdId: string | null): Promise<void> {
    if (role === 'operator' && opdId === null) throw new AppError('VALIDATION_FAILED', 'an operator must belong to an OPD (opdId)');
    if (opdId !== null && !(await this.repo.findOpd(regionId, opdId))) throw new AppError('OPD_NOT_FOUND', `no OPD ${opdId} in this region`);
  }

  // OPDs

  async listOpds(p: Principal): Promise<Opd[]> {
    return this.opdsOf(p.regionId);
  }

  /** Every OPD of a region, by code; for other modules, which authorise their callers themselves. */
  async opdsOf(regionId: string): Promise<Opd[]> {
    return (await this.repo.listOpds(regionId)).map(toOpd);
  }

  /** The active people of an OPD, by name: whom an incident can be assigned to. Its operators and admins may ask. */
  async peopleOfOpd(p: Principal, id: string): Promise<{ id: string; name: string }[]> {
    requireRole(p, 'admin', 'operator');
    if (p.role === 'operator' && p.opdId !== id) throw new AppError('FORBIDDEN', "an operator sees the people of their own OPD only");
    await this.getOpd(p, id);
    return this.repo.activeUsersOfOpd(p.regionId, id);
  }

  async getOpd(p: Principal, id: string): Promise<Opd> {
    const row = await this.repo.findOpd(p.regionId, id);
    if (!row) throw new AppError('OPD_NOT_FOUND', `no OPD ${id} in this region`);
    return toOpd(row);
  }

  /** The OPDs of a region with these ids, in no particular order; ids of no OPD there are left out. For other modules. */
  async opdsByIds(regionId: string, ids: readonly string[]): Promise<Opd[]> {
    const unique = [...new Set(ids)];
    return unique.length === 0 ? [] : (await this.repo.findOpds(regionId, unique)).map(toOpd);
  }

  /** Checks that an OPD exists in the caller's region; used by other modules. */
  async assertOpd(regionId: string, id: string): Promise<void> {
    if (!(await this.repo.findOpd(regionId, id))) throw new AppError('OPD_NOT_FOUND', `no OPD ${id} in this region`);
  }

  async createOpd(p: Principal, input: { code: string; name: string }): Promise<Opd> {
    requireRole(p, 'admin');
    const code = input.code.trim().toUpperCase();
    if (await this.repo.findOpdByCode(p.regionId, code)) throw new AppError('CONFLICT', `an OPD with the code ${code} exists already`);
    const now = this.clock.now();
    const row: OpdRow = { id: newId(), region_id: p.regionId, code, name: input.name.trim(), created_at: now, updated_at: now };
    await this.repo.insertOpd(row);
    return toOpd(row);
  }

  async updateOpd(p: Principal, id: string, patch: { code?: string; name?: string }): Promise<Opd> {
    requireRole(p, 'admin');
    const existing = await this.getOpd(p, id);
    const code = patch.code?.trim().toUpperCase();
    if (code !== undefined && code !== existing.code && (await this.repo.findOpdByCode(p.regionId, code))) {
      throw new AppError('CONFLICT', `an OPD with the code ${code} exists already`);
    }
    await this.repo.updateOpd(p.regionId, id, {
      ...(code !== undefined && { code }),
      ...(patch.name !== undefined && { name: patch.name.trim() }),
      updated_at: this.clock.now(),
    });
    return this.getOpd(p, id);
  }

  async deleteOpd(p: Principal, id: string): Promise<void> {
    requireRole(p, 'admin');
    await this.getOpd(p, id);
    const used = await this.repo.opdUsage(p.regionId, id);
    if (used > 0) throw new AppError('OPD_IN_USE', `the OPD still has ${used} users, assets or devices; move them to another OPD first`);
    await this.repo.deleteOpd(p.regionId, id);
  }
}

/** A valid scrypt hash of a random password, checked against when the email is unknown. */
const DUMMY_HASH = await hashPassword(generatePassword());

export function requireRole(p: Principal, ...roles: Role[]): void {
  if (!roles.includes(p.role)) throw new AppError('FORBIDDEN', `this needs the role ${roles.join(' or ')}`);
}

/** "16.05.09", "160509" or 160509 → "16.05.09"; anything else null. */
function kemendagriCode(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).trim();
  if (/^\d{2}\.\d{2}\.\d{2}$/.test(text)) return text;
  return /^\d{6}$/.test(text) ? `${text.slice(0, 2)}.${text.slice(2, 4)}.${text.slice(4)}` : null;
}

/** "KECAMATAN Muara  Beliti" and "muara beliti" compare equal. */
function plainName(name: string): string {
  return name.toLowerCase().replace(/^kec(amatan|\.)\s*/, '').replace(/\s+/g, ' ').trim();
}

function isPosition(value: string | null): value is Position {
  return (POSITIONS as readonly (string | null)[]).includes(value);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The code of the kecamatan among these shapes whose polygon holds the point, or null. */
export function districtOf(shapes: readonly DistrictShape[], lon: number, lat: number): string | null {
  for (const shape of shapes) {
    if (shape.code !== null && shape.polygons.some((p) => pointInPolygon(lon, lat, p))) return shape.code;
  }
  return null;
}
