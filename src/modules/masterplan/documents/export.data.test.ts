import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fmtDate, fmtNumber, fmtRupiah, regionSlug, readinessSummary } from './export.data.ts';

test('Indonesian number, money and date formats', () => {
  assert.equal(fmtRupiah(1_250_000_000), 'Rp 1.250.000.000');
  assert.equal(fmtRupiah(0), 'Rp 0');
  assert.equal(fmtRupiah(999), 'Rp 999');
  assert.equal(fmtRupiah(-1500), 'Rp -1.500');
  assert.equal(fmtNumber(3.31), '3,31');
  assert.equal(fmtNumber(12500.5, 1), '12.500,5');
  assert.equal(fmtNumber(100), '100');
  assert.equal(fmtDate(Date.UTC(2026, 5, 1)), '1 Juni 2026');
  assert.equal(fmtDate(Date.UTC(2026, 11, 31, 20)), '1 Januari 2027', 'in WIB');
});

test('file names from the region', () => {
  assert.equal(regionSlug('Kabupaten Musi Rawas'), 'musi-rawas');
  assert.equal(regionSlug('Kota Lubuklinggau'), 'lubuklinggau');
  assert.equal(regionSlug('Kabupaten Musi Rawas Utara'), 'musi-rawas-utara');
});

test('readiness per element and sub-element: mean score 0–4 and percent', () => {
  const s = readinessSummary([
    { element: 'struktur', subKey: 'sdm', code: 'S1', question: 'a', score: 2, target: 4, note: '' },
    { element: 'struktur', subKey: 'sdm', code: 'S2', question: 'b', score: 4, target: 4, note: '' },
    { element: 'struktur', subKey: 'keuangan', code: 'S3', question: 'c', score: 3, target: 3, note: '' },
  ]);
  const struktur = s.find((e) => e.key === 'struktur')!;
  assert.equal(struktur.score, 3);
  assert.equal(struktur.percent, 75);
  assert.deepEqual(struktur.subs.map((x) => [x.name, x.score]), [['SDM', 3], ['Keuangan', 3]]);
  assert.equal(s.find((e) => e.key === 'infrastruktur')!.score, null);
});
