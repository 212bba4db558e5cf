import { sql, type Kysely } from 'kysely';
import type { Cursor } from '../../core/paging.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { DevicesTable } from '../../platform/db/schema.ts';

export type DeviceRow = DevicesTable;

export interface DeviceFilter {
  type?: string | undefined;
  assetId?: string | undefined;
  opdId?: string | undefined;
  q?: string | undefined;
  /** the devices behind this gateway */
  gatewayId?: string | undefined;
}

export class DevicesRepository {
  private readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  /** Read-only, for the master plan's live KPIs: devices of the region (of an asset type or device type) and how many are online. */
  async onlineCount(regionId: string, filter: { assetType?: string; deviceType?: string } = {}): Promise<{ total: number; online: number }> {
    let q = this.db
      .selectFrom('devices as d')
      .leftJoin('assets as a', 'a.id', 'd.asset_id')
      .select([sql<number>`count(*)`.as('total'), sql<number>`sum(case when d.online = 1 then 1 else 0 end)`.as('online')])
      .where('d.region_id', '=', regionId);
    if (filter.assetType) q = q.where('a.type', '=', filter.assetType);
    if (filter.deviceType) q = q.where('d.type', '=', filter.deviceType);
    const row = await q.executeTakeFirst();
    return { total: Number(row?.total ?? 0), online: Number(row?.online ?? 0) };
  }

