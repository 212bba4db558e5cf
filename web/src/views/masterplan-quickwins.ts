/** Quick wins per dimension with their totals, the form, and each quick win's background, output, outcome and schedule. */
import type { InitiativeList } from '../../../src/modules/masterplan/initiatives/initiatives.contract.js';
import type { QuickWin, QuickWinList } from '../../../src/modules/masterplan/quickwins/quickwins.contract.js';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { canEdit, errorText, L, Message, num, rupiah, tx, useApi, useFramework, useMe, useOpds, useStanding } from './masterplan-common.js';
import { fundingName } from './masterplan-initiatives-texts.js';
import { QuickWinForm } from './masterplan-quickwins-form.js';
import { monthName, qx, statusName } from './masterplan-quickwins-texts.js';

export function QuickWins() {
  const fw = useFramework();
  const me = useMe();
  const opds = useOpds();
  const standing = useStanding();
  const list = useApi<QuickWinList>('/masterplan/quickwins');
  const initiatives = useApi<InitiativeList>('/masterplan/initiatives');
  const canAdd = !!me && me.role !== 'viewer';
  const [editing, setEditing] = useState<QuickWin | 'new' | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  return html`
    <section class="mp-quickwins" data-testid="mp-quickwins">
      <div class="card">
        <div class="row wrap">
          <h2>${qx('title')}</h2>
          <span class="muted">${list.data ? `${num(list.data.totals.quickWins, 0)} ${qx('count')}` : tx('loading')}</span>
          <span class="spacer"></span>
          ${canAdd && html`<button data-testid="quickwin-add" onClick=${() => setEditing('new')}>${qx('add')}</button>`}
        </div>
        <p class="small muted">${qx('hint')}</p>
        ${list.data &&
        html`<div class="stats" data-testid="quickwin-totals">
          <div class="stat"><span>${qx('countLabel')}</span><strong>${num(list.data.totals.quickWins, 0)}</strong></div>
          <div class="stat"><span>${qx('totalCost')}</span><strong data-testid="quickwin-total-cost">${rupiah(list.data.totals.cost)}</strong></div>
          ${list.data.totals.byStatus.map((s) => html`<div class="stat"><span>${statusName(s.key)}</span><strong>${num(s.quickWins, 0)}</strong></div>`)}
        </div>`}
        <${Message} error=${list.error} />
        ${editing &&
        html`<${QuickWinForm} fw=${fw} me=${me} opds=${opds} standing=${standing} initiatives=${initiatives.data?.items ?? []} quickWin=${editing === 'new' ? null : editing}
          onDone=${() => { setEditing(null); list.reload(); }} onCancel=${() => setEditing(null)} />`}
        ${list.data && items.length === 0 && !editing && html`<p class="muted">${qx('empty')}</p>`}
      </div>
      ${list.data &&
      (fw?.dimensions ?? []).map((d) => {
        const mine = items.filter((q) => q.dimensionKey === d.key);
        const t = list.data!.totals.byDimension.find((x) => x.key === d.key);
        return html`<div class="card mp-dimension" data-dimension=${d.key}>
          <div class="row wrap">
            <h3>${L(d.nameId, d.nameEn)}</h3>
            <span class="spacer"></span>
            <span class="small muted" data-testid=${`quickwin-dimension-${d.key}`}>${num(t?.quickWins ?? 0, 0)} ${qx('count')} · ${qx('costShort')} ${rupiah(t?.cost ?? 0)}</span>
          </div>
          ${mine.length === 0
            ? html`<p class="small muted">${qx('none')}</p>`
            : html`<ul class="mp-initiative-list">
                ${mine.map((q) => html`<${QuickWinItem} key=${q.id} q=${q} editable=${canEdit(me, opds, q.leadOpdId, standing)} open=${open === q.id} onToggle=${() => setOpen(open === q.id ? null : q.id)} onEdit=${() => setEditing(q)} onChanged=${list.reload} />`)}
              </ul>`}
        </div>`;
      })}
    </section>
  `;
}

function QuickWinItem({ q, editable, open, onToggle, onEdit, onChanged }: { q: QuickWin; editable: boolean; open: boolean; onToggle: () => void; onEdit: () => void; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    if (!confirm(qx('confirmDelete'))) return;
    try {
      await api('DELETE', `/masterplan/quickwins/${encodeURIComponent(q.id)}`);
      onChanged();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return html`
    <li class="mp-initiative mp-quickwin" data-quickwin=${q.title} data-editable=${editable ? 'yes' : 'no'}>
      <div class="mp-initiative-head">
        <button class="link" aria-expanded=${open} onClick=${onToggle}><strong>${q.title}</strong></button>
        <span class=${`chip qw-${q.status}`}>${statusName(q.status)}</span>
      </div>
      <div class="mp-initiative-meta small">
        <span>${qx('schedule')}: <span data-testid="quickwin-schedule">${monthName(q.startMonth)} – ${monthName(q.endMonth)} (${num(q.months, 0)} ${qx('months')})</span></span>
        <span>${qx('lead')}: ${q.leadOpdCode ?? '—'}</span>
        <span>${qx('costShort')}: <strong data-testid="quickwin-cost">${rupiah(q.cost)}</strong></span>
        <span>${qx('funding')}: ${q.fundingSource ? fundingName(q.fundingSource) : '—'}</span>
        ${q.initiativeName && html`<span>${qx('initiative')}: ${q.initiativeName}</span>`}
      </div>
      ${open &&
      html`<div class="mp-initiative-detail">
        <dl class="mp-facts">
          <div><dt>${qx('background')}</dt><dd class="pre">${q.background || '—'}</dd></div>
          <div><dt>${qx('output')}</dt><dd class="pre">${q.output || '—'}</dd></div>
          <div><dt>${qx('outcome')}</dt><dd class="pre">${q.outcome || '—'}</dd></div>
        </dl>
        ${editable && html`<div class="row wrap"><button class="ghost" data-testid="quickwin-edit" onClick=${onEdit}>${qx('edit')}</button><button class="ghost danger" onClick=${remove}>${tx('remove')}</button></div>`}
        <${Message} error=${error} />
      </div>`}
    </li>
  `;
}
