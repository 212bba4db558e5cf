// ---- MP-DOCS: collaboration, evaluation (monev), document export ----
export { masterplanDocsRoutes } from './collaboration.routes.js';
export { ActivityLog, CollaborationService, listenForMasterplanChanges, MEMBER_ROLES, REVIEW_STATUSES, REVIEWER_OPD_CODES, type MemberRole, type ReviewStatus } from './collaboration.service.js';
export { EvaluationService, evaluationIndexByYear, checkWeights, weightedIndex, EVAL_DIMENSIONS, type Weights } from './evaluation.service.js';
export { ExportService, writeDocx, writePdf, DOCX_TYPE, PDF_TYPE } from './export.service.js';
// ---- end MP-DOCS ----
