/**
 * The master plan document as a list of blocks (headings, paragraphs, lists,
 * tables, charts), in Bahasa Indonesia, following the chapters of Kominfo's
 * guide. The DOCX and PDF writers render the same blocks.
 */
import { barsSvg, columnsSvg, radarSvg, renderSvg, type Png } from './export.charts.ts';
import { DIMENSIONS, fmtDate, fmtNumber, fmtRupiah, HORIZONS, readinessSummary, READINESS, type ExportData, type ProgramRow } from './export.data.ts';
import { EVAL_DIMENSIONS, EVAL_DIMENSION_NAMES } from './evaluation.service.ts';
import { BUDGET_DOCUMENTS } from './programs.budget.ts';
import { buildHierarchy, type HierarchyLine } from './programs.hierarchy.ts';
import { adoptionBlocks, currentConditionBlocks, developmentBlocks, strategyBlocks } from './records/records.chapters.ts';

export type Book = 'masterplan' | 'strategic';

export type Block =
  | { kind: 'h'; level: 1 | 2 | 3; text: string }
  | { kind: 'p'; text: string; italic?: boolean }
  | { kind: 'ul'; items: string[]; numbered?: boolean }
  | { kind: 'table'; caption: string; headers: string[]; rows: string[][]; widths: number[]; align?: ('l' | 'r' | 'c')[]; rowStyles?: RowStyle[] }
  | { kind: 'image'; png: Png; caption: string }
  | { kind: 'pagebreak' };

/** How a row of a hierarchical table is set: its level (the column `indentColumn` is indented) and whether it is a subtotal or total (bold). */
export interface RowStyle { indent: number; bold: boolean; indentColumn: number }

export interface DocumentContent {
  title: string;
  subtitle: string;
  blocks: Block[];
}

export const CHAPTERS = {
  pendahuluan: 'BAB I PENDAHULUAN',
  kesiapan: 'BAB II ANALISIS KESIAPAN',
  strategis: 'BAB III ANALISIS STRATEGIS',
  dimensi: 'BAB IV RENCANA PER DIMENSI',
  quickwin: 'BAB V QUICK WIN',
  roadmap: 'BAB VI ROADMAP',
  monitoring: 'BAB VII IMPLEMENTASI DAN MONITORING',
} as const;

const dash = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '-' : v);
const score = (v: number | null) => (v === null ? '-' : fmtNumber(Math.round(v * 100) / 100));
const dimName = (key: string | null) => DIMENSIONS.find((d) => d.key === key)?.name ?? 'Belum dipetakan';
const elementName = (dim: string | null, el: string | null) => DIMENSIONS.find((d) => d.key === dim)?.elements.find((e) => e.key === el)?.name ?? '';

const LEGAL_BASIS = [
  'Undang-Undang Nomor 25 Tahun 2004 tentang Sistem Perencanaan Pembangunan Nasional',
  'Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah beserta perubahannya',
  'Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi',
  'Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik',
  'Peraturan Presiden Nomor 39 Tahun 2019 tentang Satu Data Indonesia',
  'Peraturan Menteri Dalam Negeri Nomor 86 Tahun 2017 tentang Tata Cara Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah',
  'Peraturan Menteri Dalam Negeri Nomor 90 Tahun 2019 tentang Klasifikasi, Kodefikasi, dan Nomenklatur Perencanaan Pembangunan dan Keuangan Daerah',
];

const kpiText = (p: ProgramRow) => (p.kpiTargets.length ? p.kpiTargets.join('; ') : p.indicator ? `${p.indicator}${p.target ? `: ${p.target}${p.unit ? ` ${p.unit}` : ''}` : ''}` : '-');

/**
 * The programs of a dimension as program → kegiatan → sub kegiatan, each
 * amount the sum of the amounts right below it, and a closing total row equal to
 * the sum of the top rows. A row listed only as the parent of rows of this
 * dimension (itself mapped elsewhere) says so.
 */
