import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config/config.ts';
import { Assembly, closeAll, type Opened } from './core/app-module.ts';
import { systemClock, type Clock } from './core/clock.ts';
import type { PeriodicJob } from './core/periodic-job.ts';
import type { ResponseMismatch } from './platform/http/response-check.ts';
import { basemapRoute } from './platform/http/basemap.ts';
import { healthRoute } from './platform/http/health.ts';
import { createHttpServer, registerHttpPlugins } from './platform/http/server.ts';
import { serveWebApp } from './platform/http/web.ts';
import { busModule, databaseModule, parsersModule } from './platform/platform.modules.ts';
import type { ParserPoolOptions } from './platform/files/index.ts';
import { alarmsModule } from './modules/alarms/index.ts';
import { assetsModule } from './modules/assets/index.ts';
import { commandCenterModule } from './modules/command-center/index.ts';
import { auditModule, auditReaders, installAuditHooks } from './modules/audit/index.ts';
import type { DemoSimulator } from './modules/demo/index.ts';
import { devicesModule, type GatewayLimits, type PollLimits, type ProvisionLimits } from './modules/devices/index.ts';
import { dutyModule } from './modules/duty/index.ts';
import { identityModule } from './modules/identity/index.ts';
import { incidentsModule } from './modules/incidents/index.ts';
import { masterplanModule, seedCollaborationDemo, seedMasterplanDemo, seedPlanPeople, seedRecordsDemo } from './modules/masterplan/index.ts';
import { notificationsModule } from './modules/notifications/index.ts';
import type { SenderOptions } from './modules/notifications/sender.ts';
import { reportsModule } from './modules/reports/index.ts';
import { rpcModule } from './modules/rpc/index.ts';
import { rulesModule, type CommandSender } from './modules/rules/index.ts';
import { chooseProtocol, streamModule } from './modules/stream/index.ts';
import { brokerModule, telemetryModule } from './modules/telemetry/index.ts';

export const VERSION = '0.1.0';

export interface AppOptions {
  clock?: Clock;
  /**
   * false: the modules' periodic jobs (telemetry retention, incident SLA, command
   * expiry, master plan KPI refresh, photo purge) do not start; tests run them by
   * hand. The rule engine's ticks and the notification rounds have their own
   * options (ruleTickMs, notificationPollMs).
   */
  backgroundJobs?: boolean;
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
  /** test mode: every answer is checked against the route's documented responses; each mismatch is reported here */
  responseCheck?: (mismatch: ResponseMismatch) => void;
}

/**
 * The platform's modules in dependency order: each one's needs are what the
 * base and the modules above it provide (the compiler checks it). They open
 * in this order and close in the reverse: the broker, opened last, stops
 * taking devices' messages first, and storage closes last.
 */
function modules(base: { config: Config; options: AppOptions; clock: Clock; log: FastifyInstance['log'] }) {
  return Assembly.of(base)
    .with(databaseModule)
    .with(busModule)
    .with(parsersModule)
    .with(identityModule)
    .with(assetsModule)
    .with(devicesModule)
    .with(alarmsModule)
    .with(incidentsModule)
    .with(auditModule)
    .with(dutyModule)
    .with(rulesModule)
    .with(telemetryModule)
    .with(streamModule)
    .with(commandCenterModule)
    .with(reportsModule)
    .with(notificationsModule)
    .with(masterplanModule)
    .with(rpcModule)
    .with(brokerModule);
}

type Assembled<A> = A extends Assembly<infer Have> ? Have : never;

/** Every module's services (and the base they were built from), as tests, scripts and benchmarks reach them. */
export type Services = Assembled<ReturnType<typeof modules>> & {
  /** Work started after boot (the demo simulator) registers its stop here; it runs first on close. */
  beforeClose: (() => Promise<void>)[];
  /** Set while the first admin's generated password has never been used: print it (a new one each start). */
  firstAdmin?: { email: string; generatedPassword?: string };
  /** ADMIN_PASSWORD was set on a database that has users already: it changed nothing. */
  ignoredAdminPassword?: boolean;
};

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

/**
 * Builds the whole platform without listening on HTTP (main.ts listens, tests
 * use inject() or listen on port 0): the HTTP server, the modules opened in
 * order, the seed step, the routes, then the periodic jobs. A failure on the
 * way closes whatever was opened before it.
 */
