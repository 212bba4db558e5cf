/** The form of an initiative: create or change (a reviewer also chooses its lead OPD). */
import type { Initiative } from '../../../src/modules/masterplan/initiatives/initiatives.contract.js';
import { FUNDING_SOURCES, INITIATIVE_STATUSES } from '../../../src/modules/masterplan/initiatives/initiatives.constants.ts';
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { L, Message, saveRecord, tx, type Framework, type Me, type Opd, type Standing } from './masterplan-common.js';
import { ix } from './masterplan-initiatives-texts.js';

export function InitiativeForm({ fw, me, opds, standing, initiative, onDone, onCancel }: { fw: Framework | null; me: Me | null; opds: Opd[] | null; standing: Standing | null; initiative: Initiative | null; onDone: () => void; onCancel: () => void }) {
  const reviewer = !!standing?.reviewer || me?.role === 'admin';
  const [v, setV] = useState({
    dimensionKey: initiative?.dimensionKey ?? '', elementKey: initiative?.elementKey ?? '', name: initiative?.name ?? '', problem: initiative?.problem ?? '', goal: initiative?.goal ?? '',
    target: initiative?.target ?? '', indicators: (initiative?.indicators ?? []).join('\n'), leadOpdId: initiative?.leadOpdId ?? (reviewer ? '' : me?.opdId ?? ''),
    supportingOpdIds: initiative?.supportingOpdIds ?? [], startYear: initiative?.startYear?.toString() ?? '', endYear: initiative?.endYear?.toString() ?? '',
    costEstimate: initiative?.costEstimate?.toString() ?? '', fundingSources: initiative?.fundingSources ?? ['apbd'], status: initiative?.status ?? 'usulan',
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.target as HTMLInputElement).value });
  const dim = fw?.dimensions.find((d) => d.key === v.dimensionKey);
  const toggle = (k: 'fundingSources' | 'supportingOpdIds', key: string) => setV({ ...v, [k]: v[k].includes(key) ? v[k].filter((x) => x !== key) : [...v[k], key] });
  const submit = async (e: Event) => {
    e.preventDefault();
    const year = (s: string) => (s.trim() === '' ? null : Number(s));
    const body = {
      dimensionKey: v.dimensionKey, elementKey: v.elementKey || null, name: v.name, problem: v.problem, goal: v.goal, target: v.target,
      indicators: v.indicators.split('\n').map((x) => x.trim()).filter(Boolean), ...(reviewer || !initiative ? { leadOpdId: v.leadOpdId || null } : {}),
      supportingOpdIds: v.supportingOpdIds, startYear: year(v.startYear), endYear: year(v.endYear), costEstimate: v.costEstimate.trim() === '' ? null : Number(v.costEstimate.replace(/\D/g, '')),
      fundingSources: v.fundingSources, status: v.status,
    };
    await saveRecord('/masterplan/initiatives', initiative?.id ?? null, body, { setBusy, setError, onDone });
  };
  return html`
    <form class="mp-form mp-initiative-form" data-testid="initiative-form" onSubmit=${submit}>
      <h3>${initiative ? ix('edit') : ix('add')}</h3>
      <div class="row wrap">
        <label>${tx('dimension')}<select name="dimensionKey" required value=${v.dimensionKey} onChange=${(e: Event) => setV({ ...v, dimensionKey: (e.target as HTMLSelectElement).value, elementKey: '' })}>
          <option value="">—</option>${(fw?.dimensions ?? []).map((d) => html`<option value=${d.key}>${L(d.nameId, d.nameEn)}</option>`)}
        </select></label>
        <label>${tx('element')}<select name="elementKey" value=${v.elementKey} disabled=${!dim} onChange=${set('elementKey')}>
          <option value="">—</option>${(dim?.elements ?? []).map((el) => html`<option value=${el.key}>${L(el.nameId, el.nameEn)}</option>`)}
        </select></label>
        <label>${tx('status')}<select name="status" value=${v.status} onChange=${set('status')}>${INITIATIVE_STATUSES.map((s) => html`<option value=${s.key}>${L(s.nameId, s.nameEn)}</option>`)}</select></label>
      </div>
      <label>${tx('name')}<input name="name" required maxlength="500" value=${v.name} onInput=${set('name')} /></label>
      <label>${ix('problem')}<textarea name="problem" rows="2" value=${v.problem} onInput=${set('problem')}></textarea></label>
      <label>${ix('goal')}<textarea name="goal" rows="2" value=${v.goal} onInput=${set('goal')}></textarea></label>
      <label>${ix('target')}<input name="target" value=${v.target} onInput=${set('target')} /></label>
      <label>${ix('indicators')}<textarea name="indicators" rows="3" value=${v.indicators} onInput=${set('indicators')}></textarea></label>
      <div class="row wrap">
        <label>${ix('lead')}<select name="leadOpdId" value=${v.leadOpdId} disabled=${!reviewer} onChange=${set('leadOpdId')}>
          <option value="">—</option>${(opds ?? []).map((o) => html`<option value=${o.id}>${o.code} — ${o.name}</option>`)}
        </select></label>
        <label>${ix('start')}<input type="number" name="startYear" min="2000" max="2100" value=${v.startYear} onInput=${set('startYear')} /></label>
        <label>${ix('end')}<input type="number" name="endYear" min="2000" max="2100" value=${v.endYear} onInput=${set('endYear')} /></label>
        <label>${ix('cost')}<input name="costEstimate" inputmode="numeric" value=${v.costEstimate} onInput=${set('costEstimate')} /></label>
      </div>
      <fieldset><legend>${ix('funding')}</legend><div class="row wrap">
        ${FUNDING_SOURCES.map((f) => html`<label class="radio"><input type="checkbox" name=${`funding-${f.key}`} checked=${v.fundingSources.includes(f.key)} onChange=${() => toggle('fundingSources', f.key)} />${L(f.nameId, f.nameEn)}</label>`)}
      </div></fieldset>
      <fieldset><legend>${ix('supporting')}</legend><div class="row wrap">
        ${(opds ?? []).filter((o) => o.id !== v.leadOpdId).map((o) => html`<label class="radio"><input type="checkbox" checked=${v.supportingOpdIds.includes(o.id)} onChange=${() => toggle('supportingOpdIds', o.id)} />${o.code}</label>`)}
      </div></fieldset>
      <${Message} error=${error} />
      <div class="row"><button type="submit" disabled=${busy} data-testid="initiative-save">${tx('save')}</button><button type="button" class="ghost" onClick=${onCancel}>${tx('cancel')}</button></div>
    </form>
  `;
}

