import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { AssetsService } from '../assets/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { IncidentsRepository } from './incidents.repository.ts';
import { AlarmBridge } from './incidents.alarm-bridge.ts';
import { IncidentCategories } from './incidents.category-admin.ts';
import { IncidentHandling } from './incidents.handling.ts';
import { IncidentInbox } from './incidents.inbox.ts';
import { IncidentIntake } from './incidents.intake.ts';
import { IncidentPublication } from './incidents.publication.ts';
import { PublicViews } from './incidents.public-view.ts';
import { IncidentRecords } from './incidents.records.ts';
import { ReporterData } from './incidents.reporter.ts';
import { SlaClock } from './incidents.sla-job.ts';
import { SlaOverview } from './incidents.sla-summary.ts';

/**
 * Incidents: citizen reports, alarms and operator entries in one model, with
 * their routing to OPDs, status machine, timeline, SP4N-LAPOR! SLA, duplicates
 * and merging, and the reporter's personal data kept apart so it can be erased.
 *
 * One object for the rest of the platform; each use case lives in its own file
 * and this class hands each call to it.
 */
export class IncidentsService {
  readonly repo: IncidentsRepository;
  private readonly records: IncidentRecords;
  private readonly categories: IncidentCategories;
  private readonly intake: IncidentIntake;
  private readonly inbox: IncidentInbox;
  private readonly handling: IncidentHandling;
  private readonly reporter: ReporterData;
  private readonly alarms: AlarmBridge;
  private readonly slaClock: SlaClock;
  private readonly overview: SlaOverview;
  private readonly publicViews: PublicViews;
  private readonly publication: IncidentPublication;

  constructor(repo: IncidentsRepository, bus: EventBus, clock: Clock, identity: IdentityService, assets: AssetsService) {
    this.repo = repo;
    this.records = new IncidentRecords(repo, bus, clock, identity, assets);
    this.categories = new IncidentCategories(this.records);
    this.intake = new IncidentIntake(this.records);
    this.inbox = new IncidentInbox(this.records);
    this.handling = new IncidentHandling(this.records, this.inbox);
    this.publicViews = new PublicViews(this.records);
    this.reporter = new ReporterData(this.records, this.publicViews);
    this.alarms = new AlarmBridge(this.records, this.intake);
    this.slaClock = new SlaClock(this.records);
    this.overview = new SlaOverview(this.records);
    this.publication = new IncidentPublication(this.records);
  }

  // The incident as the platform reads it, the change hooks, the clock

  byId(...args: Parameters<IncidentRecords['byId']>): ReturnType<IncidentRecords['byId']> {
    return this.records.byId(...args);
  }

  onChange(...args: Parameters<IncidentRecords['onChange']>): ReturnType<IncidentRecords['onChange']> {
    return this.records.onChange(...args);
  }

  now(...args: Parameters<IncidentRecords['now']>): ReturnType<IncidentRecords['now']> {
    return this.records.now(...args);
  }

  get(...args: Parameters<IncidentRecords['get']>): ReturnType<IncidentRecords['get']> {
    return this.records.get(...args);
  }

  withNames(...args: Parameters<IncidentRecords['withNames']>): ReturnType<IncidentRecords['withNames']> {
    return this.records.withNames(...args);
  }

  hasOpd(...args: Parameters<IncidentRecords['hasOpd']>): ReturnType<IncidentRecords['hasOpd']> {
    return this.records.hasOpd(...args);
  }

  toIncident(...args: Parameters<IncidentRecords['toIncident']>): ReturnType<IncidentRecords['toIncident']> {
    return this.records.toIncident(...args);
  }

  // Categories (incidents.category-admin.ts)

  ensureDefaultCategories(...args: Parameters<IncidentCategories['ensureDefaultCategories']>): ReturnType<IncidentCategories['ensureDefaultCategories']> {
    return this.categories.ensureDefaultCategories(...args);
  }

  listCategories(...args: Parameters<IncidentCategories['listCategories']>): ReturnType<IncidentCategories['listCategories']> {
    return this.categories.listCategories(...args);
  }

  getCategory(...args: Parameters<IncidentCategories['getCategory']>): ReturnType<IncidentCategories['getCategory']> {
    return this.categories.getCategory(...args);
  }

  createCategory(...args: Parameters<IncidentCategories['createCategory']>): ReturnType<IncidentCategories['createCategory']> {
    return this.categories.createCategory(...args);
  }

  updateCategory(...args: Parameters<IncidentCategories['updateCategory']>): ReturnType<IncidentCategories['updateCategory']> {
    return this.categories.updateCategory(...args);
  }

  deleteCategory(...args: Parameters<IncidentCategories['deleteCategory']>): ReturnType<IncidentCategories['deleteCategory']> {
    return this.categories.deleteCategory(...args);
  }

  // Filing (incidents.intake.ts)

