/**
 * The largest values the platform stores, as plain numbers with no imports:
 * the input rule (input.ts) enforces them, the API's schemas (http-schemas.ts)
 * document them, and the web app's type-check can read the schemas without
 * reading server code.
 */

/** The largest magnitude a number may have unless its schema says otherwise: exact in a double, fits a 64-bit column. */
export const MAX_NUMBER = Number.MAX_SAFE_INTEGER;
/** ms since epoch of 2200-01-01T00:00:00Z: the latest time the platform stores (dates past it are typing mistakes). */
export const MAX_EPOCH_MS = Date.UTC(2200, 0, 1);
/** A 32-bit `integer` column. */
export const INT32_MAX = 2_147_483_647;
