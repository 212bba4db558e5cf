/**
 * `npm run admin -- <command>`: the way back in for whoever runs the server.
 * Reads the same configuration as the server (DATA_DIR or DATABASE_URL, BUS_URL;
 * variables or flags) and works on SQLite and PostgreSQL, with the server
 * running or not.
 *
 *   reset-password <email>        a new generated password (printed once); the user's sessions end
 *   create-admin <email> [--region 16.05]   a new admin with a generated password (printed once)
 *   list-admins                   every admin: email, region, state, last login
 *
 * With BUS_URL (NATS) the running instances hear of the ended sessions at once
 * and close their streams; without it, a running server notices within 30 s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { systemClock } from '../src/core/clock.ts';
import { isAppError } from '../src/core/errors.ts';
import { ConfigError, loadConfig } from '../src/config/config.ts';
import { AdminRecovery, IdentityRepository, IdentityService } from '../src/modules/identity/index.ts';
import { openBus } from '../src/platform/bus/index.ts';
import { openDatabase } from '../src/platform/db/index.ts';

const USAGE = `usage: npm run admin -- reset-password <email>
       npm run admin -- create-admin <email> [--region <Kemendagri code>]
       npm run admin -- list-admins
Reads DATA_DIR / DATABASE_URL (and BUS_URL) like the server.`;

async function main(argv: string[]): Promise<number> {
  const positional: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) positional.push(arg);
    else {
      flags.push(arg);
      // a flag's value follows it unless given with =
      if (!arg.includes('=') && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) flags.push(argv[++i]!);
    }
  }
  const [command, email] = positional;
  if (command === undefined || !['reset-password', 'create-admin', 'list-admins'].includes(command) || (command !== 'list-admins' && email === undefined)) {
    console.error(USAGE);
    return 2;
  }
  const regionIndex = flags.findIndex((f) => f === '--region' || f.startsWith('--region='));
  const region = regionIndex === -1 ? undefined : flags[regionIndex]!.includes('=') ? flags[regionIndex]!.split('=')[1] : flags[regionIndex + 1];
  if (regionIndex !== -1) flags.splice(regionIndex, flags[regionIndex]!.includes('=') ? 1 : 2);

  let config;
  try {
    // The admin variables concern the server's first start only; a weak or half-set pair must not stop a recovery.
    const { ADMIN_EMAIL: _email, ADMIN_PASSWORD: _password, ...env } = process.env;
    config = loadConfig(env, flags);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`cerdas admin: ${problem}`);
      return 2;
    }
    throw error;
  }
  if (!config.databaseUrl && !fs.existsSync(path.join(config.dataDir, 'cerdas.sqlite'))) {
    console.error(`cerdas admin: no database in ${config.dataDir}: set DATA_DIR (or DATABASE_URL) as for the server`);
    return 1;
  }

  const database = await openDatabase(config);
  const bus = await openBus(
    config.busUrl,
    (error, event) => console.error(`cerdas admin: ${event}: ${String(error)}`),
    (error) => console.error(`cerdas admin: the event link to other instances failed: ${String(error)}`),
  ).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  try {
    const repo = new IdentityRepository(database.db, database.dialect);
    const identity = new IdentityService(repo, systemClock, config.sessionTtlHours * 3_600_000, bus);
    const recovery = new AdminRecovery(repo, identity, systemClock);
    switch (command) {
      case 'list-admins': {
        const admins = await recovery.listAdmins();
        if (admins.length === 0) console.log('no admins');
        for (const a of admins) {
          const state = a.disabled ? 'disabled' : 'active';
          const last = a.lastLoginAt === null ? 'never logged in' : `last login ${new Date(a.lastLoginAt).toISOString()}`;
          console.log(`${a.email}\t${a.regionCode}\t${state}\t${last}\t${a.name}`);
        }
        return 0;
      }
      case 'reset-password': {
        const done = await recovery.resetPassword(email!);
        console.log(`cerdas admin: new password for ${done.email}: ${done.password}`);
        console.log(`(shown once; their other sessions have ended${done.wasDisabled ? '; the account was disabled and is enabled again' : ''})`);
        return 0;
      }
      default: {
        const done = await recovery.createAdmin(email!, region);
        console.log(`cerdas admin: admin ${done.email} created, password: ${done.password}`);
        console.log('(shown once; change it after logging in)');
        return 0;
      }
    }
  } catch (error) {
    if (isAppError(error)) {
      console.error(`cerdas admin: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await bus.close();
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`cerdas admin: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
