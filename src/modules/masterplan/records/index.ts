/** The master plan's records (Buku I and II material): what the rest of the master plan module may use. */
export { RecordsRepository } from './records.repository.ts';
export { recordsRoutes } from './records.routes.ts';
export { RecordsService } from './records.service.ts';
export { seedRecordsDemo } from './records.demo.ts';
