import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config/config.ts';
import type { AppModule } from '../../core/app-module.ts';
import type { Clock } from '../../core/clock.ts';
import { PeriodicJob } from '../../core/periodic-job.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { DevicesService, ProfilesService } from '../devices/index.ts';
import type { IdentityService, Principal } from '../identity/index.ts';
import type { RuleCommandsService } from '../rules/index.ts';
import type { IngestService } from '../telemetry/index.ts';
import { createCommands, type Commands } from './index.ts';
import { rpcDeviceRoutes, rpcRoutes } from './rpc.routes.ts';

interface Needs {
  database: Database;
  bus: EventBus;
  clock: Clock;
  config: Config;
  log: FastifyBaseLogger;
  identity: IdentityService;
  nameOf: (p: Principal) => Promise<string>;
  devices: DevicesService;
  profiles: ProfilesService;
  audit: AuditService;
  ruleCommands: RuleCommandsService;
  ingest: Pick<IngestService, 'authenticate'>;
  /** a sender given by tests replaces the one this module hands the rules */
  options: { commandSender?: unknown };
}

/** Commands to devices (RPC): send, history, delivery over MQTT (the broker's transport) and HTTP, expiry. */
export const rpcModule: AppModule<Needs, { commands: Commands }> = {
  name: 'rpc',
  needs: ['database', 'bus', 'clock', 'config', 'log', 'identity', 'nameOf', 'devices', 'profiles', 'audit', 'ruleCommands', 'ingest', 'options'],
  provides: ['commands'],
  open({ database, bus, clock, config, log, identity, nameOf, devices, profiles, audit, ruleCommands, ingest, options }) {
    const commands = createCommands({
      database,
      bus,
      clock,
      devices,
      audit,
      nameOf,
      maxPayloadBytes: config.maxPayloadBytes,
      log: { info: (detail, message) => log.info(detail, message), warn: (detail, message) => log.warn(detail, message) },
      onError: (error) => log.error({ err: error }, 'commands (RPC) failed'),
    });
    // A command the device's profile does not name is refused (a type without a profile takes any).
    commands.send.useAllowedCommands(profiles);
    if (!options.commandSender) ruleCommands.useSender(commands.forRules(devices, profiles));
    return {
      provides: { commands },
      async routes(app) {
        await app.register(rpcRoutes, { prefix: '/api/v1', send: commands.send, history: commands.history, identity });
        await app.register(rpcDeviceRoutes, {
          prefix: '/api/v1',
          authenticate: (token) => ingest.authenticate(token),
          delivery: commands.delivery,
          clientSide: commands.clientSide,
          maxPayloadBytes: config.maxPayloadBytes,
        });
      },
      // Queued calls past their expiry, answers overdue (also those left waiting by a restart).
      jobs: [new PeriodicJob({ name: 'command expiry', everyMs: 5_000, run: () => commands.expiry.drain(), log })],
      // Long polls end now (408), not when their timeout would have.
      closing: () => commands.delivery.close(),
      close: () => commands.close(),
    };
  },
};
