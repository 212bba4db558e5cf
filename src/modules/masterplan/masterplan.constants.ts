/**
 * The pure constants of the master plan's contracts (masterplan.contract.ts and
 * collaboration.contract.ts re-export them; each checks its schema names the
 * same values). No import, so the web app bundles them alone.
 */

/** The planning documents, in the order the screens offer them: the yearly plans first, then the five-year and the twenty-year one. */
export const DOCUMENT_KEYS = ['RKPD', 'RENJA', 'RENSTRA', 'RPJMD', 'RPJPD'] as const;

/** The dimensions of the evaluation, in the order the weights are shown. */
export const EVALUATION_DIMENSIONS = ['baseline', 'output', 'outcome', 'impact', 'quickWin'] as const;