  fileReport(...args: Parameters<IncidentIntake['fileReport']>): ReturnType<IncidentIntake['fileReport']> {
    return this.intake.fileReport(...args);
  }

  create(...args: Parameters<IncidentIntake['create']>): ReturnType<IncidentIntake['create']> {
    return this.intake.create(...args);
  }

  file(...args: Parameters<IncidentIntake['file']>): ReturnType<IncidentIntake['file']> {
    return this.intake.file(...args);
  }

  // Reading (incidents.inbox.ts)

  list(...args: Parameters<IncidentInbox['list']>): ReturnType<IncidentInbox['list']> {
    return this.inbox.list(...args);
  }

  detail(...args: Parameters<IncidentInbox['detail']>): ReturnType<IncidentInbox['detail']> {
    return this.inbox.detail(...args);
  }

  timeline(...args: Parameters<IncidentInbox['timeline']>): ReturnType<IncidentInbox['timeline']> {
    return this.inbox.timeline(...args);
  }

  duplicates(...args: Parameters<IncidentInbox['duplicates']>): ReturnType<IncidentInbox['duplicates']> {
    return this.inbox.duplicates(...args);
  }

  // Handling (incidents.handling.ts)

  assign(...args: Parameters<IncidentHandling['assign']>): ReturnType<IncidentHandling['assign']> {
    return this.handling.assign(...args);
  }

  setStatus(...args: Parameters<IncidentHandling['setStatus']>): ReturnType<IncidentHandling['setStatus']> {
    return this.handling.setStatus(...args);
  }

  setSeverity(...args: Parameters<IncidentHandling['setSeverity']>): ReturnType<IncidentHandling['setSeverity']> {
    return this.handling.setSeverity(...args);
  }

  edit(...args: Parameters<IncidentHandling['edit']>): ReturnType<IncidentHandling['edit']> {
    return this.handling.edit(...args);
  }

  // What the public sees (incidents.publication.ts)

  decidePublication(...args: Parameters<IncidentPublication['decide']>): ReturnType<IncidentPublication['decide']> {
    return this.publication.decide(...args);
  }

  addUpdate(...args: Parameters<IncidentHandling['addUpdate']>): ReturnType<IncidentHandling['addUpdate']> {
    return this.handling.addUpdate(...args);
  }

  merge(...args: Parameters<IncidentHandling['merge']>): ReturnType<IncidentHandling['merge']> {
    return this.handling.merge(...args);
  }

  // The reporter's data and answers (incidents.reporter.ts)

  eraseReporter(...args: Parameters<ReporterData['eraseReporter']>): ReturnType<ReporterData['eraseReporter']> {
    return this.reporter.eraseReporter(...args);
  }

  eraseReporterBySecret(...args: Parameters<ReporterData['eraseReporterBySecret']>): ReturnType<ReporterData['eraseReporterBySecret']> {
    return this.reporter.eraseReporterBySecret(...args);
  }

  replyAsReporter(...args: Parameters<ReporterData['replyAsReporter']>): ReturnType<ReporterData['replyAsReporter']> {
    return this.reporter.replyAsReporter(...args);
  }

  // Alarms (incidents.alarm-bridge.ts)

  openFromAlarm(...args: Parameters<AlarmBridge['openFromAlarm']>): ReturnType<AlarmBridge['openFromAlarm']> {
    return this.alarms.openFromAlarm(...args);
  }

  followAlarmLevel(...args: Parameters<AlarmBridge['followLevel']>): ReturnType<AlarmBridge['followLevel']> {
    return this.alarms.followLevel(...args);
  }

  noteAlarmCleared(...args: Parameters<AlarmBridge['noteAlarmCleared']>): ReturnType<AlarmBridge['noteAlarmCleared']> {
    return this.alarms.noteAlarmCleared(...args);
  }

  // The SLA's clock (incidents.sla-job.ts)

  onBreach(...args: Parameters<SlaClock['onBreach']>): ReturnType<SlaClock['onBreach']> {
    return this.slaClock.onBreach(...args);
  }

  tick(...args: Parameters<SlaClock['tick']>): ReturnType<SlaClock['tick']> {
    return this.slaClock.tick(...args);
  }

  // The SLA overview and KPIs (incidents.sla-summary.ts)

  slaSummary(...args: Parameters<SlaOverview['slaSummary']>): ReturnType<SlaOverview['slaSummary']> {
    return this.overview.slaSummary(...args);
  }

  stats(...args: Parameters<SlaOverview['stats']>): ReturnType<SlaOverview['stats']> {
    return this.overview.stats(...args);
  }

  // Public views: Open311, the ticket page (incidents.public-view.ts)

  publicByTicket(...args: Parameters<PublicViews['publicByTicket']>): ReturnType<PublicViews['publicByTicket']> {
    return this.publicViews.publicByTicket(...args);
  }

  listPublic(...args: Parameters<PublicViews['listPublic']>): ReturnType<PublicViews['listPublic']> {
    return this.publicViews.listPublic(...args);
  }
}
