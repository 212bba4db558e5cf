/**
 * The tables as Kysely sees them. Columns are snake_case; times are ms since
 * epoch (UTC) stored as integers; JSON is stored as text on both dialects.
 */
import type { Generated } from 'kysely';

export interface RegionsTable {
  id: string;
  /** Kemendagri code, e.g. 16.05 */
  code: string;
  name: string;
  province_code: string;
  province_name: string;
  /** IANA zone used for calendar-aligned aggregates, e.g. Asia/Jakarta */
  timezone: string;
  /** null keeps telemetry forever */
  retention_days: number | null;
  created_at: number;
  updated_at: number;
}

export interface DistrictsTable {
  /** Kemendagri kecamatan code, e.g. 16.05.09 */
  code: string;
  region_id: string;
  name: string;
}

export interface OpdsTable {
  id: string;
  region_id: string;
  /** short name, e.g. BPBD, DISKOMINFO */
  code: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface UsersTable {
  id: string;
  region_id: string;
  email: string;
  name: string;
  password_hash: string;
  role: 'admin' | 'operator' | 'viewer';
  opd_id: string | null;
  disabled: number;
  last_login_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  /** SHA-256 of the bearer token */
  token_hash: string;
  user_id: string;
  region_id: string;
  created_at: number;
  expires_at: number;
}

export interface AssetsTable {
  id: string;
  region_id: string;
  opd_id: string | null;
  type: string;
  name: string;
  /** GeoJSON geometry as text */
  geometry: string | null;
  /** representative point, for maps and bounding-box search */
  lon: number | null;
  lat: number | null;
  district_code: string | null;
  attributes: string;
  created_at: number;
  updated_at: number;
}

export interface DevicesTable {
  id: string;
  region_id: string;
  opd_id: string | null;
  asset_id: string | null;
  name: string;
  type: string;
  label: string | null;
  /** SHA-256 of the access token; null when revoked */
  token_hash: string | null;
  /** last 4 characters of the token, to recognise it */
  token_hint: string | null;
  last_activity_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface DeviceAttributesTable {
  device_id: string;
  region_id: string;
  /** client (sent by the device), shared (set by the platform for the device), server */
  scope: 'client' | 'shared' | 'server';
  key: string;
  /** JSON text */
  value: string;
  updated_at: number;
}

export interface TelemetrySeriesTable {
  id: Generated<number>;
  region_id: string;
  device_id: string;
  key: string;
  /** the latest point by timestamp (not by arrival) */
  latest_ts: number | null;
  latest_num: number | null;
  latest_str: string | null;
  latest_bool: number | null;
  latest_json: string | null;
}

export interface TelemetryTable {
  series_id: number;
  ts: number;
  num: number | null;
  str: string | null;
  bool: number | null;
  json: string | null;
}

export interface Schema {
  regions: RegionsTable;
  districts: DistrictsTable;
  opds: OpdsTable;
  users: UsersTable;
  sessions: SessionsTable;
  assets: AssetsTable;
  devices: DevicesTable;
  device_attributes: DeviceAttributesTable;
  telemetry_series: TelemetrySeriesTable;
  telemetry: TelemetryTable;
}
