import type { Config } from '../../config/config.ts';
import type { AppModule } from '../../core/app-module.ts';
import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { ParserPool } from '../../platform/files/index.ts';
import { UserAccounts } from './accounts.ts';
import { IdentityRepository } from './identity.repository.ts';
import { identityRoutes } from './identity.routes.ts';
import { IdentityService } from './identity.service.ts';
import type { Principal } from './principal.ts';
import { BASEMAP_PATH } from '../../platform/http/basemap.ts';

interface Needs {
  database: Database;
  bus: EventBus;
  clock: Clock;
  config: Config;
  parsers: ParserPool;
}
interface Provides {
  identity: IdentityService;
  /** people's accounts: edit, disable, reset, delete, one's own password */
  accounts: UserAccounts;
  /** how a person is named in what others read (their name, else their email) */
  nameOf: (p: Principal) => Promise<string>;
}

/** Regions, OPDs, people and their sessions. */
export const identityModule: AppModule<Needs, Provides> = {
  name: 'identity',
  needs: ['database', 'bus', 'clock', 'config', 'parsers'],
  provides: ['identity', 'accounts', 'nameOf'],
  open({ database, bus, clock, config, parsers }) {
    const repo = new IdentityRepository(database.db, database.dialect);
    const identity = new IdentityService(repo, clock, config.sessionTtlHours * 3_600_000, bus);
    const accounts = new UserAccounts(repo, identity, clock);
    const nameOf = async (p: Principal) => {
      const [u] = await identity.usersByIds(p.regionId, [p.userId]);
      return u ? u.name || u.email : p.email;
    };
    return {
      provides: { identity, accounts, nameOf },
      routes: (app) =>
        app.register(identityRoutes, { prefix: '/api/v1', identity, accounts, loginRateLimit: config.loginRateLimit, tileUrl: config.tileUrl ?? null, basemapUrl: config.basemapPmtiles ? BASEMAP_PATH : null, parsers }),
    };
  },
};
