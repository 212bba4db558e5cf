/**
 * Kominfo's yearly evaluation (monev) of the master plan: the five evaluation
 * dimensions Baseline, Output, Outcome, Impact and Quick Win, weighted per year by
 * the admin (the weights sum to 100), items scored 0–5 with evidence files, the
 * impact survey (three programs per smart city dimension, citizens' answers 1–5),
 * and the index per year (weighted average, 0–5) and per smart city dimension.
 *
 * How the index is computed (stated here so that a reviewer can check it by hand):
 * - a dimension's score is the mean of its scored items (items without a score are left out);
 * - Impact also counts the survey: each smart city dimension with answers adds one entry,
 *   the mean of its answers (1–5), to the Impact entries;
 * - a dimension with no entry at all scores 0 (nothing to show is scored as nothing), and the
 *   result says which dimensions had no data (`missing`);
 * - index = Σ weight × score / 100, rounded to 2 decimals.
 * Per smart city dimension the items tagged with that dimension and that dimension's survey mean
 * give the five scores the same way, but few dimensions have an item in each of the five evaluation
 * dimensions: counting the absent ones as 0 put a dimension whose one item scored 3,0 at 0,3 beside an
 * overall 3,31. A dimension's index is therefore the weighted mean of the evaluation dimensions it has
 * data for, the weights taken in proportion (Σ weight × score / Σ weight of those), on the same 0–5
 * scale as the overall index; `weightShare` says how much of the weighting that covers (0–100).
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Schema } from '../../platform/db/index.ts';
import { csvObjects, csvRowsTask, type FileStore, type ParserPool } from '../../platform/files/index.ts';
import type { Principal } from '../identity/index.ts';
import { acceptUpload, safeFilename, UPLOAD_MAX_BYTES } from './collaboration.files.ts';
import type { ActivityLog, CollaborationService } from './collaboration.service.ts';
import { DIMENSION_KEYS } from './masterplan.framework.ts';

export const EVAL_DIMENSIONS = ['baseline', 'output', 'outcome', 'impact', 'quickWin'] as const;
export type EvalDimension = (typeof EVAL_DIMENSIONS)[number];
export const EVAL_DIMENSION_NAMES: Record<EvalDimension, { id: string; en: string }> = {
  baseline: { id: 'Baseline', en: 'Baseline' },
  output: { id: 'Output', en: 'Output' },
  outcome: { id: 'Outcome', en: 'Outcome' },
  impact: { id: 'Impact (Dampak)', en: 'Impact' },
  quickWin: { id: 'Quick Win', en: 'Quick Win' },
};
/** The six smart city dimensions (keys as in MP-CORE's framework). */
export const SMART_DIMENSIONS: readonly string[] = DIMENSION_KEYS;
export const SURVEY_PROGRAMS_PER_DIMENSION = 3;

export type Weights = Record<EvalDimension, number>;
export type Scores = Record<EvalDimension, number | null>;

export interface EvidenceFile { id: string; filename: string; contentType: string; bytes: number; url: string; uploadedAt: number }
export interface EvalItem { id: string; dimension: EvalDimension; name: string; smartDimension: string | null; score: number | null; note: string; evidence: EvidenceFile[] }
export interface SurveyProgram { dimensionKey: string; programId: string; code: string; name: string; answers: number; mean: number | null; distribution: number[] }
export interface DimensionIndex { key: string; index: number | null; surveyMean: number | null; weightShare: number | null }
export interface Evaluation {
  year: number;
  weights: Weights | null;
  items: EvalItem[];
  survey: { programs: SurveyProgram[]; answers: number; byDimension: { key: string; mean: number | null; answers: number }[] };
  scores: Scores;
  missing: EvalDimension[];
  index: number | null;
  byDimension: DimensionIndex[];
}

export interface ItemInput { id?: string | undefined; dimension: EvalDimension; name: string; smartDimension?: string | null | undefined; score?: number | null | undefined; note?: string | undefined }

const COLUMN: Record<EvalDimension, 'w_baseline' | 'w_output' | 'w_outcome' | 'w_impact' | 'w_quick_win'> = {
  baseline: 'w_baseline',
  output: 'w_output',
  outcome: 'w_outcome',
  impact: 'w_impact',
  quickWin: 'w_quick_win',
};

