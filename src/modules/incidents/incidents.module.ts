import type { FastifyBaseLogger } from 'fastify';
import type { AppModule } from '../../core/app-module.ts';
import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { ParserPool } from '../../platform/files/index.ts';
import type { AssetsService } from '../assets/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { IncidentsRepository } from './incidents.repository.ts';
import { incidentsRoutes } from './incidents.routes.ts';
import { IncidentsService } from './incidents.service.ts';
import { IncidentSlaJob } from './incidents.sla-job.ts';

interface Needs {
  database: Database;
  bus: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  identity: IdentityService;
  assets: AssetsService;
  parsers: ParserPool;
}

/** Incidents (from alarms, operators and residents' reports), their categories and SLA. */
export const incidentsModule: AppModule<Needs, { incidents: IncidentsService; incidentSla: IncidentSlaJob }> = {
  name: 'incidents',
  needs: ['database', 'bus', 'clock', 'log', 'identity', 'assets', 'parsers'],
  provides: ['incidents', 'incidentSla'],
  open({ database, bus, clock, log, identity, assets, parsers }) {
    const incidents = new IncidentsService(new IncidentsRepository(database.db), bus, clock, identity, assets);
    // Every minute: a report past its due time starts its OPD's escalation within a minute.
    const incidentSla = new IncidentSlaJob(incidents, log, 60_000);
    return {
      provides: { incidents, incidentSla },
      seed: async (region) => void (await incidents.ensureDefaultCategories(region.id)),
      routes: (app) => app.register(incidentsRoutes, { prefix: '/api/v1', incidents, identity, parsers }),
      jobs: [incidentSla],
    };
  },
};
