export { IncidentAction, type IncidentActionConfig } from './incidents.action.ts';
export { DEFAULT_CATEGORIES } from './incidents.categories.ts';
export { exportLapor, importLapor, LAPOR_COLUMNS, LAPOR_STATUS } from './incidents.lapor.ts';
export { IncidentsRepository } from './incidents.repository.ts';
export { incidentsRoutes } from './incidents.routes.ts';
export { IncidentsService } from './incidents.service.ts';
export type { FileInput } from './incidents.intake.ts';
export { ticketPrefix } from './incidents.records.ts';
export { IncidentSlaJob, type IncidentBreach, type IncidentBreachHook } from './incidents.sla-job.ts';
export { addWorkingDays, LAPOR_RHYTHM, NATIONAL_HOLIDAYS, slaOf, workingMsBetween } from './incidents.sla.ts';
/** The contract: wire types (Incident, PublicIncident, Category, Sla …) and constants, one source for the server and the web app. */
export type * from './incidents.contract.ts';
export { attributeValueName, INCIDENT_SEVERITIES, INCIDENT_SOURCES, INCIDENT_STATUSES, MAX_REPLY, OPEN_STATUSES, PUBLIC_UPDATE_KINDS, TRANSITIONS } from './incidents.contract.ts';
export type { IncidentChange, IncidentChangeHook, ReporterNotify } from './incidents.hooks.ts';
export { incidentsModule } from './incidents.module.ts';
