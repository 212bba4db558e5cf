import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Config } from '../../config/config.ts';
import { copyHashed, DB_IN_BACKUP, FILES_DIR, hashFile, listFiles, MANIFEST, PG_DUMP_IN_BACKUP, SQLITE_FILE, type FileEntry, type Manifest } from './manifest.ts';

export interface BackupResult {
  dir: string;
  manifest: Manifest;
}

/** The PostgreSQL commands for a backup folder, with the URL left to the shell (it may hold a password). */
export function postgresCommands(dir: string): { dump: string; restore: string } {
  const dump = path.join(dir, PG_DUMP_IN_BACKUP);
  return {
    dump: `pg_dump --format=custom --no-owner --file=${JSON.stringify(dump)} "$DATABASE_URL"`,
    restore: `pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" ${JSON.stringify(dump)}`,
  };
}

/**
 * A consistent online backup into a new folder under `outRoot`: the SQLite
 * database by VACUUM INTO (one read transaction: a snapshot of every commit
 * made before it began, while the server goes on writing; unlike the online
 * backup API it never restarts under a steady stream of writes), then
 * DATA_DIR's files, each with its SHA-256, and a manifest written last. The
 * folder is built as `<name>.partial` and renamed when complete, so a backup
 * cut short is never taken for a whole one.
 */
export async function backup(config: Config, outRoot: string, version: string, now = new Date()): Promise<BackupResult> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const dir = path.join(path.resolve(outRoot), `cerdas-backup-${stamp}`);
  const partial = `${dir}.partial`;
  fs.mkdirSync(path.dirname(partial), { recursive: true });
  // It holds secrets.key and citizens' reports: the owner's alone.
  fs.mkdirSync(partial, { mode: 0o700 });
  const dialect = config.databaseUrl ? 'postgres' : 'sqlite';
  let database: FileEntry | null = null;
  let migration: string | null = null;
  if (dialect === 'sqlite') {
    const source = path.join(config.dataDir, SQLITE_FILE);
    if (!fs.existsSync(source)) throw new Error(`no database at ${source}: is DATA_DIR right?`);
    const target = path.join(partial, DB_IN_BACKUP);
    const raw = new BetterSqlite3(source, { fileMustExist: true });
    try {
      raw.pragma('busy_timeout = 10000');
      raw.prepare('VACUUM INTO ?').run(target);
    } finally {
      raw.close();
    }
    const copy = new BetterSqlite3(target, { readonly: true });
    try {
      const row = copy.prepare('SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1').get() as { name: string } | undefined;
      migration = row?.name ?? null;
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the database copy failed its integrity check: ${String(check)}`);
    } finally {
      copy.close();
    }
    database = { path: DB_IN_BACKUP, ...(await hashFile(target)) };
  }

  // After the database: a file the snapshot names was written before it, so it is here.
  const files: FileEntry[] = [];
  const backupsInside = path.resolve(outRoot).startsWith(path.resolve(config.dataDir) + path.sep);
  for (const relative of listFiles(config.dataDir)) {
    if (relative === SQLITE_FILE || relative.startsWith(`${SQLITE_FILE}-`)) continue;
    const absolute = path.join(config.dataDir, relative);
    if (backupsInside && absolute.startsWith(path.resolve(outRoot) + path.sep)) continue;
    const inBackup = `${FILES_DIR}/${relative}`;
    try {
      files.push({ path: inBackup, ...(await copyHashed(absolute, path.join(partial, inBackup))) });
    } catch (error) {
      // Removed since it was listed (a purged photo): nothing to keep.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  const manifest: Manifest = {
    format: 'cerdas-backup',
    formatVersion: 1,
    version,
    createdAt: now.toISOString(),
    dialect,
    migration,
    database,
    postgres: dialect === 'postgres' ? postgresCommands(dir) : null,
    files,
    totalBytes: (database?.bytes ?? 0) + files.reduce((sum, f) => sum + f.bytes, 0),
  };
  fs.writeFileSync(path.join(partial, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { flush: true });
  fs.renameSync(partial, dir);
  return { dir, manifest };
}
