import { ConfigError, loadConfig } from './config/config.ts';
import { isAppError } from './core/errors.ts';
import { keepWorkerYoungGenerations } from './core/worker-heaps.ts';

type CollectGarbage = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * What the start left behind (the modules' set-up, migrations, the routes' compilation) is collected
 * before the server takes traffic, and the pages it held go back to the system. The last-resort flavour
 * also shrinks the young generation the start filled; a second collection, a turn of the event loop
 * later, gives back more of V8's pages (Node.js 24, young generation of 2 x 8 MB, idle RSS right after
 * start over 4 starts each: 120.0-122.0 MB after one, 116.6-121.3 after two; without ready() first,
 * which left the routes' compilation to listen(), 127.2-129.4). Only where `npm start` gave --expose-gc
 * (scripts/start.mjs).
 */
async function collectStartGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: CollectGarbage }).gc;
  if (!gc) return;
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

/** loadConfig → createApp → listen; SIGTERM or SIGINT → close cleanly. Any start-up failure is one clear line. */
async function main(): Promise<void> {
  keepWorkerYoungGenerations();
  let config;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`cerdas: ${problem}`);
      process.exit(2);
    }
    throw error;
  }
  // Loaded after the checks: a bad setting is reported without loading the whole platform first.
  const { createApp, startDemo } = await import('./app.ts');
  let app;
  try {
    app = await createApp(config);
  } catch (error) {
    // ADMIN_PASSWORD is judged where it is used, when it creates the first admin of an empty database: on a
    // later start it changes nothing, and the strength checker's dictionaries (tens of MB) are never loaded.
    if (isAppError(error) && error.code === 'PASSWORD_WEAK' && config.adminPassword !== undefined) {
      const reason = (error.details as { reason?: { id: string; en: string } } | undefined)?.reason;
      console.error(`cerdas: ADMIN_PASSWORD is too weak: ${reason?.en ?? error.message} / ADMIN_PASSWORD terlalu lemah: ${reason?.id ?? error.message}`);
      process.exit(2);
    }
    throw error;
  }
  try {
    // Plugins and routes are compiled by ready(): most of what the start allocates, collected next.
    await app.ready();
    await collectStartGarbage();
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close().catch(() => {});
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`PORT ${config.port} is in use by another program; choose another with PORT=`);
    throw error;
  }
  const { firstAdmin, ignoredAdminPassword, database, mqtt } = app.services;
  const where = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  console.log(`cerdas: listening on ${where} (database: ${database.dialect}${mqtt?.port ? `, MQTT on port ${mqtt.port}` : ''})`);
  if (config.demo) {
    await startDemo(app);
    console.log('cerdas: demo of Kabupaten Musi Rawas loaded; the simulator is sending readings (locations are approximate)');
  }
  if (firstAdmin?.generatedPassword) {
    console.log(
      `cerdas: first admin — email ${firstAdmin.email}, password ${firstAdmin.generatedPassword} ` +
        '(a new one is printed on every start until this admin logs in; change it after logging in)',
    );
  }
  if (ignoredAdminPassword) {
    console.log('cerdas: ADMIN_EMAIL/ADMIN_PASSWORD only create the first admin of an empty database and changed nothing; to get back in, run `npm run admin -- reset-password <email>`');
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: closing`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`cerdas: error while closing: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`cerdas: cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
