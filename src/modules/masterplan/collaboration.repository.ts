import type { Kysely, Transaction } from 'kysely';
import type { MpCommitmentsTable, MpMembersTable, Schema } from '../../platform/db/schema.ts';

export type MemberRow = MpMembersTable;
export type CommitmentRow = MpCommitmentsTable;
type Exec = Kysely<Schema> | Transaction<Schema>;

/**
 * Storage of master plan collaboration: the council and the team, and the
 * commitment sheets. (Sessions, comments and the review flow still query in
 * CollaborationService.)
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

  members(regionId: string, exec: Exec = this.db) {
    return exec.selectFrom('mp_members').selectAll().where('region_id', '=', regionId).execute();
  }

  member(regionId: string, userId: string) {
    return this.db.selectFrom('mp_members').selectAll().where('region_id', '=', regionId).where('user_id', '=', userId).executeTakeFirst();
  }

  async replaceMembers(exec: Exec, regionId: string, rows: MemberRow[]): Promise<void> {
    await exec.deleteFrom('mp_members').where('region_id', '=', regionId).execute();
    if (rows.length > 0) await exec.insertInto('mp_members').values(rows).execute();
  }

  // Commitment sheets

  commitments(regionId: string) {
    return this.db.selectFrom('mp_commitments').selectAll().where('region_id', '=', regionId).orderBy('signed_at').orderBy('id').execute();
  }

  commitment(regionId: string, id: string) {
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
}
