/**
 * Everything the master plan document shows, from the services that own it:
 * the plan, its latest readiness and SWOT (plan/), the lines of the planning
 * documents (programs/) with their KPIs (kpis/), the sessions and commitments
 * (collaboration), the evaluation, and the region's name and OPDs from identity.
 * A part that cannot be read fails the export (no empty chapter that looks complete).
 */
import { isAppError } from '../../../core/errors.ts';
import type { IdentityService } from '../../identity/index.ts';
import type { CollaborationService, Discussion } from '../collaboration/index.ts';
import type { EvaluationService, Evaluation } from '../evaluation/index.ts';
import type { Kpi } from '../kpis/kpis.contract.ts';
import type { KpisService } from '../kpis/kpis.service.ts';
import { PROGRAMME_OWNERS, programmeOwner } from '../masterplan.constants.ts';
import type { PlanService } from '../plan/plan.service.ts';
import { scoreElements, type ReadinessService } from '../plan/plan.readiness.ts';
import type { ProgramRow as ProgramLine } from '../programs/programs.repository.ts';
import { buildHierarchy } from '../programs/programs.hierarchy.ts';
import type { QuickWinsDoc } from '../quickwins/quickwins.chapters.ts';
import type { Records } from '../records/records.contract.ts';
import { DIMENSIONS as FRAMEWORK_DIMENSIONS, READINESS as FRAMEWORK_READINESS } from '../plan/plan.framework.ts';

/** The six dimensions and their elements, from the module's framework (names as the document shows them). */
export const DIMENSIONS: { key: string; name: string; elements: { key: string; name: string }[] }[] = FRAMEWORK_DIMENSIONS.map((d) => ({
  key: d.key,
  name: d.nameEn,
  elements: d.elements.map((e) => ({ key: e.key, name: e.nameId })),
}));

/** The readiness elements; short sub-element names for the tables and the radar's axes, the framework's for others. */
const SHORT_SUB: Record<string, string> = { sdm: 'SDM', fisik: 'Fisik', digital: 'Digital', sosial: 'Sosial' };
export const READINESS: { key: string; name: string; subs: { key: string; name: string }[] }[] = FRAMEWORK_READINESS.map((r) => ({
  key: r.key,
  name: r.nameId,
  subs: r.subs.map((x) => ({ key: x.key, name: SHORT_SUB[x.key] ?? x.nameId })),
}));

export const HORIZONS: Record<string, string> = { short: 'Jangka pendek (1 tahun)', medium: 'Jangka menengah (5 tahun)', long: 'Jangka panjang (10 tahun)' };

export interface ProgramRow {
  id: string;
  code: string;
  name: string;
  level: string;
  document: string;
  /** the OPD's id: rows of one document, year and OPD form one hierarchy */
  opd: string;
  opdCode: string;
  opdName: string;
  budget: number;
  /** what the row adds to a total (0 when its kegiatan or sub kegiatan are listed too) */
  countedBudget: number;
  year: number | null;
  indicator: string;
  target: string;
  unit: string;
  /** the row's own mapping, else its nearest mapped parent's */
  dimensionKey: string | null;
  elementKey: string | null;
  horizon: string | null;
  roadmapYear: number | null;
  reviewStatus: string;
  kpiTargets: string[];
}

export interface ReadinessItem { element: string; subKey: string; code: string; question: string; score: number | null; target: number | null; note: string }

export interface ExportData {
  regionName: string;
  regionShort: string;
  year: number;
  plan: { title: string; vision: string; missions: string[]; policyDirections: string[]; periodStart: number | null; periodEnd: number | null };
  /** the ministry that owns the programme: the plan's setting, else by the document's date */
  ministry: { nameId: string; short: string };
  readinessYear: number | null;
  readiness: ReadinessItem[];
  swot: Record<string, { strengths: string[]; weaknesses: string[]; opportunities: string[]; threats: string[] }>;
  programs: ProgramRow[];
  sessions: { round: number; date: number; title: string; place: string; participants: { name: string; opd: string }[]; notes: string; decisions: string[] }[];
  commitments: { signerName: string; position: string; opdCode: string | null; signedAt: number; note: string; scanned: boolean }[];
  evaluations: Evaluation[];
  /** quick wins and the roadmap (quickwins/), from their services: Bab V, Bab VI and the Quick Win book */
  quickwins?: QuickWinsDoc;
  /** the master plan records (records/), set by ExportService through their service; absent: their sections are left out */
  records?: Records;
}

