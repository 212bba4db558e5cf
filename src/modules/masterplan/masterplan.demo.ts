/**
 * DEMO=1: the Musi Rawas master plan workspace with its 2021 and 2022
 * readiness assessments (illustrative scores, not the official results) and a
 * draft plan. Nothing is overwritten: a year already assessed is left alone.
 */
import { READINESS_CHECKLIST } from './masterplan.framework.js';
import type { MasterplanService } from './masterplan.service.js';

// Scores 0-4 per question, in the order of READINESS_CHECKLIST.
const SCORES_2021 = [2, 1, 1, 1, 1, 0, 2, 1, 2, 2, 0, 1, 2, 1, 1, 1, 1, 2, 1, 0, 1, 2, 1, 2];
const SCORES_2022 = [2, 3, 2, 2, 1, 1, 3, 2, 2, 2, 1, 2, 3, 2, 2, 2, 2, 3, 2, 1, 3, 3, 2, 2];
const TARGET = 3;

const SWOT = {
  struktur: {
    strengths: ['Komitmen Bupati dan seluruh kepala OPD (12 September 2022)', 'Pengalaman inovasi daerah (IGA Kemendagri 2017-2019)'],
    weaknesses: ['Jumlah ASN berlatar TIK masih sedikit', 'Anggaran TIK tersebar di banyak OPD'],
    opportunities: ['Pendampingan Gerakan Menuju 100 Smart City Kominfo', 'Kerja sama dengan Kota Bandung'],
    threats: ['Kapasitas fiskal terbatas', 'Pergantian pejabat memutus kesinambungan program'],
  },
  infrastruktur: {
    strengths: ['Jaringan intra pemerintah menjangkau kantor OPD di Muara Beliti'],
    weaknesses: ['Sinyal dan internet belum merata di kecamatan hulu', 'Belum ada ruang kendali terpadu'],
    opportunities: ['Program BAKTI Kominfo untuk desa 3T', 'Sensor murah untuk banjir dan kualitas udara'],
    threats: ['Banjir Sungai Kelingi dan Lakitan merusak perangkat', 'Kabut asap kebakaran lahan'],
  },
  suprastruktur: {
    strengths: ['Tim Pelaksana Smart City ditetapkan'],
    weaknesses: ['Perbup SPBE dan satu data belum lengkap'],
    opportunities: ['Perpres 95/2018 tentang SPBE dan Perpres 39/2019 tentang Satu Data Indonesia'],
    threats: ['Regulasi pusat sering berubah'],
  },
};

export async function seedMasterplanDemo(masterplan: MasterplanService, regionId: string): Promise<void> {
  for (const [year, scores] of [[2021, SCORES_2021], [2022, SCORES_2022]] as const) {
    const existing = await masterplan.readinessOf(regionId, year);
    if (existing.saved) continue;
    await masterplan.putReadiness(null, regionId, year, {
      items: READINESS_CHECKLIST.map((q, i) => ({ code: q.code, score: scores[i] ?? null, target: TARGET, note: '' })),
      swot: year === 2022 ? SWOT : { struktur: { strengths: SWOT.struktur.strengths.slice(1) }, infrastruktur: { weaknesses: SWOT.infrastruktur.weaknesses } },
    });
  }
  const plan = await masterplan.plan({ regionId, userId: 'demo', role: 'admin', opdId: null, email: 'demo' });
  if (plan.title === '') {
    await masterplan.putPlan({ regionId, userId: 'demo', role: 'admin', opdId: null, email: 'demo' }, {
      title: 'Masterplan Smart City Kabupaten Musi Rawas 2022-2032 (contoh demo)',
      vision: 'Musi Rawas yang cerdas, tangguh bencana dan melayani warganya dengan data',
      missions: ['Pelayanan publik digital yang terpadu dan mudah dijangkau', 'Kesiapsiagaan banjir dan kabut asap berbasis sensor', 'Ekonomi desa dan UMKM yang terhubung ke pasar'],
      policyDirections: ['Satu data dan satu jaringan intra pemerintah', 'Quick win: pemantauan muka air Sungai Kelingi dan laporan warga', 'Peningkatan kompetensi TIK ASN setiap OPD'],
      periodStart: 2022,
      periodEnd: 2032,
    });
  }
}
