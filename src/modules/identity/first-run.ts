import type { Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import type { Region } from './identity.contract.ts';
import type { IdentityRepository } from './identity.repository.ts';
import { generatePassword, hashPassword } from './password.ts';
import { releasePasswordChecker } from './password-strength.ts';
import type { Regions } from './regions.ts';
import type { Users } from './users.ts';

/** The first start: the region, its Diskominfo and the first admin. */
export class FirstRun {
  private readonly repo: IdentityRepository;
  private readonly clock: Clock;
  private readonly regions: Regions;
  private readonly users: Users;
  constructor(repo: IdentityRepository, clock: Clock, regions: Regions, users: Users) {
    this.repo = repo;
    this.clock = clock;
    this.regions = regions;
    this.users = users;
  }

  /**
   * On an empty database: the region, its Diskominfo and the first admin, with
   * ADMIN_PASSWORD (checked for strength) or a generated password. On a later
   * start, while that generated password has never been used to log in, a new
   * one replaces it and is returned again: a first start that failed before
   * printing it (a taken port, say) locks nobody out, and no password is ever
   * kept in clear to be printed twice. Returns the password to print.
   */
  async bootstrap(options: { regionCode: string; adminEmail?: string | undefined; adminPassword?: string | undefined }): Promise<{ region: Region; admin?: { email: string; generatedPassword?: string }; ignoredAdminPassword?: boolean }> {
    const region = await this.regions.ensureRegion(options.regionCode);
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
      await this.users.insertUser(region.id, { email, name: 'Administrator', password: options.adminPassword, role: 'admin', opdId: diskominfo.id });
      // Judged at start-up, where nothing else will be soon: the dictionaries go now, not once idle.
      await releasePasswordChecker();
      return { region, admin: { email } };
    }
    const generated = generatePassword();
    await this.users.insertUser(region.id, { email, name: 'Administrator', password: generated, role: 'admin', opdId: diskominfo.id }, { generated: true, remember: true });
    return { region, admin: { email, generatedPassword: generated } };
  }
}
