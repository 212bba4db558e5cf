/** KPIs per program or dimension: by hand or computed from the platform's live data, targets and realisation per year, status. */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { texts } from '../i18n.js';
import { canEdit, dimName, errorText, L, Message, notNumberText, num, numIn, parseNum, thisYear, tx, useApi, useFramework, useMe, useOpds, useStanding } from './masterplan-common.js';
import type { Kpi, MetricDef } from '../../../src/modules/masterplan/kpis/kpis.contract.js';
import { loadPrograms, type Program } from './masterplan-programs.js';
import { MetricParamInput, MetricParamsText, notDaysText, parseDays } from './masterplan-kpi-params.js';
import { keySpecOf } from '../profiles.js';

/** The unit the device profiles give a reading (the first profile naming it). */
const unitOfKey = (key: string): string | null => keySpecOf(null, key)?.unit ?? null;

const kx = texts({
  addKpi: ['Tambah KPI', 'Add a KPI'],
  baseline: ['Nilai awal (baseline)', 'Baseline'],
  direction: ['Arah', 'Direction'],
  up: ['Naik lebih baik', 'Higher is better'],
  down: ['Turun lebih baik', 'Lower is better'],
  program: ['Program', 'Program'],
  source: ['Sumber data', 'Data source'],
  manual: ['Diisi manual', 'Entered by hand'],
  live: ['Data langsung platform', 'Live platform data'],
  metric: ['Metrik langsung', 'Live metric'],
  refresh: ['Hitung ulang data langsung', 'Refresh live values'],
  refreshed: ['Nilai langsung diperbarui', 'Live values refreshed'],
  values: ['Target dan realisasi per tahun', 'Targets and realisation per year'],
  noKpis: ['Belum ada KPI.', 'No KPIs yet.'],
  setValue: ['Simpan nilai', 'Save value'],
  liveTag: ['langsung', 'live'],
  params: ['Parameter', 'Parameters'],
});

export type { Kpi };

export const STATUS_TEXT = { on_track: 'onTrack', at_risk: 'atRisk', off_track: 'offTrack', no_data: 'noData' } as const;
export function StatusChip({ status }: { status: Kpi['status'] }) {
  return html`<span class=${`chip st-${status}`} data-status=${status}>${tx(STATUS_TEXT[status] ?? 'noData')}</span>`;
}

