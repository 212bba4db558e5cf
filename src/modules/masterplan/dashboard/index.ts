/** The leadership dashboard. */
export { dashboardRoutes } from './dashboard.routes.ts';
export { DashboardService, type DashboardSources } from './dashboard.service.ts';
