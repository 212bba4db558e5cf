import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MpProgramsTable } from '../../../platform/db/schema.ts';
import type { InitiativeRow } from './initiatives.repository.ts';
import { initiativeName, suggestGroupings } from './initiatives.suggest.ts';

const line = (id: string, code: string, name: string, budget: number, opd: string | null, level: MpProgramsTable['level']): MpProgramsTable => ({
  id, region_id: 'r', opd_id: opd, document: 'RKPD', code, level, name, indicator: '', target: '', unit: '', budget, year: 2025, location: '', dimension_key: null, element_key: null,
  quick_win: 0, horizon: null, roadmap_year: null, review_status: 'draft', natural_key: id, source_hash: '', created_at: 0, updated_at: 0,
});
const initiative = (id: string, name: string, dimension_key: string, element_key: string | null, lead: string | null): InitiativeRow => ({
  id, region_id: 'r', dimension_key, element_key, name, problem: '', goal: '', target: '', indicators: '[]', lead_opd_id: lead, supporting_opd_ids: '[]',
  start_year: null, end_year: null, cost_estimate: null, funding_sources: '[]', status: 'usulan', created_by: null, created_at: 0, updated_at: 0,
});

describe('grouping suggestions', () => {
  it('names a new initiative from a SIPD program line', () => {
    assert.equal(initiativeName('PROGRAM PENGELOLAAN PERSAMPAHAN'), 'Pengelolaan Persampahan');
    assert.equal(initiativeName('PROGRAM PENYELENGGARAAN LALU LINTAS DAN ANGKUTAN JALAN (LLAJ)'), 'Penyelenggaraan Lalu Lintas dan Angkutan Jalan (LLAJ)');
    assert.equal(initiativeName('Pembangunan SPAM Jaringan Perpipaan'), 'Pembangunan SPAM Jaringan Perpipaan', 'a name in mixed case is kept');
  });

  it('offers the unlinked kegiatan of a program whose other kegiatan is linked one by one, and nothing under a linked program', () => {
    const lines = [
      line('p', '1.02.02', 'PROGRAM PEMENUHAN UPAYA KESEHATAN', 3_400, 'dinkes', 'program'),
      line('k1', '1.02.02.2.01', 'Penyediaan Fasilitas Puskesmas', 1_000, 'dinkes', 'kegiatan'),
      line('k2', '1.02.02.2.02', 'Pengelolaan Sistem Informasi Kesehatan Puskesmas', 2_400, 'dinkes', 'kegiatan'),
      line('s2', '1.02.02.2.02.0033', 'Rekam Medis Elektronik Puskesmas', 2_400, 'dinkes', 'sub_kegiatan'),
      line('w', '2.11.11', 'PROGRAM PENGELOLAAN PERSAMPAHAN', 1_800, 'dlh', 'program'),
      line('w1', '2.11.11.2.01', 'Pengelolaan Sampah', 1_800, 'dlh', 'kegiatan'),
      line('x', '4.01.01', 'PROGRAM PENUNJANG URUSAN', 500, null, 'program'),
    ];
    const links = [{ region_id: 'r', initiative_id: 'rme', program_id: 'k2', share: 100, created_at: 0 }];
    const got = suggestGroupings(lines, links, [initiative('rme', 'Rekam Medis Elektronik Puskesmas', 'living', 'health', 'dinkes')], (id) => id, { limit: 10 });
    const offered = [...got.join.map((j) => j.line.code), ...got.create.flatMap((c) => c.lines.map((l) => l.code))].sort();
    assert.deepEqual(offered, ['1.02.02.2.01', '2.11.11'], 'k1 alone (its program holds a linked kegiatan), the waste program with its kegiatan, nothing under k2');
    assert.deepEqual(got.join.map((j) => [j.line.code, j.initiativeId, j.reasons]), [['1.02.02.2.01', 'rme', ['dimension', 'element', 'words', 'opd']]]);
    assert.deepEqual(got.create.map((c) => [c.name, c.dimensionKey, c.elementKey, c.leadOpdId, c.budget]), [['Pengelolaan Persampahan', 'environment', 'waste', 'dlh', 1_800]]);
    assert.equal(got.unmatched, 1, 'a line that hints at no dimension is counted, not guessed');
  });
});
