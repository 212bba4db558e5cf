export { READER_KINDS, describeRoute, type ReaderKind, type RouteAudit } from './audit.describe.ts';
export { installAuditHooks, type AuditHooksOptions, type AuditReader } from './audit.hooks.ts';
export { changes, labelOf, maskBody, maskValue, MAX_WALK_BYTES } from './audit.mask.ts';
export { AuditRepository } from './audit.repository.ts';
export { auditRoutes } from './audit.routes.ts';
export { AuditService, type AuditRecord } from './audit.service.ts';
export type * from './audit.contract.ts';
export { auditReaders, type AuditedServices } from './audit.readers.ts';
export { auditModule } from './audit.module.ts';