const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Weights must be five numbers ≥ 0 that sum to 100. */
export function checkWeights(w: Weights): void {
  for (const d of EVAL_DIMENSIONS) {
    const v = w[d];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100) throw new AppError('EVALUATION_WEIGHTS_INVALID', `the weight of ${d} must be a number from 0 to 100`);
  }
  const sum = EVAL_DIMENSIONS.reduce((a, d) => a + w[d], 0);
  if (Math.abs(sum - 100) > 1e-6) throw new AppError('EVALUATION_WEIGHTS_INVALID', `the five weights must sum to 100; they sum to ${round2(sum)}`);
}

/** The index from the weights and the five scores (missing scores count 0). */
export function weightedIndex(weights: Weights, scores: Scores): number {
  return round2(EVAL_DIMENSIONS.reduce((a, d) => a + weights[d] * (scores[d] ?? 0), 0) / 100);
}

/**
 * The index of one smart city dimension: the weighted mean, on 0–5, of the evaluation dimensions
 * that have a score, with the share of the weights they carry; null when none has a score.
 */
export function partialIndex(weights: Weights, scores: Scores): { index: number; weightShare: number } | null {
  const scored = EVAL_DIMENSIONS.filter((d) => scores[d] !== null && weights[d] > 0);
  const share = scored.reduce((a, d) => a + weights[d], 0);
  if (scored.length === 0 || share === 0) return null;
  return { index: round2(scored.reduce((a, d) => a + weights[d] * (scores[d] as number), 0) / share), weightShare: round2(share) };
}

/** The five scores from scored items and the survey means that count for Impact. */
export function dimensionScores(items: { dimension: EvalDimension; score: number | null }[], surveyMeans: number[]): Scores {
  const out = {} as Scores;
  for (const d of EVAL_DIMENSIONS) {
    const entries = items.filter((i) => i.dimension === d && i.score !== null).map((i) => i.score as number);
    if (d === 'impact') entries.push(...surveyMeans);
    const m = mean(entries);
    out[d] = m === null ? null : round2(m);
  }
  return out;
}

/** Answers in one survey CSV: a district's survey, many times over. */
const SURVEY_MAX_ROWS = 50_000;

export class EvaluationService {
  readonly maxUploadBytes: number;

  private readonly db: Kysely<Schema>;
  private readonly collab: CollaborationService;
  private readonly activity: ActivityLog;
  private readonly files: FileStore;
  private readonly clock: Clock;
  /** reads the survey CSV off the main thread */
  private readonly parsers: ParserPool;
  constructor(db: Kysely<Schema>, collab: CollaborationService, activity: ActivityLog, files: FileStore, clock: Clock, parsers: ParserPool, maxUploadBytes = UPLOAD_MAX_BYTES) {
    this.parsers = parsers;
    this.db = db;
    this.collab = collab;
    this.activity = activity;
    this.files = files;
    this.clock = clock;
    this.maxUploadBytes = maxUploadBytes;
  }

  async years(regionId: string): Promise<number[]> {
    const a = await this.db.selectFrom('mp_eval_years').select('year').where('region_id', '=', regionId).execute();
    const b = await this.db.selectFrom('mp_eval_items').select('year').distinct().where('region_id', '=', regionId).execute();
    return [...new Set([...a, ...b].map((r) => Number(r.year)))].sort((x, y) => x - y);
  }

  /** The index of every evaluated year, oldest first (for the leadership dashboard). */
  async evaluationIndexByYear(regionId: string): Promise<{ year: number; index: number }[]> {
    const out: { year: number; index: number }[] = [];
    for (const year of await this.years(regionId)) {
      const e = await this.compute(regionId, year);
      if (e.index !== null) out.push({ year, index: e.index });
    }
    return out;
  }

  async get(p: Principal, year: number): Promise<Evaluation> {
    return this.compute(p.regionId, year);
  }

