/**
 * Public warnings, never sent without a person approving. An alarm that
 * reaches Awas (opens at it, or rises to it) gets one draft, written in the
 * alarm's own transaction and prepared right after (its kecamatan, its words in
 * Bahasa Indonesia and English); an alarm whose asset lies in no kecamatan gets
 * none. The alarm's OPD and admins may edit, discard, or approve and send it:
 * then it goes to the kecamatan's confirmed subscribers, page by page, each page
 * queued in its own transaction (a restart resumes after the last page queued),
 * and the sender delivers within each provider's pace.
 */
import type { Transaction } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { AlarmPayload } from '../../core/events.ts';
import { newId } from '../../core/ids.ts';
import { Rounds } from '../../core/rounds.ts';
import type { WarningDto, WarningEdit } from './residents.contract.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { AlarmChange } from '../alarms/index.ts';
import { requireRole, type Principal } from '../identity/index.ts';
import type { AlarmFacts } from './facts.ts';
import { formatTime } from './format.ts';
import type { Outbox } from './outbox.ts';
import type { ResidentsRepository, WarningRow } from './residents.repository.ts';
import type { SubscriptionsService } from './subscriptions.service.ts';
import { draftWords } from './warnings.words.ts';

/** subscribers queued per transaction */
export const FANOUT_PAGE = 500;
export { WARNING_STATES } from './residents.contract.ts';

/** Where an alarm's asset lies, and the region's kecamatan and names (assets and identity answer). */
export interface WarningDirectory {
  alarm(regionId: string, id: string): Promise<AlarmPayload | null>;
  districtOfAsset(regionId: string, assetId: string): Promise<string | null>;
  districtName(regionId: string, code: string): Promise<string | null>;
  timeZone(regionId: string): Promise<string>;
  userNames(regionId: string, ids: string[]): Promise<Map<string, string>>;
}

/** A public warning as the API shows it: the wire type shared with the web app. */
export type WarningView = WarningDto;

export type { WarningEdit } from './residents.contract.ts';

export class WarningsService {
  private readonly repo: ResidentsRepository;
  private readonly outbox: Outbox;
  private readonly subscriptions: SubscriptionsService;
  private readonly facts: AlarmFacts;
  private readonly directory: WarningDirectory;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  private readonly onQueued: () => void;
  private readonly onError: (error: unknown) => void;
  private readonly rounds: Rounds;
  private stopped = false;
  private unsubscribe: (() => void)[] = [];

  constructor(repo: ResidentsRepository, outbox: Outbox, subscriptions: SubscriptionsService, facts: AlarmFacts, directory: WarningDirectory, bus: EventBus, clock: Clock, onQueued: () => void, onError: (error: unknown) => void) {
    this.repo = repo;
    this.outbox = outbox;
    this.subscriptions = subscriptions;
    this.facts = facts;
    this.directory = directory;
    this.bus = bus;
    this.clock = clock;
    this.onQueued = onQueued;
    this.onError = onError;
    this.rounds = new Rounds(() => this.round(), onError);
  }

  /** Runs inside the transaction of every alarm change: a rise to Awas leaves a draft to prepare (one per alarm). */
  readonly onAlarmChange = async (tx: Transaction<Schema>, change: AlarmChange): Promise<void> => {
    const awas = (change.kind === 'opened' && change.alarm.severity === 'awas') || (change.kind === 'level_changed' && change.rising && change.to === 'awas');
    if (!awas || change.alarm.assetId === null) return;
    const now = this.clock.now();
    await this.repo.insertWarning(tx, {
      id: newId(),
      region_id: change.regionId,
      alarm_id: change.alarm.id,
      opd_id: change.alarm.opdId,
      district_code: null,
      district_name: null,
      severity: change.alarm.severity,
      title_id: '',
      text_id: '',
      title_en: '',
      text_en: '',
      state: 'preparing',
      edited_by: null,
      approved_by: null,
      approved_at: null,
      discarded_by: null,
      discarded_at: null,
      queued_count: 0,
      fanout_after: null,
      sent_at: null,
      created_at: now,
      updated_at: now,
    });
  };

