/** The lines of the planning documents and their import: what the rest of the master plan module may use. */
export { parseProgramFile, programFileTask } from './programs.import.ts';
export { ProgramImports } from './programs.imports.ts';
export { ProgramsRepository } from './programs.repository.ts';
export { programsRoutes } from './programs.routes.ts';
export { ProgramsService } from './programs.service.ts';
