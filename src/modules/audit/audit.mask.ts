/**
 * What an audit entry may hold: the changed fields of an entity, never a
 * credential (device tokens, passwords, channel secrets, API keys) and never a
 * citizen's personal data (a report's reporter, a resident's or contact's address).
 */

/** Field names whose values are credentials: kept as "***" so the entry shows they changed, not what to. */
const SECRET = /token|secret|password|credential|api_?key|private_?key|signing/i;
/** Field names of personal data: the reporter of a report, a phone or message address, a test message's recipient. */
const PERSONAL = new Set(['reporter', 'reporterName', 'reporterPhone', 'reporterEmail', 'phone', 'to', 'recipient', 'recipientName']);
/** Personal data only where the entity is a contact or subscription (an incident's address is where the problem is). */
const CONTACT_ENTITIES = /contact|subscription|resident/;
/** Fields every update moves: not a change anyone made. */
const NOISE = new Set(['updatedAt', 'updated_at', 'history', 'timeline', 'duplicates']);
/** Beyond this many characters a value is cut (a GeoJSON layer, a long description). */
const MAX_TEXT = 2000;
const MAX_DEPTH = 6;
export const MASK = '***';
/** Beyond this much JSON a side of an entry is replaced by its size (a whole GeoJSON layer says nothing in an audit). */
export const MAX_SIDE_BYTES = 32 * 1024;
/**
 * A request body beyond this many bytes is described by its size, never walked:
 * Fastify's default body limit, so every body a JSON route parses is masked as
 * before (arrays cut at 50, depth at 6); only a route with its own parser and
 * limit (a map layer of up to 20 MB, read as bytes) sends more.
 */
export const MAX_WALK_BYTES = 1024 * 1024;

/** A side too big to keep: its size and its first field names, as an entry shows it. */
export function sizeOnly(bytes: number, fields: string[] = []): Record<string, unknown> {
  return { truncated: true, bytes, fields };
}

/** Bytes (a Buffer, a typed array): no fields to walk, only a size. */
function byteLengthOf(value: unknown): number | null {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  return value instanceof ArrayBuffer ? value.byteLength : null;
}

/** Fields an entry never holds: noise, and personal data where the entity makes it personal. */
function leftOut(key: string, entity: string): boolean {
  if (NOISE.has(key) || PERSONAL.has(key)) return true;
  // An incident's address is where the problem is; anywhere else an address is where a person is reached.
  if (key === 'address' && entity !== 'incident' && entity !== 'asset') return true;
  return key === 'email' && CONTACT_ENTITIES.test(entity);
}

/** A copy of `value` with credentials masked, personal data and noise left out, long texts and big arrays cut. */
export function maskValue(value: unknown, entity: string, depth = 0): unknown {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' && value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
  }
  if (depth >= MAX_DEPTH) return '…';
  // Walked as an object, an 11 MB Buffer is 11 million fields (20 s of the event loop, then a 150 MB string).
  const bytes = byteLengthOf(value);
  if (bytes !== null) return sizeOnly(bytes);
  if (Array.isArray(value)) {
    const kept = value.slice(0, 50).map((v) => maskValue(v, entity, depth + 1));
    return value.length > 50 ? [...kept, `… +${value.length - 50}`] : kept;
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (leftOut(key, entity)) continue;
    if (SECRET.test(key) && key !== 'hasToken' && key !== 'tokenHint') {
      out[key] = v === null || v === undefined ? v : MASK;
      continue;
    }
    out[key] = maskValue(v, entity, depth + 1);
  }
  return out;
}

/**
 * A request body as an entry keeps it: masked like any value when it is of a
 * JSON route's size, else only its size (`declaredBytes`: the request's
 * content-length) and first field names, found without walking it.
 */
export function maskBody(body: unknown, entity: string, declaredBytes: number | null): Record<string, unknown> | null {
  const bytes = byteLengthOf(body);
  if (bytes !== null) return sizeOnly(bytes);
  if (declaredBytes !== null && declaredBytes > MAX_WALK_BYTES) {
    const fields: string[] = [];
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      for (const key in body) {
        if (fields.length === 50) break;
        if (Object.hasOwn(body, key) && !leftOut(key, entity)) fields.push(key);
      }
    }
    return sizeOnly(declaredBytes, fields);
  }
  const masked = maskValue(body, entity);
  return masked !== null && typeof masked === 'object' && !Array.isArray(masked) ? (masked as Record<string, unknown>) : masked === null ? null : { value: masked };
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * The changed fields before and after: with both sides, the top-level fields
 * of the answer whose values differ from the read before (an action's answer,
 * a new token say, may hold fields the entity does not); with one side, all
 * of it (created or deleted).
 */
export function changes(before: unknown, after: unknown, entity: string): { before: Record<string, unknown> | null; after: Record<string, unknown> | null } {
  const b = asObject(maskValue(before, entity));
  const a = asObject(maskValue(after, entity));
  if (!b || !a) return { before: b, after: a };
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const key of Object.keys(a)) {
    if (JSON.stringify(b[key]) === JSON.stringify(a[key])) continue;
    if (key in b) was[key] = b[key];
    if (key in a) now[key] = a[key];
  }
  return { before: was, after: now };
}

/** A name people recognise: the entity's name, title, ticket or code, from after the change or before it. */
export function labelOf(...candidates: unknown[]): string | null {
  for (const c of candidates) {
    const o = asObject(c);
    if (!o) continue;
    for (const key of ['name', 'title', 'ticket', 'nameId', 'code', 'email', 'key']) {
      const v = o[key];
      if (typeof v === 'string' && v !== '') return v.slice(0, 200);
    }
  }
  return null;
}
