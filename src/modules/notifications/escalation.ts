/**
 * Escalation: an alarm that opens (or rises to a higher level) starts at the
 * first level of its OPD's policy for that severity — usually whoever is on
 * duty — and every later level is told when its delay has passed with nobody
 * acknowledging: the Kabid, the head of the OPD, the Sekda. An acknowledgement
 * anywhere, or the alarm clearing, stops it. A fall in level changes nothing.
 *
 * The escalation row is written in the alarm's own transaction (the hook), and
 * each level's messages in the same transaction that moves the escalation on:
 * a restart in between loses nothing and sends nothing twice.
 */
import type { Transaction } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { Rounds } from '../../core/rounds.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { SEVERITY_RANK, type AlarmChange } from '../alarms/index.ts';
import type { IncidentBreach } from '../incidents/index.ts';
import type { AlarmFacts, IncidentFacts } from './facts.ts';
import type { EscalationRow, NotificationsRepository } from './notifications.repository.ts';
import { eventPayload, type MessageSpec, type Outbox, type Person } from './outbox.ts';

/** One level of a policy: how long after the start it is told, and who that is at an instant. */
export interface PolicyLevel {
  afterMinutes: number;
  /** the active people the level names then (whoever is on duty, the Kabid …) */
  people(at: number): Promise<Person[]>;
}

/** Who to tell (the duty rosters and escalation policies answer). */
export interface EscalationDirectory {
  policyFor(regionId: string, opdId: string | null, severity: string): Promise<readonly PolicyLevel[]>;
}

export interface EscalationOptions {
  pollMs?: number;
  /** how long one instance may hold a step before another takes it over (it died) */
  leaseMs?: number;
  /** something was queued: deliver it now */
  onQueued?: () => void;
  /** the region's integration webhook that gets every alarm's first message, or null */
  integrationUrl?: (regionId: string) => Promise<string | null>;
  onError?: (error: unknown) => void;
}

export class EscalationEngine {
  private readonly repo: NotificationsRepository;
  private readonly outbox: Outbox;
  private readonly directory: EscalationDirectory;
  private readonly facts: AlarmFacts;
  private readonly incidentFacts: IncidentFacts;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly onQueued: () => void;
  private readonly integrationUrl: (regionId: string) => Promise<string | null>;
  private readonly onError: (error: unknown) => void;
  private readonly rounds: Rounds;
  private unsubscribe: (() => void)[] = [];

  constructor(repo: NotificationsRepository, outbox: Outbox, directory: EscalationDirectory, facts: AlarmFacts, incidentFacts: IncidentFacts, bus: EventBus, clock: Clock, options: EscalationOptions = {}) {
    this.repo = repo;
    this.outbox = outbox;
    this.directory = directory;
    this.facts = facts;
    this.incidentFacts = incidentFacts;
    this.bus = bus;
    this.clock = clock;
    this.pollMs = options.pollMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.onQueued = options.onQueued ?? (() => {});
    this.integrationUrl = options.integrationUrl ?? (async () => null);
    this.onError = options.onError ?? (() => {});
    this.rounds = new Rounds(() => this.round(), this.onError);
  }

  /** Runs inside the transaction of every alarm change (registered with the alarms module). */
  readonly onAlarmChange = async (tx: Transaction<Schema>, change: AlarmChange): Promise<void> => {
    const now = this.clock.now();
    const alarm = change.alarm;
    switch (change.kind) {
      case 'opened':
        await this.repo.startEscalation(tx, this.fresh(change.regionId, alarm, now));
        return;
      case 'level_changed':
        if (change.rising) await this.repo.startEscalation(tx, this.fresh(change.regionId, alarm, now));
        else await this.repo.setEscalationSeverity(tx, 'alarm', alarm.id, alarm.severity, now);
        return;
      case 'acknowledged':
      case 'cleared':
        await this.repo.stopEscalation(tx, 'alarm', alarm.id, change.kind, now);
        await this.repo.cancelQueued(tx, { alarmId: alarm.id }, now);
        return;
    }
  };

  /**
   * Runs inside the transaction that marks citizen reports past their due time:
   * each starts an escalation of its OPD at the policy of its severity.
   */
  readonly onIncidentBreach = async (tx: Transaction<Schema>, breaches: IncidentBreach[]): Promise<void> => {
    const now = this.clock.now();
    for (const b of breaches) {
      await this.repo.startEscalation(tx, { id: newId(), region_id: b.regionId, subject_kind: 'incident', subject_id: b.id, opd_id: b.opdId, severity: INCIDENT_LEVEL[b.severity], level: 0, state: 'active', started_at: now, next_at: now, claimed_until: null, claim: null, updated_at: now });
    }
  };

  start(): void {
    // An alarm just committed: its first level should not wait for the next poll.
    this.unsubscribe = [this.bus.subscribe('alarm.opened', () => this.kick()), this.bus.subscribe('alarm.level.changed', (e) => e.rising && this.kick())];
    this.rounds.start(this.pollMs);
  }

  kick(): void {
    this.rounds.kick();
  }