function programTable(caption: string, lines: HierarchyLine<ProgramRow>[], budgetDocument: (year: number | null) => string | undefined): Extract<Block, { kind: 'table' }> {
  const total = lines.filter((l) => l.depth === 0).reduce((a, l) => a + l.amount, 0);
  const hasChildren = (i: number) => lines[i + 1] !== undefined && lines[i + 1]!.depth > lines[i]!.depth;
  const rows = lines.map((l) => {
    const p = l.row;
    const from = budgetDocument(p.year);
    // a Renstra or RPJMD row of a year the RKPD covers lists its money without adding it
    const note = l.context
      ? ' (induk; dipetakan ke dimensi lain)'
      : from !== undefined && from !== p.document && p.budget > 0
        ? ` (${p.document}, pagu ${fmtRupiah(p.budget)} tidak dijumlahkan: anggaran ${p.year} diambil dari ${from})`
        : '';
    return [p.code, `${p.name}${note}`, dash(p.opdCode), fmtRupiah(l.amount), p.year === null ? '-' : String(p.year), kpiText(p)];
  });
  return {
    kind: 'table',
    caption,
    headers: ['Kode', 'Program/Kegiatan/Sub Kegiatan', 'OPD', 'Anggaran', 'Tahun', 'Target KPI'],
    widths: [15, 30, 10, 17, 7, 21],
    align: ['l', 'l', 'l', 'r', 'c', 'l'],
    rows: [...rows, ['', 'Jumlah', '', fmtRupiah(total), '', '']],
    rowStyles: [...lines.map((l, i) => ({ indent: l.depth, bold: hasChildren(i), indentColumn: 1 })), { indent: 0, bold: true, indentColumn: 1 }],
  };
}

/** The document each year's budget is taken from (programs.budget.ts: the RKPD, else the Renja, Renstra, RPJMD, RPJPD). */
function budgetDocumentOf(programs: ProgramRow[]): (year: number | null) => string | undefined {
  const best = new Map<number | null, string>();
  const rank = (d: string) => {
    const i = (BUDGET_DOCUMENTS as readonly string[]).indexOf(d.toUpperCase());
    return i === -1 ? BUDGET_DOCUMENTS.length : i;
  };
  for (const p of programs) {
    const had = best.get(p.year);
    if (had === undefined || rank(p.document) < rank(had)) best.set(p.year, p.document);
  }
  return (year) => best.get(year);
}

