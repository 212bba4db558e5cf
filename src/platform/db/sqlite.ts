import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './database.ts';
import { migrateToLatest } from './migrations/index.ts';
import { withStatementCache } from './sqlite-statements.ts';
import { sqliteTelemetryThread } from './sqlite-telemetry.ts';
import type { Schema } from './schema.ts';

/**
 * The embedded database: one file in DATA_DIR, WAL journal, and a full fsync at
 * every commit so that an acknowledged write survives a crash or power loss.
 * Telemetry batches are the exception in how, not in whether: they are written
 * on a worker thread with a connection of its own, committed there without the
 * fsync (synchronous = NORMAL: in WAL mode the commit is then in the WAL, in the
 * operating system's cache), and the WAL is fsync'd after, before the batch's
 * promise resolves (sqlite-telemetry.ts).
 */
export async function openSqlite(dataDir: string, file = 'cerdas.sqlite'): Promise<Database> {
  fs.mkdirSync(dataDir, { recursive: true });
  const raw = new BetterSqlite3(path.join(dataDir, file));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('cache_size = -65536');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  await migrateToLatest(db, 'sqlite');
  const bulk = sqliteTelemetryThread({ file: path.join(dataDir, file), walFile: `${path.join(dataDir, file)}-wal` });
  return {
    dialect: 'sqlite',
    db,
    bulk,
    async close() {
      await bulk.close();
      await db.destroy();
    },
  };
}
