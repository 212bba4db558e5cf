import { AppError } from '../../core/errors.ts';
import { requireRole, type Principal } from '../identity/index.ts';
import { INCIDENT_SEVERITIES, TRANSITIONS, type Incident, type IncidentSeverity, type IncidentStatus, type TimelineEntry } from './incidents.contract.ts';
import type { IncidentInbox } from './incidents.inbox.ts';
import { MAX_TEXT, type IncidentRecords } from './incidents.records.ts';
import type { IncidentRow } from './incidents.repository.ts';

/** What staff do to an incident: route and assign it, move it through the status machine, change its severity, answer, merge. */
export class IncidentHandling {
  private readonly records: IncidentRecords;
  private readonly inbox: IncidentInbox;
  constructor(records: IncidentRecords, inbox: IncidentInbox) {
    this.records = records;
    this.inbox = inbox;
  }

  async assign(p: Principal, id: string, input: { opdId?: string | null | undefined; assigneeUserId?: string | null | undefined }): Promise<Incident> {
    requireRole(p, 'admin', 'operator');
    const row = await this.records.visible(p, id);
    if (p.role === 'operator' && row.opd_id !== null && row.opd_id !== p.opdId) throw new AppError('FORBIDDEN', "this incident is another OPD's");
    if (!(['new', 'assigned', 'in_progress'] as string[]).includes(row.status)) {
      throw new AppError('INCIDENT_TRANSITION_INVALID', `an incident that is ${row.status} cannot be assigned; reopen it first`);
    }
    // An unrouted report is routed by Diskominfo or an admin: an operator who could take it would read its reporter.
    if (p.role === 'operator' && row.opd_id === null && !(await this.records.routes(p))) throw new AppError('FORBIDDEN', 'an unrouted report is routed by Diskominfo or an admin');
    const opdId = input.opdId ?? row.opd_id;
    if (opdId === null) throw new AppError('VALIDATION_FAILED', 'opdId is needed: the incident is not routed to an OPD yet');
    const [opd] = await this.records.identity.opdsByIds(p.regionId, [opdId]);
    if (!opd) throw new AppError('OPD_NOT_FOUND', `no OPD ${opdId} in this region`);
    let assignee: string | null = opdId === row.opd_id ? row.assignee_user_id : null;
    let assigneeName: string | null = opdId === row.opd_id ? row.assignee_name : null;
    if (input.assigneeUserId !== undefined) {
      if (input.assigneeUserId === null) {
        assignee = null;
        assigneeName = null;
      } else {
        const [user] = await this.records.identity.usersByIds(p.regionId, [input.assigneeUserId]);
        if (!user) throw new AppError('USER_NOT_FOUND', `no user ${input.assigneeUserId} in this region`);
        // a viewer could not act on it: the incident would stall with them
        if (user.opdId !== opdId || user.disabled || user.role === 'viewer') throw new AppError('VALIDATION_FAILED', `the assignee must be an active operator or admin of the OPD ${opd.code}`);
        assignee = user.id;
        assigneeName = user.name;
      }
    }
    const now = this.records.now();
    const patch: Partial<IncidentRow> = { opd_id: opdId, assignee_user_id: assignee, updated_at: now };
    let status = row.status;
    if (row.status === 'new') {
      status = 'assigned';
      Object.assign(patch, { status, assigned_at: now, ...(await this.records.stage(row, 'follow_up', now)) });
    }
    const from = [row.opd_code, row.assignee_name].filter(Boolean).join(' / ') || null;
    const to = [opd.code, assigneeName].filter(Boolean).join(' / ');
    const events = [this.records.event(row, 'assigned', p.userId, false, null, from, to, now)];
    if (status !== row.status) events.push(this.records.event(row, 'status', p.userId, true, null, row.status, status, now));
    return this.records.apply(p, row, patch, events);
  }

  async setStatus(p: Principal, id: string, status: IncidentStatus, reason?: string | null): Promise<Incident> {
    requireRole(p, 'admin', 'operator');
    const row = await this.records.actable(p, id);
    const from = row.status as IncidentStatus;
    if (!TRANSITIONS[from].includes(status)) {
      throw new AppError('INCIDENT_TRANSITION_INVALID', `an incident cannot go from ${from} to ${status}; allowed: ${TRANSITIONS[from].join(', ') || 'none'}`);
    }
    const text = reason?.trim() || null;
    if (status === 'rejected' && text === null) throw new AppError('VALIDATION_FAILED', 'a rejection needs a reason');
    if (text !== null && text.length > MAX_TEXT) throw new AppError('VALIDATION_FAILED', `reason is longer than ${MAX_TEXT} characters`);
    if (status === 'assigned' && row.opd_id === null) throw new AppError('INCIDENT_TRANSITION_INVALID', 'route the incident to an OPD first (assign)');
    const now = this.records.now();
    const patch: Partial<IncidentRow> = { status, updated_at: now };
    switch (status) {
      case 'assigned':
        Object.assign(patch, { assigned_at: now, ...(await this.records.stage(row, 'follow_up', now)) });
        break;
      case 'in_progress':
        // the work has a target too (by severity): the clock never stops while the incident is open
        // (started already by the public answer to an assigned incident: that target stands, not a fresh one)
        Object.assign(patch, { followed_up_at: row.followed_up_at ?? now, resolved_at: null, last_answer_at: null, ...(row.status === 'assigned' && row.sla_stage === 'resolve' ? {} : await this.records.stage(row, 'resolve', now)) });
        break;
      case 'resolved':
        Object.assign(patch, { resolved_at: now, last_answer_at: now, followed_up_at: row.followed_up_at ?? now, ...(await this.records.stage(row, 'close', now)) });
        break;
      case 'closed':
        Object.assign(patch, { closed_at: now, ...(await this.records.stage(row, null, now)) });
        break;
      case 'rejected':
        Object.assign(patch, { reject_reason: text, closed_at: now, ...(await this.records.stage(row, null, now)) });
        break;
    }
    return this.records.apply(p, row, patch, [this.records.event(row, 'status', p.userId, true, text, from, status, now)]);
  }

