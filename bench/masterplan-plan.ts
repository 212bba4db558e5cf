/**
 * A large plan for the export's limits (bench/masterplan-export.ts and
 * test/masterplan-books.test.ts): 5,000 SIPD lines of one RKPD, 40 programs of
 * 4 kegiatan of 30 sub kegiatan each, every pagu repeated at kegiatan and program
 * level as SIPD does; each program mapped to a dimension (its rows inherit it);
 * and 32 initiatives, one per program, linked at program level (its 125 lines
 * through the hierarchy), the last 8 programs (1,000 lines) left ungrouped.
 * Made up; names say so.
 */
import type { Kysely } from 'kysely';
import { newId } from '../src/core/ids.ts';
import type { Schema } from '../src/platform/db/index.ts';
import type { MpProgramsTable } from '../src/platform/db/schema.ts';
import type { InitiativeCreate } from '../src/modules/masterplan/initiatives/initiatives.contract.ts';

/** The six dimensions and their elements, in the framework's order (the benches spread lines over them). */
export const DIMS: [InitiativeCreate['dimensionKey'], string[]][] = [
  ['governance', ['service', 'bureaucracy', 'policy']],
  ['branding', ['tourism', 'business', 'appearance']],
  ['economy', ['industry', 'welfare', 'transaction']],
  ['living', ['harmony', 'health', 'mobility']],
  ['society', ['community', 'learning', 'security']],
  ['environment', ['protection', 'waste', 'energy']],
];
export const PLAN_PROGRAMS = 40;
export const PLAN_GROUPED = 32;
const KEGIATAN = 4;
const SUBS = 30;
/** 40 × (1 + 4 × (1 + 30)) */
export const PLAN_LINES = PLAN_PROGRAMS * (1 + KEGIATAN * (1 + SUBS));

export interface PlanProgram { id: string; code: string; dimensionKey: InitiativeCreate['dimensionKey']; elementKey: string; opdId: string; year: number; budget: number }

/** The region of a fresh platform and its admin as a principal (the services take one). */
export async function benchAdmin(db: Kysely<Schema>) {
  const region = await db.selectFrom('regions').select(['id']).executeTakeFirstOrThrow();
  const adminUser = await db.selectFrom('users').select(['id', 'email']).where('role', '=', 'admin').executeTakeFirstOrThrow();
  return { region, principal: { userId: adminUser.id, regionId: region.id, role: 'admin' as const, opdId: null, email: adminUser.email } };
}

/** Inserts the lines; answers the programs (the top rows) with their budget, the sum of their sub kegiatan. */
export async function insertPlanLines(db: Kysely<Schema>, regionId: string, opdIds: string[], now: number): Promise<PlanProgram[]> {
  const rows: MpProgramsTable[] = [];
  const programs: PlanProgram[] = [];
  const row = (code: string, level: MpProgramsTable['level'], name: string, budget: number, opdId: string, year: number, dim: string | null, el: string | null): MpProgramsTable => {
    const id = newId();
    return {
      id, region_id: regionId, opd_id: opdId, document: 'RKPD', code, level, name, indicator: 'Persentase layanan terdigitalisasi', target: '80', unit: '%', budget, year, location: '',
      dimension_key: dim, element_key: el, quick_win: 0, horizon: null, roadmap_year: null, review_status: 'approved', natural_key: `#${id}`, source_hash: code, created_at: now, updated_at: now,
    };
  };
  for (let p = 0; p < PLAN_PROGRAMS; p++) {
    const [dim, els] = DIMS[p % DIMS.length]!;
    const el = els[p % 3]!;
    const opdId = opdIds[p % opdIds.length]!;
    const year = 2026 + (p % 5);
    const code = `2.${String(10 + (p % 20)).padStart(2, '0')}.${String(p + 1).padStart(2, '0')}`;
    const kegiatan: MpProgramsTable[] = [];
    const subs: MpProgramsTable[] = [];
    for (let k = 0; k < KEGIATAN; k++) {
      const kcode = `${code}.2.${String(k + 1).padStart(2, '0')}`;
      const mine = Array.from({ length: SUBS }, (_, s) => row(`${kcode}.${String(s + 1).padStart(4, '0')}`, 'sub_kegiatan', `Sub Kegiatan Contoh ${p + 1}.${k + 1}.${s + 1} (dibuat-buat)`, 10_000_000 + ((p * 97 + k * 31 + s * 7) % 50) * 1_000_000, opdId, year, null, null));
      subs.push(...mine);
      kegiatan.push(row(kcode, 'kegiatan', `Kegiatan Contoh ${p + 1}.${k + 1} (dibuat-buat)`, mine.reduce((a, r) => a + r.budget, 0), opdId, year, null, null));
    }
    const program = row(code, 'program', `Program Contoh ${p + 1} (dibuat-buat)`, kegiatan.reduce((a, r) => a + r.budget, 0), opdId, year, dim, el);
    rows.push(program, ...kegiatan, ...subs);
    programs.push({ id: program.id, code, dimensionKey: dim, elementKey: el, opdId, year, budget: program.budget });
  }
  for (let i = 0; i < rows.length; i += 250) await db.insertInto('mp_programs').values(rows.slice(i, i + 250)).execute();
  return programs;
}

/** One initiative per grouped program, holding it (and so its 125 lines). */
export function planInitiatives(programs: PlanProgram[]): InitiativeCreate[] {
  return programs.slice(0, PLAN_GROUPED).map((p, i) => ({
    dimensionKey: p.dimensionKey, elementKey: p.elementKey, name: `Inisiatif Contoh ${i + 1} (dibuat-buat)`, problem: 'Layanan belum terhubung.', goal: 'Layanan terhubung.', target: '100%',
    indicators: ['Persentase layanan terhubung'], leadOpdId: p.opdId, startYear: p.year, endYear: p.year, costEstimate: p.budget, fundingSources: ['apbd'], status: 'direncanakan', programIds: [p.id],
  }));
}
