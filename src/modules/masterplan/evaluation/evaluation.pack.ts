/**
 * The self-assessment pack of a year, one ZIP to hand to the evaluators:
 * - `evaluasi-<region>-<year>.docx` (or .pdf): the evaluation as a document, written by the
 *   master plan's document writers (export.writers.ts, on their worker thread);
 * - `bukti/bukti-<year>.csv` and `bukti/bukti-<year>.json`: every piece of evidence — the figures
 *   each pre-filled score came from (where from, when computed) and the files uploaded;
 * - `bukti/berkas/…`: the uploaded evidence files themselves.
 */
import type { Clock } from '../../../core/clock.ts';
import { Readable } from 'node:stream';
import { zipParts, type ZipEntry } from '../../../platform/files/index.ts';
import type { IdentityService, Principal } from '../../identity/index.ts';
import type { Block, DocumentContent } from '../documents/export.content.ts';
import { fmtDate, fmtNumber, regionSlug } from '../documents/export.data.ts';
import type { WriterMeta } from '../documents/export.writers.ts';
import { DIMENSIONS } from '../plan/plan.framework.ts';
import type { Evaluation } from './evaluation.contract.ts';
import type { EvaluationEvidence } from './evaluation.evidence.ts';
import { AUTO_NAMES, type AutoKey } from './evaluation.constants.ts';
import type { EvaluationRepository } from './evaluation.repository.ts';
import { EVAL_DIMENSION_NAMES, EVAL_DIMENSIONS } from './evaluation.scoring.ts';
import type { EvaluationService } from './evaluation.service.ts';

export const ZIP_TYPE = 'application/zip';
/** Where the pack says that a listed file was missing (the request's log). */
interface PackLog { warn(details: object, message: string): void }
type Render = (format: 'docx' | 'pdf', content: DocumentContent, meta: WriterMeta) => Promise<Buffer>;

/** One line of the evidence list (CSV and JSON). */
interface EvidenceLine {
  item: string; evaluationDimension: string; kind: 'angka' | 'berkas'; label: string; labelEn: string;
  value: number | null; unit: string; source: string; sourceEn: string; at: string; file: string | null;
}

const num = (v: number | null) => (v === null ? '-' : fmtNumber(v));
const dimName = (key: string | null) => DIMENSIONS.find((d) => d.key === key)?.nameId ?? '-';
const elementName = (dim: string, el: string | null) => DIMENSIONS.find((d) => d.key === dim)?.elements.find((e) => e.key === el)?.nameId ?? '-';
const iso = (ms: number) => new Date(ms).toISOString();
const isAutoKey = (k: string): k is AutoKey => k in AUTO_NAMES;

