/**
 * `node test/e2e/demo-template.ts <folder>`: the demo-seeded SQLite database of a test run, made once
 * by the runner (scripts/test.ts) into `<folder>` (TEST_DEMO_TEMPLATE) while the unit and API tests run. Seeding
 * the demo (its map, assets, devices, rules, incidents, rosters and master plan) costs a Chromium
 * test some 5 s of CPU; a server started on a copy of this folder (demoStorage in demo-server.ts)
 * finds the demo there, and startDemo only refreshes it (new device tokens) and starts the simulator,
 * as a restart with DEMO=1 does. The first seed itself is tested by test/demo.test.ts and the files
 * that seed on a clock of their own (walk-languages, masterplan).
 */
import fs from 'node:fs';
import { seedDemoData } from '../../src/app.ts';
import { dialects, startServerOn } from '../helpers.ts';

const target = process.argv[2];
if (!target) throw new Error('usage: node test/e2e/demo-template.ts <folder>');
// The Chromium tests run on SQLite; without it (DIALECTS=postgres) there is nothing to make, and they seed as before.
const [sqlite] = await dialects();
if (sqlite?.name !== 'sqlite') process.exit(0);
const storage = await sqlite.storage();
const s = await startServerOn(storage, {}, { ruleTickMs: null }, true);
await seedDemoData(s.app);
// Closed first: the database's write-ahead log is folded into its file, which is then copied whole.
await s.close();
// Renamed complete (the same file system: TMPDIR is the run's folder), so no reader sees half a folder.
fs.renameSync(storage.dataDir, target);
