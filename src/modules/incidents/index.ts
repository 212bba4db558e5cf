export { IncidentAction, type IncidentActionConfig } from './incidents.action.ts';
export { DEFAULT_CATEGORIES, INCIDENT_SEVERITIES } from './incidents.categories.ts';
export { exportLapor, importLapor, LAPOR_COLUMNS, LAPOR_STATUS } from './incidents.lapor.ts';
export { IncidentsRepository } from './incidents.repository.ts';
export { incidentsRoutes } from './incidents.routes.ts';
export {
  IncidentSlaJob,
  IncidentsService,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  MAX_REPLY,
  TRANSITIONS,
  ticketPrefix,
  type FileInput,
  type IncidentBreach,
  type IncidentBreachHook,
} from './incidents.service.ts';
export { addWorkingDays, LAPOR_RHYTHM, NATIONAL_HOLIDAYS, slaOf, workingMsBetween } from './incidents.sla.ts';
/** The wire types (Incident, PublicIncident, Category, Sla …): one source for the server and the web app. */
export type * from './incidents.types.ts';
export type { IncidentChange, IncidentChangeHook, ReporterNotify } from './incidents.hooks.ts';
export { incidentsModule } from './incidents.module.ts';
