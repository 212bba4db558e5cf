/**
 * The pure constants of incidents' contract (incidents.contract.ts re-exports
 * them): the lists the wire types derive from and the status machine. No import
 * at all, so the web app bundles them without TypeBox or any schema.
 */

export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];
/** new → assigned → in_progress → resolved → closed, or rejected (TRANSITIONS). */
export const INCIDENT_STATUSES = ['new', 'assigned', 'in_progress', 'resolved', 'closed', 'rejected'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const INCIDENT_SOURCES = ['report', 'alarm', 'operator', 'lapor'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];
/** Open311's two statuses: open (new, assigned, in_progress) or closed (the rest). */
export const PUBLIC_STATUSES = ['open', 'closed'] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];
/** The stages of the SP4N-LAPOR! rhythm: routed, followed up, closed after the reporter's silence. */
export const SLA_STAGES = ['route', 'follow_up', 'close'] as const;
export type SlaStage = (typeof SLA_STAGES)[number];
export const SLA_STATES = ['green', 'yellow', 'red'] as const;
export type SlaState = (typeof SLA_STATES)[number];
/** The Open311 datatypes of a category's extra question. */
export const ATTRIBUTE_DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;
export type AttributeDatatype = (typeof ATTRIBUTE_DATATYPES)[number];
/**
 * What a public update is, so each reader's page words it in their language:
 * filed (created), a status change, the OPD's public answer (update), another
 * report merged into this one, this one merged into another (duplicate_of),
 * the reporter's own answer from the ticket page, or closed after their silence.
 */
export const PUBLIC_UPDATE_KINDS = ['created', 'status', 'update', 'merged', 'duplicate_of', 'reporter_reply', 'auto_closed'] as const;
export type PublicUpdateKind = (typeof PUBLIC_UPDATE_KINDS)[number];
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

/**
 * The SP4N-LAPOR! rhythm in working days: an incident is routed (assigned)
 * within 3 working days of filing, followed up within 5 working days of its
 * assignment, and a resolved incident whose reporter stays silent is closed 10
 * working days after the last answer. Working days are Monday to Friday in the
 * region's time zone, without Indonesia's national holidays.
 */
export const LAPOR_RHYTHM = { routeWithinWorkingDays: 3, followUpWithinWorkingDays: 5, closeAfterSilentWorkingDays: 10 } as const;

/** The names of the default category groups: [Bahasa Indonesia, English]. A group a region types itself is shown as typed. */
export const CATEGORY_GROUP_NAMES: Record<string, [string, string]> = {
  bencana: ['Bencana', 'Disasters'],
  infrastruktur: ['Infrastruktur', 'Infrastructure'],
  lingkungan: ['Lingkungan', 'Environment'],
  layanan: ['Layanan publik', 'Public services'],
  lainnya: ['Lainnya', 'Other'],
};

/**
 * The name of an extra question's answer in a language: `nameEn` in English
 * where it has one. Answers kept before it existed say both in one name
 * (*Sebagian / Partly*): each language takes its half.
 */
export function attributeValueName(v: { name: string; nameEn?: string }, lang: 'id' | 'en'): string {
  if (v.nameEn !== undefined) return lang === 'en' ? v.nameEn : v.name;
  const halves = v.name.split(' / ');
  return halves.length === 2 ? halves[lang === 'en' ? 1 : 0]! : v.name;
}
