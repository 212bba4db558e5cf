export type { AlarmChange, AlarmChangeHook } from './alarms.hooks.ts';
export { AlarmsRepository } from './alarms.repository.ts';
export { alarmsRoutes } from './alarms.routes.ts';
export { AlarmsService, SEVERITIES, SEVERITY_RANK, toAlarm, type Acknowledger, type AlarmHistoryEntry, type Severity } from './alarms.service.ts';
export { SeveritySchema } from './alarms.schemas.ts';
export { alarmsModule } from './alarms.module.ts';
