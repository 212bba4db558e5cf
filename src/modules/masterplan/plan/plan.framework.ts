/**
 * Kominfo's "Gerakan Menuju 100 Smart City" framework, bilingual: the six
 * dimensions with three elements each, the three readiness elements with their
 * sub-elements, the plan's horizons and the planning documents
 * (from /work/shared/data/smart-city-framework.json).
 */
import { AppError } from '../../../core/errors.ts';
import type { DimensionKey } from './plan.contract.ts';

interface Named { key: string; nameId: string; nameEn: string }
interface DimensionDef extends Named { elements: Named[] }
interface ReadinessDef extends Named { subs: Named[] }

export const DIMENSIONS: DimensionDef[] = [
  { key: 'governance', nameId: 'Smart Governance (tata kelola)', nameEn: 'Smart Governance', elements: [
    { key: 'service', nameId: 'Pelayanan publik', nameEn: 'Public service' },
    { key: 'bureaucracy', nameId: 'Tata kelola birokrasi', nameEn: 'Bureaucracy' },
    { key: 'policy', nameId: 'Kebijakan publik', nameEn: 'Public policy' } ] },
  { key: 'branding', nameId: 'Smart Branding (citra daerah)', nameEn: 'Smart Branding', elements: [
    { key: 'tourism', nameId: 'Branding pariwisata', nameEn: 'Tourism branding' },
    { key: 'business', nameId: 'Branding bisnis daerah', nameEn: 'Business branding' },
    { key: 'appearance', nameId: 'Branding wajah kota', nameEn: 'City appearance' } ] },
  { key: 'economy', nameId: 'Smart Economy (ekonomi)', nameEn: 'Smart Economy', elements: [
    { key: 'industry', nameId: 'Ekosistem industri', nameEn: 'Industry ecosystem' },
    { key: 'welfare', nameId: 'Kesejahteraan rakyat', nameEn: 'Welfare' },
    { key: 'transaction', nameId: 'Ekosistem transaksi keuangan', nameEn: 'Financial transactions' } ] },
  { key: 'living', nameId: 'Smart Living (lingkungan hidup layak)', nameEn: 'Smart Living', elements: [
    { key: 'harmony', nameId: 'Tata ruang wilayah selaras (harmonisasi)', nameEn: 'Harmonious living space' },
    { key: 'health', nameId: 'Prasarana kesehatan', nameEn: 'Health' },
    { key: 'mobility', nameId: 'Sarana transportasi (mobilitas)', nameEn: 'Mobility' } ] },
  { key: 'society', nameId: 'Smart Society (masyarakat)', nameEn: 'Smart Society', elements: [
    { key: 'community', nameId: 'Interaksi masyarakat', nameEn: 'Community' },
    { key: 'learning', nameId: 'Ekosistem belajar', nameEn: 'Learning ecosystem' },
    { key: 'security', nameId: 'Sistem keamanan masyarakat', nameEn: 'Security' } ] },
  { key: 'environment', nameId: 'Smart Environment (lingkungan)', nameEn: 'Smart Environment', elements: [
    { key: 'protection', nameId: 'Perlindungan lingkungan', nameEn: 'Environmental protection' },
    { key: 'waste', nameId: 'Tata kelola sampah dan limbah', nameEn: 'Waste management' },
    { key: 'energy', nameId: 'Tata kelola energi', nameEn: 'Energy management' } ] },
];

export const DIMENSION_KEYS = DIMENSIONS.map((d) => d.key);
const DIMENSION_LITERALS = ['governance', 'branding', 'economy', 'living', 'society', 'environment'] as const satisfies readonly DimensionKey[];
/** A key as the contract's dimension type; null for one that is not a dimension. */
export const dimensionKeyOf = (key: string): DimensionKey | null => DIMENSION_LITERALS.find((k) => k === key) ?? null;

