import type { Database } from './database.ts';
import { openPostgres } from './postgres.ts';
import { openSqlite } from './sqlite.ts';

export type { Database, DialectName, PointRow, TelemetryBulk } from './database.ts';
export { seriesKey } from './database.ts';
export type { Schema } from './schema.ts';

/** PostgreSQL when a URL is given, otherwise the embedded SQLite file in dataDir. */
export function openDatabase(options: { databaseUrl?: string | undefined; dataDir: string }): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.dataDir);
}
