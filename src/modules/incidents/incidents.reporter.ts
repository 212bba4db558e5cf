import { AppError } from '../../core/errors.ts';
import { requireRole, type Principal } from '../identity/index.ts';
import { MAX_REPLY, type PublicIncident } from './incidents.contract.ts';
import type { PublicViews } from './incidents.public-view.ts';
import type { IncidentRecords, IncidentView } from './incidents.records.ts';
import { CodeTries, reporterCodeMatches } from './incidents.reporter-code.ts';
import type { IncidentRow } from './incidents.repository.ts';

/** The reporter's own part: their answers on the ticket page and the erasure of their personal data (UU PDP 27/2022). */
export class ReporterData {
  private readonly records: IncidentRecords;
  private readonly publicViews: PublicViews;
  private readonly tries: CodeTries;
  constructor(records: IncidentRecords, publicViews: PublicViews) {
    this.records = records;
    this.publicViews = publicViews;
    this.tries = new CodeTries(() => records.now());
  }

  /** The code against the ticket's, counting wrong ones: 429 once the ticket had too many (REPORTER_CODE_TRIES). */
  private async codeMatches(row: IncidentView, secret: string): Promise<boolean> {
    const key = `${row.region_id}:${row.ticket}`;
    const wait = this.tries.blockedFor(key);
    if (wait > 0) throw new AppError('RATE_LIMITED', `too many wrong codes for ${row.ticket}; try again in ${Math.ceil(wait / 60_000)} min`);
    const ok = await reporterCodeMatches(row.erase_secret_hash, secret, row.id);
    if (!ok) this.tries.failed(key);
    return ok;
  }

  /** Erases the reporter's personal data (UU PDP 27/2022): an admin or the assigned OPD. */
  async eraseReporter(p: Principal, id: string): Promise<void> {
    requireRole(p, 'admin', 'operator');
    const row = await this.records.visible(p, id);
    if (p.role === 'operator' && row.opd_id !== p.opdId) throw new AppError('FORBIDDEN', 'only an admin or the assigned OPD can erase the personal data');
    await this.erase(row, p.userId, false);
  }

  /** The reporter asks for erasure with the secret they got at filing. */
  async eraseReporterBySecret(regionId: string, ticket: string, secret: string): Promise<boolean> {
    const row = await this.records.findByTicket(regionId, ticket);
    if (!row || !(await this.codeMatches(row, secret))) return false;
    await this.erase(row, null, true);
    return true;
  }

  /**
   * The reporter answers on their ticket page, signed with the code they got at
   * filing. The answer is a public timeline line (kind reporter_reply, no actor).
   * On a resolved incident:
   * - `reopen` ("not fixed yet") puts it back in progress, with a new follow-up
   *   stage (the category's follow-up days) that the OPD's next public answer ends;
   * - otherwise ("it is fixed") the reporter confirms the problem is solved, so
   *   it is closed at once (SP4N-LAPOR!): the answer and a status line resolved →
   *   closed without an actor, in one transaction.
   * Open incidents take the answer as it is, whatever `reopen` says: no change
   * of status. Closed and rejected ones take none
   * (a new report is filed), nor does a merged one (it is followed on the ticket
   * it was merged into): 409.
   */
  async replyAsReporter(regionId: string, ticket: string, secret: string, input: { text: string; reopen: boolean }): Promise<PublicIncident> {
    const row = await this.records.findByTicket(regionId, ticket);
    if (!row) throw new AppError('INCIDENT_NOT_FOUND', `no report ${ticket}`);
    if (!(await this.codeMatches(row, secret))) throw new AppError('REPORTER_SECRET_INVALID', "the code does not match this ticket (once the reporter's data is erased, the code no longer works)");
    const text = input.text.trim();
    if (text === '') throw new AppError('VALIDATION_FAILED', 'text must not be empty');
    if (text.length > MAX_REPLY) throw new AppError('VALIDATION_FAILED', `text is longer than ${MAX_REPLY} characters`);
    // PostgreSQL text cannot hold NUL.
    if (text.includes('\u0000')) throw new AppError('VALIDATION_FAILED', 'text must not contain NUL characters');
    if (row.merged_into_id !== null) {
      const target = (await this.records.repo.find(regionId, row.merged_into_id))?.ticket ?? 'another report';
      throw new AppError('INCIDENT_TRANSITION_INVALID', `${row.ticket} was merged into ${target} and is followed there; it takes no more answers`);
    }
    if (row.status === 'closed' || row.status === 'rejected') {
      throw new AppError('INCIDENT_TRANSITION_INVALID', `${row.ticket} is ${row.status} and takes no more answers; file a new report if the problem is back`);
    }
    const now = this.records.now();
    const patch: Partial<IncidentRow> = { updated_at: now };
    const events = [this.records.event(row, 'reporter_reply', null, true, text, null, null, now)];
    if (row.status === 'resolved' && input.reopen) {
      Object.assign(patch, { status: 'in_progress', resolved_at: null, last_answer_at: null, ...(await this.records.stage(row, 'follow_up', now)) });
      events.push(this.records.event(row, 'status', null, true, null, 'resolved', 'in_progress', now));
    } else if (row.status === 'resolved') {
      Object.assign(patch, { status: 'closed', closed_at: now, ...(await this.records.stage(row, null, now)) });
      events.push(this.records.event(row, 'status', null, true, null, 'resolved', 'closed', now));
    }
    if (!(await this.records.repo.update([{ id: row.id, expectStatus: row.status, patch }], events, undefined, this.records.within([row], events)))) {
      throw new AppError('CONFLICT', 'the report changed meanwhile; try again');
    }
    this.records.publishUpdated(regionId, row.id);
    return (await this.publicViews.publicByTicket(regionId, row.ticket, 'ticket'))!;
  }

  /**
   * Erases the reporter's personal data (their name, phone and email: the
   * reporter row) and spends their code with it. Every citizen report has a
   * code, so the code alone is no personal data: on a report without any, an
   * admin's or OPD's erasure has nothing to erase, logs nothing and leaves the
   * code working; the reporter's own request by the code withdraws the code
   * (internal line reporter_code_spent), so that nobody else who holds it, say
   * on a shared phone, can answer, reopen or close in their name.
   */
  private async erase(row: IncidentView, userId: string | null, byCode: boolean): Promise<void> {
    const had = (await this.records.repo.reporter(row.id)) !== undefined;
    if (!had && !(byCode && row.erase_secret_hash !== null)) return;
    const now = this.records.now();
    const kind = had ? 'reporter_erased' : 'reporter_code_spent';
    // never answer "erased" while the data stays: a status change in between is a conflict to retry
    const erased = this.records.within([row], [], [{ kind: 'reporter_erased', regionId: row.region_id, incidentId: row.id, ticket: row.ticket, at: now }]);
    if (!(await this.records.repo.update([{ id: row.id, expectStatus: row.status, patch: { erase_secret_hash: null, updated_at: now } }], [this.records.event(row, kind, userId, false, null, null, null, now)], row.id, erased))) {
      throw new AppError('CONFLICT', 'the report changed meanwhile; try the erasure again');
    }
    this.records.publishUpdated(row.region_id, row.id);
  }
}
