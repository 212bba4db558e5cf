import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { decodeCursor, toPage, type Page } from '../../core/paging.ts';
import { POSITIONS, type CreatedUser, type NewUser, type Position, type PublicUser, type Role } from './identity.contract.ts';
import type { IdentityRepository, UserRow } from './identity.repository.ts';
import { generatePassword, hashPassword } from './password.ts';
import { assertStrongPassword, userInputsOf } from './password-strength.ts';
import { requireRole, type Principal } from './principal.ts';

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
/** The users of a region: read, looked up by other modules, and created with a strong or a generated password. */
export class Users {
  private readonly repo: IdentityRepository;
  private readonly clock: Clock;
  constructor(repo: IdentityRepository, clock: Clock) {
    this.repo = repo;
    this.clock = clock;
  }

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
  async createUser(p: Principal, input: NewUser): Promise<CreatedUser> {
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
  async insertUser(
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

  /** Refuses a weak password (PASSWORD_WEAK, saying why in both languages), judged against the person and the region. */
  async assertStrongPassword(regionId: string, person: { email?: string; name?: string }, password: string): Promise<void> {
    const region = await this.repo.findRegion(regionId);
    await assertStrongPassword(password, userInputsOf(person, region?.name));
  }
}

function isPosition(value: string | null): value is Position {
  return (POSITIONS as readonly (string | null)[]).includes(value);
}
