/**
 * Live metrics: KPI values computed from the platform's own data (devices,
 * telemetry, alarms, incidents). The device, telemetry and alarm figures are
 * read-only aggregate queries over those modules' tables; incidents go
 * through IncidentsService.stats().
 */
import { sql, type Kysely } from 'kysely';
import { AppError } from '../../core/errors.js';
import type { Schema } from '../../platform/db/index.js';

export interface MetricSpec { kind: MetricKind; params: Record<string, unknown> }
export const METRIC_KINDS = ['devices_online_share', 'telemetry_mean', 'alarms_count', 'incidents_median_resolve_hours', 'incidents_within_sla_share'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

interface ParamDef { key: string; type: 'string' | 'number'; required: boolean; labelId: string; labelEn: string }
export interface MetricDef { kind: MetricKind; nameId: string; nameEn: string; unit: string; direction: 'up' | 'down'; params: ParamDef[] }

const p = (key: string, type: 'string' | 'number', required: boolean, labelId: string, labelEn: string): ParamDef => ({ key, type, required, labelId, labelEn });

export const METRICS: MetricDef[] = [
  { kind: 'devices_online_share', nameId: 'Persentase perangkat daring', nameEn: 'Share of devices online', unit: '%', direction: 'up',
    params: [p('assetType', 'string', false, 'Jenis aset (mis. street_light)', 'Asset type (e.g. street_light)'), p('deviceType', 'string', false, 'Jenis perangkat', 'Device type')] },
  { kind: 'telemetry_mean', nameId: 'Rata-rata telemetri', nameEn: 'Telemetry mean', unit: '', direction: 'down',
    params: [p('key', 'string', true, 'Kunci (mis. pm25)', 'Key (e.g. pm25)'), p('days', 'number', false, 'Jumlah hari terakhir (bawaan 30)', 'Last N days (default 30)'), p('assetType', 'string', false, 'Jenis aset', 'Asset type')] },
  { kind: 'alarms_count', nameId: 'Jumlah alarm', nameEn: 'Number of alarms', unit: 'alarm', direction: 'down',
    params: [p('severity', 'string', false, 'Tingkat (mis. siaga)', 'Severity (e.g. siaga)'), p('days', 'number', false, 'Jumlah hari terakhir (bawaan: tahun berjalan)', 'Last N days (default: the year so far)')] },
  { kind: 'incidents_median_resolve_hours', nameId: 'Median waktu penyelesaian laporan (jam)', nameEn: 'Median hours to resolve reports', unit: 'jam', direction: 'down',
    params: [p('categoryCode', 'string', false, 'Kategori laporan', 'Report category'), p('opdId', 'string', false, 'OPD', 'OPD')] },
  { kind: 'incidents_within_sla_share', nameId: 'Persentase laporan tepat waktu (SLA)', nameEn: 'Share of reports within SLA', unit: '%', direction: 'up',
    params: [p('categoryCode', 'string', false, 'Kategori laporan', 'Report category'), p('opdId', 'string', false, 'OPD', 'OPD')] },
];

/** Checks a metric spec against the catalogue; unknown kinds or parameters are refused. */
export function checkMetric(spec: { kind: string; params?: Record<string, unknown> | null }): MetricSpec {
  const def = METRICS.find((m) => m.kind === spec.kind);
  if (!def) throw new AppError('METRIC_INVALID', `metric "${spec.kind}" is not one of ${METRIC_KINDS.join(', ')}`);
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec.params ?? {})) {
    const d = def.params.find((x) => x.key === k);
    if (!d) throw new AppError('METRIC_INVALID', `metric ${def.kind} has no parameter "${k}" (it takes ${def.params.map((x) => x.key).join(', ')})`);
    if (v === null || v === '') continue;
    if (d.type === 'number' && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 3660)) throw new AppError('METRIC_INVALID', `parameter ${k} must be a positive number of days`);
    if (d.type === 'string' && (typeof v !== 'string' || v.length > 100)) throw new AppError('METRIC_INVALID', `parameter ${k} must be text`);
    params[k] = v;
  }
  for (const d of def.params) if (d.required && params[d.key] === undefined) throw new AppError('METRIC_INVALID', `metric ${def.kind} needs the parameter "${d.key}"`);
  return { kind: def.kind, params };
}