  find(regionId: string, id: string) {
    return this.db.selectFrom('devices').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  findByTokenHash(tokenHash: string) {
    return this.db
      .selectFrom('devices')
      .leftJoin('assets', 'assets.id', 'devices.asset_id')
      .select(['devices.id', 'devices.region_id', 'devices.opd_id', 'devices.asset_id', 'devices.type', 'assets.type as asset_type', 'devices.is_gateway'])
      .where('devices.token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  /** The same facts for devices known by id (rules and the stream need them). */
  refs(regionId: string, ids: string[]) {
    return this.db
      .selectFrom('devices')
      .leftJoin('assets', 'assets.id', 'devices.asset_id')
      .select(['devices.id', 'devices.region_id', 'devices.opd_id', 'devices.asset_id', 'devices.type', 'assets.type as asset_type'])
      .where('devices.region_id', '=', regionId)
      .where('devices.id', 'in', ids)
      .execute();
  }

  list(regionId: string, filter: DeviceFilter, limit: number, after?: Cursor) {
    let q = this.db.selectFrom('devices').selectAll().where('region_id', '=', regionId);
    if (filter.type !== undefined) q = q.where('type', '=', filter.type);
    if (filter.assetId !== undefined) q = q.where('asset_id', '=', filter.assetId);
    if (filter.opdId !== undefined) q = q.where('opd_id', '=', filter.opdId);
    if (filter.gatewayId !== undefined) q = q.where('gateway_id', '=', filter.gatewayId);
    if (filter.q !== undefined) {
      const pattern = `%${filter.q.toLowerCase().replace(/[!%_]/g, (ch) => `!${ch}`)}%`;
      q = q.where(sql<boolean>`lower(name) LIKE ${pattern} ESCAPE '!'`);
    }
    if (after) {
      q = q.where((eb) => eb.or([eb('created_at', '>', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '>', after.id)])]));
    }
    return q.orderBy('created_at').orderBy('id').limit(limit + 1).execute();
  }

  async insert(row: DeviceRow) {
    await this.db.insertInto('devices').values(row).execute();
  }
  /** All or none (an import). */
  async insertMany(rows: DeviceRow[]) {
    if (rows.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      // Chunks keep each statement under SQLite's and PostgreSQL's bound-parameter limits (14 columns a row).
      for (let i = 0; i < rows.length; i += 500) await tx.insertInto('devices').values(rows.slice(i, i + 500)).execute();
    });
  }
  /** Of these names, those a device of the region has (exact, as given). */
  async namesTaken(regionId: string, names: string[]): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < names.length; i += 500) {
      const rows = await this.db.selectFrom('devices').select('name').where('region_id', '=', regionId).where('name', 'in', names.slice(i, i + 500)).execute();
      out.push(...rows.map((r) => r.name));
    }
    return out;
  }

  async update(regionId: string, id: string, patch: Partial<DeviceRow>) {
    await this.db.updateTable('devices').set(patch).where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  /** The device, its series and their points, in one transaction. */
  async delete(regionId: string, id: string) {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .deleteFrom('telemetry')
        .where('series_id', 'in', (eb) => eb.selectFrom('telemetry_series').select('id').where('device_id', '=', id).where('region_id', '=', regionId))
        .execute();
      await tx.deleteFrom('devices').where('region_id', '=', regionId).where('id', '=', id).execute();
    });
  }

  /** Marks the device online if it was not; true when this call changed it. */
  /**
   * Marks online, in one statement, those of the devices not online yet;
   * returns their ids. After a restart every device's first reading lands here
   * at once: one transaction (one fsync) for all of them, not one each.
   */
  async markManyOnline(ids: string[], at: number): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .updateTable('devices')
      .set({ online: 1, status_changed_at: at })
      .where('id', 'in', ids)
      .where((eb) => eb.or([eb('online', 'is', null), eb('online', '=', 0)]))
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  async markOnline(id: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('devices')
      .set({ online: 1, status_changed_at: at })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('online', 'is', null), eb('online', '=', 0)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Online devices silent for longer than they may be, as of `now`: their
   * type's profile's offline timeout when it sets one, the region's otherwise.
   */
  stale(now: number) {
    return this.db
      .selectFrom('devices')
      .innerJoin('regions', 'regions.id', 'devices.region_id')
      .leftJoin('device_profiles', (join) => join.onRef('device_profiles.region_id', '=', 'devices.region_id').onRef('device_profiles.type', '=', 'devices.type'))
      .select(['devices.id', 'devices.region_id', 'devices.opd_id', 'devices.asset_id', 'devices.last_activity_at', 'regions.offline_after_minutes'])
      .where('devices.online', '=', 1)
      // The casts keep PostgreSQL from typing the ms values as 32-bit integers (30 days in ms is past 2^31).
      .where(
        'devices.last_activity_at',
        '<',
        sql<number>`CAST(${now} AS BIGINT) - COALESCE(CAST(device_profiles.offline_timeout_seconds AS BIGINT) * 1000, CAST(regions.offline_after_minutes AS BIGINT) * 60000)`,
      )
      .execute();
  }

  /** Marks the device offline if it is still online and still silent since `lastActivity`; true when this call changed it. */
  async markOffline(id: string, lastActivity: number, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('devices')
      .set({ online: 0, status_changed_at: at })
      .where('id', '=', id)
      .where('online', '=', 1)
      .where('last_activity_at', '<=', lastActivity)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  listAttributes(deviceId: string, scope?: 'client' | 'shared' | 'server', keys?: string[]) {
    let q = this.db.selectFrom('device_attributes').select(['scope', 'key', 'value', 'updated_at']).where('device_id', '=', deviceId);
    if (scope !== undefined) q = q.where('scope', '=', scope);
    if (keys !== undefined && keys.length > 0) q = q.where('key', 'in', keys);
    return q.orderBy('key').execute();
  }

  /** All keys in one transaction: a message of attributes is stored whole or not at all. */
  async upsertAttributes(regionId: string, deviceId: string, scope: 'client' | 'shared' | 'server', values: Record<string, unknown>, at: number) {
    const rows = Object.entries(values).map(([key, value]) => ({ device_id: deviceId, region_id: regionId, scope, key, value: JSON.stringify(value), updated_at: at }));
    if (rows.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('device_attributes')
        .values(rows)
        .onConflict((oc) => oc.columns(['device_id', 'scope', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') })))
        .execute();
      if (scope === 'client') await tx.updateTable('devices').set({ last_activity_at: at }).where('id', '=', deviceId).execute();
    });
  }

  async deleteAttributes(deviceId: string, scope: 'client' | 'shared' | 'server', keys: string[]) {
    await this.db.deleteFrom('device_attributes').where('device_id', '=', deviceId).where('scope', '=', scope).where('key', 'in', keys).execute();
  }

  // Gateways: the devices behind a gateway are found by (gateway, name), never by name alone.

  /** The devices of this gateway with these names (unknown names are left out). */
  subDevices(gatewayId: string, names: string[]) {
    return this.db
      .selectFrom('devices')
      .leftJoin('assets', 'assets.id', 'devices.asset_id')
      .select(['devices.id', 'devices.region_id', 'devices.opd_id', 'devices.asset_id', 'devices.type', 'assets.type as asset_type', 'devices.name'])
      .where('devices.gateway_id', '=', gatewayId)
      .where('devices.name', 'in', names)
      .execute();
  }

  async subDeviceIds(gatewayId: string, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('devices').select('id').where('gateway_id', '=', gatewayId).limit(limit).execute();
    return rows.map((r) => r.id);
  }

  async countSubDevices(gatewayId: string): Promise<number> {
    const row = await this.db.selectFrom('devices').select(sql<number>`count(*)`.as('n')).where('gateway_id', '=', gatewayId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** All in one statement; a name another message of the same gateway created meanwhile is left as it is. */
  async insertSubDevices(rows: DeviceRow[]) {
    if (rows.length === 0) return;
    await this.db.insertInto('devices').values(rows).onConflict((oc) => oc.columns(['gateway_id', 'name']).doNothing()).execute();
  }

  /** The gateway and name a device is known by, for a device behind a gateway. */
  gatewayOf(deviceId: string) {
    return this.db.selectFrom('devices').select(['gateway_id', 'name']).where('id', '=', deviceId).where('gateway_id', 'is not', null).executeTakeFirst();
  }

  /** Notes activity (a gateway announced the device) without a reading. */
  async touch(id: string, at: number) {
    await this.db.updateTable('devices').set({ last_activity_at: at }).where('id', '=', id).execute();
  }

  /** Marks the device offline at once if it is online (its gateway said it disconnected); true when this call changed it. */
  async markDisconnected(id: string, at: number): Promise<boolean> {
    const result = await this.db.updateTable('devices').set({ online: 0, status_changed_at: at }).where('id', '=', id).where('online', '=', 1).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
