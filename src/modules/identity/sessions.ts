import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { SessionEndReason } from '../../core/events.ts';
import { hashToken, newSecretToken } from '../../core/ids.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { LoginAnswer } from './identity.contract.ts';
import type { IdentityRepository } from './identity.repository.ts';
import { generatePassword, hashPassword, verifyPassword } from './password.ts';
import type { Principal } from './principal.ts';
import { toUser } from './users.ts';

/**
 * Cached sessions are re-read after this long. Sessions ended by the platform
 * leave every instance's cache at once (session.revoked); this bounds only what
 * the bus cannot carry: a session ended by the admin command without BUS_URL.
 */
const SESSION_CACHE_MS = 10_000;

/** A valid scrypt hash of a random password, checked against when the email is unknown. */
const DUMMY_HASH = await hashPassword(generatePassword());

/** Sessions: log in with email and password, a bearer token per session, cached briefly, ended on every instance at once. */
export class Sessions {
  private readonly sessionCache = new Map<string, { principal: Principal; expiresAt: number; cachedAt: number }>();

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

  async login(email: string, password: string): Promise<LoginAnswer> {
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
}
