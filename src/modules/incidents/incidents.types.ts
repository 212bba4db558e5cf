/**
 * The wire types of incidents: what the API answers and the web app reads.
 * Types only, no runtime code and no imports, so the browser build
 * (web/tsconfig.json: DOM, no Node types) compiles it as it is:
 * `import type { … } from '../../../src/modules/incidents/incidents.types.ts'`.
 * The lists behind the unions (INCIDENT_STATUSES …) live beside the code that
 * uses them and are checked against these types there.
 */

export type IncidentSeverity = 'low' | 'medium' | 'high' | 'critical';
export type IncidentStatus = 'new' | 'assigned' | 'in_progress' | 'resolved' | 'closed' | 'rejected';
export type IncidentSource = 'report' | 'alarm' | 'operator' | 'lapor';
/** Open311's two statuses: open (new, assigned, in_progress) or closed (the rest). */
export type PublicStatus = 'open' | 'closed';

// Categories (the Open311 services)

export type AttributeDatatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

/** An extra question a category asks the reporter (an Open311 attribute). */
export interface CategoryAttribute {
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  descriptionId: string;
  descriptionEn: string;
  /** the choices of a singlevaluelist or multivaluelist */
  values?: { key: string; name: string }[];
}

export interface Category {
  code: string;
  nameId: string;
  nameEn: string;
  descriptionId: string;
  descriptionEn: string;
  group: string;
  /** the region's OPD this category routes to, resolved from opdCode; null when that OPD does not exist (yet) */
  opdId: string | null;
  opdCode: string | null;
  defaultSeverity: IncidentSeverity;
  keywords: string[];
  attributes: CategoryAttribute[];
  active: boolean;
  /** working days to route a report of this category; null: the SP4N-LAPOR! default (3) */
  slaRouteDays: number | null;
  /** working days to follow it up once routed; null: the default (5) */
  slaFollowUpDays: number | null;
  /** working days a resolved report waits for its reporter before it closes; null: the default (10) */
  slaCloseDays: number | null;
}

// SLA (the SP4N-LAPOR! rhythm)

export type SlaStage = 'route' | 'follow_up' | 'close';
export type SlaState = 'green' | 'yellow' | 'red';

export interface Sla {
  /** ms since epoch, UTC; null when no stage is running */
  dueAt: number | null;
  stage: SlaStage | null;
  state: SlaState | null;
  overdue: boolean;
}

// Incidents as staff see them

/** The reporter's personal data: only admins and the OPD the incident is routed to see it. */
export interface Reporter {
  name: string | null;
  phone: string | null;
  email: string | null;
}

export interface Incident {
  id: string;
  /** public number, e.g. MR-000123; also the Open311 service_request_id */
  ticket: string;
  regionId: string;
  source: IncidentSource;
  categoryCode: string;
  title: string;
  description: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  rejectReason: string | null;
  lon: number | null;
  lat: number | null;
  address: string | null;
  districtCode: string | null;
  opdId: string | null;
  opdCode: string | null;
  assigneeUserId: string | null;
  assigneeName: string | null;
  alarmId: string | null;
  mergedIntoId: string | null;
  /** SP4N-LAPOR! tracking id of an imported report */
  laporId: string | null;
  photos: { id: string; url: string }[];
  mediaUrl: string | null;
  attributes: Record<string, string | string[]>;
  /** ms since epoch, UTC (as every time below) */
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  closedAt: number | null;
  /** when the reporter last answered on the ticket page; null: never. Equal to updatedAt: nothing happened since. */
  reporterRepliedAt: number | null;
  sla: Sla;
  /** present only for those allowed to see it */
  reporter?: Reporter;
}

export interface TimelineEntry {
  id: string;
  at: number;
  /** created, assigned, status, public_update, note, merged, duplicate_of, reporter_reply, auto_closed (resolved → closed, the reporter silent), reporter_erased, reporter_code_spent (no personal data; the reporter withdrew their code), severity */
  kind: string;
  actor: { userId: string; name: string | null } | null;
  /** true: shown to the reporter; false: internal */
  public: boolean;
  text: string | null;
  from: string | null;
  to: string | null;
}

/** A report of the same category nearby and close in time. */
export interface Duplicate {
  id: string;
  ticket: string;
  distanceM: number;
  createdAt: number;
  status: IncidentStatus;
}

export interface IncidentDetail extends Incident {
  timeline: TimelineEntry[];
  duplicates: Duplicate[];
}

/** Counts of one row of the SLA overview (an OPD, a category, or all). */
export interface SummaryRow {
  /** new, assigned or in progress; split into green, yellow and red */
  open: number;
  green: number;
  yellow: number;
  red: number;
  resolved: number;
  /** 0–1: decided incidents with no stage past due; null when none is decided */
  withinSlaShare: number | null;
  medianResolveHours: number | null;
}

export interface SlaSummary {
  /** ms since epoch, UTC */
  from: number;
  to: number;
  byOpd: (SummaryRow & { opdId: string | null; opdCode: string | null })[];
  byCategory: (SummaryRow & { categoryCode: string })[];
  /**
   * Per kecamatan (Kemendagri code and name; null: no location or outside every
   * kecamatan polygon), the longest waits first: most open past due, then the
   * longest median time to resolve.
   */
  byDistrict: (SummaryRow & { districtCode: string | null; districtName: string | null })[];
  total: SummaryRow;
}

// The public view (Open311, the ticket page): never a name, phone, email or internal note

/**
 * What a public update is, so each reader's page words it in their language:
 * filed (created), a status change, the OPD's public answer (update), another
 * report merged into this one, this one merged into another (duplicate_of),
 * or the reporter's own answer from the ticket page.
 */
export type PublicUpdateKind = 'created' | 'status' | 'update' | 'merged' | 'duplicate_of' | 'reporter_reply' | 'auto_closed';

export interface PublicUpdate {
  /** ms since epoch, UTC */
  at: number;
  kind: PublicUpdateKind;
  /** the words as written: the OPD's answer, a status change's reason, the reporter's answer; null for merges (no sentence is stored) */
  text: string | null;
  /** created, status: the status it went to */
  status: IncidentStatus | null;
  /** merged: the report merged into this one; duplicate_of: the report this one now follows */
  ticket: string | null;
}

export interface PublicIncident {
  ticket: string;
  categoryCode: string;
  categoryNameId: string;
  categoryNameEn: string;
  status: IncidentStatus;
  publicStatus: PublicStatus;
  description: string;
  lon: number | null;
  lat: number | null;
  address: string | null;
  /** the name of the OPD handling it */
  agency: string | null;
  requestedAt: number;
  updatedAt: number;
  /** when the current stage is due (routing or follow-up) */
  expectedAt: number | null;
  mediaUrl: string | null;
  /** the public lines of the timeline, oldest first: status changes, public answers, merges, the reporter's answers */
  updates: PublicUpdate[];
  /** set when this report was merged into another (it is then closed, its own record shown): the ticket it now follows */
  mergedIntoTicket: string | null;
}
