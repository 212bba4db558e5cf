/** The master plan's records (Buku I and II material): what the rest of the master plan module may use. */
export { RecordsRepository } from './records.repository.ts';
export { recordsRoutes } from './records.routes.ts';
export { RecordsService, type CommitmentSource, type OpdSource, type PlatformSource } from './records.service.ts';
export { adoptionBlocks, currentConditionBlocks, developmentBlocks, strategyBlocks } from './records.chapters.ts';
export { seedRecordsDemo } from './records.demo.ts';
