import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv, type Options as AjvOptions } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Config } from './config/config.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { AppError, errorBody, isAppError, type ErrorCode } from './core/errors.ts';
import { redactUrl } from './core/redact.ts';
import { lazyResponseSerializers } from './core/lazy-serializers.ts';
import { ErrorResponse, OPTIONAL_BODY } from './core/http-schemas.ts';
import { assertStorableRequest, boundNumbers } from './core/input.ts';
import { openBus, type EventBus } from './platform/bus/index.ts';
import { isStorageUnavailable, openDatabase, type Database } from './platform/db/index.ts';
import { connectExternalBroker, startEmbeddedBroker, type MqttGateway } from './platform/mqtt/index.ts';
import { AlarmsRepository, AlarmsService, alarmsRoutes } from './modules/alarms/index.ts';
import { AuditRepository, AuditService, auditRoutes, installAuditHooks, type AuditReader, type ReaderKind } from './modules/audit/index.ts';
import { AssetsRepository, AssetsService, assetsRoutes } from './modules/assets/index.ts';
import { DEFAULT_PROVISION_LIMITS, ProfilesRepository, ProfilesService, ProvisionLimiter, ProvisioningService, profilesRoutes, provisionRoutes, type ProvisionLimits } from './modules/devices/index.ts';
import { AlarmReadingWords, AttributeUpdatesPoll, DeviceStatusTracker, DevicesRepository, DevicesService, devicesRoutes, GatewayCommands, GatewayDevices, type DeviceRef, type GatewayLimits, type PollLimits } from './modules/devices/index.ts';
import { CommandAction, RuleCommandsRepository, RuleCommandsService, RuleEngine, RulesRepository, RulesService, WebhookAction, ruleCommandsRoutes, rulesRoutes, type CommandSender, type RuleAction } from './modules/rules/index.ts';
import { chooseProtocol, StreamHub, streamRoutes } from './modules/stream/index.ts';
import { answerOf, createCommands, rpcDeviceRoutes, rpcRoutes, type Commands } from './modules/rpc/index.ts';
import { IncidentAction, IncidentSlaJob, IncidentsRepository, IncidentsService, incidentsRoutes } from './modules/incidents/index.ts';
import type { DemoSimulator } from './modules/demo/index.ts';
import { IdentityRepository, IdentityService, identityRoutes, UserAccounts, type Principal } from './modules/identity/index.ts';
import { DutyRepository, DutyService, EscalationPoliciesService, dutyRoutes } from './modules/duty/index.ts';
import { escalationDirectory, Notifications } from './modules/notifications/index.ts';
import type { SenderOptions } from './modules/notifications/sender.ts';
import { ApiKeysService, PhotosService, RegionBounds, ReportsRepository, ReportsService, open311Routes, publicRoutes } from './modules/reports/index.ts';
import { FsFileStore, ParserPool, type ParserPoolOptions } from './platform/files/index.ts';
import { ActivityLog, CollaborationService, EvaluationService, ExportService, listenForMasterplanChanges, masterplanDocsRoutes, seedCollaborationDemo } from './modules/masterplan/index.ts';
import { MasterplanRepository, MasterplanService, masterplanRoutes, seedMasterplanDemo } from './modules/masterplan/index.ts';
import {
  IngestService,
  RetentionJob,
  TelemetryRepository,
  TelemetryService,
  TelemetryWriter,
  deviceApiRoutes,
  GatewayIngest,
  splitKeys,
  telemetryRoutes,
} from './modules/telemetry/index.ts';

export const VERSION = '0.1.0';

/** Below this much free space where DATA_DIR lies, health says the disk is full: SQLite and uploads are about to fail. */
const MIN_FREE_DISK_BYTES = 64 * 1024 * 1024;

