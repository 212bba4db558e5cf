/**
 * Everything the master plan document shows, read from the tables of the
 * module (MP-CORE's plan, readiness, SWOT, programs and KPIs; this side's
 * sessions, commitments and evaluation), and the region's name and OPDs from
 * identity. A table that does not exist yet gives an empty section, never an error.
 */
import type { Kysely } from 'kysely';
import { isAppError } from '../../core/errors.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { IdentityService } from '../identity/index.ts';
import { parseJson } from './collaboration.service.ts';
import type { EvaluationService, Evaluation } from './evaluation/index.ts';
import { PROGRAMME_OWNER_KEYS, PROGRAMME_OWNERS, programmeOwner } from './masterplan.constants.ts';
import { buildHierarchy } from './programs/programs.hierarchy.ts';
import type { QuickWinsDoc } from './quickwins/quickwins.chapters.ts';
import type { Records } from './records/records.contract.ts';
import { DIMENSIONS as FRAMEWORK_DIMENSIONS, READINESS as FRAMEWORK_READINESS } from './plan/plan.framework.ts';

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
  quickWin: boolean;
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

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));
const list = (v: unknown): string[] => {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') {
    const parsed = parseJson<unknown>(v, v);
    if (Array.isArray(parsed)) return parsed.map((x) => (typeof x === 'string' ? x : str((x as { text?: unknown }).text ?? JSON.stringify(x))));
    return v.trim() === '' ? [] : [v];
  }
  return [];
};

/** Every table is made by the migrations: a failure here is the database's, and the export fails with it rather than print an empty section. */
async function rows(db: Kysely<any>, table: string, regionId: string): Promise<Record<string, unknown>[]> {
  return (await db.selectFrom(table).selectAll().where('region_id', '=', regionId).execute()) as Record<string, unknown>[];
}