/** The CSV of the evidence list: semicolons and decimal commas, as a spreadsheet in Indonesian opens it. */
function evidenceCsv(lines: EvidenceLine[]): string {
  const cell = (v: string) => (/[;"\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const head = ['butir', 'dimensi_evaluasi', 'jenis', 'keterangan', 'keterangan_en', 'nilai', 'satuan', 'sumber', 'sumber_en', 'waktu', 'berkas'];
  const rows = lines.map((l) => [l.item, l.evaluationDimension, l.kind, l.label, l.labelEn, l.value === null ? '' : String(l.value).replace('.', ','), l.unit, l.source, l.sourceEn, l.at, l.file ?? ''].map(cell).join(';'));
  return `\uFEFF${[head.join(';'), ...rows].join('\r\n')}\r\n`;
}

export class EvaluationPack {
  private readonly evaluation: EvaluationService;
  private readonly repo: EvaluationRepository;
  private readonly evidence: EvaluationEvidence;
  private readonly identity: Pick<IdentityService, 'getRegion'>;
  private readonly render: Render;
  private readonly clock: Clock;
  constructor(evaluation: EvaluationService, repo: EvaluationRepository, evidence: EvaluationEvidence, identity: Pick<IdentityService, 'getRegion'>, render: Render, clock: Clock) {
    this.evaluation = evaluation;
    this.repo = repo;
    this.evidence = evidence;
    this.identity = identity;
    this.render = render;
    this.clock = clock;
  }

  /**
   * The pack, streamed: the document and the evidence lists are made first (a failure there is
   * an error answer), then each evidence file is read from storage when its turn comes, so the
   * server holds one file at a time however many a year has.
   */
  async build(p: Principal, year: number, format: 'docx' | 'pdf', log: PackLog): Promise<{ data: Readable; filename: string }> {
    const e = await this.evaluation.get(p, year);
    const region = (await this.identity.getRegion(p.regionId)).name;
    const slug = `${regionSlug(region)}-${year}`;
    const now = this.clock.now();
    const entries: ZipEntry[] = [];
    const lines: EvidenceLine[] = [];
    const files: { item: string; filename: string; path: string; bytes: number }[] = [];
    const rows = await this.repo.evidenceOf(p.regionId, e.items.map((i) => i.id));
    const used = new Set<string>();
    for (const [n, it] of e.items.entries()) {
      const dim = EVAL_DIMENSION_NAMES[it.dimension].id;
      for (const f of it.auto?.figures ?? []) lines.push({ item: it.name, evaluationDimension: dim, kind: 'angka', label: f.labelId, labelEn: f.labelEn, value: f.value, unit: f.unit, source: f.sourceId, sourceEn: f.sourceEn, at: iso(it.auto?.computedAt ?? now), file: null });
      for (const ev of it.evidence) {
        const row = rows.find((r) => r.id === ev.id);
        if (!row) continue;
        let path = `bukti/berkas/butir-${n + 1}-${ev.filename}`;
        for (let k = 2; used.has(path); k++) path = `bukti/berkas/butir-${n + 1}-${k}-${ev.filename}`;
        used.add(path);
        entries.push({ name: path, data: () => this.fileBytes(row.file_key, ev.filename, log), modified: ev.uploadedAt, compressed: !/^text\/|^image\/(svg|bmp)/.test(ev.contentType) });
        files.push({ item: it.name, filename: ev.filename, path, bytes: ev.bytes });
        lines.push({ item: it.name, evaluationDimension: dim, kind: 'berkas', label: ev.filename, labelEn: ev.filename, value: ev.bytes, unit: 'byte', source: 'unggahan', sourceEn: 'upload', at: iso(ev.uploadedAt), file: path });
      }
    }
    const content = this.content(e, region, files, now);
    const document = await this.render(format, content, { region, date: fmtDate(now) });
    entries.unshift(
      { name: `evaluasi-${slug}.${format}`, data: document, modified: now, compressed: true },
      { name: `bukti/bukti-${year}.csv`, data: Buffer.from(evidenceCsv(lines)), modified: now },
      { name: `bukti/bukti-${year}.json`, data: Buffer.from(JSON.stringify({ region, year, computedAt: iso(now), index: e.index, scores: e.scores, baseline: e.baseline, evidence: lines }, null, 2)), modified: now },
    );
    return { data: Readable.from(zipParts(entries)), filename: `paket-evaluasi-${slug}.zip` };
  }

  /** An evidence file's bytes; one listed but gone from storage becomes a note saying so, rather than a broken archive. */
  private async fileBytes(fileKey: string, filename: string, log: PackLog): Promise<Buffer> {
    const bytes = await this.evidence.bytes(fileKey);
    if (bytes) return bytes;
    log.warn({ fileKey }, 'an evidence file listed in the pack is missing from storage');
    return Buffer.from(`Berkas "${filename}" tidak ditemukan di penyimpanan platform.\r\nThe file "${filename}" is missing from the platform's storage.\r\n`);
  }

  private content(e: Evaluation, region: string, files: { item: string; filename: string; path: string; bytes: number }[], now: number): DocumentContent {
    const b: Block[] = [];
    const w = e.weights;
    b.push({ kind: 'h', level: 1, text: 'Ringkasan' });
    b.push({ kind: 'p', text: `Indeks evaluasi ${e.year}: ${num(e.index)} (skala 0–5), dihitung ${fmtDate(now)}.${e.startedFrom !== null ? ` Evaluasi ini dimulai dari evaluasi ${e.startedFrom}.` : ''}` });
    b.push({
      kind: 'table', caption: `Bobot dan skor dimensi evaluasi ${e.year}`, headers: ['Dimensi evaluasi', 'Bobot (%)', 'Skor (0–5)', 'Bobot × skor'], widths: [40, 20, 20, 20], align: ['l', 'r', 'r', 'r'],
      rows: [
        ...EVAL_DIMENSIONS.map((d) => [EVAL_DIMENSION_NAMES[d].id, w ? fmtNumber(w[d]) : '-', num(e.scores[d]), w && e.scores[d] !== null ? fmtNumber((w[d] * (e.scores[d] ?? 0)) / 100) : '-']),
        ['Indeks', w ? '100' : '-', '', num(e.index)],
      ],
    });
    b.push({ kind: 'h', level: 1, text: 'Baseline' });
    const bl = e.baseline;
    b.push({ kind: 'p', text: 'Baseline dihitung dari evaluasi sebelumnya: dengan P indeks evaluasi sebelumnya dan Q indeks evaluasi sebelum itu, Baseline = P + (P − Q), dibatasi 0–5 (tanpa Q: Baseline = P).' });
    if (bl.previous) b.push({ kind: 'p', text: `P = ${fmtNumber(bl.previous.index)} (${bl.previous.year})${bl.beforePrevious ? `, Q = ${fmtNumber(bl.beforePrevious.index)} (${bl.beforePrevious.year})` : ''}: Baseline dihitung ${num(bl.computed)}.` });
    else b.push({ kind: 'p', text: 'Belum ada evaluasi sebelumnya: Baseline tidak dapat dihitung.' });
    if (bl.override) b.push({ kind: 'p', text: `Diubah manual oleh ${bl.override.by} menjadi ${fmtNumber(bl.override.score)} (${fmtDate(bl.override.at)}): ${bl.override.reason}` });
    b.push({ kind: 'h', level: 1, text: 'Butir penilaian' });
    b.push({
      kind: 'table', caption: `Butir penilaian evaluasi ${e.year}`, headers: ['Dimensi evaluasi', 'Butir', 'Dimensi smart city', 'Skor', 'Asal skor', 'Bukti'], widths: [14, 30, 14, 8, 24, 10], align: ['l', 'l', 'l', 'r', 'l', 'r'],
      rows: e.items.map((it) => [
        EVAL_DIMENSION_NAMES[it.dimension].id, it.name, dimName(it.smartDimension), num(it.score),
        it.auto ? (it.auto.overridden ? `diubah manual oleh ${it.auto.changedBy ?? '-'}: ${it.auto.reason} (hitungan ${num(it.auto.computedScore)})` : `dihitung dari data platform, ${fmtDate(it.auto.computedAt)}`) : 'dinilai tim',
        `${it.evidence.length + (it.auto?.figures.length ?? 0)}`,
      ]),
    });
    const auto = e.items.filter((it) => it.auto);
    if (auto.length > 0) {
      b.push({ kind: 'h', level: 1, text: 'Bukti dari data platform' });
      for (const it of auto) {
        const a = it.auto;
        if (!a) continue;
        b.push({ kind: 'h', level: 2, text: isAutoKey(a.key) ? AUTO_NAMES[a.key].id : it.name });
        b.push({ kind: 'table', caption: `${it.name}: angka dan sumbernya (dihitung ${fmtDate(a.computedAt)})`, headers: ['Angka', 'Nilai', 'Satuan', 'Sumber'], widths: [40, 15, 12, 33], align: ['l', 'r', 'l', 'l'], rows: a.figures.map((f) => [f.labelId, num(f.value), f.unit, f.sourceId]) });
      }
    }
    b.push({ kind: 'h', level: 1, text: 'Survei dampak' });
    b.push({ kind: 'p', text: `Satu program per elemen dimensi smart city; ${fmtNumber(e.survey.answers)} jawaban warga (1–5).` });
    b.push({
      kind: 'table', caption: `Program survei dampak ${e.year}`, headers: ['Dimensi', 'Elemen', 'Program', 'Jawaban', 'Rata-rata'], widths: [18, 22, 36, 12, 12], align: ['l', 'l', 'l', 'r', 'r'],
      rows: e.survey.programs.map((x) => [dimName(x.dimensionKey), elementName(x.dimensionKey, x.elementKey), `${x.code} ${x.name}`, fmtNumber(x.answers), num(x.mean)]),
    });
    b.push({ kind: 'h', level: 1, text: 'Indeks per dimensi smart city' });
    b.push({ kind: 'table', caption: `Indeks per dimensi smart city ${e.year}`, headers: ['Dimensi', 'Indeks (0–5)', 'Rata-rata survei', 'Cakupan bobot (%)'], widths: [40, 20, 20, 20], align: ['l', 'r', 'r', 'r'], rows: e.byDimension.map((x) => [dimName(x.key), num(x.index), num(x.surveyMean), num(x.weightShare)]) });
    b.push({ kind: 'h', level: 1, text: 'Daftar berkas bukti' });
    if (files.length === 0) b.push({ kind: 'p', text: 'Tidak ada berkas bukti yang diunggah.' });
    else b.push({ kind: 'table', caption: 'Berkas bukti dalam paket ini', headers: ['Butir', 'Berkas', 'Ukuran (byte)', 'Letak dalam paket'], widths: [30, 25, 15, 30], align: ['l', 'l', 'r', 'l'], rows: files.map((f) => [f.item, f.filename, fmtNumber(f.bytes), f.path]) });
    return { title: `Evaluasi Mandiri Smart City ${e.year}`, subtitle: `Monitoring dan evaluasi masterplan smart city ${region}`, blocks: b };
  }
}
