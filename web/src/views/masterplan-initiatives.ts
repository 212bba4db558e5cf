/** Initiatives, the master plan's unit: per dimension with totals, the form, the funding trace (lines linked with shares, with suggestions), realisation per year. */
import type { Initiative, InitiativeList, Suggestions } from '../../../src/modules/masterplan/initiatives/initiatives.contract.js';
import type { Program } from '../../../src/modules/masterplan/programs/programs.contract.js';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { canEdit, dimName, elementName, errorText, L, Message, num, rupiah, tx, useApi, useFramework, useMe, useOpds, useStanding, type Framework, type Opd } from './masterplan-common.js';
import { InitiativeForm } from './masterplan-initiatives-form.js';
import { fundingName, ix, reasonName, statusName } from './masterplan-initiatives-texts.js';

export function Initiatives() {
  const fw = useFramework();
  const me = useMe();
  const opds = useOpds();
  const standing = useStanding();
  const list = useApi<InitiativeList>('/masterplan/initiatives');
  const canAdd = !!me && me.role !== 'viewer';
  const suggestions = useApi<Suggestions>(canAdd ? '/masterplan/initiatives/suggestions?limit=100' : null);
  const [editing, setEditing] = useState<Initiative | 'new' | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const reload = () => {
    list.reload();
    suggestions.reload();
  };
  const items = list.data?.items ?? [];
  return html`
    <section class="mp-initiatives" data-testid="mp-initiatives">
      <div class="card">
        <div class="row wrap">
          <h2>${ix('title')}</h2>
          <span class="muted">${list.data ? `${num(list.data.totals.initiatives, 0)} ${ix('count')}` : tx('loading')}</span>
          <span class="spacer"></span>
          ${canAdd && html`<button data-testid="initiative-add" onClick=${() => setEditing('new')}>${ix('add')}</button>`}
        </div>
        <p class="small muted">${ix('hint')}</p>
        ${list.data &&
        html`<div class="stats" data-testid="initiative-totals">
          <div class="stat"><span>${ix('countLabel')}</span><strong>${num(list.data.totals.initiatives, 0)}</strong></div>
          <div class="stat"><span>${ix('budget')}</span><strong data-testid="total-budget">${rupiah(list.data.totals.budget)}</strong></div>
          <div class="stat"><span>${ix('costShort')}</span><strong>${rupiah(list.data.totals.costEstimate)}</strong></div>
        </div>`}
        <${Message} error=${list.error} />
        ${editing && html`<${InitiativeForm} fw=${fw} me=${me} opds=${opds} standing=${standing} initiative=${editing === 'new' ? null : editing} onDone=${() => { setEditing(null); reload(); }} onCancel=${() => setEditing(null)} />`}
        ${list.data && items.length === 0 && !editing && html`<p class="muted">${ix('empty')}</p>`}
      </div>
      ${list.data &&
      (fw?.dimensions ?? []).map((d) => {
        const mine = items.filter((i) => i.dimensionKey === d.key);
        const t = list.data!.totals.byDimension.find((x) => x.key === d.key);
        return html`<div class="card mp-dimension" data-dimension=${d.key}>
          <div class="row wrap">
            <h3>${L(d.nameId, d.nameEn)}</h3>
            <span class="spacer"></span>
            <span class="small muted" data-testid=${`dimension-total-${d.key}`}>${num(t?.initiatives ?? 0, 0)} ${ix('count')} · ${ix('budget')} ${rupiah(t?.budget ?? 0)} · ${ix('costShort')} ${rupiah(t?.costEstimate ?? 0)}</span>
          </div>
          ${mine.length === 0
            ? html`<p class="small muted">${ix('none')}</p>`
            : html`<ul class="mp-initiative-list">
                ${mine.map(
                  (i) => html`<${InitiativeItem} key=${i.id} i=${i} fw=${fw} opds=${opds} editable=${canEdit(me, opds, i.leadOpdId, standing)} open=${open === i.id}
                    suggested=${(suggestions.data?.join ?? []).filter((j) => j.initiativeId === i.id)} onToggle=${() => setOpen(open === i.id ? null : i.id)} onEdit=${() => setEditing(i)} onChanged=${reload} />`,
                )}
              </ul>`}
        </div>`;
      })}
      ${canAdd && html`<${SuggestionsPanel} fw=${fw} initiatives=${items} data=${suggestions.data} loadError=${suggestions.error} onChanged=${reload} />`}
    </section>
  `;
}

