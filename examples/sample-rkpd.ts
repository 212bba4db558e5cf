/**
 * SAMPLE — a made-up RKPD of Kabupaten Musi Rawas shaped like a SIPD export
 * (title block, merged two-line header, column-number row, blank rows, Indonesian
 * rupiah). Not an official document. `npx tsx examples/sample-rkpd.ts` writes
 * examples/rkpd-musi-rawas-2025-SAMPLE.xlsx and .csv; the benchmark and tests build bigger ones with buildRkpd().
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';

export interface SampleRow { code: string; name: string; indicator: string; target: string; unit: string; budget: number; location: string; opd: string; year: number }

const OPD_NAMES: Record<string, string> = {
  DISKOMINFO: 'Dinas Komunikasi dan Informatika',
  DINKES: 'Dinas Kesehatan',
  PUPR: 'Dinas Pekerjaan Umum dan Penataan Ruang',
  DLH: 'Dinas Lingkungan Hidup',
  BPBD: 'Badan Penanggulangan Bencana Daerah',
  DISHUB: 'Dinas Perhubungan',
  DISDIK: 'Dinas Pendidikan',
};

const K = ['Muara Beliti', 'Tugumulyo', 'Muara Kelingi', 'Purwodadi', 'Jayaloka', 'Megang Sakti', 'Selangit', 'STL Ulu Terawas'];

/** Program → kegiatan → sub kegiatan, Permendagri 90/2019 style (names abridged; budgets made up). */
export const SAMPLE: SampleRow[] = (() => {
  const rows: SampleRow[] = [];
  const y = 2025;
  const add = (opd: string, code: string, name: string, indicator: string, target: string, unit: string, budget: number, location = 'Kabupaten Musi Rawas') =>
    rows.push({ code, name, indicator, target, unit, budget, location, opd: OPD_NAMES[opd]!, year: y });
  add('DISKOMINFO', '2.16.03', 'PROGRAM PENGELOLAAN APLIKASI INFORMATIKA', 'Persentase layanan publik berbasis elektronik', '65', '%', 2_150_000_000);
  add('DISKOMINFO', '2.16.03.2.02', 'Pengelolaan E-Government di Lingkup Pemerintah Daerah Kabupaten/Kota', 'Indeks SPBE', '2,9', 'indeks', 2_150_000_000);
  add('DISKOMINFO', '2.16.03.2.02.0014', 'Penyelenggaraan Jaringan Intra Pemerintah Daerah', 'Jumlah OPD terhubung jaringan intra pemerintah', '42', 'OPD', 1_250_000_000, 'Muara Beliti');
  add('DISKOMINFO', '2.16.03.2.02.0005', 'Pengembangan Aplikasi dan Proses Bisnis Pemerintahan Berbasis Elektronik', 'Jumlah aplikasi layanan publik terintegrasi', '8', 'aplikasi', 900_000_000);
  add('DINKES', '1.02.02', 'PROGRAM PEMENUHAN UPAYA KESEHATAN PERORANGAN DAN UPAYA KESEHATAN MASYARAKAT', 'Persentase puskesmas terakreditasi', '90', '%', 3_400_000_000);
  add('DINKES', '1.02.02.2.02', 'Penyediaan Layanan Kesehatan untuk UKM dan UKP Rujukan Tingkat Daerah', 'Cakupan pelayanan kesehatan ibu hamil', '95', '%', 3_400_000_000);
  add('DINKES', '1.02.02.2.02.0001', 'Pengelolaan Pelayanan Kesehatan Ibu Hamil', 'Jumlah ibu hamil yang mendapatkan pelayanan kesehatan', '6500', 'orang', 1_100_000_000, 'Tugumulyo');
  add('DINKES', '1.02.02.2.02.0033', 'Pengelolaan Sistem Informasi Kesehatan', 'Jumlah puskesmas dengan rekam medis elektronik', '19', 'puskesmas', 2_300_000_000);
  add('PUPR', '1.03.03', 'PROGRAM PENGELOLAAN DAN PENGEMBANGAN SISTEM PENYEDIAAN AIR MINUM', 'Persentase rumah tangga dengan akses air minum layak', '78', '%', 5_600_000_000);
  add('PUPR', '1.03.03.2.01', 'Pengelolaan dan Pengembangan Sistem Penyediaan Air Minum (SPAM) di Daerah Kabupaten/Kota', 'Jumlah sambungan rumah baru', '1200', 'SR', 5_600_000_000);
  add('PUPR', '1.03.03.2.01.0006', 'Pembangunan SPAM Jaringan Perpipaan di Kawasan Perdesaan', 'Panjang jaringan perpipaan terbangun', '14', 'km', 5_600_000_000, 'Muara Kelingi');
  add('DLH', '2.11.11', 'PROGRAM PENGELOLAAN PERSAMPAHAN', 'Persentase sampah tertangani', '70', '%', 1_800_000_000);
  add('DLH', '2.11.11.2.01', 'Pengelolaan Sampah', 'Volume sampah tertangani', '21000', 'ton', 1_800_000_000);
  add('DLH', '2.11.11.2.01.0006', 'Penyediaan Sarana dan Prasarana Pengelolaan Sampah', 'Jumlah bank sampah aktif', '25', 'unit', 1_800_000_000, 'Purwodadi');
  add('BPBD', '1.05.03', 'PROGRAM PENANGGULANGAN BENCANA', 'Persentase desa tangguh bencana', '30', '%', 1_350_000_000);
  add('BPBD', '1.05.03.2.01', 'Pelayanan Informasi Rawan Bencana Kabupaten/Kota', 'Jumlah sistem peringatan dini banjir berfungsi', '12', 'unit', 1_350_000_000);
  add('BPBD', '1.05.03.2.01.0002', 'Penyusunan Kajian Risiko Bencana dan Pemasangan Peringatan Dini Banjir Sungai Kelingi', 'Jumlah pos duga air terpasang', '6', 'unit', 1_350_000_000, 'Muara Kelingi');
  add('DISHUB', '2.15.02', 'PROGRAM PENYELENGGARAAN LALU LINTAS DAN ANGKUTAN JALAN (LLAJ)', 'Persentase PJU menyala', '90', '%', 2_000_000_000);
  add('DISHUB', '2.15.02.2.01', 'Penetapan Rencana Induk Jaringan LLAJ Kabupaten/Kota', 'Jumlah titik PJU cerdas', '400', 'titik', 2_000_000_000);
  add('DISHUB', '2.15.02.2.01.0004', 'Penyediaan Perlengkapan Jalan dan Penerangan Jalan Umum Tenaga Surya', 'Jumlah PJU tenaga surya terpasang', '400', 'titik', 2_000_000_000, 'Jayaloka');
  add('DISDIK', '1.01.02', 'PROGRAM PENGELOLAAN PENDIDIKAN', 'Angka partisipasi murni SD', '98', '%', 4_500_000_000);
  add('DISDIK', '1.01.02.2.02', 'Pengelolaan Pendidikan Sekolah Dasar', 'Jumlah sekolah dengan akses internet', '150', 'sekolah', 4_500_000_000);
  add('DISDIK', '1.01.02.2.02.0009', 'Pengembangan Literasi Digital dan Perpustakaan Sekolah', 'Jumlah siswa mengikuti literasi digital', '12000', 'siswa', 4_500_000_000, 'Megang Sakti');
  return rows;
})();