  /** Changes the severity (admins, or operators of the OPD it is routed to). */
  async setSeverity(p: Principal, id: string, severity: IncidentSeverity): Promise<Incident> {
    return this.edit(p, id, { severity });
  }

  /**
   * Changes the severity and/or the title (admins, or operators of the OPD it
   * is routed to). A new severity moves the due time of a resolve stage that
   * is running (its days depend on the severity).
   */
  async edit(p: Principal, id: string, input: { severity?: IncidentSeverity | undefined; title?: string | undefined }): Promise<Incident> {
    const row = await this.records.actable(p, id);
    const severity = input.severity ?? (row.severity as IncidentSeverity);
    if (!(INCIDENT_SEVERITIES as readonly string[]).includes(severity)) throw new AppError('VALIDATION_FAILED', `severity must be one of ${INCIDENT_SEVERITIES.join(', ')}`);
    const title = input.title === undefined ? row.title : input.title.replace(/\s+/g, ' ').trim();
    if (title === '') throw new AppError('VALIDATION_FAILED', 'title must not be empty');
    if (title.length > 200) throw new AppError('VALIDATION_FAILED', 'title is longer than 200 characters');
    if (row.severity === severity && row.title === title) return this.records.get(p, id);
    const now = this.records.now();
    // A rename is the operator's words, in their language: the platform's English wording no longer says the same.
    const patch: Partial<IncidentRow> = { severity, title, ...(row.title !== title && { title_en: null }), updated_at: now };
    const events = [];
    if (row.severity !== severity) {
      events.push(this.records.event(row, 'severity', p.userId, false, null, row.severity, severity, now));
      Object.assign(patch, await this.records.restage(row, severity));
    }
    if (row.title !== title) events.push(this.records.event(row, 'title', p.userId, false, null, row.title, title, now));
    return this.records.apply(p, row, patch, events);
  }

  async addUpdate(p: Principal, id: string, input: { text: string; public: boolean }): Promise<TimelineEntry> {
    requireRole(p, 'admin', 'operator');
    const row = await this.records.actable(p, id);
    const text = input.text.trim();
    if (text === '') throw new AppError('VALIDATION_FAILED', 'text must not be empty');
    if (text.length > MAX_TEXT) throw new AppError('VALIDATION_FAILED', `text is longer than ${MAX_TEXT} characters`);
    const now = this.records.now();
    const patch: Partial<IncidentRow> = { updated_at: now };
    // The follow-up is done; resolving is now owed, with its target by severity, whether or not the work is marked started.
    if (input.public && row.status === 'assigned' && row.followed_up_at === null) Object.assign(patch, { followed_up_at: now, ...(await this.records.stage(row, 'resolve', now)) });
    // Reopened by the reporter ("not fixed yet"): a public answer is the new follow-up.
    if (input.public && row.status === 'in_progress' && row.sla_stage === 'follow_up') Object.assign(patch, await this.records.stage(row, 'resolve', now));
    // An answer to a resolved incident restarts the close countdown (the category's close days).
    if (input.public && row.status === 'resolved') Object.assign(patch, { last_answer_at: now, ...(await this.records.stage(row, 'close', now)) });
    const event = this.records.event(row, input.public ? 'public_update' : 'note', p.userId, input.public, text, null, null, now);
    await this.records.apply(p, row, patch, [event]);
    return (await this.inbox.timeline(p.regionId, id)).find((e) => e.id === event.id)!;
  }

  async merge(p: Principal, id: string, intoId: string): Promise<Incident> {
    requireRole(p, 'admin', 'operator');
    if (id === intoId) throw new AppError('VALIDATION_FAILED', 'an incident cannot be merged into itself');
    const row = await this.records.actable(p, id);
    const target = await this.records.visible(p, intoId);
    if (row.status === 'closed' || row.status === 'rejected') throw new AppError('INCIDENT_TRANSITION_INVALID', `an incident that is ${row.status} cannot be merged`);
    if (target.status === 'closed' || target.status === 'rejected' || target.merged_into_id !== null) {
      throw new AppError('INCIDENT_TRANSITION_INVALID', `cannot merge into ${target.ticket}: it is ${target.merged_into_id ? 'merged itself' : target.status}`);
    }
    const now = this.records.now();
    const events = [
      // No sentence is stored: from and to carry the tickets, and each page words them in its reader's language.
      this.records.event(row, 'duplicate_of', p.userId, true, null, row.ticket, target.ticket, now),
      this.records.event(row, 'status', p.userId, true, null, row.status, 'closed', now),
      this.records.event(target, 'merged', p.userId, true, null, row.ticket, target.ticket, now),
    ];
    const ok = await this.records.repo.update(
      [
        { id: row.id, expectStatus: row.status, patch: { status: 'closed', closed_at: now, merged_into_id: target.id, updated_at: now, ...(await this.records.stage(row, null, now)) } },
        { id: target.id, expectStatus: target.status, patch: { updated_at: now } },
      ],
      events,
      undefined,
      this.records.within([row, target], events),
    );
    if (!ok) throw new AppError('CONFLICT', 'one of the incidents changed meanwhile; reload and try again');
    this.records.publishUpdated(p.regionId, row.id);
    this.records.publishUpdated(p.regionId, target.id);
    return this.records.get(p, target.id);
  }
}
