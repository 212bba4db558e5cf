/**
 * Live metrics: KPI values computed from the platform's own data (devices,
 * telemetry, alarms, incidents), each through a read-only aggregate of its
 * module's service (DevicesService.onlineCount, TelemetryService.meanOf,
 * AlarmsService.countStarted, IncidentsService.stats).
 */
import { AppError } from '../../../core/errors.ts';

export interface MetricSpec { kind: MetricKind; params: Record<string, unknown> }
const METRIC_KINDS = ['devices_online_share', 'telemetry_mean', 'alarms_count', 'incidents_median_resolve_hours', 'incidents_within_sla_share'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

interface ParamDef { key: string; type: 'string' | 'number'; required: boolean; labelId: string; labelEn: string }
export interface MetricDef { kind: MetricKind; nameId: string; nameEn: string; unit: string; direction: 'up' | 'down'; params: ParamDef[] }

const p = (key: string, type: 'string' | 'number', required: boolean, labelId: string, labelEn: string): ParamDef => ({ key, type, required, labelId, labelEn });

export const METRICS: MetricDef[] = [
  { kind: 'devices_online_share', nameId: 'Persentase perangkat daring', nameEn: 'Share of devices online', unit: '%', direction: 'up',
    params: [p('assetType', 'string', false, 'Jenis aset', 'Asset type'), p('deviceType', 'string', false, 'Jenis perangkat', 'Device type')] },
  { kind: 'telemetry_mean', nameId: 'Rata-rata telemetri', nameEn: 'Telemetry mean', unit: '', direction: 'down',
    params: [p('key', 'string', true, 'Data yang dirata-rata', 'Reading averaged'), p('days', 'number', false, 'Jumlah hari terakhir (bawaan 30)', 'Number of last days (default 30)'), p('assetType', 'string', false, 'Jenis aset', 'Asset type')] },
  { kind: 'alarms_count', nameId: 'Jumlah alarm', nameEn: 'Number of alarms', unit: 'alarm', direction: 'down',
    params: [p('severity', 'string', false, 'Tingkat', 'Level'), p('days', 'number', false, 'Jumlah hari terakhir (bawaan: tahun berjalan)', 'Number of last days (default: the year so far)')] },
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

/** What the live metrics read, through the other modules' services (read-only aggregates). */
export interface LiveSources {
  devices: { onlineCount(regionId: string, filter: { assetType?: string; deviceType?: string }): Promise<{ total: number; online: number }> };
  telemetry: { meanOf(regionId: string, key: string, from: number, to: number, assetType?: string): Promise<{ mean: number | null; count: number }> };
  alarms: { countStarted(regionId: string, from: number, to: number, severity?: string): Promise<number> };
  incidents: IncidentStats | null;
}

export class LiveMetrics {
  private readonly sources: LiveSources;
  constructor(sources: LiveSources) {
    this.sources = sources;
  }

  /** The value of a metric for a year: the year so far for the current year, the whole year for a past one; null when there is no data. */
  async compute(regionId: string, spec: MetricSpec, year: number, now: number): Promise<number | null> {
    const from = yearStart(year);
    const to = Math.min(now, yearStart(year + 1) - 1);
    const q = spec.params;
    const str = (k: string) => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);
    const days = typeof q.days === 'number' ? q.days : undefined;
    switch (spec.kind) {
      case 'devices_online_share': {
        // a state of now: only meaningful for the current year
        const c = await this.sources.devices.onlineCount(regionId, { ...(str('assetType') && { assetType: str('assetType')! }), ...(str('deviceType') && { deviceType: str('deviceType')! }) });
        return c.total === 0 ? null : round((c.online / c.total) * 100);
      }
      case 'telemetry_mean': {
        const start = Math.max(from, to - (days ?? 30) * DAY);
        const m = await this.sources.telemetry.meanOf(regionId, str('key')!, start, to, str('assetType'));
        return m.mean === null ? null : round(m.mean);
      }
      case 'alarms_count': {
        const start = days !== undefined ? Math.max(from, to - days * DAY) : from;
        return this.sources.alarms.countStarted(regionId, start, to, str('severity'));
      }
      case 'incidents_median_resolve_hours':
      case 'incidents_within_sla_share': {
        if (!this.sources.incidents) return null;
        const filter = { from, to, ...(str('categoryCode') && { categoryCode: str('categoryCode')! }), ...(str('opdId') && { opdId: str('opdId')! }) };
        const st = await this.sources.incidents.stats(regionId, filter);
        if (spec.kind === 'incidents_median_resolve_hours') return st.medianResolveHours === null ? null : round(st.medianResolveHours);
        // IncidentsService gives a share 0..1; the KPI shows percent
        return st.withinSlaShare === null ? null : round(st.withinSlaShare * 100);
      }
    }
  }
}

const round = (v: number) => Math.round(v * 100) / 100;
