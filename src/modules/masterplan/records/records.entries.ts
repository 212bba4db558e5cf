/**
 * The list records (strategic issues, ICT entries, strategies, goals,
 * development plans, appendices): what each one's body sets in its table,
 * checked against the region (OPDs, the plan's period, the commitment sheets).
 */
import { AppError } from '../../../core/errors.ts';
import type { Principal } from '../../identity/index.ts';
import { checkInPeriod, type PlanSource } from '../initiatives/index.ts';
import type {
  AppendixPatch, DevelopmentPatch, GoalPatch, IctPatch, IssuePatch, StrategyPatch,
} from './records.contract.ts';
import type { Entry, ListTable } from './records.repository.ts';

/** What the checks read of the region. */
export interface EntryChecks {
  plans: Pick<PlanSource, 'plan'>;
  assertOpd(regionId: string, opdId: string): Promise<unknown>;
  /** the region's commitment sheets, with their uploaded scan when there is one */
  commitments(regionId: string): Promise<{ id: string; file: unknown }[]>;
}

/** The bodies of each list, by its path in the API. */
export interface Bodies {
  issues: IssuePatch;
  ict: IctPatch;
  strategies: StrategyPatch;
  goals: GoalPatch;
  development: DevelopmentPatch;
  appendices: AppendixPatch;
}
export type ListName = keyof Bodies;

/** The table of each list. */
export const TABLE_OF: { [K in ListName]: ListTable } = {
  issues: 'mp_strategic_issues', ict: 'mp_ict_items', strategies: 'mp_strategies', goals: 'mp_goals', development: 'mp_development_plans', appendices: 'mp_appendices',
};
/** How the activity log names an entry of each list. */
export const ENTRY_WORDS: { [K in ListName]: string } = {
  issues: 'Isu strategis', ict: 'Inventaris TIK', strategies: 'Strategi', goals: 'Tujuan', development: 'Rencana pengembangan', appendices: 'Lampiran',
};

const missing = (field: string, id: string, en: string) => new AppError('VALIDATION_FAILED', `${field} is required`, { field, reason: { id, en } });
/** A text that is only spaces is refused like an empty one. */
const trimmed = (field: string, v: string | undefined): string | undefined => {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (t === '') throw missing(field, `Kolom ${field} tidak boleh kosong`, `${field} may not be empty`);
  return t;
};

async function opd(checks: EntryChecks, p: Principal, opdId: string | null | undefined): Promise<string | null | undefined> {
  if (opdId) await checks.assertOpd(p.regionId, opdId);
  return opdId;
}

/** What every entry has besides its own columns. */
interface Base { id: string; region_id: string; created_at: number; updated_at: number }
/** A required field a create left out (the schemas require them: this is the type's check). */
const need = <T>(v: T | undefined, field: string): T => {
  if (v === undefined) throw missing(field, `Kolom ${field} wajib diisi`, `${field} is required`);
  return v;
};

/** The columns a change sets (what it leaves out stays), tagged with the table. */
export async function patchOf<K extends ListName>(checks: EntryChecks, p: Principal, list: K, body: Bodies[K]): Promise<Entry<'set'>> {
  return (await COLUMNS[list](checks, p, body, null)).set;
}
/** The whole row of a new entry (defaults for what the body leaves out), tagged with the table. */
export async function rowOf<K extends ListName>(checks: EntryChecks, p: Principal, list: K, body: Bodies[K], base: Base): Promise<Entry<'row'>> {
  const { row } = await COLUMNS[list](checks, p, body, base);
  if (!row) throw new Error('a create gives a whole row');
  return row;
}

type Made = { set: Entry<'set'>; row: Entry<'row'> | null };
type Columns = { [K in ListName]: (checks: EntryChecks, p: Principal, body: Bodies[K], base: Base | null) => Promise<Made> };
const COLUMNS: Columns = {
  async issues(_checks, _p, b, base) {
    const c = { dimension_key: b.dimensionKey, title: trimmed('title', b.title), description: b.description };
    return {
      set: { table: 'mp_strategic_issues', row: c },
      row: base && { table: 'mp_strategic_issues', row: { ...base, dimension_key: need(c.dimension_key, 'dimensionKey'), title: need(c.title, 'title'), description: c.description ?? '' } },
    };
  },
  async ict(checks, p, b, base) {
    const c = { kind: b.kind, name: trimmed('name', b.name), opd_id: await opd(checks, p, b.opdId), status: b.status, description: b.description };
    return {
      set: { table: 'mp_ict_items', row: c },
      row: base && { table: 'mp_ict_items', row: { ...base, kind: need(c.kind, 'kind'), name: need(c.name, 'name'), opd_id: c.opd_id ?? null, status: need(c.status, 'status'), description: c.description ?? '' } },
    };
  },
  async strategies(_checks, _p, b, base) {
    if (base && !b.quadrant) throw missing('quadrant', 'Strategi harus berasal dari salah satu kuadran SWOT (SO, ST, WO atau WT)', 'A strategy must come from a SWOT quadrant (SO, ST, WO or WT)');
    const c = { quadrant: b.quadrant, element: b.element, dimension_key: b.dimensionKey, text: trimmed('text', b.text) };
    return {
      set: { table: 'mp_strategies', row: c },
      row: base && { table: 'mp_strategies', row: { ...base, quadrant: need(c.quadrant, 'quadrant'), element: c.element ?? null, dimension_key: c.dimension_key ?? null, text: need(c.text, 'text') } },
    };
  },
  async goals(_checks, _p, b, base) {
    const c = { dimension_key: b.dimensionKey, text: trimmed('text', b.text), indicator: b.indicator, target: b.target };
    return {
      set: { table: 'mp_goals', row: c },
      row: base && { table: 'mp_goals', row: { ...base, dimension_key: need(c.dimension_key, 'dimensionKey'), text: need(c.text, 'text'), indicator: c.indicator ?? '', target: c.target ?? '' } },
    };
  },
  async development(checks, p, b, base) {
    if (b.year !== undefined) checkInPeriod(await checks.plans.plan(p.regionId), b.year, 'year');
    const c = { area: b.area, what: trimmed('what', b.what), year: b.year, opd_id: await opd(checks, p, b.opdId), status: b.status, note: b.note };
    return {
      set: { table: 'mp_development_plans', row: c },
      row: base && {
        table: 'mp_development_plans',
        row: { ...base, area: need(c.area, 'area'), what: need(c.what, 'what'), year: need(c.year, 'year'), opd_id: c.opd_id ?? null, status: c.status ?? 'planned', note: c.note ?? '' },
      },
    };
  },
  async appendices(checks, p, b, base) {
    if (b.commitmentId) {
      const sheet = (await checks.commitments(p.regionId)).find((c) => c.id === b.commitmentId);
      if (!sheet?.file) {
        throw new AppError('VALIDATION_FAILED', `commitment sheet ${b.commitmentId} has no uploaded file in this region`, {
          field: 'commitmentId', reason: { id: 'Lembar komitmen itu tidak ada atau belum memiliki berkas pindaian', en: 'That commitment sheet does not exist or has no uploaded scan' },
        });
      }
    }
    const c = { kind: b.kind, title: trimmed('title', b.title), commitment_id: b.commitmentId };
    return {
      set: { table: 'mp_appendices', row: c },
      row: base && { table: 'mp_appendices', row: { ...base, kind: need(c.kind, 'kind'), title: need(c.title, 'title'), commitment_id: c.commitment_id ?? null } },
    };
  },
};
