/**
 * What a rule would have done on a device's past readings: the alarms it would
 * have opened, at which level, how high they rose and when they cleared. Pure
 * functions, no I/O, following the engine's steps (rules.engine.ts evaluate and
 * tick) so that a preview tells what the engine would have done.
 */
import { SEVERITY_RANK, type Severity } from '../alarms/index.ts';
import { highestHolding, nextLevel, type Level } from './rules.levels.ts';

export interface SimulatedAlarm {
  /** ms since epoch, UTC */
  openedAt: number;
  severity: Severity;
  highestSeverity: Severity;
  /** the reading that opened it; null for a silence */
  value: number | null;
  clearedAt: number | null;
}

/**
 * A threshold rule on one device's readings, oldest first, up to `end`. Starts
 * with no alarm open and no reading before (so a rate needs two readings in the
 * window). A condition that holds `durationMs` with no newer reading opens the
 * alarm when it has held that long, as the engine's timer does.
 */
export function simulateLevels(levels: readonly Level[], durationMs: number, points: readonly { ts: number; value: number }[], end: number): SimulatedAlarm[] {
  const alarms: SimulatedAlarm[] = [];
  // One object, not loose variables: the helpers below change it, and narrowing must not assume they do not.
  const s: { open: SimulatedAlarm | null; level: number | null; pendingSince: number | null; held: number | null; last: { ts: number; value: number } | null } = {
    open: null,
    level: null,
    pendingSince: null,
    held: null,
    last: null,
  };

  const openAt = (at: number, index: number, value: number) => {
    const severity = levels[index]!.severity;
    s.open = { openedAt: at, severity, highestSeverity: severity, value, clearedAt: null };
    alarms.push(s.open);
    s.level = index;
  };
  // The engine's timer: a condition that has held long enough opens the alarm though no reading came since.
  const timer = (now: number) => {
    if (s.level !== null || s.pendingSince === null || s.last === null || durationMs === 0) return;
    const due = s.pendingSince + durationMs;
    if (due < now) openAt(due, s.held ?? highestHolding(levels, s.last.value, s.last.ts, undefined) ?? 0, s.last.value);
  };

  for (const point of points) {
    timer(point.ts);
    if (s.last !== null && point.ts <= s.last.ts) continue;
    const previous = s.last ?? undefined;
    const holding = highestHolding(levels, point.value, point.ts, previous);
    s.last = point;
    if (s.level !== null && s.open !== null) {
      const next = nextLevel(levels, s.level, point.value, point.ts, previous);
      if (next === null) {
        s.open.clearedAt = point.ts;
        s.open = null;
        s.level = null;
        s.pendingSince = null;
      } else if (next !== s.level) {
        s.level = next;
        const severity = levels[next]!.severity;
        if (SEVERITY_RANK[severity] > SEVERITY_RANK[s.open.highestSeverity]) s.open.highestSeverity = severity;
      }
      continue;
    }
    s.held = holding;
    if (holding === null) {
      s.pendingSince = null;
      continue;
    }
    if (s.pendingSince === null) s.pendingSince = point.ts;
    if (point.ts - s.pendingSince >= durationMs) openAt(point.ts, holding, point.value);
  }
  timer(end);
  return alarms;
}

/**
 * A silence rule on one device's reading times, oldest first: an alarm each
 * time no reading came for `minutes` (from the first reading in the window on),
 * cleared by the next reading; the last gap runs to `end`.
 */
export function simulateSilence(severity: Severity, minutes: number, times: readonly number[], end: number): SimulatedAlarm[] {
  const alarms: SimulatedAlarm[] = [];
  const gapMs = minutes * 60_000;
  for (let i = 0; i < times.length; i++) {
    const next = i + 1 < times.length ? times[i + 1]! : null;
    const until = next ?? end;
    if (until - times[i]! >= gapMs) alarms.push({ openedAt: times[i]! + gapMs, severity, highestSeverity: severity, value: null, clearedAt: next });
  }
  return alarms;
}
