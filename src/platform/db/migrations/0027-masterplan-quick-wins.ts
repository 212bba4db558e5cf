import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Quick wins as records of their own (issue 16), and the roadmap's milestones
 * per dimension and year.
 *
 * A quick win had been a checkbox on an imported program (`mp_programs.quick_win`);
 * this migration turns every checked program into a record, here rather than in
 * a seed, because the migration runs once on every existing database (whatever
 * its regions), while a seed runs only for the demo. A converted record keeps its
 * program (`source_program_id`), its dimension (the program's, else its nearest
 * mapped parent's by code; a checked program without any is left as it was), its
 * OPD, its pagu as the cost and the calendar year of its roadmap year (else its
 * own) as a 12-month schedule; the checkbox itself stays as it was.
 *
 * A quick win belongs to its region; its initiative, lead OPD and source program
 * may be deleted, which leaves the quick win without the link.
 */
/** The columns this migration reads and writes, as they are at this point of the history. */
interface Tables {
  mp_programs: { id: string; region_id: string; opd_id: string | null; document: string; year: number; code: string; name: string; indicator: string; target: string; budget: number | string; dimension_key: string | null; quick_win: number; roadmap_year: number | null };
  mp_quick_wins: {
    id: string; region_id: string; dimension_key: string; initiative_id: string | null; title: string; background: string; output: string; outcome: string; start_month: string; end_month: string;
    cost: number | null; funding_source: string | null; lead_opd_id: string | null; status: string; source_program_id: string | null; created_by: string | null; created_at: number; updated_at: number;
  };
}

export async function up(schemaDb: Kysely<any>, _dialect: DialectName): Promise<void> {
  const db: Kysely<Tables> = schemaDb;
  const ms = 'bigint';
  const region = (c: any) => c.notNull().references('regions.id').onDelete('cascade');
  await db.schema
    .createTable('mp_quick_wins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', region)
    .addColumn('dimension_key', 'text', (c) => c.notNull())
    .addColumn('initiative_id', 'text', (c) => c.references('mp_initiatives.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('background', 'text', (c) => c.notNull())
    .addColumn('output', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    /** 'YYYY-MM', the first and the last month of the schedule (6-12 months, both counted) */
    .addColumn('start_month', 'text', (c) => c.notNull())
    .addColumn('end_month', 'text', (c) => c.notNull())
    /** whole rupiah */
    .addColumn('cost', 'bigint')
    /** a funding source key (apbd, dak_apbn, dana_desa, csr, kpbu, hibah) */
    .addColumn('funding_source', 'text')
    .addColumn('lead_opd_id', 'text', (c) => c.references('opds.id').onDelete('set null'))
    /** planned | ongoing | done | dropped */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source_program_id', 'text', (c) => c.references('mp_programs.id').onDelete('set null'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mp_quick_wins_region').on('mp_quick_wins').columns(['region_id', 'dimension_key', 'start_month']).execute();

  await db.schema
    .createTable('mp_roadmap_milestones')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', region)
    .addColumn('dimension_key', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mp_roadmap_milestones_region').on('mp_roadmap_milestones').columns(['region_id', 'dimension_key', 'year']).execute();

  // The checked programs, with every program of their regions to find a parent's dimension.
  const checked = await db.selectFrom('mp_programs').select(['id', 'region_id', 'opd_id', 'document', 'year', 'code', 'name', 'indicator', 'target', 'budget', 'dimension_key', 'roadmap_year']).where('quick_win', '=', 1).orderBy('region_id').orderBy('code').execute();
  const now = Date.now();
  for (const p of checked) {
    let dimension = p.dimension_key;
    // program 1.02.02 ← kegiatan 1.02.02.2.02 ← sub kegiatan 1.02.02.2.02.0033: the nearest mapped parent of the same document and year
    for (let parts = p.code.split('.'); dimension === null && parts.length > 3; ) {
      parts = parts.slice(0, parts.length === 6 ? 5 : parts.length === 5 ? 3 : parts.length - 1);
      const parent = await db.selectFrom('mp_programs').select('dimension_key').where('region_id', '=', p.region_id).where('document', '=', p.document).where('year', '=', p.year).where('code', '=', parts.join('.')).where('dimension_key', 'is not', null).executeTakeFirst();
      dimension = parent?.dimension_key ?? null;
    }
    if (dimension === null) continue;
    const year = p.roadmap_year ?? p.year;
    await db.insertInto('mp_quick_wins').values({
      id: `qw-${p.id}`, region_id: p.region_id, dimension_key: dimension, initiative_id: null, title: p.name, background: '',
      output: p.indicator && p.target ? `${p.indicator}: ${p.target}` : p.indicator, outcome: '', start_month: `${year}-01`, end_month: `${year}-12`,
      cost: Number(p.budget) > 0 ? Number(p.budget) : null, funding_source: 'apbd', lead_opd_id: p.opd_id, status: 'planned', source_program_id: p.id,
      created_by: null, created_at: now, updated_at: now,
    }).execute();
  }
}