export interface Services {
  database: Database;
  bus: EventBus;
  identity: IdentityService;
  /** people's accounts: edit, disable, reset, delete, one's own password */
  accounts: UserAccounts;
  assets: AssetsService;
  devices: DevicesService;
  /** device profiles: labels, units, ranges, commands, offline timeout, provisioning */
  profiles: ProfilesService;
  provisioning: ProvisioningService;
  telemetry: TelemetryService;
  ingest: IngestService;
  writer: TelemetryWriter;
  retention: RetentionJob;
  alarms: AlarmsService;
  rules: RulesService;
  /** commands rules sent, and the ones waiting for an operator's confirmation */
  ruleCommands: RuleCommandsService;
  commandAction: CommandAction;
  engine: RuleEngine;
  hub: StreamHub;
  incidents: IncidentsService;
  incidentSla: IncidentSlaJob;
  reports: ReportsService;
  masterplanCollaboration: CollaborationService;
  masterplanEvaluation: EvaluationService;
  masterplanExport: ExportService;
  masterplan: MasterplanService;
  parsers: ParserPool;
  /** duty rosters and escalation policies: what the escalation engine reads */
  duty: DutyService;
  escalationPolicies: EscalationPoliciesService;
  /** alerts that reach people: outbox, sender, escalation, contacts, channels */
  notifications: Notifications;
  /** every change by a person: who, when, what, before and after */
  audit: AuditService;
  /** commands to devices (RPC): send, history, delivery over MQTT and HTTP, expiry */
  commands: Commands;
  mqtt: MqttGateway | null;
  /** gateways (ThingsBoard IoT Gateway API): the devices behind them */
  gateways: GatewayDevices;
  /** HTTP long polls of shared attributes held open */
  attributePolls: AttributeUpdatesPoll;
  /** Work started after boot (the demo simulator) registers its stop here; it runs first on close. */
  beforeClose: (() => Promise<void>)[];
  /** Set while the first admin's generated password has never been used: print it (a new one each start). */
  firstAdmin?: { email: string; generatedPassword?: string };
  /** ADMIN_PASSWORD was set on a database that has users already: it changed nothing. */
  ignoredAdminPassword?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

export interface AppOptions {
  clock?: Clock;
  /** false keeps the hourly retention job from starting (tests run it by hand). */
  retentionTimer?: boolean;
  /** ms between rule-engine checks (silence, device status); null: tests call tick() by hand */
  ruleTickMs?: number | null;
  /** first webhook retry after this many ms (tests make it short) */
  webhookBackoffMs?: number;
  /** ms between the escalation and sender rounds; null: tests drive them (drain()) */
  notificationPollMs?: number | null;
  /** the sender's timeouts and retries (tests make them short) */
  notificationSender?: SenderOptions;
  /** free bytes where DATA_DIR lies (tests pretend a full disk) */
  diskFree?: () => Promise<number>;
  /** ms the embedded broker gives a connection to send its CONNECT (tests make it short) */
  mqttConnectTimeoutMs?: number;
  /** where the log goes instead of stdout (tests read it) */
  logStream?: DestinationStream;
  /** provisioning requests and failures one address may make a minute (tests make them small) */
  provisionLimits?: ProvisionLimits;
  /** the parser worker's deadline, wait list and heap (tests make the deadline short) */
  parsers?: Partial<ParserPoolOptions>;
  /** devices a gateway may name per message and have in all (tests make them small) */
  gatewayLimits?: Partial<GatewayLimits>;
  /** attribute long polls per device, in total, and their longest wait (tests make them small) */
  attributePollLimits?: Partial<PollLimits>;
  /** how rules send commands to devices (the RPC module's, by default; tests give their own) */
  commandSender?: CommandSender;
}

/**
 * The request as logs show it: never its headers (Authorization), and its URL
 * with any credential cut out (device token in the path, ?token=, ack links).
 */
function requestForLog(request: FastifyRequest) {
  return { method: request.method, url: redactUrl(request.url), host: request.host, remoteAddress: request.ip };
}

/**
 * Builds the whole platform (database, broker, services, routes) without
 * listening on HTTP: main.ts listens, tests use inject() or listen on port 0.
 */
export async function createApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(options.logStream && { stream: options.logStream }),
      serializers: { req: requestForLog },
      // Whatever else logs a URL or a header by these names (plugins too: @fastify/websocket logs `path`).
      redact: {
        paths: ['url', 'path', 'req.url', 'headers.authorization', 'req.headers.authorization', 'headers["sec-websocket-protocol"]', 'password', 'token', 'accessToken'],
        censor: (value: unknown, path: string[]) => (typeof value === 'string' && ['url', 'path'].includes(path[path.length - 1]!) ? redactUrl(value) : '[REDACTED]'),
      },
    },
    // Devices send thousands of requests a second: log failures, not every request.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.maxPayloadBytes,
    // A path parameter longer than this (tokens, ids and ticket numbers are far shorter) is a 414, not a lookup.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: routerError,
    clientErrorHandler: clientError,
    schemaController: { compilersFactory: { buildSerializer: lazyResponseSerializers() } },
    ...(config.trustProxy !== undefined && { trustProxy: config.trustProxy }),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(requestValidators());

  const database = await openDatabase(config);
  let bus: EventBus;
  try {
    bus = await openBus(
      config.busUrl,
      (error, event) => app.log.error({ err: error, event }, 'event handler failed'),
      (error) => app.log.error({ err: error }, 'the event link between instances failed; it is being restored'),
    );
  } catch (error) {
    await database.close();
    throw error;
  }
  const identityRepo = new IdentityRepository(database.db, database.dialect);
  const identity = new IdentityService(identityRepo, clock, config.sessionTtlHours * 3_600_000, bus);
  const accounts = new UserAccounts(identityRepo, identity, clock);
  const assets = new AssetsService(new AssetsRepository(database.db), identity, bus, clock);
  const profiles = new ProfilesService(new ProfilesRepository(database.db), identity, clock);
  const devices = new DevicesService(new DevicesRepository(database.db), assets, identity, bus, clock, profiles);
  const provisioning = new ProvisioningService(profiles, devices, new ProvisionLimiter(options.provisionLimits ?? DEFAULT_PROVISION_LIMITS, clock));
  const telemetryRepo = new TelemetryRepository(database.db);
  // SQLite: a second batch is written while the first one's fsync runs in the thread pool (sqlite.ts).
  const writer = new TelemetryWriter(database.bulk, bus, (error, points) => app.log.error({ err: error, points }, 'telemetry could not be stored; the sender was told to send again'), database.dialect === 'postgres' ? 4 : 2);
  const ingest = new IngestService(devices, writer, telemetryRepo, bus, clock, config.maxPayloadBytes);
  const telemetry = new TelemetryService(telemetryRepo, devices, identity, clock, config.maxQueryPoints, profiles);
  const retention = new RetentionJob(telemetryRepo, clock, (error) => app.log.error({ err: error }, 'retention failed'));
  const alarms = new AlarmsService(new AlarmsRepository(database.db), bus, clock);
  const webhook = new WebhookAction({ backoffMs: options.webhookBackoffMs ?? 1000, log: (message, detail) => app.log.warn(detail, message) });
  const incidents = new IncidentsService(new IncidentsRepository(database.db), bus, clock, identity, assets);
  const incidentAction = new IncidentAction(incidents, (message, detail) => app.log.warn(detail, message), new AlarmReadingWords(devices, profiles));
  const incidentSla = new IncidentSlaJob(incidents, (error) => app.log.error({ err: error }, 'incident SLA job failed'));
  const personName = async (p: Principal) => {
    const [u] = await identity.usersByIds(p.regionId, [p.userId]);
    return u ? u.name || u.email : p.email;
  };
  const ruleCommands = new RuleCommandsService(new RuleCommandsRepository(database.db), options.commandSender ?? null, bus, clock, personName);
  const commandAction = new CommandAction(ruleCommands, (message, detail) => app.log.warn(detail, message));
  const actions = new Map<string, RuleAction<any>>([[webhook.type, webhook], [incidentAction.type, incidentAction], [commandAction.type, commandAction]]);
  const rulesRepo = new RulesRepository(database.db);
  const rules = new RulesService(rulesRepo, devices, identity, alarms, actions, bus, clock);
  const status = new DeviceStatusTracker(new DevicesRepository(database.db), bus, clock, (error) => app.log.error({ err: error }, 'device status failed'));
  // Gateways: the devices behind them take the same ingest path (writer, rules, alarms, stream) and have their own status.
  const gateways = new GatewayDevices(new DevicesRepository(database.db), bus, clock, options.gatewayLimits);
  const gatewayIngest = new GatewayIngest(ingest, gateways, devices, status, clock);
  const attributePolls = new AttributeUpdatesPoll(bus, options.attributePollLimits);
  const engine = new RuleEngine(rulesRepo, alarms, status, actions, bus, clock, (error) => app.log.error({ err: error }, 'rule evaluation failed'));
  const hub = new StreamHub(bus, devices, { maxBufferedBytes: config.streamBufferBytes, maxSubscriptions: 100 });
  const dutyRepo = new DutyRepository(database.db);
  const duty = new DutyService(dutyRepo, identity, bus, clock);
  const escalationPolicies = new EscalationPoliciesService(dutyRepo, identity, duty, clock);
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
    log: (message, detail) => app.log.warn(detail, message),
    onError: (error) => app.log.error({ err: error }, 'notifications failed'),
  });

  const audit = new AuditService(new AuditRepository(database.db), clock);

  const boot = await identity.bootstrap({ regionCode: config.regionCode, adminEmail: config.adminEmail, adminPassword: config.adminPassword });
  await incidents.ensureDefaultCategories(boot.region.id);
  // Citizen reports on top of incidents: Open311, photos under DATA_DIR/uploads, API keys (the public page's made on boot).
  const reportsRepo = new ReportsRepository(database.db);
  const apiKeys = new ApiKeysService(reportsRepo, clock);
  await apiKeys.ensurePublicKey(boot.region.id);
  const photos = new PhotosService(reportsRepo, new FsFileStore(path.join(config.dataDir, 'uploads')), clock, config.photoMaxBytes);
  const reportBounds = new RegionBounds(identity);
  const reports = new ReportsService(incidents, reportsRepo, apiKeys, photos, reportBounds, identity, clock, config.regionCode, (error, what) =>
    app.log.error({ err: error }, what),
  );
  // Every user's file (spreadsheet, CSV) is read on this worker, within its limits.
  const parsers = new ParserPool(options.parsers);
  // Master plan collaboration, monev and the document: uploads under DATA_DIR/masterplan.
  const masterplanFiles = new FsFileStore(path.join(config.dataDir, 'masterplan'));
  const masterplanActivity = new ActivityLog(database.db, identity, clock);
  const masterplanCollaboration = new CollaborationService(database.db, identity, masterplanActivity, masterplanFiles, clock);
  const masterplanEvaluation = new EvaluationService(database.db, masterplanCollaboration, masterplanActivity, masterplanFiles, clock, parsers);
  const masterplanExport = new ExportService(database.db, identity, masterplanEvaluation, clock);
  listenForMasterplanChanges(bus as never, masterplanActivity, (error) => app.log.error({ err: error }, 'master plan activity log failed'));
  // Master plan core: plan, readiness, programs (SIPD import), KPIs on live data; live KPIs refreshed every 15 minutes.
  const masterplan = new MasterplanService(new MasterplanRepository(database.db), identity, masterplanCollaboration, { devices, telemetry, alarms, incidents }, bus, clock, parsers);

  // Commands to devices (RPC): made before the broker, which hands them the devices' answers.
  const commands = createCommands({
    database,
    bus,
    clock,
    devices,
    audit,
    nameOf: async (p) => {
      const [u] = await identity.usersByIds(p.regionId, [p.userId]);
      return u ? u.name || u.email : p.email;
    },
    maxPayloadBytes: config.maxPayloadBytes,
    log: { info: (detail, message) => app.log.info(detail, message), warn: (detail, message) => app.log.warn(detail, message) },
    onError: (error) => app.log.error({ err: error }, 'commands (RPC) failed'),
  });
  const rpcFailed = (error: unknown) => app.log.error({ err: error }, 'commands (RPC) failed');
  // A command the device's profile does not name is refused (a type without a profile takes any).
  commands.send.useAllowedCommands(profiles);
  if (!options.commandSender) ruleCommands.useSender(commands.forRules(devices, profiles));

  let mqtt: MqttGateway | null = null;
  // Commands to devices behind gateways go through their gateway's session (the commands' transport).
  const gatewayCommands = new GatewayCommands(gateways, () => mqtt, commands.delivery, app.log, rpcFailed);
  const handler = {
    authenticate: (token: string) => devices.resolveToken(token),
    telemetry: (device: DeviceRef, payload: Buffer) => ingest.telemetry(device, payload),
    attributes: (device: DeviceRef, payload: Buffer) => ingest.attributes(device, payload),
    async attributesRequest(device: DeviceRef, payload: Buffer) {
      let request: { clientKeys?: unknown; sharedKeys?: unknown } = {};
      try {
        if (payload.length > 0) request = JSON.parse(payload.toString('utf8')) as typeof request;
      } catch {
        throw new AppError('INVALID_JSON', 'the attribute request is not valid JSON; send {"clientKeys":"a,b","sharedKeys":"c"}');
      }
      const keys = (v: unknown) => (typeof v === 'string' ? splitKeys(v) ?? [] : undefined);
      return devices.attributesForDevice(device, keys(request.clientKeys), keys(request.sharedKeys));
    },
    // ---- provisioning (username "provision", /provision/request → /provision/response) ----
    provision: async (payload: Buffer, address: string) => (await provisioning.provision(payload, address)).response,
    rejected: (device: DeviceRef | null, topic: string, error: unknown) =>
      app.log.warn({ deviceId: device?.id, topic, reason: error instanceof Error ? error.message : String(error) }, 'MQTT message refused'),
    // Gateways (ThingsBoard IoT Gateway API, v1/gateway/*).
    gateway: {
      connect: (gateway: DeviceRef, payload: Buffer) => gatewayIngest.connect(gateway, payload),
      disconnect: (gateway: DeviceRef, payload: Buffer) => gatewayIngest.disconnect(gateway, payload),
      telemetry: (gateway: DeviceRef, payload: Buffer) => gatewayIngest.telemetry(gateway, payload),
      attributes: (gateway: DeviceRef, payload: Buffer) => gatewayIngest.attributes(gateway, payload),
      attributesRequest: (gateway: DeviceRef, payload: Buffer) => gatewayIngest.attributesRequest(gateway, payload),
      gatewayRpcResponse: (gateway: DeviceRef, deviceName: string, requestId: number, data: unknown) => gatewayCommands.answered(gateway, deviceName, requestId, data),
      rpcReady: (gateway: DeviceRef) => gatewayCommands.ready(gateway),
    },
    // Commands (RPC)
    rpcResponse: async (device: DeviceRef, requestId: number, payload: Buffer) => void (await commands.delivery.answered(device, requestId, answerOf(payload))),
    rpcRequest: async (_device: DeviceRef, payload: Buffer) => commands.clientSide.answer(answerOf(payload)),
    rpcDelivered: (device: DeviceRef, requestId: number) => void commands.delivery.delivered(device.id, requestId).catch(rpcFailed),
    rpcReady: (device: DeviceRef) => void commands.delivery.deviceReady(device).catch(rpcFailed),
  };
  try {
    if (config.mqttUrl) {
      mqtt = await connectExternalBroker(handler, config.mqttUrl, {
        clientId: `cerdas-${createHash('sha256').update(`${os.hostname()}:${config.dataDir}:${config.port}`).digest('hex').slice(0, 16)}`,
        isPermanent: (error) => isAppError(error) && error.status < 500,
        group: config.mqttGroup,
      });
    }
    else if (config.mqttPort !== null) {
      mqtt = await startEmbeddedBroker(handler, {
        port: config.mqttPort,
        host: config.host,
        maxPayloadBytes: config.maxPayloadBytes,
        pendingPerAddress: config.mqttPendingPerAddress,
        isPermanent: (error) => isAppError(error) && error.status < 500,
        ...(options.mqttConnectTimeoutMs !== undefined && { connectTimeoutMs: options.mqttConnectTimeoutMs }),
      });
    }
  } catch (error) {
    await bus.close();
    await database.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`MQTT_PORT ${config.mqttPort} is in use by another program; choose another port or MQTT_PORT=0 to turn the broker off`);
    throw error;
  }
  commands.delivery.useTransport(mqtt && gatewayCommands);
  // Queued calls past their expiry, answers overdue (also those left waiting by a restart).
  if (options.retentionTimer !== false) commands.expiry.start(5_000);
  if (mqtt) {
    const gateway = mqtt;
    // Shared attributes reach the device, or its gateway in the gateway form; a deletion as {"deleted":[keys]} (ThingsBoard's notice).
    const pushShared = (deviceId: string, data: Record<string, unknown>) =>
      gateways.addressOf(deviceId).then(
        (behind) => (behind ? gateway.pushGatewayAttributes(behind.gatewayId, behind.name, data) : gateway.pushAttributes(deviceId, data)),
        (error: unknown) => app.log.error({ err: error, deviceId }, 'shared attributes not pushed'),
      );
    bus.subscribe('attributes.updated', ({ deviceId, scope, values }) => scope === 'shared' && void pushShared(deviceId, values));
    bus.subscribe('attributes.deleted', ({ deviceId, scope, keys }) => scope === 'shared' && void pushShared(deviceId, { deleted: keys }));
    bus.subscribe('device.credentials.changed', ({ deviceId }) => gateway.disconnect(deviceId));
    // A session keeps what it knew of its device at connect: after a move, the device connects again.
    bus.subscribe('device.updated', ({ deviceId }) => gateway.disconnect(deviceId));
  }
  if (options.retentionTimer !== false) retention.start();
  // Every minute: a report past its due time starts its OPD's escalation within a minute.
  if (options.retentionTimer !== false) incidentSla.start(60_000);
  if (options.retentionTimer !== false) masterplan.start(15 * 60_000, (error) => app.log.error({ err: error }, 'master plan KPI refresh failed'));
  if (options.retentionTimer !== false) photos.startPurge((error) => app.log.error({ err: error }, 'photo purge failed'));
  await engine.start(options.ruleTickMs === undefined ? 30_000 : options.ruleTickMs);
  notifications.start();

  app.decorate('services', {
    database,
    bus,
    identity,
    accounts,
    assets,
    devices,
    profiles,
    provisioning,
    telemetry,
    ingest,
    writer,
    retention,
    alarms,
    rules,
    ruleCommands,
    commandAction,
    engine,
    hub,
    incidents,
    incidentSla,
    reports,
    masterplanCollaboration,
    masterplanEvaluation,
    masterplanExport,
    masterplan,
    parsers,
    duty,
    escalationPolicies,
    notifications,
    audit,
    commands,
    mqtt,
    gateways,
    attributePolls,
    beforeClose: [],
    ...(boot.admin && { firstAdmin: boot.admin }),
    ...(boot.ignoredAdminPassword && { ignoredAdminPassword: true }),
  } satisfies Services);

  // Shut down in order: no new messages, everything queued written, then storage.
  app.addHook('preClose', async () => {
    for (const stop of app.services.beforeClose) await stop();
    // Long polls end now (408), not when their timeout would have.
    commands.delivery.close();
  });
  app.addHook('onClose', async () => {
    await mqtt?.close();
    await commands.close();
    await writer.close();
    await engine.stop();
    await webhook.close();
    await incidentAction.close();
    await commandAction.close();
    await incidentSla.stop();
    await notifications.close();
    masterplan.stop();
    await masterplanExport.close();
    await parsers.close();
    await photos.stopPurge();
    hub.close();
    await retention.stop();
    await bus.close();
    await database.close();
  });

  app.addSchema(ErrorResponse);
  installErrorHandling(app);
  installSecurityHeaders(app, config.tileUrl);
  // Before any route: the hooks attach to each changing route as it is registered.
  installAuditHooks(app, {
    audit,
    readers: auditReaders({ identity, devices, profiles, assets, rules, alarms, incidents, duty, escalationPolicies, notifications }),
    nameOf: personName,
    onError: (error, detail) => app.log.error({ err: error, ...detail }, 'audit entry not recorded'),
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Cerdas API', version: VERSION, description: 'Smart city platform for Indonesian regencies: devices, telemetry, assets, OPDs.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  // The stream's subprotocol is picked from what the client offers, never echoing its bearer token back.
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024, handleProtocols: (offered) => chooseProtocol(offered) } });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => {
      const error = new AppError('RATE_LIMITED', `too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s`);
      return Object.assign(error, { statusCode: 429 });
    },
  });

  const diskFree = options.diskFree ?? (async () => {
    const stats = await fs.promises.statfs(config.dataDir);
    return stats.bavail * stats.bsize;
  });
  const Health = Type.Object({
    status: Type.String({ description: 'ok, or error when the database does not answer or the disk is (nearly) full' }),
    version: Type.String(),
    database: Type.String(),
    mqttPort: Type.Union([Type.Number(), Type.Null()]),
    uptimeSeconds: Type.Number(),
    disk: Type.String({ description: 'ok, or full: less than 64 MB free where DATA_DIR is (writes will start to fail)' }),
    diskFreeBytes: Type.Union([Type.Number(), Type.Null()]),
  });
  app.get(
    '/api/v1/health',
    { schema: { tags: ['health'], summary: 'Liveness and readiness, without auth: the database answers and the disk has room', security: [], response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      let ok = true;
      try {
        await sql`SELECT 1`.execute(database.db);
      } catch {
        ok = false;
      }
      const free = await diskFree().catch(() => null);
      const full = free !== null && free < MIN_FREE_DISK_BYTES;
      return reply.code(ok && !full ? 200 : 503).send({ status: ok && !full ? 'ok' : 'error', version: VERSION, database: database.dialect, mqttPort: mqtt?.port ?? null, uptimeSeconds: Math.round(process.uptime()), disk: full ? 'full' : 'ok', diskFreeBytes: free });
    },
  );

  // The web app, built by `npm start` into web/dist; any other path that is not the API gets its page.
  const webRoot = fileURLToPath(new URL('../web/dist', import.meta.url));
  if (fs.existsSync(webRoot)) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      // Hashed asset names may be cached for good; the page itself is checked every time.
      setHeaders: (res, file) => res.header('cache-control', file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
    // The public reporting page (no account): its own small entry, web/lapor.html.
    app.get('/lapor', { schema: { hide: true } }, (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('lapor.html'));
  } else {
    app.get('/', { schema: { hide: true } }, (_request, reply) => reply.type('text/plain').send('Cerdas API: see /api/docs. The web app is built by `npm start`.'));
  }

  await app.register(
    async (api) => {
      await api.register(identityRoutes, { identity, accounts, loginRateLimit: config.loginRateLimit, tileUrl: config.tileUrl ?? null, parsers });
      await api.register(assetsRoutes, { assets, identity, parsers });
      await api.register(devicesRoutes, { devices, identity });
      await api.register(profilesRoutes, { profiles, devices, assets, identity, parsers });
      await api.register(provisionRoutes, { provisioning });
      await api.register(telemetryRoutes, { telemetry, identity });
      await api.register(alarmsRoutes, { alarms, identity });
      await api.register(rulesRoutes, { rules, identity });
      await api.register(ruleCommandsRoutes, { commands: ruleCommands, identity });
      await api.register(streamRoutes, { hub, identity });
      await api.register(incidentsRoutes, { incidents, identity, parsers });
      await api.register(dutyRoutes, { duty, policies: escalationPolicies, identity });
      await api.register(auditRoutes, { audit, identity });
      await api.register(deviceApiRoutes, { ingest, devices, polls: attributePolls, maxPayloadBytes: config.maxPayloadBytes });
      await api.register(rpcRoutes, { send: commands.send, history: commands.history, identity });
      await api.register(rpcDeviceRoutes, { authenticate: (token) => ingest.authenticate(token), delivery: commands.delivery, clientSide: commands.clientSide, maxPayloadBytes: config.maxPayloadBytes });
    },
    { prefix: '/api/v1' },
  );
  // One count per address over every public POST (reports, photos, erasure).
  const reportIpLimit = app.createRateLimit({ max: config.reportRateLimit, timeWindow: 60_000 });
  // Also the ticket page (GET /api/v1/public/tickets/{ticket}), with a response schema that leaves no personal data in.
  await app.register(publicRoutes, { prefix: '/api/v1', reports, identity, bounds: reportBounds, tileUrl: config.tileUrl ?? null, ipLimit: reportIpLimit });
  await app.register(masterplanRoutes, { prefix: '/api/v1/masterplan', masterplan, identity, evaluationIndex: (regionId) => masterplanEvaluation.evaluationIndexByYear(regionId) });
  await app.register(masterplanDocsRoutes, { prefix: '/api/v1/masterplan', collaboration: masterplanCollaboration, evaluation: masterplanEvaluation, exporter: masterplanExport, identity });
  // The residents' public routes count against the same per-address limit as the report routes.
  await notifications.routes(app, { region: () => reports.region(), limit: reportIpLimit });
  await app.register(open311Routes, { prefix: '/open311/v2', reports, ipLimit: reportIpLimit, keyLimit: config.reportKeyRateLimit, contact: `Pemerintah ${boot.region.name}` });
  return app;
}

/**
 * How the audit log reads an entity before a person changes it (for before and
 * after), each through its module's own service and with the person's rights.
 */
function auditReaders(s: Pick<Services, 'identity' | 'devices' | 'profiles' | 'assets' | 'rules' | 'alarms' | 'incidents' | 'duty' | 'escalationPolicies' | 'notifications'>): Partial<Record<ReaderKind, AuditReader>> {
  return {
    user: (p, params) => s.identity.getUser(p, params.id ?? ''),
    opd: (p, params) => s.identity.getOpd(p, params.id ?? ''),
    region: (p) => s.identity.getRegion(p.regionId),
    device: (p, params) => s.devices.get(p, params.id ?? ''),
    profile: (p, params) => s.profiles.get(p, params.id ?? ''),
    asset: (p, params) => s.assets.get(p, params.id ?? ''),
    rule: (p, params) => s.rules.get(p, params.id ?? ''),
    alarm: (p, params) => s.alarms.get(p, params.id ?? ''),
    incident: (p, params) => s.incidents.get(p, params.id ?? ''),
    category: (p, params) => s.incidents.getCategory(p.regionId, params.code ?? ''),
    shift: async (p, params) => (await s.duty.listShifts(p, params.id ?? '')).find((x) => x.id === params.shiftId) ?? null,
    swap: async (p, params) => (await s.duty.listSwaps(p, params.id ?? '')).find((x) => x.id === params.swapId) ?? null,
    policy: async (p, params) => (await s.escalationPolicies.list(p, params.id ?? '')).policies.find((x) => x.severity === params.severity) ?? null,
    warning: (p, params) => s.notifications.warnings.get(p, params.id ?? ''),
  };
}

/**
 * Query strings and paths are text, so their numbers are coerced; JSON bodies
 * are not: `"name": 123` or `"retentionDays": 0` for a nullable field must be
 * refused, not silently turned into "123" or null.
 */
function requestValidators() {
  const make = (coerceTypes: AjvOptions['coerceTypes']) => {
    const ajv = new Ajv({ coerceTypes, removeAdditional: true, useDefaults: true, allErrors: false, strict: false });
    addFormats.default(ajv);
    return ajv;
  };
  const coercing = make('array');
  const strict = make(false);
  const compile = ({ schema: declared, httpPart }: { schema: object; httpPart?: string }) => {
    // Every number is bounded, in every route, whatever its schema forgot (core/input.ts).
    const schema = boundNumbers(declared);
    if (httpPart !== 'body') return coercing.compile(schema);
    const validate = strict.compile(schema);
    // A body marked optional may be left out entirely (POST /alarms/{id}/ack with no note).
    if (!(schema as Record<string, unknown>)[OPTIONAL_BODY]) return validate;
    return Object.assign((data: unknown) => data === undefined || validate(data), { get errors() { return validate.errors; } });
  };
  // Compiled on a route's first request, not at start: the generated code of every
  // route's validators is ~10 MB, and most routes of a given server are never called.
  return (route: { schema: object; httpPart?: string }) => {
    let validate: ReturnType<typeof compile> | undefined;
    return Object.defineProperty((data: unknown) => (validate ??= compile(route))(data), 'errors', { get: () => validate?.errors });
  };
}

/**
 * Every answer says what a browser may do with it: scripts, styles, images and
 * connections from this platform only (map tiles from TILE_URL's origin), never
 * framed (clickjacking), types not sniffed, no referrer (acknowledgement links
 * carry a token). The API documentation page ships its own inline script and is
 * left to the swagger plugin's own policy.
 */
function installSecurityHeaders(app: FastifyInstance, tileUrl: string | undefined): void {
  const tiles = tileUrl ? ` ${new URL(tileUrl.replace(/\{[a-z]\}/g, '0')).origin}` : '';
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    // Leaflet and the ack page set inline styles; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${tiles}`,
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (!request.url.startsWith('/api/docs')) reply.header('content-security-policy', policy);
    return payload;
  });
}

