/**
 * The audit log's contract: its TypeBox schemas (validation, the OpenAPI
 * document) and the types derived from them, one source for the server and
 * the web app (`import type`).
 */
import { Type, type Static } from 'typebox';
import { PageQuery } from '../../core/http-schemas.ts';

const Side = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]);

export const AuditEntry = Type.Object({
  id: Type.String(),
  /** ms since epoch, UTC */
  at: Type.Number({ description: 'when, ms since epoch (UTC)' }),
  userId: Type.String(),
  userName: Type.String({ description: "the person's name when they made the change" }),
  userRole: Type.String(),
  entity: Type.String({ description: 'rule, incident, device, user, opd, region, layer, category, channel, template, duty.shift, duty.swap, escalation.policy, alarm, warning, masterplan.* …' }),
  entityId: Type.Union([Type.String(), Type.Null()]),
  entityLabel: Type.Union([Type.String(), Type.Null()], { description: "the entity's name, title or ticket at the time" }),
  action: Type.String({ description: 'create, update, delete, status, assign, merge, erase-reporter, ack, clear, token.regenerate, token.revoke …' }),
  route: Type.String({ description: 'the method and route pattern, e.g. PATCH /api/v1/rules/:id' }),
  before: Side,
  after: Side,
  ip: Type.Union([Type.String(), Type.Null()]),
});
/** One change by a signed-in person, as GET /api/v1/audit answers it. */
export type AuditEntry = Static<typeof AuditEntry>;

const Time = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ format: 'date-time' })], { description: 'ms since epoch or ISO 8601' });

export const AuditListQuery = Type.Object({
  ...PageQuery,
  userId: Type.Optional(Type.String({ maxLength: 100, description: 'changes by this person' })),
  entity: Type.Optional(Type.String({ maxLength: 100, description: 'entity kind, e.g. rule' })),
  entityId: Type.Optional(Type.String({ maxLength: 300 })),
  action: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Time),
  to: Type.Optional(Time),
});

/** What the log is searched by (the query above, its times read as ms since epoch). */
export interface AuditFilter {
  userId?: string | undefined;
  entity?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  /** ms since epoch, inclusive */
  from?: number | undefined;
  /** ms since epoch, exclusive */
  to?: number | undefined;
}
