import type { FastifyBaseLogger } from 'fastify';
import type { AppModule } from '../../core/app-module.ts';
import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { AlarmsService } from '../alarms/index.ts';
import { AlarmReadingWords, alarmMessages, type DevicesService, type DeviceStatusTracker, type ProfilesService } from '../devices/index.ts';
import type { IdentityService, Principal } from '../identity/index.ts';
import { IncidentAction, type IncidentsService } from '../incidents/index.ts';
import { CommandAction, type CommandSender } from './command.action.ts';
import { RuleCommandsRepository } from './rule-commands.repository.ts';
import { ruleCommandsRoutes } from './rule-commands.routes.ts';
import { RuleCommandsService } from './rule-commands.service.ts';
import type { RuleAction } from './rules.actions.ts';
import { RuleEngine } from './rules.engine.ts';
import { PreviewRepository } from './rules.preview.repository.ts';
import { RulesPreview } from './rules.preview.ts';
import { RulesRepository } from './rules.repository.ts';
import { rulesRoutes } from './rules.routes.ts';
import { RulesService } from './rules.service.ts';
import { WebhookAction } from './webhook.action.ts';

interface Needs {
  database: Database;
  bus: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  identity: IdentityService;
  nameOf: (p: Principal) => Promise<string>;
  devices: DevicesService;
  profiles: ProfilesService;
  deviceStatus: DeviceStatusTracker;
  alarms: AlarmsService;
  incidents: IncidentsService;
  options: {
    /** ms between rule-engine checks (silence, device status); null: tests call tick() by hand */
    ruleTickMs?: number | null;
    /** first webhook retry after this many ms (tests make it short) */
    webhookBackoffMs?: number;
    /** how rules send commands to devices (the RPC module's, by default; tests give their own) */
    commandSender?: CommandSender;
  };
}
interface Provides {
  rules: RulesService;
  /** the editor's preview: how often a rule would have fired */
  rulePreview: RulesPreview;
  /** commands rules sent, and the ones waiting for an operator's confirmation */
  ruleCommands: RuleCommandsService;
  commandAction: CommandAction;
  engine: RuleEngine;
}

/** Rules on telemetry, the engine that runs them, and their actions (webhook, incident, command). */
export const rulesModule: AppModule<Needs, Provides> = {
  name: 'rules',
  needs: ['database', 'bus', 'clock', 'log', 'identity', 'nameOf', 'devices', 'profiles', 'deviceStatus', 'alarms', 'incidents', 'options'],
  provides: ['rules', 'rulePreview', 'ruleCommands', 'commandAction', 'engine'],
  async open({ database, bus, clock, log, identity, nameOf, devices, profiles, deviceStatus, alarms, incidents, options }) {
    const warn = (message: string, detail: Record<string, unknown>) => log.warn(detail, message);
    const webhook = new WebhookAction({ backoffMs: options.webhookBackoffMs ?? 1000, log: warn });
    const incidentAction = new IncidentAction(incidents, warn, new AlarmReadingWords(devices, profiles));
    const ruleCommands = new RuleCommandsService(new RuleCommandsRepository(database.db), options.commandSender ?? null, bus, clock, nameOf);
    const commandAction = new CommandAction(ruleCommands, warn);
    const actions = new Map<string, RuleAction<any>>([[webhook.type, webhook], [incidentAction.type, incidentAction], [commandAction.type, commandAction]]);
    // Alarms say what they are about in both languages, with the device profile's label, unit and decimals.
    alarms.setWording(async (regionId, alarm) => {
      const device = await devices.find(regionId, alarm.deviceId);
      return alarmMessages(device ? await profiles.forType(regionId, device.type) : null, alarm);
    });
    const rulesRepo = new RulesRepository(database);
    const rules = new RulesService(rulesRepo, devices, profiles, identity, alarms, actions, bus, clock);
    const preview = new RulesPreview(new PreviewRepository(database), rules, clock);
    const engine = new RuleEngine(rulesRepo, alarms, deviceStatus, actions, bus, clock, (error) => log.error({ err: error }, 'rule evaluation failed'));
    const close = async () => {
      await engine.stop();
      await webhook.close();
      await incidentAction.close();
      await commandAction.close();
    };
    try {
      await engine.start(options.ruleTickMs === undefined ? 30_000 : options.ruleTickMs);
    } catch (error) {
      await close();
      throw error;
    }
    return {
      provides: { rules, rulePreview: preview, ruleCommands, commandAction, engine },
      async routes(app) {
        await app.register(rulesRoutes, { prefix: '/api/v1', rules, preview, identity });
        await app.register(ruleCommandsRoutes, { prefix: '/api/v1', commands: ruleCommands, identity });
      },
      close,
    };
  },
};
