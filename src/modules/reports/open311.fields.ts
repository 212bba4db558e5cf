/** The fields of an Open311 request as the spec names them, read and checked one by one (VALIDATION_FAILED, QUERY_INVALID). */
import { AppError } from '../../core/errors.ts';
import { MAX_EPOCH_MS } from '../../core/input.ts';
import type { ReporterNotify } from '../incidents/index.ts';
import { normalizeMobile } from '../notifications/index.ts';

/** A form's fields as @fastify/formbody, multipart or JSON give them: text or repeated text. */
export type Fields = Record<string, string | string[] | undefined>;

export const LIMITS = { description: 4000, name: 200, email: 320, phone: 40, address: 500, url: 2000, attribute: 1000, deviceId: 200 } as const;
export const MAX_PHOTOS = 5;

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[v.length - 1] : v);
export const list = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);

export function bad(message: string): never {
  throw new AppError('VALIDATION_FAILED', message);
}

export function text(fields: Fields, name: string, max: number): string | null {
  const raw = one(fields[name]);
  if (raw === undefined) return null;
  const v = raw.trim();
  if (v === '') return null;
  if (v.length > max) bad(`${name} may have at most ${max} characters`);
  if (v.includes('\u0000')) bad(`${name} must not contain NUL characters`);
  return v;
}

export function number(fields: Fields, name: 'lat' | 'long', min: number, max: number): number | null {
  const raw = one(fields[name])?.trim();
  if (raw === undefined || raw === '') return null;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) bad(`${name} must be a number, got "${raw.slice(0, 40)}"`);
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) bad(`${name} must be a number from ${min} to ${max}`);
  return n;
}

/** ISO 8601 date or date-time; null when absent. */
export function parseDate(value: string | undefined, name: string): number | null {
  if (value === undefined || value.trim() === '') return null;
  // An unencoded `+07:00` in a query string arrives as ` 07:00`.
  const v = value.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) throw new AppError('QUERY_INVALID', `${name} must be an ISO 8601 date-time, e.g. 2026-11-29T08:00:00+07:00`);
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) throw new AppError('QUERY_INVALID', `${name} is not a valid date`);
  if (ms < 0 || ms > MAX_EPOCH_MS) throw new AppError('QUERY_INVALID', `${name} is not a date between 1970 and 2200`);
  return ms;
}

/**
 * `notify` (whatsapp, sms or email; empty or none: no): the reporter asks to be
 * told when the report is routed, worked on, resolved or rejected, on the phone
 * or email they gave. A number that cannot be a mobile is refused here, before
 * anything is written.
 */
export function notifyChoice(fields: Fields, contact: { phone: string | null; email: string | null }, language: 'id' | 'en'): ReporterNotify | null {
  const choice = text(fields, 'notify', 20)?.toLowerCase() ?? null;
  if (choice === null || choice === 'none' || choice === 'false' || choice === '0') return null;
  if (choice !== 'whatsapp' && choice !== 'sms' && choice !== 'email') bad('notify must be whatsapp, sms, email or none');
  if (choice === 'email') {
    if (contact.email === null) bad('notify=email needs the email field');
    return { channel: choice, address: contact.email, language };
  }
  if (contact.phone === null) bad(`notify=${choice} needs the phone field (a mobile number)`);
  normalizeMobile(contact.phone);
  return { channel: choice, address: contact.phone, language };
}
