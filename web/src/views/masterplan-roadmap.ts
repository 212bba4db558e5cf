/** The roadmap as a dimension × year grid: initiatives by their timeline, quick wins by their schedule, milestones (reviewers write them). */
import type { Milestone, Roadmap as RoadmapData } from '../../../src/modules/masterplan/quickwins/quickwins.contract.js';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { errorText, isReviewer, L, Message, tx, useApi, useMe, useOpds, useStanding } from './masterplan-common.js';
import { monthName, qx } from './masterplan-quickwins-texts.js';

export function Roadmap() {
  const me = useMe();
  const opds = useOpds();
  const standing = useStanding();
  const road = useApi<RoadmapData>('/masterplan/roadmap');
  const reviewer = !!me && me.role !== 'viewer' && isReviewer(me, opds, standing);
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(null);
      road.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const data = road.data;
  return html`
    <section class="mp-roadmap-view" data-testid="mp-roadmap">
      <div class="card">
        <div class="row wrap"><h2>${qx('roadmapTitle')}</h2>${data?.periodStart && data.periodEnd && html`<span class="muted">${data.periodStart}–${data.periodEnd}</span>`}</div>
        <p class="small muted">${qx('roadmapHint')}</p>
        <p class="small">${qx('legend')}</p>
        <${Message} error=${road.error ?? error} />
        ${reviewer && data && data.years.length > 0 && html`<${MilestoneForm} data=${data} onAdd=${(body: { dimensionKey: string; year: number; text: string }) => run(() => api('POST', '/masterplan/roadmap/milestones', body))} />`}
        ${data && data.years.length === 0 && html`<p class="muted">${qx('noPeriod')}</p>`}
      </div>
      ${data &&
      data.years.length > 0 &&
      html`<div class="card mp-roadmap-wrap">
        <table class="mp-roadmap-grid" data-testid="roadmap-grid">
          <thead><tr><th scope="col">${tx('dimension')}</th>${data.years.map((y) => html`<th scope="col">${y}</th>`)}</tr></thead>
          <tbody>
            ${data.dimensions.map(
              (d) => html`<tr data-dimension=${d.key}>
                <th scope="row">${L(d.nameId, d.nameEn)}</th>
                ${d.cells.map(
                  (c) => html`<td data-year=${c.year} data-label=${String(c.year)} class=${c.initiatives.length + c.quickWins.length + c.milestones.length === 0 ? 'empty' : ''}><div class="rm-cell">
                    ${c.initiatives.map((i) => html`<div class="rm-item rm-initiative" title=${`${i.name} (${i.startYear ?? '…'}–${i.endYear ?? '…'})`}>▶ ${i.name}${i.first ? html` <span class="muted">(${qx('starts')})</span>` : i.last ? html` <span class="muted">(${qx('ends')})</span>` : ''}</div>`)}
                    ${c.quickWins.map((q) => html`<div class="rm-item rm-quickwin" title=${`${monthName(q.startMonth)} – ${monthName(q.endMonth)}`}>★ ${q.title}</div>`)}
                    ${c.milestones.map((m) => html`<${MilestoneItem} m=${m} editable=${reviewer} onEdit=${(text: string) => run(() => api('PATCH', `/masterplan/roadmap/milestones/${encodeURIComponent(m.id)}`, { text }))} onRemove=${() => run(() => api('DELETE', `/masterplan/roadmap/milestones/${encodeURIComponent(m.id)}`))} />`)}
                  </div></td>`,
                )}
              </tr>`,
            )}
          </tbody>
        </table>
        ${data.unscheduled.length > 0 && html`<p class="small muted">${qx('unscheduled')}: ${data.unscheduled.map((i) => i.name).join('; ')}</p>`}
      </div>`}
    </section>
  `;
}

function MilestoneItem({ m, editable, onEdit, onRemove }: { m: Milestone; editable: boolean; onEdit: (text: string) => void; onRemove: () => void }) {
  return html`<div class="rm-item rm-milestone" data-milestone=${m.text}>◆ ${m.text}
    ${editable &&
    html`<span class="rm-actions">
      <button class="link small" aria-label=${`${tx('edit')}: ${m.text}`} onClick=${() => {
        const text = prompt(qx('milestoneText'), m.text);
        if (text && text.trim() && text !== m.text) onEdit(text.trim());
      }}>${tx('edit')}</button>
      <button class="link small danger" aria-label=${`${tx('remove')}: ${m.text}`} onClick=${onRemove}>${tx('remove')}</button>
    </span>`}
  </div>`;
}

function MilestoneForm({ data, onAdd }: { data: RoadmapData; onAdd: (body: { dimensionKey: string; year: number; text: string }) => Promise<void> }) {
  const [v, setV] = useState({ dimensionKey: data.dimensions[0]?.key ?? '', year: String(data.years[0] ?? ''), text: '' });
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.target as HTMLInputElement).value });
  return html`<form class="mp-form" data-testid="milestone-form" onSubmit=${async (e: Event) => {
    e.preventDefault();
    await onAdd({ dimensionKey: v.dimensionKey, year: Number(v.year), text: v.text });
    setV({ ...v, text: '' });
  }}>
    <div class="row wrap">
      <label>${tx('dimension')}<select name="milestoneDimension" value=${v.dimensionKey} onChange=${set('dimensionKey')}>${data.dimensions.map((d) => html`<option value=${d.key}>${L(d.nameId, d.nameEn)}</option>`)}</select></label>
      <label>${tx('year')}<select name="milestoneYear" value=${v.year} onChange=${set('year')}>${data.years.map((y) => html`<option value=${y}>${y}</option>`)}</select></label>
      <label class="grow">${qx('milestoneText')}<input name="milestoneText" required maxlength="1000" value=${v.text} onInput=${set('text')} /></label>
      <button type="submit" data-testid="milestone-add">${qx('addMilestone')}</button>
    </div>
  </form>`;
}