  async compute(regionId: string, year: number): Promise<Evaluation> {
    const w = await this.db.selectFrom('mp_eval_years').selectAll().where('region_id', '=', regionId).where('year', '=', year).executeTakeFirst();
    const weights = w ? (Object.fromEntries(EVAL_DIMENSIONS.map((d) => [d, Number(w[COLUMN[d]])])) as Weights) : null;
    const itemRows = await this.db.selectFrom('mp_eval_items').selectAll().where('region_id', '=', regionId).where('year', '=', year).orderBy('sort').orderBy('id').execute();
    const evidence = itemRows.length === 0 ? [] : await this.db.selectFrom('mp_eval_evidence').selectAll().where('item_id', 'in', itemRows.map((i) => i.id)).orderBy('created_at').execute();
    const items: EvalItem[] = itemRows.map((r) => ({
      id: r.id,
      dimension: r.dimension as EvalDimension,
      name: r.name,
      smartDimension: r.smart_dimension,
      score: r.score === null ? null : Number(r.score),
      note: r.note,
      evidence: evidence
        .filter((e) => e.item_id === r.id)
        .map((e) => ({ id: e.id, filename: e.filename, contentType: e.content_type, bytes: Number(e.bytes), url: `/api/v1/masterplan/evaluation/evidence/${e.id}`, uploadedAt: Number(e.created_at) })),
    }));
    const survey = await this.survey(regionId, year);
    const dimMeans = survey.byDimension.filter((d) => d.mean !== null).map((d) => d.mean as number);
    const scores = dimensionScores(items, dimMeans);
    const missing = EVAL_DIMENSIONS.filter((d) => scores[d] === null);
    const index = weights && missing.length < EVAL_DIMENSIONS.length ? weightedIndex(weights, scores) : null;
    const byDimension = SMART_DIMENSIONS.map((key) => {
      const s = survey.byDimension.find((d) => d.key === key)?.mean ?? null;
      const own = items.filter((i) => i.smartDimension === key);
      const sc = dimensionScores(own, s === null ? [] : [s]);
      const part = weights ? partialIndex(weights, sc) : null;
      return { key, index: part?.index ?? null, surveyMean: s, weightShare: part?.weightShare ?? null };
    });
    return { year, weights, items, survey, scores, missing, index, byDimension };
  }

