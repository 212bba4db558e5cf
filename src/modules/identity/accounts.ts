import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { SessionEndReason } from '../../core/events.ts';
import { lastAdmin, type IdentityRepository, type UserRow } from './identity.repository.ts';
import type { IdentityService } from './identity.service.ts';
import { requireRole, type Principal } from './principal.ts';
import type { Position, PublicUser, Role } from './identity.contract.ts';
import { generatePassword, hashPassword, verifyPassword } from './password.ts';

export interface UserPatch {
  name?: string;
  role?: Role;
  opdId?: string | null;
  position?: Position | null;
  disabled?: boolean;
  /** a new password set by the admin (judged like any other) */
  password?: string;
}

/**
 * What an admin does to other people's accounts, and what anyone does to their
 * own password. Every change that takes away access (a password changed or
 * reset, disabled, demoted, moved to another OPD, deleted) ends the person's
 * sessions and closes their live streams at once; the region always keeps an
 * active admin (LAST_ADMIN).
 */
export class UserAccounts {
  private readonly repo: IdentityRepository;
  private readonly identity: IdentityService;
  private readonly clock: Clock;
  constructor(repo: IdentityRepository, identity: IdentityService, clock: Clock) {
    this.repo = repo;
    this.identity = identity;
    this.clock = clock;
  }

  async update(p: Principal, id: string, patch: UserPatch): Promise<PublicUser> {
    requireRole(p, 'admin');
    const row = await this.find(p, id);
    const role = patch.role ?? row.role;
    const opdId = patch.opdId !== undefined ? patch.opdId : row.opd_id;
    await this.identity.checkRoleAndOpd(p.regionId, role, opdId);
    if (id === p.userId && (role !== 'admin' || patch.disabled === true)) {
      // The last admin hears the real reason; another admin is told to ask a colleague, so nobody locks themselves out by a slip.
      if ((await this.repo.countActiveAdmins(p.regionId)) <= 1) throw lastAdmin();
      throw new AppError('CONFLICT', 'Admin tidak dapat mencabut peran adminnya sendiri atau menonaktifkan dirinya: minta admin lain. / An admin cannot remove their own admin role or disable themselves: ask another admin.');
    }
    const name = patch.name ?? row.name;
    if (patch.password !== undefined) await this.identity.assertStrongPassword(p.regionId, { email: row.email, name }, patch.password);
    const changes: Partial<UserRow> = { role, opd_id: opdId, updated_at: this.clock.now() };
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.position !== undefined) changes.position = patch.position;
    if (patch.disabled !== undefined) changes.disabled = patch.disabled ? 1 : 0;
    if (patch.password !== undefined) Object.assign(changes, { password_hash: await hashPassword(patch.password), password_generated: 0 });
    const losesAdmin = row.role === 'admin' && row.disabled === 0 && (role !== 'admin' || patch.disabled === true);
    if (losesAdmin) await this.repo.changeUserKeepingAnAdmin(p.regionId, id, changes);
    else await this.repo.updateUser(p.regionId, id, changes);

    // A session carries the role and OPD it was opened with: a change to either, or to the password, ends them.
    const reason: SessionEndReason | null =
      patch.disabled === true && row.disabled === 0 ? 'disabled'
      : patch.password !== undefined ? 'password_reset'
      : role !== row.role || opdId !== row.opd_id ? 'role_changed'
      : null;
    if (reason !== null) await this.identity.endSessions(p.regionId, id, reason);
    return this.identity.getUser(p, id);
  }

  /**
   * An admin resets someone's password: to the one given (judged for strength),
   * or to a generated one returned once. Their sessions end.
   */
  async resetPassword(p: Principal, id: string, password?: string): Promise<{ user: PublicUser; generatedPassword?: string }> {
    requireRole(p, 'admin');
    if (password !== undefined) return { user: await this.update(p, id, { password }) };
    await this.find(p, id);
    const generated = generatePassword();
    await this.repo.updateUser(p.regionId, id, { password_hash: await hashPassword(generated), password_generated: 0, updated_at: this.clock.now() });
    await this.identity.endSessions(p.regionId, id, 'password_reset');
    return { user: await this.identity.getUser(p, id), generatedPassword: generated };
  }

  async delete(p: Principal, id: string): Promise<void> {
    requireRole(p, 'admin');
    if (id === p.userId) throw new AppError('CONFLICT', 'Admin tidak dapat menghapus dirinya sendiri. / An admin cannot delete themselves.');
    const row = await this.find(p, id);
    if (row.role === 'admin' && row.disabled === 0) await this.repo.changeUserKeepingAnAdmin(p.regionId, id, null);
    else await this.repo.deleteUser(p.regionId, id);
    // The rows went with the user (ON DELETE CASCADE); the event closes the streams and empties every cache.
    await this.identity.endSessions(p.regionId, id, 'deleted');
  }

  /** One's own password: the current one proves it is them; every other session of theirs ends, this one stays. */
  async changeOwnPassword(p: Principal, currentToken: string, currentPassword: string, newPassword: string): Promise<void> {
    const row = await this.repo.findUser(p.regionId, p.userId);
    if (!row || !(await verifyPassword(currentPassword, row.password_hash))) {
      throw new AppError('INVALID_CREDENTIALS', 'Kata sandi saat ini salah. / The current password is wrong.');
    }
    await this.identity.assertStrongPassword(p.regionId, { email: row.email, name: row.name }, newPassword);
    await this.repo.updateUser(p.regionId, p.userId, { password_hash: await hashPassword(newPassword), password_generated: 0, updated_at: this.clock.now() });
    await this.identity.endSessions(p.regionId, p.userId, 'password_changed', currentToken);
  }

  private async find(p: Principal, id: string): Promise<UserRow> {
    const row = await this.repo.findUser(p.regionId, id);
    if (!row) throw new AppError('USER_NOT_FOUND', `no user ${id} in this region`);
    return row;
  }
}
