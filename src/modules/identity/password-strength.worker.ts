/**
 * The worker thread that judges passwords (password-strength.ts): zxcvbn-ts
 * and its common, English and Indonesian dictionaries, loaded here once.
 */
import { parentPort } from 'node:worker_threads';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import * as id from '@zxcvbn-ts/language-id';
import { MIN_SCORE, type StrengthAnswer, type StrengthJob, type StrengthVerdict } from './password-strength.ts';

interface Texts {
  warnings: Record<string, string>;
  suggestions: Record<string, string>;
}

// No translations given: the feedback comes back as keys, which are put in both languages below.
const factory = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary, ...id.dictionary },
  graphs: common.adjacencyGraphs,
});

function judge(password: string, userInputs: string[]): StrengthVerdict {
  const result = factory.check(password, userInputs);
  if (result.score >= MIN_SCORE) return { ok: true, score: result.score, reason: { id: '', en: '' } };
  const { warning, suggestions } = result.feedback;
  const say = (texts: Texts, generic: string) =>
    [warning ? texts.warnings[warning] ?? generic : generic, ...suggestions.map((s) => texts.suggestions[s]).filter((s) => s !== undefined)].join(' ');
  return {
    ok: false,
    score: result.score,
    reason: {
      id: say(id.translations, 'Kata sandi ini mudah ditebak.'),
      en: say(en.translations, 'This password is easy to guess.'),
    },
  };
}

const port = parentPort;
if (!port) throw new Error('password-strength.worker.ts runs as a worker thread (see password-strength.ts)');
port.on('message', (job: StrengthJob) => {
  try {
    port.postMessage({ id: job.id, verdict: judge(job.password, job.userInputs) } satisfies StrengthAnswer);
  } catch (error) {
    port.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) } satisfies StrengthAnswer);
  }
});
