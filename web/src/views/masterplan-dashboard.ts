/** The leadership dashboard: initiatives and their budget per dimension, KPI progress, budget per OPD, KPIs on track / at risk, the evaluation index. */
import type { Dashboard as DashboardAnswer } from '../../../src/modules/masterplan/dashboard/dashboard.contract.js';
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { getLang, texts } from '../i18n.js';
import { ChartBox, compactRupiah, dimName, Message, num, PALETTE, rupiah, shortRupiah, thisYear, tx, useApi, useFramework } from './masterplan-common.js';

const dx = texts({
  allYears: ['Semua tahun', 'All years'],
  initiativeCount: ['Jumlah inisiatif', 'Initiatives'],
  initiativeBudget: ['Anggaran inisiatif', 'Initiatives\' budget'],
  initiativeBudgetByDimension: ['Anggaran inisiatif per dimensi', 'Initiatives\' budget per dimension'],
  lines: ['Baris anggaran (SIPD)', 'Budget lines (SIPD)'],
  noInitiatives: ['Belum ada inisiatif. Kelompokkan baris anggaran menjadi inisiatif di tab Inisiatif.', 'No initiatives yet. Group budget lines into initiatives under Initiatives.'],
});

type DashboardData = DashboardAnswer;

export function Dashboard() {
  const [year, setYear] = useState<number | null>(null);
  const fw = useFramework();
  const { data, error } = useApi<DashboardData>(`/masterplan/dashboard${year ? `?year=${year}` : ''}`);
  const lang = getLang();
  const dims = data?.byDimension ?? [];
  const totalInitiatives = data?.totals.initiatives ?? 0;
  const initiativeBudget = data?.totals.initiativeBudget ?? 0;
  const totalPrograms = data?.totals.programs ?? 0;
  // quick wins are records of their own (the Quick win tab): the dashboard counts them, per dimension and in the year chosen
  const totalQuick = data?.totals.quickWins ?? 0;
  const v = `${lang}:${JSON.stringify(data)}:${!!fw}`;
  // progress is the mean KPI achievement, 0–100
  const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${num(x, 0)}%`);
  const progressValue = (x: number | null | undefined) => (x === null || x === undefined ? 0 : x);
  return html`
    <section class="mp-dash" data-testid="mp-dashboard">
      <div class="row wrap">
        <label>${tx('year')}<select data-testid="dash-year" value=${year ?? ''} onChange=${(e: Event) => setYear(Number((e.target as HTMLSelectElement).value) || null)}>
          <option value="">${dx('allYears')}</option>${Array.from({ length: 12 }, (_, i) => thisYear() - 8 + i).map((y) => html`<option value=${y}>${y}</option>`)}
        </select></label>
      </div>
      <${Message} error=${error} />
      <div class="stats">
        <div class="stat"><span>${dx('initiativeCount')}</span><strong data-testid="dash-initiatives">${num(totalInitiatives, 0)}</strong></div>
        <div class="stat"><span>${dx('initiativeBudget')}</span><strong data-testid="dash-budget" title=${rupiah(initiativeBudget)}>${compactRupiah(initiativeBudget)}</strong></div>
        <div class="stat"><span>${dx('lines')}</span><strong data-testid="dash-programs">${num(totalPrograms, 0)}</strong></div>
        <div class="stat"><span>${tx('quickWins')}</span><strong>${num(totalQuick, 0)}</strong></div>
        <div class="stat ok-stat"><span>${tx('onTrack')}</span><strong data-testid="dash-ontrack">${num(data?.kpis.onTrack ?? 0, 0)}</strong></div>
        <div class="stat warn-stat"><span>${tx('atRisk')}</span><strong data-testid="dash-atrisk">${num(data?.kpis.atRisk ?? 0, 0)}</strong></div>
        <div class="stat bad-stat"><span>${tx('offTrack')}</span><strong>${num(data?.kpis.offTrack ?? 0, 0)}</strong></div>
        <div class="stat"><span>${tx('noData')}</span><strong>${num(data?.kpis.noData ?? 0, 0)}</strong></div>
      </div>
      ${data && totalPrograms === 0 && html`<p class="card muted">${tx('noPrograms')}</p>`}
      ${data && totalPrograms > 0 && totalInitiatives === 0 && html`<p class="card muted" data-testid="dash-no-initiatives">${dx('noInitiatives')}</p>`}
      <div class="mp-grid">
        <div class="card">
          <h2>${tx('progressByDimension')}</h2>
          <ul class="mp-progress">
            ${dims.map(
              (d) => html`<li>
                <span class="mp-progress-name">${dimName(fw, d.key)}</span>
                <progress max="100" value=${progressValue(d.progress)} aria-label=${dimName(fw, d.key)}></progress>
                <span class="mp-progress-val">${pct(d.progress)}</span>
                <span class="small muted">${num(d.initiatives, 0)} ${tx('initiatives').toLowerCase()} · ${num(d.kpisOnTrack, 0)} ${tx('onTrack').toLowerCase()} · ${num(d.kpisAtRisk, 0)} ${tx('atRisk').toLowerCase()} · ${num(d.kpisOffTrack, 0)} ${tx('offTrack').toLowerCase()}</span>
              </li>`,
            )}
          </ul>
        </div>
        <div class="card">
          <h2>${dx('initiativeBudgetByDimension')}</h2>
          <${ChartBox}
            label=${dx('initiativeBudgetByDimension')}
            version=${v}
            testid="chart-budget-dimension"
            config=${() => ({
              type: 'bar',
              data: { labels: dims.map((d) => dimName(fw, d.key)), datasets: [{ label: dx('initiativeBudget'), data: dims.map((d) => d.initiativeBudget), backgroundColor: dims.map((_, i) => PALETTE[i % PALETTE.length]) }] },
              options: { plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c: any) => rupiah(c.raw) } } }, scales: { y: { ticks: { callback: (x: number) => shortRupiah(x) } } } },
            })}
          />
        </div>
        <div class="card">
          <h2>${tx('budgetByOpd')}</h2>
          <${ChartBox}
            label=${tx('budgetByOpd')}
            version=${v}
            height=${Math.max(240, (data?.budgetByOpd.length ?? 0) * 26)}
            config=${() => ({
              type: 'bar',
              data: { labels: (data?.budgetByOpd ?? []).map((o) => o.opdCode ?? '—'), datasets: [{ label: tx('budget'), data: (data?.budgetByOpd ?? []).map((o) => o.budget), backgroundColor: '#0b5cad' }] },
              options: { indexAxis: 'y', plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c: any) => rupiah(c.raw) } } }, scales: { x: { ticks: { callback: (x: number) => shortRupiah(x) } } } },
            })}
          />
        </div>
        <div class="card">
          <h2>${tx('kpiStatus')}</h2>
          <${ChartBox}
            label=${tx('kpiStatus')}
            version=${v}
            height=${240}
            config=${() => ({
              type: 'doughnut',
              data: {
                labels: [tx('onTrack'), tx('atRisk'), tx('offTrack'), tx('noData')],
                datasets: [{ data: [data?.kpis.onTrack ?? 0, data?.kpis.atRisk ?? 0, data?.kpis.offTrack ?? 0, data?.kpis.noData ?? 0], backgroundColor: ['#1a9641', '#f1a40f', '#c0392b', '#aab7c4'] }],
              },
              options: { plugins: { legend: { position: 'right' } } },
            })}
          />
        </div>
        <div class="card">
          <h2>${tx('evaluationIndex')}</h2>
          ${(data?.evaluationIndex.length ?? 0) === 0
            ? html`<p class="muted">${tx('noData')}</p>`
            : html`<${ChartBox}
                label=${tx('evaluationIndex')}
                version=${v}
                height=${240}
                testid="chart-eval-index"
                config=${() => ({
                  type: 'line',
                  data: { labels: data!.evaluationIndex.map((e) => String(e.year)), datasets: [{ label: tx('evaluationIndex'), data: data!.evaluationIndex.map((e) => e.index), borderColor: '#0b5cad', backgroundColor: '#0b5cad', tension: 0.2 }] },
                  options: { scales: { y: { min: 0 } } },
                })}
              />`}
        </div>
        <div class="card mp-wide">
          <h2>${tx('dimension')}</h2>
          <div class="mp-table-wrap">
            <table>
              <thead><tr><th>${tx('dimension')}</th><th class="num">${tx('initiatives')}</th><th class="num">${dx('initiativeBudget')}</th><th class="num">${tx('quickWins')}</th><th class="num">${tx('onTrack')}</th><th class="num">${tx('atRisk')}</th><th class="num">${tx('offTrack')}</th></tr></thead>
              <tbody>${dims.map((d) => html`<tr data-dimension=${d.key}><td>${dimName(fw, d.key)}</td><td class="num" data-testid="dash-dim-initiatives">${num(d.initiatives, 0)}</td><td class="num">${rupiah(d.initiativeBudget)}</td><td class="num" data-testid="dash-dim-quickwins">${num(d.quickWins, 0)}</td><td class="num">${num(d.kpisOnTrack, 0)}</td><td class="num">${num(d.kpisAtRisk, 0)}</td><td class="num">${num(d.kpisOffTrack, 0)}</td></tr>`)}</tbody>
            </table>
          </div>
        </div>
      </div>
    </section>
  `;
}
