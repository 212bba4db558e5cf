export { AlarmsRepository } from './alarms.repository.js';
export { alarmsRoutes } from './alarms.routes.js';
export { AlarmsService, SEVERITIES, SEVERITY_RANK, toAlarm, type Severity } from './alarms.service.js';
export { SeveritySchema } from './alarms.schemas.js';
