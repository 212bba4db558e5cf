/** Initiatives, the master plan's unit: what the rest of the master plan module may use. */
export { checkInPeriod, InitiativeAccess, type PlanSource } from './initiatives.access.ts';
export { initiativesByDimension } from './initiatives.summary.ts';
export { InitiativeLinks } from './initiatives.links.ts';
export { InitiativesRepository } from './initiatives.repository.ts';
export { initiativesRoutes } from './initiatives.routes.ts';
export { InitiativesService } from './initiatives.service.ts';
export { seedInitiativesDemo } from './initiatives.demo.ts';
