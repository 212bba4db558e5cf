/** The pure constants of the alarm rules' contract (rules.contract.ts re-exports them). No import, so the web app bundles them alone. */

export const CONDITION_OPS = ['gt', 'gte', 'lt', 'lte', 'between', 'outside', 'rate_gt', 'rate_lt', 'silence'] as const;

/** More than this is a table of thresholds, not a warning scale (BNPB has three above Normal). */
export const MAX_LEVELS = 5;

export const TARGET_KINDS = ['device', 'device_type', 'asset_type'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
