/** The wire types of the audit log: one source for the server and the web app. */

/** One change by a signed-in person, as GET /api/v1/audit answers it. */
export interface AuditEntry {
  id: string;
  /** ms since epoch, UTC */
  at: number;
  userId: string;
  /** the person's name when they made the change (kept when the user is renamed or deleted) */
  userName: string;
  userRole: string;
  /** rule, incident, device, user, opd, region, layer, category, channel, template, duty.shift, masterplan.kpi … */
  entity: string;
  entityId: string | null;
  /** the entity's name, title or ticket at the time */
  entityLabel: string | null;
  /** create, update, delete, status, assign, merge, erase-reporter, ack, clear, token.regenerate, token.revoke … */
  action: string;
  /** e.g. PATCH /api/v1/rules/:id */
  route: string;
  /** the changed fields as they were; null when created or not read */
  before: Record<string, unknown> | null;
  /** the changed fields as they are now; null when deleted */
  after: Record<string, unknown> | null;
  ip: string | null;
}

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
