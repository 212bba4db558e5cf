/**
 * The chapters of the strategic analysis (Buku I, and the introduction of
 * every book): Pendahuluan, Analisis Kesiapan with its SWOT, and the vision,
 * missions and policy directions.
 */
import { radarSvg } from './export.charts.ts';
import { fmtNumber, readinessSummary, READINESS } from './export.data.ts';
import { periodOf, roman, type Chapter } from './book.ts';
import { dash, score } from './format.ts';

const LEGAL_BASIS = [
  'Undang-Undang Nomor 25 Tahun 2004 tentang Sistem Perencanaan Pembangunan Nasional',
  'Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah beserta perubahannya',
  'Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi',
  'Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik',
  'Peraturan Presiden Nomor 39 Tahun 2019 tentang Satu Data Indonesia',
  'Peraturan Menteri Dalam Negeri Nomor 86 Tahun 2017 tentang Tata Cara Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah',
  'Peraturan Menteri Dalam Negeri Nomor 90 Tahun 2019 tentang Klasifikasi, Kodefikasi, dan Nomenklatur Perencanaan Pembangunan dan Keuangan Daerah',
];

const titleCase = (s: string) => s.toLowerCase().replace(/(^|\s)(\p{L})/gu, (_, a: string, b: string) => a + b.toUpperCase()).replace(/\bDan\b/g, 'dan');

export const introduction: Chapter = {
  title: 'PENDAHULUAN',
  build(w, data, book) {
    const period = periodOf(data);
    w.section('Latar Belakang');
    w.p(`Gerakan Menuju 100 Smart City yang dibina ${data.ministry.nameId} (${data.ministry.short}) mendorong pemerintah daerah menyusun masterplan smart city sebagai panduan pembangunan kota/kabupaten cerdas. ${data.regionName} menyusun masterplan ini bersama seluruh Organisasi Perangkat Daerah (OPD), Dewan Smart City dan Tim Pelaksana, berdasarkan dokumen perencanaan daerah (RPJMD, Renstra, Renja dan RKPD).`);
    w.p(`${book.label} ${book.purpose}`);
    w.section('Maksud dan Tujuan');
    w.p(`Maksud penyusunan dokumen ini adalah memberikan arah dan pedoman pembangunan smart city ${data.regionName}${period ? ` untuk periode ${period}` : ''}. Tujuannya:`);
    w.ul([
      'mengukur kesiapan daerah (struktur, infrastruktur dan suprastruktur) serta kesenjangannya terhadap target;',
      'merumuskan visi, misi dan arah kebijakan smart city;',
      'menetapkan inisiatif per dimensi, quick win dan roadmap jangka pendek, menengah dan panjang beserta pembiayaannya;',
      'menjadi dasar implementasi, monitoring dan evaluasi tahunan.',
    ], true);
    w.section('Dasar Hukum');
    w.ul([...LEGAL_BASIS, `Peraturan Daerah ${data.regionName} tentang Rencana Pembangunan Jangka Menengah Daerah`], true);
    w.section('Sistematika Penulisan');
    w.ul(book.chapters.map((c, i) => `Bab ${roman(i + 1)} ${titleCase(c.title)}`));
  },
};

