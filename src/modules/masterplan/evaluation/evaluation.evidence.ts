/** Evidence files of the evaluation's items: uploaded (type read from the bytes), read, removed. */
import { createHash } from 'node:crypto';
import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import type { FileStore } from '../../../platform/files/index.ts';
import type { Principal } from '../../identity/index.ts';
import { acceptUpload, safeFilename } from '../collaboration/collaboration.files.ts';
import type { ActivityLog, CollaborationService } from '../collaboration/index.ts';
import type { EvidenceFile } from './evaluation.contract.ts';
import type { EvaluationRepository } from './evaluation.repository.ts';

export const evidenceUrl = (id: string) => `/api/v1/masterplan/evaluation/evidence/${id}`;

export class EvaluationEvidence {
  readonly maxUploadBytes: number;
  private readonly repo: EvaluationRepository;
  private readonly collab: CollaborationService;
  private readonly activity: ActivityLog;
  private readonly files: FileStore;
  private readonly clock: Clock;
  constructor(repo: EvaluationRepository, collab: CollaborationService, activity: ActivityLog, files: FileStore, clock: Clock, maxUploadBytes: number) {
    this.repo = repo;
    this.collab = collab;
    this.activity = activity;
    this.files = files;
    this.clock = clock;
    this.maxUploadBytes = maxUploadBytes;
  }

  async add(p: Principal, year: number, itemId: string, bytes: Buffer, filename: string | undefined): Promise<EvidenceFile> {
    const standing = await this.collab.standing(p);
    if (!standing.reviewer && p.role !== 'operator') throw new AppError('FORBIDDEN', 'viewers may read but not upload evidence');
    const item = await this.repo.item(p.regionId, year, itemId);
    if (!item) throw new AppError('NOT_FOUND', `no evaluation item ${itemId} in ${year}`);
    const type = acceptUpload(bytes, this.maxUploadBytes, 'evidence file');
    const id = newId();
    const key = `evidence/${year}/${id}.${type.ext}`;
    const name = safeFilename(filename, `bukti-${id.slice(0, 8)}.${type.ext}`);
    const now = this.clock.now();
    const who = await this.activity.actor(p);
    await this.files.put(key, bytes);
    try {
      await this.repo.transaction(async (tx) => {
        await this.repo.insertEvidence({ id, region_id: p.regionId, item_id: itemId, file_key: key, filename: name, content_type: type.contentType, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), uploaded_by: p.userId, created_at: now }, tx);
        await this.activity.record(p.regionId, who, { action: 'evaluation.evidence', entity: 'evaluation', entityId: String(year), summary: `Bukti "${name}" diunggah untuk butir "${item.name}"` }, tx);
      });
    } catch (error) {
      await this.files.delete(key);
      throw error;
    }
    return { id, filename: name, contentType: type.contentType, bytes: bytes.length, url: evidenceUrl(id), uploadedAt: now };
  }

  async file(p: Principal, id: string): Promise<{ data: Buffer; contentType: string; filename: string }> {
    const row = await this.repo.evidence(p.regionId, id);
    const data = row ? await this.files.get(row.file_key) : null;
    if (!row || !data) throw new AppError('NOT_FOUND', `no evidence file ${id}`);
    return { data, contentType: row.content_type, filename: row.filename };
  }

  /** The stored bytes of an evidence row (the pack), null when the file is gone. */
  bytes(fileKey: string): Promise<Buffer | null> {
    return this.files.get(fileKey);
  }

  /** Removes an evidence file (reviewers, or the one who uploaded it). */
  async delete(p: Principal, id: string): Promise<void> {
    const row = await this.repo.evidence(p.regionId, id);
    if (!row) throw new AppError('NOT_FOUND', `no evidence file ${id}`);
    const standing = await this.collab.standing(p);
    if (!standing.reviewer && row.uploaded_by !== p.userId) throw new AppError('FORBIDDEN', 'only reviewers or the uploader remove an evidence file');
    const item = await this.repo.itemById(p.regionId, row.item_id);
    const who = await this.activity.actor(p);
    await this.repo.transaction(async (tx) => {
      await this.repo.deleteEvidence(p.regionId, id, tx);
      await this.activity.record(p.regionId, who, { action: 'evaluation.evidence.deleted', entity: 'evaluation', entityId: String(item?.year ?? ''), summary: `Bukti "${row.filename}" dihapus dari butir "${item?.name ?? ''}"` }, tx);
    });
    await this.files.delete(row.file_key);
  }

  /** Deletes stored files once the rows that named them are gone. */
  async forget(keys: string[]): Promise<void> {
    for (const key of keys) await this.files.delete(key);
  }
}
