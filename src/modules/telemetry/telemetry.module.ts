import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config/config.ts';
import type { AppModule } from '../../core/app-module.ts';
import type { Clock } from '../../core/clock.ts';
import { PeriodicJob } from '../../core/periodic-job.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { AttributeUpdatesPoll, DevicesService, DeviceStatusTracker, GatewayDevices, ProfilesService } from '../devices/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { GatewayIngest } from './gateway.ingest.ts';
import { IngestService } from './telemetry.ingest.ts';
import { TelemetryRepository } from './telemetry.repository.ts';
import { RetentionJob } from './telemetry.retention.ts';
import { deviceApiRoutes, telemetryRoutes } from './telemetry.routes.ts';
import { TelemetryService } from './telemetry.service.ts';
import { TelemetryWriter } from './telemetry.writer.ts';

interface Needs {
  database: Database;
  bus: EventBus;
  clock: Clock;
  config: Config;
  log: FastifyBaseLogger;
  identity: IdentityService;
  devices: DevicesService;
  profiles: ProfilesService;
  deviceStatus: DeviceStatusTracker;
  gateways: GatewayDevices;
  attributePolls: AttributeUpdatesPoll;
}
interface Provides {
  telemetry: TelemetryService;
  ingest: IngestService;
  writer: TelemetryWriter;
  retention: RetentionJob;
  /** the devices behind gateways: the same ingest path (writer, rules, alarms, stream), their own status */
  gatewayIngest: GatewayIngest;
}

/** Readings in (device API over HTTP; MQTT in telemetry.mqtt.ts), stored in batches, queried, pruned. */
export const telemetryModule: AppModule<Needs, Provides> = {
  name: 'telemetry',
  needs: ['database', 'bus', 'clock', 'config', 'log', 'identity', 'devices', 'profiles', 'deviceStatus', 'gateways', 'attributePolls'],
  provides: ['telemetry', 'ingest', 'writer', 'retention', 'gatewayIngest'],
  open({ database, bus, clock, config, log, identity, devices, profiles, deviceStatus, gateways, attributePolls }) {
    const repo = new TelemetryRepository(database);
    // Up to 4 batches at once. SQLite: later batches commit while an earlier one's fsync runs in the thread pool, and share
    // the next fsync (sqlite.ts); with 2, messages waited a whole fsync before their batch could start (MQTT, 1,000 devices
    // with one message in flight each: 4,617 → 5,343 msg/s on 3.1.1, 4,777 → 6,092 on MQTT 5, on a busy machine).
    const writer = new TelemetryWriter(database.bulk, bus, (error, points) => log.error({ err: error, points }, 'telemetry could not be stored; the sender was told to send again'), 4);
    const ingest = new IngestService(devices, writer, repo, bus, clock, config.maxPayloadBytes);
    const telemetry = new TelemetryService(repo, devices, identity, clock, config.maxQueryPoints, profiles);
    const retention = new RetentionJob(repo, clock);
    const gatewayIngest = new GatewayIngest(ingest, gateways, devices, deviceStatus, clock);
    return {
      provides: { telemetry, ingest, writer, retention, gatewayIngest },
      async routes(app) {
        await app.register(telemetryRoutes, { prefix: '/api/v1', telemetry, identity });
        await app.register(deviceApiRoutes, { prefix: '/api/v1', ingest, devices, polls: attributePolls, maxPayloadBytes: config.maxPayloadBytes });
      },
      // Hourly, give or take a minute: instances sharing a database do not all prune at the same moment.
      jobs: [new PeriodicJob({ name: 'retention', everyMs: 3_600_000, jitterMs: 60_000, runAtStart: true, run: () => retention.runOnce(), log })],
      async close() {
        await writer.close();
        await retention.settled();
      },
    };
  },
};
