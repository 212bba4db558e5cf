import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config/config.ts';
import type { AppModule } from '../../core/app-module.ts';
import type { Clock } from '../../core/clock.ts';
import { PeriodicJob } from '../../core/periodic-job.ts';
import type { Database } from '../../platform/db/index.ts';
import { FsFileStore } from '../../platform/files/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { IncidentsService } from '../incidents/index.ts';
import { ApiKeysService } from './keys.service.ts';
import { open311Routes } from './open311.routes.ts';
import { PhotosService } from './photos.service.ts';
import { publicRoutes } from './public.routes.ts';
import { RegionBounds } from './region-bounds.ts';
import { ReportsRepository } from './reports.repository.ts';
import { ReportsService } from './reports.service.ts';
import { BASEMAP_PATH } from '../../platform/http/basemap.ts';

interface Needs {
  database: Database;
  clock: Clock;
  config: Config;
  log: FastifyBaseLogger;
  identity: IdentityService;
  incidents: IncidentsService;
}

/** Citizen reports on top of incidents: Open311, the public page, photos under DATA_DIR/uploads, API keys. */
export const reportsModule: AppModule<Needs, { reports: ReportsService }> = {
  name: 'reports',
  needs: ['database', 'clock', 'config', 'log', 'identity', 'incidents'],
  provides: ['reports'],
  open({ database, clock, config, log, identity, incidents }) {
    const repo = new ReportsRepository(database.db);
    const apiKeys = new ApiKeysService(repo, clock);
    const photos = new PhotosService(repo, new FsFileStore(path.join(config.dataDir, 'uploads')), clock, config.photoMaxBytes);
    const bounds = new RegionBounds(identity);
    const reports = new ReportsService(incidents, repo, apiKeys, photos, bounds, identity, clock, config.regionCode, (error, what) => log.error({ err: error }, what));
    return {
      provides: { reports },
      // The public page's own key, made on first start.
      seed: async (region) => void (await apiKeys.ensurePublicKey(region.id)),
      async routes(app, site) {
        // Also the ticket page (GET /api/v1/public/tickets/{ticket}), with a response schema that leaves no personal data in.
        await app.register(publicRoutes, { prefix: '/api/v1', reports, identity, bounds, tileUrl: config.tileUrl ?? null, basemapUrl: config.basemapPmtiles ? BASEMAP_PATH : null, ipLimit: site.publicLimit });
        await app.register(open311Routes, { prefix: '/open311/v2', reports, ipLimit: site.publicLimit, keyLimit: config.reportKeyRateLimit, contact: `Pemerintah ${site.region.name}` });
      },
      // Hourly, give or take a minute: photos uploaded but never part of a report.
      jobs: [new PeriodicJob({ name: 'photo purge', everyMs: 3_600_000, jitterMs: 60_000, run: () => photos.purgeUnattached(), log })],
    };
  },
};
