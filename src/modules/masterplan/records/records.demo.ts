/**
 * DEMO=1: the Musi Rawas records. The geography and population figures are the
 * reference facts of the demo region (BPS and Wikipedia, gathered for the
 * project in its Musi Rawas reference file): area 6.357 km², 14 kecamatan, 186
 * desa and 13 kelurahan, 395.570 inhabitants in the 2020 census. Every other
 * value (PDRB, growth, poverty, IPM, APBD, PAD) and every entry below is made up
 * for the demo, and its source says so. Seeded once: a region with a profile
 * value is left alone.
 */
import type { Principal } from '../../identity/index.ts';
import type { ProfileKey } from './records.constants.ts';
import type { RecordsService } from './records.service.ts';

const REFERENCE = 'BPS / Wikipedia (data referensi wilayah demo Musi Rawas)';
const MADE_UP = 'Contoh demo, bukan data resmi';
const T = 1_000_000_000_000;
const M = 1_000_000_000;

const PROFILE: [ProfileKey, number, number, string][] = [
  ['area_km2', 6357, 2020, REFERENCE],
  ['kecamatan', 14, 2020, REFERENCE],
  ['desa', 186, 2020, REFERENCE],
  ['kelurahan', 13, 2020, REFERENCE],
  ['population', 395_570, 2020, `${REFERENCE}; Sensus Penduduk 2020`],
  ['population_growth', 1.1, 2023, MADE_UP],
  ['pdrb', 21.4 * T, 2023, MADE_UP],
  ['pdrb_growth', 4.8, 2023, MADE_UP],
  ['poverty_rate', 13.2, 2023, MADE_UP],
  ['ipm', 68.9, 2023, MADE_UP],
  ['apbd', 1_850 * M, 2024, MADE_UP],
  ['pad', 142 * M, 2024, MADE_UP],
];

export async function seedRecordsDemo(records: RecordsService, admin: Principal, opdIdOf: (code: string) => string | null): Promise<void> {
  const current = await records.view(admin.regionId);
  if (current.profile.some((v) => v.value !== null)) return;
  for (const [key, value, year, source] of PROFILE) await records.putProfile(admin, key, { value, year, source });
  const issues = [
    ['governance', 'Aplikasi OPD belum terintegrasi', 'Layanan publik tersebar di banyak aplikasi OPD tanpa satu pintu dan tanpa satu data.'],
    ['branding', 'Potensi wisata sungai belum dikenal', 'Wisata Sungai Kelingi dan Lakitan belum dipromosikan secara digital.'],
    ['economy', 'UMKM desa belum terhubung pasar digital', 'Sebagian besar UMKM belum memakai pembayaran nontunai atau lokapasar.'],
    ['living', 'Rekam medis puskesmas masih manual', 'Rujukan lambat dan data stunting tidak mutakhir.'],
    ['society', 'Banjir tahunan datang tanpa peringatan dini', 'Muara Kelingi dan Tuah Negeri banjir setiap Desember–Maret.'],
    ['environment', 'Kebakaran hutan dan lahan gambut', 'Titik panas Juli–Oktober di Megang Sakti dan Muara Kelingi.'],
  ] as const;
  for (const [dimensionKey, title, description] of issues) await records.create(admin, 'issues', { dimensionKey, title, description });
  const ict = [
    ['application', 'Cerdas (platform smart city dan command center)', 'DISKOMINFO', 'active', 'Pemantauan perangkat IoT, alarm, insiden dan laporan warga.'],
    ['application', 'SP4N-LAPOR!', 'DISKOMINFO', 'active', 'Kanal pengaduan nasional.'],
    ['network', 'Jaringan intra pemerintah (fiber optik)', 'DISKOMINFO', 'development', 'Menghubungkan kantor OPD di Muara Beliti.'],
    ['data_center', 'Ruang server Diskominfo', 'DISKOMINFO', 'active', 'Ruang server tunggal tanpa situs cadangan.'],
    ['command_center', 'Ruang kendali Musi Rawas', 'DISKOMINFO', 'planned', 'Direncanakan di kompleks perkantoran Pemkab.'],
  ] as const;
  for (const [kind, name, opd, status, description] of ict) await records.create(admin, 'ict', { kind, name, opdId: opdIdOf(opd), status, description });
  const strategies = [
    ['SO', 'infrastruktur', 'governance', 'Memanfaatkan komitmen pimpinan dan program SPBE nasional untuk membangun satu jaringan dan satu pusat data.'],
    ['ST', 'struktur', 'society', 'Menggunakan sensor muka air yang sudah ada untuk peringatan dini banjir sebelum musim hujan.'],
    ['WO', 'struktur', null, 'Meningkatkan kompetensi TIK ASN lewat bimtek dan kerja sama kampus.'],
    ['WT', 'suprastruktur', null, 'Menetapkan Perbup satu data dan keamanan informasi untuk mengurangi risiko kebocoran data.'],
  ] as const;
  for (const [quadrant, element, dimensionKey, text] of strategies) await records.create(admin, 'strategies', { quadrant, element, dimensionKey, text });
  const goals = [
    ['governance', 'Layanan publik digital satu pintu', 'Jumlah layanan terintegrasi', '8 layanan pada 2027'],
    ['society', 'Warga bantaran menerima peringatan dini banjir', 'Waktu tunggu peringatan', '≥ 3 jam'],
    ['environment', 'Titik panas turun setiap tahun', 'Jumlah titik panas', 'turun 20% per tahun'],
  ] as const;
  for (const [dimensionKey, text, indicator, target] of goals) await records.create(admin, 'goals', { dimensionKey, text, indicator, target });
  const plans = [
    ['regulation', 'Perbup Masterplan Smart City', 2026, 'BAPPEDA', 'in_progress'],
    ['regulation', 'Perbup Satu Data dan Keamanan Informasi', 2027, 'DISKOMINFO', 'planned'],
    ['institution', 'SK Bupati Dewan Smart City dan Tim Pelaksana', 2025, 'SETDA', 'done'],
    ['people', 'Bimtek TIK bagi operator OPD (40 orang per tahun)', 2026, 'DISKOMINFO', 'planned'],
    ['infrastructure', 'Pembangunan ruang kendali (command center)', 2027, 'DISKOMINFO', 'planned'],
  ] as const;
  for (const [area, what, year, opd, status] of plans) await records.create(admin, 'development', { area, what, year, opdId: opdIdOf(opd), status });
  await records.putAdoption(admin, { status: 'draft', note: 'Rancangan Perbup dibahas bersama Bagian Hukum Setda (contoh demo).' });
  for (const [kind, title] of [['sk', 'SK Bupati tentang Dewan Smart City dan Tim Pelaksana'], ['fgd_minutes', 'Notulen FGD penyusunan masterplan'], ['commitment_sheet', 'Lembar komitmen Bupati dan kepala OPD, 12 September 2022']] as const) {
    await records.create(admin, 'appendices', { kind, title });
  }
}
