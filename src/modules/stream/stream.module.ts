import type { Config } from '../../config/config.ts';
import type { AppModule } from '../../core/app-module.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { DevicesService } from '../devices/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { StreamHub } from './stream.hub.ts';
import { streamRoutes } from './stream.routes.ts';

/** The live stream (WebSocket) of readings, alarms and incidents to the web app. */
export const streamModule: AppModule<{ config: Config; bus: EventBus; devices: DevicesService; identity: IdentityService }, { hub: StreamHub }> = {
  name: 'stream',
  needs: ['config', 'bus', 'devices', 'identity'],
  provides: ['hub'],
  open({ config, bus, devices, identity }) {
    const hub = new StreamHub(bus, devices, { maxBufferedBytes: config.streamBufferBytes, maxSubscriptions: 100 });
    return { provides: { hub }, routes: (app) => app.register(streamRoutes, { prefix: '/api/v1', hub, identity }), close: () => hub.close() };
  },
};
