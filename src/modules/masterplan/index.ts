/** The master plan module: what the app uses of it (its wiring and the demo's seeds). */
export { seedCollaborationDemo, seedPlanPeople } from './collaboration/index.ts';
export { seedMasterplanDemo } from './masterplan.demo.ts';
export { masterplanModule } from './masterplan.module.ts';
export { seedRecordsDemo } from './records/index.ts';