const ELEMENT_ORDER = FRAMEWORK_READINESS.map((r) => r.key);
const rankOf = (element: string) => {
  const i = ELEMENT_ORDER.indexOf(element);
  return i === -1 ? ELEMENT_ORDER.length : i;
};
/** Readiness items as the guide lists them: Struktur, Infrastruktur, Suprastruktur, then their codes in numeric order (I.1.2 before I.2.1, S.1.10 after S.1.9). */
function readinessOrder(a: { element: string; code: string }, b: { element: string; code: string }): number {
  return rankOf(a.element) - rankOf(b.element) || a.code.localeCompare(b.code, 'en', { numeric: true });
}

/** "Kabupaten Musi Rawas" → "musi-rawas" */
export function regionSlug(name: string): string {
  return name
    .replace(/^(kabupaten|kab\.|kota|provinsi)\s+/i, '')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'wilayah';
}

/** What the document reads of identity: the region's name and the OPDs of programs and commitments. */
export type ExportIdentity = Pick<IdentityService, 'getRegion' | 'opdsByIds'>;

/** What the document reads, each part through the service or repository that owns it. */
export interface ExportParts {
  plan: Pick<PlanService, 'planOf'>;
  readiness: Pick<ReadinessService, 'latest'>;
  /** every line of the planning documents */
  programs: { all(regionId: string): Promise<ProgramLine[]> };
  kpis: Pick<KpisService, 'ofRegion'>;
  sessions: Pick<Discussion, 'sessionsOf'>;
  commitments: Pick<CollaborationService, 'commitmentsOf'>;
  evaluation: Pick<EvaluationService, 'years' | 'compute'>;
  identity: ExportIdentity;
}

/** "Nama: 90 % (2025), 95 % (2026)", or with no target its baseline. */
function kpiTarget(k: Kpi): string {
  const unit = k.unit ? ` ${k.unit}` : '';
  const vals = k.values.flatMap((v) => (v.target !== null ? [{ year: v.year, target: v.target }] : [])).sort((a, b) => a.year - b.year);
  if (vals.length) return `${k.name}: ${vals.map((v) => `${fmtNumber(v.target)}${unit} (${v.year})`).join(', ')}`;
  return `${k.name}${k.baseline !== null ? `: baseline ${fmtNumber(k.baseline)}${unit}` : ''}`;
}

