/**
 * The funding trace: imported SIPD/RKPD/Renja lines linked to an initiative,
 * each with the share (percent) of its budget the initiative takes.
 *
 * A line may be shared by several initiatives only when its shares sum to
 * exactly 100%: linking it to a second initiative is refused unless the new
 * share makes the sum 100, and a split across several is set in one step
 * (`split`). A line linked to one initiative may give it any share from 1 to
 * 100 (the rest of the line is not smart city work).
 */
import { AppError } from '../../../core/errors.ts';
import type { MpProgramsTable } from '../../../platform/db/schema.ts';
import type { Principal } from '../../identity/index.ts';
import { FULL_SHARE } from './initiatives.constants.ts';
import type { Initiative, Split } from './initiatives.contract.ts';
import type { Exec, InitiativeRow, LinkRow } from './initiatives.repository.ts';
import { list, type InitiativesService } from './initiatives.service.ts';

const lineNotFound = (id: string) => new AppError('PROGRAM_NOT_FOUND', `no line ${id} in this region`);
const sum = (links: { share: number }[]) => links.reduce((s, l) => s + l.share, 0);

export class InitiativeLinks {
  private readonly service: InitiativesService;
  constructor(service: InitiativesService) {
    this.service = service;
  }

  private async linesOf(regionId: string, ids: readonly string[]): Promise<MpProgramsTable[]> {
    const wanted = new Set(ids);
    const found = (await this.service.plans.allPrograms(regionId)).filter((l) => wanted.has(l.id));
    const have = new Set(found.map((l) => l.id));
    const missing = [...wanted].find((id) => !have.has(id));
    if (missing) throw lineNotFound(missing);
    return found;
  }

  /** An operator links lines of the OPDs that lead or support the initiative; reviewers any line of the region. */
  private async checkLines(p: Principal, initiative: InitiativeRow, lines: MpProgramsTable[]): Promise<void> {
    if (await this.service.access.reviewer(p)) return;
    const own = new Set([initiative.lead_opd_id, ...list(initiative.supporting_opd_ids)]);
    const foreign = lines.find((l) => !own.has(l.opd_id));
    if (foreign) throw new AppError('FORBIDDEN', `line ${foreign.code} belongs to another OPD than the initiative's lead and supporting OPDs`);
  }

  /**
   * Before the transaction (SQLite has one connection: a read outside the
   * transaction inside it would wait for ever): the lines, of this region, that
   * the user may link to this initiative.
   */
  async prepare(p: Principal, initiative: InitiativeRow, programIds: string[]): Promise<MpProgramsTable[]> {
    const lines = await this.linesOf(p.regionId, programIds);
    await this.checkLines(p, initiative, lines);
    return lines;
  }

  /** Inside the transaction: sets the share of each line for this initiative, refusing a split that would not sum to 100%. */
  async linkIn(tx: Exec, p: Principal, initiative: InitiativeRow, lines: MpProgramsTable[], share = FULL_SHARE): Promise<void> {
    const existing = await this.service.repo.linksOfLines(tx, p.regionId, lines.map((l) => l.id));
    for (const line of lines) {
      const others = existing.filter((k) => k.program_id === line.id && k.initiative_id !== initiative.id);
      if (others.length > 0 && sum(others) + share !== FULL_SHARE) {
        const names = new Map((await this.service.repo.list(p.regionId, {}, tx)).map((i) => [i.id, i.name]));
        const held = others.map((k) => `${names.get(k.initiative_id) ?? k.initiative_id} (${k.share}%)`).join(', ');
        throw new AppError(
          'LINE_SHARES_INVALID',
          `line ${line.code} is linked to ${held} already: a line shared by several initiatives needs shares summing to 100% (${[...others.map((k) => k.share), share].join('% + ')}% = ${sum(others) + share}%); set its split in one step (PUT /api/v1/masterplan/initiatives/lines/${line.id})`,
        );
      }
    }
    const now = this.service.clock.now();
    await this.service.repo.putLinks(tx, lines.map((l): LinkRow => ({ region_id: p.regionId, initiative_id: initiative.id, program_id: l.id, share, created_at: now })));
  }

  async link(p: Principal, id: string, programIds: string[], share = FULL_SHARE): Promise<Initiative> {
    const initiative = await this.service.row(p.regionId, id);
    await this.service.access.requireEditorOf(p, initiative, 'link lines');
    const lines = await this.prepare(p, initiative, programIds);
    await this.service.repo.transaction((tx) => this.linkIn(tx, p, initiative, lines, share));
    this.service.changed(p, id, 'initiative.linked', `${programIds.length} baris anggaran ditautkan ke inisiatif ${initiative.name}`, { programIds, share });
    return this.service.get(p, id);
  }

  /** Refused when it would leave the line shared by several initiatives with shares not summing to 100%. */
  async unlink(p: Principal, id: string, programId: string): Promise<Initiative> {
    const initiative = await this.service.row(p.regionId, id);
    await this.service.access.requireEditorOf(p, initiative, 'unlink lines');
    await this.service.repo.transaction(async (tx) => {
      const left = (await this.service.repo.linksOfLines(tx, p.regionId, [programId])).filter((k) => k.initiative_id !== id);
      if (left.length > 1 && sum(left) !== FULL_SHARE) {
        throw new AppError('LINE_SHARES_INVALID', `the line would stay shared by ${left.length} initiatives at ${sum(left)}%: set its split in one step (PUT /api/v1/masterplan/initiatives/lines/${programId})`);
      }
      if ((await this.service.repo.deleteLink(tx, p.regionId, id, programId)) === 0) throw lineNotFound(programId);
    });
    this.service.changed(p, id, 'initiative.unlinked', `Baris anggaran dilepas dari inisiatif ${initiative.name}`, { programId });
    return this.service.get(p, id);
  }

  /** Replaces every link of a line: its shares across initiatives (summing to 100% when more than one), or none. */
  async split(p: Principal, programId: string, shares: { initiativeId: string; share: number }[]): Promise<Split> {
    const [line] = await this.linesOf(p.regionId, [programId]);
    if (new Set(shares.map((s) => s.initiativeId)).size !== shares.length) throw new AppError('VALIDATION_FAILED', 'an initiative is named twice in the split');
    if (shares.length > 1 && sum(shares) !== FULL_SHARE) throw new AppError('VALIDATION_FAILED', `the shares sum to ${sum(shares)}%, not 100%`);
    // permissions are read first: every initiative whose link changes, before and after
    const before = await this.service.repo.linksOfLines(this.service.repo.db, p.regionId, [programId]);
    const touched = new Set([...before.map((k) => k.initiative_id), ...shares.map((s) => s.initiativeId)]);
    for (const id of touched) {
      const initiative = await this.service.row(p.regionId, id);
      await this.service.access.requireEditorOf(p, initiative, 'split lines');
      if (shares.some((s) => s.initiativeId === id)) await this.checkLines(p, initiative, [line!]);
    }
    await this.service.repo.transaction(async (tx) => {
      await this.service.repo.deleteLinksOfLine(tx, p.regionId, programId);
      const now = this.service.clock.now();
      await this.service.repo.putLinks(tx, shares.map((s): LinkRow => ({ region_id: p.regionId, initiative_id: s.initiativeId, program_id: programId, share: s.share, created_at: now })));
    });
    this.service.changed(p, null, 'initiative.split', `Pembagian baris anggaran ${line!.code} diatur`, { programId, shares });
    return { programId, shares: shares.map((s) => ({ initiativeId: s.initiativeId, share: s.share })) };
  }
}
