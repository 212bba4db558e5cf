import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../src/platform/db/index.ts';

/**
 * The databases of the test suite: which dialects run (DIALECTS), and a fresh
 * database of its own for each test server — a copy of a migrated template, an
 * SQLite file in a temp folder or a PostgreSQL database. Light on purpose: the
 * runner (scripts/test.ts) imports it to check and prepare before the tests start.
 */

/** The PostgreSQL server the suite uses (TEST_PG_URL to point elsewhere); each test gets a database of its own on it. */
export const PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether something answers on a TCP port of this machine (a service the suite can use for real).
 * 5 s: a deadline, not a wait; a test process busy with CPU-bound work can take over a second to see the connect.
 */
export function portAnswers(port: number, host = '127.0.0.1', ms = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Folders made by tempDir in this test process: removed when it exits, so that `npm test` leaves nothing in /tmp. */
const madeDirs = new Set<string>();
process.on('exit', () => {
  for (const dir of madeDirs) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'cerdas-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  madeDirs.add(dir);
  return dir;
}

export type DialectName = 'sqlite' | 'postgres';

export interface Dialect {
  name: DialectName;
  /** Storage settings for a fresh database of its own, migrated and empty. */
  storage(): Promise<{ dataDir: string; databaseUrl?: string; drop(): Promise<void> }>;
}

/**
 * Migrating takes longer than the rest of a server's start: it is done once, in
 * a template, and each test's database is a copy of it. The template's name
 * follows the migrations' text, so a changed migration makes a new one.
 */
const MIGRATIONS = fileURLToPath(new URL('../src/platform/db/migrations/', import.meta.url));
const migrationsHash = createHash('sha256');
for (const file of fs.readdirSync(MIGRATIONS).sort()) migrationsHash.update(file).update(fs.readFileSync(path.join(MIGRATIONS, file)));
const TEMPLATE = `cerdas_template_${migrationsHash.digest('hex').slice(0, 12)}`;

let sqliteTemplate: Promise<string> | null = null;
/** A migrated SQLite file: the runner's (TEST_TEMPLATE_DIR), else one made for this process. */
function sqliteTemplateFile(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const shared = process.env.TEST_TEMPLATE_DIR && path.join(process.env.TEST_TEMPLATE_DIR, `${TEMPLATE}.sqlite`);
    if (shared && fs.existsSync(shared)) return shared;
    return makeSqliteTemplate(tempDir());
  })();
  return sqliteTemplate;
}

/** Migrates an SQLite database in `dir` and returns its file (closed, so the WAL is folded in). */
export async function makeSqliteTemplate(dir: string): Promise<string> {
  const database = await openDatabase({ dataDir: dir });
  await database.close();
  const file = path.join(dir, `${TEMPLATE}.sqlite`);
  fs.renameSync(path.join(dir, 'cerdas.sqlite'), file);
  return file;
}

const sqliteDialect: Dialect = {
  name: 'sqlite',
  async storage() {
    const template = await sqliteTemplateFile();
    const dataDir = tempDir();
    fs.copyFileSync(template, path.join(dataDir, 'cerdas.sqlite'));
    return { dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  },
};

function pgUrlOf(database: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withPg<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

let pgTemplate: Promise<void> | null = null;
/**
 * Makes the migrated template database when the server has none: built under
 * a name of its own, then renamed, so that test processes starting together
 * never copy a half-migrated one (the loser of the race drops its copy).
 */
export function ensurePgTemplate(): Promise<void> {
  pgTemplate ??= (async () => {
    const exists = await withPg(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE])).rowCount === 1);
    if (exists) return;
    const building = `${TEMPLATE}_${process.pid}`;
    await withPg((c) => c.query(`DROP DATABASE IF EXISTS ${building}`).then(() => c.query(`CREATE DATABASE ${building}`)));
    const database = await openDatabase({ dataDir: '', databaseUrl: pgUrlOf(building) });
    await database.close();
    await withPg(async (c) => {
      try {
        await c.query(`ALTER DATABASE ${building} RENAME TO ${TEMPLATE}`);
      } catch (error) {
        if ((error as { code?: string }).code !== '42P04') throw error; // another process made it first
        await c.query(`DROP DATABASE ${building}`);
      }
    });
  })();
  return pgTemplate;
}

