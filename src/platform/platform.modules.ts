import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/config.ts';
import type { AppModule } from '../core/app-module.ts';
import { openBus, type EventBus } from './bus/index.ts';
import { openDatabase, type Database } from './db/index.ts';
import { ParserPool, type ParserPoolOptions } from './files/index.ts';

/** The database (SQLite in DATA_DIR, or PostgreSQL at DATABASE_URL), migrated. */
export const databaseModule: AppModule<{ config: Config; log: FastifyBaseLogger }, { database: Database }> = {
  name: 'database',
  needs: ['config', 'log'],
  provides: ['database'],
  async open({ config, log }) {
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      onBackgroundError: (error) => log.error({ err: error }, 'staged telemetry could not be moved into its table; it stays staged and is moved at the next try'),
    });
    return { provides: { database }, close: () => database.close() };
  },
};

/** The event bus: in this process, or between instances over NATS (BUS_URL). */
export const busModule: AppModule<{ config: Config; log: FastifyBaseLogger }, { bus: EventBus }> = {
  name: 'bus',
  needs: ['config', 'log'],
  provides: ['bus'],
  async open({ config, log }) {
    const bus = await openBus(
      config.busUrl,
      (error, event) => log.error({ err: error, event }, 'event handler failed'),
      (error) => log.error({ err: error }, 'the event link between instances failed; it is being restored'),
    );
    return { provides: { bus }, close: () => bus.close() };
  },
};

/** Every user's file (spreadsheet, CSV) is read on this worker, within its limits. */
export const parsersModule: AppModule<{ options: { parsers?: Partial<ParserPoolOptions> } }, { parsers: ParserPool }> = {
  name: 'parsers',
  needs: ['options'],
  provides: ['parsers'],
  open({ options }) {
    const parsers = new ParserPool(options.parsers);
    return { provides: { parsers }, close: () => parsers.close() };
  },
};
