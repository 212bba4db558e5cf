/** The yearly evaluation (monev) of the master plan: what the rest of the master plan module may use. */
export type * from './evaluation.contract.ts';
export { EvaluationEvidence } from './evaluation.evidence.ts';
export { EvaluationPack } from './evaluation.pack.ts';
export { EvaluationRepository } from './evaluation.repository.ts';
export { evaluationRoutes } from './evaluation.routes.ts';
export { EVAL_DIMENSION_NAMES, EVAL_DIMENSIONS, type EvalDimension } from './evaluation.scoring.ts';
export { EvaluationService } from './evaluation.service.ts';
export { EvaluationSurvey } from './evaluation.survey.ts';
