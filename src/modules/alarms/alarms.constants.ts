/** The pure constants of the alarms' contract (alarms.contract.ts re-exports them): the severity scale. No import, so the web app bundles them alone. */

/**
 * Severities: Indonesia's disaster-warning levels (BNPB: Normal, Waspada,
 * Siaga, Awas) and the usual info/minor/major/critical, on one scale of rank.
 */
export const SEVERITIES = ['normal', 'info', 'waspada', 'minor', 'siaga', 'major', 'awas', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_RANK: Record<Severity, number> = { normal: 0, info: 0, waspada: 1, minor: 1, siaga: 2, major: 2, awas: 3, critical: 3 };
/** BNPB's warning levels above Normal, lowest first: the levels most rules use. */
export const WARNING_LEVELS = ['waspada', 'siaga', 'awas'] as const satisfies readonly Severity[];
/** The usual scale besides them, lowest first. */
export const GENERAL_SEVERITIES = ['info', 'minor', 'major', 'critical'] as const satisfies readonly Severity[];
/** The rank of a severity as the API sends it (a string); 0 for one the scale does not know. */
export const severityRank = (severity: string): number => (SEVERITIES as readonly string[]).includes(severity) ? SEVERITY_RANK[severity as Severity] : 0;
/**
 * The names of the severities: [Bahasa Indonesia, English]. BNPB's levels in
 * English as disaster agencies render them: Waspada = Watch, Siaga = Alert,
 * Awas = Warning.
 */
export const SEVERITY_NAMES: Record<Severity, [string, string]> = {
  normal: ['Normal', 'Normal'],
  info: ['Info', 'Info'],
  waspada: ['Waspada', 'Watch'],
  minor: ['Ringan', 'Minor'],
  siaga: ['Siaga', 'Alert'],
  major: ['Berat', 'Major'],
  awas: ['Awas', 'Warning'],
  critical: ['Kritis', 'Critical'],
};
