import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config/config.ts';
import type { AppModule } from '../../core/app-module.ts';
import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { AlarmsService } from '../alarms/index.ts';
import type { AssetsService } from '../assets/index.ts';
import type { DevicesService, ProfilesService } from '../devices/index.ts';
import type { EscalationPoliciesService } from '../duty/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { IncidentsService } from '../incidents/index.ts';
import type { ReportsService } from '../reports/index.ts';
import type { TelemetryService } from '../telemetry/index.ts';
import { escalationDirectory, Notifications } from './index.ts';
import type { SenderOptions } from './sender.ts';

interface Needs {
  database: Database;
  bus: EventBus;
  clock: Clock;
  config: Config;
  log: FastifyBaseLogger;
  identity: IdentityService;
  alarms: AlarmsService;
  incidents: IncidentsService;
  devices: DevicesService;
  profiles: ProfilesService;
  assets: AssetsService;
  telemetry: TelemetryService;
  escalationPolicies: EscalationPoliciesService;
  /** the region the residents' public pages serve */
  reports: Pick<ReportsService, 'region'>;
  options: {
    /** ms between the escalation and sender rounds; null: tests drive them (drain()) */
    notificationPollMs?: number | null;
    /** the sender's timeouts and retries (tests make them short) */
    notificationSender?: SenderOptions;
  };
}

/** Alerts that reach people: outbox, sender, escalation, contacts, channels, residents' warnings. */
export const notificationsModule: AppModule<Needs, { notifications: Notifications }> = {
  name: 'notifications',
  needs: ['database', 'bus', 'clock', 'config', 'log', 'identity', 'alarms', 'incidents', 'devices', 'profiles', 'assets', 'telemetry', 'escalationPolicies', 'reports', 'options'],
  provides: ['notifications'],
  open({ database, bus, clock, config, log, identity, alarms, incidents, devices, profiles, assets, telemetry, escalationPolicies, reports, options }) {
    const notifications = new Notifications({
      database,
      bus,
      clock,
      identity,
      alarms,
      incidents,
      devices,
      profiles,
      assets,
      telemetry,
      directory: escalationDirectory(escalationPolicies, identity),
      access: {
        assertAlarm: async (p, id) => void (await alarms.get(p, id)),
        assertIncident: async (p, id) => void (await incidents.get(p, id)),
      },
      publicUrl: config.publicUrl,
      secretsKey: config.secretsKey,
      dataDir: config.dataDir,
      maxPerHour: config.notifyMaxPerHour,
      ...(options.notificationPollMs !== undefined && { pollMs: options.notificationPollMs }),
      ...(options.notificationSender !== undefined && { sender: options.notificationSender }),
      log: (message, detail) => log.warn(detail, message),
      onError: (error) => log.error({ err: error }, 'notifications failed'),
    });
    // Its rounds (escalation, sender, warnings) are kicked by events as well as timed: they start with the module.
    notifications.start();
    return {
      provides: { notifications },
      // The residents' public routes count against the same per-address limit as the report routes.
      routes: (app, site) => notifications.routes(app, { region: () => reports.region(), limit: site.publicLimit }),
      close: () => notifications.close(),
    };
  },
};
