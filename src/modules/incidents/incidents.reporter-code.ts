/**
 * The reporter's code (REPORTER_CODE_*, incidents.constants.ts): made, stored
 * and checked. A short code has 40 bits, too few for a plain SHA-256 to stand a
 * leaked database (2^40 hashes is an afternoon), so it is kept as scrypt with
 * the incident's id as salt; the 27-character codes given before keep their
 * SHA-256 and keep working. Online guessing is held back by CodeTries.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import { hashToken } from '../../core/ids.ts';
import { groupReporterCode, normalizeReporterCode, REPORTER_CODE_ALPHABET, REPORTER_CODE_LENGTH, REPORTER_CODE_TRIES } from './incidents.constants.ts';

const PREFIX = 'scrypt$';
/** N = 2^12, 4 MiB: about 10 ms a check on an idle core, off the event loop (libuv's pool); 2^40 guesses offline stay out of reach. */
const COST: ScryptOptions = { N: 4096, r: 8, p: 1 };

const scrypt = (code: BinaryLike, salt: BinaryLike): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCb(code, salt, 32, COST, (error, key) => (error ? reject(error) : resolve(key))));

/** A new code, shown as ABCD-EFGH: 5 random bytes, 8 symbols of 5 bits. */
export function newReporterCode(): string {
  const bytes = randomBytes(5);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = REPORTER_CODE_LENGTH - 1; i >= 0; i--) out += REPORTER_CODE_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return groupReporterCode(out);
}

/** What is stored for a new code of this incident. */
export async function hashReporterCode(code: string, incidentId: string): Promise<string> {
  const short = normalizeReporterCode(code);
  if (short === null) throw new Error('not a reporter code');
  return PREFIX + (await scrypt(short, incidentId)).toString('hex');
}

/** Whether a code as typed matches the stored one (either form), in constant time; false once erased. */
export async function reporterCodeMatches(stored: string | null, typed: string, incidentId: string): Promise<boolean> {
  if (stored === null || typed.length > 200) return false;
  let computed: string;
  if (stored.startsWith(PREFIX)) {
    const short = normalizeReporterCode(typed);
    if (short === null) return false;
    computed = PREFIX + (await scrypt(short, incidentId)).toString('hex');
  } else computed = hashToken(typed.trim());
  const a = Buffer.from(computed);
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Wrong codes per ticket: after REPORTER_CODE_TRIES.max in a window the ticket
 * takes no code until the window ends (429), so 40 bits stand: 10 guesses an
 * hour is 10^11 hours for one ticket. Kept in this instance's memory (a restart
 * forgets it; several instances each keep their own count).
 */
export class CodeTries {
  private readonly failures = new Map<string, { n: number; since: number }>();
  private readonly now: () => number;
  constructor(now: () => number) {
    this.now = now;
  }

  /** ms until the ticket takes codes again; 0 when it does. */
  blockedFor(key: string): number {
    const f = this.failures.get(key);
    if (!f) return 0;
    const left = f.since + REPORTER_CODE_TRIES.windowMs - this.now();
    if (left <= 0) {
      this.failures.delete(key);
      return 0;
    }
    return f.n >= REPORTER_CODE_TRIES.max ? left : 0;
  }

  failed(key: string): void {
    const now = this.now();
    const f = this.failures.get(key);
    if (!f || now - f.since >= REPORTER_CODE_TRIES.windowMs) this.failures.set(key, { n: 1, since: now });
    else f.n++;
    // a bound on memory: the oldest windows go first
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value!);
  }
}