/** `n` rows: the sample repeated with new sub kegiatan numbers (for the benchmark). */
export function manyRows(n: number): SampleRow[] {
  const out: SampleRow[] = [];
  const subs = SAMPLE.filter((r) => r.code.split('.').length === 6);
  const next = new Map<string, number>(); // sub kegiatan numbers per kegiatan
  for (let i = 0; out.length < n; i++) {
    const base = subs[i % subs.length]!;
    const parts = base.code.split('.');
    const kegiatan = parts.slice(0, 5).join('.');
    const number = (next.get(kegiatan) ?? 0) + 1;
    if (number > 9999) throw new Error('too many rows for the sample kegiatan');
    next.set(kegiatan, number);
    parts[5] = String(number).padStart(4, '0');
    out.push({ ...base, code: parts.join('.'), name: `${base.name} ${Math.floor(i / subs.length) + 1}`, location: K[i % K.length]!, budget: 1_000_000 * (1 + (i % 997)) });
  }
  return out;
}

const rupiah = (v: number) => `Rp ${v.toLocaleString('id-ID')},00`;
const TITLE = ['RENCANA KERJA PEMERINTAH DAERAH (RKPD) TAHUN 2025', 'PEMERINTAH KABUPATEN MUSI RAWAS', 'CONTOH / SAMPLE: data rekaan untuk uji impor Cerdas, bukan dokumen resmi'];
const HEAD1 = ['No', 'Kode', 'Urusan/Bidang Urusan/Program/Kegiatan/Sub Kegiatan', 'Indikator Kinerja', null, null, 'Pagu Indikatif (Rp)', 'Lokasi', 'Perangkat Daerah', 'Tahun'];
const HEAD2 = [null, null, null, 'Tolok Ukur', 'Target', 'Satuan', null, null, null, null];

export async function buildXlsx(rows: SampleRow[], options: { blankEvery?: number } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('RKPD 2025');
  for (const t of TITLE) ws.addRow([t]);
  ws.mergeCells('A1:J1');
  ws.mergeCells('A2:J2');
  ws.mergeCells('A3:J3');
  ws.addRow([]);
  ws.addRow(HEAD1);
  ws.addRow(HEAD2);
  for (const col of ['A', 'B', 'C', 'G', 'H', 'I', 'J']) ws.mergeCells(`${col}5:${col}6`);
  ws.mergeCells('D5:F5');
  ws.addRow([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  rows.forEach((r, i) => {
    if (options.blankEvery && i > 0 && i % options.blankEvery === 0) ws.addRow([]);
    // SIPD sends pagu as a number cell in XLSX
    ws.addRow([i + 1, r.code, r.name, r.indicator, r.target, r.unit, r.budget, r.location, r.opd, r.year]);
  });
  ws.getColumn(7).numFmt = '#,##0';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function buildCsv(rows: SampleRow[]): string {
  const q = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [...TITLE.map((t) => q(t)), '', 'No;Kode;Program/Kegiatan/Sub Kegiatan;Indikator;Target;Satuan;Pagu (Rp);Lokasi;Perangkat Daerah;Tahun'];
  rows.forEach((r, i) => lines.push([i + 1, r.code, r.name, r.indicator, r.target, r.unit, rupiah(r.budget), r.location, r.opd, r.year].map(q).join(';')));
  return lines.join('\r\n') + '\r\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  fs.writeFileSync(`${dir}rkpd-musi-rawas-2025-SAMPLE.xlsx`, await buildXlsx(SAMPLE, { blankEvery: 4 }));
  fs.writeFileSync(`${dir}rkpd-musi-rawas-2025-SAMPLE.csv`, buildCsv(SAMPLE));
  console.log(`wrote ${SAMPLE.length} rows to examples/rkpd-musi-rawas-2025-SAMPLE.xlsx and .csv`);
}