type JoinSuggestion = Suggestions['join'][number];

function InitiativeItem({ i, fw, opds, editable, open, suggested, onToggle, onEdit, onChanged }: { i: Initiative; fw: Framework | null; opds: Opd[] | null; editable: boolean; open: boolean; suggested: JoinSuggestion[]; onToggle: () => void; onEdit: () => void; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    if (!confirm(ix('confirmDelete'))) return;
    try {
      await api('DELETE', `/masterplan/initiatives/${encodeURIComponent(i.id)}`);
      onChanged();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const opdCode = (id: string) => opds?.find((o) => o.id === id)?.code ?? '—';
  return html`
    <li class="mp-initiative" data-initiative=${i.name} data-editable=${editable ? 'yes' : 'no'}>
      <div class="mp-initiative-head">
        <button class="link" aria-expanded=${open} onClick=${onToggle}><strong>${i.name}</strong></button>
        <span class=${`chip status-${i.status}`}>${statusName(i.status)}</span>
      </div>
      <div class="mp-initiative-meta small">
        <span>${elementName(fw, i.dimensionKey, i.elementKey)}</span>
        <span>${ix('lead')}: ${i.leadOpdCode ?? '—'}</span>
        <span>${ix('timeline')}: ${i.startYear ?? '…'}–${i.endYear ?? '…'}</span>
        <span>${ix('funding')}: ${i.fundingSources.length ? i.fundingSources.map(fundingName).join(', ') : '—'}</span>
        <span>${ix('costShort')}: ${rupiah(i.costEstimate)}</span>
        <span>${ix('budget')}: <strong data-testid="initiative-budget">${rupiah(i.budget)}</strong></span>
      </div>
      ${open &&
      html`<div class="mp-initiative-detail">
        <dl class="mp-facts">
          <div><dt>${ix('problem')}</dt><dd class="pre">${i.problem || '—'}</dd></div>
          <div><dt>${ix('goal')}</dt><dd class="pre">${i.goal || '—'}</dd></div>
          <div><dt>${ix('target')}</dt><dd class="pre">${i.target || '—'}</dd></div>
          <div><dt>${ix('indicatorList')}</dt><dd>${i.indicators.length ? i.indicators.join('; ') : '—'}</dd></div>
          <div><dt>${ix('supporting')}</dt><dd>${i.supportingOpdIds.length ? i.supportingOpdIds.map(opdCode).join(', ') : '—'}</dd></div>
        </dl>
        ${editable && html`<div class="row wrap"><button class="ghost" data-testid="initiative-edit" onClick=${onEdit}>${ix('edit')}</button><button class="ghost danger" onClick=${remove}>${tx('remove')}</button></div>`}
        <${Message} error=${error} />
        <${Lines} i=${i} editable=${editable} suggested=${suggested} onChanged=${onChanged} />
        <${Years} i=${i} editable=${editable} onChanged=${onChanged} />
      </div>`}
    </li>
  `;
}

function Lines({ i, editable, suggested, onChanged }: { i: Initiative; editable: boolean; suggested: JoinSuggestion[]; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Program[] | null>(null);
  const [share, setShare] = useState('100');
  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(null);
      onChanged();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const search = async (e: Event) => {
    e.preventDefault();
    try {
      const page = await api<{ items: Program[] }>('GET', `/masterplan/programs?q=${encodeURIComponent(q)}&limit=20`);
      setFound(page.items.filter((p) => !i.lines.some((l) => l.programId === p.id)));
    } catch (err) {
      setError(errorText(err));
    }
  };
  const total = i.lines.reduce((s, l) => s + l.counted, 0);
  return html`
    <h4>${ix('lines')}</h4>
    ${i.lines.length === 0
      ? html`<p class="small muted">${ix('noLines')}</p>`
      : html`<div class="mp-table-wrap"><table class="mp-lines" data-testid="initiative-lines">
          <thead><tr><th>${tx('code')}</th><th>${tx('name')}</th><th>${tx('document')}</th><th class="num">${tx('year')}</th><th class="num">${ix('pagu')}</th><th class="num">${ix('share')}</th><th class="num">${ix('counted')}</th>${editable && html`<th></th>`}</tr></thead>
          <tbody>
            ${i.lines.map(
              (l) => html`<tr class=${`level-${l.level}`}>
                <td class="nowrap">${l.code}</td><td>${l.name}${l.opdCode ? html` <span class="muted small">${l.opdCode}</span>` : ''}</td><td>${l.document}</td><td class="num">${l.year}</td>
                <td class="num">${rupiah(l.budget)}</td><td class="num">${num(l.share, 0)}</td><td class="num">${rupiah(l.counted)}</td>
                ${editable && html`<td><button class="ghost small" onClick=${() => run(() => api('DELETE', `/masterplan/initiatives/${encodeURIComponent(i.id)}/lines/${encodeURIComponent(l.programId)}`))}>${ix('unlink')}</button></td>`}
              </tr>`,
            )}
          </tbody>
          <tfoot><tr><th colspan="6">${ix('total')}</th><th class="num">${rupiah(total)}</th>${editable && html`<th></th>`}</tr></tfoot>
        </table></div>`}
    ${editable &&
    suggested.length > 0 &&
    html`<p class="small">${ix('suggestedHere')}</p>
      <ul class="mp-found" data-testid="initiative-suggested">${suggested.map(
        (j) => html`<li><span>${j.line.code} ${j.line.name} <span class="muted small">${j.line.opdCode ?? ''} · ${j.line.document} ${j.line.year} · ${rupiah(j.line.budget)} · ${j.reasons.map(reasonName).join(', ')}</span></span>
          <button class="ghost small" onClick=${() => run(() => api('POST', `/masterplan/initiatives/${encodeURIComponent(i.id)}/lines`, { programIds: [j.line.programId] }))}>${ix('link')}</button></li>`,
      )}</ul>`}
    ${editable &&
    html`<form class="inline" onSubmit=${search}>
        <label>${ix('findLines')}<input type="search" name="lineQuery" value=${q} onInput=${(e: Event) => setQ((e.target as HTMLInputElement).value)} /></label>
        <label>${ix('share')}<input type="number" class="num-in" name="share" min="1" max="100" value=${share} onInput=${(e: Event) => setShare((e.target as HTMLInputElement).value)} /></label>
        <button type="submit" class="ghost">${tx('search')}</button>
      </form>
      ${found &&
      html`<ul class="mp-found">${found.map(
        (p) => html`<li><span>${p.code} ${p.name} <span class="muted small">${p.opdCode ?? ''} · ${p.document} ${p.year} · ${rupiah(p.budget)}</span></span>
          <button class="ghost small" data-testid="link-line" onClick=${() => run(async () => {
            await api('POST', `/masterplan/initiatives/${encodeURIComponent(i.id)}/lines`, { programIds: [p.id], share: Number(share) || 100 });
            setFound((f) => (f ?? []).filter((x) => x.id !== p.id));
          })}>${ix('link')}</button></li>`,
      )}</ul>`}`}
    <${Message} error=${error} />
  `;
}

function Years({ i, editable, onChanged }: { i: Initiative; editable: boolean; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [year, setYear] = useState('');
  const put = async (y: number, body: Record<string, number | null>) => {
    try {
      await api('PUT', `/masterplan/initiatives/${encodeURIComponent(i.id)}/years/${y}`, body);
      setError(null);
      onChanged();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const money = (v: string) => (v.trim() === '' ? null : Number(v.replace(/\D/g, '')));
  return html`
    <h4>${ix('years')}</h4>
    <div class="mp-table-wrap"><table class="mp-years" data-testid="initiative-years">
      <thead><tr><th class="num">${tx('year')}</th><th class="num">${ix('fromLines')}</th><th class="num">${ix('planned')}</th><th class="num">${ix('realised')}</th></tr></thead>
      <tbody>
        ${i.years.map(
          (y) => html`<tr>
            <td class="num">${y.year}</td><td class="num">${rupiah(y.fromLines)}</td>
            ${editable
              ? html`<td class="num"><input class="num-in" inputmode="numeric" aria-label=${`${ix('planned')} ${y.year}`} value=${y.planned ?? ''} onChange=${(e: Event) => put(y.year, { planned: money((e.target as HTMLInputElement).value) })} /></td>
                  <td class="num"><input class="num-in" inputmode="numeric" aria-label=${`${ix('realised')} ${y.year}`} value=${y.realised ?? ''} onChange=${(e: Event) => put(y.year, { realised: money((e.target as HTMLInputElement).value) })} /></td>`
              : html`<td class="num">${rupiah(y.planned)}</td><td class="num">${rupiah(y.realised)}</td>`}
          </tr>`,
        )}
      </tbody>
    </table></div>
    ${editable &&
    html`<form class="inline" onSubmit=${(e: Event) => {
      e.preventDefault();
      if (year) put(Number(year), { planned: null });
    }}>
      <label>${ix('addYear')}<input type="number" name="newYear" min=${i.startYear ?? 2000} max=${i.endYear ?? 2100} value=${year} onInput=${(e: Event) => setYear((e.target as HTMLInputElement).value)} /></label>
      <button type="submit" class="ghost">${tx('add')}</button>
    </form>`}
    <${Message} error=${error} />
  `;
}

function SuggestionsPanel({ fw, initiatives, data, loadError, onChanged }: { fw: Framework | null; initiatives: Initiative[]; data: Suggestions | null; loadError: string | null; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(null);
      onChanged();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return html`
    <div class="card mp-suggestions" data-testid="initiative-suggestions">
      <h3>${ix('suggestions')}</h3>
      <p class="small muted">${ix('suggestionsHint')}</p>
      <${Message} error=${error ?? loadError} />
      ${data && data.join.length === 0 && data.create.length === 0 && html`<p class="small muted">${ix('noSuggestions')}</p>`}
      ${data &&
      data.join.length > 0 &&
      html`<ul class="mp-found">${data.join.map(
        (j) => html`<li data-testid="suggest-join">
          <span><strong>${j.line.code}</strong> ${j.line.name} <span class="muted small">${j.line.opdCode ?? ''} · ${j.line.document} ${j.line.year} · ${rupiah(j.line.budget)}</span>
            <br /><span class="small">${ix('joinTo')} <strong>${initiatives.find((i) => i.id === j.initiativeId)?.name ?? j.initiativeName}</strong> (${j.reasons.map(reasonName).join(', ')}${j.words.length ? `: ${j.words.join(', ')}` : ''})</span></span>
          <button class="ghost small" data-testid="accept-join" onClick=${() => run(() => api('POST', `/masterplan/initiatives/${encodeURIComponent(j.initiativeId)}/lines`, { programIds: [j.line.programId] }))}>${ix('accept')}</button>
        </li>`,
      )}</ul>`}
      ${data &&
      data.create.length > 0 &&
      html`<ul class="mp-found">${data.create.map(
        (c) => html`<li data-testid="suggest-create">
          <span>${ix('newFrom')} ${num(c.lines.length, 0)} ${ix('linesWord')}: <strong>${c.name}</strong> <span class="muted small">${dimName(fw, c.dimensionKey)} / ${elementName(fw, c.dimensionKey, c.elementKey)} · ${rupiah(c.budget)}</span>
            <br /><span class="small muted">${c.lines.map((l) => `${l.code} ${l.name}`).join('; ')}</span></span>
          <button class="ghost small" data-testid="accept-create" onClick=${() => run(() => api('POST', '/masterplan/initiatives', { name: c.name, dimensionKey: c.dimensionKey, elementKey: c.elementKey, leadOpdId: c.leadOpdId, programIds: c.lines.map((l) => l.programId) }))}>${ix('createFrom')}</button>
        </li>`,
      )}</ul>`}
      ${data && data.unmatched > 0 && html`<p class="small muted">${num(data.unmatched, 0)} ${ix('unmatched')}</p>`}
    </div>
  `;
}
