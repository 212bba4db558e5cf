import type { AppModule } from '../../core/app-module.ts';
import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { ParserPool } from '../../platform/files/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { AssetsRepository } from './assets.repository.ts';
import { assetsRoutes } from './assets.routes.ts';
import { AssetsService } from './assets.service.ts';

interface Needs {
  database: Database;
  bus: EventBus;
  clock: Clock;
  identity: IdentityService;
  parsers: ParserPool;
}

/** The city's assets (poles, pumps, buildings) that devices are placed on. */
export const assetsModule: AppModule<Needs, { assets: AssetsService }> = {
  name: 'assets',
  needs: ['database', 'bus', 'clock', 'identity', 'parsers'],
  provides: ['assets'],
  open({ database, bus, clock, identity, parsers }) {
    const assets = new AssetsService(new AssetsRepository(database.db), identity, bus, clock);
    return { provides: { assets }, routes: (app) => app.register(assetsRoutes, { prefix: '/api/v1', assets, identity, parsers }) };
  },
};
