import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/** The first schema: regions, OPDs, accounts, assets, devices, telemetry. */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  await db.schema
    .createTable('regions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('province_code', 'text', (c) => c.notNull())
    .addColumn('province_name', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('retention_days', 'integer')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('districts')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('districts_region').on('districts').column('region_id').execute();

  await db.schema
    .createTable('opds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addUniqueConstraint('opds_region_code', ['region_id', 'code'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('opd_id', 'text', (c) => c.references('opds.id').onDelete('set null'))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_login_at', ms)
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_region').on('users').columns(['region_id', 'email']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('assets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('opd_id', 'text', (c) => c.references('opds.id').onDelete('set null'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('geometry', 'text')
    .addColumn('lon', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('district_code', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assets_region_created').on('assets').columns(['region_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('assets_region_type').on('assets').columns(['region_id', 'type']).execute();
  await db.schema.createIndex('assets_region_lon_lat').on('assets').columns(['region_id', 'lon', 'lat']).execute();

  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('opd_id', 'text', (c) => c.references('opds.id').onDelete('set null'))
    .addColumn('asset_id', 'text', (c) => c.references('assets.id').onDelete('set null'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('token_hint', 'text')
    .addColumn('last_activity_at', ms)
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('devices_region_created').on('devices').columns(['region_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('devices_asset').on('devices').column('asset_id').execute();

  await db.schema
    .createTable('device_attributes')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('device_attributes_pk', ['device_id', 'scope', 'key'])
    .execute();

  let series = db.schema.createTable('telemetry_series');
  series =
    dialect === 'sqlite'
      ? series.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      : series.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity());
  await series
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('latest_ts', ms)
    .addColumn('latest_num', 'double precision')
    .addColumn('latest_str', 'text')
    .addColumn('latest_bool', 'integer')
    .addColumn('latest_json', 'text')
    .addUniqueConstraint('telemetry_series_device_key', ['device_id', 'key'])
    .execute();
  await db.schema.createIndex('telemetry_series_region').on('telemetry_series').column('region_id').execute();

  // Points are found by (series, time) only: SQLite keeps them in that order with no rowid.
  // No foreign key: checking one on every point costs ingest a lookup per row; the
  // devices repository deletes a device's points with it.
  await db.schema
    .createTable('telemetry')
    .addColumn('series_id', 'bigint', (c) => c.notNull())
    .addColumn('ts', ms, (c) => c.notNull())
    .addColumn('num', 'double precision')
    .addColumn('str', 'text')
    .addColumn('bool', 'integer')
    .addColumn('json', 'text')
    .addPrimaryKeyConstraint('telemetry_pk', ['series_id', 'ts'])
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
}
