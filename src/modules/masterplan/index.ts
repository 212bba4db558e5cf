// ---- MP-DOCS: collaboration, evaluation (monev), document export ----
export { EvaluationService, checkWeights, weightedIndex, EVAL_DIMENSIONS, type Weights } from './evaluation/index.ts';
export { ExportService, DOCX_TYPE, PDF_TYPE } from './documents/export.service.ts';
export { seedCollaborationDemo, seedPlanPeople } from './collaboration/index.ts';
// ---- end MP-DOCS ----
// ---- MP-CORE: framework, plan, readiness, programs and their import, KPIs on live data, dashboard ----
export { DIMENSIONS, READINESS, READINESS_CHECKLIST, HORIZONS, DOCUMENTS, DOCUMENT_KEYS, type DocumentKey } from './plan/index.ts';
export { METRICS, METRIC_KINDS, LiveMetrics, kpiStatus, achievement, type MetricSpec } from './kpis/index.ts';
export { parseProgramFile, parseCode, parseRupiah, IMPORT_MAX_BYTES, suggest } from './programs/index.ts';
export type { Kpi } from './kpis/kpis.contract.ts';
export type { Program } from './programs/programs.contract.ts';
export type { Readiness } from './plan/plan.contract.ts';
export { seedMasterplanDemo } from './masterplan.demo.ts';
// ---- end MP-CORE ----
export { RecordsService, seedRecordsDemo } from './records/index.ts';
export { masterplanModule, type MasterplanCore } from './masterplan.module.ts';