  start(pollMs: number): void {
    this.unsubscribe = [this.bus.subscribe('alarm.opened', () => this.kick()), this.bus.subscribe('alarm.level.changed', (e) => e.rising && this.kick())];
    this.rounds.start(pollMs);
  }

  kick(): void {
    this.rounds.kick();
  }

  /** Prepares every draft and queues every approved warning due now (tests call it). */
  drain(): Promise<void> {
    return this.rounds.drain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const u of this.unsubscribe) u();
    await this.rounds.stop();
  }

  /** One round: the drafts to prepare, then the approved warnings to queue; nothing is left over after it. */
  private async round(): Promise<boolean> {
    for (const row of await this.repo.due('preparing', 50)) await this.prepare(row);
    for (const row of await this.repo.due('sending', 10)) await this.fanOut(row);
    return false;
  }

  /** The draft's kecamatan and words; no kecamatan, no warning. */
  private async prepare(row: WarningRow): Promise<void> {
    const alarm = await this.directory.alarm(row.region_id, row.alarm_id);
    const district = alarm?.assetId ? await this.directory.districtOfAsset(row.region_id, alarm.assetId) : null;
    const name = district === null ? null : await this.directory.districtName(row.region_id, district);
    const story = alarm && district !== null ? await this.facts.story(row.region_id, alarm.id, this.clock.now(), 0) : null;
    if (!alarm || district === null || name === null || !story) {
      await this.repo.deleteWarning(this.repo.db, row.id);
      return;
    }
    const id = draftWords(alarm.key, name, story.placeholders('id'), 'id');
    const en = draftWords(alarm.key, name, story.placeholders('en'), 'en');
    await this.repo.updateWarning(this.repo.db, row.id, 'preparing', { district_code: district, district_name: name, title_id: id.title, text_id: id.text, title_en: en.title, text_en: en.text, state: 'draft', updated_at: this.clock.now() });
  }

  /** Queues the next pages of subscribers, one transaction each, until none is left. */
  private async fanOut(row: WarningRow): Promise<void> {
    const timeZone = await this.directory.timeZone(row.region_id);
    let after = row.fanout_after;
    for (;;) {
      if (this.stopped) return;
      const now = this.clock.now();
      const time = (language: 'id' | 'en') => formatTime(row.approved_at ?? now, timeZone, language);
      const queued = await this.repo.db.transaction().execute(async (tx) => {
        const page = await this.repo.confirmedPage(tx, row.region_id, row.district_code!, after, FANOUT_PAGE);
        if (page.length === 0) {
          if (!(await this.repo.updateFanout(tx, row.id, after, { state: 'sent', sent_at: now, updated_at: now }))) throw new LostRace();
          return 0;
        }
        const n = await this.outbox.toAddresses(
          tx,
          {
            regionId: row.region_id,
            event: 'warning.public',
            warningId: row.id,
            placeholders: (language) => ({ title: language === 'id' ? row.title_id : row.title_en, text: language === 'id' ? row.text_id : row.text_en, where: `Kec. ${row.district_name ?? ''}`, time: time(language) }),
          },
          page.map((s) => ({ channel: s.channel === 'email' ? 'email' : s.channel === 'sms' ? 'sms' : 'whatsapp', address: s.address, language: s.language === 'en' ? 'en' : 'id', values: { stopLink: this.subscriptions.unsubscribeLink(s.id) } })),
          now,
        );
        const last = page[page.length - 1]!.id;
        // Only from where this instance found it: another instance that queued this page first wins, and this one rolls back.
        if (!(await this.repo.updateFanout(tx, row.id, after, { fanout_after: last, updated_at: now }, n))) throw new LostRace();
        after = last;
        return n;
      }).catch((error: unknown) => {
        if (error instanceof LostRace) return -1;
        throw error;
      });
      if (queued < 0) return;
      if (queued === 0) return;
      this.onQueued();
    }
  }

  // The operators' side

  async list(p: Principal, filter: { states?: string[] | undefined; alarmId?: string | undefined }, limit = 100): Promise<WarningView[]> {
    requireRole(p, 'admin', 'operator');
    const rows = await this.repo.listWarnings(p.regionId, { ...filter, ...(p.role === 'operator' && { opdId: p.opdId ?? '' }) }, Math.min(Math.max(limit, 1), 500));
    return this.views(p.regionId, rows);
  }

  async get(p: Principal, id: string): Promise<WarningView> {
    const row = await this.visible(p, id);
    return (await this.views(p.regionId, [row]))[0]!;
  }

  async edit(p: Principal, id: string, edit: WarningEdit): Promise<WarningView> {
    const row = await this.actable(p, id);
    const patch: Partial<WarningRow> = { edited_by: p.userId, updated_at: this.clock.now() };
    for (const [field, column, max] of [['titleId', 'title_id', 200], ['textId', 'text_id', 1000], ['titleEn', 'title_en', 200], ['textEn', 'text_en', 1000]] as const) {
      const value = edit[field]?.trim();
      if (value === undefined) continue;
      if (value === '') throw new AppError('VALIDATION_FAILED', `${field} must not be empty`);
      if (value.length > max) throw new AppError('VALIDATION_FAILED', `${field} is longer than ${max} characters`);
      patch[column] = value;
    }
    if (!(await this.repo.updateWarning(this.repo.db, row.id, 'draft', patch))) throw notDraft();
    return this.get(p, id);
  }

  async discard(p: Principal, id: string): Promise<WarningView> {
    const row = await this.actable(p, id);
    const now = this.clock.now();
    if (!(await this.repo.updateWarning(this.repo.db, row.id, 'draft', { state: 'discarded', discarded_by: p.userId, discarded_at: now, updated_at: now }))) throw notDraft();
    return this.get(p, id);
  }

  /** The person's approval: the warning goes to the kecamatan's confirmed subscribers (queued by the job, page by page). */
  async approve(p: Principal, id: string): Promise<WarningView> {
    const row = await this.actable(p, id);
    const now = this.clock.now();
    if (!(await this.repo.updateWarning(this.repo.db, row.id, 'draft', { state: 'sending', approved_by: p.userId, approved_at: now, updated_at: now }))) throw notDraft();
    this.kick();
    return this.get(p, id);
  }

  private async visible(p: Principal, id: string): Promise<WarningRow> {
    requireRole(p, 'admin', 'operator');
    const row = await this.repo.warning(this.repo.db, p.regionId, id);
    if (!row || row.state === 'preparing') throw new AppError('WARNING_NOT_FOUND', `no public warning ${id.slice(0, 40)} in this region`);
    if (p.role === 'operator' && row.opd_id !== p.opdId) throw new AppError('FORBIDDEN', "this warning is another OPD's: its alarm's OPD and admins handle it");
    return row;
  }

  private async actable(p: Principal, id: string): Promise<WarningRow> {
    const row = await this.visible(p, id);
    if (row.state !== 'draft') throw notDraft(row.state);
    return row;
  }

  private async views(regionId: string, rows: WarningRow[]): Promise<WarningView[]> {
    const [counts, names] = await Promise.all([
      this.repo.deliveryCounts(rows.filter((r) => r.state === 'sending' || r.state === 'sent').map((r) => r.id)),
      this.directory.userNames(regionId, rows.flatMap((r) => (r.approved_by === null ? [] : [r.approved_by]))),
    ]);
    return rows.map((r) => ({
      id: r.id,
      alarmId: r.alarm_id,
      opdId: r.opd_id,
      districtCode: r.district_code ?? '',
      districtName: r.district_name ?? '',
      severity: r.severity,
      state: r.state as WarningView['state'],
      titleId: r.title_id,
      textId: r.text_id,
      titleEn: r.title_en,
      textEn: r.text_en,
      editedBy: r.edited_by,
      approvedBy: r.approved_by,
      approvedByName: r.approved_by === null ? null : (names.get(r.approved_by) ?? null),
      approvedAt: r.approved_at,
      discardedBy: r.discarded_by,
      discardedAt: r.discarded_at,
      queued: Number(r.queued_count),
      sentAt: r.sent_at,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      deliveries: counts.get(r.id) ?? {},
    }));
  }
}

class LostRace extends Error {}

function notDraft(state?: string): AppError {
  return new AppError('WARNING_STATE_INVALID', state ? `the warning is ${state}, no longer a draft` : 'the warning changed meanwhile: it is no longer a draft; reload');
}
