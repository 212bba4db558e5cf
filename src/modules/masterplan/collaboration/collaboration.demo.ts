/**
 * Demo data (DEMO=1) of the collaboration and the yearly evaluation for Musi
 * Rawas, made up but shaped as the programme runs: the people of the Bupati's
 * SK (Dewan Smart City and Tim Pelaksana), the four bimtek rounds, the
 * Bupati's commitment sheet, and the 2021 and 2022 evaluations (Sleman's
 * weights as the example). Written once: a region with sessions is left alone.
 */
import type { IdentityService, Position, Principal, Role } from '../../identity/index.ts';
import type { Member } from './collaboration.contract.ts';
import type { Discussion } from './collaboration.discussion.ts';
import type { CollaborationService } from './collaboration.service.ts';
import type { EvalDimension, EvaluationService } from '../evaluation/index.ts';

/** The SK the demo's first bimtek records: who sits on the council and the team, with the function the SK gives them. */
const SK = 'SK Bupati Musi Rawas Nomor 188.45/212/KPTS/DISKOMINFO/2022 (contoh demo)';

/**
 * The people of the SK (made-up names; `existing`: a person the demo's duty roster made already).
 * The first is the one who keeps the plan up to date (an admin of Diskominfo): the demo's changes are theirs.
 */
const PLAN_PEOPLE: { key: string; name: string; role: Role; opd: string | null; position: Position; member: Member['role'][]; existing?: boolean }[] = [
  { key: 'aptika.diskominfo', name: 'Rina Marlina, S.Kom.', role: 'admin', opd: 'DISKOMINFO', position: 'kabid', member: ['team'] },
  { key: 'bupati', name: 'H. Darmadi Suhendra, S.H. (Bupati, contoh demo)', role: 'viewer', opd: null, position: 'bupati', member: ['council'] },
  { key: 'sekda', name: 'Drs. H. Ahmad Fauzi', role: 'viewer', opd: 'SETDA', position: 'sekda', member: ['council'], existing: true },
  { key: 'kepala.bappeda', name: 'Ir. Novi Andriani, M.Si.', role: 'operator', opd: 'BAPPEDA', position: 'kepala', member: ['council', 'team'] },
  { key: 'kepala.diskominfo', name: 'Muhammad Iqbal, S.T., M.T.', role: 'operator', opd: 'DISKOMINFO', position: 'kepala', member: ['council', 'team'] },
  { key: 'kalaksa.bpbd', name: 'Ir. Syamsul Bahri', role: 'operator', opd: 'BPBD', position: 'kepala', member: ['team'], existing: true },
  { key: 'kepala.pupr', name: 'Bambang Wijaya, S.T.', role: 'operator', opd: 'PUPR', position: 'kepala', member: ['team'] },
  { key: 'kabid.bappeda', name: 'Fitri Handayani, S.E., M.M.', role: 'operator', opd: 'BAPPEDA', position: 'kabid', member: ['team'] },
  { key: 'kabid.dlh', name: 'Yuliana Putri', role: 'operator', opd: 'DLH', position: 'kabid', member: ['team'], existing: true },
];

const emailOf = (key: string) => `${key}@demo.musirawas.go.id`;

/**
 * The people of the SK as users (once), Diskominfo as an OPD where the demo has none, and the
 * council and team set from them. Answers the principal of the plan's keeper, under whose name
 * the demo's master plan is written, so the activity log says who did each thing.
 */
export async function seedPlanPeople(identity: IdentityService, regionId: string): Promise<Principal> {
  const system: Principal = { userId: 'demo', regionId, role: 'admin', opdId: null, email: 'demo' };
  const opds = new Map((await identity.listOpds(system)).map((o) => [o.code, o.id]));
  if (!opds.has('DISKOMINFO')) opds.set('DISKOMINFO', (await identity.createOpd(system, { code: 'DISKOMINFO', name: 'Dinas Komunikasi dan Informatika' })).id);
  const byEmail = new Map<string, string>();
  for (let cursor: string | undefined, page = 0; page < 100; page++) {
    const users = await identity.listUsers(system, 500, cursor);
    for (const u of users.items) byEmail.set(u.email, u.id);
    if (!users.nextCursor) break;
    cursor = users.nextCursor;
  }
  const ids = new Map<string, string>();
  for (const person of PLAN_PEOPLE) {
    let id = byEmail.get(emailOf(person.key));
    if (!id && person.existing) continue; // the duty roster's person is not there (a region seeded otherwise)
    // No password: a generated one, never shown; an admin sets one to let the person in.
    id ??= (await identity.createUser(system, { email: emailOf(person.key), name: person.name, role: person.role, opdId: person.opd ? (opds.get(person.opd) ?? null) : null, position: person.position })).id;
    ids.set(person.key, id);
  }
  const keeper = PLAN_PEOPLE[0]!;
  return { userId: ids.get(keeper.key)!, regionId, role: keeper.role, opdId: opds.get(keeper.opd!) ?? null, email: emailOf(keeper.key) };
}

