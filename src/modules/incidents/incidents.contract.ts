/**
 * The contract of incidents: the TypeBox schemas of its API, the wire types
 * (what the API answers and the web app reads) and its pure constants (the
 * status machine, severities, sources, re-exported from incidents.constants.ts).
 * Routes, services, repositories and the web app all use it. No server-only
 * import: the browser build (web/tsconfig.json: DOM, no Node types) type-checks
 * it as it is. The web app imports its types (`import type`, nothing bundled)
 * and takes the constants from incidents.constants.ts, which has no schema:
 * importing a value from this file would bundle TypeBox and every schema
 * (about 50 kB more in the app's main chunk, measured with vite build).
 */
import { Type, type Static } from 'typebox';
import { EpochMs, Id, PageQuery } from '../../core/http-schemas.ts';
import {
  ATTRIBUTE_DATATYPES,
  INCIDENT_SEVERITIES,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  PUBLIC_STATUSES,
  PUBLIC_UPDATE_KINDS,
  PUBLICATION_STATES,
  SLA_STAGES,
  SLA_STATES,
} from './incidents.constants.ts';

export * from './incidents.constants.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const lit = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description !== undefined && { description }) });

export const Severity = lit(INCIDENT_SEVERITIES, 'low, medium, high or critical');
export const Status = lit(INCIDENT_STATUSES, 'new → assigned → in_progress → resolved → closed, or rejected');
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const SlaDays = (description: string) => Type.Integer({ minimum: 1, maximum: 60, description: `working days: ${description}` });

export const Attribute = Type.Object({
  code: Type.String({ pattern: '^[a-z0-9_]{1,50}$' }),
  datatype: lit(ATTRIBUTE_DATATYPES),
  required: Type.Boolean(),
  descriptionId: Type.String({ maxLength: 500 }),
  descriptionEn: Type.String({ maxLength: 500 }),
  values: Type.Optional(
    Type.Array(Type.Object({ key: Type.String({ minLength: 1, maxLength: 100 }), name: Type.String({ maxLength: 200, description: 'in Bahasa Indonesia' }), nameEn: Type.Optional(Type.String({ maxLength: 200, description: 'in English' })) }), { maxItems: 100 }),
  ),
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
  autoPublish: Type.Boolean({ description: 'true: its reports are public at once; false (default): an operator approves each first' }),
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
  autoPublish: Type.Boolean({ description: "true: residents' reports of this category appear on the public map and Open311 feed at once; false: after an operator approves them" }),
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
  autoPublish: Type.Optional(categoryFields.autoPublish),
});
export const CategoryPatch = Type.Partial(Type.Object(categoryFields));
export const CodeParams = Type.Object({ code: Type.String({ maxLength: 50 }) });

export const Sla = Type.Object({
  dueAt: Nullable(Type.Number({ description: 'ms since epoch, UTC; null when no stage is running' })),
  stage: Nullable(lit(SLA_STAGES)),
  state: Nullable(lit(SLA_STATES)),
  overdue: Type.Boolean(),
});
/** The reporter's personal data: only admins and the OPD the incident is routed to see it. */
export const Reporter = Type.Object({ name: Nullable(Type.String()), phone: Nullable(Type.String()), email: Nullable(Type.String()) });

export const Incident = Type.Object({
  id: Id,
  ticket: Type.String({ description: 'public number, e.g. MR-000123; also the Open311 service_request_id' }),
  regionId: Type.String(),
  source: lit(INCIDENT_SOURCES),
  categoryCode: Type.String(),
  title: Type.String(),
  titleEn: Nullable(Type.String({ description: "the title in English where the platform worded it (an alarm's incident: Water level 4.28 m at Pos Pantau Kelingi — Alert); null: a title people wrote, in their own language" })),
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
  alarmId: Nullable(Type.String({ description: 'the alarm that opened it' })),
  assetId: Nullable(Type.String({ description: 'the asset of the alarm that opened it' })),
  deviceId: Nullable(Type.String({ description: "the device of the alarm that opened it (its chart: the device's telemetry)" })),
  publication: lit(PUBLICATION_STATES, 'pending (a resident report awaiting approval), published (on the public map and Open311 feed), private (an alarm, or refused for publication)'),
  publicTitle: Nullable(Type.String({ description: "what the public sees as its title; null: the incident's title" })),
  publicText: Nullable(Type.String({ description: "what the public sees as its text; null: the description" })),
  publicPhoto: Type.Boolean({ description: 'whether its photo is public once published' }),
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
  kind: Type.String({ description: 'published, withheld (refused for publication), title (renamed), created, assigned, status, public_update, note, merged, duplicate_of, reporter_reply (the reporter\'s answer, no actor), auto_closed (resolved → closed after the reporter stayed silent), reporter_erased (the name, phone and email erased; the code spent with them), reporter_code_spent (a report without personal data: the reporter withdrew their code), severity' }),
  actor: Nullable(Type.Object({ userId: Type.String(), name: Nullable(Type.String()) })),
  public: Type.Boolean(),
  text: Nullable(Type.String()),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
});

