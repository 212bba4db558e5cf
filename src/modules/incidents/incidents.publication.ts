import { AppError } from '../../core/errors.ts';
import { requireRole, type Principal } from '../identity/index.ts';
import type { Incident, PublicationInput } from './incidents.contract.ts';
import { MAX_TEXT, type IncidentRecords } from './incidents.records.ts';
import type { IncidentRow } from './incidents.repository.ts';

/**
 * Moderation: what the public sees of an incident (the Open311 feed, the public
 * map, the ticket page's text and photo). A resident's report waits (pending)
 * until an operator approves it, with its text as written or edited (a name, a
 * phone number or an insult taken out), with or without its photo, or keeps it
 * off the public pages (private); an alarm's incident is private until an
 * operator publishes it with a public text. Each decision is a timeline line.
 */
export class IncidentPublication {
  private readonly records: IncidentRecords;
  constructor(records: IncidentRecords) {
    this.records = records;
  }

  /** Admins, operators of the OPD it is routed to, and Diskominfo's (who route and moderate unrouted reports). */
  async decide(p: Principal, id: string, input: PublicationInput): Promise<Incident> {
    requireRole(p, 'admin', 'operator');
    const row = await this.records.visible(p, id);
    if (p.role === 'operator' && row.opd_id !== p.opdId && !(await this.records.routes(p))) throw new AppError('FORBIDDEN', 'only an admin, Diskominfo or the OPD it is routed to decides what the public sees');
    const clean = (v: string | null | undefined, max: number, what: string): string | null | undefined => {
      if (v === undefined) return undefined;
      const t = v === null ? '' : v.trim();
      if (t.length > max) throw new AppError('VALIDATION_FAILED', `${what} is longer than ${max} characters`);
      return t === '' ? null : t;
    };
    const publicTitle = clean(input.publicTitle, 200, 'publicTitle');
    const publicText = clean(input.publicText, MAX_TEXT, 'publicText');
    const next = {
      publication: input.publication,
      public_title: publicTitle === undefined ? row.public_title : publicTitle,
      public_text: publicText === undefined ? row.public_text : publicText,
      public_photo: input.publicPhoto === undefined ? row.public_photo : input.publicPhoto ? 1 : 0,
    };
    // An alarm's raw reading is no text for residents: publishing it takes words written for them.
    if (next.publication === 'published' && row.source === 'alarm' && next.public_text === null) {
      throw new AppError('VALIDATION_FAILED', "an alarm's incident is published with a public text written for residents (publicText)");
    }
    const now = this.records.now();
    const patch: Partial<IncidentRow> = { ...next, updated_at: now };
    const changedText = next.public_title !== row.public_title || next.public_text !== row.public_text || next.public_photo !== row.public_photo;
    if (next.publication === row.publication && !changedText) return this.records.get(p, id);
    const kind = next.publication === 'published' ? 'published' : 'withheld';
    const note = next.publication === 'published' ? [next.public_title, next.public_text].filter((x) => x !== null).join('\n') || null : null;
    return this.records.apply(p, row, patch, [this.records.event(row, kind, p.userId, false, note, row.publication, next.publication, now)]);
  }
}
