import { AppError } from '../../core/errors.ts';

/**
 * Password strength as NIST SP 800-63B asks: a length floor, no composition
 * rules (no "one digit, one symbol"), and a check against what attackers try
 * first — common passwords, Indonesian and English words and names, keyboard
 * patterns, dates, and the user's own details. zxcvbn-ts estimates the guesses
 * needed; a score below 3 (fewer than about 10^8 guesses) is refused.
 */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 200;
export const MIN_SCORE = 3;

/** Words of this platform and region that an attacker would try with any password here. */
const PLATFORM_WORDS = ['cerdas', 'musirawas', 'musi', 'rawas', 'kabupaten', 'pemkab', 'diskominfo', 'kominfo', 'smartcity', 'admin', 'administrator'];

interface Estimate {
  score: number;
  /** feedback keys, translated below */
  warning: string | null;
  suggestions: string[];
}
interface Texts {
  warnings: Record<string, string>;
  suggestions: Record<string, string>;
}
interface Checker {
  check(password: string, userInputs: string[]): Estimate;
  id: Texts;
  en: Texts;
}

let loading: Promise<Checker> | undefined;

/**
 * The dictionaries are several megabytes: loaded on the first check (a user
 * created, a password changed), never at start-up unless ADMIN_PASSWORD needs
 * checking, and once per process. The web app does not import this file.
 */
function checker(): Promise<Checker> {
  loading ??= (async () => {
    const [core, common, en, id] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
      import('@zxcvbn-ts/language-id'),
    ]);
    // No translations given: the feedback comes back as keys, which are put in both languages below.
    const factory = new core.ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary, ...id.dictionary },
      graphs: common.adjacencyGraphs,
    });
    return {
      check: (password, userInputs) => {
        const result = factory.check(password, userInputs);
        return { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions };
      },
      id: id.translations,
      en: en.translations,
    };
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}

export interface StrengthVerdict {
  ok: boolean;
  /** 0 (guessed at once) … 4 (very hard) */
  score: number;
  /** why it was refused and how to do better, in Bahasa Indonesia and English; empty when ok */
  reason: { id: string; en: string };
}

/** The words a password must not lean on: the person's email and name, the region, the platform. */
export function userInputsOf(person: { email?: string | undefined; name?: string | undefined }, regionName?: string): string[] {
  const words = new Set(PLATFORM_WORDS);
  const add = (text: string | undefined) => {
    if (!text) return;
    const lower = text.toLowerCase();
    words.add(lower);
    // "Suryadi Pratama" is tried as suryadi, pratama and suryadipratama
    words.add(lower.replace(/[^\p{L}\p{N}]+/gu, ''));
    for (const part of lower.split(/[^\p{L}\p{N}]+/u)) if (part.length >= 3) words.add(part);
  };
  add(person.email);
  add(person.email?.split('@')[0]);
  add(person.name);
  add(regionName);
  add(regionName?.replace(/^(kabupaten|kota)\s+/i, '').replace(/\s+/g, ''));
  return [...words];
}

export async function judgePassword(password: string, userInputs: string[]): Promise<StrengthVerdict> {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return {
      ok: false,
      score: 0,
      reason: { id: `Kata sandi minimal ${MIN_PASSWORD_LENGTH} karakter.`, en: `A password needs at least ${MIN_PASSWORD_LENGTH} characters.` },
    };
  }
  const z = await checker();
  const estimate = z.check(password, userInputs);
  if (estimate.score >= MIN_SCORE) return { ok: true, score: estimate.score, reason: { id: '', en: '' } };
  const say = (texts: Texts, generic: string) =>
    [estimate.warning ? texts.warnings[estimate.warning] ?? generic : generic, ...estimate.suggestions.map((s) => texts.suggestions[s]).filter((s) => s !== undefined)].join(' ');
  return {
    ok: false,
    score: estimate.score,
    reason: {
      id: say(z.id, 'Kata sandi ini mudah ditebak.'),
      en: say(z.en, 'This password is easy to guess.'),
    },
  };
}

/** Throws PASSWORD_WEAK with the reason in both languages when the password is refused. */
export async function assertStrongPassword(password: string, userInputs: string[]): Promise<void> {
  const verdict = await judgePassword(password, userInputs);
  if (!verdict.ok) {
    throw new AppError('PASSWORD_WEAK', `Kata sandi terlalu lemah: ${verdict.reason.id} / Password too weak: ${verdict.reason.en}`, {
      score: verdict.score,
      minScore: MIN_SCORE,
      reason: verdict.reason,
    });
  }
}
