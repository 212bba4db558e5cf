import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config/config.ts';
import type { AppModule } from '../../core/app-module.ts';
import type { Clock } from '../../core/clock.ts';
import { PeriodicJob } from '../../core/periodic-job.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Database } from '../../platform/db/index.ts';
import { FsFileStore, type ParserPool } from '../../platform/files/index.ts';
import type { AlarmsService } from '../alarms/index.ts';
import type { AssetsService } from '../assets/index.ts';
import type { DevicesService } from '../devices/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { IncidentsService } from '../incidents/index.ts';
import type { TelemetryService } from '../telemetry/index.ts';
import { ActivityLog, CollaborationRepository, CollaborationService, Discussion, listenForMasterplanChanges, ReviewFlow } from './collaboration/index.ts';
import { EvaluationEvidence, EvaluationPack, EvaluationRepository, evaluationRoutes, EvaluationService, EvaluationSurvey } from './evaluation/index.ts';
import { masterplanDocsRoutes, UPLOAD_MAX_BYTES } from './collaboration/index.ts';
import { InitiativeAccess, InitiativeLinks, initiativesByDimension, InitiativesRepository, initiativesRoutes, InitiativesService } from './initiatives/index.ts';
import { ExportService } from './documents/export.service.ts';
import { QuickWinsRepository, quickwinsRoutes, QuickWinsService, RoadmapService } from './quickwins/index.ts';
import { RecordsRepository, recordsRoutes, RecordsService } from './records/index.ts';
import { dashboardRoutes, DashboardService } from './dashboard/index.ts';
import { KpiRefresh, KpisRepository, kpisRoutes, KpisService } from './kpis/index.ts';
import { PlanAccess, PlanRepository, planRoutes, PlanService, ReadinessService } from './plan/index.ts';
import { ProgramImports, ProgramsRepository, programsRoutes, ProgramsService } from './programs/index.ts';

interface Needs {
  database: Database;
  bus: EventBus;
  clock: Clock;
  config: Config;
  log: FastifyBaseLogger;
  parsers: ParserPool;
  identity: IdentityService;
  devices: DevicesService;
  assets: AssetsService;
  telemetry: TelemetryService;
  alarms: AlarmsService;
  incidents: IncidentsService;
}
/** The master plan's core, one service per use case: the plan, its readiness, the programs and their import, the KPIs and their refresh, the dashboard. */
export interface MasterplanCore {
  plan: PlanService;
  readiness: ReadinessService;
  programs: ProgramsService;
  imports: ProgramImports;
  kpis: KpisService;
  refresher: KpiRefresh;
  dashboard: DashboardService;
}
interface Provides {
  masterplanCollaboration: CollaborationService;
  masterplanDiscussion: Discussion;
  masterplanEvaluation: EvaluationService;
  masterplanExport: ExportService;
  masterplan: MasterplanCore;
  masterplanInitiatives: InitiativesService;
  masterplanQuickWins: QuickWinsService;
  masterplanRoadmap: RoadmapService;
  masterplanRecords: RecordsService;
}

