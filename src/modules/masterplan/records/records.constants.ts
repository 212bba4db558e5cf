/**
 * The pure constants of the master plan's records, with their labels in both
 * languages (the web app imports them as values; records.contract.ts checks its
 * schemas name the same keys). No import.
 */

/** A labelled key. */
export interface Labelled<K extends string = string> { key: K; nameId: string; nameEn: string }

/** The groups of the regional profile, in the document's order. */
export const PROFILE_GROUPS = [
  { key: 'geography', nameId: 'Geografi dan wilayah administrasi', nameEn: 'Geography and administration' },
  { key: 'population', nameId: 'Kependudukan', nameEn: 'Population' },
  { key: 'economy', nameId: 'Perekonomian', nameEn: 'Economy' },
  { key: 'human', nameId: 'Pembangunan manusia', nameEn: 'Human development' },
  { key: 'fiscal', nameId: 'Kapasitas fiskal', nameEn: 'Fiscal capacity' },
] as const;

/** The indicators of the regional profile: each value is stored with its year and source. `rupiah`: whole rupiah. */
export const PROFILE_INDICATORS = [
  { key: 'area_km2', group: 'geography', unitId: 'km²', unitEn: 'km²', nameId: 'Luas wilayah', nameEn: 'Area', rupiah: false },
  { key: 'kecamatan', group: 'geography', unitId: 'kecamatan', unitEn: 'districts', nameId: 'Jumlah kecamatan', nameEn: 'Districts (kecamatan)', rupiah: false },
  { key: 'desa', group: 'geography', unitId: 'desa', unitEn: 'villages', nameId: 'Jumlah desa', nameEn: 'Villages (desa)', rupiah: false },
  { key: 'kelurahan', group: 'geography', unitId: 'kelurahan', unitEn: 'urban villages', nameId: 'Jumlah kelurahan', nameEn: 'Urban villages (kelurahan)', rupiah: false },
  { key: 'population', group: 'population', unitId: 'jiwa', unitEn: 'people', nameId: 'Jumlah penduduk', nameEn: 'Population', rupiah: false },
  { key: 'population_growth', group: 'population', unitId: '% per tahun', unitEn: '% a year', nameId: 'Laju pertumbuhan penduduk', nameEn: 'Population growth', rupiah: false },
  { key: 'pdrb', group: 'economy', unitId: 'rupiah', unitEn: 'rupiah', nameId: 'PDRB atas dasar harga berlaku', nameEn: 'GRDP at current prices', rupiah: true },
  { key: 'pdrb_growth', group: 'economy', unitId: '%', unitEn: '%', nameId: 'Pertumbuhan ekonomi (PDRB ADHK)', nameEn: 'Economic growth (GRDP, constant prices)', rupiah: false },
  { key: 'poverty_rate', group: 'economy', unitId: '%', unitEn: '%', nameId: 'Persentase penduduk miskin', nameEn: 'Poverty rate', rupiah: false },
  { key: 'ipm', group: 'human', unitId: 'indeks', unitEn: 'index', nameId: 'Indeks Pembangunan Manusia (IPM)', nameEn: 'Human Development Index (IPM)', rupiah: false },
  { key: 'apbd', group: 'fiscal', unitId: 'rupiah', unitEn: 'rupiah', nameId: 'Belanja APBD', nameEn: 'Regional budget (APBD) spending', rupiah: true },
  { key: 'pad', group: 'fiscal', unitId: 'rupiah', unitEn: 'rupiah', nameId: 'Pendapatan Asli Daerah (PAD)', nameEn: 'Own-source revenue (PAD)', rupiah: true },
] as const;
export const PROFILE_KEYS = ['area_km2', 'kecamatan', 'desa', 'kelurahan', 'population', 'population_growth', 'pdrb', 'pdrb_growth', 'poverty_rate', 'ipm', 'apbd', 'pad'] as const;
export type ProfileKey = (typeof PROFILE_KEYS)[number];

/** The kinds of existing ICT in the inventory. */
export const ICT_KINDS = [
  { key: 'application', nameId: 'Aplikasi', nameEn: 'Application' },
  { key: 'network', nameId: 'Jaringan', nameEn: 'Network' },
  { key: 'data_center', nameId: 'Pusat data', nameEn: 'Data centre' },
  { key: 'command_center', nameId: 'Command center', nameEn: 'Command center' },
] as const;
export const ICT_KIND_KEYS = ['application', 'network', 'data_center', 'command_center'] as const;

