import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { isElementOf } from '../plan/index.ts';
import { bidangOf, suggest, suggestProgram } from './programs.suggest.ts';

/** examples/program-names-labelled.csv: made-up regional program names with the dimension and element a planner would give them. */
function labelled(file = 'program-names-labelled.csv'): { name: string; dimension: string; element: string }[] {
  const text = fs.readFileSync(new URL(`../../../../examples/${file}`, import.meta.url), 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  assert.equal(lines[0], 'name;dimension;element');
  return lines.slice(1).map((l) => {
    const [name, dimension, element] = l.split(';');
    return { name: name!, dimension: dimension!, element: element! };
  });
}

test('the labelled sample: 150 or more names, each with a dimension and one of its elements', () => {
  const rows = labelled();
  assert.ok(rows.length >= 150, `${rows.length} names`);
  for (const r of rows) assert.ok(isElementOf(r.dimension, r.element), `${r.name}: ${r.dimension}.${r.element}`);
  assert.equal(new Set(rows.map((r) => r.name)).size, rows.length, 'no name twice');
});

test('the suggested dimension is right for at least 85% of the labelled names', () => {
  const rows = labelled();
  const misses: string[] = [];
  let elements = 0;
  for (const r of rows) {
    const s = suggest(r.name);
    if (s?.dimensionKey !== r.dimension) misses.push(`${r.name}: ${s ? `${s.dimensionKey}.${s.elementKey} (${s.words.join(', ')})` : 'no suggestion'}, expected ${r.dimension}.${r.element}`);
    else if (s.elementKey === r.element) elements++;
  }
  const accuracy = (rows.length - misses.length) / rows.length;
  const report = `dimension right for ${rows.length - misses.length}/${rows.length} (${(accuracy * 100).toFixed(1)}%), element too for ${elements}; misses:\n${misses.join('\n')}`;
  if (process.env.SUGGEST_REPORT) console.log(report);
  assert.ok(accuracy >= 0.85, report);
});

test('names held out of the tuning: the measure of names it was not fitted to stays where it was measured (68,8%)', () => {
  // examples/program-names-heldout.csv was written after the cues were set and is not used to set them:
  // 62,5% before the weighted cues, 68,8% after. A floor, so that a change that loses ground shows.
  const rows = labelled('program-names-heldout.csv');
  assert.ok(rows.length >= 60);
  const right = rows.filter((r) => suggest(r.name)?.dimensionKey === r.dimension).length;
  assert.ok(right / rows.length >= 0.65, `${right}/${rows.length}`);
});

test('the cases seen in the demo: solar street lights are energy, SPAM water pipes are living', () => {
  assert.deepEqual(pick(suggest('Penyediaan Perlengkapan Jalan dan Penerangan Jalan Umum Tenaga Surya')), ['environment', 'energy']);
  assert.deepEqual(pick(suggest('Pembangunan SPAM Jaringan Perpipaan di Kawasan Perdesaan')), ['living', 'harmony']);
  assert.deepEqual(pick(suggest('Penyelenggaraan Jaringan Intra Pemerintah Daerah')), ['governance', 'bureaucracy']);
  assert.equal(suggest('Belanja Alat Tulis Kantor'), null, 'nothing to go on: no suggestion');
});

test('a suggestion says which words it rests on', () => {
  const s = suggest('Pembinaan Bank Sampah di Setiap Kelurahan')!;
  assert.equal(s.dimensionKey, 'environment');
  assert.ok(s.words.includes('bank sampah'), s.words.join(', '));
  assert.ok(s.score > 0 && s.score <= 1);
});

const pick = (s: ReturnType<typeof suggest>) => (s ? [s.dimensionKey, s.elementKey] : null);

test('the code\'s bidang urusan is a cue: it decides a name with no word of the table or a tie, never against clear words', () => {
  assert.deepEqual(pick(suggestProgram({ code: '1.02.02.2.02.0040', name: 'Penanggulangan Tuberkulosis dan HIV/AIDS' })), ['living', 'health']);
  assert.ok(suggestProgram({ code: '1.02.02.2.02.0040', name: 'Penanggulangan Tuberkulosis dan HIV/AIDS' })!.words.includes('bidang urusan 1.02 Kesehatan'));
  assert.deepEqual(pick(suggestProgram({ code: '1.03.03.2.01.0006', name: 'Pembangunan SPAM Jaringan Perpipaan di Kawasan Perdesaan' })), ['living', 'harmony']);
  // clear words beat the sector: a public service application of the health office is governance
  assert.deepEqual(pick(suggestProgram({ code: '1.02.02.2.02.0041', name: 'Pengembangan Portal Layanan Publik Terpadu' })), ['governance', 'service']);
  // program 01 (the OPD's own offices) and the support affairs give no cue
  assert.equal(suggestProgram({ code: '1.02.01.2.01.0001', name: 'Penyediaan Alat Tulis Kantor' }), null);
  assert.equal(bidangOf('4.01.02'), null);
  assert.equal(bidangOf('bukan kode'), null);
});
