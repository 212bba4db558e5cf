import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Initiatives, the master plan's unit (issue 16): a smart city initiative per
 * dimension and element with its problem, goal, target, OPDs, timeline, cost
 * and funding sources; the imported SIPD/RKPD/Renja lines that fund it (its
 * funding trace, each with the share of the line it takes); and its planned and
 * realised money per year, the monev's input.
 *
 * Links and years belong to their initiative, and a link to its line too:
 * deleting either deletes the link. A deleted lead OPD leaves the initiative
 * without one rather than deleting it.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const ms = 'bigint';
  const region = (c: any) => c.notNull().references('regions.id').onDelete('cascade');
  await db.schema
    .createTable('mp_initiatives')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', region)
    .addColumn('dimension_key', 'text', (c) => c.notNull())
    .addColumn('element_key', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('problem', 'text', (c) => c.notNull())
    .addColumn('goal', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    /** JSON array of strings */
    .addColumn('indicators', 'text', (c) => c.notNull())
    .addColumn('lead_opd_id', 'text', (c) => c.references('opds.id').onDelete('set null'))
    /** JSON array of OPD ids */
    .addColumn('supporting_opd_ids', 'text', (c) => c.notNull())
    .addColumn('start_year', 'integer')
    .addColumn('end_year', 'integer')
    /** whole rupiah */
    .addColumn('cost_estimate', 'bigint')
    /** JSON array of funding source keys (apbd, dak_apbn, dana_desa, csr, kpbu, hibah) */
    .addColumn('funding_sources', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mp_initiatives_region').on('mp_initiatives').columns(['region_id', 'dimension_key', 'name']).execute();

  await db.schema
    .createTable('mp_initiative_lines')
    .addColumn('region_id', 'text', region)
    .addColumn('initiative_id', 'text', (c) => c.notNull().references('mp_initiatives.id').onDelete('cascade'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('mp_programs.id').onDelete('cascade'))
    /** percent of the line's budget this initiative takes, 1-100 */
    .addColumn('share', 'integer', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('mp_initiative_lines_pk', ['initiative_id', 'program_id'])
    .execute();
  await db.schema.createIndex('mp_initiative_lines_program').on('mp_initiative_lines').columns(['region_id', 'program_id']).execute();

  await db.schema
    .createTable('mp_initiative_years')
    .addColumn('region_id', 'text', region)
    .addColumn('initiative_id', 'text', (c) => c.notNull().references('mp_initiatives.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    /** whole rupiah */
    .addColumn('planned', 'bigint')
    .addColumn('realised', 'bigint')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('mp_initiative_years_pk', ['initiative_id', 'year'])
    .execute();
}
