import { AppError } from '../../core/errors.ts';
import type { Principal } from '../identity/index.ts';
import { SEVERITIES, SEVERITY_NAMES, SEVERITY_RANK, type Severity } from '../alarms/index.ts';
import type { ActionContext, RuleAction } from '../rules/index.ts';
import type { Bilingual } from './incidents.alarm-bridge.ts';
import { INCIDENT_SEVERITIES, type IncidentSeverity } from './incidents.contract.ts';
import type { IncidentsService } from './incidents.service.ts';

/** An alarm's reading in words, from its device's profile (the devices module's AlarmReadingWords); null: none to word. */
export interface ReadingWords {
  of(regionId: string, alarm: ActionContext['alarm'], lang: 'id' | 'en'): Promise<string | null>;
}

export interface IncidentActionConfig {
  type: 'incident';
  opdId: string;
  categoryCode: string | null;
  /** null: from the alarm's severity */
  severity: IncidentSeverity | null;
  /** set: the incident opens when the alarm opens at or rises to this level (once per alarm); null: when it opens, at any level */
  minSeverity: Severity | null;
}

/** Alarm severities (BNPB levels and info…critical) on the incident scale. */
const FROM_ALARM: Record<string, IncidentSeverity> = {
  normal: 'low',
  info: 'low',
  waspada: 'medium',
  minor: 'medium',
  siaga: 'high',
  major: 'high',
  awas: 'critical',
  critical: 'critical',
};

/** The level's name in an incident's titles, [Bahasa Indonesia, English], as BNPB names its levels and disaster agencies render them. */
const levelWords = (s: string): Bilingual => SEVERITY_NAMES[s as Severity] ?? [s, s];

/**
 * Rule action "open an incident for an OPD": when the rule's alarm opens (or,
 * with minSeverity, first reaches that level), one incident (source 'alarm') is
 * opened for the OPD at the device's asset; when the alarm clears, its incident
 * gets a note and stays open for people to close.
 */
export class IncidentAction implements RuleAction<IncidentActionConfig> {
  readonly type = 'incident';
  private readonly inFlight = new Set<Promise<void>>();
  /** alarms whose incident is being opened right now, so a burst opens only one */
  private readonly opening = new Set<string>();

  private readonly incidents: IncidentsService;
  private readonly log: (message: string, detail: Record<string, unknown>) => void;
  private readonly words: ReadingWords | null;
  constructor(incidents: IncidentsService, log: (message: string, detail: Record<string, unknown>) => void = () => {}, words: ReadingWords | null = null) {
    this.incidents = incidents;
    this.log = log;
    this.words = words;
  }

  /** The alarm's reading with its device profile's label and unit, in both languages (an incident has one text for everyone); else its message. */
  private async describe(regionId: string, alarm: ActionContext['alarm']): Promise<string> {
    const [id, en] = this.words ? await Promise.all([this.words.of(regionId, alarm, 'id'), this.words.of(regionId, alarm, 'en')]).catch(() => [null, null]) : [null, null];
    if (id === null || en === null) return alarm.message;
    return id === en ? id : `${id}\n${en}`;
  }

  /** Checks the action; the OPD (and category) must exist in the author's region. */
  async parse(input: Record<string, unknown>, author: Principal): Promise<IncidentActionConfig> {
    if (typeof input.opdId !== 'string' || input.opdId === '') throw new AppError('VALIDATION_FAILED', 'incident action needs opdId, the OPD that gets the incident');
    if (author.role === 'operator' && input.opdId !== author.opdId) throw new AppError('FORBIDDEN', 'an operator can open incidents for their own OPD only');
    if (input.categoryCode !== undefined && input.categoryCode !== null && (typeof input.categoryCode !== 'string' || !/^[a-z0-9_]{1,50}$/.test(input.categoryCode))) {
      throw new AppError('VALIDATION_FAILED', 'incident action categoryCode must be a category code');
    }
    if (input.severity !== undefined && input.severity !== null && !(INCIDENT_SEVERITIES as readonly unknown[]).includes(input.severity)) {
      throw new AppError('VALIDATION_FAILED', `incident action severity must be one of ${INCIDENT_SEVERITIES.join(', ')}`);
    }
    if (input.minSeverity !== undefined && input.minSeverity !== null && !(SEVERITIES as readonly unknown[]).includes(input.minSeverity)) {
      throw new AppError('VALIDATION_FAILED', `incident action minSeverity must be one of ${SEVERITIES.join(', ')}`);
    }
    if (!(await this.incidents.hasOpd(author.regionId, input.opdId))) throw new AppError('VALIDATION_FAILED', `incident action opdId ${input.opdId} is not an OPD of this region`);
    if (typeof input.categoryCode === 'string' && !(await this.incidents.repo.findCategory(author.regionId, input.categoryCode))) {
      throw new AppError('VALIDATION_FAILED', `incident action categoryCode ${input.categoryCode} is not a category of this region`);
    }
    return {
      type: 'incident',
      opdId: input.opdId,
      categoryCode: (input.categoryCode as string | undefined) ?? null,
      severity: (input.severity as IncidentSeverity | undefined) ?? null,
      minSeverity: (input.minSeverity as Severity | undefined) ?? null,
    };
  }

