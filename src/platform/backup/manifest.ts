import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** The name of the SQLite file in DATA_DIR (src/platform/db/sqlite.ts). */
export const SQLITE_FILE = 'cerdas.sqlite';
export const MANIFEST = 'manifest.json';
/** In a backup: the database snapshot, and DATA_DIR's other files under files/. */
export const DB_IN_BACKUP = 'database.sqlite';
export const PG_DUMP_IN_BACKUP = 'database.dump';
export const FILES_DIR = 'files';

export interface FileEntry {
  /** relative to the backup folder, with forward slashes */
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: 'cerdas-backup';
  formatVersion: 1;
  /** the platform's version that made it */
  version: string;
  /** ISO 8601, UTC */
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  /** the last migration applied to the database copied (SQLite); null for PostgreSQL (its dump holds its own) */
  migration: string | null;
  /** the database snapshot (SQLite), or null (PostgreSQL: pg_dump, see `postgres`) */
  database: FileEntry | null;
  /** what to run for PostgreSQL's database */
  postgres: { dump: string; restore: string } | null;
  /** DATA_DIR's files (uploads, master plan evidence, secrets.key …) */
  files: FileEntry[];
  totalBytes: number;
}

/** Copies a file with its permissions, hashing what it writes; the copy is fsync'd before the promise resolves. */
export async function copyHashed(from: string, to: string): Promise<{ bytes: number; sha256: string }> {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  const hash = createHash('sha256');
  let bytes = 0;
  const source = fs.createReadStream(from);
  source.on('data', (chunk) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  await pipeline(source, fs.createWriteStream(to, { flush: true }));
  // secrets.key stays readable by its owner only, in the backup and restored.
  fs.chmodSync(to, fs.statSync(from).mode & 0o777);
  return { bytes, sha256: hash.digest('hex') };
}

export async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Every regular file under `dir`, relative, with forward slashes. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
    .sort();
}

/** A path from a manifest, refused when it could leave the folder it is meant for. */
export function safeJoin(root: string, relative: string): string {
  const target = path.resolve(root, relative);
  if (relative.includes('\0') || path.isAbsolute(relative) || !target.startsWith(path.resolve(root) + path.sep)) {
    throw new Error(`the manifest names a path outside the backup: ${relative}`);
  }
  return target;
}
