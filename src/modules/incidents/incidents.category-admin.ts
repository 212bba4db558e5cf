import { AppError } from '../../core/errors.ts';
import { requireRole, type Principal } from '../identity/index.ts';
import { DEFAULT_CATEGORIES, type CategorySeed } from './incidents.categories.ts';
import type { Category, CategoryAttribute, IncidentSeverity } from './incidents.contract.ts';
import { parseJson, type IncidentRecords } from './incidents.records.ts';
import type { CategoryRow } from './incidents.repository.ts';

const toCategory = (r: CategoryRow, opdIds: Map<string, string>): Category => ({
  code: r.code,
  nameId: r.name_id,
  nameEn: r.name_en,
  descriptionId: r.description_id,
  descriptionEn: r.description_en,
  group: r.group_name,
  opdId: r.opd_code === null ? null : (opdIds.get(r.opd_code) ?? null),
  opdCode: r.opd_code,
  defaultSeverity: r.default_severity as IncidentSeverity,
  keywords: parseJson<string[]>(r.keywords, []),
  attributes: parseJson<CategoryAttribute[]>(r.attributes, []),
  active: r.active === 1,
  slaRouteDays: r.sla_route_days,
  slaFollowUpDays: r.sla_follow_up_days,
  slaCloseDays: r.sla_close_days,
  autoPublish: r.auto_publish === 1,
});

/** The region's categories (the Open311 services): seeded, listed, changed by admins. */
export class IncidentCategories {
  private readonly records: IncidentRecords;
  constructor(records: IncidentRecords) {
    this.records = records;
  }

  /** Seeds the default categories into a region that has none (idempotent). */
  async ensureDefaultCategories(regionId: string): Promise<boolean> {
    if ((await this.records.repo.countCategories(regionId)) > 0) return false;
    const now = this.records.now();
    await this.records.repo.insertCategories(DEFAULT_CATEGORIES.map((c, i) => this.categoryRow(regionId, c, i, now)));
    return true;
  }

  async listCategories(regionId: string): Promise<Category[]> {
    const [rows, opds] = await Promise.all([this.records.repo.listCategories(regionId), this.records.opdCodes(regionId)]);
    return rows.map((r) => toCategory(r, opds));
  }

  async getCategory(regionId: string, code: string): Promise<Category | null> {
    const row = await this.records.repo.findCategory(regionId, code);
    return row ? toCategory(row, await this.records.opdCodes(regionId)) : null;
  }

  async createCategory(p: Principal, input: Omit<CategorySeed, 'active'> & { active?: boolean }): Promise<Category> {
    requireRole(p, 'admin');
    if (await this.records.repo.findCategory(p.regionId, input.code)) throw new AppError('CATEGORY_EXISTS', `a category with the code ${input.code} exists already`);
    const seed: CategorySeed = { ...input, opdCode: input.opdCode === null ? null : input.opdCode.trim().toUpperCase(), active: input.active ?? true };
    this.checkAttributes(seed.attributes);
    const rows = await this.records.repo.listCategories(p.regionId);
    await this.records.repo.insertCategories([this.categoryRow(p.regionId, seed, rows.length, this.records.now())]);
    return (await this.getCategory(p.regionId, input.code))!;
  }

  async updateCategory(p: Principal, code: string, patch: Partial<Omit<CategorySeed, 'code'>>): Promise<Category> {
    requireRole(p, 'admin');
    if (!(await this.records.repo.findCategory(p.regionId, code))) throw new AppError('CATEGORY_NOT_FOUND', `no category ${code} in this region`);
    if (patch.attributes) this.checkAttributes(patch.attributes);
    const row: Partial<CategoryRow> = { updated_at: this.records.now() };
    if (patch.nameId !== undefined) row.name_id = patch.nameId;
    if (patch.nameEn !== undefined) row.name_en = patch.nameEn;
    if (patch.descriptionId !== undefined) row.description_id = patch.descriptionId;
    if (patch.descriptionEn !== undefined) row.description_en = patch.descriptionEn;
    if (patch.group !== undefined) row.group_name = patch.group;
    if (patch.opdCode !== undefined) row.opd_code = patch.opdCode === null ? null : patch.opdCode.trim().toUpperCase();
    if (patch.defaultSeverity !== undefined) row.default_severity = patch.defaultSeverity;
    if (patch.slaRouteDays !== undefined) row.sla_route_days = patch.slaRouteDays;
    if (patch.slaFollowUpDays !== undefined) row.sla_follow_up_days = patch.slaFollowUpDays;
    if (patch.slaCloseDays !== undefined) row.sla_close_days = patch.slaCloseDays;
    if (patch.keywords !== undefined) row.keywords = JSON.stringify(patch.keywords);
    if (patch.attributes !== undefined) row.attributes = JSON.stringify(patch.attributes);
    if (patch.active !== undefined) row.active = patch.active ? 1 : 0;
    if (patch.autoPublish !== undefined) row.auto_publish = patch.autoPublish ? 1 : 0;
    await this.records.repo.updateCategory(p.regionId, code, row);
    return (await this.getCategory(p.regionId, code))!;
  }

  /** Deletes an unused category; one with incidents is deactivated instead (its incidents keep their code). */
  async deleteCategory(p: Principal, code: string): Promise<void> {
    requireRole(p, 'admin');
    if (!(await this.records.repo.findCategory(p.regionId, code))) throw new AppError('CATEGORY_NOT_FOUND', `no category ${code} in this region`);
    if ((await this.records.repo.categoryUsage(p.regionId, code)) > 0) await this.records.repo.updateCategory(p.regionId, code, { active: 0, updated_at: this.records.now() });
    else await this.records.repo.deleteCategory(p.regionId, code);
  }

  private checkAttributes(attributes: CategoryAttribute[]): void {
    const seen = new Set<string>();
    for (const a of attributes) {
      if (seen.has(a.code)) throw new AppError('VALIDATION_FAILED', `attribute code ${a.code} appears twice`);
      seen.add(a.code);
      if ((a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist') && (!a.values || a.values.length === 0)) {
        throw new AppError('VALIDATION_FAILED', `attribute ${a.code} is a list and needs values`);
      }
    }
  }

  private categoryRow(regionId: string, c: CategorySeed, sort: number, now: number): CategoryRow {
    return {
      region_id: regionId,
      code: c.code,
      name_id: c.nameId,
      name_en: c.nameEn,
      description_id: c.descriptionId,
      description_en: c.descriptionEn,
      group_name: c.group,
      opd_code: c.opdCode,
      default_severity: c.defaultSeverity,
      keywords: JSON.stringify(c.keywords),
      attributes: JSON.stringify(c.attributes),
      active: c.active ? 1 : 0,
      sort,
      sla_route_days: c.slaRouteDays ?? null,
      sla_follow_up_days: c.slaFollowUpDays ?? null,
      sla_close_days: c.slaCloseDays ?? null,
      auto_publish: c.autoPublish === true ? 1 : 0,
      created_at: now,
      updated_at: now,
    };
  }
}
