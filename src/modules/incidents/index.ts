export { IncidentAction, type IncidentActionConfig } from './incidents.action.js';
export { DEFAULT_CATEGORIES, INCIDENT_SEVERITIES, type Category, type CategoryAttribute, type IncidentSeverity } from './incidents.categories.js';
export { exportLapor, importLapor, LAPOR_COLUMNS, LAPOR_STATUS } from './incidents.lapor.js';
export { IncidentsRepository } from './incidents.repository.js';
export { incidentsRoutes } from './incidents.routes.js';
export {
  IncidentSlaJob,
  IncidentsService,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  TRANSITIONS,
  ticketPrefix,
  type Duplicate,
  type FileInput,
  type Incident,
  type IncidentSource,
  type IncidentStatus,
  type PublicIncident,
  type PublicStatus,
  type TimelineEntry,
} from './incidents.service.js';
export { addWorkingDays, LAPOR_RHYTHM, NATIONAL_HOLIDAYS, slaOf, workingMsBetween, type Sla } from './incidents.sla.js';
