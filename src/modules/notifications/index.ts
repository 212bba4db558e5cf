/**
 * Notifications: alerts that reach people. What other modules and the app may use.
 */
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { AlarmsService } from '../alarms/index.ts';
import type { AssetsService } from '../assets/index.ts';
import type { DevicesService } from '../devices/index.ts';
import type { EscalationPoliciesService } from '../duty/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { IncidentsService } from '../incidents/index.ts';
import type { TelemetryService } from '../telemetry/index.ts';
import { ChannelTester } from './channel-test.ts';
import { ChannelsService } from './channels.service.ts';
import { ContactsService } from './contacts.service.ts';
import { EscalationEngine, type EscalationDirectory } from './escalation.ts';
import { AlarmFacts, IncidentFacts, type ProfileWords } from './facts.ts';
import { LogService, type SubjectAccess } from './log.service.ts';
import { notificationsRoutes } from './notifications.routes.ts';
import { NotificationsRepository } from './notifications.repository.ts';
import { Outbox } from './outbox.ts';
import { ResponsesService } from './responses.service.ts';
import { responsesRoutes } from './responses.routes.ts';
import { SecretBox } from './secrets.ts';
import { Sender, type SenderOptions } from './sender.ts';
import { ReporterUpdates } from './reporters.ts';
import { ResidentsRepository } from './residents.repository.ts';
import { residentsRoutes, type PublicLimiter } from './residents.routes.ts';
import { SubscriptionsService } from './subscriptions.service.ts';
import { WarningsService } from './warnings.service.ts';
import { warningsRoutes } from './warnings.routes.ts';

export { NotificationsRepository } from './notifications.repository.ts';
export type { EscalationDirectory, PolicyLevel } from './escalation.ts';
export type { Person } from './outbox.ts';
export { normalizeMobile } from './phone.ts';
export type { PublicLimiter } from './residents.routes.ts';
export type { WarningDto, SubscriptionDto } from './residents.contract.ts';

export interface NotificationsDeps {
  database: Database;
  bus: EventBus;
  clock: Clock;
  identity: IdentityService;
  alarms: AlarmsService;
  incidents: IncidentsService;
  devices: DevicesService;
  /** device profiles: the labels, units and decimals messages word readings with (absent: the key's built-in names) */
  profiles?: ProfileWords;
  assets: AssetsService;
  telemetry: TelemetryService;
  directory: EscalationDirectory;
  access: SubjectAccess;
  publicUrl: string;
  secretsKey: string | undefined;
  dataDir: string;
  maxPerHour: number;
  sender?: SenderOptions;
  /** ms between escalation rounds when nothing kicks them; null: tests drive them */
  pollMs?: number | null;
  log: (message: string, detail: Record<string, unknown>) => void;
  onError: (error: unknown) => void;
}

/** The notification module, assembled: its services, its jobs, its routes. */
export class Notifications {
  readonly repo: NotificationsRepository;
  readonly outbox: Outbox;
  readonly channels: ChannelsService;
  readonly contacts: ContactsService;
  readonly sender: Sender;
  readonly escalation: EscalationEngine;
  readonly responses: ResponsesService;
  readonly log: LogService;
  readonly tester: ChannelTester;
  readonly reporters: ReporterUpdates;
  readonly subscriptions: SubscriptionsService;
  readonly warnings: WarningsService;
  private readonly bus: EventBus;
  private stopKicks: (() => void) | null = null;
  private readonly identity: IdentityService;
  private readonly pollMs: number | null;
  private readonly logLine: NotificationsDeps['log'];

