/**
 * The contract of the yearly evaluation (monev): TypeBox schemas and the types
 * derived from them, for the routes, the services and the web app (`import type`).
 */
import { Type, type Static, type TSchema } from 'typebox';
import { EVALUATION_DIMENSIONS } from '../masterplan.constants.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const NumOrNull = Nullable(Type.Number());

const W = Type.Number({ minimum: 0, maximum: 100 });
export const Weights = Type.Object({ baseline: W, output: W, outcome: W, impact: W, quickWin: W }, { description: 'percent; the five sum to 100' });
const EvalDim = Type.Union([Type.Literal('baseline'), Type.Literal('output'), Type.Literal('outcome'), Type.Literal('impact'), Type.Literal('quickWin')]);
export type EvaluationDimension = Static<typeof EvalDim>;
// The list and the schema name the same dimensions: one added to one and not the other is a compile error.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<(typeof EVALUATION_DIMENSIONS)[number], EvaluationDimension>;

export const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
export const EvaluationBody = Type.Object({
  weights: Type.Optional(Weights),
  items: Type.Optional(
    Type.Array(
      Type.Object({
        id: Type.Optional(Type.String({ maxLength: 100 })),
        dimension: EvalDim,
        name: Type.String({ minLength: 1, maxLength: 500 }),
        smartDimension: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
        score: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 5 }))),
        note: Type.Optional(Type.String({ maxLength: 5000 })),
        reason: Type.Optional(Type.String({ maxLength: 2000, description: 'why a pre-filled score was changed by hand; required when the score differs from the computed one' })),
      }),
      { maxItems: 1000 },
    ),
  ),
});
export const BaselineBody = Type.Object({
  score: Nullable(Type.Number({ minimum: 0, maximum: 5, description: 'the Baseline set by hand, 0–5; null returns to the computed one' })),
  reason: Type.Optional(Type.String({ maxLength: 2000, description: 'required with a score' })),
});

/** One figure the platform knows, with where it came from. */
export const Figure = Type.Object({
  labelId: Type.String(),
  labelEn: Type.String(),
  value: Nullable(Type.Number()),
  unit: Type.String({ description: "'%', 'Rp', or a count's noun" }),
  sourceId: Type.String({ description: 'where it was read, in Bahasa Indonesia: the module and what of it' }),
  sourceEn: Type.String({ description: 'where it was read, in English' }),
});
const Evidence = Type.Object({ id: Type.String(), filename: Type.String(), contentType: Type.String(), bytes: Type.Number(), url: Type.String(), uploadedAt: Type.Number() });
export const EvidenceFile = Evidence;
export const EvalItem = Type.Object({
  id: Type.String(),
  dimension: EvalDim,
  name: Type.String(),
  smartDimension: Nullable(Type.String()),
  score: NumOrNull,
  note: Type.String(),
  evidence: Type.Array(Evidence),
  auto: Nullable(
    Type.Object({
      key: Type.String({ description: 'what the platform computed: output.initiatives, output.realisation, outcome.kpis, outcome.sla, outcome.devices' }),
      computedScore: NumOrNull,
      computedAt: Type.Number({ description: 'ms since epoch' }),
      figures: Type.Array(Figure),
      overridden: Type.Boolean({ description: 'the score was changed by hand (reason and changedBy say why and who)' }),
      reason: Type.String(),
      changedBy: Nullable(Type.String()),
    }),
  ),
});
export const Baseline = Type.Object({
  score: NumOrNull,
  source: Type.Union([Type.Literal('computed'), Type.Literal('override'), Type.Literal('none')]),
  computed: NumOrNull,
  formula: Type.String({ description: 'how the computed Baseline was found, with the numbers' }),
  previous: Nullable(Type.Object({ year: Type.Integer(), index: Type.Number() })),
  beforePrevious: Nullable(Type.Object({ year: Type.Integer(), index: Type.Number() })),
  override: Nullable(Type.Object({ score: Type.Number(), reason: Type.String(), by: Type.String(), at: Type.Number() })),
});
export const SurveyProgram = Type.Object({
  dimensionKey: Type.String(),
  elementKey: Nullable(Type.String()),
  programId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  answers: Type.Integer(),
  mean: NumOrNull,
  distribution: Type.Array(Type.Integer(), { description: 'answers 1..5' }),
});
export const Survey = Type.Object({
  programs: Type.Array(SurveyProgram),
  answers: Type.Integer(),
  byDimension: Type.Array(Type.Object({ key: Type.String(), mean: NumOrNull, answers: Type.Integer() })),
});
export const Evaluation = Type.Object({
  year: Type.Integer(),
  weights: Nullable(Weights),
  items: Type.Array(EvalItem),
  baseline: Baseline,
  startedFrom: Nullable(Type.Integer({ description: 'the evaluation this one was started from, when it was' })),
  survey: Survey,
  scores: Type.Object({ baseline: NumOrNull, output: NumOrNull, outcome: NumOrNull, impact: NumOrNull, quickWin: NumOrNull }),
  missing: Type.Array(EvalDim, { description: 'dimensions without any score (counted as 0)' }),
  index: Type.Union([Type.Number({ description: '0–5' }), Type.Null()]),
  byDimension: Type.Array(Type.Object({
    key: Type.String(),
    index: Type.Union([Type.Number({ description: 'weighted mean (0–5) of the evaluation dimensions this smart city dimension has scores for' }), Type.Null()]),
    surveyMean: NumOrNull,
    weightShare: Type.Union([Type.Number({ description: 'the share of the weights (0–100) those evaluation dimensions carry' }), Type.Null()]),
  })),
});
export const IndexByYear = Type.Array(Type.Object({ year: Type.Integer(), index: Type.Number() }));
export const SurveyProgramsBody = Type.Object({
  programs: Type.Array(
    Type.Object({ dimensionKey: Type.String({ maxLength: 40 }), elementKey: Type.String({ maxLength: 40, description: 'the element of that dimension the program is asked about: one program per element' }), programId: Type.String({ maxLength: 100 }) }),
    { maxItems: 18 },
  ),
});

export type Weights = Static<typeof Weights>;
export type YearParams = Static<typeof YearParams>;
export type EvaluationBody = Static<typeof EvaluationBody>;
export type BaselineBody = Static<typeof BaselineBody>;
export type Figure = Static<typeof Figure>;
export type EvidenceFile = Static<typeof EvidenceFile>;
export type EvalItem = Static<typeof EvalItem>;
export type Baseline = Static<typeof Baseline>;
export type SurveyProgram = Static<typeof SurveyProgram>;
export type Survey = Static<typeof Survey>;
export type Evaluation = Static<typeof Evaluation>;
export type IndexByYear = Static<typeof IndexByYear>;
export type SurveyProgramsBody = Static<typeof SurveyProgramsBody>;