async function seedMembers(collaboration: CollaborationService, keeper: Principal, identity: IdentityService): Promise<void> {
  if ((await collaboration.listMembers(keeper)).length > 0) return;
  const users = new Map<string, string>();
  for (let cursor: string | undefined, page = 0; page < 100; page++) {
    const list = await identity.listUsers(keeper, 500, cursor);
    for (const u of list.items) users.set(u.email, u.id);
    if (!list.nextCursor) break;
    cursor = list.nextCursor;
  }
  // One role each in the service (council or team): a head on both sits on the council.
  const members = PLAN_PEOPLE.flatMap((p) => {
    const userId = users.get(emailOf(p.key));
    return userId ? [{ userId, role: p.member[0]! }] : [];
  });
  await collaboration.setMembers(keeper, members);
}

const ROUNDS = [
  {
    round: 1,
    month: 2,
    title: 'Bimtek I: Pembentukan tim dan analisis kesiapan (contoh demo)',
    decisions: [
      `Dewan Smart City dan Tim Pelaksana ditetapkan dengan ${SK}: Bupati sebagai ketua Dewan, Sekda sebagai wakil ketua, Kepala Bappeda dan Kepala Diskominfo sebagai anggota; Kepala Diskominfo sekretaris Dewan`,
      'Tim Pelaksana diketuai Kepala Bappeda, sekretaris Kepala Diskominfo; anggota: Kalaksa BPBD, Kepala Dinas PUPR, Kabid Bappeda, Kabid DLH, Kabid Aptika Diskominfo',
      'Asesmen kesiapan diisi setiap OPD',
    ],
  },
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

/** `keeper`: the user the demo's changes are made as (seedPlanPeople); `identity`: to find the SK's people. */
export async function seedCollaborationDemo(collaboration: CollaborationService, discussion: Discussion, evaluation: EvaluationService, regionId: string, options: { keeper?: Principal; identity?: IdentityService } = {}): Promise<void> {
  const p: Principal = options.keeper ?? { userId: 'demo', regionId, role: 'admin', opdId: null, email: 'demo' };
  if (options.identity && options.keeper) await seedMembers(collaboration, options.keeper, options.identity);
  if ((await discussion.listSessions(p)).length > 0) return;
  for (const r of ROUNDS) {
    await discussion.createSession(p, {
      round: r.round,
      date: Date.UTC(2022, r.month, 15, 2),
      title: r.title,
      place: 'Aula Bappeda Kabupaten Musi Rawas, Muara Beliti',
      participants: [
        { name: 'Ir. Novi Andriani, M.Si. (Kepala Bappeda)', opd: 'BAPPEDA' },
        { name: 'Muhammad Iqbal, S.T., M.T. (Kepala Diskominfo)', opd: 'DISKOMINFO' },
        { name: 'Rina Marlina, S.Kom. (Kabid Aptika)', opd: 'DISKOMINFO' },
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
      // the Baseline is not scored on items: its item keeps the text, the score is set below
      items: ITEMS.map((i) => ({ dimension: i.dimension, name: i.name, smartDimension: i.smartDimension, score: i.dimension === 'baseline' ? null : i.scores[k]!, note: 'contoh demo' })),
    });
    // The demo's two years were scored by the evaluators before the Baseline was computed (2021 had no evaluation before it).
    const baseline = ITEMS.find((i) => i.dimension === 'baseline')!.scores[k]!;
    await evaluation.setBaseline(p, year, { score: baseline, reason: 'Dinilai tim evaluasi Kementerian (contoh demo)' });
  }
}
