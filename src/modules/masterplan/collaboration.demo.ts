/**
 * Demo data (DEMO=1) of the collaboration and the yearly evaluation for Musi
 * Rawas, made up but shaped as the programme runs: the four bimtek rounds, the
 * Bupati's commitment sheet, and the 2021 and 2022 evaluations (Sleman's
 * weights as the example). Written once: a region with sessions is left alone.
 */
import type { Principal } from '../identity/index.ts';
import type { CollaborationService } from './collaboration.service.ts';
import type { EvalDimension, EvaluationService } from './evaluation.service.ts';

const ROUNDS = [
  { round: 1, month: 2, title: 'Bimtek I: Pembentukan tim dan analisis kesiapan (contoh demo)', decisions: ['Tim Pelaksana Smart City dibentuk dengan SK Bupati', 'Asesmen kesiapan diisi setiap OPD'] },
  { round: 2, month: 4, title: 'Bimtek II: Analisis strategis, visi dan misi (contoh demo)', decisions: ['Visi smart city disepakati', 'SWOT per elemen kesiapan disusun Bappeda'] },
  { round: 3, month: 6, title: 'Bimtek III: Program prioritas dan quick win (contoh demo)', decisions: ['Tiga quick win dipilih', 'Program dipetakan ke enam dimensi'] },
  { round: 4, month: 8, title: 'Bimtek IV: Roadmap dan finalisasi masterplan (contoh demo)', decisions: ['Masterplan diserahkan kepada Bupati', 'Lembar komitmen ditandatangani'] },
];

const ITEMS: { dimension: EvalDimension; name: string; smartDimension: string; scores: [number, number] }[] = [
  { dimension: 'baseline', name: 'Dokumen masterplan dan Peraturan Bupati tentang smart city', smartDimension: 'governance', scores: [2.5, 3] },
  { dimension: 'output', name: 'Program prioritas terlaksana sesuai rencana tahunan', smartDimension: 'governance', scores: [3, 3.5] },
  { dimension: 'outcome', name: 'Pemanfaatan layanan digital oleh warga', smartDimension: 'society', scores: [2.6, 3.2] },
  { dimension: 'impact', name: 'Dampak terhadap kepuasan dan keselamatan warga', smartDimension: 'living', scores: [2.8, 3.3] },
  { dimension: 'quickWin', name: 'Quick win: pemantauan muka air Sungai Kelingi dan laporan warga', smartDimension: 'environment', scores: [3, 3.6] },
];

export async function seedCollaborationDemo(collaboration: CollaborationService, evaluation: EvaluationService, regionId: string): Promise<void> {
  const p: Principal = { userId: 'demo', regionId, role: 'admin', opdId: null, email: 'demo' };
  if ((await collaboration.listSessions(p)).length > 0) return;
  for (const r of ROUNDS) {
    await collaboration.createSession(p, {
      round: r.round,
      date: Date.UTC(2022, r.month, 15, 2),
      title: r.title,
      place: 'Aula Bappeda Kabupaten Musi Rawas, Muara Beliti',
      participants: [
        { name: 'Kepala Bappeda', opd: 'BAPPEDA' },
        { name: 'Kepala Dinas Kominfo', opd: 'DISKOMINFO' },
        { name: 'Sekretaris BPBD', opd: 'BPBD' },
        { name: 'Narasumber Kementerian Kominfo', opd: '' },
      ],
      notes: 'Contoh demo: catatan sesi bimbingan teknis Gerakan Menuju 100 Smart City.',
      decisions: r.decisions,
    });
  }
  await collaboration.createCommitment(p, { signerName: 'Bupati Musi Rawas (contoh demo)', position: 'Bupati Musi Rawas', opdId: null, signedAt: Date.UTC(2022, 8, 1, 2), note: 'Komitmen melaksanakan masterplan smart city' });
  for (const [k, year] of [2021, 2022].entries()) {
    await evaluation.put(p, year, {
      weights: { baseline: 10, output: 20, outcome: 30, impact: 30, quickWin: 10 },
      items: ITEMS.map((i) => ({ dimension: i.dimension, name: i.name, smartDimension: i.smartDimension, score: i.scores[k]!, note: 'contoh demo' })),
    });
  }
}