export function Kpis() {
  const fw = useFramework();
  const me = useMe();
  const opds = useOpds();
  const standing = useStanding();
  const [dimension, setDimension] = useState('');
  const [programId, setProgramId] = useState('');
  const [year, setYear] = useState(thisYear());
  const q = [dimension && `dimension=${dimension}`, programId && `programId=${encodeURIComponent(programId)}`, `year=${year}`].filter(Boolean).join('&');
  const kpis = useApi<Kpi[]>(`/masterplan/kpis${q ? `?${q}` : ''}`);
  const metrics = useApi<MetricDef[]>('/masterplan/metrics');
  const [programs, setPrograms] = useState<Program[]>([]);
  const [msg, setMsg] = useState<{ error?: string | null; ok?: string | null }>({});
  useEffect(() => {
    loadPrograms('')
      .then(setPrograms)
      .catch(() => setPrograms([]));
  }, []);
  const list = kpis.data ?? [];
  const catalogue = metrics.data ?? [];
  const refresh = async () => {
    try {
      await api('POST', '/masterplan/kpis/refresh', {});
      setMsg({ ok: kx('refreshed') });
      kpis.reload();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  const canAdd = !!me && me.role !== 'viewer';
  const program = (id: string | null) => programs.find((p) => p.id === id);
  return html`
    <section class="mp-kpis" data-testid="mp-kpis">
      ${canAdd && html`<${AddKpi} programs=${programs} catalogue=${catalogue} onDone=${kpis.reload} />`}
      <div class="card">
        <div class="row wrap">
          <h2>${tx('kpis')}</h2>
          <span class="spacer"></span>
          <label>${tx('dimension')}<select value=${dimension} onChange=${(e: Event) => setDimension((e.target as HTMLSelectElement).value)}><option value="">${tx('all')}</option>${(fw?.dimensions ?? []).map((d) => html`<option value=${d.key}>${L(d.nameId, d.nameEn)}</option>`)}</select></label>
          <label>${kx('program')}<select value=${programId} onChange=${(e: Event) => setProgramId((e.target as HTMLSelectElement).value)}><option value="">${tx('all')}</option>${programs.map((p) => html`<option value=${p.id}>${p.code} ${p.name}</option>`)}</select></label>
          <label>${tx('year')}<input type="number" min="2000" max="2100" value=${year} onChange=${(e: Event) => setYear(Number((e.target as HTMLInputElement).value) || thisYear())} /></label>
          ${canAdd && html`<button class="ghost" onClick=${refresh} data-testid="kpi-refresh">${kx('refresh')}</button>`}
        </div>
        <${Message} error=${kpis.error ?? msg.error} ok=${msg.ok} />
        ${kpis.data && list.length === 0 && html`<p class="muted">${kx('noKpis')}</p>`}
        <div class="mp-table-wrap">
          <table class="mp-kpi-table">
            <thead><tr><th>${tx('name')}</th><th>${kx('program')} / ${tx('dimension')}</th><th>${kx('source')}</th><th class="num">${kx('baseline')}</th><th>${tx('target')} ${year}</th><th>${tx('actual')} ${year}</th><th>${tx('status')}</th></tr></thead>
            <tbody>
              ${list.map((k) => html`<${KpiRow} key=${k.id} k=${k} year=${year} program=${program(k.programId)} metric=${catalogue.find((m) => m.kind === k.metric?.kind)} fwName=${dimName(fw, k.dimensionKey ?? program(k.programId)?.dimensionKey)} editable=${canEdit(me, opds, k.opdId ?? program(k.programId)?.opdId ?? null, standing)} onSaved=${kpis.reload} />`)}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  `;
}

function KpiRow({ k, year, program, metric, fwName, editable, onSaved }: { k: Kpi; year: number; program: Program | undefined; metric: MetricDef | undefined; fwName: string; editable: boolean; onSaved: () => void }) {
  const v = k.values.find((x) => x.year === year);
  const [target, setTarget] = useState(numIn(v?.target));
  const [actual, setActual] = useState(numIn(v?.actual));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setTarget(numIn(v?.target));
    setActual(numIn(v?.actual));
  }, [k, year]);
  const save = async (e: Event) => {
    e.preventDefault();
    const [t, a] = [parseNum(target), parseNum(actual)];
    if (Number.isNaN(t)) return setError(notNumberText(tx('target'), target));
    if (!k.metric && Number.isNaN(a)) return setError(notNumberText(tx('actual'), actual));
    try {
      const body: Record<string, number | null> = { target: t };
      if (!k.metric) body.actual = a;
      await api('PUT', `/masterplan/kpis/${encodeURIComponent(k.id)}/values/${year}`, body);
      setError(null);
      onSaved();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return html`
    <tr data-kpi=${k.name}>
      <td><strong>${k.name}</strong> <span class="muted small">${k.unit}</span> <span class="small muted">${k.direction === 'down' ? '↓' : '↑'}</span></td>
      <td>${program ? html`${program.code} ${program.name}` : fwName}</td>
      <td>${k.metric ? html`<span class="chip live-chip">${kx('liveTag')}</span> <span class="small">${metric ? L(metric.nameId, metric.nameEn) : ''}</span> <span class="small muted" data-testid="kpi-metric-params"><${MetricParamsText} metric=${metric} params=${k.metric.params ?? {}} /></span>` : kx('manual')}</td>
      <td class="num">${num(k.baseline)}</td>
      ${editable
        ? html`<td colspan="2"><form class="row" onSubmit=${save}>
            <input class="num-in" inputmode="decimal" aria-label=${`${tx('target')} ${k.name}`} value=${target} onInput=${(e: Event) => setTarget((e.target as HTMLInputElement).value)} />
            ${k.metric ? html`<span class="num">${num(v?.actual ?? null)}</span>` : html`<input class="num-in" inputmode="decimal" aria-label=${`${tx('actual')} ${k.name}`} value=${actual} onInput=${(e: Event) => setActual((e.target as HTMLInputElement).value)} />`}
            <button type="submit" class="ghost">${kx('setValue')}</button>
          </form>${error && html`<div class="error small" role="alert">${error}</div>`}</td>`
        : html`<td class="num">${num(v?.target ?? null)}</td><td class="num">${num(v?.actual ?? null)}</td>`}
      <td><${StatusChip} status=${k.status} /></td>
    </tr>
  `;
}

function AddKpi({ programs, catalogue, onDone }: { programs: Program[]; catalogue: MetricDef[]; onDone: () => void }) {
  const fw = useFramework();
  const empty = { name: '', unit: '', baseline: '', direction: 'up', programId: '', dimensionKey: '', elementKey: '', source: 'manual', kind: '', target: '' };
  const [v, setV] = useState(empty);
  const [params, setParams] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<{ error?: string | null; ok?: string | null }>({});
  const metric = catalogue.find((m) => m.kind === v.kind);
  const dim = fw?.dimensions.find((d) => d.key === v.dimensionKey);
  const set = (k: keyof typeof empty) => (e: Event) => setV({ ...v, [k]: (e.target as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    const [baseline, target] = [parseNum(v.baseline), parseNum(v.target)];
    if (Number.isNaN(baseline)) return setMsg({ error: notNumberText(kx('baseline'), v.baseline) });
    if (Number.isNaN(target)) return setMsg({ error: notNumberText(tx('target'), v.target) });
    try {
      const p: Record<string, string | number> = {};
      for (const def of metric?.params ?? []) {
        const typed = params[def.key] ?? '';
        const value = def.type === 'number' ? parseDays(typed) : typed;
        if (Number.isNaN(value)) return setMsg({ error: `${L(def.labelId, def.labelEn)}: ${notDaysText()}` });
        if (value !== '') p[def.key] = value;
      }
      const body: Record<string, unknown> = {
        name: v.name,
        unit: v.unit,
        baseline,
        direction: v.direction,
        programId: v.programId || null,
        dimensionKey: v.dimensionKey || null,
        elementKey: v.elementKey || null,
        metric: v.source === 'live' && v.kind ? { kind: v.kind, params: p } : null,
        ...(target !== null && { values: [{ year: thisYear(), target }] }),
      };
      await api<Kpi>('POST', '/masterplan/kpis', body);
      setV(empty);
      setParams({});
      setMsg({ ok: tx('saved') });
      onDone();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  return html`
    <form class="card mp-add-kpi" onSubmit=${submit} data-testid="add-kpi">
      <h2>${kx('addKpi')}</h2>
      <div class="row wrap">
        <label>${tx('name')}<input name="kpiName" required value=${v.name} onInput=${set('name')} /></label>
        <label>${tx('unit')}<input name="kpiUnit" required value=${v.unit} onInput=${set('unit')} /></label>
        <label>${kx('baseline')}<input name="kpiBaseline" inputmode="decimal" value=${v.baseline} onInput=${set('baseline')} /></label>
        <label>${kx('direction')}<select name="kpiDirection" value=${v.direction} onChange=${set('direction')}><option value="up">${kx('up')}</option><option value="down">${kx('down')}</option></select></label>
        <label>${tx('target')} ${thisYear()}<input name="kpiTarget" inputmode="decimal" value=${v.target} onInput=${set('target')} /></label>
      </div>
      <div class="row wrap">
        <label>${kx('program')}<select name="kpiProgram" value=${v.programId} onChange=${set('programId')}><option value="">—</option>${programs.map((p) => html`<option value=${p.id}>${p.code} ${p.name}</option>`)}</select></label>
        <label>${tx('dimension')}<select name="kpiDimension" value=${v.dimensionKey} onChange=${(e: Event) => setV({ ...v, dimensionKey: (e.target as HTMLSelectElement).value, elementKey: '' })}><option value="">—</option>${(fw?.dimensions ?? []).map((d) => html`<option value=${d.key}>${L(d.nameId, d.nameEn)}</option>`)}</select></label>
        <label>${tx('element')}<select name="kpiElement" value=${v.elementKey} disabled=${!dim} onChange=${set('elementKey')}><option value="">—</option>${(dim?.elements ?? []).map((el) => html`<option value=${el.key}>${L(el.nameId, el.nameEn)}</option>`)}</select></label>
      </div>
      <fieldset class="row wrap">
        <legend>${kx('source')}</legend>
        <label class="radio"><input type="radio" name="kpiSource" value="manual" checked=${v.source === 'manual'} onChange=${set('source')} /> ${kx('manual')}</label>
        <label class="radio"><input type="radio" name="kpiSource" value="live" checked=${v.source === 'live'} onChange=${set('source')} /> ${kx('live')}</label>
        ${v.source === 'live' &&
        html`<label>${kx('metric')}<select name="kpiMetric" value=${v.kind} required onChange=${(e: Event) => {
            const kind = (e.target as HTMLSelectElement).value;
            const m = catalogue.find((x) => x.kind === kind);
            setV({ ...v, kind, unit: v.unit || m?.unit || '', direction: m?.direction ?? v.direction });
            setParams({});
          }}><option value="">—</option>${catalogue.map((m) => html`<option value=${m.kind}>${L(m.nameId, m.nameEn) || m.kind}</option>`)}</select></label>
          ${(metric?.params ?? []).map(
            (p) =>
              html`<${MetricParamInput}
                key=${`${v.kind}-${p.key}`}
                param=${p}
                value=${params[p.key] ?? ''}
                onChange=${(value: string) => {
                  setParams({ ...params, [p.key]: value });
                  // The KPI is in the reading's unit unless one was typed: *m* for Tinggi muka air.
                  if (p.key === 'key' && v.unit === '') setV({ ...v, unit: unitOfKey(value) ?? '' });
                }}
              />`,
          )}`}
      </fieldset>
      <${Message} ...${msg} />
      <div><button type="submit" data-testid="add-kpi-submit">${kx('addKpi')}</button></div>
    </form>
  `;
}
