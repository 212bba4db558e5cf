/** FGD / bimtek sessions and comments on programs and sections of the plan, each change in the activity log. */
import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import type { Principal } from '../../identity/index.ts';
import type { ProgramsRepository } from '../programs/programs.repository.ts';
import { parseJson, type ActivityLog } from './collaboration.activity.ts';
import type { Comment, CommentQuery, Participant, Session } from './collaboration.contract.ts';
import type { CollaborationRepository, CommentRow, SessionRow } from './collaboration.repository.ts';
import type { CollaborationService } from './collaboration.service.ts';

type SessionInput = Omit<Session, 'id' | 'createdAt' | 'updatedAt'>;

export class Discussion {
  private readonly repo: CollaborationRepository;
  private readonly programs: ProgramsRepository;
  private readonly standing: Pick<CollaborationService, 'requireReviewer' | 'requireParticipant'>;
  private readonly activity: ActivityLog;
  private readonly clock: Clock;
  constructor(repo: CollaborationRepository, programs: ProgramsRepository, standing: Pick<CollaborationService, 'requireReviewer' | 'requireParticipant'>, activity: ActivityLog, clock: Clock) {
    this.repo = repo;
    this.programs = programs;
    this.standing = standing;
    this.activity = activity;
    this.clock = clock;
  }

  // ---- FGD / bimtek sessions ----

  async listSessions(p: Principal): Promise<Session[]> {
    return this.sessionsOf(p.regionId);
  }

  /** The region's sessions by round and date (the document reads them without a user). */
  async sessionsOf(regionId: string): Promise<Session[]> {
    return (await this.repo.sessions(regionId)).map(toSession);
  }

  async createSession(p: Principal, input: SessionInput): Promise<Session> {
    await this.standing.requireReviewer(p, 'recording an FGD session');
    const now = this.clock.now();
    const id = newId();
    const who = await this.activity.actor(p);
    await this.repo.transaction(async (tx) => {
      await this.repo.insertSession(tx, {
          id,
          region_id: p.regionId,
          round: input.round,
          date: input.date,
          title: input.title,
          place: input.place,
          participants: JSON.stringify(input.participants),
          notes: input.notes,
          decisions: JSON.stringify(input.decisions),
          created_by: p.userId,
          created_at: now,
          updated_at: now,
        });
      await this.activity.record(p.regionId, who, { action: 'session.created', entity: 'session', entityId: id, summary: `FGD/bimtek putaran ${input.round}: ${input.title}` }, tx);
    });
    return this.getSession(p, id);
  }

  async getSession(p: Principal, id: string): Promise<Session> {
    const row = await this.repo.session(p.regionId, id);
    if (!row) throw new AppError('NOT_FOUND', `no FGD session ${id}`);
    return toSession(row);
  }

  async updateSession(p: Principal, id: string, patch: Partial<SessionInput>): Promise<Session> {
    await this.standing.requireReviewer(p, 'changing an FGD session');
    const current = await this.getSession(p, id);
    const next = { ...current, ...patch };
    const who = await this.activity.actor(p);
    await this.repo.transaction(async (tx) => {
      await this.repo.updateSession(tx, id, {
          round: next.round,
          date: next.date,
          title: next.title,
          place: next.place,
          participants: JSON.stringify(next.participants),
          notes: next.notes,
          decisions: JSON.stringify(next.decisions),
          updated_at: this.clock.now(),
        });
      await this.activity.record(p.regionId, who, { action: 'session.updated', entity: 'session', entityId: id, summary: `FGD/bimtek putaran ${next.round} diubah: ${next.title}`, detail: { fields: Object.keys(patch) } }, tx);
    });
    return this.getSession(p, id);
  }

  async deleteSession(p: Principal, id: string): Promise<void> {
    await this.standing.requireReviewer(p, 'deleting an FGD session');
    const current = await this.getSession(p, id);
    const who = await this.activity.actor(p);
    await this.repo.transaction(async (tx) => {
      await this.repo.deleteSession(tx, id);
      await this.activity.record(p.regionId, who, { action: 'session.deleted', entity: 'session', entityId: id, summary: `FGD/bimtek putaran ${current.round} dihapus: ${current.title}` }, tx);
    });
  }

