import type { AppModule } from '../../core/app-module.ts';
import type { Clock } from '../../core/clock.ts';
import type { Database } from '../../platform/db/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { AuditRepository } from './audit.repository.ts';
import { auditRoutes } from './audit.routes.ts';
import { AuditService } from './audit.service.ts';

/** Every change by a person: who, when, what, before and after (its hooks are installed by the app, before any route). */
export const auditModule: AppModule<{ database: Database; clock: Clock; identity: IdentityService }, { audit: AuditService }> = {
  name: 'audit',
  needs: ['database', 'clock', 'identity'],
  provides: ['audit'],
  open({ database, clock, identity }) {
    const audit = new AuditService(new AuditRepository(database.db), clock);
    return { provides: { audit }, routes: (app) => app.register(auditRoutes, { prefix: '/api/v1', audit, identity }) };
  },
};
