import type { FastifyBaseLogger } from 'fastify';
import type { AppModule } from '../../core/app-module.ts';
import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { ParserPool } from '../../platform/files/index.ts';
import type { AssetsService } from '../assets/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { AttributeUpdatesPoll, type PollLimits } from './attribute-updates-poll.ts';
import { DeviceStatusTracker } from './device-status.ts';
import { DevicesRepository } from './devices.repository.ts';
import { devicesRoutes } from './devices.routes.ts';
import { DevicesService } from './devices.service.ts';
import { GatewayDevices, type GatewayLimits } from './gateway-devices.ts';
import { ProfilesRepository } from './profiles.repository.ts';
import { profilesRoutes, provisionRoutes } from './profiles.routes.ts';
import { ProfilesService } from './profiles.service.ts';
import { DEFAULT_PROVISION_LIMITS, ProvisionLimiter, ProvisioningService, type ProvisionLimits } from './provisioning.ts';

interface Needs {
  database: Database;
  bus: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  identity: IdentityService;
  assets: AssetsService;
  parsers: ParserPool;
  options: {
    /** provisioning requests and failures one address may make a minute (tests make them small) */
    provisionLimits?: ProvisionLimits;
    /** devices a gateway may name per message and have in all (tests make them small) */
    gatewayLimits?: Partial<GatewayLimits>;
    /** attribute long polls per device, in total, and their longest wait (tests make them small) */
    attributePollLimits?: Partial<PollLimits>;
  };
}
interface Provides {
  devices: DevicesService;
  /** device profiles: labels, units, ranges, commands, offline timeout, provisioning */
  profiles: ProfilesService;
  provisioning: ProvisioningService;
  /** online/offline of each device, from its traffic and its profile's timeout */
  deviceStatus: DeviceStatusTracker;
  /** gateways (ThingsBoard IoT Gateway API): the devices behind them */
  gateways: GatewayDevices;
  /** HTTP long polls of shared attributes held open */
  attributePolls: AttributeUpdatesPoll;
}

/** Devices, their profiles, provisioning, gateways and their status. */
export const devicesModule: AppModule<Needs, Provides> = {
  name: 'devices',
  needs: ['database', 'bus', 'clock', 'log', 'identity', 'assets', 'parsers', 'options'],
  provides: ['devices', 'profiles', 'provisioning', 'deviceStatus', 'gateways', 'attributePolls'],
  open({ database, bus, clock, log, identity, assets, parsers, options }) {
    const profiles = new ProfilesService(new ProfilesRepository(database.db), identity, clock);
    const devices = new DevicesService(new DevicesRepository(database.db), assets, identity, bus, clock, profiles);
    const provisioning = new ProvisioningService(profiles, devices, new ProvisionLimiter(options.provisionLimits ?? DEFAULT_PROVISION_LIMITS, clock));
    const deviceStatus = new DeviceStatusTracker(new DevicesRepository(database.db), bus, clock, (error) => log.error({ err: error }, 'device status failed'));
    const gateways = new GatewayDevices(new DevicesRepository(database.db), bus, clock, options.gatewayLimits);
    const attributePolls = new AttributeUpdatesPoll(bus, options.attributePollLimits);
    return {
      provides: { devices, profiles, provisioning, deviceStatus, gateways, attributePolls },
      async routes(app) {
        await app.register(devicesRoutes, { prefix: '/api/v1', devices, identity });
        await app.register(profilesRoutes, { prefix: '/api/v1', profiles, devices, assets, identity, parsers });
        await app.register(provisionRoutes, { prefix: '/api/v1', provisioning });
      },
    };
  },
};