export async function buildContent(data: ExportData, book: Book, options: { charts: boolean }): Promise<DocumentContent> {
  const b: Block[] = [];
  const strategic = book === 'strategic';
  const period = data.plan.periodStart && data.plan.periodEnd ? `${data.plan.periodStart}–${data.plan.periodEnd}` : null;
  const totalBudget = data.programs.reduce((a, p) => a + p.countedBudget, 0);
  let tableNo = 0;
  let figureNo = 0;
  const table = (t: Extract<Block, { kind: 'table' }>) => b.push({ ...t, caption: `Tabel ${++tableNo}. ${t.caption}` });
  // the records' sections (records/records.chapters.ts), their tables numbered with the book's
  const records = (blocks: Block[]) => blocks.forEach((x) => (x.kind === 'table' ? table(x) : b.push(x)));
  const figure = async (svg: string, caption: string) => {
    if (!options.charts) return;
    b.push({ kind: 'image', png: await renderSvg(svg), caption: `Gambar ${++figureNo}. ${caption}` });
  };

  // ---- BAB I ----
  b.push({ kind: 'h', level: 1, text: CHAPTERS.pendahuluan });
  b.push({ kind: 'h', level: 2, text: '1.1 Latar Belakang' });
  b.push({
    kind: 'p',
    text: `Gerakan Menuju 100 Smart City yang dibina ${data.ministry.nameId} (${data.ministry.short}) mendorong pemerintah daerah menyusun masterplan smart city sebagai panduan pembangunan kota/kabupaten cerdas. ${data.regionName} menyusun masterplan ini bersama seluruh Organisasi Perangkat Daerah (OPD), Dewan Smart City dan Tim Pelaksana, berdasarkan dokumen perencanaan daerah (RPJMD, Renstra, Renja dan RKPD).`,
  });
  if (!strategic) {
    b.push({ kind: 'p', text: `Masterplan ini memuat ${fmtThousands(data.programs.length)} program/kegiatan dengan total anggaran ${fmtRupiah(totalBudget)}, yang dipetakan ke enam dimensi smart city: Smart Governance, Smart Branding, Smart Economy, Smart Living, Smart Society dan Smart Environment.` });
  }
  b.push({ kind: 'h', level: 2, text: '1.2 Maksud dan Tujuan' });
  b.push({ kind: 'p', text: `Maksud penyusunan dokumen ini adalah memberikan arah dan pedoman pembangunan smart city ${data.regionName}${period ? ` untuk periode ${period}` : ''}. Tujuannya:` });
  b.push({
    kind: 'ul',
    numbered: true,
    items: [
      'mengukur kesiapan daerah (struktur, infrastruktur dan suprastruktur) serta kesenjangannya terhadap target;',
      'merumuskan visi, misi dan arah kebijakan smart city;',
      'menetapkan program prioritas per dimensi, quick win dan roadmap jangka pendek, menengah dan panjang;',
      'menjadi dasar implementasi, monitoring dan evaluasi tahunan.',
    ],
  });
  b.push({ kind: 'h', level: 2, text: '1.3 Dasar Hukum' });
  b.push({ kind: 'ul', numbered: true, items: [...LEGAL_BASIS, `Peraturan Daerah ${data.regionName} tentang Rencana Pembangunan Jangka Menengah Daerah`] });
  b.push({ kind: 'h', level: 2, text: '1.4 Sistematika Penulisan' });
  b.push({
    kind: 'ul',
    items: strategic
      ? ['Bab I Pendahuluan', 'Bab II Analisis Kesiapan', 'Bab III Analisis Strategis']
      : ['Bab I Pendahuluan', 'Bab II Analisis Kesiapan', 'Bab III Analisis Strategis', 'Bab IV Rencana per Dimensi', 'Bab V Quick Win', 'Bab VI Roadmap', 'Bab VII Implementasi dan Monitoring'],
  });

  // ---- BAB II ----
  b.push({ kind: 'pagebreak' });
  b.push({ kind: 'h', level: 1, text: CHAPTERS.kesiapan });
  const summary = readinessSummary(data.readiness);
  if (data.readinessYear === null) {
    b.push({ kind: 'p', text: 'Asesmen kesiapan belum diisi.', italic: true });
  } else {
    b.push({ kind: 'p', text: `Asesmen kesiapan tahun ${data.readinessYear} menilai tiga elemen kesiapan: Struktur (SDM, keuangan, tata kelola), Infrastruktur (fisik, digital, sosial) dan Suprastruktur (regulasi, kelembagaan, implementasi), dengan skor 0–4 per butir.` });
    b.push({ kind: 'h', level: 2, text: '2.1 Kesiapan per Elemen' });
    table({
      kind: 'table',
      caption: `Skor kesiapan per elemen, ${data.readinessYear}`,
      headers: ['Elemen', 'Sub-elemen', 'Skor (0–4)', 'Target', 'Kesenjangan', 'Capaian'],
      widths: [18, 22, 15, 15, 15, 15],
      align: ['l', 'l', 'r', 'r', 'r', 'r'],
      rows: summary.flatMap((e) => [
        [e.name, 'Rata-rata elemen', score(e.score), score(e.target), e.score !== null && e.target !== null ? score(Math.max(0, e.target - e.score)) : '-', e.percent === null ? '-' : `${fmtNumber(Math.round(e.percent * 10) / 10, 1)}%`],
        ...e.subs.map((s) => ['', s.name, score(s.score), score(s.target), s.score !== null && s.target !== null ? score(Math.max(0, s.target - s.score)) : '-', s.score === null ? '-' : `${fmtNumber(Math.round((s.score / 4) * 1000) / 10, 1)}%`]),
      ]),
    });
    const axes = summary.flatMap((e) => (e.subs.length ? e.subs.map((s) => ({ label: s.name, score: s.score ?? 0, target: s.target ?? 0 })) : [{ label: e.name, score: e.score ?? 0, target: e.target ?? 0 }]));
    await figure(radarSvg(`Kesiapan ${data.regionShort} ${data.readinessYear}`, axes.map((a) => a.label), [{ name: 'Kondisi saat ini', values: axes.map((a) => a.score) }, { name: 'Target', values: axes.map((a) => a.target), color: '#ea580c' }], 4), `Radar kesiapan per sub-elemen, ${data.readinessYear}`);
    b.push({ kind: 'h', level: 2, text: '2.2 Rincian Asesmen' });
    table({
      kind: 'table',
      caption: 'Butir asesmen kesiapan',
      headers: ['Elemen', 'Kode', 'Butir', 'Skor', 'Target', 'Catatan'],
      widths: [14, 10, 40, 8, 8, 20],
      align: ['l', 'l', 'l', 'r', 'r', 'l'],
      rows: data.readiness.map((i) => [READINESS.find((r) => r.key === i.element)?.name ?? i.element, dash(i.code), dash(i.question), score(i.score), score(i.target), dash(i.note)]),
    });
    b.push({ kind: 'h', level: 2, text: '2.3 Analisis Kesenjangan' });
    const gaps = data.readiness.filter((i) => i.score !== null && i.target !== null && i.target > i.score).sort((x, y) => y.target! - y.score! - (x.target! - x.score!));
    if (gaps.length === 0) b.push({ kind: 'p', text: 'Tidak ada butir yang skornya di bawah target.' });
    else
      table({
        kind: 'table',
        caption: 'Kesenjangan antara kondisi saat ini dan target',
        headers: ['Elemen', 'Butir', 'Skor', 'Target', 'Kesenjangan'],
        widths: [16, 48, 12, 12, 12],
        align: ['l', 'l', 'r', 'r', 'r'],
        rows: gaps.map((i) => [READINESS.find((r) => r.key === i.element)?.name ?? i.element, dash(i.question), score(i.score), score(i.target), score(i.target! - i.score!)]),
      });
  }
  b.push({ kind: 'h', level: 2, text: '2.4 Analisis SWOT' });
  const swotElements = READINESS.filter((r) => data.swot[r.key]);
  if (swotElements.length === 0) b.push({ kind: 'p', text: 'Analisis SWOT belum diisi.', italic: true });
  for (const r of swotElements) {
    const s = data.swot[r.key]!;
    const joined = (xs: string[]) => (xs.length ? xs.map((x) => `• ${x}`).join('\n') : '-');
    table({
      kind: 'table',
      caption: `SWOT elemen ${r.name}`,
      headers: ['Kekuatan (Strengths)', 'Kelemahan (Weaknesses)'],
      widths: [50, 50],
      rows: [[joined(s.strengths), joined(s.weaknesses)], ['Peluang (Opportunities)', 'Ancaman (Threats)'], [joined(s.opportunities), joined(s.threats)]],
    });
  }

  if (data.records) records(currentConditionBlocks(data.records, { chapter: 2, section: 5 }));

  // ---- BAB III ----
  b.push({ kind: 'pagebreak' });
  b.push({ kind: 'h', level: 1, text: CHAPTERS.strategis });
  b.push({ kind: 'h', level: 2, text: '3.1 Visi' });
  b.push({ kind: 'p', text: data.plan.vision || 'Visi belum dirumuskan.', italic: !data.plan.vision });
  b.push({ kind: 'h', level: 2, text: '3.2 Misi' });
  if (data.plan.missions.length) b.push({ kind: 'ul', numbered: true, items: data.plan.missions });
  else b.push({ kind: 'p', text: 'Misi belum dirumuskan.', italic: true });
  b.push({ kind: 'h', level: 2, text: '3.3 Arah Kebijakan' });
  if (data.plan.policyDirections.length) b.push({ kind: 'ul', numbered: true, items: data.plan.policyDirections });
  else b.push({ kind: 'p', text: 'Arah kebijakan belum dirumuskan.', italic: true });
  if (period) b.push({ kind: 'p', text: `Periode masterplan: ${period}.` });
  if (data.records) records(strategyBlocks(data.records, { chapter: 3, section: 4 }));

  if (!strategic) {
    // ---- BAB IV ----
    b.push({ kind: 'pagebreak' });
    b.push({ kind: 'h', level: 1, text: CHAPTERS.dimensi });
    const tree = buildHierarchy(data.programs);
    const budgetDocument = budgetDocumentOf(data.programs);
    const perDim = DIMENSIONS.map((d) => {
      const keep = (p: ProgramRow) => p.dimensionKey === d.key;
      return { d, programs: data.programs.filter(keep), lines: tree.lines(keep), budget: tree.total(keep) };
    });
    b.push({ kind: 'p', text: `Program, kegiatan dan sub kegiatan dari dokumen perencanaan dipetakan ke enam dimensi smart city dan elemennya; kegiatan dan sub kegiatan yang tidak dipetakan sendiri mengikuti programnya. Total ${fmtThousands(data.programs.length)} baris, anggaran ${fmtRupiah(totalBudget)}. Anggaran dijumlahkan sekali melalui hierarki program, kegiatan dan sub kegiatan (tabel menjorok per tingkat): pagu program dan kegiatan yang rinciannya tercantum adalah jumlah rinciannya.` });
    const unmappedKeep = (p: ProgramRow) => !DIMENSIONS.some((d) => d.key === p.dimensionKey);
    const unmappedBudget = tree.total(unmappedKeep);
    const unmappedCount = data.programs.filter(unmappedKeep).length;
    table({
      kind: 'table',
      caption: 'Ringkasan program per dimensi',
      headers: ['Dimensi', 'Jumlah baris', 'Quick win', 'Anggaran'],
      widths: [34, 20, 16, 30],
      align: ['l', 'r', 'r', 'r'],
      rows: [
        ...perDim.map(({ d, programs, budget }) => [d.name, fmtThousands(programs.length), fmtThousands(programs.filter((p) => p.quickWin).length), fmtRupiah(budget)]),
        ...(unmappedCount ? [['Belum dipetakan', fmtThousands(unmappedCount), fmtThousands(data.programs.filter((p) => unmappedKeep(p) && p.quickWin).length), fmtRupiah(unmappedBudget)]] : []),
        ['Jumlah', fmtThousands(data.programs.length), fmtThousands(data.programs.filter((p) => p.quickWin).length), fmtRupiah(totalBudget)],
      ],
      rowStyles: [...perDim.map(() => ({ indent: 0, bold: false, indentColumn: 0 })), ...(unmappedCount ? [{ indent: 0, bold: false, indentColumn: 0 }] : []), { indent: 0, bold: true, indentColumn: 0 }],
    });
    await figure(barsSvg('Anggaran per dimensi', perDim.map(({ d, budget }) => ({ label: d.name, value: budget })), (v) => (v >= 1e9 ? `Rp ${fmtNumber(Math.round(v / 1e7) / 100)} M` : fmtRupiah(v))), 'Anggaran program per dimensi smart city');
    let n = 0;
    for (const { d, programs, lines, budget } of perDim) {
      n++;
      b.push({ kind: 'h', level: 2, text: `4.${n} ${d.name}` });
      b.push({ kind: 'p', text: `Elemen: ${d.elements.map((e) => e.name).join(', ')}. ${programs.length ? `${fmtThousands(programs.length)} program/kegiatan/sub kegiatan, anggaran ${fmtRupiah(budget)}.` : 'Belum ada program yang dipetakan ke dimensi ini.'}` });
      if (programs.length) table(programTable(`Program ${d.name}`, lines, budgetDocument));
    }
    if (unmappedCount) {
      b.push({ kind: 'h', level: 2, text: `4.${n + 1} Program yang Belum Dipetakan` });
      table(programTable('Program yang belum dipetakan ke dimensi', tree.lines(unmappedKeep), budgetDocument));
    }

    // ---- BAB V ----
    b.push({ kind: 'pagebreak' });
    b.push({ kind: 'h', level: 1, text: CHAPTERS.quickwin });
    const quick = data.programs.filter((p) => p.quickWin);
    b.push({ kind: 'p', text: 'Quick win adalah program berdampak cepat (6–12 bulan) yang meningkatkan layanan yang sudah ada, untuk menunjukkan manfaat smart city sejak awal.' });
    if (quick.length === 0) b.push({ kind: 'p', text: 'Belum ada program yang ditandai sebagai quick win.', italic: true });
    else
      table({
        kind: 'table',
        caption: 'Program quick win',
        headers: ['Kode', 'Program/Kegiatan', 'OPD', 'Dimensi', 'Anggaran', 'Tahun'],
        widths: [16, 32, 10, 17, 17, 8],
        align: ['l', 'l', 'l', 'l', 'r', 'c'],
        rows: quick.map((p) => [p.code, p.name, dash(p.opdCode), `${dimName(p.dimensionKey)}${p.elementKey ? ` – ${elementName(p.dimensionKey, p.elementKey)}` : ''}`, fmtRupiah(p.budget), p.year === null ? '-' : String(p.year)]),
      });

    // ---- BAB VI ----
    b.push({ kind: 'pagebreak' });
    b.push({ kind: 'h', level: 1, text: CHAPTERS.roadmap });
    b.push({ kind: 'p', text: 'Roadmap menempatkan program pada jangka pendek (1 tahun), menengah (5 tahun) dan panjang (10 tahun), per tahun pelaksanaan.' });
    const placed = data.programs.filter((p) => p.horizon !== null || p.roadmapYear !== null);
    table({
      kind: 'table',
      caption: 'Program per jangka waktu',
      headers: ['Jangka waktu', 'Jumlah program', 'Anggaran'],
      widths: [45, 20, 35],
      align: ['l', 'r', 'r'],
      rows: [...Object.keys(HORIZONS), null].map((h) => {
        const ps = data.programs.filter((p) => p.horizon === h);
        return [h === null ? 'Belum ditempatkan' : HORIZONS[h]!, fmtThousands(ps.length), fmtRupiah(ps.reduce((a, p) => a + p.countedBudget, 0))];
      }),
    });
    const years = [...new Set(placed.map((p) => p.roadmapYear ?? p.year).filter((y): y is number => y !== null))].sort((x, y) => x - y);
    if (years.length)
      table({
        kind: 'table',
        caption: 'Roadmap per tahun',
        headers: ['Tahun', 'Jangka', 'Jumlah', 'Anggaran', 'Program'],
        widths: [9, 17, 9, 20, 45],
        align: ['c', 'l', 'r', 'r', 'l'],
        rows: years.flatMap((y) =>
          [...Object.keys(HORIZONS), null]
            .map((h) => ({ h, ps: placed.filter((p) => (p.roadmapYear ?? p.year) === y && p.horizon === h) }))
            .filter(({ ps }) => ps.length > 0)
            .map(({ h, ps }) => [String(y), h === null ? '-' : HORIZONS[h]!.replace(/ \(.*\)$/, ''), fmtThousands(ps.length), fmtRupiah(ps.reduce((a, p) => a + p.countedBudget, 0)), ps.slice(0, 8).map((p) => `${p.code} ${p.name}`).join('; ') + (ps.length > 8 ? `; dan ${ps.length - 8} lainnya` : '')]),
        ),
      });

    // ---- BAB VII ----
    b.push({ kind: 'pagebreak' });
    b.push({ kind: 'h', level: 1, text: CHAPTERS.monitoring });
    b.push({ kind: 'h', level: 2, text: '7.1 Lembar Komitmen' });
    if (data.commitments.length === 0) b.push({ kind: 'p', text: 'Lembar komitmen Bupati dan kepala OPD belum dicatat.', italic: true });
    else
      table({
        kind: 'table',
        caption: 'Lembar komitmen Bupati dan kepala OPD',
        headers: ['Penandatangan', 'Jabatan', 'OPD', 'Tanggal', 'Keterangan'],
        widths: [22, 26, 12, 16, 24],
        rows: data.commitments.map((c) => [c.signerName, c.position, c.opdCode ?? '(Kepala Daerah)', fmtDate(c.signedAt), `${c.note}${c.scanned ? `${c.note ? '; ' : ''}pindaian terlampir` : ''}` || '-']),
      });
    b.push({ kind: 'h', level: 2, text: '7.2 FGD dan Bimbingan Teknis' });
    if (data.sessions.length === 0) b.push({ kind: 'p', text: 'Belum ada sesi FGD/bimtek yang dicatat.', italic: true });
    else
      table({
        kind: 'table',
        caption: 'Sesi FGD / bimtek',
        headers: ['Putaran', 'Tanggal', 'Kegiatan', 'Tempat', 'Peserta', 'Keputusan'],
        widths: [9, 14, 20, 13, 20, 24],
        align: ['c', 'l', 'l', 'l', 'l', 'l'],
        rows: data.sessions.map((s) => [String(s.round), fmtDate(s.date), s.title, dash(s.place), s.participants.length ? `${s.participants.length} orang (${[...new Set(s.participants.map((x) => x.opd).filter(Boolean))].join(', ') || '-'})` : '-', s.decisions.length ? s.decisions.map((d, i) => `${i + 1}. ${d}`).join('\n') : '-']),
      });
    b.push({ kind: 'h', level: 2, text: '7.3 Monitoring dan Evaluasi' });
    b.push({ kind: 'p', text: `Evaluasi tahunan ${data.ministry.nameId} menilai lima dimensi evaluasi — Baseline, Output, Outcome, Impact dan Quick Win — dengan bobot yang ditetapkan per tahun. Indeks adalah rata-rata tertimbang kelima nilai (skala 0–5).` });
    const evals = data.evaluations.filter((e) => e.weights !== null);
    if (evals.length === 0) b.push({ kind: 'p', text: 'Belum ada evaluasi yang dicatat.', italic: true });
    else {
      table({
        kind: 'table',
        caption: 'Bobot evaluasi (%) dan indeks per tahun',
        headers: ['Tahun', ...EVAL_DIMENSIONS.map((d) => EVAL_DIMENSION_NAMES[d].id.replace(/ \(.*\)$/, '')), 'Indeks'],
        widths: [12, 14, 14, 14, 14, 16, 16],
        align: ['c', 'r', 'r', 'r', 'r', 'r', 'r'],
        rows: evals.map((e) => [String(e.year), ...EVAL_DIMENSIONS.map((d) => fmtNumber(e.weights![d])), e.index === null ? '-' : fmtNumber(e.index)]),
      });
      table({
        kind: 'table',
        caption: 'Nilai per dimensi evaluasi (0–5)',
        headers: ['Tahun', ...EVAL_DIMENSIONS.map((d) => EVAL_DIMENSION_NAMES[d].id.replace(/ \(.*\)$/, ''))],
        widths: [15, 17, 17, 17, 17, 17],
        align: ['c', 'r', 'r', 'r', 'r', 'r'],
        rows: evals.map((e) => [String(e.year), ...EVAL_DIMENSIONS.map((d) => score(e.scores[d]))]),
      });
      const last = evals[evals.length - 1]!;
      b.push({ kind: 'p', text: 'Indeks per dimensi smart city adalah rata-rata tertimbang nilai dimensi evaluasi yang memiliki butir atau survei untuk dimensi tersebut, dengan bobotnya disesuaikan secara proporsional; skalanya 0–5 seperti indeks keseluruhan. Kolom bobot yang tercakup menunjukkan bagian bobot yang didukung data.' });
      table({
        kind: 'table',
        caption: `Indeks per dimensi smart city, ${last.year}`,
        headers: ['Dimensi', 'Indeks (0–5)', 'Bobot yang tercakup', 'Rerata survei dampak (1–5)'],
        widths: [34, 20, 22, 24],
        align: ['l', 'r', 'r', 'r'],
        rows: last.byDimension.map((d) => [dimName(d.key), score(d.index), d.weightShare === null ? '-' : `${fmtNumber(d.weightShare)}%`, score(d.surveyMean)]),
      });
      await figure(columnsSvg('Indeks evaluasi smart city per tahun', evals.filter((e) => e.index !== null).map((e) => ({ label: String(e.year), value: e.index! })), 5), 'Indeks evaluasi per tahun (0–5)');
    }
    if (data.records) records([...developmentBlocks(data.records, { chapter: 7, section: 4 }), ...adoptionBlocks(data.records, { chapter: 7, section: 5 })]);
  }

  const title = strategic ? `BUKU I ANALISIS STRATEGIS SMART CITY` : `MASTERPLAN SMART CITY`;
  return { title, subtitle: `${data.regionName.toUpperCase()}${period ? ` ${period}` : ` ${data.year}`}`, blocks: b };
}

function fmtThousands(n: number): string {
  return fmtNumber(n);
}
