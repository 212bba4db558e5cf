// ---- MP-DOCS: collaboration, evaluation (monev), document export ----
export { masterplanDocsRoutes } from './collaboration.routes.ts';
export { ActivityLog, CollaborationService, listenForMasterplanChanges, MEMBER_ROLES, REVIEW_STATUSES, REVIEWER_OPD_CODES, type MemberRole, type ReviewStatus } from './collaboration.service.ts';
export { EvaluationService, checkWeights, weightedIndex, EVAL_DIMENSIONS, type Weights } from './evaluation/index.ts';
export { ExportService, DOCX_TYPE, PDF_TYPE } from './export.service.ts';
export { seedCollaborationDemo, seedPlanPeople } from './collaboration.demo.ts';
// ---- end MP-DOCS ----
// ---- MP-CORE: framework, plan, readiness, programs and their import, KPIs on live data, dashboard ----
export { DIMENSIONS, READINESS, READINESS_CHECKLIST, HORIZONS, DOCUMENTS, DOCUMENT_KEYS, type DocumentKey } from './masterplan.framework.ts';
export { MasterplanRepository } from './masterplan.repository.ts';
export { MasterplanService, kpiStatus, achievement, type ChangeEvent, type Kpi, type Program, type Readiness } from './masterplan.service.ts';
export { masterplanRoutes } from './masterplan.routes.ts';
export { METRICS, METRIC_KINDS, LiveMetrics, type MetricSpec } from './kpis.metrics.ts';
export { parseProgramFile, parseCode, parseRupiah, IMPORT_MAX_BYTES } from './programs.import.ts';
export { suggest } from './programs.suggest.ts';
export { seedMasterplanDemo } from './masterplan.demo.ts';
// ---- end MP-CORE ----
export { RecordsService, seedRecordsDemo } from './records/index.ts';
export { masterplanModule } from './masterplan.module.ts';
