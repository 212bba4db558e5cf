/**
 * Parser tasks that misbehave on purpose, for the parser pool's tests: one that
 * spins, one that eats its heap, one that answers.
 */
import { AppError } from '../../src/core/errors.ts';
import { parserTask } from '../../src/platform/files/index.ts';

/** Busy for `ms` on the worker's thread, then answers the byte count. */
export function spin(bytes: Uint8Array, options: { ms: number }): number {
  const until = Date.now() + options.ms;
  while (Date.now() < until) {
    // busy: the worker's event loop is held, as a parser stuck in one huge file would hold it
  }
  return bytes.length;
}

/** Allocates until the heap runs out (arrays of numbers: heap, not buffers). */
export function hog(): number {
  const kept: number[][] = [];
  for (;;) kept.push(Array.from({ length: 100_000 }, (_, i) => i + 0.5));
}

/** Refuses with an AppError, which comes back as itself. */
export function refuse(): never {
  throw new AppError('IMPORT_LIMIT_EXCEEDED', 'the sheet has too many rows: more than 3, at most 3', { limit: 'maxRows', max: 3 });
}

const here = new URL(import.meta.url);
export const spinTask = parserTask<{ ms: number }, number>(here, 'spin');
export const hogTask = parserTask<Record<string, never>, number>(here, 'hog');
export const refuseTask = parserTask<Record<string, never>, never>(here, 'refuse');
