import type { Kysely } from 'kysely';
import type { MpQuickWinsTable, MpRoadmapMilestonesTable, Schema } from '../../../platform/db/schema.ts';

export type QuickWinRow = MpQuickWinsTable;
export type MilestoneRow = MpRoadmapMilestonesTable;

interface QuickWinFilter { dimension?: string; status?: string; opdId?: string }

/** The only reader and writer of mp_quick_wins and mp_roadmap_milestones; every query takes the region. */
export class QuickWinsRepository {
  readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  quickWin(regionId: string, id: string) {
    return this.db.selectFrom('mp_quick_wins').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  /** By schedule, then title (the caller orders dimensions as the framework does). */
  list(regionId: string, filter: QuickWinFilter = {}) {
    let q = this.db.selectFrom('mp_quick_wins').selectAll().where('region_id', '=', regionId);
    if (filter.dimension) q = q.where('dimension_key', '=', filter.dimension);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.opdId) q = q.where('lead_opd_id', '=', filter.opdId);
    return q.orderBy('start_month').orderBy('title').orderBy('id').execute();
  }

  async insert(row: QuickWinRow): Promise<void> {
    await this.db.insertInto('mp_quick_wins').values(row).execute();
  }

  async update(regionId: string, id: string, set: Partial<QuickWinRow>): Promise<void> {
    await this.db.updateTable('mp_quick_wins').set(set).where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  async delete(regionId: string, id: string): Promise<void> {
    await this.db.deleteFrom('mp_quick_wins').where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  milestone(regionId: string, id: string) {
    return this.db.selectFrom('mp_roadmap_milestones').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  }

  milestones(regionId: string) {
    return this.db.selectFrom('mp_roadmap_milestones').selectAll().where('region_id', '=', regionId).orderBy('dimension_key').orderBy('year').orderBy('created_at').orderBy('id').execute();
  }

  async insertMilestone(row: MilestoneRow): Promise<void> {
    await this.db.insertInto('mp_roadmap_milestones').values(row).execute();
  }

  async updateMilestone(regionId: string, id: string, set: Partial<MilestoneRow>): Promise<void> {
    await this.db.updateTable('mp_roadmap_milestones').set(set).where('region_id', '=', regionId).where('id', '=', id).execute();
  }

  async deleteMilestone(regionId: string, id: string): Promise<void> {
    await this.db.deleteFrom('mp_roadmap_milestones').where('region_id', '=', regionId).where('id', '=', id).execute();
  }
}