export interface IncidentStats {
  stats(regionId: string, filter: { categoryCode?: string; opdId?: string; from: number; to: number }): Promise<{ count: number; resolved: number; medianResolveHours: number | null; withinSlaShare: number | null }>;
}

const DAY = 86_400_000;

/** The start of a calendar year in Asia/Jakarta (UTC+7, no daylight saving). */
export const yearStart = (year: number) => Date.UTC(year, 0, 1) - 7 * 3_600_000;
export const yearOf = (ms: number) => new Date(ms + 7 * 3_600_000).getUTCFullYear();

export class LiveMetrics {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly incidents: IncidentStats | null,
  ) {}

  /** The value of a metric for a year: the year so far for the current year, the whole year for a past one; null when there is no data. */
  async compute(regionId: string, spec: MetricSpec, year: number, now: number): Promise<number | null> {
    const from = yearStart(year);
    const to = Math.min(now, yearStart(year + 1));
    const q = spec.params;
    const str = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
    const days = typeof q.days === 'number' ? q.days : undefined;
    switch (spec.kind) {
      case 'devices_online_share': {
        // a state of now: only meaningful for the current year
        let query = this.db
          .selectFrom('devices as d')
          .leftJoin('assets as a', 'a.id', 'd.asset_id')
          .select([sql<number>`count(*)`.as('total'), sql<number>`sum(case when d.online = 1 then 1 else 0 end)`.as('online')])
          .where('d.region_id', '=', regionId);
        if (str('assetType')) query = query.where('a.type', '=', str('assetType')!);
        if (str('deviceType')) query = query.where('d.type', '=', str('deviceType')!);
        const row = await query.executeTakeFirst();
        const total = Number(row?.total ?? 0);
        return total === 0 ? null : round((Number(row?.online ?? 0) / total) * 100);
      }
      case 'telemetry_mean': {
        const start = days !== undefined ? Math.max(from, to - days * DAY) : Math.max(from, to - 30 * DAY);
        let query = this.db
          .selectFrom('telemetry as t')
          .innerJoin('telemetry_series as s', 's.id', 't.series_id')
          .innerJoin('devices as d', 'd.id', 's.device_id')
          .leftJoin('assets as a', 'a.id', 'd.asset_id')
          .select([sql<number | null>`avg(t.num)`.as('mean'), sql<number>`count(t.num)`.as('n')])
          .where('s.region_id', '=', regionId)
          .where('s.key', '=', str('key')!)
          .where('t.ts', '>=', start)
          .where('t.ts', '<', to + 1)
          .where('t.num', 'is not', null);
        if (str('assetType')) query = query.where('a.type', '=', str('assetType')!);
        const row = await query.executeTakeFirst();
        return row && Number(row.n) > 0 && row.mean !== null ? round(Number(row.mean)) : null;
      }
      case 'alarms_count': {
        const start = days !== undefined ? Math.max(from, to - days * DAY) : from;
        let query = this.db.selectFrom('alarms').select(sql<number>`count(*)`.as('n')).where('region_id', '=', regionId).where('started_at', '>=', start).where('started_at', '<=', to);
        if (str('severity')) query = query.where('severity', '=', str('severity')!);
        const row = await query.executeTakeFirst();
        return Number(row?.n ?? 0);
      }
      case 'incidents_median_resolve_hours':
      case 'incidents_within_sla_share': {
        if (!this.incidents) return null;
        const filter = { from, to, ...(str('categoryCode') && { categoryCode: str('categoryCode')! }), ...(str('opdId') && { opdId: str('opdId')! }) };
        const s = await this.incidents.stats(regionId, filter);
        if (spec.kind === 'incidents_median_resolve_hours') return s.medianResolveHours === null ? null : round(s.medianResolveHours);
        return s.withinSlaShare === null ? null : round(s.withinSlaShare <= 1 ? s.withinSlaShare * 100 : s.withinSlaShare);
      }
    }
  }
}

const round = (v: number) => Math.round(v * 100) / 100;
