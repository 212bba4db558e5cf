/**
 * Levels of a rule: one alarm per hazard whose severity rises and falls (a river
 * at Waspada, Siaga, Awas) instead of one alarm per threshold. Pure functions,
 * no I/O: checking levels a user gave, and the level a reading leads to.
 */
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../alarms/index.ts';
import { clearProblem, holds, parseCondition } from './rules.conditions.ts';
import { invalid } from './rules.errors.ts';
import { MAX_LEVELS, type Condition, type Level } from './rules.contract.ts';

export { MAX_LEVELS, type Level } from './rules.contract.ts';

function parseLevel(input: unknown, where: string): Level {
  if (typeof input !== 'object' || input === null) throw invalid(where, `${where} harus berupa objek dengan tingkat dan syarat`, `${where} must be an object with severity and condition`);
  const l = input as Record<string, unknown>;
  if (!(SEVERITIES as readonly unknown[]).includes(l.severity)) throw invalid(`${where}.severity`, `${where}.severity harus salah satu dari ${SEVERITIES.join(', ')}`, `${where}.severity must be one of ${SEVERITIES.join(', ')}`);
  const condition = parseCondition(l.condition, `${where}.condition`);
  const clearCondition = l.clearCondition === undefined || l.clearCondition === null ? null : parseCondition(l.clearCondition, `${where}.clearCondition`);
  if (condition.op === 'silence' && clearCondition !== null) {
    throw invalid(`${where}.clearCondition`, `${where}: aturan tanpa data selesai saat data datang lagi; tidak memakai syarat turun`, `${where}: a silence rule clears when data arrives again; it takes no clearCondition`);
  }
  if (clearCondition?.op === 'silence') throw invalid(`${where}.clearCondition`, `${where}.clearCondition tidak boleh berupa “tidak ada data”`, `${where}.clearCondition cannot be a silence`);
  const wrongSide = clearCondition === null ? null : clearProblem(condition, clearCondition, `${where}.clearCondition`);
  if (wrongSide) throw invalid(`${where}.clearCondition`, wrongSide.id, wrongSide.en);
  return { severity: l.severity as Severity, condition, clearCondition };
}

/**
 * Checks levels a user gave: one to MAX_LEVELS, strictly rising in rank, each
 * condition valid; a silence is a rule of one level (data either arrives or not).
 */
export function parseLevels(input: unknown): Level[] {
  if (!Array.isArray(input) || input.length === 0) throw invalid('levels', 'levels harus berisi 1 sampai 5 level, dari yang terendah', 'levels must be a list of 1 to 5 levels, lowest first');
  if (input.length > MAX_LEVELS) throw invalid('levels', `levels: paling banyak ${MAX_LEVELS} level, ada ${input.length}`, `levels: at most ${MAX_LEVELS} levels, ${input.length} given`);
  const levels = input.map((l, i) => parseLevel(l, `levels[${i}]`));
  for (let i = 1; i < levels.length; i++) {
    const below = levels[i - 1]!;
    const level = levels[i]!;
    if (SEVERITY_RANK[level.severity] <= SEVERITY_RANK[below.severity]) {
      throw invalid(
        `levels[${i}].severity`,
        `level harus naik: levels[${i}] (${level.severity}) tidak di atas levels[${i - 1}] (${below.severity})`,
        `levels must rise in rank: levels[${i}] (${level.severity}) is not above levels[${i - 1}] (${below.severity})`,
      );
    }
  }
  if (levels.length > 1 && levels.some((l) => l.condition.op === 'silence')) {
    throw invalid('levels', 'aturan “tidak ada data” hanya punya satu level; jangan dicampur dengan ambang', 'a silence rule has one level; levels cannot mix silence with thresholds');
  }
  return levels;
}

/** A rule's old single condition and severity, as its one level (checked like any level). */
export function singleLevel(condition: unknown, clearCondition: unknown, severity: unknown): Level[] {
  if (condition === undefined || condition === null) throw invalid('levels', 'aturan memerlukan level, atau syarat dan tingkat', 'a rule needs levels, or a condition and a severity');
  if (!(SEVERITIES as readonly unknown[]).includes(severity)) throw invalid('severity', `severity harus salah satu dari ${SEVERITIES.join(', ')}`, `severity must be one of ${SEVERITIES.join(', ')}`);
  const level = parseLevel({ severity, condition, clearCondition }, 'level');
  return [level];
}

type Previous = { value: number; ts: number } | undefined;

/** The highest level whose condition the reading meets, as an index, or null when none does. */
export function highestHolding(levels: readonly Level[], value: number, ts: number, previous: Previous): number | null {
  for (let i = levels.length - 1; i >= 0; i--) if (holds(levels[i]!.condition, value, ts, previous)) return i;
  return null;
}

/** Whether a reading takes an alarm below this level: its clear condition holds, or, without one, its condition no longer does. */
function fallsBelow(level: Level, value: number, ts: number, previous: Previous): boolean {
  return level.clearCondition === null ? !holds(level.condition, value, ts, previous) : holds(level.clearCondition, value, ts, previous);
}

/**
 * The level an open alarm moves to on a reading: up to the highest level whose
 * condition holds; down, once the current level's clear condition holds, to the
 * highest level below that the reading has not fallen below; null: no level
 * holds any more and the alarm clears.
 */
export function nextLevel(levels: readonly Level[], current: number, value: number, ts: number, previous: Previous): number | null {
  const up = highestHolding(levels, value, ts, previous);
  if (up !== null && up >= current) return up;
  // A level whose condition holds still holds, whatever its clear condition says.
  const stillHolds = (i: number) => i === up || !fallsBelow(levels[i]!, value, ts, previous);
  for (let i = current; i >= 0; i--) if (stillHolds(i)) return i;
  return null;
}