/** Longest path parameter, in characters. */
const MAX_PARAM_LENGTH = 500;

/**
 * Errors of the router, before any route runs (a path with bad percent-encoding,
 * a parameter past MAX_PARAM_LENGTH): a 400/414 in the error format of the API
 * the path belongs to, never Fastify's own body.
 */
function routerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const status = tooLong ? 414 : 400;
  const message = tooLong ? `a part of the path is longer than ${MAX_PARAM_LENGTH} characters` : 'the path is not valid: a percent-encoded byte is malformed or not UTF-8';
  const body = request.raw.url?.startsWith('/open311/') ? [{ code: status, description: message }] : errorBody(tooLong ? 'URI_TOO_LONG' : 'VALIDATION_FAILED', message);
  reply.code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
}

/** Errors of the HTTP parser (a request line or headers too large, malformed HTTP): the platform's error format too. */
function clientError(error: NodeJS.ErrnoException, socket: import('node:stream').Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'the request line or headers are larger than the limit']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'the request was not received in time']
        : [400, 'INVALID_HTTP', 'the request is not valid HTTP'];
  const body = JSON.stringify(errorBody(code, message));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

function installErrorHandling(app: FastifyInstance): void {
  // Every string a route receives (path, query, parsed body, with or without a schema) passes the one input rule.
  app.addHook('preValidation', async (request) => assertStorableRequest(request));
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (isAppError(error)) return reply.code(error.status).send(errorBody(error.code, error.message, error.details));
    const fe = error as FastifyError;
    if (fe.validation) return reply.code(400).send(errorBody('VALIDATION_FAILED', fe.message));
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send(errorBody('PAYLOAD_TOO_LARGE', 'the request body is larger than the limit'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send(errorBody('UNSUPPORTED_MEDIA_TYPE', 'send JSON with Content-Type: application/json'));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(400).send(errorBody('INVALID_JSON', 'the body is empty; send a JSON object'));
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return reply.code(400).send(errorBody('INVALID_JSON', `the body is not valid JSON: ${fe.message}`));
    }
    if (fe instanceof SyntaxError || fe.statusCode === 400) return reply.code(400).send(errorBody('INVALID_JSON', `the body is not valid JSON: ${fe.message}`));
    if (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send(errorBody('VALIDATION_FAILED', fe.message));
    }
    if (isStorageUnavailable(error)) {
      request.log.error({ err: error, req: request }, 'storage unavailable');
      return reply.code(503).header('retry-after', '5').send(errorBody('UNAVAILABLE', 'the database is not answering right now; try again shortly'));
    }
    request.log.error({ err: error, req: request }, 'request failed');
    return reply.code(500).send(errorBody('INTERNAL', 'an internal error occurred; it has been logged'));
  });
}

