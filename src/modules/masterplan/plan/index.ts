/** The plan, its readiness assessment and the framework: what the rest of the master plan module may use. */
export { PlanAccess, type StandingSource } from './plan.access.ts';
export { checkMapping, dimensionKeyOf, DIMENSION_KEYS, DIMENSIONS, DOCUMENT_KEYS, DOCUMENTS, HORIZONS, isElementOf, READINESS, READINESS_CHECKLIST, READINESS_KEYS, type DocumentKey } from './plan.framework.ts';
export { ReadinessService, scoreElements, type ElementScore, type LatestReadiness } from './plan.readiness.ts';
export { PlanRepository } from './plan.repository.ts';
export { planRoutes } from './plan.routes.ts';
export { PlanService } from './plan.service.ts';
