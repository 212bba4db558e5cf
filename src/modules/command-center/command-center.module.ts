import type { Config } from '../../config/config.ts';
import type { AppModule } from '../../core/app-module.ts';
import { BASEMAP_PATH } from '../../platform/http/basemap.ts';
import type { AlarmsService } from '../alarms/index.ts';
import type { AssetsService } from '../assets/index.ts';
import type { DevicesService } from '../devices/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { TelemetryService } from '../telemetry/index.ts';
import { commandCenterRoutes } from './command-center.routes.ts';
import { FirstScreenReader } from './first-screen.ts';

type Needs = { config: Config; identity: IdentityService; assets: AssetsService; devices: DevicesService; alarms: AlarmsService; telemetry: TelemetryService };

/** The operators' first screen in one request (it reads through the other modules' services). */
export const commandCenterModule: AppModule<Needs, object> = {
  name: 'command-center',
  needs: ['config', 'identity', 'assets', 'devices', 'alarms', 'telemetry'],
  provides: [],
  open({ config, identity, assets, devices, alarms, telemetry }) {
    const firstScreen = new FirstScreenReader(
      {
        region: (regionId) => identity.getRegion(regionId),
        layers: (p) => identity.layers(p),
        assets: (p, limit, cursor) => assets.list(p, {}, limit, cursor),
        devices: (p, limit, cursor) => devices.list(p, {}, limit, cursor),
        latest: (p) => telemetry.regionLatest(p),
        activeAlarms: (p, limit, cursor) => alarms.list(p, { status: 'active' }, limit, cursor),
      },
      { tileUrl: config.tileUrl ?? null, basemapUrl: config.basemapPmtiles ? BASEMAP_PATH : null },
    );
    return { provides: {}, routes: (app) => app.register(commandCenterRoutes, { prefix: '/api/v1', firstScreen, identity }) };
  },
};