/** A report of the same category nearby and close in time. */
export const Duplicate = Type.Object({ id: Type.String(), ticket: Type.String(), distanceM: Type.Number(), createdAt: Type.Number(), status: Status });

export const IncidentDetail = Type.Intersect([
  Incident,
  Type.Object({
    timeline: Type.Array(TimelineEntry),
    duplicates: Type.Array(Duplicate),
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
  publication: Type.Optional(lit(PUBLICATION_STATES, 'pending: the moderation queue')),
  alarmId: Type.Optional(Id),
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

export const IncidentPatch = Type.Object(
  { severity: Type.Optional(Severity), title: Type.Optional(Text(200)) },
  { minProperties: 1, description: 'the severity, the title, or both' },
);
/** An operator's decision on what the public sees of an incident. */
export const PublicationBody = Type.Object({
  publication: lit(['published', 'private'] as const, 'published: on the public map and Open311 feed; private: not public (the reporter still follows it by ticket)'),
  publicTitle: Type.Optional(Nullable(Type.String({ maxLength: 200, description: "the public title; null or empty: the incident's title" }))),
  publicText: Type.Optional(Nullable(Type.String({ maxLength: 5000, description: "the public text (personal data, insults removed); null or empty: the reporter's description" }))),
  publicPhoto: Type.Optional(Type.Boolean({ description: 'false: the photo stays internal' })),
});
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
/** Counts of one row of the SLA overview (an OPD, a category, a kecamatan, or all). */
export const SummaryRow = Type.Object(SummaryCounts);
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
  total: SummaryRow,
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

/** A public line of a report's timeline. */
export const PublicUpdate = Type.Object({
  at: Type.Number({ description: 'ms since epoch, UTC' }),
  kind: lit(
    PUBLIC_UPDATE_KINDS,
    "created, status (a change of status), update (the agency's public answer), merged (another report merged into this one), duplicate_of (this one merged into another), reporter_reply (the reporter's answer), auto_closed (closed because the reporter did not answer within the working days the category allows after the resolution)",
  ),
  text: Nullable(Type.String({ description: 'the words as written; null for merges: the page words them from kind and ticket' })),
  status: Nullable(lit(INCIDENT_STATUSES, 'created, status: the status it went to')),
  ticket: Nullable(Type.String({ description: 'merged: the report merged into this one; duplicate_of: the report this one now follows' })),
});

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
  status: lit(INCIDENT_STATUSES),
  publicStatus: lit(PUBLIC_STATUSES),
  description: Type.String(),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  address: Nullable(Type.String()),
  agency: Nullable(Type.String({ description: 'the OPD handling it' })),
  requestedAt: Type.Number({ description: 'ms since epoch, UTC' }),
  updatedAt: Type.Number({ description: 'ms since epoch, UTC' }),
  expectedAt: Nullable(Type.Number({ description: 'ms since epoch, UTC: when the current stage (expectedStage) is due' })),
  expectedStage: Nullable(lit(SLA_STAGES, 'which deadline expectedAt is: route (forwarded to the OPD by), follow_up (first answer by), resolve (target to finish)')),
  title: Type.String({ description: 'the public title' }),
  published: Type.Boolean({ description: 'false: awaiting moderation or not public; the description, place and photo are then left out' }),
  mediaUrl: Nullable(Type.String()),
  updates: Type.Array(
    PublicUpdate,
    { description: 'the public lines of the timeline, oldest first; never an internal note' },
  ),
  mergedIntoTicket: Nullable(Type.String({ description: 'set when the report was merged into another (it is then closed): the ticket whose handling it now follows' })),
});
// The wire types, derived from the schemas: what the API answers and the web app reads.

export type CategoryAttribute = Static<typeof Attribute>;
export type Category = Static<typeof Category>;
export type Sla = Static<typeof Sla>;
export type Reporter = Static<typeof Reporter>;
export type Incident = Static<typeof Incident>;
export type TimelineEntry = Static<typeof TimelineEntry>;
export type Duplicate = Static<typeof Duplicate>;
export type IncidentDetail = Static<typeof IncidentDetail>;
export type SummaryRow = Static<typeof SummaryRow>;
export type SlaSummary = Static<typeof SlaSummary>;
export type PublicUpdate = Static<typeof PublicUpdate>;
export type PublicIncident = Static<typeof PublicIncident>;
export type ImportResult = Static<typeof ImportResult>;

// What requests carry, as the routes' schemas check it.

export type CategoryInput = Static<typeof CategoryBody>;
export type CategoryChanges = Static<typeof CategoryPatch>;
export type IncidentInput = Static<typeof IncidentBody>;
export type IncidentListFilter = Static<typeof IncidentListQuery>;
export type PublicationInput = Static<typeof PublicationBody>;