  /** Works every step due now (tests move the clock and call this). */
  drain(): Promise<void> {
    return this.rounds.drain();
  }

  async stop(): Promise<void> {
    for (const u of this.unsubscribe) u();
    await this.rounds.stop();
  }

  private fresh(regionId: string, alarm: AlarmChange['alarm'], now: number): EscalationRow {
    return { id: newId(), region_id: regionId, subject_kind: 'alarm', subject_id: alarm.id, opd_id: alarm.opdId, severity: alarm.severity, level: 0, state: 'active', started_at: now, next_at: now, claimed_until: null, claim: null, updated_at: now };
  }

  /** One round: up to 20 due steps, claimed for this instance; more may be due at once when it took 20. */
  private async round(): Promise<boolean> {
    const now = this.clock.now();
    const claim = newId();
    const due = await this.repo.claimDueEscalations(now, claim, now + this.leaseMs, 20);
    for (const row of due) await this.step(row, claim).catch(this.onError);
    return due.length === 20;
  }

  /** The alarm's words, or why its escalation is over (acknowledged, cleared, gone). */
  private async alarmSubject(row: EscalationRow, now: number): Promise<Subject> {
    const story = await this.facts.story(row.region_id, row.subject_id, now, Math.floor((now - row.started_at) / 60_000));
    if (!story || story.alarm.status !== 'active') return { over: 'cleared' };
    if (story.alarm.acknowledged) return { over: 'acknowledged' };
    return story;
  }

  /** The report's words, or why its escalation is over (resolved, rejected, or routed on to a stage not yet due). */
  private async incidentSubject(row: EscalationRow, now: number): Promise<Subject> {
    const story = await this.incidentFacts.story(row.region_id, row.subject_id, now);
    if (!story || !OPEN_INCIDENT.has(story.incident.status) || story.incident.sla.dueAt === null || story.incident.sla.dueAt > now) return { over: 'cleared' };
    return story;
  }

  /** Tells one level of one escalation, and sets when the next is due. */
  private async step(row: EscalationRow, claim: string): Promise<void> {
    const now = this.clock.now();
    const subject = row.subject_kind === 'alarm' ? await this.alarmSubject(row, now) : await this.incidentSubject(row, now);
    if ('over' in subject) {
      await this.repo.advanceEscalation(this.repo.db, row.id, claim, { level: row.level, next_at: null, state: subject.over }, now);
      return;
    }
    const levels = await this.directory.policyFor(row.region_id, row.opd_id, row.severity);
    const level = levels[row.level];
    if (!level) {
      await this.repo.advanceEscalation(this.repo.db, row.id, claim, { level: row.level, next_at: null, state: 'exhausted' }, now);
      return;
    }
    const people = await level.people(now);
    const next = levels[row.level + 1];
    // A level with nobody to tell passes on to the next at once rather than waiting in silence.
    const nextAt = next === undefined ? null : people.length === 0 ? now : Math.max(now, row.started_at + next.afterMinutes * 60_000);
    const integration = row.level === 0 && row.subject_kind === 'alarm' ? await this.integrationUrl(row.region_id) : null;
    const queued = await this.repo.db.transaction().execute(async (tx) => {
      if (!(await this.repo.advanceEscalation(tx, row.id, claim, { level: row.level + 1, next_at: nextAt, state: next === undefined ? 'exhausted' : 'active' }, now))) return [];
      const spec: MessageSpec = {
        regionId: row.region_id,
        event: row.subject_kind === 'incident' ? 'incident.sla_breached' : row.level === 0 ? 'alarm.raised' : 'alarm.escalated',
        placeholders: subject.placeholders,
        timeZone: subject.timeZone,
        severityRank: rankOf(row.severity),
        alarmId: row.subject_kind === 'alarm' ? row.subject_id : null,
        incidentId: row.subject_kind === 'incident' ? row.subject_id : null,
        escalationId: row.id,
        escalationLevel: row.level,
        acknowledgeable: true,
      };
      const messages = await this.outbox.toPeople(tx, spec, people, now);
      // The region's integration hears of the alarm too, once, at its start (its acknowledgement is a person's).
      if (integration !== null) messages.push(await this.outbox.toAddress(tx, { ...spec, acknowledgeable: false }, { channel: 'webhook', address: integration, language: 'id', name: 'Webhook' }, now));
      return messages;
    });
    for (const message of queued) this.bus.publish('notification.updated', { regionId: row.region_id, notification: eventPayload(message) });
    if (queued.length > 0) this.onQueued();
  }
}

type Subject = { over: 'acknowledged' | 'cleared' } | Pick<MessageSpec, 'placeholders' | 'timeZone'>;

const OPEN_INCIDENT = new Set(['new', 'assigned', 'in_progress']);

/** A report's severity as an escalation level, so that the OPD's policies apply to it. */
const INCIDENT_LEVEL: Record<IncidentBreach['severity'], string> = { critical: 'critical', high: 'major', medium: 'minor', low: 'minor' };

function rankOf(severity: string): number {
  return (SEVERITY_RANK as Record<string, number>)[severity] ?? 0;
}
