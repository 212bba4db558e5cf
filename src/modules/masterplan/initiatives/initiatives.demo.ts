/**
 * DEMO=1: a handful of Musi Rawas initiatives (made up, like the sample RKPD
 * they draw on), each linked to the sample's lines as its funding trace, with
 * a 2025 realisation. The education and water lines stay unlinked, so the
 * grouping suggestions have something to offer. Seeded once: a region with
 * an initiative is left alone.
 */
import type { Principal } from '../../identity/index.ts';
import type { InitiativeCreate } from './initiatives.contract.ts';
import { InitiativeLinks } from './initiatives.links.ts';
import type { InitiativesService } from './initiatives.service.ts';

interface DemoInitiative extends Omit<InitiativeCreate, 'programIds'> { codes: string[]; realised2025?: [planned: number, realised: number] }

const M = 1_000_000;
const DEMO: DemoInitiative[] = [
  {
    dimensionKey: 'governance', elementKey: 'bureaucracy', name: 'Jaringan Intra Pemerintah dan Pusat Data Daerah',
    problem: 'Separuh kantor OPD dan kecamatan belum terhubung jaringan intra pemerintah; data tersimpan di server masing-masing OPD.',
    goal: 'Seluruh OPD terhubung satu jaringan aman dan memakai satu pusat data daerah.', target: '42 OPD terhubung pada 2026',
    indicators: ['Jumlah OPD terhubung jaringan intra pemerintah', 'Indeks SPBE domain infrastruktur'], startYear: 2024, endYear: 2027,
    costEstimate: 4_800 * M, fundingSources: ['apbd'], status: 'berjalan', codes: ['2.16.03.2.02.0014'], realised2025: [1_250 * M, 1_190 * M],
  },
  {
    dimensionKey: 'governance', elementKey: 'service', name: 'Integrasi Aplikasi Layanan Publik',
    problem: 'Warga mengurus layanan di banyak aplikasi yang tidak saling terhubung.', goal: 'Satu pintu layanan digital yang terintegrasi.',
    target: '8 aplikasi layanan terintegrasi', indicators: ['Jumlah aplikasi layanan publik terintegrasi'], startYear: 2025, endYear: 2027,
    costEstimate: 2_700 * M, fundingSources: ['apbd', 'dak_apbn'], status: 'direncanakan', codes: ['2.16.03.2.02.0005'],
  },
  {
    dimensionKey: 'living', elementKey: 'health', name: 'Rekam Medis Elektronik Puskesmas',
    problem: 'Rekam medis 19 puskesmas masih di kertas; rujukan lambat dan data stunting tidak mutakhir.', goal: 'Semua puskesmas memakai rekam medis elektronik yang terhubung SATUSEHAT.',
    target: '19 puskesmas dengan RME pada 2026', indicators: ['Jumlah puskesmas dengan rekam medis elektronik'], startYear: 2024, endYear: 2026,
    costEstimate: 5_200 * M, fundingSources: ['apbd', 'dak_apbn'], status: 'berjalan', codes: ['1.02.02.2.02.0033'], realised2025: [2_300 * M, 2_050 * M],
  },
  {
    dimensionKey: 'society', elementKey: 'security', name: 'Peringatan Dini Banjir Sungai Kelingi dan Lakitan',
    problem: 'Banjir tahunan di Muara Kelingi dan Tuah Negeri datang tanpa peringatan yang cukup.', goal: 'Warga bantaran menerima peringatan paling lambat 3 jam sebelum air naik.',
    target: '12 pos duga air berfungsi', indicators: ['Jumlah pos duga air terpasang', 'Waktu tunggu peringatan (jam)'], startYear: 2023, endYear: 2026,
    costEstimate: 3_900 * M, fundingSources: ['apbd', 'hibah'], status: 'berjalan', codes: ['1.05.03'], realised2025: [1_350 * M, 1_350 * M],
  },
  {
    dimensionKey: 'environment', elementKey: 'energy', name: 'Penerangan Jalan Umum Cerdas Tenaga Surya',
    problem: 'PJU padam lama tak terpantau dan tagihan listrik PJU membebani APBD.', goal: 'PJU tenaga surya yang terpantau dari ruang kendali.',
    target: '400 titik PJU cerdas', indicators: ['Jumlah PJU tenaga surya terpasang', 'Persentase PJU menyala'], startYear: 2025, endYear: 2028,
    costEstimate: 8_000 * M, fundingSources: ['apbd', 'kpbu'], status: 'direncanakan', codes: ['2.15.02.2.01.0004'],
  },
  {
    dimensionKey: 'environment', elementKey: 'waste', name: 'Bank Sampah Digital Desa',
    problem: 'Sampah rumah tangga di perdesaan dibakar atau dibuang ke sungai.', goal: 'Bank sampah desa yang tercatat dan terhubung pengepul.',
    target: '25 bank sampah aktif', indicators: ['Jumlah bank sampah aktif', 'Volume sampah tertangani (ton)'], startYear: 2025, endYear: 2027,
    costEstimate: 2_400 * M, fundingSources: ['apbd', 'dana_desa', 'csr'], status: 'usulan', codes: ['2.11.11.2.01.0006'],
  },
];

export async function seedInitiativesDemo(initiatives: InitiativesService, admin: Principal): Promise<void> {
  const links = new InitiativeLinks(initiatives);
  if ((await initiatives.repo.list(admin.regionId)).length > 0) return;
  const lines = await initiatives.plans.allPrograms(admin.regionId);
  const byCode = new Map(lines.filter((l) => l.document === 'RKPD').map((l) => [l.code, l]));
  for (const { codes, realised2025, ...body } of DEMO) {
    const linked = codes.flatMap((c) => byCode.get(c) ?? []);
    const created = await initiatives.create(admin, { ...body, leadOpdId: linked[0]?.opd_id ?? null, programIds: linked.map((l) => l.id) }, {
      prepare: (row, programIds) => links.prepare(admin, row, programIds),
      apply: (tx, row, prepared) => links.linkIn(tx, admin, row, prepared),
    });
    if (realised2025) await initiatives.putYear(admin, created.id, 2025, { planned: realised2025[0], realised: realised2025[1] });
  }
}
