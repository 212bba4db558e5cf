import { AppError } from '../../core/errors.ts';

/** A comma-separated query parameter (statuses, severities) as its items, each one of `allowed`; undefined when absent. */
export function list(value: string | undefined, allowed: readonly string[], name: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = items.find((s) => !allowed.includes(s));
  if (unknown) throw new AppError('QUERY_INVALID', `${name} "${unknown}" is not one of ${allowed.join(', ')}`);
  return items;
}
