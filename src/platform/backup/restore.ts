import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/config.ts';
import { copyHashed, FILES_DIR, hashFile, MANIFEST, SQLITE_FILE, safeJoin, type FileEntry, type Manifest } from './manifest.ts';

export class RestoreRefused extends Error {}

/** Reads a backup's manifest and checks every file against its size and SHA-256; throws on the first that differs. */
export async function verifyBackup(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file)) throw new RestoreRefused(`${dir} has no ${MANIFEST}: not a Cerdas backup, or one cut short`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch {
    throw new RestoreRefused(`${file} is not valid JSON: the backup is damaged`);
  }
  if (manifest.format !== 'cerdas-backup' || manifest.formatVersion !== 1) throw new RestoreRefused(`${file} is not a Cerdas backup this version can read`);
  const entries: FileEntry[] = [...(manifest.database ? [manifest.database] : []), ...manifest.files];
  for (const entry of entries) {
    const absolute = safeJoin(dir, entry.path);
    if (!fs.existsSync(absolute)) throw new RestoreRefused(`the backup is damaged: ${entry.path} is missing`);
    const actual = await hashFile(absolute);
    if (actual.bytes !== entry.bytes || actual.sha256 !== entry.sha256) throw new RestoreRefused(`the backup is damaged: ${entry.path} does not match its checksum`);
  }
  return manifest;
}

/** Whether a Cerdas server answers on this port (the one whose DATA_DIR we would overwrite). */
export async function serverAnswers(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`, { signal: AbortSignal.timeout(1500) });
    return res.status === 200 || res.status === 503;
  } catch {
    return false;
  }
}

/**
 * Restores a verified backup into DATA_DIR: refused while a server answers on
 * PORT, and refused into a DATA_DIR that already holds a database or files
 * (restore into an empty folder; move the old one aside first). Every file is
 * checked again as it is copied. PostgreSQL's database is restored by
 * pg_restore (the command is in the manifest); its files are restored here.
 */
export async function restore(config: Config, dir: string): Promise<Manifest> {
  const manifest = await verifyBackup(dir);
  if (await serverAnswers(config.port)) throw new RestoreRefused(`a server answers on port ${config.port}: stop it before restoring`);
  if (fs.existsSync(config.dataDir) && fs.readdirSync(config.dataDir).length > 0) {
    throw new RestoreRefused(`DATA_DIR ${config.dataDir} is not empty: restore into an empty folder (move the old one aside)`);
  }
  if (manifest.dialect === 'sqlite' && config.databaseUrl) throw new RestoreRefused('this is a SQLite backup, but DATABASE_URL is set: unset it to restore SQLite');
  fs.mkdirSync(config.dataDir, { recursive: true });
  const copies: [FileEntry, string][] = manifest.files.map((f) => [f, safeJoin(config.dataDir, f.path.slice(FILES_DIR.length + 1))]);
  if (manifest.database) copies.push([manifest.database, path.join(config.dataDir, SQLITE_FILE)]);
  for (const [entry, target] of copies) {
    const source = safeJoin(dir, entry.path);
    const copied = await copyHashed(source, target);
    if (copied.sha256 !== entry.sha256) throw new RestoreRefused(`${entry.path} changed while it was restored`);
  }
  return manifest;
}
