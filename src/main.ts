import { ConfigError, loadConfig } from './config/config.ts';
import { judgePassword, releasePasswordChecker, userInputsOf } from './modules/identity/password-strength.ts';

/** loadConfig → createApp → listen; SIGTERM or SIGINT → close cleanly. Any start-up failure is one clear line. */
async function main(): Promise<void> {
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
  // Judged here, not in loadConfig, because the dictionaries load asynchronously; only when set.
  if (config.adminPassword !== undefined) {
    const verdict = await judgePassword(config.adminPassword, userInputsOf({ email: config.adminEmail, name: 'Administrator' }));
    if (!verdict.ok) {
      console.error(`cerdas: ADMIN_PASSWORD is too weak: ${verdict.reason.en} / ADMIN_PASSWORD terlalu lemah: ${verdict.reason.id}`);
      process.exit(2);
    }
    // Its dictionaries are tens of MB: gone before the platform loads, not when idle.
    await releasePasswordChecker();
  }

  // Loaded after the checks: a bad setting is reported without loading the whole platform first.
  const { createApp, startDemo } = await import('./app.ts');
  const app = await createApp(config);
  try {
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
