/**
 * npm run backup [-- --out <folder>]: a consistent backup of a running or
 * stopped platform, read from the same configuration as the server (DATA_DIR,
 * DATABASE_URL …). Default folder: `backups/` beside DATA_DIR.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config/config.ts';
import { backup } from '../src/platform/backup/backup.ts';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : undefined;
if (outAt >= 0 && !out) {
  console.error('--out needs a folder');
  process.exit(2);
}
const config = loadConfig(process.env);
const version = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const outRoot = out ?? path.join(path.dirname(config.dataDir), 'backups');
try {
  const { dir, manifest } = await backup(config, outRoot, version);
  console.log(`backup: ${dir}`);
  console.log(`  ${manifest.dialect}${manifest.migration ? `, migration ${manifest.migration}` : ''}, ${manifest.files.length} files, ${(manifest.totalBytes / 1e6).toFixed(1)} MB`);
  if (manifest.postgres) {
    console.log('  PostgreSQL: the database is not in this folder. Dump it with the same DATABASE_URL (best just before');
    console.log('  `npm run backup`, so that every file a row names was copied) and keep the dump in the folder:');
    console.log(`    ${manifest.postgres.dump}`);
    console.log('  and to restore it later:');
    console.log(`    ${manifest.postgres.restore}`);
  }
} catch (error) {
  console.error(`backup failed: ${(error as Error).message}`);
  process.exit(1);
}
