/**
 * The contract of the master plan's collaboration (FGD sessions, comments and
 * review, members, commitments, activity): TypeBox schemas and the types
 * derived from them, for routes, services and the web app (`import type`).
 */
import { Type, type Static } from 'typebox';
import { EpochMs } from '../../../core/http-schemas.ts';

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
export const Member = Type.Object({ userId: Type.String(), name: Type.String(), email: Type.String(), role: MemberRole, userRole: Type.String(), position: Nullable(Type.String({ description: "the user's jabatan (bupati, sekda, kepala, …), null when not given" })), opdId: Nullable(Type.String()), since: Type.Number() });
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
