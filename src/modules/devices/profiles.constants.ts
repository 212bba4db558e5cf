/** The pure part of the device profiles' contract (profiles.contract.ts re-exports it): how a value is flagged against a key's range. No import, so the web app bundles it alone. */

/** A profile key's expected range (ProfileKey's min and max; null: no bound). */
export interface ExpectedRange { min: number | null; max: number | null }

/** Why a stored value is flagged: above the profile's max or below its min; undefined when in range, not a number, or no range. */
export type RangeFlag = 'above' | 'below';
export function rangeFlag(key: ExpectedRange | undefined, value: unknown): RangeFlag | undefined {
  if (key === undefined || typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  if (key.max !== null && value > key.max) return 'above';
  if (key.min !== null && value < key.min) return 'below';
  return undefined;
}
