/**
 * Collaboration on the master plan: who reviews (admins, the BAPPEDA and
 * DISKOMINFO OPDs, the implementation team), members of the Dewan Smart City and
 * the Tim Pelaksana, FGD / bimtek sessions, comments, the review flow of
 * programs (draft → submitted by the OPD → approved, or returned with a reason),
 * the commitment sheets of the Bupati and each OPD head, and the activity log of
 * every change of the master plan.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId, sortableId } from '../../core/ids.ts';
import { decodeCursor, encodeCursor, type Page } from '../../core/paging.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { FileStore } from '../../platform/files/index.ts';
import type { IdentityService, Principal } from '../identity/index.ts';
import { acceptUpload, UPLOAD_MAX_BYTES } from './collaboration.files.ts';
import { CollaborationRepository, type CommitmentRow } from './collaboration.repository.ts';

/** OPD codes whose users review the master plan with the admins. */
export const REVIEWER_OPD_CODES = ['BAPPEDA', 'DISKOMINFO'];
export const MEMBER_ROLES = ['council', 'team'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const REVIEW_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

type Db = Kysely<Schema>;
type Exec = Kysely<Schema> | Transaction<Schema>;
/** What collaboration reads of identity — users and OPDs by id — through its public service, never its tables. */
export type IdentityReads = Pick<IdentityService, 'usersByIds' | 'opdsByIds' | 'assertOpd'>;

/**
 * Who made a change, with the name the log keeps (their name, else their email;
 * null when the user is gone). Resolved before a transaction opens: the users are
 * identity's, read outside the transaction (SQLite has one connection).
 */
export interface Actor { userId: string; name: string | null }

export interface Standing {
  /** admin, a (non-viewer) user of BAPPEDA/DISKOMINFO, or a member of the implementation team */
  reviewer: boolean;
  member: MemberRole | null;
  opdCode: string | null;
}

export interface Member { userId: string; name: string; email: string; role: MemberRole; userRole: string; position: string | null; opdId: string | null; since: number }
export interface Participant { name: string; opd: string }
export interface FgdSession { id: string; round: number; date: number; title: string; place: string; participants: Participant[]; notes: string; decisions: string[]; createdAt: number; updatedAt: number }
export interface Comment { id: string; programId: string | null; section: string | null; userId: string | null; authorName: string; body: string; createdAt: number; updatedAt: number; mine: boolean }
export interface Commitment { id: string; signerName: string; position: string; opdId: string | null; opdCode: string | null; signedAt: number; note: string; file: { contentType: string; bytes: number; url: string } | null; createdAt: number }
export interface Activity { id: string; userId: string | null; userName: string | null; action: string; entity: string; entityId: string | null; summary: string; detail: unknown; at: number }
export interface ReviewResult { programId: string; code: string; name: string; reviewStatus: ReviewStatus; reason: string | null; updatedAt: number }

export interface ActivityInput { action: string; entity: string; entityId?: string | null; summary: string; detail?: unknown }

/** The activity log: every change of the master plan, who, what and when. */
export class ActivityLog {
  private readonly db: Db;
  private readonly identity: Pick<IdentityReads, 'usersByIds'>;
  private readonly clock: Clock;
  constructor(db: Db, identity: Pick<IdentityReads, 'usersByIds'>, clock: Clock) {
    this.db = db;
    this.identity = identity;
    this.clock = clock;
  }

  /** The user as the log names them; call it before opening the transaction that records. */
  async actor(p: { regionId: string; userId: string }): Promise<Actor> {
    const [u] = await this.identity.usersByIds(p.regionId, [p.userId]);
    return { userId: p.userId, name: u ? u.name || u.email : null };
  }

  async record(regionId: string, who: Actor | null, entry: ActivityInput, exec: Exec = this.db): Promise<void> {
    await exec
      .insertInto('mp_activity')
      .values({
        id: sortableId(),
        region_id: regionId,
        user_id: who?.userId ?? null,
        user_name: who?.name ?? null,
        action: entry.action.slice(0, 100),
        entity: entry.entity.slice(0, 100),
        entity_id: entry.entityId ?? null,
        summary: entry.summary.slice(0, 1000),
        detail: JSON.stringify(entry.detail ?? {}),
        created_at: this.clock.now(),
      })
      .execute();
  }

  async list(regionId: string, limit: number, cursor?: string, filter: { entity?: string; entityId?: string } = {}): Promise<Page<Activity>> {
    const after = decodeCursor(cursor);
    let q = this.db.selectFrom('mp_activity').selectAll().where('region_id', '=', regionId);
    if (filter.entity) q = q.where('entity', '=', filter.entity);
    if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
    if (after) q = q.where((eb) => eb.or([eb('created_at', '<', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)])]));
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    const last = kept[kept.length - 1];
    return {
      items: kept.map((r) => ({
        id: r.id,
        userId: r.user_id,
        userName: r.user_name,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        summary: r.summary,
        detail: parseJson(r.detail, {}),
        at: Number(r.created_at),
      })),
      nextCursor: more && last ? encodeCursor({ at: Number(last.created_at), id: last.id }) : null,
    };
  }
}

