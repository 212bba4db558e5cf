/**
 * The contract of incidents: the TypeBox schemas of its API, the wire types
 * (what the API answers and the web app reads) and its pure constants (the
 * status machine, severities, sources). Routes, services, repositories and the
 * web app all use it. No server-only import: the browser build (web/tsconfig.json:
 * DOM, no Node types) compiles it as it is.
 */
import { Type, type Static } from 'typebox';
import { EpochMs, Id, PageQuery } from '../../core/http-schemas.ts';

export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const satisfies readonly IncidentSeverity[];
export const INCIDENT_STATUSES = ['new', 'assigned', 'in_progress', 'resolved', 'closed', 'rejected'] as const satisfies readonly IncidentStatus[];
export const INCIDENT_SOURCES = ['report', 'alarm', 'operator', 'lapor'] as const satisfies readonly IncidentSource[];
// A compile error here names a severity, status or source that a list leaves out.
({}) satisfies Record<
  | Exclude<IncidentSeverity, (typeof INCIDENT_SEVERITIES)[number]>
  | Exclude<IncidentStatus, (typeof INCIDENT_STATUSES)[number]>
  | Exclude<IncidentSource, (typeof INCIDENT_SOURCES)[number]>,
  never
>;
/** The reporter's answer on the ticket page, characters. */
export const MAX_REPLY = 2000;
export const OPEN_STATUSES: IncidentStatus[] = ['new', 'assigned', 'in_progress'];

/** Allowed status changes; anything else is 409 INCIDENT_TRANSITION_INVALID. */
export const TRANSITIONS: Record<IncidentStatus, IncidentStatus[]> = {
  new: ['assigned', 'rejected'],
  assigned: ['in_progress', 'rejected'],
  in_progress: ['resolved', 'rejected'],
  resolved: ['closed', 'in_progress'],
  closed: [],
  rejected: [],
};

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const lit = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description !== undefined && { description }) });

export const Severity = lit(INCIDENT_SEVERITIES, 'low, medium, high or critical');
export const Status = lit(INCIDENT_STATUSES, 'new → assigned → in_progress → resolved → closed, or rejected');
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const SlaDays = (description: string) => Type.Integer({ minimum: 1, maximum: 60, description: `working days: ${description}` });

export const Attribute = Type.Object({
  code: Type.String({ pattern: '^[a-z0-9_]{1,50}$' }),
  datatype: lit(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const),
  required: Type.Boolean(),
  descriptionId: Type.String({ maxLength: 500 }),
  descriptionEn: Type.String({ maxLength: 500 }),
  values: Type.Optional(Type.Array(Type.Object({ key: Type.String({ minLength: 1, maxLength: 100 }), name: Type.String({ maxLength: 200 }) }), { maxItems: 100 })),
});

export const Category = Type.Object({
  code: Type.String(),
  nameId: Type.String(),
  nameEn: Type.String(),
  descriptionId: Type.String(),
  descriptionEn: Type.String(),
  group: Type.String(),
  opdId: Nullable(Type.String({ description: "the region's OPD with opdCode; null when unrouted (admins triage) or that OPD does not exist" })),
  opdCode: Nullable(Type.String()),
  defaultSeverity: Severity,
  keywords: Type.Array(Type.String()),
  attributes: Type.Array(Attribute),
  active: Type.Boolean(),
  slaRouteDays: Nullable(Type.Integer()),
  slaFollowUpDays: Nullable(Type.Integer()),
  slaCloseDays: Nullable(Type.Integer()),
});

const categoryFields = {
  nameId: Text(200),
  nameEn: Text(200),
  descriptionId: Type.String({ maxLength: 2000 }),
  descriptionEn: Type.String({ maxLength: 2000 }),
  group: Text(100),
  opdCode: Nullable(Type.String({ minLength: 1, maxLength: 50 })),
  defaultSeverity: Severity,
  keywords: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100 }),
  attributes: Type.Array(Attribute, { maxItems: 50 }),
  active: Type.Boolean(),
  slaRouteDays: Nullable(SlaDays('routed (assigned) within; null: the SP4N-LAPOR! default, 3')),
  slaFollowUpDays: Nullable(SlaDays('followed up within, once routed; null: the default, 5')),
  slaCloseDays: Nullable(SlaDays('a resolved report closes after this many days without an answer from its reporter; null: the default, 10')),
};
export const CategoryBody = Type.Object({
  code: Type.String({ pattern: '^[a-z0-9_]{1,50}$', description: 'lower-case letters, digits and _; the Open311 service_code' }),
  ...categoryFields,
  descriptionId: Type.Optional(categoryFields.descriptionId),
  descriptionEn: Type.Optional(categoryFields.descriptionEn),
  opdCode: Type.Optional(categoryFields.opdCode),
  defaultSeverity: Type.Optional(Severity),
  keywords: Type.Optional(categoryFields.keywords),
  attributes: Type.Optional(categoryFields.attributes),
  active: Type.Optional(Type.Boolean()),
  slaRouteDays: Type.Optional(categoryFields.slaRouteDays),
  slaFollowUpDays: Type.Optional(categoryFields.slaFollowUpDays),
  slaCloseDays: Type.Optional(categoryFields.slaCloseDays),
});
export const CategoryPatch = Type.Partial(Type.Object(categoryFields));
export const CodeParams = Type.Object({ code: Type.String({ maxLength: 50 }) });

