/**
 * The review flow of a program: draft → submitted by its OPD → approved, or
 * returned with a reason (kept as a comment). The status is the programs
 * repository's to write; the comment and the log line the collaboration's, in
 * the same transaction.
 */
import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import type { Principal } from '../../identity/index.ts';
import type { ProgramsRepository } from '../programs/programs.repository.ts';
import type { ActivityLog } from './collaboration.activity.ts';
import type { ReviewResult } from './collaboration.contract.ts';
import type { CollaborationRepository } from './collaboration.repository.ts';
import type { CollaborationService } from './collaboration.service.ts';

const REVIEW_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** A stored review status; a value this version does not know reads as a draft. */
const reviewStatusOf = (stored: string): ReviewStatus => REVIEW_STATUSES.find((s) => s === stored) ?? 'draft';

export class ReviewFlow {
  private readonly repo: CollaborationRepository;
  private readonly programs: ProgramsRepository;
  private readonly standing: Pick<CollaborationService, 'standing' | 'requireReviewer'>;
  private readonly activity: ActivityLog;
  private readonly clock: Clock;
  constructor(repo: CollaborationRepository, programs: ProgramsRepository, standing: Pick<CollaborationService, 'standing' | 'requireReviewer'>, activity: ActivityLog, clock: Clock) {
    this.repo = repo;
    this.programs = programs;
    this.standing = standing;
    this.activity = activity;
    this.clock = clock;
  }

  /** The OPD sends its program for review (draft or returned → submitted). */
  async submit(p: Principal, programId: string): Promise<ReviewResult> {
    const standing = await this.standing.standing(p);
    const program = await this.programs.program(p.regionId, programId);
    if (!program) throw new AppError('NOT_FOUND', `no program ${programId} in the master plan`);
    const own = p.role === 'operator' && p.opdId !== null && program.opd_id === p.opdId;
    if (!own && !standing.reviewer) throw new AppError('FORBIDDEN', "only the program's own OPD (or a reviewer) submits it for review");
    return this.transition(p, programId, ['draft', 'returned'], 'submitted', null, 'program.submitted', 'diajukan untuk direviu');
  }

  async approve(p: Principal, programId: string): Promise<ReviewResult> {
    await this.standing.requireReviewer(p, 'approving a program');
    return this.transition(p, programId, ['submitted'], 'approved', null, 'program.approved', 'disetujui');
  }

  async returnProgram(p: Principal, programId: string, reason: string): Promise<ReviewResult> {
    await this.standing.requireReviewer(p, 'returning a program');
    const why = reason.trim();
    if (why === '') throw new AppError('VALIDATION_FAILED', 'give the reason the program is returned');
    return this.transition(p, programId, ['submitted', 'approved'], 'returned', why, 'program.returned', 'dikembalikan');
  }

  private async transition(p: Principal, programId: string, from: ReviewStatus[], to: ReviewStatus, reason: string | null, action: string, verb: string): Promise<ReviewResult> {
    const now = this.clock.now();
    const who = await this.activity.actor(p);
    return this.repo.transaction(async (tx) => {
      const program = await this.programs.program(p.regionId, programId, tx);
      if (!program) throw new AppError('NOT_FOUND', `no program ${programId} in the master plan`);
      const status = reviewStatusOf(program.review_status);
      if (!from.includes(status)) throw new AppError('REVIEW_TRANSITION_INVALID', `the program is ${status}; it can be ${to} only from ${from.join(' or ')}`);
      await this.programs.update(tx, p.regionId, programId, { review_status: to, updated_at: now });
      if (reason !== null) {
        await this.repo.insertComment(tx, { id: newId(), region_id: p.regionId, program_id: programId, section: null, user_id: p.userId, author_name: who.name || p.email, body: `Dikembalikan: ${reason}`, created_at: now, updated_at: now });
      }
      await this.activity.record(p.regionId, who, {
        action,
        entity: 'program',
        entityId: programId,
        summary: `Program ${program.code} ${program.name} ${verb}${reason ? `: ${reason}` : ''}`,
        detail: { from: status, to, ...(reason !== null && { reason }) },
      }, tx);
      return { programId, code: program.code, name: program.name, reviewStatus: to, reason, updatedAt: now };
    });
  }
}