export class CollaborationService {
  readonly maxUploadBytes: number;
  private readonly repo: CollaborationRepository;

  private readonly db: Db;
  private readonly identity: IdentityReads;
  readonly activity: ActivityLog;
  private readonly files: FileStore;
  private readonly clock: Clock;
  constructor(db: Db, identity: IdentityReads, activity: ActivityLog, files: FileStore, clock: Clock, maxUploadBytes = UPLOAD_MAX_BYTES) {
    this.db = db;
    this.identity = identity;
    this.activity = activity;
    this.files = files;
    this.clock = clock;
    this.maxUploadBytes = maxUploadBytes;
    this.repo = new CollaborationRepository(db);
  }

  /** Where the user stands in the master plan work. */
  async standing(p: Principal): Promise<Standing> {
    const member = await this.repo.member(p.regionId, p.userId);
    const [opd] = p.opdId ? await this.identity.opdsByIds(p.regionId, [p.opdId]) : [];
    const opdCode = opd?.code ?? null;
    const reviewerOpd = p.role !== 'viewer' && opdCode !== null && REVIEWER_OPD_CODES.includes(opdCode.toUpperCase());
    return { reviewer: p.role === 'admin' || reviewerOpd || member?.role === 'team', member: member?.role ?? null, opdCode };
  }

  async requireReviewer(p: Principal, what: string): Promise<Standing> {
    const s = await this.standing(p);
    if (!s.reviewer) throw new AppError('FORBIDDEN', `${what} is for admins, BAPPEDA/DISKOMINFO and the implementation team (Tim Pelaksana)`);
    return s;
  }

  /** Anyone but a plain viewer may take part; a viewer who sits on the council or team may too. */
  private async requireParticipant(p: Principal, what: string): Promise<Standing> {
    const s = await this.standing(p);
    if (p.role === 'viewer' && s.member === null) throw new AppError('FORBIDDEN', `viewers may read but not ${what}`);
    return s;
  }

  // ---- members ----

  /** By role, then name. */
  async listMembers(p: Principal): Promise<Member[]> {
    const rows = await this.repo.members(p.regionId);
    const users = new Map((await this.identity.usersByIds(p.regionId, rows.map((r) => r.user_id))).map((u) => [u.id, u]));
    return rows
      .flatMap((r) => {
        const u = users.get(r.user_id);
        return u ? [{ userId: r.user_id, name: u.name, email: u.email, role: r.role, userRole: u.role, position: u.position ?? null, opdId: u.opdId, since: Number(r.created_at) }] : [];
      })
      .sort((a, b) => binary(a.role, b.role) || binary(a.name, b.name) || binary(a.userId, b.userId));
  }

