/** The plan, its readiness assessment and the framework: what the rest of the master plan module may use. */
export { PlanAccess } from './plan.access.ts';
export { checkMapping, HORIZON_KEYS, dimensionKeyOf, DIMENSIONS, isElementOf, READINESS_CHECKLIST } from './plan.framework.ts';
export { ReadinessService } from './plan.readiness.ts';
export { PlanRepository } from './plan.repository.ts';
export { planRoutes } from './plan.routes.ts';
export { PlanService } from './plan.service.ts';