const ELEMENT_ORDER = FRAMEWORK_READINESS.map((r) => r.key);
const rankOf = (element: string) => {
  const i = ELEMENT_ORDER.indexOf(element);
  return i === -1 ? ELEMENT_ORDER.length : i;
};
/** Readiness items as the guide lists them: Struktur, Infrastruktur, Suprastruktur, then their codes in numeric order (I.1.2 before I.2.1, S.1.10 after S.1.9). */
export function readinessOrder(a: { element: string; code: string }, b: { element: string; code: string }): number {
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

export async function gatherExportData(dbTyped: Kysely<Schema>, identity: ExportIdentity, evaluation: EvaluationService, regionId: string, now: number): Promise<ExportData> {
  const db = dbTyped as unknown as Kysely<any>;
  const region = await identity.getRegion(regionId).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'REGION_NOT_FOUND') return null;
    throw error;
  });
  const regionName = region?.name ?? 'Daerah';

  const planRow = (await rows(db, 'mp_plans', regionId))[0];
  const plan = {
    title: str(planRow?.title) || `Masterplan Smart City ${regionName}`,
    vision: str(planRow?.vision),
    missions: list(planRow?.missions),
    policyDirections: list(planRow?.policy_directions),
    periodStart: num(planRow?.period_start),
    periodEnd: num(planRow?.period_end),
  };
  const owner = PROGRAMME_OWNERS[programmeOwner(PROGRAMME_OWNER_KEYS.find((k) => k === planRow?.programme_owner) ?? null, now)];

  const readinessAll = await rows(db, 'mp_readiness', regionId);
  const years = [...new Set(readinessAll.map((r) => Number(r.year)))].sort((a, b) => a - b);
  const readinessYear = years.length ? years[years.length - 1]! : null;
  const readiness: ReadinessItem[] = readinessAll
    .filter((r) => Number(r.year) === readinessYear)
    .map((r) => ({
      element: str(r.element),
      subKey: str(r.sub_key),
      code: str(r.code ?? r.question_code),
      question: str(r.question_id ?? r.question ?? r.code),
      score: num(r.score),
      target: num(r.target),
      note: str(r.note),
    }))
    .sort(readinessOrder);
  const swot: ExportData['swot'] = {};
  for (const r of await rows(db, 'mp_swot', regionId)) {
    if (readinessYear !== null && Number(r.year) !== readinessYear) continue;
    swot[str(r.element)] = { strengths: list(r.strengths), weaknesses: list(r.weaknesses), opportunities: list(r.opportunities), threats: list(r.threats) };
  }

  const programRows = await rows(db, 'mp_programs', regionId);
  const kpis = await rows(db, 'mp_kpis', regionId);
  let kpiValues: Record<string, unknown>[] = [];
  if (kpis.length > 0) {
    kpiValues = (await db.selectFrom('mp_kpi_values as v').innerJoin('mp_kpis as k', 'k.id', 'v.kpi_id').selectAll('v').where('k.region_id', '=', regionId).execute()) as Record<string, unknown>[];
  }
  const valuesOf = new Map<string, Record<string, unknown>[]>();
  for (const v of kpiValues) {
    const k = str(v.kpi_id);
    (valuesOf.get(k) ?? valuesOf.set(k, []).get(k)!).push(v);
  }
  const kpisOf = new Map<string, string[]>();
  for (const k of kpis) {
    const pid = str(k.program_id);
    if (!pid) continue;
    const vals = (valuesOf.get(str(k.id)) ?? []).filter((v) => v.target !== null && v.target !== undefined).sort((a, b) => Number(a.year) - Number(b.year));
    const unit = str(k.unit);
    const text = vals.length ? `${str(k.name)}: ${vals.map((v) => `${fmtNumber(Number(v.target))}${unit ? ` ${unit}` : ''} (${v.year})`).join(', ')}` : `${str(k.name)}${k.baseline !== null && k.baseline !== undefined ? `: baseline ${fmtNumber(Number(k.baseline))}${unit ? ` ${unit}` : ''}` : ''}`;
    (kpisOf.get(pid) ?? kpisOf.set(pid, []).get(pid)!).push(text);
  }
  const commitmentRows = await dbTyped.selectFrom('mp_commitments').selectAll().where('region_id', '=', regionId).orderBy('signed_at').execute();
  const opdIds = [...programRows.map((r) => str(r.opd_id)), ...commitmentRows.map((c) => c.opd_id ?? '')].filter((id) => id !== '');
  const opdOf = new Map((await identity.opdsByIds(regionId, opdIds)).map((o) => [o.id, o]));
  const listed = programRows
    .map((r) => {
      const opd = opdOf.get(str(r.opd_id));
      return {
        id: str(r.id),
        code: str(r.code),
        name: str(r.name),
        level: str(r.level),
        document: str(r.document),
        opd: str(r.opd_id),
        opdCode: opd?.code ?? '',
        opdName: opd?.name ?? '',
        budget: Number(r.budget ?? 0),
        countedBudget: 0,
        year: num(r.year),
        indicator: str(r.indicator),
        target: str(r.target),
        unit: str(r.unit),
        dimensionKey: (r.dimension_key as string | null) ?? null,
        elementKey: (r.element_key as string | null) ?? null,
        quickWin: Number(r.quick_win ?? 0) === 1 || r.quick_win === true,
        horizon: (r.horizon as string | null) ?? null,
        roadmapYear: num(r.roadmap_year),
        reviewStatus: str(r.review_status) || 'draft',
        kpiTargets: kpisOf.get(str(r.id)) ?? [],
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

  const sessions = (await dbTyped.selectFrom('mp_sessions').selectAll().where('region_id', '=', regionId).orderBy('round').orderBy('date').execute()).map((s) => ({
    round: s.round,
    date: Number(s.date),
    title: s.title,
    place: s.place,
    participants: parseJson<{ name: string; opd: string }[]>(s.participants, []),
    notes: s.notes,
    decisions: parseJson<string[]>(s.decisions, []),
  }));
  const commitments = commitmentRows.map((c) => ({
    signerName: c.signer_name,
    position: c.position,
    opdCode: c.opd_id ? opdOf.get(c.opd_id)?.code ?? null : null,
    signedAt: Number(c.signed_at),
    note: c.note,
    scanned: c.file_key !== null,
  }));
  const evaluations: Evaluation[] = [];
  for (const y of await evaluation.years(regionId)) evaluations.push(await evaluation.compute(regionId, y));

  return {
    regionName,
    regionShort: regionName.replace(/^(Kabupaten|Kota)\s+/i, ''),
    year: new Date(now).getUTCFullYear(),
    plan,
    ministry: { nameId: owner.nameId, short: owner.short },
    readinessYear,
    readiness,
    swot,
    programs,
    sessions,
    commitments,
    evaluations,
  };
}

/** 1250000000 → "1.250.000.000" (Indonesian grouping). */
export function fmtThousands(n: number): string {
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

/** Readiness per element and sub-element: mean score (0–4), as a percentage too. */
export function readinessSummary(items: ReadinessItem[]) {
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const elements = READINESS.map((e) => {
    const mine = items.filter((i) => i.element === e.key);
    const subKeys = [...new Set([...e.subs.map((s) => s.key), ...mine.map((i) => i.subKey)])].filter((k) => mine.some((i) => i.subKey === k));
    const subs = subKeys.map((k) => {
      const its = mine.filter((i) => i.subKey === k);
      return {
        key: k,
        name: e.subs.find((s) => s.key === k)?.name ?? k.replace(/[_-]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase()),
        score: mean(its.filter((i) => i.score !== null).map((i) => i.score!)),
        target: mean(its.filter((i) => i.target !== null).map((i) => i.target!)),
      };
    });
    const score = mean(mine.filter((i) => i.score !== null).map((i) => i.score!));
    const target = mean(mine.filter((i) => i.target !== null).map((i) => i.target!));
    return { key: e.key, name: e.name, score, target, percent: score === null ? null : (score / 4) * 100, subs };
  });
  return elements;
}
