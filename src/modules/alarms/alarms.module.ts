import type { AppModule } from '../../core/app-module.ts';
import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { AlarmsRepository } from './alarms.repository.ts';
import { alarmsRoutes } from './alarms.routes.ts';
import { AlarmsService } from './alarms.service.ts';

/** Alarms raised by rules: acknowledged, cleared, their history. */
export const alarmsModule: AppModule<{ database: Database; bus: EventBus; clock: Clock; identity: IdentityService }, { alarms: AlarmsService }> = {
  name: 'alarms',
  needs: ['database', 'bus', 'clock', 'identity'],
  provides: ['alarms'],
  open({ database, bus, clock, identity }) {
    const alarms = new AlarmsService(new AlarmsRepository(database.db), bus, clock);
    return { provides: { alarms }, routes: (app) => app.register(alarmsRoutes, { prefix: '/api/v1', alarms, identity }) };
  },
};