export const READINESS: ReadinessDef[] = [
  { key: 'struktur', nameId: 'Struktur', nameEn: 'Structure', subs: [
    { key: 'sdm', nameId: 'Sumber daya manusia', nameEn: 'People' },
    { key: 'keuangan', nameId: 'Keuangan', nameEn: 'Finance' },
    { key: 'tata_kelola', nameId: 'Tata kelola', nameEn: 'Governance' } ] },
  { key: 'infrastruktur', nameId: 'Infrastruktur', nameEn: 'Infrastructure', subs: [
    { key: 'fisik', nameId: 'Infrastruktur fisik', nameEn: 'Physical' },
    { key: 'digital', nameId: 'Infrastruktur digital', nameEn: 'Digital' },
    { key: 'sosial', nameId: 'Infrastruktur sosial', nameEn: 'Social' } ] },
  { key: 'suprastruktur', nameId: 'Suprastruktur', nameEn: 'Superstructure', subs: [
    { key: 'regulasi', nameId: 'Regulasi', nameEn: 'Regulation' },
    { key: 'kelembagaan', nameId: 'Kelembagaan', nameEn: 'Institutions' },
    { key: 'implementasi', nameId: 'Implementasi', nameEn: 'Implementation' } ] },
];
export const READINESS_KEYS = ['struktur', 'infrastruktur', 'suprastruktur'] as const;
type ReadinessKey = (typeof READINESS_KEYS)[number];

interface ChecklistQuestion { element: ReadinessKey; subKey: string; code: string; questionId: string; questionEn: string }

const q = (element: ReadinessKey, subKey: string, code: string, questionId: string, questionEn: string): ChecklistQuestion => ({ element, subKey, code, questionId, questionEn });

/**
 * The default readiness checklist: the official questionnaire was not found,
 * so these questions follow the guide's spirit (fit with the RPJMD, e-government
 * and smart city rules, IT infrastructure, people, fiscal capacity). Each is
 * scored 0 (absent) to 4 (in place and working well).
 */
export const READINESS_CHECKLIST: ChecklistQuestion[] = [
  q('struktur', 'sdm', 'S.1.1', 'Ada ASN dengan kompetensi TIK di setiap OPD', 'Every OPD has civil servants with ICT skills'),
  q('struktur', 'sdm', 'S.1.2', 'Pimpinan daerah dan OPD memahami konsep smart city', 'Regional and OPD leaders understand the smart city concept'),
  q('struktur', 'sdm', 'S.1.3', 'Ada program pelatihan TIK bagi ASN setiap tahun', 'There is a yearly ICT training programme for civil servants'),
  q('struktur', 'keuangan', 'S.2.1', 'APBD menganggarkan program TIK/smart city secara khusus', 'The regional budget funds ICT / smart city programmes explicitly'),
  q('struktur', 'keuangan', 'S.2.2', 'Kapasitas fiskal cukup untuk membiayai quick win', 'Fiscal capacity is enough to fund the quick wins'),
  q('struktur', 'keuangan', 'S.2.3', 'Ada sumber pembiayaan lain (CSR, KPBU, hibah)', 'There are other funding sources (CSR, PPP, grants)'),
  q('struktur', 'tata_kelola', 'S.3.1', 'Visi dan misi RPJMD selaras dengan smart city', 'The RPJMD vision and mission fit the smart city'),
  q('struktur', 'tata_kelola', 'S.3.2', 'Ada tata kelola TIK (arsitektur SPBE, manajemen data)', 'ICT governance exists (SPBE architecture, data management)'),
  q('struktur', 'tata_kelola', 'S.3.3', 'Koordinasi antar-OPD berjalan rutin', 'The OPDs coordinate regularly'),
  q('infrastruktur', 'fisik', 'I.1.1', 'Jalan, listrik dan air bersih menjangkau sebagian besar wilayah', 'Roads, power and clean water reach most of the region'),
  q('infrastruktur', 'fisik', 'I.1.2', 'Ada ruang kendali (command center) atau rencana pembangunannya', 'There is a command center or a plan to build one'),
  q('infrastruktur', 'fisik', 'I.1.3', 'Fasilitas umum (PJU, CCTV, sensor) terdata dan terpelihara', 'Public facilities (street lights, CCTV, sensors) are recorded and maintained'),
  q('infrastruktur', 'digital', 'I.2.1', 'Jaringan internet menjangkau kantor OPD, kecamatan dan desa', 'The internet reaches OPD offices, districts and villages'),
  q('infrastruktur', 'digital', 'I.2.2', 'Ada pusat data / layanan cloud pemerintah daerah', 'The region has a data center or government cloud'),
  q('infrastruktur', 'digital', 'I.2.3', 'Aplikasi layanan publik saling terintegrasi', 'Public service applications are integrated'),
  q('infrastruktur', 'sosial', 'I.3.1', 'Masyarakat terbiasa memakai layanan digital', 'Citizens are used to digital services'),
  q('infrastruktur', 'sosial', 'I.3.2', 'Ada komunitas TIK, kampus atau pelaku usaha yang terlibat', 'ICT communities, campuses or businesses take part'),
  q('infrastruktur', 'sosial', 'I.3.3', 'Kanal pengaduan masyarakat (SP4N-LAPOR!) berjalan', 'The citizen complaint channel (SP4N-LAPOR!) works'),
  q('suprastruktur', 'regulasi', 'P.1.1', 'Ada Perda/Perbup tentang SPBE atau smart city', 'A regional regulation on e-government or smart city exists'),
  q('suprastruktur', 'regulasi', 'P.1.2', 'Ada regulasi satu data dan keamanan informasi', 'Rules on one data and information security exist'),
  q('suprastruktur', 'kelembagaan', 'P.2.1', 'Dewan Smart City dan Tim Pelaksana ditetapkan dengan SK', 'The smart city council and implementation team are appointed by decree'),
  q('suprastruktur', 'kelembagaan', 'P.2.2', 'Diskominfo memiliki bidang/unit yang menangani smart city', 'Diskominfo has a unit in charge of the smart city'),
  q('suprastruktur', 'implementasi', 'P.3.1', 'Program smart city dipantau dan dievaluasi setiap tahun', 'Smart city programmes are monitored and evaluated yearly'),
  q('suprastruktur', 'implementasi', 'P.3.2', 'Ada inovasi layanan yang sudah berjalan dan dipakai warga', 'Service innovations already run and are used by citizens'),
];

