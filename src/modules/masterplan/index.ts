// ---- MP-DOCS: collaboration, evaluation (monev), document export ----
export { masterplanDocsRoutes } from './collaboration.routes.js';
export { ActivityLog, CollaborationService, listenForMasterplanChanges, MEMBER_ROLES, REVIEW_STATUSES, REVIEWER_OPD_CODES, type MemberRole, type ReviewStatus } from './collaboration.service.js';
export { EvaluationService, evaluationIndexByYear, checkWeights, weightedIndex, EVAL_DIMENSIONS, type Weights } from './evaluation.service.js';
export { ExportService, DOCX_TYPE, PDF_TYPE } from './export.service.js';
export { seedCollaborationDemo } from './collaboration.demo.js';
// ---- end MP-DOCS ----
// ---- MP-CORE: framework, plan, readiness, programs and their import, KPIs on live data, dashboard ----
export { DIMENSIONS, READINESS, READINESS_CHECKLIST, HORIZONS, DOCUMENTS, DOCUMENT_KEYS, type DocumentKey } from './masterplan.framework.js';
export { MasterplanRepository } from './masterplan.repository.js';
export { MasterplanService, kpiStatus, achievement, type ChangeEvent, type Kpi, type Program, type Readiness } from './masterplan.service.js';
export { masterplanRoutes } from './masterplan.routes.js';
export { METRICS, METRIC_KINDS, LiveMetrics, type MetricSpec } from './kpis.metrics.js';
export { parseProgramFile, parseCode, parseRupiah, IMPORT_MAX_BYTES } from './programs.import.js';
export { suggest } from './programs.suggest.js';
export { seedMasterplanDemo } from './masterplan.demo.js';
// ---- end MP-CORE ----
