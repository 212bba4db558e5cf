/**
 * The pure constants of the master plan's contracts (plan/plan.contract.ts and
 * evaluation/evaluation.contract.ts check that their schemas name the same
 * values). No import, so the web app bundles them alone.
 */

/** The planning documents, in the order the screens offer them: the yearly plans first, then the five-year and the twenty-year one. */
export const DOCUMENT_KEYS = ['RKPD', 'RENJA', 'RENSTRA', 'RPJMD', 'RPJPD'] as const;

/** The dimensions of the evaluation, in the order the weights are shown. */
export const EVALUATION_DIMENSIONS = ['baseline', 'output', 'outcome', 'impact', 'quickWin'] as const;

/** The ministries that have owned the Gerakan Menuju 100 Smart City programme, and their names. */
export const PROGRAMME_OWNERS = {
  kominfo: { nameId: 'Kementerian Komunikasi dan Informatika', nameEn: 'Ministry of Communication and Informatics', short: 'Kominfo' },
  komdigi: { nameId: 'Kementerian Komunikasi dan Digital', nameEn: 'Ministry of Communication and Digital Affairs', short: 'Komdigi' },
} as const;
export const PROGRAMME_OWNER_KEYS = ['komdigi', 'kominfo'] as const;
type ProgrammeOwner = (typeof PROGRAMME_OWNER_KEYS)[number];
/** Kominfo became Komdigi with the cabinet formed on 21 October 2024 (UTC midnight of that day). */
const KOMDIGI_SINCE = Date.UTC(2024, 9, 21);

/** The plan's programme owner: the one set, else Komdigi for a document dated from 21 October 2024, Kominfo before. */
export function programmeOwner(setting: ProgrammeOwner | null, dated: number): ProgrammeOwner {
  return setting ?? (dated >= KOMDIGI_SINCE ? 'komdigi' : 'kominfo');
}