  /** Replaces the council and team (admin). */
  async setMembers(p: Principal, members: { userId: string; role: MemberRole }[]): Promise<Member[]> {
    if (p.role !== 'admin') throw new AppError('FORBIDDEN', 'only an admin sets the council and the implementation team');
    const seen = new Set<string>();
    for (const m of members) {
      if (seen.has(m.userId)) throw new AppError('VALIDATION_FAILED', `user ${m.userId} is listed twice`);
      seen.add(m.userId);
    }
    if (members.length > 0) {
      const found = new Set((await this.identity.usersByIds(p.regionId, members.map((m) => m.userId))).map((u) => u.id));
      const missing = members.find((m) => !found.has(m.userId));
      if (missing) throw new AppError('USER_NOT_FOUND', `no user ${missing.userId} in this region`);
    }
    const now = this.clock.now();
    const who = await this.activity.actor(p);
    await this.repo.transaction(async (tx) => {
      // A member who keeps their role keeps the date they joined.
      const before = await this.repo.members(p.regionId, tx);
      await this.repo.replaceMembers(tx, p.regionId, members.map((m) => {
        const old = before.find((b) => b.user_id === m.userId);
        return { region_id: p.regionId, user_id: m.userId, role: m.role, created_at: old && old.role === m.role ? Number(old.created_at) : now };
      }));
      const council = members.filter((m) => m.role === 'council').length;
      await this.activity.record(p.regionId, who, {
        action: 'members.set',
        entity: 'members',
        summary: `Dewan Smart City: ${council} anggota, Tim Pelaksana: ${members.length - council} anggota`,
        detail: { members },
      }, tx);
    });
    return this.listMembers(p);
  }

  // ---- FGD / bimtek sessions ----

  async listSessions(p: Principal): Promise<FgdSession[]> {
    return this.sessionsOf(p.regionId);
  }

  /** The region's sessions by round and date (the document reads them without a user). */
  async sessionsOf(regionId: string): Promise<FgdSession[]> {
    const rows = await this.db.selectFrom('mp_sessions').selectAll().where('region_id', '=', regionId).orderBy('round').orderBy('date').execute();
    return rows.map(toSession);
  }