const Sla = Type.Object({
  dueAt: Nullable(Type.Number()),
  stage: Nullable(lit(['route', 'follow_up', 'close'] as const)),
  state: Nullable(lit(['green', 'yellow', 'red'] as const)),
  overdue: Type.Boolean(),
});
const Reporter = Type.Object({ name: Nullable(Type.String()), phone: Nullable(Type.String()), email: Nullable(Type.String()) });

export const Incident = Type.Object({
  id: Id,
  ticket: Type.String({ description: 'public number, e.g. MR-000123; also the Open311 service_request_id' }),
  regionId: Type.String(),
  source: lit(INCIDENT_SOURCES),
  categoryCode: Type.String(),
  title: Type.String(),
  description: Type.String(),
  severity: Severity,
  status: Status,
  rejectReason: Nullable(Type.String()),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  address: Nullable(Type.String()),
  districtCode: Nullable(Type.String()),
  opdId: Nullable(Type.String()),
  opdCode: Nullable(Type.String()),
  assigneeUserId: Nullable(Type.String()),
  assigneeName: Nullable(Type.String()),
  alarmId: Nullable(Type.String()),
  mergedIntoId: Nullable(Type.String()),
  laporId: Nullable(Type.String({ description: 'SP4N-LAPOR! tracking id of an imported report' })),
  photos: Type.Array(Type.Object({ id: Type.String(), url: Type.String() })),
  mediaUrl: Nullable(Type.String()),
  attributes: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  resolvedAt: Nullable(Type.Number()),
  closedAt: Nullable(Type.Number()),
  reporterRepliedAt: Nullable(Type.Number({ description: 'when the reporter last answered on the ticket page; equal to updatedAt while nothing happened since' })),
  sla: Sla,
  reporter: Type.Optional(Reporter),
});

export const TimelineEntry = Type.Object({
  id: Type.String(),
  at: Type.Number(),
  kind: Type.String({ description: 'created, assigned, status, public_update, note, merged, duplicate_of, reporter_reply (the reporter\'s answer, no actor), auto_closed (resolved → closed after the reporter stayed silent), reporter_erased (the name, phone and email erased; the code spent with them), reporter_code_spent (a report without personal data: the reporter withdrew their code), severity' }),
  actor: Nullable(Type.Object({ userId: Type.String(), name: Nullable(Type.String()) })),
  public: Type.Boolean(),
  text: Nullable(Type.String()),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
});

export const IncidentDetail = Type.Intersect([
  Incident,
  Type.Object({
    timeline: Type.Array(TimelineEntry),
    duplicates: Type.Array(Type.Object({ id: Type.String(), ticket: Type.String(), distanceM: Type.Number(), createdAt: Type.Number(), status: Status })),
  }),
]);

export const IncidentListQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(Type.String({ maxLength: 200, description: 'comma-separated statuses' })),
  opdId: Type.Optional(Id),
  categoryCode: Type.Optional(Type.String({ maxLength: 50 })),
  districtCode: Type.Optional(Type.String({ maxLength: 20, description: 'Kemendagri code of the kecamatan, e.g. 16.05.09' })),
  severity: Type.Optional(Type.String({ maxLength: 100, description: 'comma-separated severities' })),
  source: Type.Optional(lit(INCIDENT_SOURCES)),
  overdue: Type.Optional(Type.Boolean({ description: 'true: only those past their SLA due time' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'text in the ticket, title, description or address' })),
});

export const IncidentBody = Type.Object({
  categoryCode: Type.String({ minLength: 1, maxLength: 50 }),
  title: Type.Optional(Type.String({ maxLength: 200 })),
  description: Text(5000),
  severity: Type.Optional(Severity),
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  address: Type.Optional(Type.String({ maxLength: 500 })),
  districtCode: Type.Optional(Type.String({ maxLength: 20 })),
  reporter: Type.Optional(Type.Object({ name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))), phone: Type.Optional(Nullable(Type.String({ maxLength: 50 }))), email: Type.Optional(Nullable(Type.String({ maxLength: 200 }))) })),
});

export const IncidentPatch = Type.Object({ severity: Severity });
export const AssignBody = Type.Object({ opdId: Type.Optional(Nullable(Id)), assigneeUserId: Type.Optional(Nullable(Id)) });
export const StatusBody = Type.Object({ status: Status, reason: Type.Optional(Type.String({ maxLength: 5000 })) });
export const UpdateBody = Type.Object({ text: Text(5000), public: Type.Boolean({ description: 'true: shown to the reporter; false: an internal note' }) });
export const MergeBody = Type.Object({ intoId: Id });

