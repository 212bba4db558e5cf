/** The lines of the planning documents and their import: what the rest of the master plan module may use. */
export { countedBudget } from './programs.budget.ts';
export { buildHierarchy, type HierarchyInput } from './programs.hierarchy.ts';
export { IMPORT_MAX_BYTES, parseCode, parseProgramFile, parseRupiah, programFileTask } from './programs.import.ts';
export { ProgramImports } from './programs.imports.ts';
export { ProgramsRepository, type ProgramRow } from './programs.repository.ts';
export { programsRoutes } from './programs.routes.ts';
export { ProgramsService } from './programs.service.ts';
export { suggest } from './programs.suggest.ts';
