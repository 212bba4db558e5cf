import { Worker } from 'node:worker_threads';
import { AppError } from '../../core/errors.ts';
import { siblingModule } from '../../core/module-url.ts';

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

/** A question to the checker's worker thread (password-strength.worker.ts). */
export interface StrengthJob { id: number; password: string; userInputs: string[] }
/** Its answer: the verdict, or why it could not judge. */
export type StrengthAnswer = { id: number; verdict: StrengthVerdict } | { id: number; error: string };

/** ms the checker's thread is kept after its last answer: a batch of new users does not load the dictionaries again each time. */
const CHECKER_IDLE_MS = 30_000;

let checker: Worker | null = null;
let idleTimer: NodeJS.Timeout | undefined;
let nextJobId = 1;
const waiting = new Map<number, { resolve: (verdict: StrengthVerdict) => void; reject: (error: Error) => void }>();

/**
 * The dictionaries take some 45 MB of heap once loaded, and the estimate can
 * take tens of ms: they live on a worker thread of their own, started on the
 * first check (a user created, a password changed, ADMIN_PASSWORD at start-up)
 * and ended once idle, so a server that checks a password now and then does
 * not hold them. The web app does not import this file.
 */
function checkerThread(): Worker {
  if (checker) return checker;
  // A small young generation: the dictionaries are built once and kept, and the default (48 MB) would only hold their garbage.
  const worker = new Worker(siblingModule('./password-strength.worker', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 2 } });
  checker = worker;
  worker.on('message', (answer: StrengthAnswer) => {
    const job = waiting.get(answer.id);
    if (!job) return;
    waiting.delete(answer.id);
    if ('verdict' in answer) job.resolve(answer.verdict);
    else job.reject(new Error(`the password could not be checked: ${answer.error}`));
    if (waiting.size > 0) return;
    worker.unref();
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (checker !== worker || waiting.size > 0) return;
      checker = null;
      void worker.terminate();
    }, CHECKER_IDLE_MS).unref();
  });
  const lost = (error: Error) => {
    if (checker !== worker) return;
    checker = null;
    for (const job of waiting.values()) job.reject(error);
    waiting.clear();
  };
  worker.on('error', lost);
  worker.on('exit', (code) => lost(new Error(`the password checker stopped (exit code ${code})`)));
  return worker;
}

/** Whether the checker's thread stays when released (see keepPasswordCheckerForTests). */
let keptForTests = false;

/**
 * Every test server judges ADMIN_PASSWORD as it creates the first admin of its fresh database, and
 * ending the checker's thread after that (releasePasswordChecker) made the next server of the same
 * test file load the dictionaries again: some 0.65 s of CPU a server, hundreds of times a suite.
 * Tests keep the thread until it is idle, as any later check would. Never called by the platform.
 */
export function keepPasswordCheckerForTests(): void {
  keptForTests = true;
}

/** Ends the checker's thread now rather than once idle (main.ts, after judging ADMIN_PASSWORD, before the platform loads). */
export async function releasePasswordChecker(): Promise<void> {
  const worker = checker;
  if (!worker || waiting.size > 0 || keptForTests) return;
  checker = null;
  clearTimeout(idleTimer);
  await worker.terminate();
}

function judgeOnChecker(password: string, userInputs: string[]): Promise<StrengthVerdict> {
  return new Promise((resolve, reject) => {
    const worker = checkerThread();
    const id = nextJobId++;
    waiting.set(id, { resolve, reject });
    clearTimeout(idleTimer);
    // Held while a check is waiting (main.ts awaits one before anything else keeps the process up).
    worker.ref();
    worker.postMessage({ id, password, userInputs } satisfies StrengthJob);
  });
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
  return judgeForTests ? judgeForTests(password, userInputs, judgeOnChecker) : judgeOnChecker(password, userInputs);
}

type Judge = (password: string, userInputs: string[]) => Promise<StrengthVerdict>;
let judgeForTests: ((password: string, userInputs: string[], judge: Judge) => Promise<StrengthVerdict>) | null = null;

/**
 * How the test suite judges passwords: `judge` is the checker's thread, which the suite may skip for
 * a verdict it already has (every test server judges the same ADMIN_PASSWORD, and each test file's
 * process would load the dictionaries for it). Never called by the platform.
 */
export function judgePasswordsForTests(wrap: (password: string, userInputs: string[], judge: Judge) => Promise<StrengthVerdict>): void {
  judgeForTests = wrap;
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
