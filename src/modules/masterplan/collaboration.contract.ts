/**
 * The contract of the master plan's collaboration (FGD sessions, comments and
 * review, members, commitments, activity) and evaluation: TypeBox schemas and
 * the types derived from them, for routes and the web app (its constants from
 * masterplan.constants.ts, re-exported here).
 */
import { Type, type Static } from 'typebox';
import { EpochMs } from '../../core/http-schemas.ts';
import { EVALUATION_DIMENSIONS } from './masterplan.constants.ts';

export { EVALUATION_DIMENSIONS } from './masterplan.constants.ts';

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Participant = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), opd: Type.String({ maxLength: 200, description: 'OPD code or name' }) });
export const SessionBody = Type.Object({
  round: Type.Integer({ minimum: 1, maximum: 4, description: 'bimtek / FGD round 1–4' }),
  date: EpochMs('the day of the session'),
  title: Type.String({ minLength: 1, maxLength: 300 }),
  place: Type.Optional(Type.String({ maxLength: 300 })),
  participants: Type.Optional(Type.Array(Participant, { maxItems: 500 })),
  notes: Type.Optional(Type.String({ maxLength: 20000 })),
  decisions: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { maxItems: 200 })),
});
export const SessionPatch = Type.Partial(Type.Object({ ...SessionBody.properties, place: Type.String({ maxLength: 300 }), participants: Type.Array(Participant, { maxItems: 500 }), notes: Type.String({ maxLength: 20000 }), decisions: Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { maxItems: 200 }) }), { minProperties: 1 });
export const Session = Type.Object({
  id: Type.String(),
  round: Type.Integer(),
  date: Type.Number(),
  title: Type.String(),
  place: Type.String(),
  participants: Type.Array(Participant),
  notes: Type.String(),
  decisions: Type.Array(Type.String()),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
});

export const CommentQuery = Type.Object({ programId: Type.Optional(Type.String({ maxLength: 100 })), section: Type.Optional(Type.String({ maxLength: 100 })) });
export const CommentBody = Type.Object({
  programId: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  section: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100, description: 'a section of the plan, e.g. vision, readiness, roadmap' }))),
  body: Type.String({ minLength: 1, maxLength: 5000 }),
});
export const CommentPatch = Type.Object({ body: Type.String({ minLength: 1, maxLength: 5000 }) });
export const Comment = Type.Object({
  id: Type.String(),
  programId: Nullable(Type.String()),
  section: Nullable(Type.String()),
  userId: Nullable(Type.String()),
  authorName: Type.String(),
  body: Type.String(),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  mine: Type.Boolean({ description: 'written by the user asking' }),
});

export const ReturnBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) });
export const ReviewResult = Type.Object({
  programId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  reviewStatus: Type.Union([Type.Literal('draft'), Type.Literal('submitted'), Type.Literal('approved'), Type.Literal('returned')]),
  reason: Nullable(Type.String()),
  updatedAt: Type.Number(),
});

const MemberRole = Type.Union([Type.Literal('council'), Type.Literal('team')], { description: "'council' = Dewan Smart City, 'team' = Tim Pelaksana" });
export const MembersBody = Type.Object({ members: Type.Array(Type.Object({ userId: Type.String({ maxLength: 100 }), role: MemberRole }), { maxItems: 500 }) });
export const Member = Type.Object({ userId: Type.String(), name: Type.String(), email: Type.String(), role: MemberRole, userRole: Type.String(), opdId: Nullable(Type.String()), since: Type.Number() });
export const Standing = Type.Object({ reviewer: Type.Boolean(), member: Nullable(MemberRole), opdCode: Nullable(Type.String()) });

export const CommitmentBody = Type.Object({
  signerName: Type.String({ minLength: 1, maxLength: 200 }),
  position: Type.String({ minLength: 1, maxLength: 300, description: 'e.g. Bupati Musi Rawas, Kepala Dinas Kominfo' }),
  opdId: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'null for the Bupati' }))),
  signedAt: EpochMs('when it was signed'),
  note: Type.Optional(Type.String({ maxLength: 5000 })),
});
export const Commitment = Type.Object({
  id: Type.String(),
  signerName: Type.String(),
  position: Type.String(),
  opdId: Nullable(Type.String()),
  opdCode: Nullable(Type.String()),
  signedAt: Type.Number(),
  note: Type.String(),
  file: Nullable(Type.Object({ contentType: Type.String(), bytes: Type.Number(), url: Type.String() })),
  createdAt: Type.Number(),
});