  // ---- comments ----

  async listComments(p: Principal, filter: CommentQuery): Promise<Comment[]> {
    return (await this.repo.comments(p.regionId, filter)).map((r) => toComment(r, p.userId));
  }

  async addComment(p: Principal, input: { programId?: string | null; section?: string | null; body: string }): Promise<Comment> {
    await this.standing.requireParticipant(p, 'comment');
    const programId = input.programId ?? null;
    const section = input.section ?? null;
    if ((programId === null) === (section === null)) throw new AppError('VALIDATION_FAILED', 'a comment is on a program (programId) or on a section of the plan (section), one of the two');
    const body = input.body.trim();
    if (body === '') throw new AppError('VALIDATION_FAILED', 'the comment is empty');
    let about = `bagian ${section}`;
    if (programId) {
      const program = await this.programs.program(p.regionId, programId);
      if (!program) throw new AppError('NOT_FOUND', `no program ${programId} in the master plan`);
      about = `program ${program.code} ${program.name}`;
    }
    const id = newId();
    const now = this.clock.now();
    const who = await this.activity.actor(p);
    await this.repo.transaction(async (tx) => {
      await this.repo.insertComment(tx, { id, region_id: p.regionId, program_id: programId, section, user_id: p.userId, author_name: who.name || p.email, body, created_at: now, updated_at: now });
      await this.activity.record(p.regionId, who, { action: 'comment.created', entity: programId ? 'program' : 'section', entityId: programId ?? section, summary: `Komentar pada ${about}` }, tx);
    });
    return this.comment(p, id);
  }

  private async comment(p: Principal, id: string): Promise<Comment> {
    const row = await this.repo.comment(p.regionId, id);
    if (!row) throw new AppError('NOT_FOUND', `no comment ${id}`);
    return toComment(row, p.userId);
  }

  async editComment(p: Principal, id: string, body: string): Promise<Comment> {
    const current = await this.comment(p, id);
    if (current.userId !== p.userId) throw new AppError('FORBIDDEN', 'only its author edits a comment');
    const text = body.trim();
    if (text === '') throw new AppError('VALIDATION_FAILED', 'the comment is empty');
    const who = await this.activity.actor(p);
    await this.repo.transaction(async (tx) => {
      await this.repo.updateComment(tx, id, text, this.clock.now());
      await this.activity.record(p.regionId, who, { action: 'comment.updated', entity: current.programId ? 'program' : 'section', entityId: current.programId ?? current.section, summary: 'Komentar diubah' }, tx);
    });
    return this.comment(p, id);
  }

  async deleteComment(p: Principal, id: string): Promise<void> {
    const current = await this.comment(p, id);
    if (current.userId !== p.userId && p.role !== 'admin') throw new AppError('FORBIDDEN', 'only its author or an admin deletes a comment');
    const who = await this.activity.actor(p);
    await this.repo.transaction(async (tx) => {
      await this.repo.deleteComment(tx, id);
      await this.activity.record(p.regionId, who, { action: 'comment.deleted', entity: current.programId ? 'program' : 'section', entityId: current.programId ?? current.section, summary: 'Komentar dihapus' }, tx);
    });
  }
}

function toSession(r: SessionRow): Session {
  return {
    id: r.id,
    round: r.round,
    date: Number(r.date),
    title: r.title,
    place: r.place,
    participants: parseJson<Participant[]>(r.participants, []),
    notes: r.notes,
    decisions: parseJson<string[]>(r.decisions, []),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function toComment(r: CommentRow, me: string): Comment {
  return { id: r.id, programId: r.program_id, section: r.section, userId: r.user_id, authorName: r.author_name, body: r.body, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at), mine: r.user_id === me };
}
