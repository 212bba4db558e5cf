/**
 * Who may change an initiative, and the lines and plan period initiatives read
 * from the rest of the master plan (whose repository is the only reader of
 * those tables): the same rules as programs: reviewers (admins,
 * BAPPEDA/DISKOMINFO, the implementation team) change everything, an operator
 * the initiatives their OPD leads, a viewer nothing.
 */
import { AppError } from '../../../core/errors.ts';
import type { MpPlansTable, MpProgramsTable } from '../../../platform/db/schema.ts';
import type { Principal } from '../../identity/index.ts';
import type { InitiativeRow } from './initiatives.repository.ts';

/** The master plan's repository, as far as initiatives read it. */
export interface PlanSource {
  allPrograms(regionId: string): Promise<MpProgramsTable[]>;
  plan(regionId: string): Promise<MpPlansTable | undefined>;
}
/** Whether a user reviews everything (the collaboration service answers). */
interface StandingSource { standing(p: Principal): Promise<{ reviewer: boolean }> }

export class InitiativeAccess {
  private readonly standingOf: StandingSource;
  constructor(standingOf: StandingSource) {
    this.standingOf = standingOf;
  }

  async reviewer(p: Principal): Promise<boolean> {
    if (p.role === 'admin') return true;
    if (p.role === 'viewer') return false;
    return (await this.standingOf.standing(p)).reviewer;
  }

  /** An operator edits the initiatives their OPD leads. */
  async requireEditor(p: Principal, leadOpdId: string | null, what: string): Promise<void> {
    if (p.role === 'viewer') throw new AppError('FORBIDDEN', `viewers may not ${what}`);
    if (await this.reviewer(p)) return;
    if (p.opdId === null || leadOpdId !== p.opdId) throw new AppError('FORBIDDEN', `you may ${what} only for initiatives your OPD leads`);
  }

  async requireEditorOf(p: Principal, row: InitiativeRow, what: string): Promise<void> {
    await this.requireEditor(p, row.lead_opd_id, what);
  }
}

const FIELD_WORDS: Record<string, { id: string; en: string }> = {
  startYear: { id: 'Tahun mulai', en: 'Start year' },
  endYear: { id: 'Tahun selesai', en: 'End year' },
  year: { id: 'Tahun', en: 'Year' },
};

/** A year range checked against the plan's period (when the plan has one): `what` names the field in the message. */
export function checkInPeriod(plan: Pick<MpPlansTable, 'period_start' | 'period_end'> | undefined, year: number, what: string): void {
  const start = plan?.period_start ?? null;
  const end = plan?.period_end ?? null;
  if ((start !== null && year < start) || (end !== null && year > end)) {
    const period = `${start ?? '…'}–${end ?? '…'}`;
    const field = FIELD_WORDS[what] ?? { id: 'Tahun', en: 'Year' };
    // The reason in both languages: the person must change the year, so the screen says why in theirs.
    throw new AppError('VALIDATION_FAILED', `${what} ${year} is outside the plan's period ${period}`, {
      field: what,
      reason: { id: `${field.id} ${year} di luar periode rencana induk (${period})`, en: `${field.en} ${year} is outside the plan's period (${period})` },
    });
  }
}
