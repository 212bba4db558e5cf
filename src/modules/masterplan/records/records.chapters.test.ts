import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Block } from '../documents/export.content.ts';
import { adoptionBlocks, currentConditionBlocks, developmentBlocks, profileValue, strategyBlocks } from './records.chapters.ts';
import type { Records } from './records.contract.ts';

const stamps = { createdAt: 0, updatedAt: 0 };
const empty: Records = {
  period: { start: 2022, end: 2032 },
  profile: [{ key: 'population', group: 'population', value: null, year: null, source: '', note: '', updatedAt: null }],
  issues: [], ict: { items: [], platform: { devices: { total: 0, online: 0 }, assets: [], assetsTotal: 0 } }, strategies: [], goals: [], developmentPlans: [],
  adoption: { status: 'draft', perbupNumber: '', perbupDate: '', rpjmdReference: '', note: '', updatedAt: null }, appendices: [],
};
const headings = (bs: Block[]) => bs.flatMap((b) => (b.kind === 'h' ? [b.text] : []));
const italics = (bs: Block[]) => bs.flatMap((b) => (b.kind === 'p' && b.italic ? [b.text] : []));
const tables = (bs: Block[]) => bs.flatMap((b) => (b.kind === 'table' ? [b] : []));

test('empty records give each section with a line that says what is missing, numbered where the book places them', () => {
  const b = [...currentConditionBlocks(empty, { chapter: 2, section: 5 }), ...strategyBlocks(empty, { chapter: 3, section: 4 }), ...developmentBlocks(empty, { chapter: 7, section: 4 }), ...adoptionBlocks(empty, { chapter: 7, section: 5 })];
  assert.deepEqual(headings(b), [
    '2.5 Profil Daerah', '2.6 Kondisi Saat Ini dan Isu Strategis per Dimensi', '2.7 Inventaris TIK yang Ada', '3.4 Strategi dari Analisis SWOT', '3.5 Tujuan per Dimensi',
    '7.4 Rencana Pengembangan Regulasi, Kelembagaan, SDM dan Infrastruktur', '7.5 Status Penetapan Masterplan', '7.6 Daftar Lampiran',
  ]);
  assert.deepEqual(italics(b), [
    'Profil daerah belum diisi.', 'Isu strategis per dimensi belum dirumuskan.', 'Inventaris aplikasi, jaringan, pusat data dan command center belum dicatat.',
    'Strategi SO, ST, WO dan WT belum dirumuskan.', 'Tujuan per dimensi belum dirumuskan.', 'Rencana pengembangan belum disusun.', 'Belum ada lampiran yang dicatat.',
  ]);
  assert.equal(tables(b).length, 0);
});

test('values in Indonesian formats, issues under each dimension in the framework\'s order, plans per area, the Perbup dated in words', () => {
  assert.equal(profileValue('pdrb', 21_400_000_000_000), 'Rp 21.400.000.000.000');
  assert.equal(profileValue('pdrb_growth', 4.8), '4,8 %');
  assert.equal(profileValue('population', 395_570), '395.570 jiwa');
  assert.equal(profileValue('ipm', null), '-');
  const r: Records = {
    ...empty,
    issues: [{ id: 'i1', dimensionKey: 'environment', title: 'Karhutla', description: 'Titik panas', ...stamps }, { id: 'i2', dimensionKey: 'governance', title: 'Aplikasi terpisah', description: '', ...stamps }],
    developmentPlans: [
      { id: 'd1', area: 'infrastructure', what: 'Ruang kendali', year: 2027, opdId: null, opdCode: 'DISKOMINFO', status: 'planned', note: '', ...stamps },
      { id: 'd2', area: 'regulation', what: 'Perbup Masterplan', year: 2026, opdId: null, opdCode: null, status: 'done', note: '', ...stamps },
    ],
    adoption: { ...empty.adoption, status: 'perbup', perbupNumber: '12 Tahun 2026', perbupDate: '2026-03-14' },
  };
  const now = currentConditionBlocks(r, { chapter: 2, section: 5 });
  const dims = headings(now).filter((h) => !/^\d/.test(h));
  assert.deepEqual(dims.slice(0, 2), ['Smart Governance (tata kelola)', 'Smart Branding (citra daerah)'], 'every dimension, in order');
  const lists = now.flatMap((b) => (b.kind === 'ul' ? [b.items] : []));
  assert.deepEqual(lists, [['Aplikasi terpisah'], ['Karhutla: Titik panas']]);
  const dev = tables(developmentBlocks(r, { chapter: 7, section: 4 }));
  assert.deepEqual(dev.map((t) => t.caption), ['Rencana pengembangan regulasi (perbup)', 'Rencana pengembangan infrastruktur'], 'areas in their order');
  assert.deepEqual(dev[0]!.rows, [['Perbup Masterplan', '2026', '-', 'Selesai', '-']]);
  const adopted = adoptionBlocks(r, { chapter: 7, section: 5 })[1]!;
  assert.equal(adopted.kind === 'p' && adopted.text, 'Status: Ditetapkan dengan Peraturan Bupati. Peraturan Bupati Nomor 12 Tahun 2026 tanggal 14 Maret 2026.');
});
