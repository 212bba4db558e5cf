/**
 * Collaboration on the master plan: who reviews (admins, the BAPPEDA and
 * DISKOMINFO OPDs, the implementation team), members of the Dewan Smart City and
 * the Tim Pelaksana, and the commitment sheets of the Bupati and each OPD head.
 * FGD sessions and comments are collaboration.discussion.ts, the review flow of
 * programs collaboration.review.ts, the activity log collaboration.activity.ts.
 */
import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import type { FileStore } from '../../../platform/files/index.ts';
import type { IdentityService, Principal } from '../../identity/index.ts';
import type { ActivityLog } from './collaboration.activity.ts';
import type { Commitment, Member, Standing } from './collaboration.contract.ts';
import { acceptUpload, UPLOAD_MAX_BYTES } from './collaboration.files.ts';
import type { CollaborationRepository, CommitmentRow } from './collaboration.repository.ts';

/** OPD codes whose users review the master plan with the admins. */
const REVIEWER_OPD_CODES = ['BAPPEDA', 'DISKOMINFO'];
type MemberRole = Member['role'];
/** What collaboration reads of identity — users and OPDs by id — through its public service, never its tables. */
type IdentityReads = Pick<IdentityService, 'usersByIds' | 'opdsByIds' | 'assertOpd'>;

export class CollaborationService {
  readonly maxUploadBytes: number;
  private readonly repo: CollaborationRepository;
  private readonly identity: IdentityReads;
  readonly activity: ActivityLog;
  private readonly files: FileStore;
  private readonly clock: Clock;
  constructor(repo: CollaborationRepository, identity: IdentityReads, activity: ActivityLog, files: FileStore, clock: Clock, maxUploadBytes = UPLOAD_MAX_BYTES) {
    this.repo = repo;
    this.identity = identity;
    this.activity = activity;
    this.files = files;
    this.clock = clock;
    this.maxUploadBytes = maxUploadBytes;
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
  async requireParticipant(p: Principal, what: string): Promise<Standing> {
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

/** Compares as a binary collation does (SQLite's default; C on PostgreSQL), the order the list had when SQL sorted it. */
function binary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