export async function createApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = createHttpServer(config, options);
  const closeFailed = (error: unknown, module: string) => app.log.error({ err: error, module }, 'a module did not close cleanly');
  const { services: opened, opened: parts } = await modules({ config, options, clock: options.clock ?? systemClock, log: app.log }).open(closeFailed);
  const jobs: PeriodicJob[] = [];
  let closed: Promise<void> | null = null;
  // Jobs stop first, then the modules close, newest first.
  const close = () => (closed ??= stopJobs(jobs).then(() => closeAll(parts, closeFailed)));
  try {
    // Seeding, a step of its own: the region and its first admin, then what each module cannot work without.
    const boot = await opened.identity.bootstrap({ regionCode: config.regionCode, adminEmail: config.adminEmail, adminPassword: config.adminPassword });
    for (const part of parts) await part.seed?.(boot.region);

    const services: Services = {
      ...opened,
      beforeClose: [],
      ...(boot.admin && { firstAdmin: boot.admin }),
      ...(boot.ignoredAdminPassword && { ignoredAdminPassword: true }),
    };
    app.decorate('services', services);
    app.addHook('preClose', async () => {
      for (const stop of services.beforeClose) await stop();
      for (const part of parts) part.closing?.();
    });
    app.addHook('onClose', close);

    // Before any route: the audit hooks attach to each changing route as it is registered.
    installAuditHooks(app, {
      audit: services.audit,
      readers: auditReaders(services),
      nameOf: services.nameOf,
      onError: (error, detail) => app.log.error({ err: error, ...detail }, 'audit entry not recorded'),
    });
    await registerHttpPlugins(app, { version: VERSION, handleProtocols: chooseProtocol });
    healthRoute(app, { version: VERSION, database: services.database, mqttPort: services.mqtt?.port ?? null, dataDir: config.dataDir, diskFree: options.diskFree });
    basemapRoute(app, config.basemapPmtiles);
    await serveWebApp(app);
    // One count per address over every public POST (reports, photos, erasure, residents' subscriptions).
    const site = { region: boot.region, publicLimit: app.createRateLimit({ max: config.reportRateLimit, timeWindow: 60_000 }) };
    for (const part of parts) await part.routes?.(app, site);

    if (options.backgroundJobs !== false) startJobs(parts, jobs);
  } catch (error) {
    await close();
    throw error;
  }
  return app;
}

function startJobs(parts: readonly Opened[], started: PeriodicJob[]): void {
  for (const job of parts.flatMap((part) => part.jobs ?? [])) {
    started.push(job);
    job.start();
  }
}

async function stopJobs(jobs: readonly PeriodicJob[]): Promise<void> {
  await Promise.all(jobs.map((job) => job.stop()));
}

/**
 * The DEMO=1 data, an explicit step of its own: the Musi Rawas devices, assets,
 * rules, incidents and rosters, the master plan tied to them and its
 * collaboration. Answers the region and the demo's devices.
 */
export async function seedDemoData(app: FastifyInstance, options: { masterplanPrograms?: boolean } = {}) {
  const { identity, assets, devices, rules, incidents, duty, profiles } = app.services;
  const [region] = await identity.listRegions();
  if (!region) throw new Error('no region to load the demo into');
  const admin = { userId: 'demo', regionId: region.id, role: 'admin' as const, opdId: null, email: 'demo' };
  // The demo's code and libraries (map geometry, the simulator's MQTT client) load only when DEMO asks for them.
  const { seedDemo } = await import('./modules/demo/index.ts');
  const seeded = await seedDemo({ identity, assets, devices, rules, incidents, duty, profiles }, admin);
  // A visitor sees the plan tied to live data at once; the import screen's browser test starts without programs.
  // The people of the Bupati's SK first: the plan is written under its keeper's name.
  const keeper = await seedPlanPeople(identity, region.id);
  await seedMasterplanDemo(app.services.masterplan, region.id, { withPrograms: options.masterplanPrograms ?? true, initiatives: app.services.masterplanInitiatives, roadmap: app.services.masterplanRoadmap, keeper });
  await seedCollaborationDemo(app.services.masterplanCollaboration, app.services.masterplanDiscussion, app.services.masterplanEvaluation, region.id, { keeper, identity });
  const opds = new Map((await identity.listOpds(keeper)).map((o) => [o.code, o.id]));
  await seedRecordsDemo(app.services.masterplanRecords, keeper, (code) => opds.get(code) ?? null);
  return { region, devices: [...seeded.values()] };
}

/**
 * DEMO=1: seeds the demo (seedDemoData) and starts the simulator, which sends
 * through the platform's own device API. Call after listen().
 */
export async function startDemo(app: FastifyInstance, options: { clock?: Clock; stepMs?: number; masterplanPrograms?: boolean } = {}): Promise<DemoSimulator> {
  const { region, devices } = await seedDemoData(app, options);
  const { DemoSimulator } = await import('./modules/demo/index.ts');
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const simulator = new DemoSimulator(devices, { httpUrl: `http://127.0.0.1:${port}`, mqttPort: app.services.mqtt?.port ?? null }, {
    clock: options.clock ?? systemClock,
    ...(options.stepMs !== undefined && { stepMs: options.stepMs }),
    onError: (error) => app.log.warn({ err: error }, 'demo simulator'),
  });
  app.services.beforeClose.push(() => simulator.stop());
  await simulator.start();
  // The live KPIs were computed before the first reading; recompute once the simulator has sent some, not 15 minutes later.
  const firstRefresh = setTimeout(() => {
    app.services.masterplan.refresher.refresh(region.id).catch((error: unknown) => app.log.warn({ err: error }, 'demo KPI refresh'));
  }, 30_000).unref();
  app.services.beforeClose.push(async () => clearTimeout(firstRefresh));
  return simulator;
}