export const ICT_STATUSES = [
  { key: 'active', nameId: 'Beroperasi', nameEn: 'In operation' },
  { key: 'development', nameId: 'Dalam pengembangan', nameEn: 'Under development' },
  { key: 'planned', nameId: 'Direncanakan', nameEn: 'Planned' },
  { key: 'retired', nameId: 'Tidak dipakai', nameEn: 'Retired' },
] as const;
export const ICT_STATUS_KEYS = ['active', 'development', 'planned', 'retired'] as const;

/** The TOWS quadrants: a strategy pairs an internal factor (S/W) with an external one (O/T). */
export const QUADRANTS = [
  { key: 'SO', nameId: 'Strategi S-O (kekuatan untuk meraih peluang)', nameEn: 'S-O strategy (strengths to seize opportunities)' },
  { key: 'ST', nameId: 'Strategi S-T (kekuatan untuk menghadapi ancaman)', nameEn: 'S-T strategy (strengths against threats)' },
  { key: 'WO', nameId: 'Strategi W-O (peluang untuk mengatasi kelemahan)', nameEn: 'W-O strategy (opportunities to overcome weaknesses)' },
  { key: 'WT', nameId: 'Strategi W-T (meminimalkan kelemahan dan ancaman)', nameEn: 'W-T strategy (minimise weaknesses and threats)' },
] as const;
export const QUADRANT_KEYS = ['SO', 'ST', 'WO', 'WT'] as const;

/** What a development plan develops. */
export const DEVELOPMENT_AREAS = [
  { key: 'regulation', nameId: 'Regulasi (Perbup)', nameEn: 'Regulation (Perbup)' },
  { key: 'institution', nameId: 'Kelembagaan (SK Dewan dan Tim Pelaksana)', nameEn: 'Institutions (decrees of the council and team)' },
  { key: 'people', nameId: 'Sumber daya manusia', nameEn: 'People' },
  { key: 'infrastructure', nameId: 'Infrastruktur', nameEn: 'Infrastructure' },
] as const;
export const DEVELOPMENT_AREA_KEYS = ['regulation', 'institution', 'people', 'infrastructure'] as const;

export const DEVELOPMENT_STATUSES = [
  { key: 'planned', nameId: 'Direncanakan', nameEn: 'Planned' },
  { key: 'in_progress', nameId: 'Berjalan', nameEn: 'In progress' },
  { key: 'done', nameId: 'Selesai', nameEn: 'Done' },
  { key: 'postponed', nameId: 'Ditunda', nameEn: 'Postponed' },
] as const;
export const DEVELOPMENT_STATUS_KEYS = ['planned', 'in_progress', 'done', 'postponed'] as const;

/** Where the plan stands: a draft, adopted by a Perbup, integrated into the RPJMD. */
export const ADOPTION_STATUSES = [
  { key: 'draft', nameId: 'Draf', nameEn: 'Draft' },
  { key: 'perbup', nameId: 'Ditetapkan dengan Peraturan Bupati', nameEn: 'Adopted by regent regulation (Perbup)' },
  { key: 'rpjmd', nameId: 'Terintegrasi dalam RPJMD', nameEn: 'Integrated into the RPJMD' },
] as const;
export const ADOPTION_STATUS_KEYS = ['draft', 'perbup', 'rpjmd'] as const;

export const APPENDIX_KINDS = [
  { key: 'sk', nameId: 'Surat Keputusan (SK)', nameEn: 'Decree (SK)' },
  { key: 'fgd_minutes', nameId: 'Notulen FGD', nameEn: 'FGD minutes' },
  { key: 'commitment_sheet', nameId: 'Lembar komitmen', nameEn: 'Commitment sheet' },
  { key: 'other', nameId: 'Lainnya', nameEn: 'Other' },
] as const;
export const APPENDIX_KIND_KEYS = ['sk', 'fgd_minutes', 'commitment_sheet', 'other'] as const;

/** The Indonesian name of a key in one of the lists above ('' when unknown). */
export const nameOf = (list: readonly Labelled[], key: string | null | undefined): string => list.find((x) => x.key === key)?.nameId ?? '';