  constructor(deps: NotificationsDeps) {
    const { database, bus, clock } = deps;
    const secrets = SecretBox.open(deps.secretsKey, deps.dataDir);
    this.identity = deps.identity;
    this.pollMs = deps.pollMs === undefined ? 1000 : deps.pollMs;
    this.logLine = deps.log;
    const zone = async (regionId: string) => (await deps.identity.getRegion(regionId)).timezone;
    const kick = () => this.sender.kick();
    this.repo = new NotificationsRepository(database.db, database.dialect);
    this.outbox = new Outbox(this.repo, secrets, deps.maxPerHour);
    this.channels = new ChannelsService(this.repo, secrets, clock, deps.publicUrl);
    this.sender = new Sender(this.repo, this.channels, this.outbox, bus, clock, deps.publicUrl, { ...deps.sender, onError: deps.onError });
    this.contacts = new ContactsService(this.repo, this.outbox, this.channels, clock, zone, kick);
    const facts = new AlarmFacts({ byId: (regionId, id) => deps.alarms.byId(regionId, id) }, deps.identity, deps.devices, deps.assets, deps.telemetry, deps.publicUrl, deps.profiles ?? null);
    const incidentFacts = new IncidentFacts(deps.incidents, deps.identity, deps.publicUrl);
    this.escalation = new EscalationEngine(this.repo, this.outbox, deps.directory, facts, incidentFacts, bus, clock, {
      pollMs: this.pollMs ?? 1000,
      onQueued: kick,
      onError: deps.onError,
      integrationUrl: async (regionId) => {
        const url = (await this.channels.settings(regionId, 'webhook'))?.alarmUrl;
        return typeof url === 'string' && url !== '' ? url : null;
      },
    });
    deps.alarms.onChange(this.escalation.onAlarmChange);
    deps.incidents.onBreach(this.escalation.onIncidentBreach);
    this.responses = new ResponsesService(
      this.repo,
      {
        byId: (regionId, id) => deps.alarms.byId(regionId, id),
        acknowledgeAs: async (regionId, alarmId, userId, via) => {
          const [person] = await deps.identity.usersByIds(regionId, [userId]);
          if (!person || person.disabled) throw new AppError('FORBIDDEN', 'the person this message was sent to can no longer sign in');
          return deps.alarms.acknowledgeAsUser({ userId, regionId, role: person.role, opdId: person.opdId }, alarmId, null, via);
        },
      },
      {
        describe: async (regionId, id) => {
          const incident = await deps.incidents.byId(regionId, id);
          return incident && { id: incident.id, ticket: incident.ticket, title: incident.title };
        },
        noteAs: async (regionId, id, userId, text) => {
          const [person] = await deps.identity.usersByIds(regionId, [userId]);
          if (!person || person.disabled) return;
          await deps.incidents.addUpdate({ userId, regionId, role: person.role, opdId: person.opdId, email: person.email }, id, { text, public: false }).catch((error: unknown) => deps.log('could not note who took a late report', { reason: error instanceof Error ? error.message : String(error) }));
        },
      },
      this.contacts,
      this.outbox,
      bus,
      clock,
      kick,
    );
    this.log = new LogService(this.repo, deps.access, clock);
    this.tester = new ChannelTester(this.repo, this.outbox, clock, zone, kick);

    // Residents told: reporters who asked, early-warning subscribers, public warnings approved by a person.
    this.bus = bus;
    const residents = new ResidentsRepository(database.db);
    this.reporters = new ReporterUpdates(residents, this.outbox, secrets, bus, clock, deps.publicUrl);
    deps.incidents.onChange(this.reporters.onIncidentChange);
    this.subscriptions = new SubscriptionsService(residents, this.outbox, secrets, deps.identity, bus, clock, deps.publicUrl, kick);
    this.warnings = new WarningsService(
      residents,
      this.outbox,
      this.subscriptions,
      facts,
      {
        alarm: (regionId, id) => deps.alarms.byId(regionId, id),
        districtOfAsset: async (regionId, assetId) => (await deps.assets.byId(regionId, assetId).catch(() => null))?.districtCode ?? null,
        districtName: async (regionId, code) => (await deps.identity.listDistricts(regionId)).find((d) => d.code === code)?.name ?? null,
        timeZone: zone,
        userNames: async (regionId, ids) => new Map((ids.length === 0 ? [] : await deps.identity.usersByIds(regionId, ids)).map((u) => [u.id, u.name])),
      },
      bus,
      clock,
      kick,
      deps.onError,
    );
    deps.alarms.onChange(this.warnings.onAlarmChange);
  }

  /** The jobs: the escalation rounds and the sender (not in tests that drive them by hand). */
  start(): void {
    if (this.pollMs === null) return;
    this.escalation.start();
    this.sender.start();
    this.warnings.start(this.pollMs);
    // A reporter's message was queued with the change: send it now rather than at the next poll.
    this.stopKicks = this.bus.subscribe('incident.updated', () => this.sender.kick());
  }

  async close(): Promise<void> {
    this.stopKicks?.();
    await this.warnings.stop();
    await this.escalation.stop();
    await this.sender.stop();
    await this.channels.close();
  }

  /** `publicSite`: the region the public pages serve, and the public report routes' per-address limiter. */
  async routes(app: FastifyInstance, publicSite: { region: () => Promise<{ id: string }>; limit: PublicLimiter }): Promise<void> {
    await app.register(warningsRoutes, { prefix: '/api/v1', identity: this.identity, warnings: this.warnings });
    await app.register(residentsRoutes, { subscriptions: this.subscriptions, reporters: this.reporters, region: publicSite.region, limit: publicSite.limit });
    await app.register(notificationsRoutes, { prefix: '/api/v1', identity: this.identity, channels: this.channels, contacts: this.contacts, log: this.log, tester: this.tester, repo: this.repo });
    await app.register(responsesRoutes, {
      responses: this.responses,
      channels: this.channels,
      telegram: {
        answerCallback: async (regionId, callbackId, text) => (await this.channels.telegram(regionId))?.answerCallbackQuery(callbackId, text, AbortSignal.timeout(5000)),
        sendText: async (regionId, chatId, text) => (await this.channels.telegram(regionId))?.sendReply(chatId, text, AbortSignal.timeout(5000)),
      },
      log: this.logLine,
    });
  }
}

/** The escalation's view of the duty rosters and policies: each level with who it names at an instant (active people only). */
export function escalationDirectory(policies: Pick<EscalationPoliciesService, 'policyFor' | 'resolveTargets'>, identity: Pick<IdentityService, 'usersByIds'>): EscalationDirectory {
  return {
    async policyFor(regionId, opdId, severity) {
      return (await policies.policyFor(regionId, opdId, severity)).map((level) => ({
        afterMinutes: level.afterMinutes,
        async people(at: number) {
          const ids = await policies.resolveTargets(regionId, opdId, level.targets, at);
          const users = await identity.usersByIds(regionId, ids);
          // In the policy's order: the first target first.
          return ids.map((id) => users.find((u) => u.id === id)).filter((u) => u !== undefined && !u.disabled).map((u) => ({ id: u!.id, name: u!.name }));
        },
      }));
    },
  };
}
export { notificationsModule } from './notifications.module.ts';
