/**
 * The evaluation lives in evaluation/ (issue 16). This re-export keeps the document
 * export's imports (export.content.ts, export.data.ts, export.service.ts) as they are
 * while those files are being reworked; new code imports from './evaluation/index.ts'.
 */
export { EvaluationService, EVAL_DIMENSIONS, EVAL_DIMENSION_NAMES } from './evaluation/index.ts';
export type { Evaluation } from './evaluation/index.ts';
