/**
 * The master plan's records as document blocks (export.content.ts renders them
 * in its books): pure functions of the records the service answers. Each takes
 * the chapter's number and its first section's, so that the book places them.
 * Buku I: the regional profile, current condition and strategic issues per
 * dimension, the ICT inventory (currentConditionBlocks); strategies from the
 * SWOT and goals per dimension (strategyBlocks). Buku II: development plans
 * (developmentBlocks), adoption status and appendices (adoptionBlocks).
 */
import type { Block } from '../documents/export.content.ts';
import { fmtNumber, fmtRupiah } from '../documents/export.data.ts';
import { DIMENSIONS, READINESS } from '../plan/plan.framework.ts';
import {
  ADOPTION_STATUSES, APPENDIX_KINDS, DEVELOPMENT_AREAS, DEVELOPMENT_STATUSES, ICT_KINDS, ICT_STATUSES, nameOf, PROFILE_GROUPS, PROFILE_INDICATORS, QUADRANTS,
} from './records.constants.ts';
import type { Records } from './records.contract.ts';

type Table = Extract<Block, { kind: 'table' }>;
/** Where the blocks go: the chapter's number and the number of the first section they add (e.g. 2 and 5: "2.5"). */
export interface Place { chapter: number; section: number }

const dash = (v: string | null | undefined) => (v === null || v === undefined || v.trim() === '' ? '-' : v);
const dimName = (key: string | null) => (key === null ? 'Semua dimensi' : DIMENSIONS.find((d) => d.key === key)?.nameId ?? key);
const empty = (text: string): Block => ({ kind: 'p', text, italic: true });
const h2 = (place: Place, i: number, text: string): Block => ({ kind: 'h', level: 2, text: `${place.chapter}.${place.section + i} ${text}` });
const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
/** "2026-03-14" → "14 Maret 2026" */
const fmtIsoDate = (d: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? ''} ${m[1]}` : d;
};

/** A profile value in its unit, Indonesian number format. */
export function profileValue(key: string, value: number | null): string {
  const i = PROFILE_INDICATORS.find((x) => x.key === key);
  if (value === null || !i) return '-';
  if (i.rupiah) return fmtRupiah(value);
  return `${fmtNumber(value)} ${i.unitId}`;
}

/** Buku I: the regional profile, the current condition and strategic issues per dimension, the ICT inventory. */
export function currentConditionBlocks(r: Records, place: Place): Block[] {
  const b: Block[] = [];
  b.push(h2(place, 0, 'Profil Daerah'));
  const filled = r.profile.filter((v) => v.value !== null);
  if (filled.length === 0) b.push(empty('Profil daerah belum diisi.'));
  else {
    b.push({ kind: 'p', text: 'Gambaran umum daerah: geografi, kependudukan, perekonomian, pembangunan manusia dan kapasitas fiskal, masing-masing dengan tahun dan sumber datanya.' });
    b.push({
      kind: 'table', caption: 'Profil daerah', headers: ['Kelompok', 'Indikator', 'Nilai', 'Tahun', 'Sumber'], widths: [18, 26, 22, 9, 25], align: ['l', 'l', 'r', 'c', 'l'],
      rows: PROFILE_GROUPS.flatMap((g) => filled.filter((v) => v.group === g.key).map((v) => [g.nameId, nameOf(PROFILE_INDICATORS, v.key), profileValue(v.key, v.value), String(v.year ?? '-'), dash(v.source)])),
    });
  }

  b.push(h2(place, 1, 'Kondisi Saat Ini dan Isu Strategis per Dimensi'));
  if (r.issues.length === 0) b.push(empty('Isu strategis per dimensi belum dirumuskan.'));
  else
    for (const d of DIMENSIONS) {
      const mine = r.issues.filter((i) => i.dimensionKey === d.key);
      b.push({ kind: 'h', level: 3, text: d.nameId });
      if (mine.length === 0) b.push(empty('Belum ada isu strategis untuk dimensi ini.'));
      else b.push({ kind: 'ul', numbered: true, items: mine.map((i) => (i.description ? `${i.title}: ${i.description}` : i.title)) });
    }

  b.push(h2(place, 2, 'Inventaris TIK yang Ada'));
  if (r.ict.items.length === 0) b.push(empty('Inventaris aplikasi, jaringan, pusat data dan command center belum dicatat.'));
  else
    b.push({
      kind: 'table', caption: 'Inventaris TIK yang ada', headers: ['Jenis', 'Nama', 'OPD', 'Status', 'Keterangan'], widths: [16, 26, 12, 16, 30],
      rows: r.ict.items.map((i) => [nameOf(ICT_KINDS, i.kind), i.name, dash(i.opdCode), nameOf(ICT_STATUSES, i.status), dash(i.description)]),
    });
  const p = r.ict.platform;
  b.push({ kind: 'p', text: `Perangkat dan aset yang terpantau langsung oleh platform: ${fmtNumber(p.devices.total)} perangkat (${fmtNumber(p.devices.online)} daring saat dokumen dibuat) dan ${fmtNumber(p.assetsTotal)} aset.` });
  if (p.assets.length)
    b.push({
      kind: 'table', caption: 'Aset yang terpantau platform per jenis', headers: ['Jenis aset', 'Jumlah'], widths: [70, 30], align: ['l', 'r'],
      rows: [...p.assets.map((a) => [a.nameId, fmtNumber(a.count)]), ['Jumlah', fmtNumber(p.assetsTotal)]],
      rowStyles: [...p.assets.map(() => ({ indent: 0, bold: false, indentColumn: 0 })), { indent: 0, bold: true, indentColumn: 0 }],
    });
  return b;
}

/** Buku I: strategies drawn from the SWOT (per quadrant) and the goals per dimension. */
export function strategyBlocks(r: Records, place: Place): Block[] {
  const b: Block[] = [];
  b.push(h2(place, 0, 'Strategi dari Analisis SWOT'));
  if (r.strategies.length === 0) b.push(empty('Strategi SO, ST, WO dan WT belum dirumuskan.'));
  else {
    b.push({ kind: 'p', text: 'Strategi dirumuskan dengan memasangkan faktor internal (kekuatan, kelemahan) dan eksternal (peluang, ancaman) dari analisis SWOT.' });
    const t: Table = {
      kind: 'table', caption: 'Strategi dari analisis SWOT', headers: ['Kuadran', 'Strategi', 'Elemen SWOT', 'Dimensi'], widths: [22, 44, 14, 20],
      rows: r.strategies.map((s) => [nameOf(QUADRANTS, s.quadrant), s.text, s.element ? READINESS.find((e) => e.key === s.element)?.nameId ?? s.element : '-', dimName(s.dimensionKey)]),
    };
    b.push(t);
  }
  b.push(h2(place, 1, 'Tujuan per Dimensi'));
  if (r.goals.length === 0) b.push(empty('Tujuan per dimensi belum dirumuskan.'));
  else
    b.push({
      kind: 'table', caption: 'Tujuan per dimensi smart city', headers: ['Dimensi', 'Tujuan', 'Indikator', 'Target'], widths: [20, 36, 24, 20],
      rows: r.goals.map((g) => [dimName(g.dimensionKey), g.text, dash(g.indicator), dash(g.target)]),
    });
  return b;
}

/** Buku II: the development plans for regulation, institutions, people and infrastructure. */
export function developmentBlocks(r: Records, place: Place): Block[] {
  const b: Block[] = [h2(place, 0, 'Rencana Pengembangan Regulasi, Kelembagaan, SDM dan Infrastruktur')];
  if (r.developmentPlans.length === 0) return [...b, empty('Rencana pengembangan belum disusun.')];
  for (const a of DEVELOPMENT_AREAS) {
    const mine = r.developmentPlans.filter((d) => d.area === a.key);
    if (mine.length === 0) continue;
    b.push({
      kind: 'table', caption: `Rencana pengembangan ${a.nameId.toLowerCase()}`, headers: ['Rencana', 'Tahun', 'OPD penanggung jawab', 'Status', 'Keterangan'], widths: [38, 9, 17, 14, 22], align: ['l', 'c', 'l', 'l', 'l'],
      rows: mine.map((d) => [d.what, String(d.year), dash(d.opdCode), nameOf(DEVELOPMENT_STATUSES, d.status), dash(d.note)]),
    });
  }
  return b;
}

/** Buku II: the plan's adoption status and its appendices. */
export function adoptionBlocks(r: Records, place: Place): Block[] {
  const a = r.adoption;
  const b: Block[] = [h2(place, 0, 'Status Penetapan Masterplan')];
  const status = nameOf(ADOPTION_STATUSES, a.status) || 'Draf';
  const parts = [`Status: ${status}.`];
  if (a.perbupNumber) parts.push(`Peraturan Bupati Nomor ${a.perbupNumber}${a.perbupDate ? ` tanggal ${fmtIsoDate(a.perbupDate)}` : ''}.`);
  if (a.rpjmdReference) parts.push(`Terintegrasi dalam ${a.rpjmdReference}.`);
  if (a.note) parts.push(a.note);
  b.push({ kind: 'p', text: parts.join(' ') });
  b.push(h2(place, 1, 'Daftar Lampiran'));
  if (r.appendices.length === 0) b.push(empty('Belum ada lampiran yang dicatat.'));
  else
    b.push({
      kind: 'table', caption: 'Daftar lampiran', headers: ['No', 'Lampiran', 'Jenis', 'Berkas'], widths: [8, 52, 22, 18], align: ['c', 'l', 'l', 'l'],
      rows: r.appendices.map((x, i) => [String(i + 1), x.title, nameOf(APPENDIX_KINDS, x.kind), x.file ? 'pindaian terlampir' : '-']),
    });
  return b;
}
