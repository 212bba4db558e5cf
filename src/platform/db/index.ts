import type { Database } from './database.ts';

export type { Database, DialectName, PointRow, TelemetryBulk } from './database.ts';
export { seriesKey } from './database.ts';
export type { AuditLogTable, Schema } from './schema.ts';

/**
 * PostgreSQL when a URL is given, otherwise the embedded SQLite file in dataDir. Each driver is loaded
 * only when chosen: the server keeps the one it uses in memory, not both (pg's modules; SQLite's native library).
 */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Hears a failure of work done in the background (moving staged telemetry on SQLite, writing latest values on PostgreSQL), which no caller would otherwise see. */
  onBackgroundError?: (error: unknown) => void;
}): Promise<Database> {
  if (options.databaseUrl) return (await import('./postgres.ts')).openPostgres(options.databaseUrl, undefined, options.onBackgroundError);
  return (await import('./sqlite.ts')).openSqlite(options.dataDir, 'cerdas.sqlite', options.onBackgroundError);
}

const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN|PROTOCOL|NOLFS)/;
/** PostgreSQL: connection exceptions (08), shutdown (57P), out of resources (53: disk full, too many connections). */
const PG_UNAVAILABLE = /^(08|57P|53)/;
const NODE_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOSPC', 'EHOSTUNREACH']);

/**
 * Whether an error means the database cannot be reached or written right now
 * (closed, locked, disk full, connection lost) rather than a fault in the
 * request or the code: such a request is answered 503, "try again", not 500.
 */
export function isStorageUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (SQLITE_UNAVAILABLE.test(code) || PG_UNAVAILABLE.test(code) || NODE_UNAVAILABLE.has(code))) return true;
  return /database connection is not open|driver has already been destroyed|Cannot use a pool after calling end|Connection terminated|connection timeout/i.test(error.message);
}
