export type { AlarmChange, AlarmChangeHook } from './alarms.hooks.ts';
export { AlarmsRepository } from './alarms.repository.ts';
export { alarmsRoutes } from './alarms.routes.ts';
export { AlarmsService, toAlarm, type Acknowledger, type AlarmHistoryEntry } from './alarms.service.ts';
export { SEVERITIES, SEVERITY_RANK, SeveritySchema, severityRank, type Severity } from './alarms.contract.ts';
export { SEVERITY_NAMES } from './alarms.constants.ts';
export { alarmsModule } from './alarms.module.ts';
