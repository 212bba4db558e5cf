/**
 * DEMO=1: a few Musi Rawas quick wins (made up, like the sample RKPD), most
 * part of the demo's initiatives, two of them the programs the demo used to
 * tick as quick wins; and milestones on the roadmap. Seeded once: a region
 * with a quick win is left alone.
 */
import type { Principal } from '../../identity/index.ts';
import type { MilestoneCreate, QuickWinCreate } from './quickwins.contract.ts';
import type { RoadmapService } from './quickwins.roadmap.ts';

const M = 1_000_000;
interface DemoQuickWin extends QuickWinCreate { initiative?: string; program?: string }
const DEMO: DemoQuickWin[] = [
  {
    title: 'Wi-Fi dan Jaringan Intra di 14 Kantor Kecamatan', dimensionKey: 'governance', initiative: 'Jaringan Intra Pemerintah dan Pusat Data Daerah', program: '2.16.03.2.02.0014',
    background: 'Kantor kecamatan mengirim berkas layanan ke OPD dengan kurir atau surel pribadi; koneksinya lambat dan tidak aman.',
    output: '14 kantor kecamatan terhubung jaringan intra pemerintah dengan Wi-Fi layanan publik', outcome: 'Berkas layanan kecamatan sampai ke OPD pada hari yang sama',
    startMonth: '2025-01', endMonth: '2025-12', cost: 1_250 * M, fundingSource: 'apbd', status: 'done',
  },
  {
    title: 'Dasbor Peringatan Dini Muka Air Sungai Kelingi', dimensionKey: 'society', initiative: 'Peringatan Dini Banjir Sungai Kelingi dan Lakitan', program: '1.05.03.2.01.0002',
    background: 'Warga bantaran Sungai Kelingi mengetahui banjir dari tetangga, sering setelah air masuk rumah.',
    output: '4 pos duga air terpantau di dasbor dan pesan peringatan ke grup desa', outcome: 'Warga bantaran menerima peringatan paling lambat 3 jam sebelum air naik',
    startMonth: '2025-03', endMonth: '2025-10', cost: 450 * M, fundingSource: 'apbd', status: 'done',
  },
  {
    title: 'Antrean Daring Puskesmas', dimensionKey: 'living', initiative: 'Rekam Medis Elektronik Puskesmas',
    background: 'Pasien puskesmas mengantre sejak subuh untuk mendapat nomor.', output: 'Nomor antrean daring di 19 puskesmas', outcome: 'Waktu tunggu pasien turun menjadi di bawah 60 menit',
    startMonth: '2026-02', endMonth: '2026-09', cost: 320 * M, fundingSource: 'dak_apbn', status: 'ongoing',
  },
  {
    title: 'Lapor Sampah Liar lewat Aplikasi Warga', dimensionKey: 'environment', initiative: 'Bank Sampah Digital Desa',
    background: 'Tumpukan sampah liar di tepi jalan baru diangkut setelah viral.', output: 'Kategori laporan sampah liar dengan foto dan lokasi, diteruskan ke DLH', outcome: 'Laporan sampah liar ditangani dalam 3 hari kerja',
    startMonth: '2026-04', endMonth: '2026-12', cost: 180 * M, fundingSource: 'csr', status: 'planned',
  },
  {
    title: 'Katalog UMKM Desa di Portal Daerah', dimensionKey: 'economy',
    background: 'Produk UMKM desa sulit ditemukan pembeli dari luar daerah.', output: 'Katalog 150 UMKM desa dengan kontak dan peta', outcome: 'Pesanan dari luar Musi Rawas bagi UMKM yang terdaftar',
    startMonth: '2026-07', endMonth: '2027-01', cost: 150 * M, fundingSource: 'apbd', status: 'planned',
  },
];
const MILESTONES: MilestoneCreate[] = [
  { dimensionKey: 'governance', year: 2026, text: '42 OPD terhubung jaringan intra pemerintah' },
  { dimensionKey: 'society', year: 2026, text: '12 pos duga air berfungsi' },
  { dimensionKey: 'living', year: 2026, text: '19 puskesmas memakai rekam medis elektronik' },
  { dimensionKey: 'environment', year: 2028, text: '400 titik PJU cerdas terpantau' },
];

export async function seedQuickWinsDemo(roadmap: RoadmapService, admin: Principal): Promise<void> {
  const quickwins = roadmap.quickwins;
  if ((await quickwins.repo.list(admin.regionId)).length > 0) return;
  const initiatives = new Map((await quickwins.initiatives.repo.list(admin.regionId)).map((i) => [i.name, i]));
  const programs = new Map((await quickwins.initiatives.plans.allPrograms(admin.regionId)).filter((l) => l.document === 'RKPD').map((l) => [l.code, l]));
  for (const { initiative, program, ...body } of DEMO) {
    const i = initiative ? initiatives.get(initiative) : undefined;
    const line = program ? programs.get(program) : undefined;
    const created = await quickwins.create(admin, { ...body, initiativeId: i?.id ?? null, leadOpdId: i?.lead_opd_id ?? line?.opd_id ?? null });
    if (line) await quickwins.repo.update(admin.regionId, created.id, { source_program_id: line.id });
  }
  for (const m of MILESTONES) await roadmap.createMilestone(admin, m);
}
