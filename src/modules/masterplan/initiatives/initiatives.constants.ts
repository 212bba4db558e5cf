/**
 * The pure constants of master plan initiatives, with their labels in both
 * languages (the web app imports them as values; initiatives.contract.ts
 * checks its schemas name the same keys). No import.
 */

/** Where an initiative's money comes from. */
export const FUNDING_SOURCES = [
  { key: 'apbd', nameId: 'APBD', nameEn: 'Regional budget (APBD)' },
  { key: 'dak_apbn', nameId: 'DAK/APBN', nameEn: 'Special allocation / state budget (DAK/APBN)' },
  { key: 'dana_desa', nameId: 'Dana Desa', nameEn: 'Village fund (Dana Desa)' },
  { key: 'csr', nameId: 'CSR', nameEn: 'Corporate social responsibility (CSR)' },
  { key: 'kpbu', nameId: 'KPBU', nameEn: 'Public-private partnership (KPBU)' },
  { key: 'hibah', nameId: 'Hibah', nameEn: 'Grant (hibah)' },
] as const;
export const FUNDING_SOURCE_KEYS = ['apbd', 'dak_apbn', 'dana_desa', 'csr', 'kpbu', 'hibah'] as const;

/** The life of an initiative, in order. */
export const INITIATIVE_STATUSES = [
  { key: 'usulan', nameId: 'Usulan', nameEn: 'Proposed' },
  { key: 'direncanakan', nameId: 'Direncanakan', nameEn: 'Planned' },
  { key: 'berjalan', nameId: 'Berjalan', nameEn: 'Under way' },
  { key: 'selesai', nameId: 'Selesai', nameEn: 'Completed' },
  { key: 'ditunda', nameId: 'Ditunda', nameEn: 'Postponed' },
] as const;
export const INITIATIVE_STATUS_KEYS = ['usulan', 'direncanakan', 'berjalan', 'selesai', 'ditunda'] as const;

/** A share of a line is a whole percent; a line shared by several initiatives is split in shares summing to exactly this. */
export const FULL_SHARE = 100;