  run(config: IncidentActionConfig, context: ActionContext): void {
    const work = this.handle(config, context).catch((error) => this.log('incident action failed', { err: error, alarmId: context.alarm.id }));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** *Tinggi muka air 4,28 m* / *Water level 4.28 m*: the reading that raised it, with its profile's label, decimals and unit; null: none to word. */
  private async reading(regionId: string, alarm: ActionContext['alarm']): Promise<Bilingual | null> {
    const words = this.words;
    if (!words) return null;
    const [id, en] = await Promise.all((['id', 'en'] as const).map((lang) => words.of(regionId, { ...alarm, condition: null }, lang))).catch((error: unknown) => {
      this.log('alarm reading could not be worded', { err: error, alarmId: alarm.id });
      return [null, null];
    });
    return id && en ? [id, en] : null;
  }

  private async handle(config: IncidentActionConfig, context: ActionContext): Promise<void> {
    const alarm = context.alarm;
    if (context.transition === 'cleared') {
      await this.incidents.noteAlarmCleared(context.regionId, alarm.id, `Alarm selesai (kembali normal): ${(await this.describe(context.regionId, alarm)).split('\n')[0]}`);
      return;
    }
    // The incident follows its alarm's level, up and down (the rule's severity, when set, stays).
    if (context.transition === 'level_changed' && config.severity === null) {
      await this.incidents.followAlarmLevel(context.regionId, alarm.id, { severity: FROM_ALARM[context.to] ?? 'medium', fromLevel: levelWords(context.from), toLevel: levelWords(context.to) });
    }
    if (!this.opensOn(config, context)) return;
    if (this.opening.has(alarm.id)) return;
    this.opening.add(alarm.id);
    try {
      await this.incidents.openFromAlarm(context.regionId, {
        alarmId: alarm.id,
        opdId: config.opdId,
        categoryCode: config.categoryCode,
        severity: config.severity ?? FROM_ALARM[alarm.severity] ?? 'medium',
        title: context.rule.name,
        reading: await this.reading(context.regionId, alarm),
        level: levelWords(alarm.severity),
        description: await this.describe(context.regionId, alarm),
        assetId: alarm.assetId,
        deviceId: alarm.deviceId,
        // Reaching the level again after falling below it is the same alarm: its incident, closed or not, was opened already.
        oncePerAlarm: context.transition === 'level_changed',
      });
    } finally {
      this.opening.delete(alarm.id);
    }
  }

  /** Whether this change opens the incident: the alarm opened (at minSeverity or above, when set), or rose to minSeverity from below. */
  private opensOn(config: IncidentActionConfig, context: ActionContext): boolean {
    const rank = (s: string) => SEVERITY_RANK[s as Severity] ?? 0;
    if (context.transition === 'opened') return config.minSeverity === null || rank(context.alarm.severity) >= rank(config.minSeverity);
    if (context.transition !== 'level_changed' || config.minSeverity === null || !context.rising) return false;
    return rank(context.to) >= rank(config.minSeverity) && rank(context.from) < rank(config.minSeverity);
  }

  /** Waits for incidents being opened (shutdown, tests). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves when the work in flight is done (tests). */
  settle(): Promise<unknown> {
    return Promise.allSettled([...this.inFlight]);
  }
}
