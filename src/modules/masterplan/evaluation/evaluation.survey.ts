/**
 * The impact survey: one program per element of each smart city dimension (so at most
 * 18), each program of that element's dimension; citizens answer 1–5, entered by an
 * operator or imported from CSV. A dimension's survey mean is the mean of its answers.
 *
 * The survey asks about programs, not initiatives: a citizen is asked about a service
 * they know by its official name and code (the program_code of the survey tools' CSV),
 * the answers already collected point at programs, and a program belongs to one
 * dimension and element just as an initiative does.
 */
import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import { csvObjects, csvRowsTask, type ParserPool } from '../../../platform/files/index.ts';
import type { Principal } from '../../identity/index.ts';
import type { ActivityLog, CollaborationService } from '../collaboration/index.ts';
import type { ProgramsRepository } from '../programs/programs.repository.ts';
import { DIMENSIONS } from '../plan/plan.framework.ts';
import type { Survey, SurveyProgram } from './evaluation.contract.ts';
import type { EvaluationRepository } from './evaluation.repository.ts';
import { round2 } from './evaluation.scoring.ts';

/** Answers in one survey CSV: a district's survey, many times over. */
const SURVEY_MAX_ROWS = 50_000;

const refuse = (message: string, id: string, en: string) => new AppError('VALIDATION_FAILED', message, { reason: { id, en } });

export class EvaluationSurvey {
  private readonly repo: EvaluationRepository;
  /** the plan's lines, read through their repository */
  private readonly lines: Pick<ProgramsRepository, 'byIds'>;
  private readonly collab: CollaborationService;
  private readonly activity: ActivityLog;
  private readonly clock: Clock;
  /** reads the survey CSV off the main thread */
  private readonly parsers: ParserPool;
  constructor(repo: EvaluationRepository, lines: Pick<ProgramsRepository, 'byIds'>, collab: CollaborationService, activity: ActivityLog, clock: Clock, parsers: ParserPool) {
    this.repo = repo;
    this.lines = lines;
    this.collab = collab;
    this.activity = activity;
    this.clock = clock;
    this.parsers = parsers;
  }

  async compute(regionId: string, year: number): Promise<Survey> {
    const chosen = await this.repo.surveyPrograms(regionId, year);
    const names = await this.lines.byIds(regionId, chosen.map((c) => c.program_id));
    const counts = await this.repo.answerCounts(regionId, year);
    const elementOrder = (dim: string, el: string | null) => DIMENSIONS.find((d) => d.key === dim)?.elements.findIndex((e) => e.key === el) ?? 99;
    const ordered = [...chosen].sort((a, b) => DIMENSIONS.findIndex((d) => d.key === a.dimension_key) - DIMENSIONS.findIndex((d) => d.key === b.dimension_key) || elementOrder(a.dimension_key, a.element_key) - elementOrder(b.dimension_key, b.element_key));
    const programs: SurveyProgram[] = ordered.map((c) => {
      const dist = [0, 0, 0, 0, 0];
      for (const r of counts) if (r.program_id === c.program_id && r.score >= 1 && r.score <= 5) dist[r.score - 1] = (dist[r.score - 1] ?? 0) + Number(r.n);
      const n = dist.reduce((a, b) => a + b, 0);
      const sum = dist.reduce((a, b, i) => a + b * (i + 1), 0);
      const prog = names.find((x) => x.id === c.program_id);
      return { dimensionKey: c.dimension_key, elementKey: c.element_key, programId: c.program_id, code: prog?.code ?? '', name: prog?.name ?? '', answers: n, mean: n === 0 ? null : round2(sum / n), distribution: dist };
    });
    const byDimension = DIMENSIONS.map(({ key }) => {
      const ps = programs.filter((x) => x.dimensionKey === key);
      const n = ps.reduce((a, x) => a + x.answers, 0);
      const sum = ps.reduce((a, x) => a + x.distribution.reduce((s, b, i) => s + b * (i + 1), 0), 0);
      return { key, mean: n === 0 ? null : round2(sum / n), answers: n };
    });
    return { programs, answers: programs.reduce((a, x) => a + x.answers, 0), byDimension };
  }

