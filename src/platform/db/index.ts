import type { Database } from './database.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';

export type { Database, DialectName, PointRow, TelemetryBulk } from './database.js';
export { seriesKey } from './database.js';
export type { Schema } from './schema.js';

/** PostgreSQL when a URL is given, otherwise the embedded SQLite file in dataDir. */
export function openDatabase(options: { databaseUrl?: string | undefined; dataDir: string }): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.dataDir);
}