let pgDatabases = 0;
const postgresDialect: Dialect = {
  name: 'postgres',
  async storage() {
    await ensurePgTemplate();
    // A database of its own per test, copied from the template; the pid in its name lets a later run drop it if this one dies.
    const name = `cerdas_test_${process.pid}_${++pgDatabases}_${Math.random().toString(36).slice(2, 6)}`;
    await withPg((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`));
    const dataDir = tempDir();
    return {
      dataDir,
      databaseUrl: pgUrlOf(name),
      async drop() {
        await withPg((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

/**
 * The dialects named in DIALECTS (`sqlite`, `postgres` or `sqlite,postgres`).
 * Unset: both under CI, elsewhere SQLite and PostgreSQL if it answers. A named
 * dialect whose server does not answer fails the run rather than skipping.
 */
export function dialectNames(env: NodeJS.ProcessEnv = process.env): { names: DialectName[]; named: boolean } {
  const raw = env.DIALECTS?.trim();
  if (!raw) return { names: ['sqlite', 'postgres'], named: env.CI === 'true' || env.CI === '1' };
  const names = raw.split(',').map((n) => n.trim()).filter((n) => n !== '');
  for (const n of names) if (n !== 'sqlite' && n !== 'postgres') throw new Error(`DIALECTS: unknown dialect "${n}"; use sqlite, postgres or sqlite,postgres`);
  return { names: [...new Set(names)] as DialectName[], named: true };
}

export function pgAnswers(): Promise<boolean> {
  const url = new URL(PG_URL);
  return portAnswers(Number(url.port || 5432), url.hostname);
}

let chosen: Promise<Dialect[]> | null = null;
export function dialects(): Promise<Dialect[]> {
  chosen ??= (async () => {
    const { names, named } = dialectNames();
    // The runner has checked its servers (scripts/test.ts): a test file does not probe them again. A probe
    // from a process busy with CPU-bound work (a fuzz run) could miss its deadline and fail the file.
    if (process.env.TEST_DIALECTS_CHECKED === '1') return names.map((name) => (name === 'sqlite' ? sqliteDialect : postgresDialect));
    const out: Dialect[] = [];
    for (const name of names) {
      if (name === 'sqlite') out.push(sqliteDialect);
      else if (await pgAnswers()) out.push(postgresDialect);
      else if (named) throw new Error(`DIALECTS names postgres, but nothing answers at ${new URL(PG_URL).host}: start PostgreSQL or run with DIALECTS=sqlite`);
      else console.log(`# PostgreSQL does not answer at ${new URL(PG_URL).host}: its suites are skipped (DIALECTS=sqlite,postgres makes that a failure)`);
    }
    return out;
  })();
  return chosen;
}


/** Whether a process of this machine is alive (a test database's name carries its maker's pid). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Drops the test databases (and half-built templates) whose process is gone: a
 * test process killed before its `after` hook ran leaves its database behind.
 * Those of live processes (another run, another checkout) are left alone.
 */
export async function dropDatabasesOfDeadRuns(): Promise<void> {
  await withPg(async (c) => {
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'cerdas\\_test\\_%' OR datname LIKE 'cerdas\\_template\\_%\\_%'`);
    for (const { datname } of rows) {
      const pid = Number(/^cerdas_test_(\d+)_/.exec(datname)?.[1] ?? /^cerdas_template_[0-9a-f]+_(\d+)$/.exec(datname)?.[1]);
      if (Number.isInteger(pid) && !alive(pid)) await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  });
}
