/** The pure constants of the alarm rules' contract (rules.contract.ts re-exports them). No import, so the web app bundles them alone. */

export const CONDITION_OPS = ['gt', 'gte', 'lt', 'lte', 'between', 'outside', 'rate_gt', 'rate_lt', 'silence'] as const;

/** More than this is a table of thresholds, not a warning scale (BNPB has three above Normal). */
export const MAX_LEVELS = 5;

export const TARGET_KINDS = ['device', 'device_type', 'asset_type'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** The preview looks back this many days at most (and by default). */
export const PREVIEW_DAYS = 7;
/** The preview's bounds: it stops reading after this many points, this many devices, or this many ms, and says so. */
export const PREVIEW_LIMITS = { maxRows: 200_000, maxDevices: 500, budgetMs: 3000 } as const;
/** Firings listed one by one (the count covers them all). */
export const PREVIEW_MAX_FIRINGS = 100;
/** Why a preview stopped before the end: too many points, too many devices, or its time ran out. */
export const PREVIEW_STOPS = ['rows', 'devices', 'time'] as const;
export type PreviewStop = (typeof PREVIEW_STOPS)[number];