/**
 * DEMO=1: loads the Musi Rawas demo into the region and starts the simulator,
 * which sends through the platform's own device API. Call after listen().
 */
export async function startDemo(app: FastifyInstance, options: { clock?: Clock; stepMs?: number; masterplanPrograms?: boolean } = {}): Promise<DemoSimulator> {
  const { identity, assets, devices, rules, mqtt } = app.services;
  const [region] = await identity.listRegions();
  if (!region) throw new Error('no region to load the demo into');
  const admin = { userId: 'demo', regionId: region.id, role: 'admin' as const, opdId: null, email: 'demo' };
  // The demo's code and libraries (map geometry, the simulator's MQTT client) load only when DEMO asks for them.
  const { DemoSimulator, seedDemo } = await import('./modules/demo/index.ts');
  const seeded = await seedDemo({ identity, assets, devices, rules, incidents: app.services.incidents, duty: app.services.duty, profiles: app.services.profiles }, admin);
  // A visitor sees the plan tied to live data at once; the import screen's browser test starts without programs.
  await seedMasterplanDemo(app.services.masterplan, region.id, { withPrograms: options.masterplanPrograms ?? true });
  await seedCollaborationDemo(app.services.masterplanCollaboration, app.services.masterplanEvaluation, region.id);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const simulator = new DemoSimulator([...seeded.values()], { httpUrl: `http://127.0.0.1:${port}`, mqttPort: mqtt?.port ?? null }, {
    clock: options.clock ?? systemClock,
    ...(options.stepMs !== undefined && { stepMs: options.stepMs }),
    onError: (error) => app.log.warn({ err: error }, 'demo simulator'),
  });
  app.services.beforeClose.push(() => simulator.stop());
  await simulator.start();
  // The live KPIs were computed before the first reading; recompute once the simulator has sent some, not 15 minutes later.
  const firstRefresh = setTimeout(() => {
    app.services.masterplan.refresh(region.id).catch((error: unknown) => app.log.warn({ err: error }, 'demo KPI refresh'));
  }, 30_000).unref();
  app.services.beforeClose.push(async () => clearTimeout(firstRefresh));
  return simulator;
}