export const readiness: Chapter = {
  title: 'ANALISIS KESIAPAN',
  async build(w, data) {
    const summary = readinessSummary(data.readiness);
    if (data.readinessYear === null) w.empty('Asesmen kesiapan belum diisi.');
    else {
      w.p(`Asesmen kesiapan tahun ${data.readinessYear} menilai tiga elemen kesiapan: Struktur (SDM, keuangan, tata kelola), Infrastruktur (fisik, digital, sosial) dan Suprastruktur (regulasi, kelembagaan, implementasi), dengan skor 0–4 per butir.`);
      w.section('Kesiapan per Elemen');
      const gap = (s: number | null, t: number | null) => (s !== null && t !== null ? score(Math.max(0, t - s)) : '-');
      w.table({
        caption: `Skor kesiapan per elemen, ${data.readinessYear}`,
        headers: ['Elemen', 'Sub-elemen', 'Skor (0–4)', 'Target', 'Kesenjangan', 'Capaian'],
        widths: [18, 22, 15, 15, 15, 15],
        align: ['l', 'l', 'r', 'r', 'r', 'r'],
        rows: summary.flatMap((e) => [
          [e.name, 'Rata-rata elemen', score(e.score), score(e.target), gap(e.score, e.target), e.percent === null ? '-' : `${fmtNumber(Math.round(e.percent * 10) / 10, 1)}%`],
          ...e.subs.map((s) => ['', s.name, score(s.score), score(s.target), gap(s.score, s.target), s.score === null ? '-' : `${fmtNumber(Math.round((s.score / 4) * 1000) / 10, 1)}%`]),
        ]),
      });
      const axes = summary.flatMap((e) => (e.subs.length ? e.subs.map((s) => ({ label: s.name, score: s.score ?? 0, target: s.target ?? 0 })) : [{ label: e.name, score: e.score ?? 0, target: e.target ?? 0 }]));
      await w.figure(radarSvg(`Kesiapan ${data.regionShort} ${data.readinessYear}`, axes.map((a) => a.label), [{ name: 'Kondisi saat ini', values: axes.map((a) => a.score) }, { name: 'Target', values: axes.map((a) => a.target), color: '#ea580c' }], 4), `Radar kesiapan per sub-elemen, ${data.readinessYear}`);
      w.section('Rincian Asesmen');
      const elementName = (key: string) => READINESS.find((r) => r.key === key)?.name ?? key;
      w.table({
        caption: 'Butir asesmen kesiapan',
        headers: ['Elemen', 'Kode', 'Butir', 'Skor', 'Target', 'Catatan'],
        widths: [14, 10, 40, 8, 8, 20],
        align: ['l', 'l', 'l', 'r', 'r', 'l'],
        rows: data.readiness.map((i) => [elementName(i.element), dash(i.code), dash(i.question), score(i.score), score(i.target), dash(i.note)]),
      });
      w.section('Analisis Kesenjangan');
      const gaps = data.readiness.filter((i) => i.score !== null && i.target !== null && i.target > i.score).sort((x, y) => y.target! - y.score! - (x.target! - x.score!));
      if (gaps.length === 0) w.p('Tidak ada butir yang skornya di bawah target.');
      else
        w.table({
          caption: 'Kesenjangan antara kondisi saat ini dan target',
          headers: ['Elemen', 'Butir', 'Skor', 'Target', 'Kesenjangan'],
          widths: [16, 48, 12, 12, 12],
          align: ['l', 'l', 'r', 'r', 'r'],
          rows: gaps.map((i) => [elementName(i.element), dash(i.question), score(i.score), score(i.target), score(i.target! - i.score!)]),
        });
    }
    w.section('Analisis SWOT');
    const swotElements = READINESS.filter((r) => data.swot[r.key]);
    if (swotElements.length === 0) w.empty('Analisis SWOT belum diisi.');
    for (const r of swotElements) {
      const s = data.swot[r.key]!;
      const joined = (xs: string[]) => (xs.length ? xs.map((x) => `• ${x}`).join('\n') : '-');
      w.table({
        caption: `SWOT elemen ${r.name}`,
        headers: ['Kekuatan (Strengths)', 'Kelemahan (Weaknesses)'],
        widths: [50, 50],
        rows: [[joined(s.strengths), joined(s.weaknesses)], ['Peluang (Opportunities)', 'Ancaman (Threats)'], [joined(s.opportunities), joined(s.threats)]],
      });
    }
  },
};

/** The vision, missions and policy directions (the strategies drawn from the SWOT slot in after it, books.ts). */
export const strategy: Chapter = {
  title: 'ANALISIS STRATEGIS',
  build(w, data) {
    w.section('Visi');
    w.p(data.plan.vision || 'Visi belum dirumuskan.', !data.plan.vision);
    w.section('Misi');
    if (data.plan.missions.length) w.ul(data.plan.missions, true);
    else w.empty('Misi belum dirumuskan.');
    w.section('Arah Kebijakan');
    if (data.plan.policyDirections.length) w.ul(data.plan.policyDirections, true);
    else w.empty('Arah kebijakan belum dirumuskan.');
    const period = periodOf(data);
    if (period) w.p(`Periode masterplan: ${period}.`);
  },
};
