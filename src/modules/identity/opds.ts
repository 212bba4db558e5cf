import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Opd, OpdChanges, OpdInput } from './identity.contract.ts';
import type { IdentityRepository, OpdRow } from './identity.repository.ts';
import { requireRole, type Principal } from './principal.ts';

const toOpd = (o: OpdRow): Opd => ({ id: o.id, code: o.code, name: o.name });

/** The region's OPDs (agencies): listed, looked up by other modules, created, renamed and deleted by admins. */
export class Opds {
  private readonly repo: IdentityRepository;
  private readonly clock: Clock;
  constructor(repo: IdentityRepository, clock: Clock) {
    this.repo = repo;
    this.clock = clock;
  }

  async listOpds(p: Principal): Promise<Opd[]> {
    return this.opdsOf(p.regionId);
  }

  /** Every OPD of a region, by code; for other modules, which authorise their callers themselves. */
  async opdsOf(regionId: string): Promise<Opd[]> {
    return (await this.repo.listOpds(regionId)).map(toOpd);
  }

  /** The active people of an OPD, by name: whom an incident can be assigned to. Its operators and admins may ask. */
  async peopleOfOpd(p: Principal, id: string): Promise<{ id: string; name: string }[]> {
    requireRole(p, 'admin', 'operator');
    if (p.role === 'operator' && p.opdId !== id) throw new AppError('FORBIDDEN', "an operator sees the people of their own OPD only");
    await this.getOpd(p, id);
    return this.repo.activeUsersOfOpd(p.regionId, id);
  }

  async getOpd(p: Principal, id: string): Promise<Opd> {
    const row = await this.repo.findOpd(p.regionId, id);
    if (!row) throw new AppError('OPD_NOT_FOUND', `no OPD ${id} in this region`);
    return toOpd(row);
  }

  /** The OPDs of a region with these ids, in no particular order; ids of no OPD there are left out. For other modules. */
  async opdsByIds(regionId: string, ids: readonly string[]): Promise<Opd[]> {
    const unique = [...new Set(ids)];
    return unique.length === 0 ? [] : (await this.repo.findOpds(regionId, unique)).map(toOpd);
  }

  /** Checks that an OPD exists in the caller's region; used by other modules. */
  async assertOpd(regionId: string, id: string): Promise<void> {
    if (!(await this.repo.findOpd(regionId, id))) throw new AppError('OPD_NOT_FOUND', `no OPD ${id} in this region`);
  }

  async createOpd(p: Principal, input: OpdInput): Promise<Opd> {
    requireRole(p, 'admin');
    const code = input.code.trim().toUpperCase();
    if (await this.repo.findOpdByCode(p.regionId, code)) throw new AppError('CONFLICT', `an OPD with the code ${code} exists already`);
    const now = this.clock.now();
    const row: OpdRow = { id: newId(), region_id: p.regionId, code, name: input.name.trim(), created_at: now, updated_at: now };
    await this.repo.insertOpd(row);
    return toOpd(row);
  }

  async updateOpd(p: Principal, id: string, patch: OpdChanges): Promise<Opd> {
    requireRole(p, 'admin');
    const existing = await this.getOpd(p, id);
    const code = patch.code?.trim().toUpperCase();
    if (code !== undefined && code !== existing.code && (await this.repo.findOpdByCode(p.regionId, code))) {
      throw new AppError('CONFLICT', `an OPD with the code ${code} exists already`);
    }
    await this.repo.updateOpd(p.regionId, id, {
      ...(code !== undefined && { code }),
      ...(patch.name !== undefined && { name: patch.name.trim() }),
      updated_at: this.clock.now(),
    });
    return this.getOpd(p, id);
  }

  async deleteOpd(p: Principal, id: string): Promise<void> {
    requireRole(p, 'admin');
    await this.getOpd(p, id);
    const used = await this.repo.opdUsage(p.regionId, id);
    if (used > 0) throw new AppError('OPD_IN_USE', `the OPD still has ${used} users, assets or devices; move them to another OPD first`);
    await this.repo.deleteOpd(p.regionId, id);
  }
}
