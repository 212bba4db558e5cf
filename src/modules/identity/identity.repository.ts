import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../core/errors.ts';
import type { Cursor } from '../../core/paging.ts';
import type { DialectName, Schema } from '../../platform/db/index.ts';
import type { OpdsTable, RegionsTable, UsersTable } from '../../platform/db/schema.ts';

export type RegionRow = RegionsTable;
export type OpdRow = OpdsTable;
export type UserRow = UsersTable;

export const lastAdmin = () =>
  new AppError('LAST_ADMIN', 'Ini admin aktif terakhir di wilayah ini: jadikan orang lain admin dahulu. / This is the last active admin of the region: make someone else an admin first.');

export class IdentityRepository {
  private readonly db: Kysely<Schema>;
  private readonly dialect: DialectName;
  constructor(db: Kysely<Schema>, dialect: DialectName = 'sqlite') {
    this.db = db;
    this.dialect = dialect;
  }

  // Regions
  findRegionByCode(code: string) {
    return this.db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
  }
  findRegion(id: string) {
    return this.db.selectFrom('regions').selectAll().where('id', '=', id).executeTakeFirst();
  }
  listRegions() {
    return this.db.selectFrom('regions').selectAll().orderBy('code').execute();
  }
  async insertRegion(region: RegionRow, districts: { code: string; name: string }[]) {
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('regions').values(region).execute();
      if (districts.length > 0) {
        await tx
          .insertInto('districts')
          .values(districts.map((d) => ({ ...d, region_id: region.id })))
          .execute();
      }
    });
  }
  async updateRegion(id: string, patch: Partial<Pick<RegionRow, 'name' | 'timezone' | 'retention_days' | 'offline_after_minutes' | 'updated_at'>>) {
    await this.db.updateTable('regions').set(patch).where('id', '=', id).execute();
  }
  listDistricts(regionId: string) {
    return this.db.selectFrom('districts').select(['code', 'name']).where('region_id', '=', regionId).orderBy('code').execute();
  }

  findLayer(regionId: string, key: string) {
    return this.db.selectFrom('region_layers').selectAll().where('region_id', '=', regionId).where('key', '=', key).executeTakeFirst();
  }
  /** When the layer was last replaced (ms since epoch), or undefined without one: a cheap check that a cached parse is current. */
  async layerUpdatedAt(regionId: string, key: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('region_layers').select('updated_at').where('region_id', '=', regionId).where('key', '=', key).executeTakeFirst();
    return row === undefined ? undefined : Number(row.updated_at);
  }
  listLayers(regionId: string) {
    return this.db.selectFrom('region_layers').selectAll().where('region_id', '=', regionId).orderBy('key').execute();
  }
  async upsertLayer(row: Schema['region_layers']) {
    await this.db
      .insertInto('region_layers')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['region_id', 'key']).doUpdateSet((eb) => ({
          name_id: eb.ref('excluded.name_id'),
          name_en: eb.ref('excluded.name_en'),
          geojson: eb.ref('excluded.geojson'),
          approximate: eb.ref('excluded.approximate'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  async deleteLayer(regionId: string, key: string) {
    const r = await this.db.deleteFrom('region_layers').where('region_id', '=', regionId).where('key', '=', key).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  // OPDs
  listOpds(regionId: string) {
    return this.db.selectFrom('opds').selectAll().where('region_id', '=', regionId).orderBy('code').execute();
  }
  findOpd(regionId: string, id: string) {
    return this.db.selectFrom('opds').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }
  findOpds(regionId: string, ids: readonly string[]) {
    return this.db.selectFrom('opds').selectAll().where('region_id', '=', regionId).where('id', 'in', ids).execute();
  }
  findOpdByCode(regionId: string, code: string) {
    return this.db.selectFrom('opds').selectAll().where('region_id', '=', regionId).where('code', '=', code).executeTakeFirst();
  }
  async insertOpd(opd: OpdRow) {
    await this.db.insertInto('opds').values(opd).execute();
  }
  async updateOpd(regionId: string, id: string, patch: Partial<Pick<OpdRow, 'code' | 'name' | 'updated_at'>>) {
    await this.db.updateTable('opds').set(patch).where('region_id', '=', regionId).where('id', '=', id).execute();
  }
  async deleteOpd(regionId: string, id: string) {
    await this.db.deleteFrom('opds').where('region_id', '=', regionId).where('id', '=', id).execute();
  }
  async opdUsage(regionId: string, id: string): Promise<number> {
    const counts = await Promise.all(
      (['users', 'assets', 'devices'] as const).map((table) =>
        this.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('region_id', '=', regionId)
          .where('opd_id', '=', id)
          .executeTakeFirstOrThrow(),
      ),
    );
    return counts.reduce((sum, row) => sum + Number(row.n), 0);
  }

  // Users
  countUsers() {
    return this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  }
  findUserByEmail(email: string) {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }
  findUser(regionId: string, id: string) {
    return this.db.selectFrom('users').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }
  findUsers(regionId: string, ids: readonly string[]) {
    return this.db.selectFrom('users').selectAll().where('region_id', '=', regionId).where('id', 'in', ids).execute();
  }
  activeUsersOfOpd(regionId: string, opdId: string) {
    return this.db.selectFrom('users').select(['id', 'name']).where('region_id', '=', regionId).where('opd_id', '=', opdId).where('disabled', '=', 0).where('role', 'in', ['admin', 'operator']).orderBy('name').orderBy('id').execute();
  }
  activeUsersWithPosition(regionId: string, position: string, opdId: string | null) {
    let q = this.db.selectFrom('users').selectAll().where('region_id', '=', regionId).where('position', '=', position).where('disabled', '=', 0);
    if (opdId !== null) q = q.where('opd_id', '=', opdId);
    return q.orderBy('name').orderBy('id').execute();
  }
  listUsers(regionId: string, limit: number, after?: Cursor) {
    let q = this.db.selectFrom('users').selectAll().where('region_id', '=', regionId);
    if (after) {
      q = q.where((eb) => eb.or([eb('created_at', '>', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '>', after.id)])]));
    }
    return q.orderBy('created_at').orderBy('id').limit(limit + 1).execute();
  }
  async insertUser(user: UserRow) {
    await this.db.insertInto('users').values(user).execute();
  }
  async updateUser(regionId: string, id: string, patch: Partial<UserRow>) {
    await this.db.updateTable('users').set(patch).where('region_id', '=', regionId).where('id', '=', id).execute();
  }
  async deleteUser(regionId: string, id: string) {
    await this.db.deleteFrom('users').where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  /**
   * Changes (patch) or deletes (null) a user, and refuses with LAST_ADMIN when the
   * region would be left without an active admin. In one transaction, with the
   * admins' rows locked on PostgreSQL (SQLite runs writers one at a time), so two
   * admins demoting each other at once cannot both succeed.
   */
  async changeUserKeepingAnAdmin(regionId: string, id: string, patch: Partial<UserRow> | null): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await this.lockActiveAdmins(tx, regionId);
      if (patch === null) await tx.deleteFrom('users').where('region_id', '=', regionId).where('id', '=', id).execute();
      else await tx.updateTable('users').set(patch).where('region_id', '=', regionId).where('id', '=', id).execute();
      if ((await this.lockActiveAdmins(tx, regionId)).length === 0) throw lastAdmin();
    });
  }
  private async lockActiveAdmins(tx: Transaction<Schema>, regionId: string) {
    let q = tx.selectFrom('users').select('id').where('region_id', '=', regionId).where('role', '=', 'admin').where('disabled', '=', 0);
    if (this.dialect === 'postgres') q = q.forUpdate();
    return q.execute();
  }

  async countActiveAdmins(regionId: string): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('region_id', '=', regionId)
      .where('role', '=', 'admin')
      .where('disabled', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The admins of every region, disabled ones too, for the recovery command; oldest first. */
  listAdmins() {
    return this.db.selectFrom('users').selectAll().where('role', '=', 'admin').orderBy('created_at').orderBy('id').execute();
  }
  /** The first admin whose generated password was never used, if any: its password is replaced and printed again on start. */
  findUnusedGeneratedAdmin(regionId: string) {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('region_id', '=', regionId)
      .where('role', '=', 'admin')
      .where('password_generated', '=', 1)
      .where('last_login_at', 'is', null)
      .where('disabled', '=', 0)
      .orderBy('created_at')
      .executeTakeFirst();
  }

  // Sessions
  async insertSession(row: Schema['sessions']) {
    await this.db.insertInto('sessions').values(row).execute();
  }
  findSession(tokenHash: string) {
    return this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.expires_at', 'users.id', 'users.region_id', 'users.role', 'users.opd_id', 'users.email', 'users.name', 'users.disabled'])
      .where('sessions.token_hash', '=', tokenHash)
      .executeTakeFirst();
  }
  async deleteSession(tokenHash: string) {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }
  /** Ends every session of a user but the one kept (its own, after a password change). */
  async deleteSessionsOf(userId: string, exceptTokenHash: string | null = null) {
    let q = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptTokenHash !== null) q = q.where('token_hash', '!=', exceptTokenHash);
    await q.execute();
  }
  async deleteExpiredSessions(now: number) {
    await this.db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  }
}