  async createSession(p: Principal, input: Omit<FgdSession, 'id' | 'createdAt' | 'updatedAt'>): Promise<FgdSession> {
    await this.requireReviewer(p, 'recording an FGD session');
    const now = this.clock.now();
    const id = newId();
    const who = await this.activity.actor(p);
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('mp_sessions')
        .values({
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
        })
        .execute();
      await this.activity.record(p.regionId, who, { action: 'session.created', entity: 'session', entityId: id, summary: `FGD/bimtek putaran ${input.round}: ${input.title}` }, tx);
    });
    return this.getSession(p, id);
  }

  async getSession(p: Principal, id: string): Promise<FgdSession> {
    const row = await this.db.selectFrom('mp_sessions').selectAll().where('region_id', '=', p.regionId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', `no FGD session ${id}`);
    return toSession(row);
  }

  async updateSession(p: Principal, id: string, patch: Partial<Omit<FgdSession, 'id' | 'createdAt' | 'updatedAt'>>): Promise<FgdSession> {
    await this.requireReviewer(p, 'changing an FGD session');
    const current = await this.getSession(p, id);
    const next = { ...current, ...patch };
    const who = await this.activity.actor(p);
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('mp_sessions')
        .set({
          round: next.round,
          date: next.date,
          title: next.title,
          place: next.place,
          participants: JSON.stringify(next.participants),
          notes: next.notes,
          decisions: JSON.stringify(next.decisions),
          updated_at: this.clock.now(),
        })
        .where('id', '=', id)
        .execute();
      await this.activity.record(p.regionId, who, { action: 'session.updated', entity: 'session', entityId: id, summary: `FGD/bimtek putaran ${next.round} diubah: ${next.title}`, detail: { fields: Object.keys(patch) } }, tx);
    });
    return this.getSession(p, id);
  }

  async deleteSession(p: Principal, id: string): Promise<void> {
    await this.requireReviewer(p, 'deleting an FGD session');
    const current = await this.getSession(p, id);
    const who = await this.activity.actor(p);
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('mp_sessions').where('id', '=', id).execute();
      await this.activity.record(p.regionId, who, { action: 'session.deleted', entity: 'session', entityId: id, summary: `FGD/bimtek putaran ${current.round} dihapus: ${current.title}` }, tx);
    });
  }

  // ---- comments ----

  async listComments(p: Principal, filter: { programId?: string; section?: string }): Promise<Comment[]> {
    let q = this.db.selectFrom('mp_comments').selectAll().where('region_id', '=', p.regionId);
    if (filter.programId) q = q.where('program_id', '=', filter.programId);
    if (filter.section) q = q.where('section', '=', filter.section);
    const rows = await q.orderBy('created_at').orderBy('id').limit(1000).execute();
    return rows.map((r) => toComment(r, p.userId));
  }

  async addComment(p: Principal, input: { programId?: string | null; section?: string | null; body: string }): Promise<Comment> {
    await this.requireParticipant(p, 'comment');
    const programId = input.programId ?? null;
    const section = input.section ?? null;
    if ((programId === null) === (section === null)) throw new AppError('VALIDATION_FAILED', 'a comment is on a program (programId) or on a section of the plan (section), one of the two');
    const body = input.body.trim();
    if (body === '') throw new AppError('VALIDATION_FAILED', 'the comment is empty');
    let about = `bagian ${section}`;
    if (programId) {
      const program = await this.program(p.regionId, programId);
      about = `program ${program.code} ${program.name}`;
    }
    const id = newId();
    const now = this.clock.now();
    const who = await this.activity.actor(p);
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('mp_comments')
        .values({ id, region_id: p.regionId, program_id: programId, section, user_id: p.userId, author_name: who.name || p.email, body, created_at: now, updated_at: now })
        .execute();
      await this.activity.record(p.regionId, who, { action: 'comment.created', entity: programId ? 'program' : 'section', entityId: programId ?? section, summary: `Komentar pada ${about}` }, tx);
    });
    return this.comment(p, id);
  }

  private async comment(p: Principal, id: string): Promise<Comment> {
    const row = await this.db.selectFrom('mp_comments').selectAll().where('region_id', '=', p.regionId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', `no comment ${id}`);
    return toComment(row, p.userId);
  }

  async editComment(p: Principal, id: string, body: string): Promise<Comment> {
    const current = await this.comment(p, id);
    if (current.userId !== p.userId) throw new AppError('FORBIDDEN', 'only its author edits a comment');
    const text = body.trim();
    if (text === '') throw new AppError('VALIDATION_FAILED', 'the comment is empty');
    const who = await this.activity.actor(p);
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('mp_comments').set({ body: text, updated_at: this.clock.now() }).where('id', '=', id).execute();
      await this.activity.record(p.regionId, who, { action: 'comment.updated', entity: current.programId ? 'program' : 'section', entityId: current.programId ?? current.section, summary: 'Komentar diubah' }, tx);
    });
    return this.comment(p, id);
  }

  async deleteComment(p: Principal, id: string): Promise<void> {
    const current = await this.comment(p, id);
    if (current.userId !== p.userId && p.role !== 'admin') throw new AppError('FORBIDDEN', 'only its author or an admin deletes a comment');
    const who = await this.activity.actor(p);
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('mp_comments').where('id', '=', id).execute();
      await this.activity.record(p.regionId, who, { action: 'comment.deleted', entity: current.programId ? 'program' : 'section', entityId: current.programId ?? current.section, summary: 'Komentar dihapus' }, tx);
    });
  }

  // ---- review flow ----

  private async program(regionId: string, id: string, exec: Exec = this.db) {
    const row = await exec.selectFrom('mp_programs').select(['id', 'opd_id', 'code', 'name', 'review_status']).where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', `no program ${id} in the master plan`);
    return row;
  }

  /** The OPD sends its program for review (draft or returned → submitted). */
  async submit(p: Principal, programId: string): Promise<ReviewResult> {
    const standing = await this.standing(p);
    const program = await this.program(p.regionId, programId);
    const own = p.role === 'operator' && p.opdId !== null && program.opd_id === p.opdId;
    if (!own && !standing.reviewer) throw new AppError('FORBIDDEN', "only the program's own OPD (or a reviewer) submits it for review");
    return this.transition(p, programId, ['draft', 'returned'], 'submitted', null, 'program.submitted', 'diajukan untuk direviu');
  }

  async approve(p: Principal, programId: string): Promise<ReviewResult> {
    await this.requireReviewer(p, 'approving a program');
    return this.transition(p, programId, ['submitted'], 'approved', null, 'program.approved', 'disetujui');
  }

  async returnProgram(p: Principal, programId: string, reason: string): Promise<ReviewResult> {
    await this.requireReviewer(p, 'returning a program');
    const why = reason.trim();
    if (why === '') throw new AppError('VALIDATION_FAILED', 'give the reason the program is returned');
    return this.transition(p, programId, ['submitted', 'approved'], 'returned', why, 'program.returned', 'dikembalikan');
  }

  private async transition(p: Principal, programId: string, from: ReviewStatus[], to: ReviewStatus, reason: string | null, action: string, verb: string): Promise<ReviewResult> {
    const now = this.clock.now();
    const who = await this.activity.actor(p);
    return this.db.transaction().execute(async (tx) => {
      const program = await this.program(p.regionId, programId, tx);
      const status = reviewStatusOf(program.review_status);
      if (!from.includes(status)) throw new AppError('REVIEW_TRANSITION_INVALID', `the program is ${status}; it can be ${to} only from ${from.join(' or ')}`);
      await tx.updateTable('mp_programs').set({ review_status: to, updated_at: now }).where('id', '=', programId).where('region_id', '=', p.regionId).execute();
      if (reason !== null) {
        await tx
          .insertInto('mp_comments')
          .values({ id: newId(), region_id: p.regionId, program_id: programId, section: null, user_id: p.userId, author_name: who.name || p.email, body: `Dikembalikan: ${reason}`, created_at: now, updated_at: now })
          .execute();
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

  // ---- commitment sheets ----

  async listCommitments(p: Principal): Promise<Commitment[]> {
    return this.commitmentsOf(p.regionId);
  }

  /** The region's commitment sheets (the master plan records link appendices to their scans; the export reads them without a user). */
  async commitmentsOf(regionId: string): Promise<Commitment[]> {
    const rows = await this.repo.commitments(regionId);
    const opdIds = rows.flatMap((r) => (r.opd_id ? [r.opd_id] : []));
    const codes = new Map((await this.identity.opdsByIds(regionId, opdIds)).map((o) => [o.id, o.code]));
    return rows.map((r) => toCommitment(r, r.opd_id ? codes.get(r.opd_id) ?? null : null));
  }

  async getCommitment(p: Principal, id: string): Promise<Commitment> {
    const found = (await this.listCommitments(p)).find((c) => c.id === id);
    if (!found) throw new AppError('NOT_FOUND', `no commitment sheet ${id}`);
    return found;
  }

  async createCommitment(p: Principal, input: { signerName: string; position: string; opdId: string | null; signedAt: number; note: string }): Promise<Commitment> {
    await this.requireReviewer(p, 'recording a commitment sheet');
    if (input.opdId) await this.identity.assertOpd(p.regionId, input.opdId);
    const id = newId();
    const now = this.clock.now();
    const who = await this.activity.actor(p);
    await this.repo.transaction(async (tx) => {
      await this.repo.insertCommitment(tx, { id, region_id: p.regionId, signer_name: input.signerName, position: input.position, opd_id: input.opdId, signed_at: input.signedAt, note: input.note, file_key: null, file_type: null, file_bytes: null, created_by: p.userId, created_at: now, updated_at: now });
      await this.activity.record(p.regionId, who, { action: 'commitment.created', entity: 'commitment', entityId: id, summary: `Lembar komitmen ${input.position} (${input.signerName}) dicatat` }, tx);
    });
    return this.getCommitment(p, id);
  }

  async deleteCommitment(p: Principal, id: string): Promise<void> {
    await this.requireReviewer(p, 'deleting a commitment sheet');
    const current = await this.getCommitment(p, id);
    const row = await this.repo.commitment(p.regionId, id);
    const who = await this.activity.actor(p);
    await this.repo.transaction(async (tx) => {
      await this.repo.deleteCommitment(tx, p.regionId, id);
      await this.activity.record(p.regionId, who, { action: 'commitment.deleted', entity: 'commitment', entityId: id, summary: `Lembar komitmen ${current.position} (${current.signerName}) dihapus` }, tx);
    });
    if (row?.file_key) await this.files.delete(row.file_key);
  }

  /** The scanned sheet: stored under DATA_DIR, its type read from its bytes. */
  async attachCommitmentFile(p: Principal, id: string, bytes: Buffer): Promise<Commitment> {
    await this.requireReviewer(p, 'uploading a commitment sheet');
    const current = await this.getCommitment(p, id);
    const type = acceptUpload(bytes, this.maxUploadBytes, 'scanned commitment sheet');
    const key = `commitments/${id}-${Date.now().toString(36)}.${type.ext}`;
    const old = await this.repo.commitment(p.regionId, id);
    const who = await this.activity.actor(p);
    await this.files.put(key, bytes);
    try {
      await this.repo.transaction(async (tx) => {
        await this.repo.setCommitmentFile(tx, p.regionId, id, { key, contentType: type.contentType, bytes: bytes.length }, this.clock.now());
        await this.activity.record(p.regionId, who, { action: 'commitment.file', entity: 'commitment', entityId: id, summary: `Pindaian lembar komitmen ${current.position} diunggah`, detail: { contentType: type.contentType, bytes: bytes.length } }, tx);
      });
    } catch (error) {
      await this.files.delete(key);
      throw error;
    }
    if (old?.file_key && old.file_key !== key) await this.files.delete(old.file_key);
    return this.getCommitment(p, id);
  }

  async commitmentFile(p: Principal, id: string): Promise<{ data: Buffer; contentType: string; filename: string }> {
    const row = await this.repo.commitment(p.regionId, id);
    if (!row) throw new AppError('NOT_FOUND', `no commitment sheet ${id}`);
    const data = row.file_key ? await this.files.get(row.file_key) : null;
    if (!row.file_key || !data) throw new AppError('NOT_FOUND', 'this commitment sheet has no scanned file');
    return { data, contentType: row.file_type ?? 'application/octet-stream', filename: `komitmen-${id.slice(0, 8)}.${row.file_key.split('.').pop()}` };
  }
}

export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Compares as a binary collation does (SQLite's default; C on PostgreSQL), the order the list had when SQL sorted it. */
function binary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toSession(r: Schema['mp_sessions']): FgdSession {
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

function toComment(r: Schema['mp_comments'], me: string): Comment {
  return { id: r.id, programId: r.program_id, section: r.section, userId: r.user_id, authorName: r.author_name, body: r.body, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at), mine: r.user_id === me };
}

function toCommitment(r: CommitmentRow, opdCode: string | null): Commitment {
  return {
    id: r.id,
    signerName: r.signer_name,
    position: r.position,
    opdId: r.opd_id,
    opdCode,
    signedAt: Number(r.signed_at),
    note: r.note,
    file: r.file_key ? { contentType: r.file_type ?? 'application/octet-stream', bytes: Number(r.file_bytes ?? 0), url: `/api/v1/masterplan/commitments/${r.id}/file` } : null,
    createdAt: Number(r.created_at),
  };
}

/**
 * MP-CORE's changes (plan, readiness, programs, KPIs) reach the activity log
 * through the bus event `masterplan.changed`, when it publishes one:
 * { regionId, userId?, action?, entity?, entityId?, summary?, detail? }.
 */
export function listenForMasterplanChanges(bus: Pick<EventBus, 'subscribe'>, log: ActivityLog, onError: (error: unknown) => void): () => void {
  // localOnly: with NATS every instance hears the event; the one that published it writes the line.
  return bus.subscribe('masterplan.changed', (change) => {
    const text = (v: string, fallback: string) => (v !== '' ? v : fallback);
    const { regionId, userId } = change;
    (userId === null ? Promise.resolve(null) : log.actor({ regionId, userId }))
      .then((who) => log.record(regionId, who, {
        action: text(change.action, 'masterplan.changed'),
        entity: text(change.entity, 'masterplan'),
        entityId: change.entityId,
        summary: text(change.summary, text(change.action, 'Masterplan diubah')),
        detail: change.detail ?? {},
      }))
      .catch(onError);
  }, { localOnly: true });
}

/** A stored review status; a value this version does not know reads as a draft. */
function reviewStatusOf(stored: string): ReviewStatus {
  return (REVIEW_STATUSES as readonly string[]).includes(stored) ? (stored as ReviewStatus) : 'draft';
}
