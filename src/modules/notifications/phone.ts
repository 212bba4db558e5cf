/**
 * Phone numbers as the WhatsApp and SMS channels need them: E.164 (+62812…).
 *
 * Indonesian mobile numbers are 08 and 8–11 more digits when written at home
 * (0812-3456-789 … 0812-3456-78901), i.e. +62 8xx with 9 to 12 digits after the
 * country code. They are accepted as 0812…, 62812…, +62 812-…, (0812) …,
 * +62 (0) 812… and 0062 812…; spaces, dashes, dots and brackets are ignored.
 * A landline (0733-451234: area code 0733, Lubuklinggau) cannot receive WhatsApp
 * and rarely SMS, so it is refused with that reason.
 *
 * Other countries: accepted only in international form (+ or 00, then the country
 * code), 8 to 15 digits in all as E.164 allows, first digit not 0 — a neighbour's
 * officer (+60 Malaysia, +65 Singapore) can be reached; their numbering plans are
 * not checked further.
 */
import { AppError } from '../../core/errors.ts';

/** +62 8xx…: the national number starts with 8, then 1–9 (no operator has 80x) and 7–10 more digits. */
const INDONESIAN_MOBILE = /^8[1-9]\d{7,10}$/;

export function normalizeMobile(input: string): string {
  if (typeof input !== 'string' || input.trim() === '') throw invalid('the phone number is empty');
  if (input.length > 40) throw invalid('the phone number is too long');
  const compact = input.trim().replace(/\(0\)/g, '').replace(/[\s\-.()\u00a0]/g, '');
  if (/[^+\d]/.test(compact)) throw invalid(`"${input.trim()}" holds characters other than digits, +, spaces, dashes and brackets`);
  if (compact.indexOf('+') > 0 || (compact.match(/\+/g)?.length ?? 0) > 1) throw invalid('a + may only stand at the start of a phone number');

  let international: string | null = null;
  if (compact.startsWith('+')) international = compact.slice(1);
  else if (compact.startsWith('00')) international = compact.slice(2);
  else if (compact.startsWith('62')) international = compact;

  if (international === null) {
    if (!compact.startsWith('0')) throw invalid('write the number as 08… or with its country code (+62…, or + and the country code for another country)');
    return indonesian(compact.slice(1), input);
  }
  if (international.startsWith('62')) return indonesian(international.slice(2).replace(/^0/, ''), input);
  if (!/^[1-9]\d{7,14}$/.test(international)) {
    throw invalid(international.length < 8 ? 'the international number is too short' : international.length > 15 ? 'the international number is too long (E.164 allows 15 digits)' : 'the country code cannot start with 0');
  }
  return `+${international}`;
}

function indonesian(national: string, input: string): string {
  if (national.length < 6) throw invalid('the phone number is too short');
  if (!national.startsWith('8')) {
    throw invalid(`${input.trim()} is a landline number, which cannot receive WhatsApp or SMS; give a mobile number (08…)`);
  }
  if (national.length < 9) throw invalid('the mobile number is too short: 08 and 8 to 11 more digits');
  if (national.length > 12) throw invalid('the mobile number is too long: 08 and 8 to 11 more digits');
  if (!INDONESIAN_MOBILE.test(national)) throw invalid(`no Indonesian mobile number starts with 0${national.slice(0, 3)}`);
  return `+62${national}`;
}

function invalid(message: string): AppError {
  return new AppError('VALIDATION_FAILED', message);
}