export const ActivityQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
  entity: Type.Optional(Type.String({ maxLength: 50 })),
  entityId: Type.Optional(Type.String({ maxLength: 100 })),
});
export const Activity = Type.Object({
  id: Type.String(),
  userId: Nullable(Type.String()),
  userName: Nullable(Type.String()),
  action: Type.String(),
  entity: Type.String(),
  entityId: Nullable(Type.String()),
  summary: Type.String({ description: 'in Bahasa Indonesia' }),
  detail: Type.Unknown(),
  at: Type.Number(),
});

// ---- evaluation ----
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
      }),
      { maxItems: 1000 },
    ),
  ),
});
const Evidence = Type.Object({ id: Type.String(), filename: Type.String(), contentType: Type.String(), bytes: Type.Number(), url: Type.String(), uploadedAt: Type.Number() });
export const EvidenceFile = Evidence;
const NumOrNull = Nullable(Type.Number());
export const Evaluation = Type.Object({
  year: Type.Integer(),
  weights: Nullable(Weights),
  items: Type.Array(Type.Object({ id: Type.String(), dimension: EvalDim, name: Type.String(), smartDimension: Nullable(Type.String()), score: NumOrNull, note: Type.String(), evidence: Type.Array(Evidence) })),
  survey: Type.Object({
    programs: Type.Array(Type.Object({ dimensionKey: Type.String(), programId: Type.String(), code: Type.String(), name: Type.String(), answers: Type.Integer(), mean: NumOrNull, distribution: Type.Array(Type.Integer(), { description: 'answers 1..5' }) })),
    answers: Type.Integer(),
    byDimension: Type.Array(Type.Object({ key: Type.String(), mean: NumOrNull, answers: Type.Integer() })),
  }),
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
export const SurveyProgramsBody = Type.Object({ programs: Type.Array(Type.Object({ dimensionKey: Type.String({ maxLength: 40 }), programId: Type.String({ maxLength: 100 }) }), { maxItems: 18 }) });
export const SurveyAnswersBody = Type.Object({
  answers: Type.Optional(Type.Array(Type.Object({ programId: Type.String({ maxLength: 100 }), score: Type.Integer({ minimum: 1, maximum: 5 }), respondent: Type.Optional(Nullable(Type.String({ maxLength: 200 }))) }), { maxItems: 50000 })),
  csv: Type.Optional(Type.String({ maxLength: 10 * 1024 * 1024, description: 'columns program_code (or program_id), score 1–5, respondent' })),
});

// The types of the wire, derived from the schemas above: routes, services and the web app (`import type`) read these.
export type Participant = Static<typeof Participant>;
export type SessionBody = Static<typeof SessionBody>;
export type SessionPatch = Static<typeof SessionPatch>;
export type Session = Static<typeof Session>;
export type CommentQuery = Static<typeof CommentQuery>;
export type CommentBody = Static<typeof CommentBody>;
export type CommentPatch = Static<typeof CommentPatch>;
export type Comment = Static<typeof Comment>;
export type ReturnBody = Static<typeof ReturnBody>;
export type ReviewResult = Static<typeof ReviewResult>;
export type MembersBody = Static<typeof MembersBody>;
export type Member = Static<typeof Member>;
export type Standing = Static<typeof Standing>;
export type CommitmentBody = Static<typeof CommitmentBody>;
export type Commitment = Static<typeof Commitment>;
export type ActivityQuery = Static<typeof ActivityQuery>;
export type Activity = Static<typeof Activity>;
export type Weights = Static<typeof Weights>;
export type YearParams = Static<typeof YearParams>;
export type EvaluationBody = Static<typeof EvaluationBody>;
export type EvidenceFile = Static<typeof EvidenceFile>;
export type Evaluation = Static<typeof Evaluation>;
export type IndexByYear = Static<typeof IndexByYear>;
export type SurveyProgramsBody = Static<typeof SurveyProgramsBody>;
export type SurveyAnswersBody = Static<typeof SurveyAnswersBody>;