  /** Chooses the survey's programs (reviewers): one per element, each of that element's dimension; the list replaces the year's. */
  async setPrograms(p: Principal, year: number, programs: { dimensionKey: string; elementKey: string; programId: string }[]): Promise<void> {
    await this.collab.requireReviewer(p, 'choosing the survey programs');
    const seen = new Map<string, string>();
    for (const x of programs) {
      const dim = DIMENSIONS.find((d) => d.key === x.dimensionKey);
      if (!dim) throw refuse(`dimension "${x.dimensionKey}" is not one of ${DIMENSIONS.map((d) => d.key).join(', ')}`, `Dimensi "${x.dimensionKey}" tidak dikenal`, `Dimension "${x.dimensionKey}" is not known`);
      const el = dim.elements.find((e) => e.key === x.elementKey);
      if (!el) throw refuse(`"${x.elementKey}" is not an element of ${dim.key}`, `"${x.elementKey}" bukan elemen ${dim.nameId}`, `"${x.elementKey}" is not an element of ${dim.nameEn}`);
      const slot = `${dim.key}.${el.key}`;
      if (seen.has(slot)) {
        throw refuse(`the survey takes one program per element; ${slot} has two`, `Survei dampak memakai satu program per elemen; elemen ${el.nameId} (${dim.nameId}) mendapat dua program`, `The impact survey takes one program per element; the element ${el.nameEn} (${dim.nameEn}) has two programs`);
      }
      seen.set(slot, x.programId);
    }
    const ids = programs.map((x) => x.programId);
    if (new Set(ids).size !== ids.length) throw refuse('a program is chosen for two elements', 'Satu program dipilih untuk dua elemen', 'One program is chosen for two elements');
    const found = await this.lines.byIds(p.regionId, ids);
    for (const x of programs) {
      const prog = found.find((f) => f.id === x.programId);
      if (!prog) throw new AppError('PROGRAM_NOT_FOUND', `no program ${x.programId} in the master plan`);
      if (prog.dimension_key !== x.dimensionKey) {
        const dim = DIMENSIONS.find((d) => d.key === x.dimensionKey);
        const its = DIMENSIONS.find((d) => d.key === prog.dimension_key);
        throw refuse(
          `program ${prog.code} is of ${prog.dimension_key ?? 'no dimension'}, not ${x.dimensionKey}`,
          `Program ${prog.code} ${prog.name} termasuk ${its?.nameId ?? 'belum berdimensi'}, bukan ${dim?.nameId ?? x.dimensionKey}`,
          `Program ${prog.code} ${prog.name} belongs to ${its?.nameEn ?? 'no dimension yet'}, not ${dim?.nameEn ?? x.dimensionKey}`,
        );
      }
    }
    const who = await this.activity.actor(p);
    await this.repo.transaction(async (tx) => {
      await this.repo.replaceSurveyPrograms(p.regionId, year, programs, tx);
      await this.activity.record(p.regionId, who, { action: 'evaluation.survey.programs', entity: 'evaluation', entityId: String(year), summary: `Program survei dampak ${year} dipilih (${programs.length} program, satu per elemen)` }, tx);
    });
  }

  /** Clears the survey answers of a year (reviewers), e.g. after a wrong import. */
  async clearAnswers(p: Principal, year: number): Promise<number> {
    await this.collab.requireReviewer(p, 'clearing the survey answers');
    const who = await this.activity.actor(p);
    return this.repo.transaction(async (tx) => {
      const n = await this.repo.clearAnswers(p.regionId, year, tx);
      await this.activity.record(p.regionId, who, { action: 'evaluation.survey.cleared', entity: 'evaluation', entityId: String(year), summary: `${n} jawaban survei dampak ${year} dihapus` }, tx);
      return n;
    });
  }

  /**
   * Citizens' answers, entered by an operator or imported from CSV (columns
   * program_code or program_id, score 1–5, optional respondent). All or nothing:
   * a bad row is reported with its number and nothing is saved.
   */
  async addAnswers(p: Principal, year: number, input: { answers?: { programId: string; score: number; respondent?: string | null | undefined }[] | undefined; csv?: string | undefined }): Promise<number> {
    const standing = await this.collab.standing(p);
    if (!standing.reviewer && p.role !== 'operator') throw new AppError('FORBIDDEN', 'viewers may read but not enter survey answers');
    const chosen = await this.repo.surveyPrograms(p.regionId, year);
    if (chosen.length === 0) throw refuse(`choose the survey programs of ${year} first`, `Pilih dulu program survei ${year}`, `Choose the survey programs of ${year} first`);
    const chosenIds = new Set(chosen.map((c) => c.program_id));
    const rows: { programId: string; score: number; respondent: string | null }[] = [];
    const source: 'operator' | 'csv' = input.csv !== undefined ? 'csv' : 'operator';
    if (input.csv !== undefined) {
      const text = input.csv.replace(/^\uFEFF/, '');
      const lines = await this.parsers.run(csvRowsTask, Buffer.from(text), { delimiter: (text.split('\n')[0] ?? '').includes(';') ? ';' : ',', trim: true, limits: { maxRows: SURVEY_MAX_ROWS } });
      const records = csvObjects(lines, (h) => h.trim().toLowerCase());
      const programs = await this.lines.byIds(p.regionId, [...chosenIds]);
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
    await this.repo.transaction(async (tx) => {
      await this.repo.insertAnswers(rows.map((r) => ({ id: newId(), region_id: p.regionId, year, program_id: r.programId, respondent: r.respondent, score: r.score, source, created_by: p.userId, created_at: now })), tx);
      await this.activity.record(p.regionId, who, { action: 'evaluation.survey.answers', entity: 'evaluation', entityId: String(year), summary: `${rows.length} jawaban survei dampak ${year} dicatat (${source === 'csv' ? 'impor CSV' : 'operator'})` }, tx);
    });
    return rows.length;
  }
}
