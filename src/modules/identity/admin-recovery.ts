import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { IdentityRepository } from './identity.repository.ts';
import type { IdentityService } from './identity.service.ts';
import type { Principal } from './principal.ts';
import { generatePassword, hashPassword } from './password.ts';

export interface AdminListing {
  email: string;
  name: string;
  regionCode: string;
  disabled: boolean;
  /** ms since epoch; null: never logged in */
  lastLoginAt: number | null;
}

/**
 * The way back in for whoever runs the server (`npm run admin`): whoever can
 * read DATA_DIR or DATABASE_URL owns the platform anyway, so this asks for no
 * login. Each password it sets is generated, printed once by the command and
 * never stored in clear; the person's sessions end.
 */
export class AdminRecovery {
  private readonly repo: IdentityRepository;
  private readonly identity: IdentityService;
  private readonly clock: Clock;
  constructor(repo: IdentityRepository, identity: IdentityService, clock: Clock) {
    this.repo = repo;
    this.identity = identity;
    this.clock = clock;
  }

  async listAdmins(): Promise<AdminListing[]> {
    const regions = new Map((await this.repo.listRegions()).map((r) => [r.id, r.code]));
    return (await this.repo.listAdmins()).map((u) => ({ email: u.email, name: u.name, regionCode: regions.get(u.region_id) ?? '?', disabled: u.disabled === 1, lastLoginAt: u.last_login_at }));
  }

  /** A new generated password for the user with this email (any role); also enables a disabled account, which is what someone locked out needs. */
  async resetPassword(email: string): Promise<{ email: string; password: string; wasDisabled: boolean }> {
    const user = await this.repo.findUserByEmail(email.trim().toLowerCase());
    if (!user) throw new AppError('USER_NOT_FOUND', `no user with the email ${email.trim().toLowerCase()}`);
    const password = generatePassword();
    await this.repo.updateUser(user.region_id, user.id, { password_hash: await hashPassword(password), password_generated: 0, disabled: 0, updated_at: this.clock.now() });
    await this.identity.endSessions(user.region_id, user.id, 'password_reset');
    return { email: user.email, password, wasDisabled: user.disabled === 1 };
  }

  /** A new admin of the region (the only one, or the one with this Kemendagri code), with a generated password. */
  async createAdmin(email: string, regionCode?: string): Promise<{ email: string; password: string }> {
    const regions = await this.repo.listRegions();
    const region = regionCode === undefined ? regions[0] : regions.find((r) => r.code === regionCode);
    if (!region) throw new AppError('REGION_NOT_FOUND', regionCode === undefined ? 'the database has no region yet: start the platform once first' : `no region ${regionCode}`);
    if (regionCode === undefined && regions.length > 1) {
      throw new AppError('VALIDATION_FAILED', `the database holds ${regions.length} regions: name one with --region <code> (${regions.map((r) => r.code).join(', ')})`);
    }
    const diskominfo = await this.repo.findOpdByCode(region.id, 'DISKOMINFO');
    const system: Principal = { userId: 'admin-command', regionId: region.id, role: 'admin', opdId: null, email: 'admin-command' };
    const created = await this.identity.createUser(system, { email, name: 'Administrator', role: 'admin', opdId: diskominfo?.id ?? null });
    return { email: created.email, password: created.generatedPassword! };
  }
}
