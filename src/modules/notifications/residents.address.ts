/** A resident's address on a channel, checked and normalised the way the channels need it. */
import { AppError } from '../../core/errors.ts';
import { normalizeMobile } from './phone.ts';

import type { ResidentChannel } from './residents.contract.ts';
export { RESIDENT_CHANNELS, type ResidentChannel } from './residents.contract.ts';

/** +62812… for WhatsApp and SMS (a landline is refused with that reason), a lower-cased email address. */
export function residentAddress(channel: ResidentChannel, raw: string): string {
  if (channel === 'email') {
    const email = raw.trim().toLowerCase();
    if (email.length > 254 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new AppError('VALIDATION_FAILED', `"${raw.trim().slice(0, 60)}" is not an email address`);
    return email;
  }
  return normalizeMobile(raw);
}
