export { IncidentAction, type IncidentActionConfig } from './incidents.action.js';
export { DEFAULT_CATEGORIES, INCIDENT_SEVERITIES } from './incidents.categories.js';
export { exportLapor, importLapor, LAPOR_COLUMNS, LAPOR_STATUS } from './incidents.lapor.js';
export { IncidentsRepository } from './incidents.repository.js';
export { incidentsRoutes } from './incidents.routes.js';
export {
  IncidentSlaJob,
  IncidentsService,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  MAX_REPLY,
  TRANSITIONS,
  ticketPrefix,
  type FileInput,
} from './incidents.service.js';
export { addWorkingDays, LAPOR_RHYTHM, NATIONAL_HOLIDAYS, slaOf, workingMsBetween } from './incidents.sla.js';
/** The wire types (Incident, PublicIncident, Category, Sla …): one source for the server and the web app. */
export type * from './incidents.types.js';
