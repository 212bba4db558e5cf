/**
 * npm run restore -- <backup folder>: restores into the (empty) DATA_DIR of
 * the configuration, with the server stopped. A damaged backup is refused by
 * its checksums before anything is written.
 */
import { loadConfig } from '../src/config/config.ts';
import { restore, RestoreRefused } from '../src/platform/backup/restore.ts';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npm run restore -- <backup folder>');
  process.exit(2);
}
const config = loadConfig(process.env);
try {
  const manifest = await restore(config, dir);
  console.log(`restored ${manifest.createdAt} (${manifest.dialect}${manifest.migration ? `, migration ${manifest.migration}` : ''}) into ${config.dataDir}: ${manifest.files.length} files`);
  if (manifest.postgres) {
    console.log('PostgreSQL: restore the database with (DATABASE_URL of an empty database):');
    console.log(`  ${manifest.postgres.restore}`);
  }
} catch (error) {
  console.error(`${error instanceof RestoreRefused ? 'refused' : 'restore failed'}: ${(error as Error).message}`);
  process.exit(1);
}
