/**
 * Output and Outcome pre-filled from what the platform knows, each score with the
 * figures it came from (what, how many, read where) and the time it was computed:
 * - Output: initiatives started and finished by their schedule; realisation of their money;
 * - Outcome: KPIs on track; incidents resolved within their SLA; devices online.
 * Each figure is read through the owning module's service (initiatives, KPIs of the master
 * plan, IncidentsService.stats, DevicesService.onlineCount); the score is a share on 0–5.
 */
import type { Principal } from '../../identity/index.ts';
import type { IncidentStats } from '../kpis/kpis.metrics.ts';
import { yearOf, yearStart } from '../kpis/kpis.metrics.ts';
import type { EvaluationDimension, Figure } from './evaluation.contract.ts';
import { AUTO_NAMES, type AutoKey } from './evaluation.constants.ts';
import { round2, shareScore } from './evaluation.scoring.ts';

export interface AutoItem { key: AutoKey; dimension: EvaluationDimension; name: string; score: number | null; figures: Figure[] }

/** What the pre-fill reads, through the other services (read-only). */
export interface MonevSources {
  initiatives: { list(p: Principal, query: Record<string, never>): Promise<{ items: { status: string; startYear: number | null; endYear: number | null; years: { year: number; planned: number | null; realised: number | null }[] }[] }> };
  kpis: { list(p: Principal, filter: { year?: number }): Promise<{ status: string }[]> };
  incidents: IncidentStats | null;
  devices: { onlineCount(regionId: string, filter: { assetType?: string; deviceType?: string }): Promise<{ total: number; online: number }> };
}

/** Where a figure was read, in both languages. */
interface Source { id: string; en: string }
const f = (labelId: string, labelEn: string, value: number | null, unit: string, source: Source): Figure => ({ labelId, labelEn, value, unit, sourceId: source.id, sourceEn: source.en });

/** The five pre-filled items of a year, computed now. */
export async function platformFigures(sources: MonevSources, p: Principal, year: number, now: number): Promise<AutoItem[]> {
  const out: AutoItem[] = [];
  const item = (key: AutoKey, dimension: EvaluationDimension, score: number | null, figures: Figure[]) => out.push({ key, dimension, name: AUTO_NAMES[key].id, score, figures });

  const initiatives = (await sources.initiatives.list(p, {})).items;
  const due = initiatives.filter((i) => i.startYear !== null && i.startYear <= year);
  const started = due.filter((i) => i.status === 'berjalan' || i.status === 'selesai').length;
  const finished = due.filter((i) => i.status === 'selesai').length;
  const postponed = due.filter((i) => i.status === 'ditunda').length;
  const src = { id: 'Inisiatif: status dan tahun mulai', en: 'Initiatives: status and start year' };
  // started counts half, finished the whole: 5 × (started + finished) / (2 × due)
  item('output.initiatives', 'output', shareScore(started + finished, 2 * due.length), [
    f(`Inisiatif yang mulai paling lambat ${year}`, `Initiatives due to start by ${year}`, due.length, 'inisiatif', src),
    f('Sudah berjalan atau selesai', 'Under way or completed', started, 'inisiatif', src),
    f('Selesai', 'Completed', finished, 'inisiatif', src),
    f('Ditunda', 'Postponed', postponed, 'inisiatif', src),
  ]);

  let planned = 0;
  let realised = 0;
  for (const i of initiatives) for (const y of i.years) if (y.year === year) {
    planned += y.planned ?? 0;
    realised += y.realised ?? 0;
  }
  const ysrc = { id: `Inisiatif: anggaran rencana dan realisasi ${year}`, en: `Initiatives: budget planned and realised in ${year}` };
  item('output.realisation', 'output', shareScore(Math.min(realised, planned), planned), [
    f(`Anggaran direncanakan ${year}`, `Budget planned for ${year}`, planned, 'Rp', ysrc),
    f(`Anggaran terealisasi ${year}`, `Budget realised in ${year}`, realised, 'Rp', ysrc),
    f('Persentase realisasi', 'Realisation', planned > 0 ? round2((100 * realised) / planned) : null, '%', ysrc),
  ]);

  const kpis = (await sources.kpis.list(p, { year })).filter((k) => k.status !== 'no_data');
  const count = (s: string) => kpis.filter((k) => k.status === s).length;
  const ksrc = { id: `KPI masterplan: target dan capaian ${year}`, en: `Master plan KPIs: targets and actuals for ${year}` };
  item('outcome.kpis', 'outcome', shareScore(count('on_track'), kpis.length), [
    f(`KPI dengan target dan capaian ${year}`, `KPIs with a target and an actual for ${year}`, kpis.length, 'KPI', ksrc),
    f('Sesuai target', 'On track', count('on_track'), 'KPI', ksrc),
    f('Berisiko (≥ 80% target)', 'At risk (≥ 80% of target)', count('at_risk'), 'KPI', ksrc),
    f('Tidak sesuai target', 'Off track', count('off_track'), 'KPI', ksrc),
  ]);

  const from = yearStart(year);
  const to = Math.min(now, yearStart(year + 1) - 1);
  const st = sources.incidents && to >= from ? await sources.incidents.stats(p.regionId, { from, to }) : null;
  const isrc = { id: `Insiden: SLA per kategori, ${year}`, en: `Incidents: SLA per category, ${year}` };
  item('outcome.sla', 'outcome', st?.withinSlaShare == null ? null : round2(5 * st.withinSlaShare), [
    f(`Laporan dan insiden ${year}`, `Reports and incidents in ${year}`, st?.count ?? null, 'laporan', isrc),
    f('Diselesaikan', 'Resolved', st?.resolved ?? null, 'laporan', isrc),
    f('Selesai dalam SLA', 'Resolved within SLA', st?.withinSlaShare == null ? null : round2(100 * st.withinSlaShare), '%', isrc),
  ]);

  // The devices' state is a state of now: it speaks for the current year only.
  const dsrc = { id: 'Perangkat: status daring saat dihitung', en: 'Devices: online when computed' };
  if (yearOf(now) === year) {
    const c = await sources.devices.onlineCount(p.regionId, {});
    item('outcome.devices', 'outcome', shareScore(c.online, c.total), [
      f('Perangkat terdaftar', 'Devices registered', c.total, 'perangkat', dsrc),
      f('Daring', 'Online', c.online, 'perangkat', dsrc),
      f('Persentase daring', 'Share online', c.total > 0 ? round2((100 * c.online) / c.total) : null, '%', dsrc),
    ]);
  } else {
    item('outcome.devices', 'outcome', null, [f(`Status perangkat hanya diketahui saat ini, bukan untuk ${year}`, `The devices' state is known for now, not for ${year}`, null, '', dsrc)]);
  }
  return out;
}
