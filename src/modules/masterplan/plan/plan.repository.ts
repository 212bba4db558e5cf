import type { Kysely, Transaction } from 'kysely';
import type { MpPlansTable, MpReadinessTable, MpSwotTable, Schema } from '../../../platform/db/schema.ts';

type PlanRow = MpPlansTable;
export type ReadinessRow = MpReadinessTable;
export type SwotRow = MpSwotTable;

/** Storage of the plan: mp_plans, mp_readiness and mp_swot (the only reader and writer of them). */
export class PlanRepository {
  private readonly db: Kysely<Schema>;
  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  plan(regionId: string): Promise<PlanRow | undefined> {
    return this.db.selectFrom('mp_plans').selectAll().where('region_id', '=', regionId).executeTakeFirst();
  }

  async putPlan(row: PlanRow): Promise<void> {
    const { region_id, ...rest } = row;
    const updated = await this.db.updateTable('mp_plans').set(rest).where('region_id', '=', region_id).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await this.db.insertInto('mp_plans').values(row).execute();
  }

  readiness(regionId: string, year: number): Promise<ReadinessRow[]> {
    return this.db.selectFrom('mp_readiness').selectAll().where('region_id', '=', regionId).where('year', '=', year).execute();
  }

  /** The SWOT of a year; null: of every year, the oldest first. */
  swot(regionId: string, year: number | null): Promise<SwotRow[]> {
    let q = this.db.selectFrom('mp_swot').selectAll().where('region_id', '=', regionId);
    if (year !== null) q = q.where('year', '=', year);
    return q.orderBy('year').execute();
  }

  async readinessYears(regionId: string): Promise<number[]> {
    const rows = await this.db.selectFrom('mp_readiness').select('year').distinct().where('region_id', '=', regionId).orderBy('year').execute();
    return rows.map((r) => Number(r.year));
  }

  /** Replaces the checklist and the SWOT of a year, both or neither. */
  replaceReadiness(regionId: string, year: number, items: ReadinessRow[], swot: SwotRow[]): Promise<void> {
    return this.db.transaction().execute(async (tx: Transaction<Schema>) => {
      await tx.deleteFrom('mp_readiness').where('region_id', '=', regionId).where('year', '=', year).execute();
      if (items.length) await tx.insertInto('mp_readiness').values(items).execute();
      await tx.deleteFrom('mp_swot').where('region_id', '=', regionId).where('year', '=', year).execute();
      if (swot.length) await tx.insertInto('mp_swot').values(swot).execute();
    });
  }
}

/** A list stored as JSON text (missions, SWOT entries): [] for text that is not one. */
export function jsonList(text: string | null | undefined): string[] {
  try {
    const v = JSON.parse(text ?? '[]') as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}