export async function gatherExportData(parts: ExportParts, regionId: string, now: number): Promise<ExportData> {
  const region = await parts.identity.getRegion(regionId).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'REGION_NOT_FOUND') return null;
    throw error;
  });
  const regionName = region?.name ?? 'Daerah';

  const stored = await parts.plan.planOf(regionId);
  const plan = {
    title: stored.title || `Masterplan Smart City ${regionName}`,
    vision: stored.vision,
    missions: stored.missions,
    policyDirections: stored.policyDirections,
    periodStart: stored.periodStart,
    periodEnd: stored.periodEnd,
  };
  const owner = PROGRAMME_OWNERS[programmeOwner(stored.programmeOwner, now)];

  const assessed = await parts.readiness.latest(regionId);
  const readiness: ReadinessItem[] = assessed.items
    .map((i) => ({ element: i.element, subKey: i.subKey, code: i.code, question: i.questionId, score: i.score, target: i.target, note: i.note }))
    .sort(readinessOrder);

  const [programRows, kpis, sessions, commitmentList] = await Promise.all([
    parts.programs.all(regionId),
    parts.kpis.ofRegion(regionId),
    parts.sessions.sessionsOf(regionId),
    parts.commitments.commitmentsOf(regionId),
  ]);
  const kpisOf = new Map<string, string[]>();
  for (const k of kpis) {
    if (!k.programId) continue;
    (kpisOf.get(k.programId) ?? kpisOf.set(k.programId, []).get(k.programId)!).push(kpiTarget(k));
  }
  const opdIds = programRows.flatMap((r) => (r.opd_id ? [r.opd_id] : []));
  const opdOf = new Map((await parts.identity.opdsByIds(regionId, opdIds)).map((o) => [o.id, o]));
  const listed = programRows.map((r) => {
    const opd = r.opd_id ? opdOf.get(r.opd_id) : undefined;
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      level: r.level,
      document: r.document,
      opd: r.opd_id ?? '',
      opdCode: opd?.code ?? '',
      opdName: opd?.name ?? '',
      budget: Number(r.budget),
      countedBudget: 0,
      year: r.year,
      indicator: r.indicator,
      target: r.target,
      unit: r.unit,
      dimensionKey: r.dimension_key,
      elementKey: r.element_key,
      horizon: r.horizon,
      roadmapYear: r.roadmap_year,
      reviewStatus: r.review_status || 'draft',
      kpiTargets: kpisOf.get(r.id) ?? [],
    };
  });
  // A kegiatan or sub kegiatan not mapped (nor placed on the roadmap) takes its parent's mapping:
  // mapped on its own words it could land in another dimension than the program it belongs to.
  const tree = buildHierarchy(listed);
  const placement = (row: (typeof listed)[number]): { horizon: string | null; roadmapYear: number | null } => {
    if (row.horizon !== null || row.roadmapYear !== null) return { horizon: row.horizon, roadmapYear: row.roadmapYear };
    const parent = tree.parent(row);
    return parent ? placement(parent) : { horizon: null, roadmapYear: null };
  };
  const programs: ProgramRow[] = listed
    .map((row) => ({ ...row, ...tree.mapping(row), ...placement(row), countedBudget: tree.counted(row) }))
    .sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }) || (a.year ?? 0) - (b.year ?? 0) || a.name.localeCompare(b.name));

  const commitments = commitmentList.map((c) => ({ signerName: c.signerName, position: c.position, opdCode: c.opdCode, signedAt: c.signedAt, note: c.note, scanned: c.file !== null }));
  const evaluations: Evaluation[] = [];
  for (const y of await parts.evaluation.years(regionId)) evaluations.push(await parts.evaluation.compute(regionId, y));

  return {
    regionName,
    regionShort: regionName.replace(/^(Kabupaten|Kota)\s+/i, ''),
    year: new Date(now).getUTCFullYear(),
    plan,
    ministry: { nameId: owner.nameId, short: owner.short },
    readinessYear: assessed.year,
    readiness,
    swot: assessed.swot,
    programs,
    sessions: sessions.map((x) => ({ round: x.round, date: x.date, title: x.title, place: x.place, participants: x.participants, notes: x.notes, decisions: x.decisions })),
    commitments,
    evaluations,
  };
}

/** 1250000000 → "1.250.000.000" (Indonesian grouping). */
function fmtThousands(n: number): string {
  const neg = n < 0;
  const s = Math.round(Math.abs(n)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return neg ? `-${s}` : s;
}

/** "Rp 1.250.000.000" */
export function fmtRupiah(n: number): string {
  return `Rp ${fmtThousands(n)}`;
}

/** 3.31 → "3,31"; integers keep their grouping. */
export function fmtNumber(n: number, decimals = 2): string {
  if (!Number.isFinite(n)) return '-';
  if (Number.isInteger(n)) return fmtThousands(n);
  const [int, frac] = n.toFixed(decimals).split('.');
  const kept = (frac ?? '').replace(/0+$/, '');
  const whole = `${n < 0 && Number(int) === 0 ? '-' : ''}${fmtThousands(Number(int))}`;
  return kept === '' ? whole : `${whole},${kept}`;
}

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
/** "29 November 2026" (WIB) */
export function fmtDate(ms: number): string {
  const d = new Date(ms + 7 * 3_600_000);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** Readiness per element and sub-element as plan/ scores them (mean score 0–4), as a percentage too, with the names the document shows. */
export function readinessSummary(items: ReadinessItem[]) {
  return scoreElements(items).map((e) => {
    const names = READINESS.find((r) => r.key === e.key);
    const subs = e.subs.map((x) => ({
      ...x,
      name: names?.subs.find((s) => s.key === x.key)?.name ?? x.key.replace(/[_-]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase()),
    }));
    return { key: e.key, name: names?.name ?? e.key, score: e.score, target: e.target, percent: e.score === null ? null : (e.score / 4) * 100, subs };
  });
}
