import type { IncidentsService } from '../incidents/index.ts';

/**
 * What the reports module needs from the incidents module (the seam of the
 * contract, /work/notes/incidents-contract.md): these methods of
 * IncidentsService, with its types (Category, PublicIncident … from
 * incidents.contract.ts), so nothing is declared twice.
 */
export type ReportsBackend = Pick<IncidentsService, 'listCategories' | 'getCategory' | 'fileReport' | 'publicByTicket' | 'listPublic' | 'eraseReporterBySecret' | 'replyAsReporter'>;
