/** The yearly evaluation (monev) of the master plan: what the rest of the master plan module may use. */
export type * from './evaluation.contract.ts';
export { EvaluationEvidence } from './evaluation.evidence.ts';
export { EvaluationPack, evidenceCsv, ZIP_TYPE, type Render } from './evaluation.pack.ts';
export { AUTO_KEYS, AUTO_NAMES, type AutoKey } from './evaluation.constants.ts';
export { platformFigures, type MonevSources } from './evaluation.prefill.ts';
export { EvaluationRepository } from './evaluation.repository.ts';
export { evaluationRoutes } from './evaluation.routes.ts';
export { baselineOf, checkWeights, dimensionScores, EVAL_DIMENSION_NAMES, EVAL_DIMENSIONS, partialIndex, weightedIndex, type EvalDimension, type Scores } from './evaluation.scoring.ts';
export { EvaluationService, type ItemInput } from './evaluation.service.ts';
export { EvaluationSurvey } from './evaluation.survey.ts';
