import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { DeviceProfilesTable } from '../../platform/db/schema.ts';

export type ProfileRow = DeviceProfilesTable;

/** The only SQL of device profiles. */
export class ProfilesRepository {
  private readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  list(regionId: string) {
    return this.db.selectFrom('device_profiles').selectAll().where('region_id', '=', regionId).orderBy('type').execute();
  }

  find(regionId: string, id: string) {
    return this.db.selectFrom('device_profiles').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  byType(regionId: string, type: string) {
    return this.db.selectFrom('device_profiles').selectAll().where('region_id', '=', regionId).where('type', '=', type).executeTakeFirst();
  }

  /** The profile a provisioning key belongs to, in any region (keys are random and unique). */
  byProvisionKey(key: string) {
    return this.db.selectFrom('device_profiles').selectAll().where('provision_key', '=', key).executeTakeFirst();
  }

  async insert(row: ProfileRow): Promise<void> {
    await this.db.insertInto('device_profiles').values(row).execute();
  }

  async update(regionId: string, id: string, patch: Partial<ProfileRow>): Promise<void> {
    await this.db.updateTable('device_profiles').set(patch).where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  async delete(regionId: string, id: string): Promise<void> {
    await this.db.deleteFrom('device_profiles').where('region_id', '=', regionId).where('id', '=', id).execute();
  }
}
