/** The regional profile (each value with its year and source) and the plan's adoption status, of the master plan records screen. */
import type { Adoption, ProfileValue, Records } from '../../../src/modules/masterplan/records/records.contract.js';
import { ADOPTION_STATUSES, PROFILE_GROUPS, PROFILE_INDICATORS } from '../../../src/modules/masterplan/records/records.constants.ts';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { errorText, L, Message, num, rupiah, tx } from './masterplan-common.js';
import { EntryForm, type Field } from './masterplan-records-list.js';
import { named, rx } from './masterplan-records-texts.js';

/** "1.234,5" or "1234.5" → 1234.5 (Indonesian grouping dots and decimal comma; a lone dot with one or two digits after it is a decimal point). */
export function parseNumber(text: string): number {
  const t = text.trim().replace(/\s|Rp/gi, '');
  if (t.includes(',')) return Number(t.replace(/\./g, '').replace(',', '.'));
  if (/^\d+\.\d{1,2}$/.test(t)) return Number(t);
  return Number(t.replace(/\./g, ''));
}

export function valueText(v: ProfileValue): string {
  const i = PROFILE_INDICATORS.find((x) => x.key === v.key);
  if (v.value === null || !i) return '—';
  return i.rupiah ? rupiah(v.value) : `${num(v.value)} ${L(i.unitId, i.unitEn)}`;
}

export function Profile({ profile, editable, onChanged }: { profile: ProfileValue[]; editable: boolean; onChanged: (r: Records) => void }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fields: Field[] = [
    { key: 'value', label: rx('valueHint'), input: 'text', required: true, max: 30 },
    { key: 'year', label: tx('year'), input: 'year', required: true },
    { key: 'source', label: rx('source'), input: 'text', required: true, max: 300 },
    { key: 'note', label: tx('note'), input: 'text', max: 1000 },
  ];
  const save = (key: string) => async (v: Record<string, string>) => {
    const value = parseNumber(v.value ?? '');
    if (!Number.isFinite(value)) throw new Error(`${rx('value')}: ${v.value}`);
    onChanged(await api<Records>('PUT', `/masterplan/records/profile/${key}`, { value, year: Number(v.year), source: v.source, note: v.note ?? '' }));
    setEditing(null);
  };
  const clear = async (key: string) => {
    try {
      await api('DELETE', `/masterplan/records/profile/${key}`);
      onChanged(await api<Records>('GET', '/masterplan/records'));
    } catch (err) {
      setError(errorText(err));
    }
  };
  return html`
    <div class="card" data-testid="records-profile">
      <h3>${rx('profile')}</h3>
      <${Message} error=${error} />
      <div class="mp-table-wrap"><table>
        <thead><tr><th>${rx('indicator')}</th><th>${rx('value')}</th><th>${tx('year')}</th><th>${rx('source')}</th>${editable && html`<th></th>`}</tr></thead>
        <tbody>
          ${PROFILE_GROUPS.map((g) => [
            html`<tr class="mp-group-row"><th colspan=${editable ? 5 : 4}>${L(g.nameId, g.nameEn)}</th></tr>`,
            ...profile.filter((v) => v.group === g.key).map((v) => html`
              <tr data-indicator=${v.key}>
                <td data-label=${rx('indicator')}>${named(PROFILE_INDICATORS, v.key)}</td>
                <td data-label=${rx('value')} class="num">${valueText(v)}</td>
                <td data-label=${tx('year')}>${v.year ?? '—'}</td>
                <td data-label=${rx('source')}>${v.source || '—'}${v.note && html`<div class="small muted">${v.note}</div>`}</td>
                ${editable && html`<td class="nowrap mp-actions"><button class="ghost small" data-testid=${`profile-edit-${v.key}`} onClick=${() => setEditing(v.key)}>${tx('edit')}</button>${v.value !== null && html` <button class="ghost small danger" onClick=${() => clear(v.key)}>${rx('clear')}</button>`}</td>`}
              </tr>
              ${editing === v.key && html`<tr><td colspan="5"><${EntryForm} fields=${fields} testid="profile-form" initial=${{ value: v.value === null ? '' : String(v.value).replace('.', ','), year: String(v.year ?? ''), source: v.source, note: v.note }} onSave=${save(v.key)} onCancel=${() => setEditing(null)} /></td></tr>`}`),
          ])}
        </tbody>
      </table></div>
    </div>
  `;
}

export function AdoptionCard({ adoption, editable, onChanged }: { adoption: Adoption; editable: boolean; onChanged: (r: Records) => void }) {
  const [editing, setEditing] = useState(false);
  const fields: Field[] = [
    { key: 'status', label: tx('status'), input: 'select', required: true, options: ADOPTION_STATUSES.map((s) => ({ value: s.key, label: L(s.nameId, s.nameEn) })) },
    { key: 'perbupNumber', label: rx('perbupNumber'), input: 'text', max: 200 },
    { key: 'perbupDate', label: `${rx('perbupDate')} (YYYY-MM-DD)`, input: 'text', max: 10 },
    { key: 'rpjmdReference', label: rx('rpjmdReference'), input: 'text', max: 300 },
    { key: 'note', label: tx('note'), input: 'textarea', max: 2000 },
  ];
  const save = async (v: Record<string, string>) => {
    onChanged(await api<Records>('PUT', '/masterplan/records/adoption', { status: v.status, perbupNumber: v.perbupNumber ?? '', perbupDate: v.perbupDate ?? '', rpjmdReference: v.rpjmdReference ?? '', note: v.note ?? '' }));
    setEditing(false);
  };
  return html`
    <div class="card" data-testid="records-adoption">
      <div class="row wrap"><h3>${rx('adoption')}</h3><span class="spacer"></span>${editable && !editing && html`<button class="ghost" data-testid="adoption-edit" onClick=${() => setEditing(true)}>${tx('edit')}</button>`}</div>
      <dl class="mp-facts">
        <div><dt>${tx('status')}</dt><dd data-testid="adoption-status">${named(ADOPTION_STATUSES, adoption.status)}</dd></div>
        ${adoption.perbupNumber && html`<div><dt>${rx('perbupNumber')}</dt><dd>${adoption.perbupNumber}${adoption.perbupDate && ` (${adoption.perbupDate})`}</dd></div>`}
        ${adoption.rpjmdReference && html`<div><dt>${rx('rpjmdReference')}</dt><dd>${adoption.rpjmdReference}</dd></div>`}
        ${adoption.note && html`<div><dt>${tx('note')}</dt><dd class="pre">${adoption.note}</dd></div>`}
      </dl>
      ${editing && html`<${EntryForm} fields=${fields} testid="adoption-form" initial=${{ status: adoption.status, perbupNumber: adoption.perbupNumber, perbupDate: adoption.perbupDate, rpjmdReference: adoption.rpjmdReference, note: adoption.note }} onSave=${save} onCancel=${() => setEditing(false)} />`}
    </div>
  `;
}
