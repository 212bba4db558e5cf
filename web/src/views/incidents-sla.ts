/** The SLA overview for leadership (#/sla): per OPD, per category and per kecamatan, open green/yellow/red, share within SLA, median time to resolve. */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { formatNumber, formatTime } from '../i18n.js';
import { categoryName, ix, slaLegend, type Category, type Opd, type SlaSummary, type SummaryRow } from './incidents-common.js';

const RANGES = [
  { key: 'days7', days: 7 },
  { key: 'days30', days: 30 },
  { key: 'days90', days: 90 },
  { key: 'days365', days: 365 },
] as const;

const pct = (v: number | null) => (v === null ? '—' : `${formatNumber(Math.round(v * 1000) / 10)} %`);
const hours = (v: number | null) => (v === null ? '—' : `${formatNumber(Math.round(v * 10) / 10)} ${ix('hours')}`);

function Bar({ c }: { c: SummaryRow }) {
  const sum = c.green + c.yellow + c.red;
  if (sum === 0) return html`<span class="muted">—</span>`;
  return html`<div class="sla-bar" role="img" aria-label=${`${ix('green')} ${c.green}, ${ix('yellow')} ${c.yellow}, ${ix('red')} ${c.red}`}>
    ${c.green > 0 && html`<span class="green" style=${{ flex: c.green }}>${c.green}</span>`}
    ${c.yellow > 0 && html`<span class="yellow" style=${{ flex: c.yellow }}>${c.yellow}</span>`}
    ${c.red > 0 && html`<span class="red" style=${{ flex: c.red }}>${c.red}</span>`}
  </div>`;
}

function Table({ rows, label, link, testid }: { rows: { name: string; c: SummaryRow; href?: string }[]; label: string; link?: boolean; testid?: string }) {
  return html`<div class="table-wrap"><table class="sla-table" data-testid=${testid}>
    <thead><tr><th>${label}</th><th>${ix('open')}</th><th>${ix('green')} / ${ix('yellow')} / ${ix('red')}</th><th>${ix('resolved')}</th><th>${ix('withinSla')}</th><th>${ix('medianResolve')}</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr>
        <td>${link && r.href ? html`<a href=${r.href}>${r.name}</a>` : r.name}</td>
        <td class="num">${r.c.open}</td><td class="bar-cell"><${Bar} c=${r.c} /></td><td class="num">${r.c.resolved}</td>
        <td class="num">${pct(r.c.withinSlaShare)}</td><td class="num">${hours(r.c.medianResolveHours)}</td>
      </tr>`,
    )}</tbody>
  </table></div>`;
}

export function SlaView({ opds, cats }: { opds: Opd[]; cats: Map<string, Category> }) {
  const [days, setDays] = useState(30);
  const [data, setData] = useState<SlaSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const to = Date.now();
    api<SlaSummary>('GET', `/incidents/sla-summary?from=${to - days * 86_400_000}&to=${to}`).then(
      (d) => {
        setData(d);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  }, [days]);
  const opdName = (id: string | null, code: string | null) => (id ? (opds.find((o) => o.id === id)?.name ?? code ?? id) : ix('unrouted'));
  return html`
    <div class="inc pad sla-page" data-testid="sla">
      <header class="row wrap">
        <h1>${ix('slaTitle')}</h1>
        <span class="spacer"></span>
        <div class="row" role="group" aria-label=${ix('period')}>${RANGES.map((r) => html`<button class=${r.days === days ? 'on' : 'ghost'} aria-pressed=${r.days === days} onClick=${() => setDays(r.days)}>${ix(r.key)}</button>`)}</div>
      </header>
      <p class="muted small">${slaLegend()}</p>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${data &&
      html`
        <p class="muted small">${formatTime(data.from)} – ${formatTime(data.to)}</p>
        <section class="stats sla-stats">
          <div class="stat"><span>${ix('open')}</span><strong data-testid="sla-open">${data.total.open}</strong></div>
          <div class="stat green"><span>${ix('green')}</span><strong>${data.total.green}</strong></div>
          <div class="stat yellow"><span>${ix('yellow')}</span><strong>${data.total.yellow}</strong></div>
          <div class="stat red"><span>${ix('red')}</span><strong>${data.total.red}</strong></div>
          <div class="stat"><span>${ix('resolved')}</span><strong>${data.total.resolved}</strong></div>
          <div class="stat"><span>${ix('withinSla')}</span><strong>${pct(data.total.withinSlaShare)}</strong></div>
          <div class="stat"><span>${ix('medianResolve')}</span><strong>${hours(data.total.medianResolveHours)}</strong></div>
        </section>
        <section class="card"><h2>${ix('byOpd')}</h2><${Table} label=${ix('opd')} rows=${data.byOpd.map((r) => ({ name: r.opdCode ? `${r.opdCode} — ${opdName(r.opdId, r.opdCode)}` : ix('unrouted'), c: r }))} /></section>
        <section class="card"><h2>${ix('byCategory')}</h2><${Table} label=${ix('category')} rows=${data.byCategory.map((r) => ({ name: categoryName(cats, r.categoryCode), c: r }))} /></section>
        <section class="card">
          <h2>${ix('byDistrict')}</h2>
          <p class="muted small">${ix('byDistrictHint')}</p>
          <${Table} label=${ix('district')} testid="sla-district" rows=${data.byDistrict.map((r) => ({ name: r.districtName ?? r.districtCode ?? ix('noDistrict'), c: r }))} />
        </section>
      `}
    </div>
  `;
}
