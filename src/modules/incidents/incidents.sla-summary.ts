import type { Principal } from '../identity/index.ts';
import { OPEN_STATUSES, type SlaSummary, type SummaryRow } from './incidents.contract.ts';
import type { IncidentRecords } from './incidents.records.ts';
import type { IncidentsRepository } from './incidents.repository.ts';
import { slaOf } from './incidents.sla.ts';

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The SLA overview for leadership (per OPD, category and kecamatan) and the master plan's incident KPIs. */
export class SlaOverview {
  private readonly records: IncidentRecords;
  constructor(records: IncidentRecords) {
    this.records = records;
  }

  async slaSummary(p: Principal, from: number, to: number): Promise<SlaSummary> {
    const rows = await this.records.repo.forSummary(p.regionId, from, to);
    const now = this.records.now();
    const opds = new Map((await this.records.identity.opdsOf(p.regionId)).map((o) => [o.id, o]));
    const byOpd = new Map<string | null, typeof rows>();
    const byCategory = new Map<string, typeof rows>();
    const byDistrict = new Map<string | null, typeof rows>();
    const visibleOpd = (opdId: string | null) => p.role !== 'operator' || opdId === p.opdId || opdId === null;
    for (const r of rows) {
      if (r.merged_into_id !== null) continue;
      (byOpd.get(r.opd_id) ?? byOpd.set(r.opd_id, []).get(r.opd_id)!).push(r);
      (byCategory.get(r.category_code) ?? byCategory.set(r.category_code, []).get(r.category_code)!).push(r);
      if (visibleOpd(r.opd_id)) (byDistrict.get(r.district_code) ?? byDistrict.set(r.district_code, []).get(r.district_code)!).push(r);
    }
    const districtNames = new Map((await this.records.identity.listDistricts(p.regionId)).map((d) => [d.code, d.name]));
    return {
      from,
      to,
      byOpd: [...byOpd.entries()].filter(([opdId]) => visibleOpd(opdId)).map(([opdId, list]) => ({ opdId, opdCode: opdId ? (opds.get(opdId)?.code ?? null) : null, ...this.summarize(list, now, p.regionId) })),
      byCategory: [...byCategory.entries()].map(([categoryCode, list]) => ({ categoryCode, ...this.summarize(list.filter((r) => visibleOpd(r.opd_id)), now, p.regionId) })),
      byDistrict: [...byDistrict.entries()]
        .map(([districtCode, list]) => ({ districtCode, districtName: districtCode === null ? null : (districtNames.get(districtCode) ?? null), ...this.summarize(list, now, p.regionId) }))
        // who waits longest first: past due, then due soon, then most open, then slowest to resolve
        .sort((a, b) => b.red - a.red || b.yellow - a.yellow || b.open - a.open || (b.medianResolveHours ?? -1) - (a.medianResolveHours ?? -1) || (a.districtCode ?? '~').localeCompare(b.districtCode ?? '~')),
      total: this.summarize(rows.filter((r) => r.merged_into_id === null && visibleOpd(r.opd_id)), now, p.regionId),
    };
  }

  /** For the master plan KPIs: incidents filed in [from, to). */
  async stats(regionId: string, filter: { categoryCode?: string; opdId?: string; from: number; to: number }) {
    const rows = (await this.records.repo.forSummary(regionId, filter.from, filter.to, filter)).filter((r) => r.merged_into_id === null);
    const s = this.summarize(rows, this.records.now(), regionId);
    return { count: rows.length, resolved: s.resolved, medianResolveHours: s.medianResolveHours, withinSlaShare: s.withinSlaShare };
  }

  private summarize(rows: Awaited<ReturnType<IncidentsRepository['forSummary']>>, now: number, regionId: string): SummaryRow {
    const out: SummaryRow = { open: 0, green: 0, yellow: 0, red: 0, resolved: 0, withinSlaShare: null, medianResolveHours: null };
    const hours: number[] = [];
    let decided = 0;
    let within = 0;
    for (const r of rows) {
      const sla = slaOf(r.sla_stage, r.sla_started_at, r.sla_due_at, now, this.records.regions.get(regionId)?.timezone);
      const open = (OPEN_STATUSES as string[]).includes(r.status);
      if (open) {
        out.open++;
        // Followed up, with no deadline running (in progress): on track, green.
        out[sla.state ?? 'green']++;
      }
      if (r.resolved_at !== null && r.status !== 'rejected') {
        out.resolved++;
        hours.push((r.resolved_at - r.created_at) / 3_600_000);
      }
      // Decided: finished, or already past a deadline. Within: no stage ran late.
      const breached = r.sla_breached === 1 || (sla.overdue && sla.stage !== 'close');
      if (breached || r.resolved_at !== null || r.status === 'closed') {
        decided++;
        if (!breached) within++;
      }
    }
    out.withinSlaShare = decided === 0 ? null : Math.round((within / decided) * 1000) / 1000;
    const m = median(hours);
    out.medianResolveHours = m === null ? null : Math.round(m * 10) / 10;
    return out;
  }
}