/** The smart-city master plan: plan, readiness, programs, KPIs on live data; its collaboration, monev and documents. */
export const masterplanModule: AppModule<Needs, Provides> = {
  name: 'masterplan',
  needs: ['database', 'bus', 'clock', 'config', 'log', 'parsers', 'identity', 'devices', 'assets', 'telemetry', 'alarms', 'incidents'],
  provides: ['masterplanCollaboration', 'masterplanDiscussion', 'masterplanEvaluation', 'masterplanExport', 'masterplan', 'masterplanInitiatives', 'masterplanQuickWins', 'masterplanRoadmap', 'masterplanRecords'],
  open({ database, bus, clock, config, log, parsers, identity, devices, assets, telemetry, alarms, incidents }) {
    // Collaboration, monev and the document: uploads under DATA_DIR/masterplan.
    const files = new FsFileStore(path.join(config.dataDir, 'masterplan'));
    const collaborationRepo = new CollaborationRepository(database.db);
    const programRepo = new ProgramsRepository(database.db);
    const activity = new ActivityLog(collaborationRepo, identity, clock);
    const masterplanCollaboration = new CollaborationService(collaborationRepo, identity, activity, files, clock);
    const masterplanDiscussion = new Discussion(collaborationRepo, programRepo, masterplanCollaboration, activity, clock);
    const review = new ReviewFlow(collaborationRepo, programRepo, masterplanCollaboration, activity, clock);
    const evaluationRepo = new EvaluationRepository(database.db);
    const masterplanEvaluation = new EvaluationService(
      evaluationRepo,
      new EvaluationSurvey(evaluationRepo, programRepo, masterplanCollaboration, activity, clock, parsers),
      new EvaluationEvidence(evaluationRepo, masterplanCollaboration, activity, files, clock, UPLOAD_MAX_BYTES),
      masterplanCollaboration,
      activity,
      clock,
    );
    const stopListening = listenForMasterplanChanges(bus, activity, (error) => log.error({ err: error }, 'master plan activity log failed'));
    const planRepo = new PlanRepository(database.db);
    const kpiRepo = new KpisRepository(database.db);
    // Initiatives and records read the plan's period and the lines through their repositories.
    const plans = { plan: (regionId: string) => planRepo.plan(regionId), allPrograms: (regionId: string) => programRepo.all(regionId) };
    const initiativeAccess = new InitiativeAccess(masterplanCollaboration);
    // The records read the platform's own devices and assets through their services (a count, no detail).
    const platform = { onlineCount: (regionId: string) => devices.onlineCount(regionId), countsByType: (regionId: string) => assets.countsByType(regionId) };
    const masterplanRecords = new RecordsService(new RecordsRepository(database.db), plans, initiativeAccess, identity, masterplanCollaboration, platform, bus, clock);
    const access = new PlanAccess(masterplanCollaboration, bus);
    const refresher = new KpiRefresh(kpiRepo, { devices, telemetry, alarms, incidents }, identity, clock);
    const kpis = new KpisService(kpiRepo, programRepo, refresher, access, identity, clock);
    const masterplanInitiatives = new InitiativesService(new InitiativesRepository(database.db), plans, initiativeAccess, identity, bus, clock);
    const initiativeLinks = new InitiativeLinks(masterplanInitiatives);
    const masterplanQuickWins = new QuickWinsService(new QuickWinsRepository(database.db), masterplanInitiatives, identity, bus, clock);
    const masterplanRoadmap = new RoadmapService(masterplanQuickWins);
    const readiness = new ReadinessService(planRepo, access, clock);
    const plan = new PlanService(planRepo, access, clock);
    const dashboard = new DashboardService(programRepo, kpis, identity, {
      evaluationIndex: (regionId) => masterplanEvaluation.evaluationIndexByYear(regionId),
      initiatives: async (p, year) => initiativesByDimension(await masterplanInitiatives.list(p, {}), year),
      quickWins: (regionId, year) => masterplanQuickWins.perDimension(regionId, year),
    });
    const masterplan: MasterplanCore = {
      plan, readiness, programs: new ProgramsService(programRepo, kpiRepo, access, identity, clock), imports: new ProgramImports(programRepo, access, identity, clock, parsers), kpis, refresher, dashboard,
    };
    const masterplanExport = new ExportService({ plan, readiness, programs: programRepo, kpis, sessions: masterplanDiscussion, commitments: masterplanCollaboration, evaluation: masterplanEvaluation, identity }, masterplanInitiatives, clock, { quickwins: masterplanRoadmap, records: masterplanRecords });
    const evaluationPack = new EvaluationPack(masterplanEvaluation, evaluationRepo, masterplanEvaluation.evidence, identity, (format, content, meta) => masterplanExport.renderer.render(format, content, meta), clock);
    // Output and Outcome of the monev are pre-filled from the initiatives, the KPIs, incidents and devices.
    masterplanEvaluation.useSources({ initiatives: masterplanInitiatives, kpis, incidents, devices });
    return {
      provides: { masterplanCollaboration, masterplanDiscussion, masterplanEvaluation, masterplanExport, masterplan, masterplanInitiatives, masterplanQuickWins, masterplanRoadmap, masterplanRecords },
      async routes(app) {
        const prefix = '/api/v1/masterplan';
        await app.register(planRoutes, { prefix, plan, readiness, identity });
        await app.register(programsRoutes, { prefix, programs: masterplan.programs, imports: masterplan.imports, identity });
        await app.register(kpisRoutes, { prefix, kpis, refresher, identity });
        await app.register(dashboardRoutes, { prefix, dashboard, identity });
        await app.register(initiativesRoutes, { prefix: '/api/v1/masterplan', initiatives: masterplanInitiatives, links: initiativeLinks, identity });
        await app.register(quickwinsRoutes, { prefix: '/api/v1/masterplan', quickwins: masterplanQuickWins, roadmap: masterplanRoadmap, identity });
        await app.register(recordsRoutes, { prefix: '/api/v1/masterplan', records: masterplanRecords, identity });
        await app.register(masterplanDocsRoutes, { prefix: '/api/v1/masterplan', collaboration: masterplanCollaboration, discussion: masterplanDiscussion, review, exporter: masterplanExport, identity });
        await app.register(evaluationRoutes, { prefix: '/api/v1/masterplan', evaluation: masterplanEvaluation, pack: evaluationPack, identity });
      },
      // Live KPIs refreshed every 15 minutes; expired import previews dropped.
      jobs: [new PeriodicJob({ name: 'master plan KPI refresh', everyMs: 15 * 60_000, run: async () => {
        await masterplan.imports.purgeExpired();
        await refresher.refreshAll();
      }, log })],
      async close() {
        stopListening();
        await masterplanExport.close();
      },
    };
  },
};
