import type { Kysely, Transaction } from 'kysely';
import type { MpActivityTable, MpCommentsTable, MpCommitmentsTable, MpMembersTable, MpSessionsTable, Schema } from '../../../platform/db/schema.ts';

type MemberRow = MpMembersTable;
export type CommitmentRow = MpCommitmentsTable;
export type SessionRow = MpSessionsTable;
export type CommentRow = MpCommentsTable;
type ActivityRow = MpActivityTable;
/** the database, or a transaction another repository's writes share */
export type Exec = Kysely<Schema>;

/**
 * Storage of master plan collaboration, the only reader and writer of its tables:
 * the council and the team (mp_members), FGD sessions (mp_sessions), comments
 * (mp_comments), commitment sheets (mp_commitments) and the activity log (mp_activity).
 */
export class CollaborationRepository {
  private readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  transaction<T>(work: (tx: Transaction<Schema>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // Members (Dewan Smart City, Tim Pelaksana)

  members(regionId: string, exec: Exec = this.db): Promise<MemberRow[]> {
    return exec.selectFrom('mp_members').selectAll().where('region_id', '=', regionId).execute();
  }

  member(regionId: string, userId: string): Promise<MemberRow | undefined> {
    return this.db.selectFrom('mp_members').selectAll().where('region_id', '=', regionId).where('user_id', '=', userId).executeTakeFirst();
  }

  async replaceMembers(exec: Exec, regionId: string, rows: MemberRow[]): Promise<void> {
    await exec.deleteFrom('mp_members').where('region_id', '=', regionId).execute();
    if (rows.length > 0) await exec.insertInto('mp_members').values(rows).execute();
  }

  // FGD / bimtek sessions

  /** By round and date. */
  sessions(regionId: string): Promise<SessionRow[]> {
    return this.db.selectFrom('mp_sessions').selectAll().where('region_id', '=', regionId).orderBy('round').orderBy('date').execute();
  }

  session(regionId: string, id: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('mp_sessions').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  async insertSession(exec: Exec, row: SessionRow): Promise<void> {
    await exec.insertInto('mp_sessions').values(row).execute();
  }

  async updateSession(exec: Exec, id: string, set: Partial<SessionRow>): Promise<void> {
    await exec.updateTable('mp_sessions').set(set).where('id', '=', id).execute();
  }

  async deleteSession(exec: Exec, id: string): Promise<void> {
    await exec.deleteFrom('mp_sessions').where('id', '=', id).execute();
  }

  // Comments

  /** Oldest first, at most 1,000. */
  comments(regionId: string, filter: { programId?: string; section?: string }): Promise<CommentRow[]> {
    let q = this.db.selectFrom('mp_comments').selectAll().where('region_id', '=', regionId);
    if (filter.programId) q = q.where('program_id', '=', filter.programId);
    if (filter.section) q = q.where('section', '=', filter.section);
    return q.orderBy('created_at').orderBy('id').limit(1000).execute();
  }

  comment(regionId: string, id: string): Promise<CommentRow | undefined> {
    return this.db.selectFrom('mp_comments').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  async insertComment(exec: Exec, row: CommentRow): Promise<void> {
    await exec.insertInto('mp_comments').values(row).execute();
  }

  async updateComment(exec: Exec, id: string, body: string, updatedAt: number): Promise<void> {
    await exec.updateTable('mp_comments').set({ body, updated_at: updatedAt }).where('id', '=', id).execute();
  }

  async deleteComment(exec: Exec, id: string): Promise<void> {
    await exec.deleteFrom('mp_comments').where('id', '=', id).execute();
  }

  // Commitment sheets

  commitments(regionId: string): Promise<CommitmentRow[]> {
    return this.db.selectFrom('mp_commitments').selectAll().where('region_id', '=', regionId).orderBy('signed_at').orderBy('id').execute();
  }

  commitment(regionId: string, id: string): Promise<CommitmentRow | undefined> {
    return this.db.selectFrom('mp_commitments').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  async insertCommitment(exec: Exec, row: CommitmentRow): Promise<void> {
    await exec.insertInto('mp_commitments').values(row).execute();
  }

  async deleteCommitment(exec: Exec, regionId: string, id: string): Promise<void> {
    await exec.deleteFrom('mp_commitments').where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  async setCommitmentFile(exec: Exec, regionId: string, id: string, file: { key: string; contentType: string; bytes: number }, now: number): Promise<void> {
    await exec
      .updateTable('mp_commitments')
      .set({ file_key: file.key, file_type: file.contentType, file_bytes: file.bytes, updated_at: now })
      .where('region_id', '=', regionId)
      .where('id', '=', id)
      .execute();
  }

  // Activity log

  async insertActivity(row: ActivityRow, exec: Exec = this.db): Promise<void> {
    await exec.insertInto('mp_activity').values(row).execute();
  }

  /** Newest first; `after` is the last row of the previous page. */
  activity(regionId: string, limit: number, after: { at: number; id: string } | null, filter: { entity?: string; entityId?: string }): Promise<ActivityRow[]> {
    let q = this.db.selectFrom('mp_activity').selectAll().where('region_id', '=', regionId);
    if (filter.entity) q = q.where('entity', '=', filter.entity);
    if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
    if (after) q = q.where((eb) => eb.or([eb('created_at', '<', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)])]));
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  }
}
