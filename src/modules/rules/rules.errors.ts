/**
 * Why a rule was refused, for a person: the English message every client reads,
 * and `details` with the field it is about and the text in both languages, so
 * that the web app shows it in the user's language next to that field.
 */
import { AppError, type ErrorCode } from '../../core/errors.ts';

/** A refusal of a rule's field; `field` is its path in the request (`levels[1].clearCondition`; an action's own parse says `action`, which the service turns into `actions[i]`). */
export function invalid(field: string, id: string, en: string, code: ErrorCode = 'VALIDATION_FAILED'): AppError {
  return new AppError(code, en, { field, text: { id, en } });
}

// Made on first use: the first Intl formatter of a process maps in ICU's locale data (some 10 MB of the
// server's memory), which a server that has refused no rule since it started has no need of.
let indonesian: Intl.NumberFormat | undefined;
/** A number in an Indonesian text: 3,5. */
export const idNumber = (n: number): string => (indonesian ??= new Intl.NumberFormat('id-ID', { useGrouping: false, maximumFractionDigits: 6 })).format(n);
