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
import type { DevicesService } from '../devices/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { IncidentsService } from '../incidents/index.ts';
import type { TelemetryService } from '../telemetry/index.ts';
import { masterplanDocsRoutes } from './collaboration.routes.ts';
import { ActivityLog, CollaborationService, listenForMasterplanChanges } from './collaboration.service.ts';
import { EvaluationEvidence, EvaluationPack, EvaluationRepository, evaluationRoutes, EvaluationService, EvaluationSurvey } from './evaluation/index.ts';
import { UPLOAD_MAX_BYTES } from './collaboration.files.ts';
import { InitiativeAccess, InitiativeLinks, InitiativesRepository, initiativesRoutes, InitiativesService } from './initiatives/index.ts';
import { ExportService } from './export.service.ts';
import { MasterplanRepository } from './masterplan.repository.ts';
import { masterplanRoutes } from './masterplan.routes.ts';
import { MasterplanService } from './masterplan.service.ts';

interface Needs {
  database: Database;
  bus: EventBus;
  clock: Clock;
  config: Config;
  log: FastifyBaseLogger;
  parsers: ParserPool;
  identity: IdentityService;
  devices: DevicesService;
  telemetry: TelemetryService;
  alarms: AlarmsService;
  incidents: IncidentsService;
}
interface Provides {
  masterplanCollaboration: CollaborationService;
  masterplanEvaluation: EvaluationService;
  masterplanExport: ExportService;
  masterplan: MasterplanService;
  masterplanInitiatives: InitiativesService;
}

/** The smart-city master plan: plan, readiness, programs, KPIs on live data; its collaboration, monev and documents. */
export const masterplanModule: AppModule<Needs, Provides> = {
  name: 'masterplan',
  needs: ['database', 'bus', 'clock', 'config', 'log', 'parsers', 'identity', 'devices', 'telemetry', 'alarms', 'incidents'],
  provides: ['masterplanCollaboration', 'masterplanEvaluation', 'masterplanExport', 'masterplan', 'masterplanInitiatives'],
  open({ database, bus, clock, config, log, parsers, identity, devices, telemetry, alarms, incidents }) {
    // Collaboration, monev and the document: uploads under DATA_DIR/masterplan.
    const files = new FsFileStore(path.join(config.dataDir, 'masterplan'));
    const activity = new ActivityLog(database.db, identity, clock);
    const masterplanCollaboration = new CollaborationService(database.db, identity, activity, files, clock);
    const evaluationRepo = new EvaluationRepository(database.db);
    const masterplanEvaluation = new EvaluationService(
      evaluationRepo,
      new EvaluationSurvey(evaluationRepo, masterplanCollaboration, activity, clock, parsers),
      new EvaluationEvidence(evaluationRepo, masterplanCollaboration, activity, files, clock, UPLOAD_MAX_BYTES),
      masterplanCollaboration,
      activity,
      clock,
    );
    const masterplanExport = new ExportService(database.db, identity, masterplanEvaluation, clock);
    const evaluationPack = new EvaluationPack(masterplanEvaluation, evaluationRepo, masterplanEvaluation.evidence, identity, (format, content, meta) => masterplanExport.renderer.render(format, content, meta), clock);
    const stopListening = listenForMasterplanChanges(bus, activity, (error) => log.error({ err: error }, 'master plan activity log failed'));
    const plans = new MasterplanRepository(database.db);
    const masterplan = new MasterplanService(plans, identity, masterplanCollaboration, { devices, telemetry, alarms, incidents }, bus, clock, parsers);
    const masterplanInitiatives = new InitiativesService(new InitiativesRepository(database.db), plans, new InitiativeAccess(masterplanCollaboration), identity, bus, clock);
    const initiativeLinks = new InitiativeLinks(masterplanInitiatives);
    // Output and Outcome of the monev are pre-filled from the initiatives, the KPIs, incidents and devices.
    masterplanEvaluation.useSources({ initiatives: masterplanInitiatives, kpis: masterplan, incidents, devices });
    return {
      provides: { masterplanCollaboration, masterplanEvaluation, masterplanExport, masterplan, masterplanInitiatives },
      async routes(app) {
        await app.register(masterplanRoutes, { prefix: '/api/v1/masterplan', masterplan, identity, evaluationIndex: (regionId) => masterplanEvaluation.evaluationIndexByYear(regionId) });
        await app.register(initiativesRoutes, { prefix: '/api/v1/masterplan', initiatives: masterplanInitiatives, links: initiativeLinks, identity });
        await app.register(masterplanDocsRoutes, { prefix: '/api/v1/masterplan', collaboration: masterplanCollaboration, exporter: masterplanExport, identity });
        await app.register(evaluationRoutes, { prefix: '/api/v1/masterplan', evaluation: masterplanEvaluation, pack: evaluationPack, identity });
      },
      // Live KPIs refreshed every 15 minutes; expired import previews dropped.
      jobs: [new PeriodicJob({ name: 'master plan KPI refresh', everyMs: 15 * 60_000, run: () => masterplan.refreshAll(), log })],
      async close() {
        stopListening();
        await masterplanExport.close();
      },
    };
  },
};
