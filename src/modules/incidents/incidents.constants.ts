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
/**
 * The stages of an incident's clock: routed and followed up (the SP4N-LAPOR!
 * rhythm), resolved while in progress (by severity, RESOLVE_WITHIN), closed
 * after the reporter's silence.
 */
export const SLA_STAGES = ['route', 'follow_up', 'resolve', 'close'] as const;
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

/**
 * Working days to resolve an incident once work started (in progress), by its
 * severity: a critical flood is not given the two weeks a pothole is. The
 * incident's clock keeps running after *Dikerjakan* instead of stopping.
 */
export const RESOLVE_WITHIN: Record<IncidentSeverity, number> = { critical: 1, high: 2, medium: 5, low: 10 };
/**
 * Working days for the OPD to follow up an incident an alarm opened (routed at
 * once by its rule), by severity; never longer than the category's follow-up.
 */
export const ALARM_FOLLOW_UP_WITHIN: Record<IncidentSeverity, number> = { critical: 1, high: 1, medium: 2, low: 3 };

/**
 * Whether the public sees an incident (the Open311 feed, the public map, the
 * ticket page's text and photo): pending while a resident's report waits for an
 * operator's approval, published, or private (an alarm's incident, or a report
 * an operator refused for publication; its reporter still follows it by ticket).
 */
export const PUBLICATION_STATES = ['pending', 'published', 'private'] as const;
export type PublicationState = (typeof PUBLICATION_STATES)[number];

/** A title made from the reporter's text: its first words, at most this many characters. */
export const TITLE_FROM_TEXT_MAX = 80;
/** The first words of a text as a title (an ellipsis when cut). */
export function titleFromText(text: string, max = TITLE_FROM_TEXT_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat.replace(/[.!?,;:]+$/, '');
  const cut = flat.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : flat.slice(0, max)).replace(/[.!?,;:]+$/, '')}…`;
}

/**
 * The reporter's code: 8 characters of Crockford's base32 (no I, L, O or U,
 * nothing to misread on paper), 40 bits, shown as ABCD-EFGH. Typed in any case,
 * with or without the dash or spaces; I and L are read as 1 and O as 0, as
 * Crockford's decoding does. Guessing is held back by REPORTER_CODE_TRIES.
 */
export const REPORTER_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REPORTER_CODE_LENGTH = 8;
/** Wrong codes one ticket takes per window before it answers 429 (all codes, right or wrong, until the window ends). */
export const REPORTER_CODE_TRIES = { max: 10, windowMs: 3_600_000 } as const;

/** A short code as typed → its canonical 8 characters; null when it is not one (an older, long code: compare it as it is). */
export function normalizeReporterCode(typed: string): string | null {
  const flat = typed.replace(/[\s-]+/g, '').toUpperCase().replace(/[IL]/g, '1').replace(/O/g, '0');
  if (flat.length !== REPORTER_CODE_LENGTH) return null;
  for (const ch of flat) if (!REPORTER_CODE_ALPHABET.includes(ch)) return null;
  return flat;
}

/** ABCDEFGH → ABCD-EFGH (a long, older code as it is). */
export function groupReporterCode(code: string): string {
  const short = normalizeReporterCode(code);
  return short === null ? code : `${short.slice(0, 4)}-${short.slice(4)}`;
}

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
