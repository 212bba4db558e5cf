/** The KPIs and their live metrics: what the rest of the master plan module may use. */
export { KpiRefresh } from './kpis.refresh.ts';
export { KpisRepository } from './kpis.repository.ts';
export { kpisRoutes } from './kpis.routes.ts';
export { KpisService } from './kpis.service.ts';
