/**
 * The shapes of Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), field by
 * field, and their XML form. Nothing here ever carries a name, phone, email,
 * device id, account id or internal note: only what PublicIncident holds.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { attributeValueName, type Category, type PublicIncident } from '../incidents/index.ts';

export const SPEC_URL = 'http://wiki.open311.org/GeoReport_v2';
/** When this implementation's endpoints last changed. */
export const CHANGESET = '2026-11-29T00:00:00Z';

export type Lang = 'id' | 'en';

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function toService(c: Category, lang: Lang) {
  return {
    service_code: c.code,
    service_name: lang === 'en' ? c.nameEn : c.nameId,
    description: lang === 'en' ? c.descriptionEn : c.descriptionId,
    metadata: c.attributes.length > 0,
    type: 'realtime' as const,
    keywords: c.keywords.join(','),
    group: c.group,
  };
}

const DATATYPE_DESCRIPTION: Record<string, { id: string; en: string }> = {
  string: { id: 'Teks pendek', en: 'Short text' },
  number: { id: 'Angka', en: 'A number' },
  datetime: { id: 'Tanggal dan jam ISO 8601, mis. 2026-11-29T08:00:00+07:00', en: 'ISO 8601 date and time, e.g. 2026-11-29T08:00:00+07:00' },
  text: { id: 'Teks panjang', en: 'Long text' },
  singlevaluelist: { id: 'Pilih satu kunci dari values', en: 'One key of values' },
  multivaluelist: { id: 'Satu atau lebih kunci dari values (attribute[kode][]=…)', en: 'One or more keys of values (attribute[code][]=…)' },
};

export function toServiceDefinition(c: Category, lang: Lang) {
  return {
    service_code: c.code,
    attributes: c.attributes.map((a, i) => ({
      variable: true,
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      datatype_description: DATATYPE_DESCRIPTION[a.datatype]?.[lang] ?? null,
      order: i + 1,
      description: lang === 'en' ? a.descriptionEn : a.descriptionId,
      ...(a.values !== undefined && { values: a.values.map((v) => ({ key: v.key, name: attributeValueName(v, lang) })) }),
    })),
  };
}

const DUPLICATE_NOTE = { id: 'Laporan ini duplikat dari {t} dan digabung ke sana; pantau tiket itu.', en: 'This report is a duplicate of {t} and was merged into it; follow that ticket.' };
const AUTO_CLOSED_NOTE = {
  id: 'Ditutup otomatis: pelapor tidak menanggapi dalam batas waktu setelah laporan selesai ditangani.',
  en: 'Closed automatically: the reporter did not answer within the time allowed after it was resolved.',
};
const LAST_ANSWER = { id: 'Tanggapan terakhir petugas:', en: "The agency's last answer:" };

/**
 * The spec's status_notes, plain text: for a merged report, the ticket it now
 * follows, in the asked language; otherwise the agency's latest words (a
 * public answer, a status change's reason, an import's note), after a note in
 * the asked language when the last change of status was the automatic close
 * (it has no words of its own). Never the reporter's own answers: they are the
 * reporter's words, not the agency's notes, and may carry personal details.
 */
export function statusNotes(r: PublicIncident, lang: Lang): string | null {
  if (r.mergedIntoTicket !== null) return DUPLICATE_NOTE[lang].replace('{t}', r.mergedIntoTicket);
  const updates = [...r.updates].reverse();
  const last = updates.find((u) => (u.kind === 'update' || u.kind === 'status' || u.kind === 'created') && u.text !== null && u.text !== '')?.text ?? null;
  const change = updates.find((u) => u.status !== null);
  if (change?.kind !== 'auto_closed') return last;
  return last === null ? AUTO_CLOSED_NOTE[lang] : `${AUTO_CLOSED_NOTE[lang]} ${LAST_ANSWER[lang]} ${last}`;
}

/** `base` makes our own photo paths absolute URLs, as the spec's media_url is. */
export function toRequest(r: PublicIncident, lang: Lang, base: string) {
  return {
    service_request_id: r.ticket,
    status: r.publicStatus,
    status_notes: statusNotes(r, lang),
    service_name: lang === 'en' ? r.categoryNameEn : r.categoryNameId,
    service_code: r.categoryCode,
    description: r.description,
    agency_responsible: r.agency,
    service_notice: null,
    requested_datetime: iso(r.requestedAt),
    updated_datetime: iso(r.updatedAt),
    expected_datetime: iso(r.expectedAt),
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat,
    long: r.lon,
    media_url: r.mediaUrl === null ? null : r.mediaUrl.startsWith('/') ? base + r.mediaUrl : r.mediaUrl,
  };
}

/** The spec's error list: `[{"code":400,"description":"…"}]`. */
export function errorList(status: number, description: string) {
  return [{ code: status, description }];
}

// ---------------------------------------------------------------- XML

/** Names of the elements that repeat inside a list element. */
const ITEM: Record<string, string> = { endpoints: 'endpoint', formats: 'format', attributes: 'attribute', values: 'value' };

const builder = new XMLBuilder({ format: false, suppressEmptyNode: false, processEntities: true });

function wrap(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) {
    const item = (key && ITEM[key]) ?? 'item';
    return { [item]: value.map((v) => wrap(v)) };
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, wrap(v, k)]));
  }
  return value === null ? '' : value;
}

/** `root`/`item`: e.g. service_requests/request, services/service, errors/error; a non-array is the root's content. */
export function toXml(data: unknown, root: string, item?: string): string {
  const body = Array.isArray(data) ? { [item ?? 'item']: data.map((d) => wrap(d)) } : wrap(data);
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ [root]: body })}`;
}