export const HORIZONS = [
  { key: 'short', years: 1, nameId: 'Jangka pendek (1 tahun)', nameEn: 'Short term (1 year)' },
  { key: 'medium', years: 5, nameId: 'Jangka menengah (5 tahun)', nameEn: 'Medium term (5 years)' },
  { key: 'long', years: 10, nameId: 'Jangka panjang (10 tahun)', nameEn: 'Long term (10 years)' },
] as const;
export const HORIZON_KEYS = ['short', 'medium', 'long'] as const;

export const DOCUMENTS = [
  { key: 'RPJPD', years: 20, nameId: 'Rencana Pembangunan Jangka Panjang Daerah', nameEn: 'Long-term regional development plan' },
  { key: 'RPJMD', years: 5, nameId: 'Rencana Pembangunan Jangka Menengah Daerah', nameEn: 'Medium-term regional development plan' },
  { key: 'RENSTRA', years: 5, nameId: 'Rencana Strategis Perangkat Daerah', nameEn: 'Strategic plan of an OPD' },
  { key: 'RKPD', years: 1, nameId: 'Rencana Kerja Pemerintah Daerah', nameEn: 'Regional government work plan' },
  { key: 'RENJA', years: 1, nameId: 'Rencana Kerja Perangkat Daerah', nameEn: 'Work plan of an OPD' },
] as const;

export function isElementOf(dimensionKey: string, elementKey: string): boolean {
  return DIMENSIONS.find((d) => d.key === dimensionKey)?.elements.some((e) => e.key === elementKey) ?? false;
}

/** A dimension and element as the framework has them: an element needs its dimension. */
export function checkMapping(dimensionKey: string | null | undefined, elementKey: string | null | undefined): void {
  if (dimensionKey != null && !DIMENSION_KEYS.includes(dimensionKey)) throw new AppError('VALIDATION_FAILED', `dimensionKey must be one of ${DIMENSION_KEYS.join(', ')}`);
  if (elementKey != null) {
    if (dimensionKey == null) throw new AppError('VALIDATION_FAILED', 'an elementKey needs its dimensionKey');
    if (!isElementOf(dimensionKey, elementKey)) throw new AppError('VALIDATION_FAILED', `"${elementKey}" is not an element of ${dimensionKey}`);
  }
}