  private async survey(regionId: string, year: number): Promise<Evaluation['survey']> {
    const chosen = await this.db.selectFrom('mp_survey_programs').selectAll().where('region_id', '=', regionId).where('year', '=', year).orderBy('dimension_key').orderBy('sort').execute();
    const names = chosen.length === 0 ? [] : await this.db.selectFrom('mp_programs').select(['id', 'code', 'name']).where('id', 'in', chosen.map((c) => c.program_id)).execute();
    const counts = await this.db
      .selectFrom('mp_survey_answers')
      .select(['program_id', 'score'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('region_id', '=', regionId)
      .where('year', '=', year)
      .groupBy(['program_id', 'score'])
      .execute();
    const programs: SurveyProgram[] = chosen.map((c) => {
      const dist = [0, 0, 0, 0, 0];
      for (const r of counts) if (r.program_id === c.program_id && r.score >= 1 && r.score <= 5) dist[r.score - 1]! += Number(r.n);
      const n = dist.reduce((a, b) => a + b, 0);
      const sum = dist.reduce((a, b, i) => a + b * (i + 1), 0);
      const prog = names.find((x) => x.id === c.program_id);
      return { dimensionKey: c.dimension_key, programId: c.program_id, code: prog?.code ?? '', name: prog?.name ?? '(program dihapus)', answers: n, mean: n === 0 ? null : round2(sum / n), distribution: dist };
    });
    const byDimension = SMART_DIMENSIONS.map((key) => {
      const ps = programs.filter((x) => x.dimensionKey === key);
      const n = ps.reduce((a, x) => a + x.answers, 0);
      const sum = ps.reduce((a, x) => a + x.distribution.reduce((s, b, i) => s + b * (i + 1), 0), 0);
      return { key, mean: n === 0 ? null : round2(sum / n), answers: n };
    });
    return { programs, answers: programs.reduce((a, x) => a + x.answers, 0), byDimension };
  }

  /** Weights (admin) and the items with their scores (reviewers). Items listed replace the year's items; evidence of a kept id stays. */
  async put(p: Principal, year: number, input: { weights?: Weights | undefined; items?: ItemInput[] | undefined }): Promise<Evaluation> {
    if (input.weights !== undefined) {
      if (p.role !== 'admin') throw new AppError('FORBIDDEN', 'only an admin sets the evaluation weights');
      checkWeights(input.weights);
    }
    if (input.items !== undefined) {
      await this.collab.requireReviewer(p, 'scoring the evaluation');
      for (const it of input.items) {
        if (it.score !== undefined && it.score !== null && (!Number.isFinite(it.score) || it.score < 0 || it.score > 5)) throw new AppError('VALIDATION_FAILED', `the score of "${it.name}" must be from 0 to 5`);
        if (it.smartDimension && !(SMART_DIMENSIONS as readonly string[]).includes(it.smartDimension)) throw new AppError('VALIDATION_FAILED', `smartDimension "${it.smartDimension}" is not one of ${SMART_DIMENSIONS.join(', ')}`);
      }
    }
    const now = this.clock.now();
    const removedFiles: string[] = [];
    const who = await this.activity.actor(p);
    await this.db.transaction().execute(async (tx) => {
      if (input.weights) {
        const w = input.weights;
        const values = { w_baseline: w.baseline, w_output: w.output, w_outcome: w.outcome, w_impact: w.impact, w_quick_win: w.quickWin, updated_by: p.userId, updated_at: now };
        const exists = await tx.selectFrom('mp_eval_years').select('year').where('region_id', '=', p.regionId).where('year', '=', year).executeTakeFirst();
        if (exists) await tx.updateTable('mp_eval_years').set(values).where('region_id', '=', p.regionId).where('year', '=', year).execute();
        else await tx.insertInto('mp_eval_years').values({ region_id: p.regionId, year, ...values }).execute();
        await this.activity.record(p.regionId, who, {
          action: 'evaluation.weights',
          entity: 'evaluation',
          entityId: String(year),
          summary: `Bobot evaluasi ${year}: Baseline ${w.baseline}, Output ${w.output}, Outcome ${w.outcome}, Impact ${w.impact}, Quick Win ${w.quickWin}`,
          detail: w,
        }, tx);
      }
      if (input.items) {
        const existing = await tx.selectFrom('mp_eval_items').select(['id']).where('region_id', '=', p.regionId).where('year', '=', year).execute();
        const keep = new Set(input.items.map((i) => i.id).filter((id): id is string => id !== undefined));
        const unknown = [...keep].find((id) => !existing.some((e) => e.id === id));
        if (unknown) throw new AppError('NOT_FOUND', `no evaluation item ${unknown} in ${year}`);
        const gone = existing.filter((e) => !keep.has(e.id)).map((e) => e.id);
        if (gone.length > 0) {
          const files = await tx.selectFrom('mp_eval_evidence').select('file_key').where('item_id', 'in', gone).execute();
          removedFiles.push(...files.map((f) => f.file_key));
          await tx.deleteFrom('mp_eval_evidence').where('item_id', 'in', gone).execute();
          await tx.deleteFrom('mp_eval_items').where('id', 'in', gone).execute();
        }
        let sort = 0;
        for (const it of input.items) {
          const values = { dimension: it.dimension, name: it.name, smart_dimension: it.smartDimension ?? null, score: it.score ?? null, note: it.note ?? '', sort: sort++, updated_at: now };
          if (it.id) await tx.updateTable('mp_eval_items').set(values).where('id', '=', it.id).execute();
          else await tx.insertInto('mp_eval_items').values({ id: newId(), region_id: p.regionId, year, created_at: now, ...values }).execute();
        }
        await this.activity.record(p.regionId, who, { action: 'evaluation.items', entity: 'evaluation', entityId: String(year), summary: `Butir evaluasi ${year} diperbarui (${input.items.length} butir)` }, tx);
      }
    });
    for (const key of removedFiles) await this.files.delete(key);
    return this.compute(p.regionId, year);
  }

  async addEvidence(p: Principal, year: number, itemId: string, bytes: Buffer, filename: string | undefined): Promise<EvidenceFile> {
    const standing = await this.collab.standing(p);
    if (!standing.reviewer && p.role !== 'operator') throw new AppError('FORBIDDEN', 'viewers may read but not upload evidence');
    const item = await this.db.selectFrom('mp_eval_items').select(['id', 'name']).where('region_id', '=', p.regionId).where('year', '=', year).where('id', '=', itemId).executeTakeFirst();
    if (!item) throw new AppError('NOT_FOUND', `no evaluation item ${itemId} in ${year}`);
    const type = acceptUpload(bytes, this.maxUploadBytes, 'evidence file');
    const id = newId();
    const key = `evidence/${year}/${id}.${type.ext}`;
    const name = safeFilename(filename, `bukti-${id.slice(0, 8)}.${type.ext}`);
    const now = this.clock.now();
    const who = await this.activity.actor(p);
    await this.files.put(key, bytes);
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('mp_eval_evidence')
          .values({ id, region_id: p.regionId, item_id: itemId, file_key: key, filename: name, content_type: type.contentType, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), uploaded_by: p.userId, created_at: now })
          .execute();
        await this.activity.record(p.regionId, who, { action: 'evaluation.evidence', entity: 'evaluation', entityId: String(year), summary: `Bukti "${name}" diunggah untuk butir "${item.name}"` }, tx);
      });
    } catch (error) {
      await this.files.delete(key);
      throw error;
    }
    return { id, filename: name, contentType: type.contentType, bytes: bytes.length, url: `/api/v1/masterplan/evaluation/evidence/${id}`, uploadedAt: now };
  }

  async evidenceFile(p: Principal, id: string): Promise<{ data: Buffer; contentType: string; filename: string }> {
    const row = await this.db.selectFrom('mp_eval_evidence').selectAll().where('region_id', '=', p.regionId).where('id', '=', id).executeTakeFirst();
    const data = row ? await this.files.get(row.file_key) : null;
    if (!row || !data) throw new AppError('NOT_FOUND', `no evidence file ${id}`);
    return { data, contentType: row.content_type, filename: row.filename };
  }

  /** Removes an evidence file (reviewers, or the one who uploaded it). */
  async deleteEvidence(p: Principal, id: string): Promise<void> {
    const row = await this.db.selectFrom('mp_eval_evidence').selectAll().where('region_id', '=', p.regionId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', `no evidence file ${id}`);
    const standing = await this.collab.standing(p);
    if (!standing.reviewer && row.uploaded_by !== p.userId) throw new AppError('FORBIDDEN', 'only reviewers or the uploader remove an evidence file');
    const item = await this.db.selectFrom('mp_eval_items').select(['name', 'year']).where('id', '=', row.item_id).executeTakeFirst();
    const who = await this.activity.actor(p);
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('mp_eval_evidence').where('id', '=', id).execute();
      await this.activity.record(p.regionId, who, { action: 'evaluation.evidence.deleted', entity: 'evaluation', entityId: String(item?.year ?? ''), summary: `Bukti "${row.filename}" dihapus dari butir "${item?.name ?? ''}"` }, tx);
    });
    await this.files.delete(row.file_key);
  }

  /** Clears the survey answers of a year (reviewers), e.g. after a wrong import. */
  async clearAnswers(p: Principal, year: number): Promise<number> {
    await this.collab.requireReviewer(p, 'clearing the survey answers');
    const who = await this.activity.actor(p);
    return this.db.transaction().execute(async (tx) => {
      const r = await tx.deleteFrom('mp_survey_answers').where('region_id', '=', p.regionId).where('year', '=', year).executeTakeFirst();
      const n = Number(r.numDeletedRows);
      await this.activity.record(p.regionId, who, { action: 'evaluation.survey.cleared', entity: 'evaluation', entityId: String(year), summary: `${n} jawaban survei dampak ${year} dihapus` }, tx);
      return n;
    });
  }

  /** Chooses the programs of the impact survey: at most three per smart city dimension (reviewers). */
  async setSurveyPrograms(p: Principal, year: number, programs: { dimensionKey: string; programId: string }[]): Promise<Evaluation> {
    await this.collab.requireReviewer(p, 'choosing the survey programs');
    for (const key of new Set(programs.map((x) => x.dimensionKey))) {
      if (!(SMART_DIMENSIONS as readonly string[]).includes(key)) throw new AppError('VALIDATION_FAILED', `dimension "${key}" is not one of ${SMART_DIMENSIONS.join(', ')}`);
      const n = programs.filter((x) => x.dimensionKey === key).length;
      if (n > SURVEY_PROGRAMS_PER_DIMENSION) throw new AppError('VALIDATION_FAILED', `the survey takes ${SURVEY_PROGRAMS_PER_DIMENSION} programs per dimension; ${key} has ${n}`);
    }
    const ids = programs.map((x) => x.programId);
    if (new Set(ids).size !== ids.length) throw new AppError('VALIDATION_FAILED', 'a program is chosen twice');
    if (ids.length > 0) {
      const found = await this.db.selectFrom('mp_programs').select('id').where('region_id', '=', p.regionId).where('id', 'in', ids).execute();
      const missing = ids.find((id) => !found.some((f) => f.id === id));
      if (missing) throw new AppError('NOT_FOUND', `no program ${missing} in the master plan`);
    }
    const who = await this.activity.actor(p);
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('mp_survey_programs').where('region_id', '=', p.regionId).where('year', '=', year).execute();
      let sort = 0;
      for (const x of programs) await tx.insertInto('mp_survey_programs').values({ region_id: p.regionId, year, dimension_key: x.dimensionKey, program_id: x.programId, sort: sort++ }).execute();
      await this.activity.record(p.regionId, who, { action: 'evaluation.survey.programs', entity: 'evaluation', entityId: String(year), summary: `Program survei dampak ${year} dipilih (${programs.length} program)` }, tx);
    });
    return this.compute(p.regionId, year);
  }

  /**
   * Citizens' answers, entered by an operator or imported from CSV (columns
   * program_code or program_id, score 1–5, optional respondent). All or nothing:
   * a bad row is reported with its number and nothing is saved.
   */
  async addAnswers(p: Principal, year: number, input: { answers?: { programId: string; score: number; respondent?: string | null | undefined }[] | undefined; csv?: string | undefined }): Promise<{ added: number; evaluation: Evaluation }> {
    const standing = await this.collab.standing(p);
    if (!standing.reviewer && p.role !== 'operator') throw new AppError('FORBIDDEN', 'viewers may read but not enter survey answers');
    const chosen = await this.db.selectFrom('mp_survey_programs').select(['program_id']).where('region_id', '=', p.regionId).where('year', '=', year).execute();
    if (chosen.length === 0) throw new AppError('VALIDATION_FAILED', `choose the survey programs of ${year} first`);
    const chosenIds = new Set(chosen.map((c) => c.program_id));
    const rows: { programId: string; score: number; respondent: string | null }[] = [];
    const source: 'operator' | 'csv' = input.csv !== undefined ? 'csv' : 'operator';
    if (input.csv !== undefined) {
      const text = input.csv.replace(/^\uFEFF/, '');
      const lines = await this.parsers.run(csvRowsTask, Buffer.from(text), { delimiter: text.split('\n')[0]!.includes(';') ? ';' : ',', trim: true, limits: { maxRows: SURVEY_MAX_ROWS } });
      const records = csvObjects(lines, (h) => h.trim().toLowerCase());
      const programs = await this.db.selectFrom('mp_programs').select(['id', 'code']).where('id', 'in', [...chosenIds]).execute();
      const errors: { row: number; reason: string }[] = [];
      records.forEach(({ record: r, line: row }) => {
        const ref = r.program_id ?? r.program_code ?? r.kode_program ?? r.kode ?? '';
        const program = programs.find((x) => x.id === ref || x.code === ref);
        const score = Number(r.score ?? r.nilai ?? r.skor);
        if (!program) errors.push({ row, reason: `program "${ref}" is not one of the survey programs of ${year}` });
        else if (!Number.isInteger(score) || score < 1 || score > 5) errors.push({ row, reason: `score "${r.score ?? r.nilai ?? r.skor ?? ''}" is not a whole number from 1 to 5` });
        else rows.push({ programId: program.id, score, respondent: (r.respondent ?? r.responden ?? '').slice(0, 200) || null });
      });
      if (errors.length > 0) throw new AppError('CSV_INVALID', `${errors.length} row(s) of the CSV are wrong; nothing was saved`, { errors: errors.slice(0, 100) });
      if (rows.length === 0) throw new AppError('CSV_INVALID', 'the CSV has no answers (columns: program_code, score, respondent)');
    } else {
      for (const [i, a] of (input.answers ?? []).entries()) {
        if (!chosenIds.has(a.programId)) throw new AppError('VALIDATION_FAILED', `answer ${i + 1}: program ${a.programId} is not one of the survey programs of ${year}`);
        if (!Number.isInteger(a.score) || a.score < 1 || a.score > 5) throw new AppError('VALIDATION_FAILED', `answer ${i + 1}: the score must be a whole number from 1 to 5`);
        rows.push({ programId: a.programId, score: a.score, respondent: a.respondent ?? null });
      }
      if (rows.length === 0) throw new AppError('VALIDATION_FAILED', 'send answers or csv');
    }
    const now = this.clock.now();
    const who = await this.activity.actor(p);
    await this.db.transaction().execute(async (tx) => {
      for (let i = 0; i < rows.length; i += 500) {
        await tx
          .insertInto('mp_survey_answers')
          .values(rows.slice(i, i + 500).map((r) => ({ id: newId(), region_id: p.regionId, year, program_id: r.programId, respondent: r.respondent, score: r.score, source, created_by: p.userId, created_at: now })))
          .execute();
      }
      await this.activity.record(p.regionId, who, { action: 'evaluation.survey.answers', entity: 'evaluation', entityId: String(year), summary: `${rows.length} jawaban survei dampak ${year} dicatat (${source === 'csv' ? 'impor CSV' : 'operator'})` }, tx);
    });
    return { added: rows.length, evaluation: await this.compute(p.regionId, year) };
  }
}
