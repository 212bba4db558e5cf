/** The form of a quick win: create or change (a reviewer also chooses its lead OPD). */
import type { Initiative } from '../../../src/modules/masterplan/initiatives/initiatives.contract.js';
import type { QuickWin } from '../../../src/modules/masterplan/quickwins/quickwins.contract.js';
import { FUNDING_SOURCES } from '../../../src/modules/masterplan/initiatives/initiatives.constants.ts';
import { QUICK_WIN_STATUSES } from '../../../src/modules/masterplan/quickwins/quickwins.constants.ts';
import { useState } from 'preact/hooks';
import { DateField } from '../date-field.js';
import { html } from '../html.js';
import { L, Message, saveRecord, tx, type Framework, type Me, type Opd, type Standing } from './masterplan-common.js';
import { qx } from './masterplan-quickwins-texts.js';

interface Props { fw: Framework | null; me: Me | null; opds: Opd[] | null; standing: Standing | null; initiatives: Initiative[]; quickWin: QuickWin | null; onDone: () => void; onCancel: () => void }

export function QuickWinForm({ fw, me, opds, standing, initiatives, quickWin, onDone, onCancel }: Props) {
  const reviewer = !!standing?.reviewer || me?.role === 'admin';
  const [v, setV] = useState({
    title: quickWin?.title ?? '', dimensionKey: quickWin?.dimensionKey ?? '', initiativeId: quickWin?.initiativeId ?? '', background: quickWin?.background ?? '',
    output: quickWin?.output ?? '', outcome: quickWin?.outcome ?? '', startMonth: quickWin?.startMonth ?? '', endMonth: quickWin?.endMonth ?? '',
    cost: quickWin?.cost?.toString() ?? '', fundingSource: quickWin?.fundingSource ?? 'apbd', leadOpdId: quickWin?.leadOpdId ?? (reviewer ? '' : me?.opdId ?? ''), status: quickWin?.status ?? 'planned',
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.target as HTMLInputElement).value });
  const mine = initiatives.filter((i) => i.dimensionKey === v.dimensionKey);
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = {
      title: v.title, dimensionKey: v.dimensionKey, initiativeId: v.initiativeId || null, background: v.background, output: v.output, outcome: v.outcome,
      startMonth: v.startMonth, endMonth: v.endMonth, cost: v.cost.trim() === '' ? null : Number(v.cost.replace(/\D/g, '')), fundingSource: v.fundingSource || null,
      ...(reviewer || !quickWin ? { leadOpdId: v.leadOpdId || null } : {}), status: v.status,
    };
    await saveRecord('/masterplan/quickwins', quickWin?.id ?? null, body, { setBusy, setError, onDone });
  };
  return html`
    <form class="mp-form mp-quickwin-form" data-testid="quickwin-form" onSubmit=${submit}>
      <h3>${quickWin ? qx('edit') : qx('add')}</h3>
      <label>${qx('titleField')}<input name="title" required maxlength="500" value=${v.title} onInput=${set('title')} /></label>
      <div class="row wrap">
        <label>${tx('dimension')}<select name="dimensionKey" required value=${v.dimensionKey} onChange=${(e: Event) => setV({ ...v, dimensionKey: (e.target as HTMLSelectElement).value, initiativeId: '' })}>
          <option value="">—</option>${(fw?.dimensions ?? []).map((d) => html`<option value=${d.key}>${L(d.nameId, d.nameEn)}</option>`)}
        </select></label>
        <label class="grow">${qx('initiative')}<select name="initiativeId" value=${v.initiativeId} disabled=${!v.dimensionKey} onChange=${set('initiativeId')}>
          <option value="">—</option>${mine.map((i) => html`<option value=${i.id}>${i.name}</option>`)}
        </select></label>
        <label>${tx('status')}<select name="status" value=${v.status} onChange=${set('status')}>${QUICK_WIN_STATUSES.map((s) => html`<option value=${s.key}>${L(s.nameId, s.nameEn)}</option>`)}</select></label>
      </div>
      <label>${qx('background')}<textarea name="background" rows="2" value=${v.background} onInput=${set('background')}></textarea></label>
      <div class="row wrap">
        <label class="grow">${qx('output')}<input name="output" value=${v.output} onInput=${set('output')} /></label>
        <label class="grow">${qx('outcome')}<input name="outcome" value=${v.outcome} onInput=${set('outcome')} /></label>
      </div>
      <div class="row wrap">
        <${DateField} label=${qx('start')} type="month" name="startMonth" required value=${v.startMonth} onInput=${set('startMonth')} />
        <${DateField} label=${qx('end')} type="month" name="endMonth" required value=${v.endMonth} onInput=${set('endMonth')} />
        <label>${qx('cost')}<input name="cost" inputmode="numeric" value=${v.cost} onInput=${set('cost')} /></label>
        <label>${qx('funding')}<select name="fundingSource" value=${v.fundingSource} onChange=${set('fundingSource')}>
          <option value="">—</option>${FUNDING_SOURCES.map((f) => html`<option value=${f.key}>${L(f.nameId, f.nameEn)}</option>`)}
        </select></label>
        <label>${qx('lead')}<select name="leadOpdId" value=${v.leadOpdId} disabled=${!reviewer} onChange=${set('leadOpdId')}>
          <option value="">—</option>${(opds ?? []).map((o) => html`<option value=${o.id}>${o.code} — ${o.name}</option>`)}
        </select></label>
      </div>
      <p class="small muted">${qx('scheduleHint')}</p>
      <${Message} error=${error} />
      <div class="row"><button type="submit" disabled=${busy} data-testid="quickwin-save">${tx('save')}</button><button type="button" class="ghost" onClick=${onCancel}>${tx('cancel')}</button></div>
    </form>
  `;
}