const SummaryCounts = {
  open: Type.Integer(),
  green: Type.Integer(),
  yellow: Type.Integer(),
  red: Type.Integer(),
  resolved: Type.Integer(),
  withinSlaShare: Nullable(Type.Number({ description: '0–1: decided incidents with no stage past due' })),
  medianResolveHours: Nullable(Type.Number()),
};
export const SlaSummary = Type.Object({
  from: Type.Number(),
  to: Type.Number(),
  byOpd: Type.Array(Type.Object({ opdId: Nullable(Type.String()), opdCode: Nullable(Type.String()), ...SummaryCounts })),
  byCategory: Type.Array(Type.Object({ categoryCode: Type.String(), ...SummaryCounts })),
  byDistrict: Type.Array(
    Type.Object({
      districtCode: Nullable(Type.String({ description: 'Kemendagri code of the kecamatan; null: no location, or outside every kecamatan polygon' })),
      districtName: Nullable(Type.String()),
      ...SummaryCounts,
    }),
    { description: 'per kecamatan, the longest waits first: most open past due (red), then the longest median time to resolve' },
  ),
  total: Type.Object(SummaryCounts),
});
export const SlaSummaryQuery = Type.Object({
  from: Type.Optional(EpochMs('default 30 days ago')),
  to: Type.Optional(EpochMs('default now')),
});
export const ExportQuery = Type.Object({
  ids: Type.Optional(Type.String({ maxLength: 40_000, description: 'comma-separated incident ids' })),
  status: Type.Optional(Type.String({ maxLength: 200, description: 'comma-separated statuses' })),
});
export const ImportResult = Type.Object({
  created: Type.Integer(),
  skipped: Type.Integer({ description: 'rows whose tracking id was imported before' }),
  errors: Type.Array(Type.Object({ row: Type.Integer({ description: 'line in the file (the header is line 1)' }), reason: Type.String() })),
  tickets: Type.Array(Type.String()),
});

export const PUBLIC_UPDATE_KINDS = ['created', 'status', 'update', 'merged', 'duplicate_of', 'reporter_reply', 'auto_closed'] as const satisfies readonly PublicUpdateKind[];
// A compile error here names a kind of PublicUpdateKind that the list leaves out.
({}) satisfies Record<Exclude<PublicUpdateKind, (typeof PUBLIC_UPDATE_KINDS)[number]>, never>;

/**
 * A report as the ticket page shows it: every field of PublicIncident and
 * nothing else. Fastify's serializer drops what the schema does not name, so
 * no name, phone, email or internal note can leave through this answer.
 */
export const PublicIncident = Type.Object({
  ticket: Type.String({ description: 'the ticket asked for, e.g. MR-000123' }),
  categoryCode: Type.String(),
  categoryNameId: Type.String(),
  categoryNameEn: Type.String(),
  status: Type.Unsafe<IncidentStatus>({ type: 'string', enum: [...INCIDENT_STATUSES] }),
  publicStatus: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  description: Type.String(),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  address: Nullable(Type.String()),
  agency: Nullable(Type.String({ description: 'the OPD handling it' })),
  requestedAt: Type.Number({ description: 'ms since epoch, UTC' }),
  updatedAt: Type.Number({ description: 'ms since epoch, UTC' }),
  expectedAt: Nullable(Type.Number({ description: 'ms since epoch, UTC: when the current stage (routing, follow-up) is due' })),
  mediaUrl: Nullable(Type.String()),
  updates: Type.Array(
    Type.Object({
      at: Type.Number({ description: 'ms since epoch, UTC' }),
      kind: Type.Unsafe<PublicUpdateKind>({
        type: 'string',
        enum: [...PUBLIC_UPDATE_KINDS],
        description: "created, status (a change of status), update (the agency's public answer), merged (another report merged into this one), duplicate_of (this one merged into another), reporter_reply (the reporter's answer), auto_closed (closed because the reporter did not answer within the working days the category allows after the resolution)",
      }),
      text: Nullable(Type.String({ description: 'the words as written; null for merges: the page words them from kind and ticket' })),
      status: Nullable(Type.Unsafe<IncidentStatus>({ type: 'string', enum: [...INCIDENT_STATUSES], description: 'created, status: the status it went to' })),
      ticket: Nullable(Type.String({ description: 'merged: the report merged into this one; duplicate_of: the report this one now follows' })),
    }),
    { description: 'the public lines of the timeline, oldest first; never an internal note' },
  ),
  mergedIntoTicket: Nullable(Type.String({ description: 'set when the report was merged into another (it is then closed): the ticket whose handling it now follows' })),
});
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// The schema names exactly the fields of PublicIncident: a field added to one and not the other is a compile error.
true satisfies Same<Static<typeof PublicIncident>, PublicIncident>;

// The wire types

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
